"""H5..H8 through a transit gateway, and the hops that forward rather than end.

``via_transit_gateway`` is the next-hop step for a route whose target is a ``tgw-`` (the row in
``gateways.NEXT_HOPS``). It follows AWS's transit gateway rules (docs/aws-behaviour.md, TGW-1..):
the packet enters the TGW only through the VPC attachment's subnet in the same Availability Zone as
the subnet it comes from (TGW-1); the attachment's associated TGW route table decides where it goes
(TGW-2, longest prefix match, static over propagated, blackholes TGW-4); it leaves through the
destination attachment's subnet in the same AZ where there is one (AZ affinity) and is routed in
that VPC by the attachment subnet's route table (TGW-5). The reply needs routes all the way back:
the destination subnet's (or the NAT's) route table to the TGW, and the destination attachment's TGW
route table to the source attachment (TGW-6). Security groups on the far side see the function's
address, never its security group (TGW-7).

Gateway Load Balancer endpoints (and AWS Network Firewall's endpoints, which are GWLB endpoints) and
appliance ENIs (NAT instances, firewalls with source/destination check off) forward the traffic:
vpctui follows them as pass-through hops and says that it cannot see the appliance's own rules.
VPN, Direct Connect and TGW peering attachments end the path ``unknown``: what lies beyond is not
in the input.
"""

from __future__ import annotations

import ipaddress
from typing import Optional

from ..model.network import EPHEMERAL, Host, Network, PortRange, Subnet, Vpc, VpcEndpoint
from ..model.tgw import TgwAttachment, TgwRoute, TgwRouteTable, TransitGateway
from .filters import Peer
from .index import _owners, _sgs
from .path import Arrival, Dest
from .result import CONNECTION_REFUSED, DROP, INFO, PASS, Highlight
from .routing import lookup

# transit gateway → VPC → transit gateway ... (an inspection VPC, a second TGW): a bound on the hops
# through forwarding components, so a routing loop ends instead of spinning
MAX_FORWARDS = 6

_NOUN = {"vpn": "VPN", "direct-connect-gateway": "Direct Connect gateway", "peering": "transit gateway peering",
         "connect": "Connect (GRE/BGP)", "network-function": "network function"}


def via_transit_gateway(p, nh) -> Optional[Arrival]:
    """The next-hop step for ``tgw-`` route targets (``p`` is the path tracer)."""
    tgw = nh.target
    tid = nh.route.target
    if not isinstance(tgw, TransitGateway):
        u = p.net.unknown("transit_gateways")
        p.unknown("H5", tid, "transit-gateway",
                  f"{tid} is not in the loaded network" + (f" ({u})" if u else
                  " (another account's transit gateway, or not described): its attachments and route tables are not known"),
                  "UNKNOWN_DESTINATION")
        return None
    return _Walk(p, nh.src_ip, nh.dest, nh.port).enter(tgw, p.vpc, p.sub, 0)


def via_vpn_gateway(p, nh) -> Optional[Arrival]:
    """A route to a virtual private gateway: the path leaves AWS over a VPN or Direct Connect."""
    t = nh.route.target
    p.unknown("H5", t, "virtual-private-gateway",
              f"the path leaves {p.vpc.label} through the virtual private gateway {t} (a VPN or Direct Connect): the "
              "network beyond it is not in the input, so whether the target answers is not known", "UNKNOWN_DESTINATION")
    return None


def via_forwarder(p, nh) -> Optional[Arrival]:
    """The next-hop step for routes to a Gateway Load Balancer endpoint or an appliance ENI in the
    function's own VPC (``vpce-`` GWLB endpoints, ``eni-``, ``i-``)."""
    w = _Walk(p, nh.src_ip, nh.dest, nh.port)
    return w.forward(p.vpc, p.sub, nh.route.target, nh.target, nh.route_table, 0, None)


