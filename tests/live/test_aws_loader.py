"""The loader against moto's server: the seed's VPC and its two variants, built with boto3, give the
same verdicts as the scenario files."""

from __future__ import annotations

from pathlib import Path

import pytest

from vpctui.engine import matrix
from vpctui.loaders import AwsOptions, LoadError, load_source
from vpctui.loaders.aws import AwsSource
from vpctui.loaders.aws import load_account
from vpctui.loaders.scenario import load_scenario

from . import envs

pytestmark = pytest.mark.live

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
VARIANTS = {"": "lambda-vpc.yaml", "bucket-policy": "lambda-vpc-bucket-policy.yaml",
            "endpoint-sg": "lambda-vpc-endpoint-sg.yaml"}


def verdicts(net, targets, idmap=None):
    """(function, target) -> (verdict, symptom, first drop's reason, its component), ids mapped."""
    idmap = idmap or {}
    out = {}
    for t in matrix(net, targets):
        d = t.drop
        comp = d.component_id if d else None
        out[(t.source, t.target)] = (t.verdict, t.symptom, d.reason if d else None, idmap.get(comp, comp))
    return out


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_live_verdicts_equal_scenario(session, variant):
    scenario = load_scenario(SCENARIOS / VARIANTS[variant])
    targets = list(scenario.targets)
    built = envs.build_seed(session, variant)
    net = load_account(AwsOptions(region="us-east-1", targets=tuple(targets)), session=session)
    assert envs.failed(net) == []
    live = verdicts(net, targets, built.to_scenario())
    want = verdicts(scenario, targets)
    assert live == want
    # and the scenario's own expectations hold on the live network
    assert len(want) == len(scenario.functions) * len(targets)


def test_load_source_uses_boto3_chain(aws, session):
    """AWS_ENDPOINT_URL, AWS_REGION and the key variables come from the environment only."""
    envs.build_seed(session)
    msgs = []
    net = load_source(AwsSource(AwsOptions(targets=envs.TARGETS)), progress=msgs.append)
    assert net.source == "aws:123456789012/us-east-1"
    assert net.account_id == "123456789012"
    assert {f.function_name for f in net.functions} >= {"lambda-1-public", "lambda-4-endpoints"}
    assert any("account 123456789012" in m for m in msgs)
    assert any(m.startswith("loaded ") for m in msgs)


def test_facts_from_the_right_fields(session):
    built = envs.build_seed(session)
    net = load_account(AwsOptions(targets=envs.TARGETS), session=session)
    fn = net.function_by_name["lambda-4-endpoints"]
    # moto reports VpcConfig.VpcId "vpc-123abc"; the VPC comes from the subnets
    assert net.vpc_of_subnet(fn.subnet_ids[0]).vpc_id == built["vpc"]
    ssm = net.get(built["vpce-ssm"])
    # moto gives the endpoint's ENI the default group; the endpoint's own groups count
    assert ssm.security_group_ids == (built["sg-endpoint"],)
    assert ssm.private_dns_enabled and ssm.enis and ssm.enis[0].subnet_id == built["subnet4"]
    assert net.get(ssm.enis[0].subnet_id).contains(__import__("ipaddress").ip_address(ssm.enis[0].private_ip))
    vpc = net.get(built["vpc"])
    assert vpc.enable_dns_support and vpc.enable_dns_hostnames
    rt4 = net.get(built["rtb4"])
    assert any(r.target == built["vpce-s3"] and r.is_prefix_list for r in rt4.routes)
    pl = net.get(next(r.destination for r in rt4.routes if r.target == built["vpce-s3"]))
    assert pl.service_key == ("s3", "us-east-1") and pl.cidrs
    role = net.role_of(fn)
    assert role is not None and role.error is None and len(role.policies) == 2
    bucket = net.resource("s3", envs.BUCKET)
    assert bucket.region == "us-east-1" and bucket.policy is None and bucket.policy_error is None


