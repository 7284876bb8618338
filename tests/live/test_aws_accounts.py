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


def test_several_accounts_give_one_merged_partial_network(session):
    """load_accounts(on_partial=...): once every account/region has its panes' parts, one merged
    partial network, in the calling thread; what any of them still loads is unknown in it. The
    IAM and DescribeVpcAttribute calls of both loads are held until it has been handed over."""
    import threading

    from vpctui.engine import matrix
    from vpctui.loaders.aws_multi import load_accounts

    envs.build_seed(session)
    eu = session.client("ec2", region_name="eu-west-1")
    eu_vpc = eu.create_vpc(CidrBlock="10.40.0.0/16", TagSpecifications=envs._spec("vpc", "eu-vpc"))["Vpc"]["VpcId"]
    eu_subnet = eu.create_subnet(VpcId=eu_vpc, CidrBlock="10.40.1.0/24", AvailabilityZone="eu-west-1a")["Subnet"]["SubnetId"]
    released = threading.Event()
    held: list[str] = []
    import boto3

    sessions = {}
    for region in ("us-east-1", "eu-west-1"):
        s = boto3.session.Session(region_name=region)

        def before_call(model, **_kw):
            if model.service_model.service_name == "iam" or model.name == "DescribeVpcAttribute":
                if not released.is_set():
                    held.append(model.name)
                released.wait(30)

        s.events.register("before-call", before_call)
        sessions[f"default@{region}"] = s
    partials, threads = [], []

    def on_partial(net):
        partials.append(net)
        threads.append(threading.current_thread())
        released.set()

    opts = AwsOptions(accounts=((None, None, "us-east-1"), (None, None, "eu-west-1")), targets=envs.TARGETS)
    try:
        full = load_accounts(opts, sessions=sessions, on_partial=on_partial)
    finally:
        released.set()
    assert len(partials) == 1 and threads == [threading.current_thread()]
    assert held, "the held calls had not answered when the partial network was made"
    part = partials[0]
    assert {s.subnet_id for s in part.subnets} == {s.subnet_id for s in full.subnets}
    assert eu_subnet in {s.subnet_id for s in part.subnets}
    assert part.source == full.source and "2 accounts" not in part.name  # one account, two regions
    loading = [u for u in part.unknowns if "still loading" in u.reason]
    assert any(u.kind.endswith(":enableDnsSupport") for u in loading)
    assert not [u for u in full.unknowns if "still loading" in u.reason]
    got = {(t.source, t.target): t.verdict for t in matrix(part, list(envs.TARGETS))}
    want = {(t.source, t.target): t.verdict for t in matrix(full, list(envs.TARGETS))}
    assert got.keys() == want.keys()
    for key, verdict in got.items():
        assert verdict in (want[key], "unknown"), (key, verdict, want[key])
    assert "reachable" in want.values() and "reachable" not in got.values()


def test_aws_source_passes_on_partial_to_several_accounts(session, monkeypatch):
    """What the TUI calls: AwsSource.load(..., on_partial=...) with several accounts/regions
    reaches load_accounts (the IAM calls held until the partial network is handed over)."""
    import threading

    import boto3

    import vpctui.loaders.aws as aws_mod

    envs.build_seed(session)
    released = threading.Event()
    sessions = {}
    for region in ("us-east-1", "eu-west-1"):
        s = boto3.session.Session(region_name=region)
        s.events.register("before-call.iam", lambda **_kw: (released.wait(30), None)[1])
        sessions[region] = s
    monkeypatch.setattr(aws_mod, "make_session", lambda o: sessions[o.region])
    partials = []

    def on_partial(net):
        partials.append(net)
        released.set()

    opts = AwsOptions(accounts=((None, None, "us-east-1"), (None, None, "eu-west-1")))
    try:
        full = AwsSource(opts).load(None, on_partial=on_partial)
    finally:
        released.set()
    assert len(partials) == 1 and partials[0].subnets and full.subnets
    assert {s.subnet_id for s in partials[0].subnets} == {s.subnet_id for s in full.subnets}
