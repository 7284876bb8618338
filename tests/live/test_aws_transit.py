"""Transit gateways and private hosted zones from moto's server, and AWS-shaped responses where
moto 5.2.x differs from AWS (docs/live-aws.md, "moto compared with AWS")."""

from __future__ import annotations

import pytest

from vpctui.loaders import AwsOptions
from vpctui.loaders.aws import load_account

from . import envs
from .hub import aws_shaped_tgw, build_hub

pytestmark = pytest.mark.live


def _load(session):
    return load_account(AwsOptions(region="us-east-1"), session=session)


def test_transit_gateways_attachments_and_tables_from_moto(session):
    with aws_shaped_tgw():
        ids = build_hub(session)
        net = _load(session)
    assert envs.failed(net) == []
    tgw = net.get(ids["hub-tgw"])
    assert tgw.name == "hub-tgw" and not tgw.default_route_table_association and not tgw.default_route_table_propagation
    spoke = net.get(ids["spoke-attach"])
    assert spoke.is_vpc and spoke.resource_id == ids["spoke-vpc"]
    assert set(spoke.subnet_ids) == {ids["spoke-tgw-a"], ids["spoke-tgw-b"]}
    spokes, hub = net.get(ids["spokes"]), net.get(ids["hub"])
    assert spokes.associations == (ids["spoke-attach"],)
    assert set(hub.associations) == {ids["egress-attach"], ids["shared-attach"]}
    assert ids["spoke-attach"] in hub.propagations
    routes = {(r.destination_cidr_block, r.attachment_id, r.state, r.route_type) for r in spokes.routes}
    assert ("0.0.0.0/0", ids["egress-attach"], "active", "static") in routes
    assert ("10.99.0.0/16", None, "blackhole", "static") in routes
    assert ("10.2.0.0/16", ids["shared-attach"], "active", "propagated") in routes
    hub_routes = {(r.destination_cidr_block, r.attachment_id) for r in hub.routes}
    assert ("10.1.0.0/16", ids["spoke-attach"]) in hub_routes
    # the VPC route tables point at the TGW
    assert any(r.target == ids["hub-tgw"] for r in net.get(ids["spoke-app"]).routes)
    # the private hosted zone associated with the spoke, with its record
    z = next(z for z in net.private_hosted_zones if z.name == "corp.internal")
    assert z.vpc_ids == (ids["spoke-vpc"],) and ("api.corp.internal", "10.2.1.20") in z.records


def test_moto_static_route_without_attachment_is_unknown_not_a_guess(session):
    """moto returns a static route without its target attachment; AWS never does. The loader does
    not invent a target: the table's routes are unknown (TGW_RTB_ROUTES_ARE_UNKNOWN in a trace)."""
    ids = build_hub(session)
    net = _load(session)  # moto as it is
    spokes = net.get(ids["spokes"])
    assert net.unknown(ids["spokes"]) and "no target attachment" in net.unknown(ids["spokes"])
    assert all(r.attachment_id is not None or r.state == "blackhole" for r in spokes.routes)


def test_propagation_off_leaves_no_route_back(session):
    with aws_shaped_tgw():
        ids = build_hub(session, propagate_spoke=False)
        net = _load(session)
    hub = net.get(ids["hub"])
    assert ids["spoke-attach"] not in hub.propagations
    assert not any(r.attachment_id == ids["spoke-attach"] for r in hub.routes)


def test_missing_association(session):
    with aws_shaped_tgw():
        ids = build_hub(session, associate_spoke=False)
        net = _load(session)
    assert ids["spoke-attach"] not in net.tgw_route_table_of_attachment


def answer(session, event: str, reply) -> None:
    """Answer every ``event`` call (``ec2.SearchTransitGatewayRoutes``) with ``reply(params)``, a
    response as AWS documents it, before it reaches the server (thread-safe, unlike a Stubber's
    fixed order)."""
    from botocore.awsrequest import AWSResponse

    def handler(params, **_kw):
        # params is the serialized request: the EC2 query body holds the API parameters
        return AWSResponse("https://stub", 200, {}, None), reply(params.get("body") or {})

    session.events.register(f"before-call.{event}", handler)


