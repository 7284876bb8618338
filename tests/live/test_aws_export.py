"""Export of a live account: the scenario file traces exactly like the account; --redact replaces
account ids consistently (ARNs and policies included) without changing any verdict."""

from __future__ import annotations

import json

import pytest

from vpctui.engine import matrix
from vpctui.loaders import AwsOptions, load_source
from vpctui.loaders.aws import AwsSource
from vpctui.loaders.aws import load_account
from vpctui.loaders.dump import component_to_yaml, network_to_yaml
from vpctui.loaders.redact import Redactor
from vpctui.loaders.scenario import load_scenario, parse_scenario

from . import envs

pytestmark = pytest.mark.live

ACCOUNT = "123456789012"  # moto's account


def traces(net, targets):
    """Every trace as data: verdicts, symptoms, messages, drops, blockers, notes, and each hop's
    component and result. Hop detail text is left out: the scenario loader adds its own
    prefix-list route for a gateway endpoint whose real prefix-list id differs from the one it
    assumes (moto's ids; real AWS outside us-east-1), which adds "(beats pl-…)" to one hop's text
    without changing any result (see docs/live-aws.md)."""
    out = []
    for t in matrix(net, targets):
        d = t.to_dict()
        for p in d["paths"]:
            p["hops"] = [{k: v for k, v in h.items() if k != "detail"} for h in p["hops"]]
        out.append(d)
    return out


@pytest.mark.parametrize("variant", ["", "bucket-policy", "endpoint-sg"])
def test_export_round_trip(session, tmp_path, variant):
    envs.build_seed(session, variant)
    targets = envs.TARGETS + (f"s3://{envs.BUCKET}",)
    net = load_account(AwsOptions(region="us-east-1", targets=targets), session=session)
    path = tmp_path / "export.yaml"
    path.write_text(network_to_yaml(net))
    back = load_scenario(path)
    assert back.account_id == ACCOUNT and back.region == "us-east-1"
    assert traces(back, targets) == traces(net, targets)


def test_redacted_export(session, tmp_path):
    built = envs.build_seed(session, "bucket-policy")
    # a bucket policy naming accounts: ours and a partner's
    s3 = session.client("s3")
    doc = envs.bucket_policy(built["vpce-s3"])
    doc["Statement"].append({"Sid": "partner", "Effect": "Allow",
                             "Principal": {"AWS": [f"arn:aws:iam::{ACCOUNT}:root", "arn:aws:iam::444455556666:root"]},
                             "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{envs.BUCKET}"})
    s3.put_bucket_policy(Bucket=envs.BUCKET, Policy=json.dumps(doc))
    targets = envs.TARGETS
    net = load_source(AwsSource(AwsOptions(targets=targets, redact=True)))
    assert net.account_id == "111111111111"
    assert net.source == "aws:111111111111/us-east-1"
    text = network_to_yaml(net)
    assert ACCOUNT not in text and "444455556666" not in text
    assert "arn:aws:iam::222222222222:root" in text  # the partner, consistently replaced
    fn = net.function_by_name["lambda-2-nat"]
    assert fn.role.startswith("arn:aws:iam::111111111111:role/")
    assert net.role_of(fn) is not None  # the function's role ARN still names the role
    plain = load_account(AwsOptions(targets=targets), session=session)
    assert [(t.source, t.target, t.verdict, t.symptom) for t in matrix(net, list(targets))] == \
           [(t.source, t.target, t.verdict, t.symptom) for t in matrix(plain, list(targets))]
    back = parse_scenario(text, "redacted.yaml")
    assert traces(back, list(targets)) == traces(net, list(targets))


def test_redactor_is_consistent():
    r = Redactor("123456789012")
    assert r.text("arn:aws:iam::123456789012:role/x") == "arn:aws:iam::111111111111:role/x"
    assert r.text("444455556666 and 123456789012") == "222222222222 and 111111111111"
    # digits inside ids are not account ids
    assert r.text("vpc-0123456789012abcd") == "vpc-0123456789012abcd"
    assert r.text("10.0.0.0/16") == "10.0.0.0/16"


def test_component_yaml_of_live_resources(session):
    built = envs.build_seed(session)
    net = load_account(AwsOptions(targets=envs.TARGETS), session=session)
    text = component_to_yaml(net, built["sg-endpoint"])
    assert text.startswith("security_groups:")
    assert "10.0.0.0/16" in text
    assert component_to_yaml(net, built["vpce-ssm"]).startswith("vpc_endpoints:")
