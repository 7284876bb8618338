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
    assert noun("pcx-9") == "peering connection"
    assert noun("bogus-9") == "bogus-9"
    assert "local" not in ROUTE_TARGET_PREFIXES and "tgw-" in ROUTE_TARGET_PREFIXES