class _Walk:
    """One request's way through transit gateways and forwarding hops."""

    def __init__(self, p, src_ip, dest: Dest, port: int):
        self.p, self.net, self.src_ip, self.dest, self.port = p, p.net, src_ip, dest, port
        self.entry_att: Optional[TgwAttachment] = None  # the function VPC's attachment (for the reply)

    # ---- entering a transit gateway ---------------------------------------------------------------

    def enter(self, tgw: TransitGateway, vpc: Vpc, from_sub: Subnet, depth: int) -> Optional[Arrival]:
        p, net, ip = self.p, self.net, self.dest.ip
        tid = tgw.transit_gateway_id
        hl = Highlight("tgw", tid)
        if depth > MAX_FORWARDS:
            p.unknown("H5", tid, "transit-gateway", f"the path loops through {tid}: more than {MAX_FORWARDS} forwarding hops",
                      "UNKNOWN_DESTINATION")
            return None
        if tgw.state != "available":
            p.hop("H5", tid, "transit-gateway", DROP, f"{tgw.label} is {tgw.state}", hl)
            p.block("H5", "BAD_STATE", tid, f"transit gateway {tid} is {tgw.state}, not available", f"use an available transit gateway instead of {tid}")
            return None
        att = net.tgw_attachment_of_vpc.get((tid, vpc.vpc_id))
        if att is None:
            u = net.unknown("transit_gateway_attachments")
            if u:
                p.unknown("H5", tid, "transit-gateway", f"the attachments of {tid} could not be read ({u})")
                return None
            p.hop("H5", tid, "transit-gateway", DROP, f"{vpc.label} has no attachment to {tgw.label}", hl)
            p.block("H5", "BAD_STATE_ATTACHMENT", tid,
                    f"{vpc.label} routes to {tid} but is not attached to it: the route goes nowhere",
                    f"attach {vpc.vpc_id} to {tid} (one subnet per Availability Zone), or remove the route")
            return None
        aid = att.transit_gateway_attachment_id
        ahl = Highlight("tgw_attachment", aid)
        if att.state != "available":
            p.hop("H5", aid, "transit-gateway-attachment", DROP, f"{att.label} is {att.state}", ahl)
            p.block("H5", "BAD_STATE_ATTACHMENT", aid, f"the attachment {aid} of {vpc.label} to {tid} is {att.state}",
                    f"accept or recreate {aid} (state must be available)")
            return None
        az = from_sub.availability_zone
        subs = [s for s in (net.get(x) for x in att.subnet_ids) if isinstance(s, Subnet)]
        entry = next((s for s in subs if s.availability_zone == az), None)
        if entry is None:
            azs = ", ".join(sorted({s.availability_zone for s in subs})) or "no Availability Zone"
            p.hop("H5", aid, "transit-gateway-attachment", DROP,
                  f"{att.label} has no subnet in {az} (it has {azs}): {from_sub.label} cannot reach {tgw.label}", ahl)
            p.block("H5", "TGW_ROUTE_AZ_RESTRICTION", aid,
                    f"traffic is forwarded to a transit gateway only through its attachment's subnet in the same "
                    f"Availability Zone; {att.label} has subnets in {azs}, and {from_sub.label} is in {az} (TGW-1)",
                    f"add a subnet of {vpc.vpc_id} in {az} to {aid} (ModifyTransitGatewayVpcAttachment AddSubnetIds)")
            return None
        if self.entry_att is None:
            self.entry_att = att
        p.hop("H5", aid, "transit-gateway-attachment", PASS,
              f"into {tgw.label} through {att.label} (its ENI in {entry.label}, {az})", ahl)
        rtb = net.tgw_route_table_of_attachment.get(aid)
        if rtb is None:
            u = net.unknown("transit_gateway_route_tables", f"{aid}:association")
            if u:
                p.unknown("H5", aid, "transit-gateway-attachment", f"the route table associated with {aid} is not known ({u})")
                return None
            tables = [r.transit_gateway_route_table_id for r in net.transit_gateway_route_tables if r.transit_gateway_id == tid]
            p.hop("H5", aid, "transit-gateway-attachment", DROP, f"{att.label} is associated with no route table of {tgw.label}", ahl)
            p.block("H5", "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION", aid,
                    f"{att.label} has no transit gateway route table association, so {tid} routes nothing that "
                    f"enters through it (TGW-3)",
                    f"associate {aid} with a route table of {tid}" + (f" (e.g. {tables[0]})" if tables else ""))
            return None
        out = self._tgw_route(tgw, rtb, "H5", ip, "")
        if out is None:
            return None
        return self.leave(tgw, att, out, depth)

    def _tgw_route(self, tgw: TransitGateway, rtb: TgwRouteTable, h: str, ip, why: str) -> Optional[TgwAttachment]:
        """Look ``ip`` up in ``rtb``; record the hop; the attachment it leaves through, or None."""
        p, net = self.p, self.net
        rid = rtb.transit_gateway_route_table_id
        u = net.unknown(rid)
        if u:
            p.unknown(h, rid, "transit-gateway-route-table", f"the routes of {rtb.label} are not known ({u})", "TGW_RTB_ROUTES_ARE_UNKNOWN")
            return None
        m = tgw_lookup(net, rtb, ip)
        if m is None:
            p.hop(h, rid, "transit-gateway-route-table", DROP, f"{why}no route for {ip} in {rtb.label}", Highlight("tgw_route_table", rid))
            dest_att = _attachment_holding(net, tgw, ip)
            if dest_att is not None:
                cidr = _vpc_cidr(net.get(dest_att.resource_id), ip)
                p.block(h, "TGW_RTB_NO_ROUTE_TO_TGW_ATTACHMENT", rid,
                        f"{rtb.label} has no route to {dest_att.label} ({dest_att.resource_id}) for {ip}: neither a "
                        f"propagation from {dest_att.transit_gateway_attachment_id} nor a static route (TGW-2)",
                        f"enable propagation of {dest_att.transit_gateway_attachment_id} to {rid}, or add a static route "
                        f"{cidr} → {dest_att.transit_gateway_attachment_id} to {rid}")
            else:
                p.block(h, "NO_ROUTE_TO_DESTINATION", rid, f"{rtb.label} has no route that covers {ip} (TGW-2)",
                        f"add a static route for {'0.0.0.0/0' if self.dest.public else _host_cidr(ip)} to {rid}, pointing at the "
                        "attachment of the VPC that carries it on (an egress VPC with NAT gateways for the internet)")
            return None
        r = m
        rhl = Highlight("tgw_route", rid, r.destination_cidr_block)
        if r.is_blackhole:
            p.hop(h, rid, "transit-gateway-route-table", DROP, f"{why}{ip} matches {r.describe()} in {rtb.label}", rhl)
            p.block(h, "TGW_RTB_BAD_STATE_ROUTE", rid,
                    f"{rtb.label} drops traffic to {r.destination_cidr_block}: the route is a blackhole (TGW-4)",
                    f"remove the blackhole route {r.destination_cidr_block} from {rid} or replace it with a route to an attachment"
                    + (" (if the blackhole isolates these VPCs on purpose, the drop is intended)" if not self.dest.public else ""))
            return None
        att = net.get(r.attachment_id)
        p.hop(h, rid, "transit-gateway-route-table", PASS, f"{why}{ip} matches {r.describe()} in {rtb.label}", rhl)
        if not isinstance(att, TgwAttachment):
            u = net.unknown("transit_gateway_attachments")
            p.unknown(h, r.attachment_id, "transit-gateway-attachment",
                      f"attachment {r.attachment_id} is not in the loaded network" + (f" ({u})" if u else ""), "UNKNOWN_DESTINATION")
            return None
        return att

    # ---- leaving a transit gateway ---------------------------------------------------------------

    def leave(self, tgw: TransitGateway, att_in: TgwAttachment, out: TgwAttachment, depth: int) -> Optional[Arrival]:
        p, net = self.p, self.net
        oid = out.transit_gateway_attachment_id
        ohl = Highlight("tgw_attachment", oid)
        if not out.is_vpc:
            what = _NOUN.get(out.resource_type, out.resource_type)
            p.hop("H5", oid, "transit-gateway-attachment", INFO, f"out of {tgw.label} through {out.label} ({what})", ohl)
            p.unknown("H5", oid, "transit-gateway-attachment",
                      f"the path leaves {tgw.label} through a {what} attachment ({out.resource_id or oid}): the network "
                      "beyond it (on premises, another Region or account) is not in the input, so whether the target answers is not known",
                      "UNKNOWN_DESTINATION")
            return None
        if out.state != "available":
            p.hop("H5", oid, "transit-gateway-attachment", DROP, f"{out.label} is {out.state}", ohl)
            p.block("H5", "BAD_STATE_ATTACHMENT", oid, f"the attachment {oid} is {out.state}", f"accept or recreate {oid}")
            return None
        if out is att_in:
            p.hop("H5", oid, "transit-gateway-attachment", DROP, f"{tgw.label} would send the packet back out of {out.label}", ohl)
            p.block("H5", "NO_ROUTE_TO_DESTINATION", oid, f"the route sends {self.dest.ip} back into the VPC it came from",
                    "route the destination to the attachment of the VPC that holds it")
            return None
        vpc = net.get(out.resource_id)
        if not isinstance(vpc, Vpc):
            p.hop("H5", oid, "transit-gateway-attachment", PASS, f"out of {tgw.label} through {out.label}", ohl)
            p.unknown("H5", out.resource_id, "vpc", f"{out.resource_id}, the VPC of {oid}, is not in the loaded network "
                      "(another account or not described): its routes, ACLs and security groups are not known", "UNKNOWN_DESTINATION")
            return None
        az = p.sub.availability_zone
        subs = [s for s in (net.get(x) for x in out.subnet_ids) if isinstance(s, Subnet)]
        if not subs:
            p.unknown("H5", oid, "transit-gateway-attachment", f"the subnets of {oid} are not known", "UNKNOWN_RESOURCE")
            return None
        exit_sub = next((s for s in subs if s.availability_zone == az), subs[0])
        if out.appliance_mode_support:
            p.notes.append(f"{out.label} has appliance mode on: {tgw.label} keeps each flow on one of its Availability "
                           "Zones for the flow's lifetime (TGW-5); vpctui follows the subnet in the function's AZ where there is one")
        elif exit_sub.availability_zone != az:
            p.notes.append(f"{out.label} has no subnet in {az}: the traffic crosses to {exit_sub.availability_zone} "
                           "(AVAILABILITY_ZONE_CROSSED; an availability risk, not a block)")
        p.hop("H5", oid, "transit-gateway-attachment", PASS,
              f"out of {tgw.label} through {out.label} (its ENI in {exit_sub.label}, {exit_sub.availability_zone}) into {vpc.label}", ohl)
        return self.in_vpc(vpc, exit_sub, tgw, out, depth)

    # ---- inside the VPC the TGW delivered to -----------------------------------------------------

    def in_vpc(self, vpc: Vpc, at: Subnet, tgw: Optional[TransitGateway], att: Optional[TgwAttachment],
               depth: int) -> Optional[Arrival]:
        """The packet is in ``vpc`` at subnet ``at`` (the TGW attachment's ENI, or a forwarding
        hop), addressed to dest, from the function's address."""
        p, net, ip = self.p, self.net, self.dest.ip
        if vpc.contains(ip):
            owner = _owners(net).get(str(ip))
            if owner is None or owner.vpc_id != vpc.vpc_id:
                u = net.unknown("network_interfaces", "vpc_endpoints")
                if u:
                    p.unknown("H5", vpc.vpc_id, "vpc", f"what has {ip} in {vpc.label} is not known ({u})")
                    return None
                p.hop("H5", vpc.vpc_id, "vpc", DROP, f"nothing in {vpc.label} has the address {ip}")
                p.block("H5", "NO_POSSIBLE_DESTINATION", vpc.vpc_id, f"no network interface in {vpc.label} has {ip}", "check the target address")
                return None
            return self.deliver(vpc, owner, tgw, att)
        rt = net.route_table_of_subnet.get(at.subnet_id)
        if rt is None:
            p.unknown("H5", at.subnet_id, "route-table", f"the route table of {at.label} is not known")
            return None
        m = lookup(net, rt, Peer(ip, self.dest.service_key), p.lookups)
        hl = Highlight("route", rt.route_table_id, m.route.destination) if m else Highlight("route_table", rt.route_table_id)
        if m is None or m.route.state != "active":
            what = "no route" if m is None else m.route.describe()
            p.hop("H5", rt.route_table_id, "route-table", DROP, f"{at.label} ({vpc.label}): {what} for {ip} in {rt.label}", hl)
            p.block("H5", "NO_ROUTE_TO_DESTINATION" if m is None else "BAD_STATE_ROUTE", rt.route_table_id,
                    f"{rt.label}, the route table of {at.label} in {vpc.label}, has {what} for {ip}",
                    f"route {'0.0.0.0/0' if self.dest.public else _host_cidr(ip)} in {rt.route_table_id} to "
                    + ("a NAT gateway in a public subnet of " + vpc.vpc_id if self.dest.public else "where it lives"))
            return None
        r = m.route
        p.hop("H5", rt.route_table_id, "route-table", PASS, f"{at.label} ({vpc.label}): {ip} matches {r.describe()} in {rt.label}", hl)
        t = r.target
        comp = net.get(t)
        if t.startswith("nat-") and comp is not None:
            return self.via_nat(vpc, comp, att, tgw)
        if t.startswith("igw-"):
            return self._igw_from_outside(vpc, at, rt, t, att)
        if t.startswith("tgw-"):
            if not isinstance(comp, TransitGateway):
                p.unknown("H5", t, "transit-gateway", f"{t} is not in the loaded network", "UNKNOWN_DESTINATION")
                return None
            return self.enter(comp, vpc, at, depth + 1)
        if t.startswith(("eni-", "i-")) or (isinstance(comp, VpcEndpoint) and comp.is_gateway_load_balancer):
            return self.forward(vpc, at, t, comp, rt, depth + 1, att)
        if isinstance(comp, VpcEndpoint) and comp.is_gateway:
            p.hop("H5", t, "vpc-endpoint", DROP, f"{comp.label} is a gateway endpoint: traffic from outside {vpc.label} cannot use it",
                  Highlight("endpoint", t))
            p.block("H5", "EDGE_TO_EDGE_NOT_SUPPORTED", t,
                    f"a gateway endpoint carries only traffic that starts in its own VPC; the request comes from "
                    f"{p.vpc.label} through a transit gateway",
                    f"add an interface endpoint for {comp.service} (reachable through the transit gateway), or a gateway endpoint in {p.vpc.vpc_id}")
            return None
        if t.startswith("pcx-"):
            p.hop("H5", t, "peering-connection", DROP, f"{vpc.label} cannot pass transit traffic over {t}", Highlight("gateway", t))
            p.block("H5", "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", t,
                    f"a peering connection carries only traffic whose source or destination is in the peer VPCs; {self.src_ip} is in neither",
                    f"attach the destination VPC to {tgw.transit_gateway_id if tgw else 'the transit gateway'} instead")
            return None
        p.unknown("H5", t, "gateway", f"from {vpc.label} the path continues through {t}, which vpctui does not follow", "UNKNOWN_DESTINATION")
        return None

    def deliver(self, vpc: Vpc, owner, tgw: Optional[TransitGateway], att: Optional[TgwAttachment]) -> Optional[Arrival]:
        """The destination is an address in ``vpc`` reached through the TGW (or a forwarder)."""
        p, net, ip, port, src = self.p, self.net, self.dest.ip, self.port, self.src_ip
        far = net.get(owner.subnet_id)
        p._nacl_hop("H6", far, False, "tcp", PortRange(port, port), src, f"inbound TCP {port} from {src}")
        if owner.kind == "endpoint":
            ep = owner.endpoint
            p.hop("H5", ep.vpc_endpoint_id, "vpc-endpoint", PASS if ep.state == "available" else DROP,
                  f"interface endpoint {ep.label} ENI {ip} in {far.label} ({vpc.label})", Highlight("endpoint", ep.vpc_endpoint_id))
            if ep.state != "available":
                p.block("H5", "BAD_STATE", ep.vpc_endpoint_id, f"{ep.label} is {ep.state}", f"wait for or recreate {ep.vpc_endpoint_id}")
        elif owner.kind == "host":
            p.hop("H5", owner.component_id, owner.host.kind, PASS, f"{owner.host.label} ({ip}) in {far.label} ({vpc.label})",
                  Highlight("host", owner.component_id))
        else:
            p.hop("H5", owner.component_id, "nat-gateway", PASS, f"{owner.component_id} ({ip})")
        if owner.kind != "nat":
            # across a transit gateway the far side sees the function's address, never its security
            # group (security group referencing is a TGW option vpctui does not read): TGW-7
            groups = _sgs(net, owner.group_ids)
            cidr = _vpc_cidr(p.vpc, src)
            ok = p._sg_hop("H7", groups, False, "tcp", port, Peer(src, None, frozenset()), f"from {src} TCP {port}", "ingress",
                           f"allow TCP {port} inbound from {cidr} (the function's VPC; security group references do not "
                           "match across a transit gateway) on {g}")
            if not ok and groups and any(r.group_id in self.p.fn.security_group_ids for g in groups for r in g.ingress):
                p.notes.append(f"{groups[0].label} admits the function's security group by reference; across a transit "
                               f"gateway the request arrives as {src} with no security group, so the reference does not match (TGW-7)")
        self._reply_route(net.route_table_of_subnet.get(far.subnet_id), far.label, tgw, att)
        p._return_nacls(far, ip, port, src)
        if owner.kind == "endpoint":
            if port != 443:
                p.block("H10", "PORT_NOT_LISTENING", owner.component_id, f"interface endpoints accept HTTPS on 443 only, not {port}",
                        "call the service on 443", CONNECTION_REFUSED)
            return Arrival(endpoint=owner.endpoint)
        if owner.kind == "host":
            p._listening(owner.host, port)
        return None

    def via_nat(self, vpc: Vpc, nat, att: Optional[TgwAttachment], tgw: Optional[TransitGateway]) -> Optional[Arrival]:
        """A NAT gateway in the VPC the request was carried to (centralized egress, TGW-5)."""
        p, net, ip, port = self.p, self.net, self.dest.ip, self.port
        nid = nat.nat_gateway_id
        hl = Highlight("gateway", nid)
        nat_sub = net.get(nat.subnet_id)
        eip_unknown = net.unknown(f"{nid}:public_ip") if net.unknowns and not nat.public_ip else None
        eip = nat.public_ip or f"its Elastic IP ({eip_unknown})"
        if nat.state != "available" or (nat.connectivity_type == "public" and not nat.public_ip and not eip_unknown) or ip.version == 6:
            why = (f"is {nat.state}" if nat.state != "available" else "carries no IPv6" if ip.version == 6 else "has no Elastic IP")
            p.hop("H5", nid, "nat-gateway", DROP, f"{nat.name or nid} {why}", hl)
            p.block("H5", "BAD_STATE", nid, f"NAT gateway {nid} {why}", f"route to an available public NAT gateway with an Elastic IP in {vpc.vpc_id}")
            return None
        if not isinstance(nat_sub, Subnet):
            p.unknown("H5", nid, "nat-gateway", f"the subnet of {nid} ({nat.subnet_id}) is not known")
            return None
        if nat.connectivity_type == "private":
            p.unknown("H5", nid, "nat-gateway", f"{nid} is a private NAT gateway; vpctui does not follow it further", "UNKNOWN_DESTINATION")
            return None
        p.hop("H5", nid, "nat-gateway", PASS,
              f"NAT gateway {nat.name or nid} in {nat_sub.label} ({vpc.label}): source {self.src_ip} → {eip}", hl)
        p._nacl_hop("H6", nat_sub, False, "tcp", PortRange(port, port), self.src_ip, f"NAT subnet inbound TCP {port} from {self.src_ip}")
        nat_rt = net.route_table_of_subnet.get(nat_sub.subnet_id)
        m = lookup(net, nat_rt, Peer(ip, self.dest.service_key), p.lookups) if nat_rt else None
        rid = nat_rt.route_table_id if nat_rt else nat_sub.subnet_id
        if m is None or not m.route.target.startswith("igw-") or m.route.state != "active":
            what = "no route" if m is None else m.route.describe()
            p.hop("H5", rid, "route-table", DROP, f"NAT subnet {nat_sub.label}: {what} for {ip}",
                  Highlight("route", rid, m.route.destination) if m else Highlight("route_table", rid))
            p.block("H5", "NAT_SUBNET_NO_IGW_ROUTE", rid,
                    f"NAT gateway {nid} sits in {nat_sub.label}, whose route table {rid} has {what} to the internet",
                    f"add 0.0.0.0/0 → an internet gateway attached to {vpc.vpc_id} to {rid}")
            return None
        p.hop("H5", rid, "route-table", PASS, f"NAT subnet: {ip} matches {m.route.describe()}", Highlight("route", rid, m.route.destination))
        igw = net.get(m.route.target)
        if not self._igw_ok(vpc, nat_sub, igw, via_nat=True):
            return None
        p.hop("H5", igw.internet_gateway_id, "internet-gateway", PASS, f"out to the internet from the NAT's Elastic IP {nat.public_ip or '(' + str(eip_unknown) + ')'}",
              Highlight("gateway", igw.internet_gateway_id))
        p._nacl_hop("H8", nat_sub, False, "tcp", EPHEMERAL, ip, f"reply into NAT subnet from {ip}:{port}")
        # the NAT sends the reply to the function's address with its own subnet's route table
        self._reply_route(nat_rt, f"{nat_sub.label} (the subnet of {nid})", tgw, att)
        p._nacl_hop("H8", nat_sub, True, "tcp", EPHEMERAL, self.src_ip, f"reply out of NAT subnet to {self.src_ip}:1024-65535")
        p._nacl_hop("H8", p.sub, False, "tcp", EPHEMERAL, ip, f"reply inbound from {ip}:{port} to 1024-65535")
        return Arrival(source_public_ip=nat.public_ip)

    def _igw_ok(self, vpc: Vpc, sub: Subnet, igw, via_nat: bool) -> bool:
        p, bpa = self.p, self.net.block_public_access
        if igw is None or igw.vpc_id != vpc.vpc_id:
            gid = igw.internet_gateway_id if igw else "igw"
            p.hop("H5", gid, "internet-gateway", DROP, f"{gid} is not attached to {vpc.label}")
            p.block("H5", "BAD_STATE_ATTACHMENT", gid, f"internet gateway {gid} is not attached to {vpc.label}", f"attach {gid} to {vpc.vpc_id}")
            return False
        excluded = vpc.vpc_id in bpa.exclusions or sub.subnet_id in bpa.exclusions
        if not excluded and (bpa.mode == "bidirectional" or (bpa.mode == "ingress" and not via_nat)):
            p.hop("H5", igw.internet_gateway_id, "internet-gateway", DROP, f"VPC Block Public Access ({bpa.mode})")
            p.block("H5", "VPC_BLOCK_PUBLIC_ACCESS_ENABLED", igw.internet_gateway_id,
                    f"the account's VPC Block Public Access ({bpa.mode}) blocks this internet gateway traffic",
                    f"add a BPA exclusion for {vpc.vpc_id}, or switch BPA to ingress-only")
            return False
        return True

    def _igw_from_outside(self, vpc: Vpc, at: Subnet, rt, gid: str, att: Optional[TgwAttachment]) -> Optional[Arrival]:
        """The attachment (or forwarder) subnet routes the internet straight to the IGW: the
        function's private address has no public IP mapping, so the IGW drops it (TGW-5)."""
        p = self.p
        igw = self.net.get(gid)
        if not self._igw_ok(vpc, at, igw, via_nat=False):
            return None
        p.hop("H5", gid, "internet-gateway", DROP, f"source {self.src_ip} (from {p.vpc.label}) has no public IP in {vpc.label}",
              Highlight("gateway", gid))
        where = f"{att.label}'s subnet {at.label}" if att else at.label
        p.block("H5", "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", gid,
                f"{where} routes 0.0.0.0/0 straight to {gid}, so traffic from {p.vpc.label} bypasses the NAT gateways; "
                f"the internet gateway drops {self.src_ip}, which has no public IP (TGW-5)",
                f"place {att.transit_gateway_attachment_id if att else 'the attachment'} in its own subnets of {vpc.vpc_id} "
                f"whose route table sends 0.0.0.0/0 to a NAT gateway (not in the public subnets), or change {rt.route_table_id} that way")
        return None

    # ---- pass-through hops (GWLB / Network Firewall endpoints, appliance ENIs) -------------------

    def forward(self, vpc: Vpc, at: Subnet, tid: str, comp, rt, depth: int, att: Optional[TgwAttachment]) -> Optional[Arrival]:
        p, net = self.p, self.net
        if depth > MAX_FORWARDS:
            p.unknown("H5", tid, "gateway", f"the path loops: more than {MAX_FORWARDS} forwarding hops", "UNKNOWN_DESTINATION")
            return None
        if isinstance(comp, VpcEndpoint):
            if comp.state != "available":
                p.hop("H5", tid, "vpc-endpoint", DROP, f"{comp.label} is {comp.state}", Highlight("endpoint", tid))
                p.block("H5", "BAD_STATE", tid, f"{comp.label} is {comp.state}", f"recreate {tid}")
                return None
            subs = [s for s in (net.get(e.subnet_id) for e in comp.enis) if isinstance(s, Subnet)] or \
                   [s for s in (net.get(x) for x in comp.subnet_ids) if isinstance(s, Subnet)]
            if not subs:
                p.unknown("H5", tid, "vpc-endpoint", f"the subnet of {comp.label} is not known")
                return None
            nxt = next((s for s in subs if s.availability_zone == at.availability_zone), subs[0])
            p.hop("H5", tid, "vpc-endpoint", PASS,
                  f"Gateway Load Balancer endpoint {comp.label} in {nxt.label}: the appliances behind it (e.g. AWS Network "
                  "Firewall) inspect the traffic and return it; their rules are not visible to vpctui", Highlight("endpoint", tid))
            p.notes.append(f"the path passes {comp.label} (a Gateway Load Balancer / firewall endpoint): vpctui cannot see "
                           "the inspection rules behind it, so it assumes they let the traffic through (PATH_THROUGH_GWLB_NOT_CHECKED)")
            return self.in_vpc(vpc, nxt, None, att, depth)
        h = comp if isinstance(comp, Host) else None
        if h is None:
            u = net.unknown("network_interfaces")
            p.unknown("H5", tid, "network-interface", f"{tid} is not in the loaded network" + (f" ({u})" if u else ""), "UNKNOWN_DESTINATION")
            return None
        hsub = net.get(h.subnet_id)
        hhl = Highlight("host", h.host_id)
        if h.source_dest_check:
            p.hop("H5", h.host_id, h.kind, DROP, f"{h.label} has source/destination check on: it drops traffic not addressed to it", hhl)
            p.block("H5", "SOURCE_DEST_CHECK_ENABLED", h.host_id,
                    f"the route sends the traffic to {h.label}, but its network interface checks source and destination, so it "
                    "drops packets that are neither from nor to it (TGW-8)",
                    f"turn off the source/destination check on {h.network_interface_id or h.host_id} (a NAT instance or appliance needs that)")
            return None
        groups = _sgs(net, h.security_group_ids)
        if not p._sg_hop("H5", groups, False, "tcp", self.port, Peer(self.src_ip, None, frozenset(p.fn.security_group_ids)),
                         f"into {h.label} from {self.src_ip} TCP {self.port}", "ingress",
                         f"allow TCP {self.port} inbound from {_vpc_cidr(p.vpc, self.src_ip)} on {{g}} (the appliance's security group)"):
            return None
        p.hop("H5", h.host_id, h.kind, PASS,
              f"{h.label} forwards the traffic (source/destination check off); what its own software filters or "
              "translates is not visible to vpctui", hhl)
        p.notes.append(f"the path passes {h.label}, an appliance or NAT instance: vpctui cannot see its own rules (iptables, "
                       "firewall software) and assumes it forwards the request (TGW-8)")
        if not isinstance(hsub, Subnet):
            p.unknown("H5", h.subnet_id, "subnet", f"the subnet of {h.label} is not known")
            return None
        hvpc = net.get(hsub.vpc_id)
        if self.dest.public and h.public_ip:
            # a NAT instance with a public address: out through its VPC's internet gateway
            hrt = net.route_table_of_subnet.get(hsub.subnet_id)
            m = lookup(net, hrt, Peer(self.dest.ip, self.dest.service_key), p.lookups) if hrt else None
            if m is not None and m.route.target.startswith("igw-") and m.route.state == "active":
                igw = net.get(m.route.target)
                if not self._igw_ok(hvpc, hsub, igw, via_nat=False):
                    return None
                p.hop("H5", m.route.target, "internet-gateway", PASS, f"out to the internet from {h.label}'s public IP {h.public_ip}",
                      Highlight("gateway", m.route.target))
                return Arrival(source_public_ip=h.public_ip)
        return self.in_vpc(hvpc, hsub, None, att, depth)

    # ---- the reply ------------------------------------------------------------------------------

    def _reply_route(self, rt, where: str, tgw: Optional[TransitGateway], att: Optional[TgwAttachment]) -> None:
        """H8: the reply leaves ``where`` with route table ``rt`` for the function's address; across
        a TGW it then needs the far attachment's TGW route table to route it back (TGW-6)."""
        p, net, src = self.p, self.net, self.src_ip
        if rt is None:
            return
        rid = rt.route_table_id
        back = lookup(net, rt, Peer(src), p.lookups)
        if p.vpc is not None and net.get(rt.vpc_id) is p.vpc and back is not None and back.route.target == "local":
            return  # the reply stays in the function's own VPC
        tid = tgw.transit_gateway_id if tgw else None
        fwd = net.get(back.route.target) if back is not None and back.route.state == "active" else None
        if (isinstance(fwd, VpcEndpoint) and fwd.is_gateway_load_balancer) or (isinstance(fwd, Host) and not fwd.source_dest_check):
            # the reply is inspected on its way back (symmetric inspection): vpctui follows it no further
            p.hop("H8", rid, "route-table", PASS, f"reply to {src} matches {back.route.describe()} in {rt.label}: it passes "
                  f"{fwd.label if isinstance(fwd, Host) else fwd.label} on its way back (not followed further)",
                  Highlight("route", rid, back.route.destination))
            return
        ok = back is not None and back.route.state == "active" and (back.route.target == tid if tid else back.route.target.startswith("tgw-"))
        cidr = _vpc_cidr(p.vpc, src)
        if not ok:
            what = "no route" if back is None else back.route.describe()
            p.hop("H8", rid, "route-table", DROP, f"reply to {src}: {what} in {rt.label}",
                  Highlight("route", rid, back.route.destination) if back else Highlight("route_table", rid))
            p.block("H8", "RESPONSE_RTB_HAS_NO_ROUTE_TO_TRANSIT_GATEWAY", rid,
                    f"the request arrives, but {rt.label} (the route table of {where}) has {what} back to {src}: "
                    f"the reply to {p.vpc.label if p.vpc else 'the function'} is lost (TGW-6)",
                    f"add a route {cidr} → {tid or 'the transit gateway'} to {rid}")
            return
        p.hop("H8", rid, "route-table", PASS, f"reply to {src} matches {back.route.describe()} in {rt.label}",
              Highlight("route", rid, back.route.destination))
        if tgw is None or att is None or self.entry_att is None:
            return
        # back through the TGW: the far attachment's route table must route the function's address
        # to the function VPC's attachment
        arid = att.transit_gateway_attachment_id
        rtb = net.tgw_route_table_of_attachment.get(arid)
        if rtb is None:
            p.hop("H8", arid, "transit-gateway-attachment", DROP, f"reply: {att.label} is associated with no route table",
                  Highlight("tgw_attachment", arid))
            p.block("H8", "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION", arid,
                    f"the reply enters {tgw.label} through {att.label}, which has no route table association, so it is dropped (TGW-3, TGW-6)",
                    f"associate {arid} with a route table of {tgw.transit_gateway_id} that routes {cidr} to "
                    f"{self.entry_att.transit_gateway_attachment_id}")
            return
        rrid = rtb.transit_gateway_route_table_id
        m = tgw_lookup(net, rtb, src)
        want = self.entry_att.transit_gateway_attachment_id
        if m is not None and not m.is_blackhole and m.attachment_id == want:
            p.hop("H8", rrid, "transit-gateway-route-table", PASS, f"reply to {src} matches {m.describe()} in {rtb.label}",
                  Highlight("tgw_route", rrid, m.destination_cidr_block))
            return
        what = "no route" if m is None else m.describe()
        p.hop("H8", rrid, "transit-gateway-route-table", DROP, f"reply to {src}: {what} in {rtb.label}",
              Highlight("tgw_route", rrid, m.destination_cidr_block) if m else Highlight("tgw_route_table", rrid))
        p.block("H8", "TGW_RTB_BAD_STATE_ROUTE" if m is not None and m.is_blackhole else "TGW_RTB_NO_ROUTE_TO_TGW_ATTACHMENT", rrid,
                f"the reply enters {tgw.label} through {att.label}; its route table {rtb.label} has {what} back to {src} "
                f"through {want} (TGW-6)",
                f"enable propagation of {want} to {rrid}, or add a static route {cidr} → {want} to {rrid}")


