"""The kinds of route target, one table for the loaders, the engine and the UI.

A route's target is an AWS id whose prefix says what it is (``igw-0e1f`` an internet gateway,
``pcx-…`` a peering connection). ``followed`` says whether the engine traces through that kind;
``collection`` names the field of ``Network`` that holds components of that kind (empty where the
network holds none), so a loader can tell a route to a deleted target from a route to a kind it did
not read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True, slots=True)
class RouteTargetKind:
    prefix: str       # "igw-", or "local" for the VPC's local route
    kind: str         # a stable identifier: "internet-gateway"
    noun: str         # what a person calls it: "internet gateway"
    followed: bool    # the engine traces through it (False: a path through it ends "unknown")
    collection: str = ""  # the Network field holding these components, "" where none
    # a route to a component of this kind that the network does not hold is a blackhole (the
    # component was deleted); False where it may simply be elsewhere (another account's transit
    # gateway shared through RAM, an appliance not described): the next-hop step says "unknown"
    missing_is_deleted: bool = True


ROUTE_TARGET_KINDS: tuple[RouteTargetKind, ...] = (
    RouteTargetKind("local", "local", "the VPC (local route)", True),
    RouteTargetKind("igw-", "internet-gateway", "internet gateway", True, "internet_gateways"),
    RouteTargetKind("eigw-", "egress-only-internet-gateway", "egress-only internet gateway", True,
                    "egress_only_internet_gateways"),
    RouteTargetKind("nat-", "nat-gateway", "NAT gateway", True, "nat_gateways"),
    RouteTargetKind("vpce-", "vpc-endpoint", "VPC endpoint", True, "vpc_endpoints"),
    RouteTargetKind("pcx-", "peering-connection", "peering connection", True, "vpc_peering_connections"),
    RouteTargetKind("tgw-", "transit-gateway", "transit gateway", True, "transit_gateways", missing_is_deleted=False),
    RouteTargetKind("vgw-", "virtual-private-gateway", "virtual private gateway", False),
    RouteTargetKind("eni-", "network-interface", "network interface", True, "hosts", missing_is_deleted=False),
    RouteTargetKind("i-", "instance", "instance", True, "hosts", missing_is_deleted=False),
    RouteTargetKind("lgw-", "local-gateway", "local gateway", False),
    RouteTargetKind("cagw-", "carrier-gateway", "carrier gateway", False),
    RouteTargetKind("arn:", "core-network", "core network", False),
)

_BY_PREFIX = {k.prefix: k for k in ROUTE_TARGET_KINDS}
ROUTE_TARGET_PREFIXES: tuple[str, ...] = tuple(k.prefix for k in ROUTE_TARGET_KINDS if k.prefix != "local")
# the prefixes of the kinds the engine does not trace through (``str.startswith`` takes the tuple)
UNFOLLOWED_PREFIXES: tuple[str, ...] = tuple(k.prefix for k in ROUTE_TARGET_KINDS if not k.followed)
# the prefixes whose components may be missing without being deleted (no blackhole for them)
MAYBE_ELSEWHERE_PREFIXES: tuple[str, ...] = tuple(
    k.prefix for k in ROUTE_TARGET_KINDS if not k.followed or not k.missing_is_deleted)


def route_target_kind(target: str) -> Optional[RouteTargetKind]:
    """The kind of a route target id, or None for an id of no known kind."""
    if target == "local":
        return _BY_PREFIX["local"]
    if target.startswith("arn:"):
        return _BY_PREFIX["arn:"]
    head, sep, _ = target.partition("-")
    return _BY_PREFIX.get(head + "-") if sep else None


def is_followed(target: str) -> bool:
    k = route_target_kind(target)
    return k is not None and k.followed


def noun(target: str) -> str:
    """What a person calls the target: "NAT gateway"; the id itself for an unknown kind."""
    k = route_target_kind(target)
    return k.noun if k is not None else target