def test_aws_shaped_route_search(session):
    """SearchTransitGatewayRoutes as the EC2 API reference documents it: static, propagated and
    blackhole routes; a route to an attachment that no longer exists; more than 1,000 routes."""
    with aws_shaped_tgw():
        ids = build_hub(session)
    spokes, hub = ids["spokes"], ids["hub"]

    def reply(params):
        rid = params["TransitGatewayRouteTableId"]
        assert (params["Filter.1.Name"], params["Filter.1.Value.1"], params["Filter.1.Value.2"]) == ("state", "active", "blackhole")
        att = lambda aid, vpc: [{"TransitGatewayAttachmentId": aid, "ResourceId": vpc, "ResourceType": "vpc"}]  # noqa: E731
        if rid == spokes:
            return {"Routes": [
                {"DestinationCidrBlock": "0.0.0.0/0", "Type": "static", "State": "active",
                 "TransitGatewayAttachments": att(ids["egress-attach"], ids["egress-vpc"])},
                {"DestinationCidrBlock": "10.2.0.0/16", "Type": "propagated", "State": "active",
                 "TransitGatewayAttachments": att(ids["shared-attach"], ids["shared-vpc"])},
                {"DestinationCidrBlock": "10.99.0.0/16", "Type": "static", "State": "blackhole"},
                {"DestinationCidrBlock": "10.77.0.0/16", "Type": "static", "State": "active",
                 "TransitGatewayAttachments": att("tgw-attach-0deleted00000000", "vpc-0gone")},
            ], "AdditionalRoutesAvailable": False}
        if rid == hub:
            return {"Routes": [{"DestinationCidrBlock": "10.1.0.0/16", "Type": "propagated", "State": "active",
                                "TransitGatewayAttachments": att(ids["spoke-attach"], ids["spoke-vpc"])}],
                    "AdditionalRoutesAvailable": True}
        return {"Routes": [], "AdditionalRoutesAvailable": False}

    answer(session, "ec2.SearchTransitGatewayRoutes", reply)
    net = _load(session)
    got = {(r.destination_cidr_block, r.attachment_id, r.state, r.route_type) for r in net.get(spokes).routes}
    assert got == {("0.0.0.0/0", ids["egress-attach"], "active", "static"),
                   ("10.2.0.0/16", ids["shared-attach"], "active", "propagated"),
                   ("10.99.0.0/16", None, "blackhole", "static"),
                   ("10.77.0.0/16", "tgw-attach-0deleted00000000", "blackhole", "static")}
    assert not net.unknown(spokes)
    assert "reports more" in net.unknown(hub)


def test_alias_record_to_a_centralized_endpoint(session):
    """A private hosted zone for ssm.REGION.amazonaws.com with an alias to an interface endpoint in
    another VPC (centralized endpoints): the record answers with the endpoint's ENI address."""
    built = envs.build_seed(session)
    ec2 = session.client("ec2", region_name="us-east-1")
    ep = ec2.describe_vpc_endpoints(VpcEndpointIds=[built["vpce-ssm"]])["VpcEndpoints"][0]
    other = ec2.create_vpc(CidrBlock="10.50.0.0/16")["Vpc"]["VpcId"]
    r53 = session.client("route53", region_name="us-east-1")
    zid = r53.create_hosted_zone(Name="ssm.us-east-1.amazonaws.com", CallerReference="c1",
                                 HostedZoneConfig={"Comment": "", "PrivateZone": True},
                                 VPC={"VPCRegion": "us-east-1", "VPCId": other})["HostedZone"]["Id"].rsplit("/", 1)[-1]
    dns = f"{built['vpce-ssm']}-abcd1234.ssm.us-east-1.vpce.amazonaws.com"
    r53.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={"Changes": [{"Action": "CREATE", "ResourceRecordSet": {
        "Name": "ssm.us-east-1.amazonaws.com", "Type": "A",
        "AliasTarget": {"HostedZoneId": "Z7HUB22UULQXV", "DNSName": dns, "EvaluateTargetHealth": False}}}]})
    net = _load(session)
    z = next(z for z in net.private_hosted_zones if z.name == "ssm.us-east-1.amazonaws.com")
    endpoint = net.get(built["vpce-ssm"])
    assert z.vpc_ids == (other,)
    assert z.records == (("ssm.us-east-1.amazonaws.com", endpoint.enis[0].private_ip),)
    assert ep["VpcEndpointId"] == endpoint.vpc_endpoint_id


