"""Beyond a transit gateway (or a forwarding hop): the VPC the traffic was carried to.

``FarSide`` is a mixin of the transit walk (``transit._Walk``, which gives ``p``, ``net``,
``src_ip``, ``dest``, ``port``, ``enter`` and ``_reply_route``): in that VPC the packet is delivered
to what holds the address (H5..H8 on the far side, the reply), leaves through a NAT gateway and the
internet gateway (centralized egress, TGW-5), is dropped by an internet gateway it reaches without a
public address, or passes a forwarding hop: a Gateway Load Balancer / Network Firewall endpoint or an
appliance ENI (TGW-8), followed as pass-through.
"""

from __future__ import annotations

from typing import Any, Optional

from ..model.network import EPHEMERAL, Host, Network, PortRange, Subnet, Vpc, VpcEndpoint
from ..model.tgw import TgwAttachment, TransitGateway
from .filters import Peer
from .index import _owners, _sgs, host_cidr
from .path import Arrival, Dest
from .result import DROP, PASS, Highlight
from .routing import lookup, route_mark
from .tgw_routes import vpc_cidr

# transit gateway → VPC → transit gateway ... (an inspection VPC, a second TGW): a bound on the hops
# through forwarding components, so a routing loop ends instead of spinning
MAX_FORWARDS = 6


class FarSide:
    """The steps of the transit walk in the VPC the traffic was carried to."""

    # set by the walk (transit._Walk), which also gives enter() and _reply_route()
    p: Any  # the path tracer (engine/trace.py): hop / block / unknown, the SG and NACL steps
    net: Network
    src_ip: Any
    dest: Dest
    port: int

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
        what, hl = route_mark(rt.route_table_id, m)
        if m is None or m.route.state != "active":
            p.hop("H5", rt.route_table_id, "route-table", DROP, f"{at.label} ({vpc.label}): {what} for {ip} in {rt.label}", hl)
            p.block("H5", "NO_ROUTE_TO_DESTINATION" if m is None else "BAD_STATE_ROUTE", rt.route_table_id,
                    f"{rt.label}, the route table of {at.label} in {vpc.label}, has {what} for {ip}",
                    f"route {'0.0.0.0/0' if self.dest.public else host_cidr(ip)} in {rt.route_table_id} to "
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
            cidr = vpc_cidr(p.vpc, src)
            ok = p._sg_hop("H7", groups, False, "tcp", port, Peer(src, None, frozenset()), f"from {src} TCP {port}", "ingress",
                           f"allow TCP {port} inbound from {cidr} (the function's VPC; security group references do not "
                           "match across a transit gateway) on {g}")
            if not ok and groups and any(r.group_id in self.p.fn.security_group_ids for g in groups for r in g.ingress):
                p.notes.append(f"{groups[0].label} admits the function's security group by reference; across a transit "
                               f"gateway the request arrives as {src} with no security group, so the reference does not match (TGW-7)")
        self._reply_route(net.route_table_of_subnet.get(far.subnet_id), far.label, tgw, att)
        p._return_nacls(far, ip, port, src)
        return p._arrive(owner, port)

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
            what, hl = route_mark(rid, m)
            p.hop("H5", rid, "route-table", DROP, f"NAT subnet {nat_sub.label}: {what} for {ip}", hl)
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
                         f"allow TCP {self.port} inbound from {vpc_cidr(p.vpc, self.src_ip)} on {{g}} (the appliance's security group)"):
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
