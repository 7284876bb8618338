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
