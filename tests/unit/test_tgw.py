"""Transit gateways: the scenario format (line-numbered errors, propagated routes), the exporter,
and (once the engine follows them) the rules TGW-1.. of docs/aws-behaviour.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from vpctui.loaders.dump import component_to_yaml, network_to_dict, network_to_yaml
from vpctui.loaders.scenario import ScenarioError, load_scenario, parse_scenario

ROOT = Path(__file__).resolve().parents[2]
EGRESS = ROOT / "tests" / "unit" / "data" / "tgw-hub.yaml"


def errors(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as e:
        parse_scenario(text, "x.yaml")
    return e.value.errors


def _base() -> str:
    return EGRESS.read_text()


def test_propagations_make_routes_from_the_vpc_cidrs():
    net = load_scenario(EGRESS)
    hub = net.get("tgw-rtb-0hub0001")
    got = {(r.destination_cidr_block, r.attachment_id, r.route_type) for r in hub.routes}
    assert ("10.1.0.0/16", "tgw-attach-0spoke01", "propagated") in got
    assert net.tgw_route_table_of_attachment["tgw-attach-0spoke01"].transit_gateway_route_table_id == "tgw-rtb-0spokes01"
    assert net.tgw_attachment_of_vpc[("tgw-0hub0001", "vpc-0spoke001")].transit_gateway_attachment_id == "tgw-attach-0spoke01"


def test_two_attachment_subnets_in_one_az_is_an_error_with_its_line():
    text = _base().replace("subnet_ids: [spoke-tgw-a, spoke-tgw-b]", "subnet_ids: [spoke-tgw-a, spoke-app-a]")
    errs = errors(text)
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "spoke-tgw-a, spoke-app-a" in l)
    assert any(e.startswith(f"x.yaml:{line}: transit_gateway_attachments[0].subnet_ids:") and "us-east-1a" in e for e in errs), errs


def test_an_attachment_in_two_route_tables_is_an_error():
    text = _base().replace("associations: [egress-attach, shared-attach]", "associations: [egress-attach, spoke-attach]")
    errs = errors(text)
    assert any("transit_gateway_route_tables[1].associations" in e and "already associated" in e for e in errs), errs


def test_route_needs_an_attachment_or_blackhole_and_names_are_checked():
    text = _base().replace("      - {destination: 0.0.0.0/0, attachment: egress-attach}",
                           "      - {destination: 0.0.0.0/0}\n      - {destination: 10.9.0.0/16, attachment: egres-attach}")
    errs = errors(text)
    assert any("transit_gateway_route_tables[0].routes[0]: a route needs an attachment, or blackhole: true" in e for e in errs), errs
    assert any("routes[1].attachment: attachment 'egres-attach' is not defined (did you mean 'egress-attach'?)" in e for e in errs), errs


def test_attachment_subnet_outside_its_vpc_is_an_error():
    text = _base().replace("vpc_id: egress-vpc, subnet_ids: [egress-tgw-a, egress-tgw-b]",
                           "vpc_id: egress-vpc, subnet_ids: [egress-tgw-a, spoke-tgw-b]")
    assert any("is in vpc-0spoke001, not in vpc-0egress01" in e for e in errors(text))


def test_vpn_attachment_has_no_subnets():
    text = _base().replace("transit_gateway_route_tables:", """  - {transit_gateway_attachment_id: tgw-attach-0vpn0001, transit_gateway_id: hub-tgw,
     resource_type: vpn, resource_id: vpn-0onprem, subnet_ids: [spoke-tgw-a]}

