"""Missing permissions mean `unknown`, everywhere: deny each operation of vpctui/iam-policy.json in
turn and check that no verdict changes from right to wrong, only to `unknown` naming the permission.

How a call is denied: a botocore ``before-call`` event hook registered on the real session that the
loader's clients are made from. For the one operation being denied it answers with an HTTP 403 and
AWS's error (``UnauthorizedOperation`` for EC2, ``AccessDenied``/``AccessDeniedException``
elsewhere) before anything is sent, exactly where botocore's Stubber answers; the client then
raises the same ``ClientError`` it raises for AWS's answer. Every other call goes to moto's server.

The account: the seed's VPC, a table, a queue, a secret and a SecureString parameter (the targets),
and a transit-gateway hub with a private hosted zone (so every operation of the policy is called).
The reference is the same account read with every permission; for the seed's functions its
verdicts equal the seed scenario's (tests/live/test_aws_loader.py checks that)."""

from __future__ import annotations

import pytest
from botocore.awsrequest import AWSResponse

from vpctui.engine import matrix
from vpctui.loaders import AwsOptions, LoadError
from vpctui.loaders.aws import OPERATIONS, load_account, require_functions

from . import envs
from .hub import aws_shaped_tgw, build_hub

pytestmark = pytest.mark.live

TARGETS = envs.TARGETS + envs.EXTRA_TARGETS

# sts:GetCallerIdentity needs no permission and cannot be denied by a policy (AWS STS API reference,
# GetCallerIdentity: "No permissions are required to perform this operation"): not swept.
SWEPT = [op for op in OPERATIONS if op != "sts:GetCallerIdentity"]


def deny(session, action: str) -> dict:
    """Make ``action`` (service:Operation) answer AccessDenied; returns a counter of denials."""
    service, op = action.split(":")
    code = "UnauthorizedOperation" if service == "ec2" else \
        "AccessDeniedException" if service in ("lambda", "dynamodb", "secretsmanager", "kms", "ssm") else "AccessDenied"
    seen = {"n": 0}

    def before_call(model, **_kw):
        if model.name == op and model.service_model.service_name == service:
            seen["n"] += 1
            body = {"Error": {"Code": code, "Message": f"User: arn:aws:sts::123456789012:assumed-role/reader/s "
                                                       f"is not authorized to perform: {action}"},
                    "ResponseMetadata": {"HTTPStatusCode": 403}}
            return AWSResponse("https://denied.invalid/", 403, {}, None), body
        return None

    session.events.register("before-call", before_call)
    return seen


def verdicts(net) -> dict:
    out = {}
    for t in matrix(net, list(TARGETS)):
        d = t.drop
        out[(t.source, t.target)] = (t.verdict, t.symptom, d.reason if d else None, d.component_id if d else None,
                                     d.explanation if d else "")
    return out


def test_every_denied_operation_gives_unknown_never_a_wrong_verdict(aws):
    with aws_shaped_tgw():  # moto's TGW answers made AWS-shaped (tests/live/hub.py)
        _sweep()


def _sweep():
    import boto3

    base_session = boto3.session.Session(region_name="us-east-1")
    envs.build_seed(base_session)
    envs.build_targets(base_session)  # a table, a queue, a secret and a SecureString under a customer key
    build_hub(base_session)  # transit gateways, their route tables, a private hosted zone
    reference = verdicts(load_account(AwsOptions(targets=TARGETS), session=base_session))
    assert {v[0] for v in reference.values()} >= {"reachable", "blocked"}

    wrong: list[str] = []
    for action in SWEPT:
        session = boto3.session.Session(region_name="us-east-1")
        seen = deny(session, action)
        net = load_account(AwsOptions(targets=TARGETS), session=session)
        assert seen["n"] >= 1, f"{action} was never called by a full load"
        if action == "lambda:ListFunctions":
            # no functions because they could not be read: an error that names the call, never an
            # empty matrix that passes
            with pytest.raises(LoadError, match="lambda:ListFunctions"):
                require_functions(net)
            continue
        assert any(action in u.reason for u in net.unknown_parts), f"{action}: not listed among the unknown parts"
        got = verdicts(net)
        assert got.keys() == reference.keys()
        for k, ref in reference.items():
            v = got[k]
            if v[:4] == ref[:4]:
                continue
            if v[0] == "unknown" and action in v[4]:
                continue
            wrong.append(f"without {action}: {k[0]} -> {k[1]}: {ref[:4]} became {v[:4]} ({v[4][:160]})")
    assert not wrong, "\n".join(wrong)
