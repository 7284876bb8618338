"""What a fix is built from: the trace's context and where its traffic goes, from the input only.

A fix names only ids, CIDRs and prefix lists that exist in the input, or ``0.0.0.0/0``: these helpers
find them (the destination's address or endpoint, the VPC CIDR that holds an address, the narrowest
peer for a rule, the NAT gateways and gateway endpoints that could carry the traffic), never a
stand-in address. The rules per hop family are in ``fix_filters.py``, ``fix_routes.py``,
``fix_settings.py`` and ``fix_policies.py``; ``fixes.py`` is the public API.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Optional

from ..model.network import LambdaFunction, Network, RouteTable, Subnet, Vpc, VpcEndpoint
from ..model.services import managed_prefix_list_id
from .index import host_cidr
from .result import DROP, PASS, Finding, PathResult
from .targets import Target


@dataclass
class Ctx:
    """What a fix rule reads: the network, the function, the parsed target, the path, its subnet and VPC."""

    net: Network
    fn: LambdaFunction
    t: Target
    path: PathResult
    sub: Optional[Subnet]
    vpc: Optional[Vpc]

    @property
    def rt(self) -> Optional[RouteTable]:
        return self.net.route_table_of_subnet.get(self.sub.subnet_id) if self.sub else None


def drop_hop(c: Ctx, f: Finding):
    """The hop where ``f``'s component dropped the traffic (on ``f``'s own hop first)."""
    for h in c.path.hops:
        if h.result == DROP and h.component_id == f.component_id and h.hop == f.hop:
            return h
    for h in c.path.hops:
        if h.result == DROP and h.component_id == f.component_id:
            return h
    return None


def dest_endpoint(c: Ctx) -> Optional[VpcEndpoint]:
    """The interface endpoint DNS sent the traffic to, if any (the H1 hop names it)."""
    for h in c.path.hops:
        if h.hop == "H1" and h.component_id.startswith("vpce-") and h.result == PASS:
            e = c.net.get(h.component_id)
            if isinstance(e, VpcEndpoint) and e.is_interface:
                return e
    return None


def dest_ip(c: Ctx):
    if c.t.kind == "address" and c.t.ip:
        return ipaddress.ip_address(c.t.ip)
    if c.t.host is not None:
        return ipaddress.ip_address(c.t.host.private_ip)
    ep = dest_endpoint(c)
    if ep is not None:
        eni = next((x for x in ep.enis if x.private_ip), None)
        if eni is not None:
            return ipaddress.ip_address(eni.private_ip)
    return None  # public


def vpc_cidr_of(net: Network, ip) -> Optional[tuple[Vpc, str]]:
    """The VPC whose CIDR block holds ``ip``, and that block."""
    for v in net.vpcs:
        n = v.network_of(ip)
        if n is not None:
            return v, str(n)
    return None


def dest_public(c: Ctx) -> bool:
    ip = dest_ip(c)
    if ip is None:
        return True
    return vpc_cidr_of(c.net, ip) is None and not ip.is_private


def peer_cidr(c: Ctx, acl_vpc: str) -> str:
    """A CIDR from the input that covers the far end of the traffic a NACL of ``acl_vpc`` filters."""
    ip = dest_ip(c)
    v6 = ip is not None and ip.version == 6
    if dest_public(c):
        return "::/0" if v6 else "0.0.0.0/0"
    dest = vpc_cidr_of(c.net, ip)
    if c.vpc is not None and acl_vpc != c.vpc.vpc_id:
        # a NACL in the peer VPC: its far end is the function's VPC
        own = next((n for n in c.vpc.cidr_blocks), None)
        return own or "0.0.0.0/0"
    return dest[1] if dest else ("::/0" if v6 else "0.0.0.0/0")


def dest_rule_peer(c: Ctx) -> dict:
    """The narrowest peer from the input that admits the destination in an egress rule."""
    ep = dest_endpoint(c)
    if ep is not None and ep.security_group_ids and c.net.get(ep.security_group_ids[0]) is not None:
        return {"group_id": ep.security_group_ids[0]}
    h = c.t.host
    if h is not None and h.security_group_ids and c.net.get(h.security_group_ids[0]) is not None:
        return {"group_id": h.security_group_ids[0]}
    ip = dest_ip(c)
    if ip is None:
        svc = c.t.service
        if svc is not None and svc.name in ("s3", "dynamodb"):
            plid = managed_prefix_list_id(svc.name, c.t.region or c.net.region)
            if c.net.get(plid) is not None:
                return {"prefix_list_id": plid}
        return {"cidr": "0.0.0.0/0"}
    found = vpc_cidr_of(c.net, ip)
    if found is not None:
        return {"cidr": found[1]}
    return {"cidr": "::/0" if ip.version == 6 else "0.0.0.0/0"}


def via_tgw(c: Ctx) -> bool:
    """The path crossed a transit gateway (engine/transit.py records its attachments as hops)."""
    return any(h.component_type == "transit-gateway-attachment" for h in c.path.hops)


def src_rule_peer(c: Ctx) -> dict:
    if via_tgw(c) and c.vpc is not None and c.sub is not None and c.sub.cidr_block:
        # across a transit gateway the far side sees the function's address, never its security
        # group (docs/aws-behaviour.md TGW-7): the rule names the function VPC's CIDR
        found = vpc_cidr_of(c.net, ipaddress.ip_network(c.sub.cidr_block).network_address)
        return {"cidr": found[1] if found else c.sub.cidr_block}
    if c.fn.security_group_ids and c.net.get(c.fn.security_group_ids[0]) is not None:
        return {"group_id": c.fn.security_group_ids[0]}
    if c.sub is not None and c.sub.cidr_block:
        return {"cidr": c.sub.cidr_block}
    return {"cidr": "0.0.0.0/0"}


def usable_nat_routes(c: Ctx) -> list[str]:
    """Public NAT gateways of the function's VPC that reach an attached internet gateway."""
    out = []
    if c.vpc is None:
        return out
    for n in c.net.nat_gateways:
        ns = c.net.get(n.subnet_id)
        if not isinstance(ns, Subnet) or ns.vpc_id != c.vpc.vpc_id:
            continue
        if n.state != "available" or n.connectivity_type != "public" or not n.public_ip:
            continue
        rt = c.net.route_table_of_subnet.get(ns.subnet_id)
        if rt is None:
            continue
        ok = any(r.destination == "0.0.0.0/0" and r.target.startswith("igw-") and r.state == "active"
                 and getattr(c.net.get(r.target), "vpc_id", None) == c.vpc.vpc_id for r in rt.routes)
        if ok:
            out.append(n.nat_gateway_id)
    return out


def gateway_endpoints(c: Ctx) -> list[VpcEndpoint]:
    svc = c.t.service
    if svc is None or c.vpc is None or svc.name not in ("s3", "dynamodb") or dest_endpoint(c) is not None:
        return []
    region = c.t.region or c.net.region
    return [e for e in c.net.vpc_endpoints if e.is_gateway and e.vpc_id == c.vpc.vpc_id and e.service == svc.name
            and e.region == region and e.state == "available"]


def dns_server_cidr(c: Ctx) -> Optional[str]:
    """The first custom DNS server of the function's VPC that is an address, as a /32 or /128."""
    for s in (c.vpc.dhcp_options.domain_name_servers if c.vpc else ()):
        try:
            return host_cidr(ipaddress.ip_address(s))
        except ValueError:
            continue
    return None