def test_appliance_eni_route_and_source_dest_check(session):
    """A route to an appliance's ENI (source/destination check off) is a route to the host that ENI
    is; the check comes from DescribeNetworkInterfaces' SourceDestCheck."""
    with aws_shaped_tgw():
        ids = build_hub(session)
    ec2 = session.client("ec2", region_name="us-east-1")
    eni = ec2.create_network_interface(SubnetId=ids["egress-public-a"], PrivateIpAddress="10.100.0.50",
                                       Description="firewall appliance")["NetworkInterface"]["NetworkInterfaceId"]
    ec2.modify_network_interface_attribute(NetworkInterfaceId=eni, SourceDestCheck={"Value": False})
    ec2.replace_route(RouteTableId=ids["egress-tgw-a"], DestinationCidrBlock="0.0.0.0/0", NetworkInterfaceId=eni)
    with aws_shaped_tgw():
        net = _load(session)
    h = net.get(eni)
    assert h is not None and h.source_dest_check is False
    assert any(r.destination == "0.0.0.0/0" and r.target == eni for r in net.get(ids["egress-tgw-a"]).routes)


def _internet_names(net):
    """A live account declares no internet names (vpctui knows no public DNS offline, so an
    undeclared name is unknown); the teaching scenarios declare api.stripe.com: declare it here too."""
    from dataclasses import replace

    from vpctui.model.network import ExternalHost

    return replace(net, external_hosts=(ExternalHost(name="api.stripe.com"),))


@pytest.mark.parametrize("variant,scenario", [
    ({}, "tgw-centralized-egress.yaml"),
    ({"propagate_spoke": False}, "tgw-propagation-off.yaml"),
    ({"associate_spoke": False}, "tgw-missing-association.yaml"),
    ({"spoke_azs": ("a",)}, "tgw-az-rule.yaml"),
])
def test_live_hub_traces_like_the_teaching_scenario(session, variant, scenario):
    """The hub and spoke built in moto (with the in-test patch) gives the verdict and reason of the
    teaching scenario it mirrors, for the internet through the egress VPC and for the shared VPC's API."""
    from pathlib import Path

    from vpctui.engine import trace
    from vpctui.loaders.scenario import load_scenario

    with aws_shaped_tgw():
        ids = build_hub(session, function=True, **variant)
        net = _internet_names(_load(session))
    want = load_scenario(Path(__file__).resolve().parents[2] / "scenarios" / scenario)
    names = {"tgw-attach-0spoke01": ids["spoke-attach"], "tgw-rtb-0hub0001": ids["hub"], "tgw-rtb-0spokes01": ids["spokes"]}
    for live_target, file_target in (("https://api.stripe.com", "https://api.stripe.com"),
                                     ("10.2.1.20:443", "inventory-api:443")):
        got, exp = trace(net, "orders", live_target), trace(want, "orders", file_target)
        # the scenario's function has the same two subnets (plus a third AZ in the AZ-rule file)
        if scenario == "tgw-az-rule.yaml":
            assert got.verdict == "intermittent"
            b = next(p for p in got.paths if p.verdict != "reachable")
            assert (b.drop.reason, b.drop.component_id) == ("TGW_ROUTE_AZ_RESTRICTION", ids["spoke-attach"])
            continue
        assert got.verdict == exp.verdict, (live_target, got.verdict, exp.verdict)
        if exp.paths[0].drop is not None:
            d, e = got.paths[0].drop, exp.paths[0].drop
            assert (d.reason, d.component_id) == (e.reason, names.get(e.component_id, e.component_id))


