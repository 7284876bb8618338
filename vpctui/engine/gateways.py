"""H5..H8 by next hop: what the route's target does with the request.

The route lookup (H4, engine/egress.py) hands a ``NextHop`` to ``GatewaySteps._next_hop``, which
dispatches on the target's kind (vpctui/model/route_targets.py) through ``NEXT_HOPS``. A new
next-hop kind is one method here and one row in ``NEXT_HOPS``; a kind without a row ends the path
"unknown" (``_unfollowed``).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Callable, Optional

from ..model.network import EPHEMERAL, Host, PortRange, Route, RouteTable
from ..model.route_targets import noun, route_target_kind
from .filters import Peer
from .index import Owner, _owners, _sgs, addr_text
from .path import Arrival, Dest, PathLog
from .result import CONNECTION_REFUSED, DROP, PASS, Highlight
from .routing import lookup, route_mark
from .transit import via_forwarder, via_transit_gateway, via_vpn_gateway
from .symptoms import _cidr_hint, _igw_fix, _vpc_cidr_of

_RFC1918 = tuple(ipaddress.ip_network(c) for c in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"))

# a note on a path through a NAT gateway, kept only where the path works (engine/symptoms.py): a
# blocked path's problem is its drop, not an idle timeout
NAT_IDLE_NOTE = "an idle pooled connection through a NAT gateway is reset after 350 s; the retry succeeds (NAT-3)"


@dataclass(frozen=True, slots=True)
class NextHop:
    """What the route lookup hands to the next hop."""

    target: object            # the component the route names (None for the local route or one not loaded)
    route: Route
    route_table: RouteTable
    dest: Dest
    owner: Optional[Owner]    # what holds dest.ip in a loaded VPC, if anything
    src_ip: object            # the function's address on this path (IPv4 or IPv6)
    port: int


def kind_of(target: str) -> str:
    """The route target's kind ("internet-gateway", model/route_targets.py), "" for an unknown kind."""
    k = route_target_kind(target)
    return k.kind if k is not None else ""


