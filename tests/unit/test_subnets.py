"""engine/subnets.py: what a subnet is for a Lambda function, one test per kind (data, not text)."""

from __future__ import annotations

from netbuild import base, net, rt

from vpctui.engine.subnets import (
    BLACKHOLE, EGRESS_ONLY, ISOLATED, PRIVATE_NAT, PRIVATE_OTHER, PUBLIC, SUBNET_KINDS, EndpointService,
    classify_subnet, classify_subnets,
)
from vpctui.render import glyphs


def _kinds(d: dict):
    return classify_subnets(net(d))


def test_private_via_nat():
    c = _kinds(base())["subnet-priv"]
    assert (c.kind, c.word, c.via) == (PRIVATE_NAT, "private via NAT", "nat-1")


def test_public_has_no_internet_for_lambda():
    c = _kinds(base())["subnet-pub"]
    assert (c.kind, c.via) == (PUBLIC, "igw-1")
    assert c.explanation == "public — no internet for Lambda"


def test_isolated_without_a_default_route():
    c = _kinds(base())["subnet-db"]  # the main route table: the local route only
    assert (c.kind, c.via, c.endpoints) == (ISOLATED, None, ())


def test_private_via_another_next_hop_names_it_with_the_route_target_noun():
    d = base()
    rt(d, "rtb-priv")["routes"] = [{"destination": "0.0.0.0/0", "target": "tgw-0abc"}]
    c = _kinds(d)["subnet-priv"]
    assert (c.kind, c.word, c.via) == (PRIVATE_OTHER, "private via transit gateway", "tgw-0abc")


def test_nat_wins_over_another_default_route():
    d = base()
    rt(d, "rtb-priv")["routes"].append({"destination": "::/0", "target": "tgw-0abc"})
    assert _kinds(d)["subnet-priv"].kind == PRIVATE_NAT


def test_egress_only_ipv6():
    d = base()
    d["egress_only_internet_gateways"] = [{"egress_only_internet_gateway_id": "eigw-1", "vpc_id": "vpc-a"}]
    rt(d, "rtb-priv")["routes"] = [{"destination": "::/0", "target": "eigw-1"}]
    c = _kinds(d)["subnet-priv"]
    assert (c.kind, c.via) == (EGRESS_ONLY, "eigw-1")


def test_blackhole_default_route():
    d = base()
    rt(d, "rtb-priv")["routes"] = [{"destination": "0.0.0.0/0", "target": "nat-gone", "state": "blackhole"}]
    c = _kinds(d)["subnet-priv"]
    assert (c.kind, c.via) == (BLACKHOLE, "nat-gone")


def test_endpoints_serve_through_route_tables_and_subnets():
    d = base()
    d["vpc_endpoints"] = [
        {"vpc_endpoint_id": "vpce-s3", "vpc_id": "vpc-a", "service_name": "com.amazonaws.us-east-1.s3",
         "vpc_endpoint_type": "Gateway", "route_table_ids": ["rtb-main"]},
        {"vpc_endpoint_id": "vpce-ssm", "vpc_id": "vpc-a", "service_name": "com.amazonaws.us-east-1.ssm",
         "vpc_endpoint_type": "Interface", "subnet_ids": ["subnet-db"], "security_group_ids": ["sg-lambda"]},
    ]
    n = net(d)
    c = classify_subnets(n)["subnet-db"]
    assert c.kind == ISOLATED
    assert c.endpoints == (EndpointService("s3", "gateway"), EndpointService("ssm", "interface"))
    assert c.endpoint_services == ("s3", "ssm")
    assert classify_subnet(n, n.get("subnet-db")) == c  # one subnet alone says the same
    assert classify_subnets(n)["subnet-priv-b"].endpoints == (EndpointService("s3", "gateway"),)


def test_every_kind_has_a_glyph_word_and_role():
    for kind in SUBNET_KINDS:
        g = glyphs.subnet_kind(kind)
        assert g.glyph != "?" and g.word and g.role in glyphs.RICH_STYLE
