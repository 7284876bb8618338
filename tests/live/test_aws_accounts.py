"""Several accounts and regions in one network, against moto's server: moto keeps one state per
account id, and sts:AssumeRole into another account id gives credentials that act in it."""

from __future__ import annotations

import pytest

from vpctui.loaders import AwsOptions
from vpctui.loaders.aws import AwsSource
from vpctui.loaders.dump import network_to_yaml
from vpctui.loaders.scenario import parse_scenario

from . import envs
from .hub import aws_shaped_tgw, build_hub

pytestmark = pytest.mark.live

OTHER = "222233334444"
ROLE = f"arn:aws:iam::{OTHER}:role/vpctui-reader"


def _other_account(session, region="us-east-1"):
    import boto3

    creds = session.client("sts", region_name=region).assume_role(RoleArn=ROLE, RoleSessionName="test")["Credentials"]
    return boto3.session.Session(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                                 aws_session_token=creds["SessionToken"], region_name=region)


def test_two_accounts_and_two_regions_in_one_network(session):
    with aws_shaped_tgw():
        ids = build_hub(session)  # the hub account (moto's default 123456789012)
    other = _other_account(session)
    ec2 = other.client("ec2")
    app = ec2.create_vpc(CidrBlock="10.30.0.0/16", TagSpecifications=envs._spec("vpc", "app-vpc"))["Vpc"]["VpcId"]
    ec2.create_subnet(VpcId=app, CidrBlock="10.30.1.0/24", AvailabilityZone="us-east-1a")
    eu = session.client("ec2", region_name="eu-west-1")
    eu_vpc = eu.create_vpc(CidrBlock="10.40.0.0/16", TagSpecifications=envs._spec("vpc", "eu-vpc"))["Vpc"]["VpcId"]
    lines: list[str] = []
    opts = AwsOptions(accounts=((None, None, "us-east-1"), (None, None, "eu-west-1"), (None, ROLE, "us-east-1")))
    with aws_shaped_tgw():
        net = AwsSource(opts).load(lines.append)
    vpcs = {v.vpc_id: v for v in net.vpcs}
    assert ids["spoke-vpc"] in vpcs and app in vpcs and eu_vpc in vpcs
    assert vpcs[app].owner_id == OTHER and vpcs[ids["spoke-vpc"]].owner_id == "123456789012"
    assert net.get(ids["hub-tgw"]) is not None and net.get(ids["spokes"]) is not None
    # progress per account/region, and the merge says what it read
    assert any(line.startswith("[default@eu-west-1] ") for line in lines)
    assert any(line.startswith(f"[{OTHER}/vpctui-reader@us-east-1] ") for line in lines)
    assert any(line.startswith("merged 3 accounts/regions") for line in lines)
    # export writes one scenario that loads back to the same components
    back = parse_scenario(network_to_yaml(net), "merged.yaml")
    assert {v.vpc_id: v.owner_id for v in back.vpcs} == {v.vpc_id: v.owner_id for v in net.vpcs}
    assert back.transit_gateway_route_tables == net.transit_gateway_route_tables


def test_an_account_that_cannot_be_read_does_not_stop_the_others(session):
    lines: list[str] = []
    opts = AwsOptions(accounts=((None, None, "us-east-1"), ("no-such-profile", None, "us-east-1")))
    net = AwsSource(opts).load(lines.append)
    assert net.unknown("account:no-such-profile@us-east-1")
    assert any("could not be read" in line for line in lines)


def test_cli_builds_the_account_list():
    from vpctui import cli

    p = cli._parser("export")
    args = p.parse_args(["--aws", "--profile", "a", "--profile", "b", "--region", "us-east-1", "--region", "eu-west-1",
                         "-o", "x.yaml"])
    o = cli._aws_options(args, ())
    assert o.accounts == (("a", None, "us-east-1"), ("a", None, "eu-west-1"), ("b", None, "us-east-1"),
                          ("b", None, "eu-west-1"))
    args = p.parse_args(["--aws", "--assume-role", ROLE, "-o", "x.yaml"])
    assert cli._aws_options(args, ()).accounts == ((None, ROLE, None),)
    args = p.parse_args(["--aws", "--profile", "a", "-o", "x.yaml"])
    assert cli._aws_options(args, ()).accounts == () and cli._aws_options(args, ()).profile == "a"
