"""What a subnet is for a Lambda function: public, private via NAT, isolated, ...

Returns data (``SubnetClass``); vpctui/render/glyphs.py gives each kind its glyph, word and role,
the TUI and ``vpctui subnets`` print it.

A Lambda function's network interface never has a public IP address, so a default route to an
internet gateway gives it nothing: only a NAT gateway (or another private next hop) gives it the
internet (docs/aws-behaviour.md; https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc-internet.html).
The class depends on the subnet's route table (its default routes) and on the VPC endpoints that
serve it (a gateway endpoint through its route tables, an interface endpoint through its subnets).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..model.network import Network, RouteTable, Subnet
from ..model.route_targets import route_target_kind

# the kinds of subnet, for a Lambda function
PRIVATE_NAT = "private-nat"      # a default route to a NAT gateway: internet OK
PUBLIC = "public"                # a default route to an internet gateway: no internet for Lambda
PRIVATE_OTHER = "private-other"  # a default route to another private next hop (peering, TGW, ...)
EGRESS_ONLY = "egress-only"      # only an IPv6 egress-only internet gateway
BLACKHOLE = "blackhole"          # a default route whose target is gone
ISOLATED = "isolated"            # no default route: the VPC only
SUBNET_KINDS = (PRIVATE_NAT, PUBLIC, PRIVATE_OTHER, EGRESS_ONLY, BLACKHOLE, ISOLATED)

_DEFAULTS = ("0.0.0.0/0", "::/0")
# route-target kinds (vpctui/model/route_targets.py) a default route may use, most telling first
_PRIVATE_ORDER = ("transit-gateway", "peering-connection", "virtual-private-gateway", "network-interface",
                  "instance", "local-gateway", "carrier-gateway", "core-network", "vpc-endpoint")


@dataclass(frozen=True, slots=True)
class EndpointService:
    service: str  # "s3", "ssm"
    endpoint_type: str  # "gateway" | "interface"


@dataclass(frozen=True, slots=True)
class SubnetClass:
    kind: str  # one of SUBNET_KINDS
    word: str  # short: "public", "private via NAT", "private via transit gateway"
    explanation: str  # one line: "public — no internet for Lambda"
    via: Optional[str] = None  # the default route's target id that decided it
    endpoints: tuple[EndpointService, ...] = ()  # the VPC endpoints that serve the subnet

    @property
    def endpoint_services(self) -> tuple[str, ...]:
        """The services with an endpoint, once each: ("s3", "ssm")."""
        return tuple(dict.fromkeys(e.service for e in self.endpoints))

    def to_dict(self) -> dict:
        return {"kind": self.kind, "word": self.word, "explanation": self.explanation, "via": self.via,
                "endpoints": [{"service": e.service, "type": e.endpoint_type} for e in self.endpoints]}


def classify_routes(route_table: Optional[RouteTable]) -> SubnetClass:
    """The class a route table's default routes give its subnets (no endpoints)."""
    routes = route_table.routes if route_table is not None else ()
    default = [r for r in routes if r.destination in _DEFAULTS]
    active = [(r, route_target_kind(r.target)) for r in default if r.state == "active"]
    by_kind: dict[str, str] = {}
    for r, k in active:
        if k is not None:
            by_kind.setdefault(k.kind, r.target)
    if "nat-gateway" in by_kind:
        return SubnetClass(PRIVATE_NAT, "private via NAT", "private via NAT: internet OK", by_kind["nat-gateway"])
    if "internet-gateway" in by_kind:
        return SubnetClass(PUBLIC, "public", "public — no internet for Lambda", by_kind["internet-gateway"])
    for kind in _PRIVATE_ORDER:
        if kind in by_kind:
            target = by_kind[kind]
            noun = route_target_kind(target).noun  # type: ignore[union-attr]
            return SubnetClass(PRIVATE_OTHER, f"private via {noun}", f"private via {noun}", target)
    if "egress-only-internet-gateway" in by_kind:
        return SubnetClass(EGRESS_ONLY, "IPv6 egress-only", "IPv6 egress-only, no IPv4 internet",
                           by_kind["egress-only-internet-gateway"])
    if default and not active:
        return SubnetClass(BLACKHOLE, "blackhole", "default route is a blackhole", default[0].target)
    return SubnetClass(ISOLATED, "isolated", "isolated: VPC only")


def classify_subnets(network: Network) -> dict[str, SubnetClass]:
    """Every subnet's class, in one pass: the routes once per route table, the endpoints once per
    endpoint. Endpoints keep the network's order."""
    gateway_eps: dict[str, list[tuple[int, EndpointService]]] = {}  # route table id -> endpoints
    interface_eps: dict[str, list[tuple[int, EndpointService]]] = {}  # subnet id -> endpoints
    for i, e in enumerate(network.vpc_endpoints):
        if e.is_gateway:
            for rt_id in dict.fromkeys(e.route_table_ids):
                gateway_eps.setdefault(rt_id, []).append((i, EndpointService(e.service, "gateway")))
        elif e.is_interface:
            for sid in dict.fromkeys(e.subnet_ids):
                interface_eps.setdefault(sid, []).append((i, EndpointService(e.service, "interface")))
    by_table: dict[str, SubnetClass] = {}
    out: dict[str, SubnetClass] = {}
    for s in network.subnets:
        rt = network.route_table_of_subnet.get(s.subnet_id)
        key = rt.route_table_id if rt is not None else ""
        base = by_table.get(key)
        if base is None:
            base = by_table[key] = classify_routes(rt)
        eps = interface_eps.get(s.subnet_id, [])
        if rt is not None and key in gateway_eps:
            eps = sorted(gateway_eps[key] + eps, key=lambda x: x[0])
        out[s.subnet_id] = _with_endpoints(base, tuple(e for _, e in eps))
    return out


def classify_subnet(network: Network, subnet: Subnet) -> SubnetClass:
    """One subnet's class (for many, ``classify_subnets`` is one pass)."""
    rt = network.route_table_of_subnet.get(subnet.subnet_id)
    eps: list[EndpointService] = []
    for e in network.vpc_endpoints:
        if e.is_gateway and rt is not None and rt.route_table_id in e.route_table_ids:
            eps.append(EndpointService(e.service, "gateway"))
        elif e.is_interface and subnet.subnet_id in e.subnet_ids:
            eps.append(EndpointService(e.service, "interface"))
    return _with_endpoints(classify_routes(rt), tuple(eps))


def _with_endpoints(base: SubnetClass, endpoints: tuple[EndpointService, ...]) -> SubnetClass:
    if not endpoints:
        return base
    return SubnetClass(base.kind, base.word, base.explanation, base.via, endpoints)
