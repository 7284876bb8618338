"""Parts a live load could not read: traces through them say `unknown` (never a confident wrong
verdict), the parts have names, and the default targets a live account offers (engine/defaults.py).

The networks here are the seed scenario with one collection taken away and recorded in
``Network.unknowns`` as the live loader records an AccessDenied: the engine half of the
permission sweep in tests/live/test_aws_permissions.py, without AWS."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from vpctui.engine import matrix, trace
from vpctui.engine.defaults import default_targets, target_of_arn
from vpctui.loaders.scenario import load_scenario
from vpctui.model.network import Unknown
from vpctui.model.policy import Policy

SEED = Path(__file__).resolve().parents[2] / "scenarios" / "lambda-vpc.yaml"
S3 = "s3://vpc-notes-bucket/hello.txt"


def _without(net, field: str, kind: str, reason: str, extra: tuple = ()):
    return dataclasses.replace(net, **{field: ()}, unknowns=net.unknowns + (Unknown(kind, reason),) + extra)


def test_unread_prefix_lists_make_the_gateway_endpoint_path_unknown_not_no_route():
    net = load_scenario(SEED)
    assert trace(net, "lambda-4-endpoints", S3).verdict == "reachable"
    why = "ec2:DescribeManagedPrefixLists: UnauthorizedOperation"
    pls = tuple(Unknown(p.prefix_list_id, why, "ec2:DescribeManagedPrefixLists") for p in net.prefix_lists)
    blind = _without(net, "prefix_lists", "prefix_lists", why, pls)
    t = trace(blind, "lambda-4-endpoints", S3)
    assert t.verdict == "unknown", (t.verdict, t.drop.reason if t.drop else None)
    assert "ec2:DescribeManagedPrefixLists" in t.drop.explanation
    assert t.drop.reason != "NO_ROUTE_TO_DESTINATION"


def test_unread_internet_gateways_make_the_nat_path_unknown_not_detached():
    net = load_scenario(SEED)
    assert trace(net, "lambda-2-nat", S3).verdict == "reachable"
    blind = _without(net, "internet_gateways", "internet_gateways", "ec2:DescribeInternetGateways: UnauthorizedOperation")
    t = trace(blind, "lambda-2-nat", S3)
    assert t.verdict == "unknown"
    assert t.drop.reason != "BAD_STATE_ATTACHMENT" and t.drop.component_id.startswith("igw-")
    assert "ec2:DescribeInternetGateways" in t.drop.explanation


def test_a_secret_whose_arn_is_not_known_is_unknown_not_denied():
    """A secret's ARN ends in six random characters; without DescribeSecret/GetResourcePolicy the
    ARN is not known, and an identity policy naming `NAME-??????` cannot be matched against a
    made-up ARN."""
    from vpctui.model.network import Resource, Role

    net = load_scenario(SEED)
    fn = net.function_by_name["lambda-2-nat"]
    role = Role(role_name="r", arn=fn.role if fn.role.startswith("arn:") else "arn:aws:iam::111122223333:role/r",
                policies=(Policy.from_document({"Version": "2012-10-17", "Statement": [{
                    "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
                    "Resource": "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-??????"}]}),))
    fn2 = dataclasses.replace(fn, role=role.arn)
    known = Resource(service="secretsmanager", name="db", region="us-east-1",
                     arn="arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf")
    unknown = dataclasses.replace(known, arn="arn:aws:secretsmanager:us-east-1:111122223333:secret:db",
                                  arn_known=False, policy_error="secretsmanager:GetResourcePolicy: AccessDenied")
    base = dataclasses.replace(net, functions=(fn2,), roles=(role,), unknowns=())
    assert trace(dataclasses.replace(base, resources=(known,)), "lambda-2-nat", "secretsmanager:db").verdict == "reachable"
    t = trace(dataclasses.replace(base, resources=(unknown,)), "lambda-2-nat", "secretsmanager:db")
    assert t.verdict == "unknown" and "IDENTITY_POLICY_NO_ALLOW" not in {f.reason for p in t.paths for f in (p.drop, *p.blockers) if f}


def test_unknown_parts_have_names():
    net = dataclasses.replace(load_scenario(SEED), unknowns=(
        Unknown("network_acls", "ec2:DescribeNetworkAcls: UnauthorizedOperation", "ec2:DescribeNetworkAcls"),
        Unknown("vpc-1:enableDnsSupport", "ec2:DescribeVpcAttribute: AccessDenied"),
        Unknown("pl-63a5400a", "ec2:GetManagedPrefixListEntries: AccessDenied"),
        Unknown("arn:aws:iam::111122223333:role/r", "iam:ListRolePolicies: AccessDenied"),
        Unknown("resource_policies", "vpctui reads the policies of the targets asked about only"),
    ))
    assert [u.title for u in net.unknown_parts] == [
        "network ACLs", "the enableDnsSupport attribute of vpc-1", "the entries of prefix list pl-63a5400a",
        "the policies of role r"]


# ---- default targets -----------------------------------------------------------------------------


def test_default_targets_of_the_seed_are_what_its_role_may_call():
    net = dataclasses.replace(load_scenario(SEED), targets=())
    got = default_targets(net)
    assert [d.target for d in got] == ["s3://vpc-notes-bucket/*", "ssm:/vpc-notes/*"]
    assert got[0].origin.startswith("role notes-lambda-role may call s3:GetObject on arn:aws:s3:::vpc-notes-bucket/*")
    # the same verdicts as the scenario's own targets, per function and service
    want = {(t.source, t.target.split(":")[0]): t.verdict for t in matrix(net, [S3, "ssm:/vpc-notes/parameter"])}
    have = {(t.source, t.target.split(":")[0]): t.verdict for t in matrix(net, [d.target for d in got])}
    assert have == want


def test_default_targets_from_arns():
    r, a = "us-east-1", "111122223333"
    assert target_of_arn("arn:aws:s3:::b/k.txt", r, a) == ("s3-object", "s3://b/k.txt")
    assert target_of_arn("arn:aws:s3:::b", r, a) == ("s3-bucket", "s3://b")
    assert target_of_arn("arn:aws:s3:::b-*", r, a) is None  # a bucket pattern names no bucket
    assert target_of_arn("*", r, a) is None
    assert target_of_arn("arn:aws:dynamodb:us-east-1:111122223333:table/orders/index/by-date", r, a) == ("dynamodb", "dynamodb:orders")
    assert target_of_arn("arn:aws:dynamodb:us-east-1:111122223333:table/orders-*", r, a) is None
    assert target_of_arn("arn:aws:dynamodb:eu-west-1:111122223333:table/orders", r, a) is None  # another region
    assert target_of_arn("arn:aws:secretsmanager:us-east-1:111122223333:secret:db/creds-??????", r, a) == \
        ("secretsmanager", "secretsmanager:db/creds")
    assert target_of_arn("arn:aws:secretsmanager:*:*:secret:db/creds-AbC123", r, a) == ("secretsmanager", "secretsmanager:db/creds")
    assert target_of_arn("arn:aws:sqs:us-east-1:111122223333:jobs", r, a) == ("sqs", "sqs:jobs")
    assert target_of_arn("arn:aws:ssm:us-east-1:111122223333:parameter/app/*", r, a) == ("ssm", "ssm:/app/*")
    assert target_of_arn("arn:aws:ssm:us-east-1:111122223333:parameter/flat", r, a) == ("ssm", "ssm:flat")


def test_default_targets_need_the_traced_action_and_add_endpoint_services():
    from vpctui.model.network import Role

    net = load_scenario(SEED)
    role = net.roles[0]
    only_put = Policy.from_document({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "dynamodb:PutItem", "Resource": "arn:aws:dynamodb:us-east-1:*:table/writes-only"},
        {"Effect": "Allow", "NotAction": "iam:*", "Resource": "arn:aws:sqs:us-east-1:*:not-action"},
        {"Effect": "Allow", "Action": "sqs:*", "Resource": "arn:aws:sqs:us-east-1:*:jobs"}]})
    net = dataclasses.replace(net, targets=(), roles=(Role(role_name=role.role_name, arn=role.arn, policies=(only_put,)),))
    got = default_targets(net)
    targets = [d.target for d in got]
    assert "dynamodb:writes-only" not in targets and "sqs:not-action" not in targets
    assert targets[0] == "sqs:jobs"
    # no resource target for S3 or SSM any more: the VPC's endpoints name their services
    assert set(targets[1:]) == {"s3", "ssm"}
    assert any(d.origin.startswith("gateway endpoint vpce-") and d.target == "s3" for d in got)


# ---- the KMS key of a secret (engine/kms.py) -----------------------------------------------------

ACCT = "111122223333"
KEY = f"arn:aws:kms:us-east-1:{ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def _secret_net(key_policy, role_statements, key_error=None):
    from vpctui.model.network import Resource, Role

    net = load_scenario(SEED)
    fn = net.function_by_name["lambda-2-nat"]
    role_arn = f"arn:aws:iam::{ACCT}:role/app"
    role = Role(role_name="app", arn=role_arn, policies=(Policy.from_document({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"}, *role_statements]}),))
    secret = Resource(service="secretsmanager", name="db", region="us-east-1", account_id=ACCT,
                      arn=f"arn:aws:secretsmanager:us-east-1:{ACCT}:secret:db-AbCdEf", kms_key_arn=KEY)
    key = Resource(service="kms", name=KEY, region="us-east-1", arn=KEY, account_id=ACCT, policy_error=key_error,
                   policy=Policy.from_document(key_policy) if key_policy else None)
    return dataclasses.replace(net, account_id=ACCT, functions=(dataclasses.replace(fn, role=role_arn),), roles=(role,),
                               resources=(secret, key), unknowns=())


def _key_policy(principal, effect="Allow"):
    return {"Version": "2012-10-17", "Statement": [{"Effect": effect, "Principal": {"AWS": principal},
                                                     "Action": "kms:*" if effect == "Allow" else "kms:Decrypt", "Resource": "*"}]}


DECRYPT = {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": KEY}


def test_kms_key_policy_delegating_to_iam_needs_the_role_to_allow_decrypt():
    root = f"arn:aws:iam::{ACCT}:root"
    ok = trace(_secret_net(_key_policy(root), [DECRYPT]), "lambda-2-nat", "secretsmanager:db")
    assert ok.verdict == "reachable"
    assert any(h.component_id == KEY and h.result == "pass" for h in ok.paths[0].hops)
    no = trace(_secret_net(_key_policy(root), []), "lambda-2-nat", "secretsmanager:db")
    assert (no.verdict, no.drop.reason, no.drop.component_id) == ("blocked", "IDENTITY_POLICY_NO_ALLOW", f"arn:aws:iam::{ACCT}:role/app")
    assert "kms:Decrypt" in no.drop.explanation


def test_kms_key_policy_naming_the_role_is_enough_and_one_that_does_not_blocks():
    direct = trace(_secret_net(_key_policy(f"arn:aws:iam::{ACCT}:role/app"), []), "lambda-2-nat", "secretsmanager:db")
    assert direct.verdict == "reachable"
    other = trace(_secret_net(_key_policy(f"arn:aws:iam::{ACCT}:role/someone-else"), [DECRYPT]), "lambda-2-nat", "secretsmanager:db")
    assert (other.verdict, other.drop.reason, other.drop.component_id) == ("blocked", "RESOURCE_POLICY_DENY", KEY)


def test_an_unread_key_policy_is_unknown_naming_the_call():
    t = trace(_secret_net(None, [DECRYPT], key_error="kms:GetKeyPolicy: AccessDeniedException"), "lambda-2-nat", "secretsmanager:db")
    assert t.verdict == "unknown" and "kms:GetKeyPolicy" in t.drop.explanation
