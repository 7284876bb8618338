"""Fixes for the routing hops (H4, H5, H8): a route to what the input has (a gateway endpoint to
associate, a NAT gateway, a peering connection, an internet gateway, the transit gateway for a
reply), or the function moved to subnets that route through a NAT gateway."""

from __future__ import annotations

import ipaddress

from ..model.network import RouteTable, VpcEndpoint
from .edit_routes import AddRoute, AssociateGatewayEndpoint, ReplaceRoute
from .edit_settings import SetFunctionVpcConfig
from .edits import Fix
from .fix_context import Ctx, dest_ip, dest_public, drop_hop, gateway_endpoints, usable_nat_routes, vpc_cidr_of
from .result import Finding


def no_route(c: Ctx, f: Finding):
    rt = c.net.get(f.component_id)
    if not isinstance(rt, RouteTable):
        return []
    out: list[Fix] = []
    for e in gateway_endpoints(c):
        if rt.route_table_id not in e.route_table_ids:
            out.append(Fix(f"associate the gateway endpoint {e.vpc_endpoint_id} with {rt.route_table_id}",
                           (AssociateGatewayEndpoint(e.vpc_endpoint_id, rt.route_table_id),)))
    ip = dest_ip(c)
    if dest_public(c) and (ip is None or ip.version == 4):
        for nat in usable_nat_routes(c):
            if not any(r.destination == "0.0.0.0/0" for r in rt.routes):
                out.append(Fix(f"route 0.0.0.0/0 in {rt.route_table_id} to the NAT gateway {nat}",
                               (AddRoute(rt.route_table_id, "0.0.0.0/0", nat),)))
            break
    elif ip is not None and c.vpc is not None:
        found = vpc_cidr_of(c.net, ip)
        if found is not None and found[0].vpc_id != c.vpc.vpc_id:
            for p in c.net.peering_connections:
                if p.status == "active" and p.peer_of(c.vpc.vpc_id) == found[0].vpc_id:
                    out.append(Fix(f"route {found[1]} in {rt.route_table_id} to the peering connection {p.vpc_peering_connection_id}",
                                   (AddRoute(rt.route_table_id, found[1], p.vpc_peering_connection_id),)))
                    break
    return out


def gw_not_associated(c: Ctx, f: Finding):
    e = c.net.get(f.component_id)
    rt = c.rt
    if not isinstance(e, VpcEndpoint) or rt is None or rt.route_table_id in e.route_table_ids:
        return []
    return [Fix(f.fix, (AssociateGatewayEndpoint(e.vpc_endpoint_id, rt.route_table_id),))]


def blackhole(c: Ctx, f: Finding):
    rt = c.net.get(f.component_id)
    if not isinstance(rt, RouteTable):
        return []
    h = drop_hop(c, f)
    dest = h.highlight.key if h is not None and h.highlight is not None else ""
    if not dest:
        return []
    out = []
    for nat in usable_nat_routes(c):
        out.append(Fix(f"point the route {dest} in {rt.route_table_id} at the NAT gateway {nat}",
                       (ReplaceRoute(rt.route_table_id, dest, nat),)))
        break
    return out


def igw_public(c: Ctx, f: Finding):
    out: list[Fix] = []
    if c.vpc is not None and c.sub is not None:
        nats = set(usable_nat_routes(c))
        subs = []
        for s in c.net.subnets_of_vpc.get(c.vpc.vpc_id, ()):
            rt = c.net.route_table_of_subnet.get(s.subnet_id)
            if rt is None or s.cidr_block is None or s.available_ip_address_count == 0:
                continue
            if c.fn.ipv6_allowed_for_dual_stack and not s.dual_stack:
                continue
            if any(r.destination == "0.0.0.0/0" and r.target in nats and r.state == "active" for r in rt.routes):
                subs.append(s)
        if subs:
            # one subnet per AZ, the first two AZs (Lambda wants at least two for availability)
            seen, pick = set(), []
            for s in subs:
                if s.availability_zone not in seen:
                    seen.add(s.availability_zone)
                    pick.append(s.subnet_id)
            out.append(Fix(f"move {c.fn.function_name} to {', '.join(pick[:2])} (0.0.0.0/0 → a NAT gateway)",
                           (SetFunctionVpcConfig(c.fn.function_name, tuple(pick[:2])),)))
    rt = c.rt
    if rt is not None:
        for e in gateway_endpoints(c):
            if rt.route_table_id not in e.route_table_ids:
                out.append(Fix(f"associate the gateway endpoint {e.vpc_endpoint_id} with {rt.route_table_id}",
                               (AssociateGatewayEndpoint(e.vpc_endpoint_id, rt.route_table_id),)))
    return out