transit_gateway_route_tables:""")
    assert any("only VPC attachments have subnet_ids (this one is vpn)" in e for e in errors(text))


def test_export_round_trips_transit_gateways():
    net = load_scenario(EGRESS)
    back = parse_scenario(network_to_yaml(net), "exported")
    assert back.transit_gateways == net.transit_gateways
    assert back.transit_gateway_attachments == net.transit_gateway_attachments
    assert back.transit_gateway_route_tables == net.transit_gateway_route_tables
    assert network_to_dict(back) == network_to_dict(net)
    # a propagated route is written only where the propagations would not make it again
    rtb = next(r for r in network_to_dict(net)["transit_gateway_route_tables"] if r["name"] == "hub")
    assert rtb["routes"] == [] and rtb["propagations"] == ["tgw-attach-0spoke01", "tgw-attach-0shared1"]
    assert "transit_gateway_route_tables" in component_to_yaml(net, "tgw-rtb-0hub0001")


# --------------------------------------------------------------------------------------------------
# the engine (docs/aws-behaviour.md TGW-1..)

from vpctui.engine import trace  # noqa: E402


def _net(text: str = ""):
    return parse_scenario(text or _base(), "hub.yaml")


def _drop(tr, i=0):
    return tr.paths[i].drop


def test_tgw1_az_rule_is_per_subnet():
    text = _base().replace("subnet_ids: [spoke-tgw-a, spoke-tgw-b]", "subnet_ids: [spoke-tgw-a]")
    tr = trace(_net(text), "orders", "https://api.stripe.com")
    assert tr.verdict == "intermittent"
    a, b = tr.paths
    assert a.verdict == "reachable"
    assert (b.drop.reason, b.drop.component_id) == ("TGW_ROUTE_AZ_RESTRICTION", "tgw-attach-0spoke01")
    assert "us-east-1b" in b.drop.fix


def test_tgw2_static_beats_propagated_for_the_same_prefix():
    text = _base().replace("      - {destination: 0.0.0.0/0, attachment: egress-attach}",
                           "      - {destination: 0.0.0.0/0, attachment: egress-attach}\n"
                           "      - {destination: 10.2.0.0/16, attachment: egress-attach}")
    tr = trace(_net(text), "orders", "inventory-api:443")
    hop = next(h for h in tr.paths[0].hops if h.component_id == "tgw-rtb-0spokes01")
    assert "10.2.0.0/16 → tgw-attach-0egress1" in hop.detail and "[propagated]" not in hop.detail
    assert hop.highlight.kind == "tgw_route" and hop.highlight.key == "10.2.0.0/16"


def test_tgw7_security_groups_see_the_spoke_cidr_not_the_function_sg():
    tr = trace(_net(), "orders", "inventory-db:5432")
    d = _drop(tr)
    assert (d.reason, d.component_id) == ("ENI_SG_RULES_MISMATCH", "sg-0shrdb")
    assert "10.1.0.0/16" in d.fix
    assert any("TGW-7" in n for n in tr.paths[0].notes)


def test_vpn_attachment_ends_unknown_with_the_reason():
    text = _base().replace("transit_gateway_route_tables:", """  - {transit_gateway_attachment_id: tgw-attach-0vpn0001, name: onprem-vpn, transit_gateway_id: hub-tgw,
     resource_type: vpn, resource_id: vpn-0onprem}

