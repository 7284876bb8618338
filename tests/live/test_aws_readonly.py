"""Read-only by construction: every operation a full load calls is a Describe/List/Get, and the
shipped IAM policy grants exactly the operations called (no more, no less)."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from vpctui.loaders import AwsOptions
from vpctui.loaders.aws import OPERATIONS, load_account

from . import envs
from .hub import aws_shaped_tgw, build_hub

pytestmark = pytest.mark.live

READ_PREFIXES = ("Describe", "List", "Get", "Search")  # SearchTransitGatewayRoutes reads routes


def _policy_actions() -> set[str]:
    doc = json.loads(resources.files("vpctui").joinpath("iam-policy.json").read_text())
    actions: set[str] = set()
    for s in doc["Statement"]:
        assert s["Effect"] == "Allow"
        assert "NotAction" not in s
        acts = s["Action"] if isinstance(s["Action"], list) else [s["Action"]]
        assert not any("*" in a for a in acts), "no wildcards: least privilege"
        actions.update(acts)
    return actions


def record_calls(session) -> list[str]:
    """Every API operation the session's clients call, as IAM actions (service:Operation)."""
    called: list[str] = []

    def before_call(model, **kwargs):
        called.append(f"{model.service_model.service_name}:{model.name}")

    session.events.register("before-call", before_call)
    return called


def full_load(session):
    with aws_shaped_tgw():  # moto's TGW answers made AWS-shaped (tests/live/hub.py)
        envs.build_seed(session, "bucket-policy")
        envs.build_targets(session)  # a table, a queue, a secret and a SecureString under a customer key
        build_hub(session)  # transit gateways, their route tables, a private hosted zone
        called = record_calls(session)  # after the build: only the loader's calls are recorded
        targets = envs.TARGETS + (f"s3://{envs.BUCKET}",) + envs.EXTRA_TARGETS
        net = load_account(AwsOptions(region="us-east-1", targets=targets), session=session)
    return net, called


def test_only_read_operations_are_called(session):
    net, called = full_load(session)
    assert net.functions and envs.failed(net) == []
    assert called, "the hook saw the loader's calls"
    for op in called:
        name = op.split(":", 1)[1]
        assert name.startswith(READ_PREFIXES), f"{op} is not a read operation"


def test_iam_policy_covers_exactly_the_operations_called(session):
    _net, called = full_load(session)
    assert set(called) == _policy_actions()
    assert _policy_actions() == set(OPERATIONS)


def test_iam_policy_is_valid_json_with_read_actions_only():
    for a in _policy_actions():
        service, _, op = a.partition(":")
        assert service in {"ec2", "lambda", "iam", "s3", "sts", "dynamodb", "sqs", "secretsmanager", "ssm", "kms", "route53", "network-firewall"}
        assert op.startswith(READ_PREFIXES)
