"""The targets of a live account: resource policies of tables, queues and secrets, the KMS key of a
SecureString parameter or a secret, and the default targets when no --to is given (the roles'
policies and the VPC endpoints), against moto's server with AWS_REGION alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vpctui.engine import matrix
from vpctui.engine.defaults import default_targets
from vpctui.loaders import AwsOptions
from vpctui.loaders.aws import load_account
from vpctui.loaders.scenario import load_scenario

from . import envs
from .test_aws_permissions import deny

pytestmark = pytest.mark.live

ROOT = Path(__file__).resolve().parents[2]


def test_resource_policies_and_keys_of_the_targets_are_read(session):
    envs.build_seed(session)
    made = envs.build_targets(session, deny_table=True)
    net = load_account(AwsOptions(targets=envs.TARGETS + envs.EXTRA_TARGETS), session=session)
    assert envs.failed(net) == []
    table = net.resource("dynamodb", envs.TABLE)
    assert table.arn == made["table"] and table.policy is not None and table.policy.statements[0].sid == "OnlyFromTheVpc"
    queue = net.resource("sqs", envs.QUEUE)
    assert queue.arn == made["queue"] and queue.policy.statements[0].sid == "SendersInTheAccount"
    secret = net.resource("secretsmanager", envs.SECRET)
    assert secret.arn == made["secret"] and secret.arn != f"{made['secret'].rsplit('-', 1)[0]}"  # the random suffix
    assert secret.policy.statements[0].sid == "ReadersInTheAccount" and secret.kms_key_arn == made["key"]
    param = net.resource("ssm", envs.SECURE_PARAM)
    assert param.kms_key_arn == made["key"]
    key = net.resource("kms", made["key"])
    assert key is not None and key.policy is not None and key.policy_error is None
    t = {(x.source, x.target): x for x in matrix(net, list(envs.EXTRA_TARGETS))}
    # the table's policy denies every call that does not come through a VPC endpoint it names
    nat_table = t[("lambda-2-nat", f"dynamodb:{envs.TABLE}")]
    assert nat_table.verdict == "blocked" and nat_table.drop.reason == "RESOURCE_POLICY_DENY"
    assert nat_table.drop.component_id == made["table"]
    # the role allows the secret as `NAME-??????`: it matches the real ARN
    assert t[("lambda-2-nat", f"secretsmanager:{envs.SECRET}")].verdict == "reachable"
    assert t[("lambda-2-nat", f"sqs:{envs.QUEUE}")].verdict == "reachable"


def test_an_unreadable_key_policy_is_a_named_unknown_part(session):
    envs.build_seed(session)
    envs.build_targets(session)
    deny(session, "kms:GetKeyPolicy")
    net = load_account(AwsOptions(targets=envs.EXTRA_TARGETS), session=session)
    parts = [u for u in net.unknown_parts if u.action == "kms:GetKeyPolicy"]
    assert parts and parts[0].title.startswith("the policy of arn:aws:kms:")


def test_default_targets_from_the_live_roles_and_endpoints(session):
    envs.build_seed(session)
    envs.build_targets(session)
    net = load_account(AwsOptions(), session=session,
                       more_targets=lambda n: [d.target for d in default_targets(n)])
    got = default_targets(net)
    targets = [d.target for d in got]
    assert targets == ["s3://vpc-notes-bucket/*", "ssm:/vpc-notes/*", f"dynamodb:{envs.TABLE}", f"sqs:{envs.QUEUE}",
                       f"secretsmanager:{envs.SECRET}"]
    assert net.targets == tuple(targets)
    # their resource policies were read as if they had been asked for
    assert net.resource("dynamodb", envs.TABLE).policy is not None
    assert net.resource("secretsmanager", envs.SECRET).policy is not None


def test_matrix_aws_without_to_uses_the_default_targets(session):
    """The CLI with AWS_REGION alone (no AWS_DEFAULT_REGION, no --region) and no --to."""
    envs.build_seed(session)
    env = dict(os.environ)
    assert env.get("AWS_REGION") == "us-east-1" and "AWS_DEFAULT_REGION" not in env
    p = subprocess.run([sys.executable, "-m", "vpctui", "matrix", "--aws", "--json"], capture_output=True, text=True,
                       env=env, timeout=120, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    assert "vpctui: no --to given: the default targets" in p.stderr
    assert "vpctui:   s3://vpc-notes-bucket/*  ← role notes-lambda-role may call s3:GetObject on arn:aws:s3:::vpc-notes-bucket/*" in p.stderr
    got = {(r["source"], r["target"]): r["verdict"] for r in json.loads(p.stdout)["results"]}
    assert {t for _, t in got} == {"s3://vpc-notes-bucket/*", "ssm:/vpc-notes/*"}
    scenario = load_scenario(ROOT / "scenarios" / "lambda-vpc.yaml")
    want = {t.source: t.verdict for t in matrix(scenario, [envs.S3_TARGET])}
    assert {s: v for (s, t), v in got.items() if t.startswith("s3://")} == want