class GatewaySteps(PathLog):
    def _next_hop(self, nh: NextHop) -> Optional[Arrival]:
        step = NEXT_HOPS.get(kind_of(nh.route.target))
        if step is None:
            return self._unfollowed(nh)
        return step(self, nh)

    def _unfollowed(self, nh: NextHop) -> Optional[Arrival]:
        t = nh.route.target
        kind = noun(t)
        self.unknown("H5", t, kind, f"the path continues through {kind} {t}, which vpctui does not follow yet", "UNKNOWN_DESTINATION")
        return None

    def _via_local(self, nh: NextHop) -> Optional[Arrival]:
        net, vpc, dest, owner = self.net, self.vpc, nh.dest, nh.owner
        if owner is None and net.unknown("network_interfaces", "vpc_endpoints"):
            self.unknown("H5", vpc.vpc_id, "vpc", f"what has {dest.ip} in {vpc.label} is not known "
                         f"({net.unknown('network_interfaces', 'vpc_endpoints')})")
            return None
        if owner is None or owner.vpc_id != vpc.vpc_id:
            self.hop("H5", vpc.vpc_id, "vpc", DROP, f"nothing in {vpc.label} has the address {dest.ip}")
            self.block("H5", "NO_POSSIBLE_DESTINATION", vpc.vpc_id, f"no network interface in {vpc.label} has {dest.ip}",
                       "check the target address")
            return None
        return self._deliver_local(dest, owner, nh.src_ip, nh.port)

    def _deliver_local(self, dest: Dest, owner, src_ip, port: int) -> Optional[Arrival]:
        net = self.net
        far = net.get(owner.subnet_id)
        same = owner.subnet_id == self.sub.subnet_id
        if not same:
            self._nacl_hop("H6", far, False, "tcp", PortRange(port, port), src_ip, f"inbound TCP {port} from {src_ip}")
        label = owner.endpoint.label if owner.endpoint else owner.host.label if owner.host else owner.component_id
        if owner.kind == "endpoint":
            ep = owner.endpoint
            self.hop("H5", ep.vpc_endpoint_id, "vpc-endpoint", PASS if ep.state == "available" else DROP,
                     f"interface endpoint {label} ENI {dest.ip} in {far.label} (over the local route)",
                     Highlight("endpoint", ep.vpc_endpoint_id))
            if ep.state != "available":
                self.block("H5", "BAD_STATE", ep.vpc_endpoint_id, f"{label} is {ep.state}", f"wait for or recreate {ep.vpc_endpoint_id}")
        elif owner.kind == "host":
            self.hop("H5", owner.component_id, owner.host.kind, PASS, f"{label} ({dest.ip}) in {far.label}", Highlight("host", owner.component_id))
        else:
            self.hop("H5", owner.component_id, "nat-gateway", PASS, f"{label} ({dest.ip})")
        groups = _sgs(net, owner.group_ids)
        if owner.kind != "nat":
            src_peer = Peer(src_ip, None, frozenset(self.fn.security_group_ids))
            fix = (f"allow TCP {port} inbound from {{g0}} (the function's SG) or {_cidr_hint(src_ip)} on {{g}}")
            g0 = self.fn.security_group_ids[0] if self.fn.security_group_ids else "the function's SG"
            self._sg_hop("H7", groups, False, "tcp", port, src_peer, f"from {src_ip} TCP {port}", "ingress",
                         fix.replace("{g0}", g0))
        if not same:
            self._return_nacls(far, dest.ip, port, src_ip)
        return self._arrive(owner, port)

    def _arrive(self, owner: Owner, port: int) -> Optional[Arrival]:
        """H10 at what holds the address: an interface endpoint takes HTTPS on 443 only (the request
        then reaches the service, for H9); a host must listen on the port."""
        if owner.kind == "endpoint":
            if port != 443:
                self.block("H10", "PORT_NOT_LISTENING", owner.component_id, f"interface endpoints accept HTTPS on 443 only, not {port}",
                           "call the service on 443", CONNECTION_REFUSED)
            return Arrival(endpoint=owner.endpoint)
        if owner.kind == "host":
            self._listening(owner.host, port)
        return None

    def _listening(self, h: Host, port: int) -> None:
        if not h.ports:
            self.hop("H10", h.host_id, h.kind, PASS, f"listening ports of {h.label} not given; assumed open")
            return
        if port in h.ports:
            self.hop("H10", h.host_id, h.kind, PASS, f"{h.label} listens on {port}", Highlight("host", h.host_id))
            return
        self.hop("H10", h.host_id, h.kind, DROP, f"{h.label} does not listen on {port} (listens on {', '.join(map(str, h.ports))})")
        self.block("H10", "PORT_NOT_LISTENING", h.host_id,
                   f"the packet reaches {h.label}, which answers TCP RST: nothing listens on {port}",
                   f"connect to {h.label} on {', '.join(map(str, h.ports))}, or start the service on {port}", CONNECTION_REFUSED)

    def _igw_checks(self, h: str, igw, via_nat: bool, route_target: str = "") -> bool:
        vpc, bpa = self.vpc, self.net.block_public_access
        if igw is None or igw.vpc_id != vpc.vpc_id:
            gid = igw.internet_gateway_id if igw else (route_target or "the internet gateway")
            self.hop(h, gid, "internet-gateway", DROP, f"{gid} is not attached to {vpc.label}")
            self.block(h, "BAD_STATE_ATTACHMENT", gid, f"internet gateway {gid} is not attached to {vpc.label}",
                       f"attach {gid} to {vpc.vpc_id}")
            return False
        excluded = vpc.vpc_id in bpa.exclusions or self.sub.subnet_id in bpa.exclusions
        if bpa.mode == "bidirectional" and not excluded:
            self.hop(h, igw.internet_gateway_id, "internet-gateway", DROP, "VPC Block Public Access (bidirectional) blocks the internet gateway")
            self.block(h, "VPC_BLOCK_PUBLIC_ACCESS_ENABLED", igw.internet_gateway_id,
                       "the account's VPC Block Public Access is bidirectional: all traffic through internet gateways is blocked",
                       f"add a BPA exclusion for {vpc.vpc_id} (or the NAT subnet), or switch BPA to ingress-only")
            return False
        if bpa.mode == "ingress" and not excluded and not via_nat:
            self.hop(h, igw.internet_gateway_id, "internet-gateway", DROP, "VPC Block Public Access (ingress-only) blocks direct internet traffic")
            self.block(h, "VPC_BLOCK_PUBLIC_ACCESS_ENABLED", igw.internet_gateway_id,
                       "ingress-only Block Public Access allows only traffic started through NAT gateways and egress-only gateways",
                       f"route through a NAT gateway, or add a BPA exclusion for {vpc.vpc_id}")
            return False
        return True

    def _via_igw(self, nh: NextHop) -> Optional[Arrival]:
        igw, dest, src_ip, rt = nh.target, nh.dest, nh.src_ip, nh.route_table
        if not self._igw_checks("H5", igw, via_nat=False):
            return None
        gid = igw.internet_gateway_id
        hl = Highlight("gateway", gid)
        if dest.ip.version == 4 and any(dest.ip in n for n in _RFC1918):
            self.hop("H5", gid, "internet-gateway", DROP, f"{dest.ip} is a private address", hl)
            self.block("H5", "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS", gid,
                       f"internet gateways do not carry traffic to private addresses such as {dest.ip}",
                       "reach private networks through peering, a transit gateway or a VPN, not the internet gateway")
            return None
        if src_ip.version == 4:
            self.hop("H5", gid, "internet-gateway", DROP,
                     f"source {src_ip} has no public IPv4 address: a Lambda ENI never gets one", hl)
            self.block("H5", "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", gid,
                       f"{self.sub.label} routes to {gid}, but Lambda's Hyperplane ENIs never have a public IP, so the internet "
                       "gateway drops the traffic (a public subnet gives a function no internet access; LAMBDA-2)",
                       _igw_fix(self.net, self.vpc.vpc_id, rt.route_table_id if rt is not None else self.sub.subnet_id,
                                dest.service_key))
            return None
        self.hop("H5", gid, "internet-gateway", PASS, f"IPv6 source {src_ip} is public: out through {gid}", hl)
        self._return_nacls(None, dest.ip, self.t.port, src_ip)
        return Arrival(source_public_ip=addr_text(src_ip), source_label=str(src_ip))

    def _via_eigw(self, nh: NextHop) -> Optional[Arrival]:
        eigw, dest = nh.target, nh.dest
        gid = eigw.egress_only_internet_gateway_id
        if eigw.vpc_id != self.vpc.vpc_id:
            self.hop("H5", gid, "egress-only-internet-gateway", DROP, f"{gid} is not attached to {self.vpc.label}")
            self.block("H5", "BAD_STATE_ATTACHMENT", gid, f"{gid} is not attached to {self.vpc.label}", f"attach {gid} to {self.vpc.vpc_id}")
            return None
        bpa = self.net.block_public_access
        if bpa.mode == "bidirectional" and self.vpc.vpc_id not in bpa.exclusions and self.sub.subnet_id not in bpa.exclusions:
            self.hop("H5", gid, "egress-only-internet-gateway", DROP, "VPC Block Public Access (bidirectional)")
            self.block("H5", "VPC_BLOCK_PUBLIC_ACCESS_ENABLED", gid, "bidirectional Block Public Access blocks egress-only gateways too",
                       f"add a BPA exclusion for {self.vpc.vpc_id}, or switch BPA to ingress-only")
            return None
        self.hop("H5", gid, "egress-only-internet-gateway", PASS, f"IPv6 out through {gid}", Highlight("gateway", gid))
        self._return_nacls(None, dest.ip, self.t.port, self.src_ip6)
        return Arrival(source_public_ip=addr_text(self.src_ip6), source_label=str(self.src_ip6))

    def _via_nat(self, nh: NextHop) -> Optional[Arrival]:
        nat, dest, src_ip, port = nh.target, nh.dest, nh.src_ip, nh.port
        net = self.net
        nid = nat.nat_gateway_id
        hl = Highlight("gateway", nid)
        nat_sub = net.get(nat.subnet_id)
        if nat.state != "available":
            self.hop("H5", nid, "nat-gateway", DROP, f"{nat.name or nid} is {nat.state}", hl)
            self.block("H5", "BAD_STATE", nid, f"NAT gateway {nid} is {nat.state}, not available", f"recreate {nid} or route to an available NAT gateway")
            return None
        if dest.ip.version == 6:
            self.hop("H5", nid, "nat-gateway", DROP, "NAT gateways do not carry IPv6 to the internet", hl)
            self.block("H5", "BAD_STATE", nid, "IPv6 traffic cannot use a NAT gateway", "route ::/0 to an egress-only internet gateway")
            return None
        eip_unknown = net.unknown(f"{nid}:public_ip") if net.unknowns and not nat.public_ip else None
        if nat.connectivity_type == "public" and not nat.public_ip and not eip_unknown:
            self.hop("H5", nid, "nat-gateway", DROP, f"{nid} has no Elastic IP", hl)
            self.block("H5", "BAD_STATE", nid, f"public NAT gateway {nid} has no Elastic IP", f"associate an Elastic IP with {nid}")
            return None
        if nat_sub is None:
            self.unknown("H5", nid, "nat-gateway", f"the subnet of {nid} ({nat.subnet_id}) is not known")
            return None
        if nat_sub.availability_zone != self.sub.availability_zone:
            self.notes.append(f"{nid} is in {nat_sub.availability_zone}, the function's subnet in {self.sub.availability_zone}: "
                              "works, but an outage of that AZ cuts internet access (NAT-4)")
        self.hop("H5", nid, "nat-gateway", PASS,
                 f"{nat.connectivity_type} NAT gateway {nat.name or nid} in {nat_sub.label}: source {src_ip} → "
                 f"{nat.public_ip or ('its Elastic IP (' + eip_unknown + ')' if eip_unknown else '') or nat.private_ip or 'its private IP'}, ports remapped to 1024-65535", hl)
        if nat_sub.subnet_id != self.sub.subnet_id:
            self._nacl_hop("H6", nat_sub, False, "tcp", PortRange(port, port), src_ip, f"NAT subnet inbound TCP {port} from {src_ip}")
        nat_rt = net.route_table_of_subnet.get(nat_sub.subnet_id)
        peer = Peer(dest.ip, dest.service_key)
        m = lookup(net, nat_rt, peer, self.lookups) if nat_rt else None
        if nat.connectivity_type == "private":
            if m is not None and kind_of(m.route.target) == "internet-gateway":
                self.hop("H5", nat_rt.route_table_id, "route-table", DROP, f"{nat_sub.label} sends {dest.ip} to {m.route.target}",
                         Highlight("route", nat_rt.route_table_id, m.route.destination))
                self.block("H5", "PRIVATE_NAT_TO_IGW", nid,
                           f"{nid} is a private NAT gateway: it has no Elastic IP, and the internet gateway drops its traffic",
                           f"use a public NAT gateway (with an Elastic IP) in a public subnet for internet access")
                return None
            comp = m.route.target if m else nat_rt.route_table_id if nat_rt else nid
            self.unknown("H5", comp, "route-table", f"a private NAT gateway forwards to {comp}; vpctui does not follow it further", "UNKNOWN_DESTINATION")
            return None
        self._nacl_hop("H6", nat_sub, True, "tcp", PortRange(port, port), dest.ip, f"NAT subnet outbound TCP {port} to {dest.ip}")
        if m is None or kind_of(m.route.target) != "internet-gateway" or m.route.state != "active":
            rid = nat_rt.route_table_id if nat_rt else nat_sub.subnet_id
            what, hl = route_mark(rid, m)
            self.hop("H5", rid, "route-table", DROP, f"NAT subnet {nat_sub.label}: {what} for {dest.ip}", hl)
            self.block("H5", "NAT_SUBNET_NO_IGW_ROUTE", rid,
                       f"NAT gateway {nid} sits in {nat_sub.label}, whose route table {rid} has {what} to the internet: "
                       "a public NAT gateway must be in a public subnet (0.0.0.0/0 → internet gateway)",
                       f"move {nid} to a public subnet, or add 0.0.0.0/0 → an attached internet gateway to {rid}")
            return None
        self.hop("H5", nat_rt.route_table_id, "route-table", PASS, f"NAT subnet: {dest.ip} matches {m.route.describe()}",
                 Highlight("route", nat_rt.route_table_id, m.route.destination))
        igw = net.get(m.route.target)
        if igw is None and net.unknown("internet_gateways"):
            # the gateways could not be described: whether this one is attached is not known
            self.unknown("H5", m.route.target, "internet-gateway",
                         f"{m.route.target} could not be described ({net.unknown('internet_gateways')})")
            return None
        if not self._igw_checks("H5", igw, via_nat=True, route_target=m.route.target):
            return None
        self.hop("H5", igw.internet_gateway_id, "internet-gateway", PASS,
                 f"out to the internet from the NAT's Elastic IP {nat.public_ip or '(' + str(eip_unknown) + ')'}", Highlight("gateway", igw.internet_gateway_id))
        # replies: into the NAT subnet, back to the Lambda subnet
        self._nacl_hop("H8", nat_sub, False, "tcp", EPHEMERAL, dest.ip, f"reply into NAT subnet from {dest.ip}:{port}")
        if nat_sub.subnet_id != self.sub.subnet_id:
            self._nacl_hop("H8", nat_sub, True, "tcp", EPHEMERAL, src_ip, f"reply out of NAT subnet to {src_ip}:1024-65535")
            self._nacl_hop("H8", self.sub, False, "tcp", EPHEMERAL, dest.ip, f"reply inbound from {dest.ip}:{port} to 1024-65535")
        self.notes.append(NAT_IDLE_NOTE)
        return Arrival(source_public_ip=nat.public_ip)

    def _via_gateway_endpoint(self, nh: NextHop) -> Optional[Arrival]:
        ep, dest, port = nh.target, nh.dest, nh.port
        if ep.is_gateway_load_balancer:
            return via_forwarder(self, nh)  # a pass-through hop (engine/transit.py)
        if not ep.is_gateway:
            self.unknown("H5", ep.vpc_endpoint_id, "vpc-endpoint", f"{ep.label} is not a gateway endpoint (GWLB endpoints are not followed)", "UNKNOWN_DESTINATION")
            return None
        hl = Highlight("endpoint", ep.vpc_endpoint_id)
        if ep.state != "available":
            self.hop("H5", ep.vpc_endpoint_id, "vpc-endpoint", DROP, f"{ep.label} is {ep.state}", hl)
            self.block("H5", "BAD_STATE", ep.vpc_endpoint_id, f"{ep.label} is {ep.state}", f"recreate {ep.vpc_endpoint_id}")
            return None
        self.hop("H5", ep.vpc_endpoint_id, "vpc-endpoint", PASS, f"gateway endpoint {ep.label} ({ep.service_name}) carries it to {ep.service}", hl)
        self._return_nacls(None, dest.ip, port, self.src_ip)
        return Arrival(endpoint=ep)

    def _via_peering(self, nh: NextHop) -> Optional[Arrival]:
        pcx, dest, src_ip, port = nh.target, nh.dest, nh.src_ip, nh.port
        net, vpc = self.net, self.vpc
        pid = pcx.vpc_peering_connection_id
        hl = Highlight("gateway", pid)
        if pcx.status != "active":
            self.hop("H5", pid, "peering-connection", DROP, f"{pid} is {pcx.status}", hl)
            self.block("H5", "BAD_STATE", pid, f"peering connection {pid} is {pcx.status}", f"accept {pid} (status must be active)")
            return None
        peer_id = pcx.peer_of(vpc.vpc_id)
        peer_vpc = net.get(peer_id) if peer_id else None
        if peer_id and peer_vpc is None:
            self.hop("H5", pid, "peering-connection", PASS, f"over {pid} to {peer_id}", hl)
            self.unknown("H5", peer_id, "vpc", f"the peer VPC {peer_id} is not in the loaded network (another account, "
                         "Region, or filtered out): its routes, NACLs and security groups are not known", "UNKNOWN_DESTINATION")
            return None
        if peer_vpc is None:
            self.hop("H5", pid, "peering-connection", DROP, f"{pid} does not connect {vpc.label}", hl)
            self.block("H5", "BAD_STATE_ATTACHMENT", pid, f"{pid} is not a peering of {vpc.label}", f"route to a peering connection of {vpc.vpc_id}")
            return None
        if not peer_vpc.contains(dest.ip):
            if dest.public:
                self.hop("H5", pid, "peering-connection", DROP, f"{dest.ip} is not in {peer_vpc.label}: no edge-to-edge routing", hl)
                self.block("H5", "EDGE_TO_EDGE_NOT_SUPPORTED", pid,
                           f"traffic over {pid} cannot use {peer_vpc.label}'s internet gateway, NAT gateway or gateway endpoints",
                           f"give {vpc.label} its own NAT gateway or VPC endpoint")
            else:
                self.hop("H5", pid, "peering-connection", DROP, f"{dest.ip} is not in {peer_vpc.label}'s CIDRs: peering is not transitive", hl)
                self.block("H5", "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", pid,
                           f"{pid} reaches only {peer_vpc.label} ({', '.join(peer_vpc.cidr_blocks)}); {dest.ip} is beyond it",
                           f"peer {vpc.vpc_id} directly with the VPC that holds {dest.ip}, or use a transit gateway")
            return None
        self.hop("H5", pid, "peering-connection", PASS, f"over {pid} to {peer_vpc.label}", hl)
        owner = _owners(net).get(addr_text(dest.ip))
        if owner is None or owner.vpc_id != peer_vpc.vpc_id:
            self.hop("H5", peer_vpc.vpc_id, "vpc", DROP, f"nothing in {peer_vpc.label} has {dest.ip}")
            self.block("H5", "NO_POSSIBLE_DESTINATION", peer_vpc.vpc_id, f"no network interface in {peer_vpc.label} has {dest.ip}", "check the target address")
            return None
        far = net.get(owner.subnet_id)
        self._nacl_hop("H6", far, False, "tcp", PortRange(port, port), src_ip, f"inbound TCP {port} from {src_ip}")
        src_peer = Peer(src_ip, None, frozenset(self.fn.security_group_ids))
        g0 = self.fn.security_group_ids[0] if self.fn.security_group_ids else "the function's SG"
        self._sg_hop("H7", _sgs(net, owner.group_ids), False, "tcp", port, src_peer, f"from {src_ip} TCP {port}", "ingress",
                     f"allow TCP {port} inbound from {_cidr_hint(src_ip)} (or {g0}) on {{g}}")
        far_rt = net.route_table_of_subnet.get(far.subnet_id)
        back = lookup(net, far_rt, Peer(src_ip), self.lookups) if far_rt else None
        if back is None or back.route.target != pid or back.route.state != "active":
            rid = far_rt.route_table_id if far_rt else far.subnet_id
            what, hl = route_mark(rid, back)
            self.hop("H8", rid, "route-table", DROP, f"reply to {src_ip}: {what} in {far_rt.label if far_rt else rid}", hl)
            self.block("H8", "PEERING_NO_RETURN_ROUTE", rid,
                       f"the request reaches {owner.component_id}, but {rid} in {peer_vpc.label} has {what} back to {src_ip} over {pid}",
                       f"add a route {_vpc_cidr_of(vpc, src_ip)} → {pid} to {rid}")
        else:
            self.hop("H8", far_rt.route_table_id, "route-table", PASS, f"reply to {src_ip} matches {back.route.describe()}",
                     Highlight("route", far_rt.route_table_id, back.route.destination))
        self._return_nacls(far, dest.ip, port, src_ip)
        return self._arrive(owner, port)  # H10 as in the VPC itself: an endpoint takes 443 only


# The next hop by route-target kind (model/route_targets.py). Kinds without a row are not followed.
NEXT_HOPS: dict[str, Callable[[GatewaySteps, NextHop], Optional[Arrival]]] = {
    "local": GatewaySteps._via_local,
    "internet-gateway": GatewaySteps._via_igw,
    "egress-only-internet-gateway": GatewaySteps._via_eigw,
    "nat-gateway": GatewaySteps._via_nat,
    "vpc-endpoint": GatewaySteps._via_gateway_endpoint,
    "peering-connection": GatewaySteps._via_peering,
    "transit-gateway": via_transit_gateway,          # engine/transit.py
    "network-interface": via_forwarder,              # appliance ENIs, NAT instances (engine/transit.py)
    "instance": via_forwarder,
    "virtual-private-gateway": via_vpn_gateway,
}