# --------------------------------------------------------------------------------------------------
# TGW route lookup


def _compiled(net: Network, rtb: TgwRouteTable):
    cache = net.__dict__.setdefault("_tgw_route_cache", {})
    got = cache.get(rtb.transit_gateway_route_table_id)
    if got is None:
        rows = []
        for r in rtb.routes:
            try:
                n = ipaddress.ip_network(r.destination_cidr_block, strict=False)
            except ValueError:
                continue
            # longest prefix first; then static before propagated (TGW-2)
            rows.append((n.prefixlen, r.route_type == "static", n.version, int(n.network_address), int(n.netmask), r))
        rows.sort(key=lambda x: (x[0], x[1]), reverse=True)
        got = cache[rtb.transit_gateway_route_table_id] = rows
    return got


def tgw_lookup(net: Network, rtb: TgwRouteTable, ip) -> Optional[TgwRoute]:
    """The route of ``rtb`` that carries ``ip``: longest prefix; static beats propagated for the
    same prefix. None when nothing matches."""
    v, x = ip.version, int(ip)
    for _plen, _static, ver, net_int, mask, r in _compiled(net, rtb):
        if ver == v and (x & mask) == net_int:
            return r
    return None


def _attachment_holding(net: Network, tgw: TransitGateway, ip) -> Optional[TgwAttachment]:
    for a in net.transit_gateway_attachments:
        if a.transit_gateway_id == tgw.transit_gateway_id and a.is_vpc:
            v = net.get(a.resource_id)
            if isinstance(v, Vpc) and v.contains(ip):
                return a
    return None


def _vpc_cidr(vpc: Optional[Vpc], ip) -> str:
    if vpc is not None:
        for n in vpc.networks:
            if n.version == ip.version and ip in n:
                return str(n)
    return _host_cidr(ip)


def _host_cidr(ip) -> str:
    return f"{ip}/{32 if ip.version == 4 else 128}"