@pytest.mark.parametrize("deny", [False, True], ids=["read", "denied"])
def test_network_firewall_endpoints_are_pass_through_hops(session, deny):
    """AWS Network Firewall's endpoints come from DescribeFirewall's SyncStates (answered as the
    Network Firewall API reference documents it: moto reports none); a route to one is followed as
    a pass-through hop, and while firewalls cannot be read a route to an unknown vpce- is unknown,
    not a blackhole."""
    from vpctui.engine import trace

    with aws_shaped_tgw():
        ids = build_hub(session, function=True)
    import boto3

    ec2 = session.client("ec2", region_name="us-east-1")
    fw_endpoint = "vpce-0f1e2d3c4b5a69788"
    rt = ec2.create_route_table(VpcId=ids["egress-vpc"])["RouteTable"]["RouteTableId"]
    ec2.associate_route_table(RouteTableId=rt, SubnetId=ids["egress-fw-a"])
    nat = ec2.describe_nat_gateways(Filters=[{"Name": "subnet-id", "Values": [ids["egress-public-a"]]}])["NatGateways"][0]
    ec2.create_route(RouteTableId=rt, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat["NatGatewayId"])

    def reply(params):
        return {"Firewall": {"FirewallName": "egress-fw", "FirewallArn": ids["firewall"], "VpcId": ids["egress-vpc"],
                             "FirewallPolicyArn": "arn:aws:network-firewall:us-east-1:123456789012:firewall-policy/egress",
                             "SubnetMappings": [{"SubnetId": ids["egress-fw-a"]}], "FirewallId": "fw-1"},
                "FirewallStatus": {"Status": "READY", "ConfigurationSyncStateSummary": "IN_SYNC", "SyncStates": {
                    "us-east-1a": {"Attachment": {"SubnetId": ids["egress-fw-a"], "EndpointId": fw_endpoint,
                                                  "Status": "READY"}}}}}

    if deny:
        from .test_aws_faults import fail

        fail(session, "network-firewall.ListFirewalls", 400,
             '{"__type": "AccessDeniedException", "message": "not authorized"}', times=99)
    answer(session, "network-firewall.DescribeFirewall", reply)
    # moto refuses a route to an endpoint it does not know: DescribeRouteTables is answered with moto's
    # tables, the egress attachment subnet's 0.0.0.0/0 pointing at the firewall endpoint as AWS reports
    # it (GatewayId vpce-…)
    plain = boto3.session.Session().client("ec2", region_name="us-east-1")

    def tables(_params):
        out = plain.describe_route_tables()
        for t in out["RouteTables"]:
            if t["RouteTableId"] == ids["egress-tgw-a"]:
                for r in t["Routes"]:
                    if r.get("DestinationCidrBlock") == "0.0.0.0/0":
                        r.pop("NatGatewayId", None)
                        r["GatewayId"] = fw_endpoint
        out.pop("ResponseMetadata", None)
        return out

    answer(session, "ec2.DescribeRouteTables", tables)
    with aws_shaped_tgw():
        net = _internet_names(_load(session))
    tr = trace(net, "orders", "https://api.stripe.com")
    if deny:
        a = next(p for p in tr.paths if p.subnet_id == ids["spoke-app-a"])
        assert net.unknown("network_firewalls") and "AccessDenied" in net.unknown("network_firewalls")
        assert a.verdict == "unknown" and a.drop.component_id == fw_endpoint
        return
    ep = net.get(fw_endpoint)
    assert ep is not None and ep.is_gateway_load_balancer and ep.subnet_ids == (ids["egress-fw-a"],)
    tr = trace(net, "orders", "https://api.stripe.com")
    a = next(p for p in tr.paths if p.subnet_id == ids["spoke-app-a"])
    assert a.verdict == "reachable" and any(h.component_id == fw_endpoint for h in a.hops), (a.drop, [(h.component_id, h.result) for h in a.hops[4:]])
    assert any("PATH_THROUGH_GWLB_NOT_CHECKED" in n for n in a.notes)
