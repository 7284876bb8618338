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

This module walks into, through and out of a transit gateway and back for the reply (``_Walk``);
``tgw_routes.py`` holds the TGW route-table lookup; ``transit_vpc.py`` (``FarSide``, a mixin of the
walk) what happens in the VPC the traffic is carried to, and the forwarding hops.
"""

from __future__ import annotations

from typing import Optional

from ..model.network import Host, Subnet, Vpc, VpcEndpoint
from ..model.tgw import TgwAttachment, TgwRouteTable, TransitGateway
from .filters import Peer
from .index import host_cidr
from .path import Arrival, Dest
from .result import DROP, INFO, PASS, Highlight
from .routing import lookup, route_mark
from .tgw_routes import attachment_holding, tgw_lookup, vpc_cidr
from .transit_vpc import MAX_FORWARDS, FarSide

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


class _Walk(FarSide):
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
            return self._attachment_down(att, f"the attachment {aid} of {vpc.label} to {tid} is {att.state}",
                                         f"accept or recreate {aid} (state must be available)")
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

    def _attachment_down(self, att: TgwAttachment, why: str, fix: str) -> None:
        """H5 drops at an attachment that is not available (BAD_STATE_ATTACHMENT)."""
        aid = att.transit_gateway_attachment_id
        self.p.hop("H5", aid, "transit-gateway-attachment", DROP, f"{att.label} is {att.state}", Highlight("tgw_attachment", aid))
        self.p.block("H5", "BAD_STATE_ATTACHMENT", aid, why, fix)
        return None

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
            dest_att = attachment_holding(net, tgw, ip)
            if dest_att is not None:
                cidr = vpc_cidr(net.get(dest_att.resource_id), ip)
                p.block(h, "TGW_RTB_NO_ROUTE_TO_TGW_ATTACHMENT", rid,
                        f"{rtb.label} has no route to {dest_att.label} ({dest_att.resource_id}) for {ip}: neither a "
                        f"propagation from {dest_att.transit_gateway_attachment_id} nor a static route (TGW-2)",
                        f"enable propagation of {dest_att.transit_gateway_attachment_id} to {rid}, or add a static route "
                        f"{cidr} → {dest_att.transit_gateway_attachment_id} to {rid}")
            else:
                p.block(h, "NO_ROUTE_TO_DESTINATION", rid, f"{rtb.label} has no route that covers {ip} (TGW-2)",
                        f"add a static route for {'0.0.0.0/0' if self.dest.public else host_cidr(ip)} to {rid}, pointing at the "
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
            return self._attachment_down(out, f"the attachment {oid} is {out.state}", f"accept or recreate {oid}")
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
        cidr = vpc_cidr(p.vpc, src)
        if not ok:
            what, hl = route_mark(rid, back)
            p.hop("H8", rid, "route-table", DROP, f"reply to {src}: {what} in {rt.label}", hl)
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
