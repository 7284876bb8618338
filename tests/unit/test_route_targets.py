"""The one table of route-target kinds."""

from vpctui.model.route_targets import ROUTE_TARGET_PREFIXES, is_followed, noun, route_target_kind


def test_each_prefix_names_its_kind():
    assert route_target_kind("igw-0e1f").kind == "internet-gateway"
    assert route_target_kind("eigw-01").kind == "egress-only-internet-gateway"
    assert route_target_kind("i-0abc").kind == "instance"
    assert route_target_kind("arn:aws:networkmanager::1:core-network/x").kind == "core-network"
    assert route_target_kind("local").kind == "local"
    assert route_target_kind("foo-1") is None
    assert route_target_kind("nat") is None


def test_followed_and_nouns():
    assert is_followed("nat-1") and is_followed("pcx-1") and is_followed("local")
    assert not is_followed("vgw-1") and not is_followed("bogus")
    assert is_followed("tgw-1") and is_followed("eni-1") and is_followed("i-1")
    assert noun("pcx-9") == "peering connection"
    assert noun("bogus-9") == "bogus-9"
    assert "local" not in ROUTE_TARGET_PREFIXES and "tgw-" in ROUTE_TARGET_PREFIXES


def test_a_missing_transit_gateway_or_appliance_is_not_a_deleted_one():
    from vpctui.model.route_targets import MAYBE_ELSEWHERE_PREFIXES
    assert {"tgw-", "eni-", "i-", "vgw-"} <= set(MAYBE_ELSEWHERE_PREFIXES)
    assert not {"nat-", "igw-", "vpce-", "pcx-"} & set(MAYBE_ELSEWHERE_PREFIXES)