def test_gateway_endpoint_route_from_its_route_tables(session):
    """A gateway endpoint associated with a table routes through it even when the table's routes
    do not list it (read from VpcEndpoint.RouteTableIds)."""
    built = envs.build_seed(session)
    ec2 = session.client("ec2")
    # associate the S3 endpoint with the NAT subnet's table too, then drop the route moto added
    ec2.modify_vpc_endpoint(VpcEndpointId=built["vpce-s3"], AddRouteTableIds=[built["rtb2"]])
    rt = ec2.describe_route_tables(RouteTableIds=[built["rtb2"]])["RouteTables"][0]
    for r in rt["Routes"]:
        if r.get("DestinationPrefixListId"):
            ec2.delete_route(RouteTableId=built["rtb2"], DestinationPrefixListId=r["DestinationPrefixListId"])
    net = load_account(AwsOptions(targets=envs.TARGETS), session=session)
    assert any(r.target == built["vpce-s3"] for r in net.get(built["rtb2"]).routes)
    t = {x.source: x for x in matrix(net, [envs.S3_TARGET])}
    assert t["lambda-2-nat"].verdict == "reachable"
    assert any(h.component_id == built["vpce-s3"] for h in t["lambda-2-nat"].paths[0].hops)


def test_route_to_deleted_nat_is_blackhole(session):
    built = envs.build_seed(session)
    session.client("ec2").delete_nat_gateway(NatGatewayId=built["nat"])
    net = load_account(AwsOptions(targets=envs.TARGETS), session=session)
    route = next(r for r in net.get(built["rtb2"]).routes if r.target == built["nat"])
    assert route.state == "blackhole"  # moto still says active; AWS says blackhole
    t = {x.source: x for x in matrix(net, [envs.S3_TARGET])}
    assert t["lambda-2-nat"].verdict == "blocked"
    assert t["lambda-2-nat"].drop.reason == "BAD_STATE_ROUTE"


def test_vpc_filter(session):
    built = envs.build_seed(session)
    net = load_account(AwsOptions(vpc_ids=(built["vpc"],), targets=envs.TARGETS), session=session)
    assert [v.vpc_id for v in net.vpcs] == [built["vpc"]]
    assert {s.vpc_id for s in net.subnets} == {built["vpc"]}
    assert len(net.functions) == 4
    with pytest.raises(LoadError, match="no such VPC"):
        load_account(AwsOptions(vpc_ids=("vpc-0123456789abcdef0",)), session=session)


def test_pol9_permissions_boundary_and_sdk_settings_are_read(session):
    """The role's permissions boundary (iam:GetRole) and the functions' endpoint settings (their
    environment variables) come from the account; a boundary without s3 makes S3 access-denied."""
    import json

    envs.build_seed(session)
    iam = session.client("iam")
    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ssm:*", "Resource": "*"}]}
    arn = iam.create_policy(PolicyName="only-ssm", PolicyDocument=json.dumps(doc))["Policy"]["Arn"]
    iam.put_role_permissions_boundary(RoleName="notes-lambda-role", PermissionsBoundary=arn)
    lam = session.client("lambda")
    lam.update_function_configuration(FunctionName="lambda-2-nat",
                                      Environment={"Variables": {"AWS_S3_US_EAST_1_REGIONAL_ENDPOINT": "regional",
                                                                 "DB_PASSWORD": "not kept"}})
    net = load_account(AwsOptions(targets=envs.TARGETS), session=session)
    role = next(r for r in net.roles if r.role_name == "notes-lambda-role")
    assert role.permissions_boundary is not None and role.boundary_error is None
    fn = net.function_by_name["lambda-2-nat"]
    assert fn.environment == (("AWS_S3_US_EAST_1_REGIONAL_ENDPOINT", "regional"),)
    t = {x.source: x for x in matrix(net, [envs.S3_TARGET])}
    assert t["lambda-2-nat"].drop.reason == "PERMISSIONS_BOUNDARY_NO_ALLOW"
