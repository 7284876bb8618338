"""H2..H4: the request leaves the function's subnet (SG egress, NACL outbound, the route lookup),
then the next hop the route names takes over (engine/gateways.py)."""

from __future__ import annotations

from typing import Optional

from ..model.network import PortRange, RouteTable
from ..model.route_targets import MAYBE_ELSEWHERE_PREFIXES, route_target_kind
from .filters import Peer
from .gateways import NextHop, kind_of
from .index import _endpoints_by_vpc, _owners, addr_text
from .path import FN_ID, FN_NAME, Arrival, Dest, Named, PathLog
from .result import DROP, PASS, Highlight
from .routing import lookup
from .symptoms import _no_route_fix, _peer_text


class EgressSteps(PathLog):
    def _network(self, dest: Dest) -> Optional[Arrival]:
        net, sub, vpc = self.net, self.sub, self.vpc
        src_ip = self.src_ip6 if (dest.ip.version == 6 and self.src_ip6) else self.src_ip
        if dest.ip.version == 6 and not self.src_ip6:
            self.hop("H0", sub.subnet_id, "lambda-eni", DROP, "the function sends no IPv6 (Ipv6AllowedForDualStack is false)")
            self.block("H0", "IPV6_NOT_ALLOWED_FOR_FUNCTION", Named(FN_ID),
                       Named(f"{dest.ip} is IPv6 and outbound IPv6 is off for ", FN_NAME),
                       Named("set VpcConfig.Ipv6AllowedForDualStack=true on ", FN_NAME, " (all subnets dual-stack)"))
            return None
        port, proto = self.t.port, self.t.protocol
        owner = _owners(net).get(addr_text(dest.ip))
        peer = Peer(dest.ip, dest.service_key, frozenset(owner.group_ids) if owner else frozenset())
        # H2 source SG egress
        self._sg_hop("H2", self.src_sgs, True, proto, port, peer, f"to {dest.ip} on TCP {port}",
                     "egress", f"allow TCP {port} to {_peer_text(dest)} in the egress rules of {{g}}")
        same_subnet = owner is not None and owner.subnet_id == sub.subnet_id
        src_acl = net.nacl_of_subnet.get(sub.subnet_id)
        # H3 source NACL outbound
        if same_subnet:
            self.hop("H3", src_acl.network_acl_id if src_acl else sub.subnet_id, "network-acl", PASS,
                     "same subnet: network ACLs do not apply inside a subnet (NACL-4)")
        else:
            self._nacl_hop("H3", sub, True, proto, PortRange(port, port), dest.ip, f"outbound TCP {port} to {dest.ip}")
        # H4 route
        if same_subnet:
            self.hop("H4", sub.subnet_id, "route-table", PASS, "same subnet: delivered without a route lookup (ROUTE-5)")
            return self._deliver_local(dest, owner, src_ip, port)
        rt = net.route_table_of_subnet.get(sub.subnet_id)
        if rt is None:
            u = net.unknown("route_tables")
            self.unknown("H4", sub.subnet_id, "route-table", f"no route table is known for {sub.label}" + (f" ({u})" if u else ""))
            return None
        rt_unknown = net.unknown(rt.route_table_id) if net.unknowns else None
        if rt_unknown:
            self.unknown("H4", rt.route_table_id, "route-table", f"the routes of {rt.label} are not all known ({rt_unknown})")
            return None
        m = lookup(net, rt, peer, self.lookups)
        if m is None and net.unknowns:
            # a route to a prefix list whose entries could not be read may match: not "no route"
            pl_unknown = [x.destination for x in rt.routes if x.is_prefix_list and net.unknown(x.destination)]
            if pl_unknown:
                self.unknown("H4", rt.route_table_id, "route-table",
                             f"no route of {rt.label} is known to match {dest.ip}, but the entries of {', '.join(pl_unknown)} "
                             f"could not be read ({net.unknown(pl_unknown[0])}): a route to it may match")
                return None
        if m is None:
            self.hop("H4", rt.route_table_id, "route-table", DROP, f"no route matches {dest.ip} in {rt.label}",
                     Highlight("route_table", rt.route_table_id))
            self._no_route(rt, dest)
            return None
        r = m.route
        hl = Highlight("route", rt.route_table_id, r.destination)
        tgt = net.get(r.target) if r.target != "local" else None
        if r.state != "blackhole" and r.target != "local" and tgt is None and not r.target.startswith(MAYBE_ELSEWHERE_PREFIXES):
            k = route_target_kind(r.target)
            # a vpce- that is not described may be an AWS Network Firewall endpoint when those could not be read
            u = net.unknown(r.target, k.collection if k is not None else "",
                            *(("network_firewalls",) if k is not None and k.collection == "vpc_endpoints" else ()))
            if u:
                self.hop("H4", rt.route_table_id, "route-table", PASS, f"{dest.ip} matches {r.describe()} in {rt.label}", hl)
                self.unknown("H5", r.target, "gateway", f"{r.target} could not be described ({u})")
                return None
        pl_unknown = [x.destination for x in rt.routes
                      if x.is_prefix_list and net.unknown(x.destination) and x is not r] if net.unknowns else ()
        if pl_unknown:
            self.hop("H4", rt.route_table_id, "route-table", PASS, f"{dest.ip} matches {r.describe()} in {rt.label}", hl)
            self.unknown("H4", rt.route_table_id, "route-table",
                         f"the entries of {', '.join(pl_unknown)} could not be read ({net.unknown(pl_unknown[0])}): a route to it may be more specific")
            return None
        if r.state == "blackhole" or (r.target != "local" and tgt is None and not r.target.startswith(MAYBE_ELSEWHERE_PREFIXES)):
            self.hop("H4", rt.route_table_id, "route-table", DROP, f"{r.describe()} is a blackhole", hl)
            self.block("H4", "BAD_STATE_ROUTE", rt.route_table_id,
                       f"{rt.label} sends {dest.ip} to {r.target}, which no longer exists (route state blackhole)",
                       f"replace the route {r.destination} in {rt.route_table_id} with a working target (e.g. a NAT gateway that exists)")
            return None
        why = f" (beats {', '.join(x.describe() for x in m.shadowed)})" if m.shadowed else ""
        self.hop("H4", rt.route_table_id, "route-table", PASS, f"{dest.ip} matches {r.describe()} in {rt.label}{why}", hl)
        # H5 next hop (engine/gateways.py: one function per route-target kind)
        return self._next_hop(NextHop(tgt, r, rt, dest, owner, src_ip, port))

    def _no_route(self, rt: RouteTable, dest: Dest) -> None:
        net, vpc = self.net, self.vpc
        self.block("H4", "NO_ROUTE_TO_DESTINATION", rt.route_table_id,
                   f"{rt.label} has no route for {dest.ip}" + (f" ({dest.hostname})" if dest.hostname else "") +
                   "; the packet is dropped silently",
                   _no_route_fix(net, vpc.vpc_id, rt, dest))
        if dest.service_key and dest.service_key[0] in ("s3", "dynamodb"):
            svc, region = dest.service_key
            gws = [e for e in _endpoints_by_vpc(net).get(vpc.vpc_id, ()) if e.is_gateway and e.service == svc]
            if any(e.region != region for e in gws) and not any(e.region == region for e in gws):
                e = gws[0]
                self.block("H4", "GATEWAY_ENDPOINT_CROSS_REGION", e.vpc_endpoint_id,
                           f"{e.label} serves {svc} in {e.region} only; the target is in {region}",
                           f"reach {svc} in {region} through a NAT gateway, or an interface endpoint over inter-Region peering")
            for e in gws:
                if e.region == region and rt.route_table_id not in e.route_table_ids:
                    self.block("H4", "GATEWAY_ENDPOINT_NOT_ASSOCIATED", e.vpc_endpoint_id,
                               f"{e.label} exists but is not associated with {rt.label}",
                               f"associate {e.vpc_endpoint_id} with route table {rt.route_table_id}")
        if dest.ip.version == 4 and not self.fn.ipv6_allowed_for_dual_stack:
            if any(r.destination == "::/0" and kind_of(r.target) == "egress-only-internet-gateway" for r in rt.routes):
                self.block("H0", "IPV6_NOT_ALLOWED_FOR_FUNCTION", Named(FN_ID),
                           Named(f"{rt.label} has IPv6 internet egress (::/0 → eigw) but ", FN_NAME, " sends IPv4 only"),
                           Named("set Ipv6AllowedForDualStack=true on ", FN_NAME, " (and call dual-stack names), or add a NAT gateway"))
        no_aaaa = self.no_aaaa
        if no_aaaa and any(r.destination == "::/0" for r in rt.routes):
            self.block("H1", "NO_AAAA_FOR_ENDPOINT", self.vpc.vpc_id,
                       f"{no_aaaa} has no AAAA record, so the IPv6 route (::/0) cannot carry it",
                       "call the service's dual-stack name, or add an IPv4 route through a NAT gateway")