def tgw_igw_bypass(c: Ctx, f: Finding) -> list:
    """IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS after a transit gateway: the attachment subnet's route
    table sends the internet straight to the IGW; point it at a NAT gateway of that VPC (TGW-5)."""
    hop = next((h for h in reversed(c.path.hops) if h.component_type == "route-table" and h.highlight is not None
                and h.highlight.kind == "route" and h.component_id != (c.rt.route_table_id if c.rt else None)), None)
    rt = c.net.get(hop.component_id) if hop else None
    if not isinstance(rt, RouteTable):
        return []
    out = []
    for n in c.net.nat_gateways:
        ns = c.net.get(n.subnet_id)
        nrt = c.net.route_table_of_subnet.get(n.subnet_id) if ns is not None else None
        if ns is None or ns.vpc_id != rt.vpc_id or n.state != "available" or not n.public_ip or nrt is None or nrt is rt:
            continue
        if any(r.destination == "0.0.0.0/0" and r.target.startswith("igw-") and r.state == "active" for r in nrt.routes):
            out.append(Fix(f"route 0.0.0.0/0 in {rt.route_table_id} to {n.nat_gateway_id} (the spokes' traffic then "
                           "leaves through the NAT gateway)", (ReplaceRoute(rt.route_table_id, hop.highlight.key, n.nat_gateway_id),)))
    return out[:1]


def tgw_return_route(c: Ctx, f: Finding) -> list:
    """RESPONSE_RTB_HAS_NO_ROUTE_TO_TRANSIT_GATEWAY: add the function VPC's CIDR → the TGW to the
    route table the reply leaves with (TGW-6)."""
    rt = c.net.get(f.component_id)
    if not isinstance(rt, RouteTable) or c.rt is None or c.sub is None or not c.sub.cidr_block:
        return []
    tgw = next((r.target for r in c.rt.routes if r.target.startswith("tgw-") and r.state == "active"), None)
    found = vpc_cidr_of(c.net, ipaddress.ip_network(c.sub.cidr_block).network_address)
    if tgw is None or found is None:
        return []
    cidr = found[1]
    if any(r.destination == cidr for r in rt.routes):
        return [Fix(f.fix, (ReplaceRoute(rt.route_table_id, cidr, tgw),))]
    return [Fix(f.fix, (AddRoute(rt.route_table_id, cidr, tgw),))]


def nat_no_igw(c: Ctx, f: Finding):
    rt = c.net.get(f.component_id)
    if not isinstance(rt, RouteTable):
        return []
    igw = next((g for g in c.net.internet_gateways if g.vpc_id == rt.vpc_id), None)
    if igw is None:
        return []
    if any(r.destination == "0.0.0.0/0" for r in rt.routes):
        return [Fix(f"point 0.0.0.0/0 in {rt.route_table_id} at the internet gateway {igw.internet_gateway_id}",
                    (ReplaceRoute(rt.route_table_id, "0.0.0.0/0", igw.internet_gateway_id),))]
    return [Fix(f"add 0.0.0.0/0 → {igw.internet_gateway_id} to {rt.route_table_id}",
                (AddRoute(rt.route_table_id, "0.0.0.0/0", igw.internet_gateway_id),))]


def peering_return(c: Ctx, f: Finding):
    rt = c.net.get(f.component_id)
    if not isinstance(rt, RouteTable) or c.vpc is None:
        return []
    pcx = next((h.component_id for h in c.path.hops if h.component_id.startswith("pcx-")), None)
    if pcx is None or c.sub is None or c.sub.cidr_block is None:
        return []
    src_net = ipaddress.ip_network(c.sub.cidr_block)
    cidr = next((str(n) for n in c.vpc.networks if n.version == 4 and src_net.subnet_of(n)), None)
    if cidr is None:
        return []
    if any(r.destination == cidr for r in rt.routes):
        return [Fix(f.fix, (ReplaceRoute(rt.route_table_id, cidr, pcx),))]
    return [Fix(f.fix, (AddRoute(rt.route_table_id, cidr, pcx),))]