transit_gateway_route_tables:""").replace(
        "      - {destination: 0.0.0.0/0, attachment: egress-attach}",
        "      - {destination: 0.0.0.0/0, attachment: egress-attach}\n      - {destination: 192.168.0.0/16, attachment: onprem-vpn}")
    tr = trace(_net(text), "orders", "192.168.1.10:443")
    d = _drop(tr)
    assert tr.verdict == "unknown" and (d.reason, d.component_id) == ("UNKNOWN_DESTINATION", "tgw-attach-0vpn0001")
    assert "VPN" in d.explanation


def test_appliance_mode_is_noted():
    text = _base().replace("vpc_id: egress-vpc, subnet_ids: [egress-tgw-a, egress-tgw-b]}",
                           "vpc_id: egress-vpc, subnet_ids: [egress-tgw-a, egress-tgw-b], appliance_mode_support: true}")
    tr = trace(_net(text), "orders", "https://api.stripe.com")
    assert tr.verdict == "reachable"
    assert any("appliance mode" in n for n in tr.paths[0].notes)


def _with_firewall(text: str, sdc: bool = False, gwlb: bool = True) -> str:
    """The egress VPC's attachment subnets send the internet to an inspection hop first."""
    text = text.replace("""  - {subnet_id: subnet-0shrappa""", """  - {subnet_id: subnet-0egrfwa, name: egress-fw-a, vpc_id: egress-vpc, availability_zone: us-east-1a, cidr_block: 10.100.254.0/28}
  - {subnet_id: subnet-0shrappa""")
    hop = "vpce-0firewall1" if gwlb else "eni-0appliance1"
    text = text.replace("      - {destination: 0.0.0.0/0, target: egress-nat-a}", f"      - {{destination: 0.0.0.0/0, target: {hop}}}")
    text = text.replace("""  - route_table_id: rtb-0egrtgwb""", """  - route_table_id: rtb-0egrfw
    name: egress-fw
    vpc_id: egress-vpc
    associations: [egress-fw-a]
    routes:
      - {destination: 0.0.0.0/0, target: egress-nat-a}
  - route_table_id: rtb-0egrtgwb""")
    if gwlb:
        text = text.replace("security_groups:", """vpc_endpoints:
  - {vpc_endpoint_id: vpce-0firewall1, name: network-firewall-a, vpc_id: egress-vpc, vpc_endpoint_type: GatewayLoadBalancer,
     service_name: com.amazonaws.vpce.us-east-1.vpce-svc-0firewall, subnet_ids: [egress-fw-a]}

security_groups:""")
    else:
        text = text.replace("hosts:", f"""hosts:
  - {{host_id: eni-0appliance1, name: firewall-appliance, kind: eni, subnet_id: egress-fw-a, private_ip: 10.100.254.5,
     source_dest_check: {str(sdc).lower()}}}""")
    return text


def test_tgw8_gateway_load_balancer_endpoint_is_a_pass_through_hop():
    tr = trace(_net(_with_firewall(_base())), "orders", "https://api.stripe.com")
    assert tr.verdict == "reachable"
    assert any(h.component_id == "vpce-0firewall1" for h in tr.paths[0].hops)
    assert any("PATH_THROUGH_GWLB_NOT_CHECKED" in n for n in tr.paths[0].notes)


def test_tgw8_appliance_with_source_dest_check_on_drops():
    tr = trace(_net(_with_firewall(_base(), sdc=True, gwlb=False)), "orders", "https://api.stripe.com")
    d = _drop(tr)
    assert (d.reason, d.component_id) == ("SOURCE_DEST_CHECK_ENABLED", "eni-0appliance1")
    tr = trace(_net(_with_firewall(_base(), sdc=False, gwlb=False)), "orders", "https://api.stripe.com")
    assert tr.verdict == "reachable" and any("TGW-8" in n for n in tr.paths[0].notes)


def test_undescribed_appliance_is_unknown_not_a_blackhole():
    text = _base().replace("      - {destination: 0.0.0.0/0, target: hub-tgw}", "      - {destination: 0.0.0.0/0, target: eni-0elsewhere}")
    tr = trace(_net(text), "orders", "https://api.stripe.com")
    assert tr.verdict == "unknown" and _drop(tr).component_id == "eni-0elsewhere"


def test_vpc_not_attached_to_the_tgw_it_routes_to():
    text = _base().replace("""  - {transit_gateway_attachment_id: tgw-attach-0spoke01, name: spoke-attach, transit_gateway_id: hub-tgw,
     vpc_id: spoke-vpc, subnet_ids: [spoke-tgw-a, spoke-tgw-b]}
""", "").replace("associations: [spoke-attach]", "associations: []").replace(
        "propagations: [spoke-attach, shared-attach]", "propagations: [shared-attach]")
    d = _drop(trace(_net(text), "orders", "https://api.stripe.com"))
    assert (d.reason, d.component_id) == ("BAD_STATE_ATTACHMENT", "tgw-0hub0001")


def test_unread_private_hosted_zones_are_noted():
    text = _base() + '\nunknown:\n  - {kind: private_hosted_zones, reason: "route53:ListHostedZonesByVPC: AccessDenied"}\n'
    tr = trace(_net(text), "orders", "https://api.stripe.com")
    assert tr.verdict == "reachable"
    assert any("private hosted zones could not all be read" in n for n in tr.paths[0].notes)
