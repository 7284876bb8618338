"""Fixes as edits: for each finding of a trace, the changes of the network that remove it.

``fixes(network, trace, path, finding)`` returns the finding's fixes, best first: each a ``Fix``
with the text a person reads and the ``Edit`` values that make it (``edits.apply`` turns them into
a new network). Fixes prefer components that exist in the input (associate the existing gateway
endpoint, route to the existing NAT gateway, reference the existing security group) and name only
ids, CIDRs and prefix lists from the input, or ``0.0.0.0/0``. A fix vpctui cannot express as an edit
of the model (a permission the role lacks to create ENIs, a quota, an SDK setting) is text-only and
says why.

Every fix with edits is checked by ``tests/unit/test_fixes.py`` on every scenario and generated
network: applying its edits removes that finding from the path.
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass
from typing import Callable, Optional

from ..model.network import (
    EPHEMERAL, LambdaFunction, NaclEntry, Network, NetworkAcl, PortRange, RouteTable, SgRule, Subnet,
    Vpc, VpcEndpoint,
)
from ..model.services import CATALOG, managed_prefix_list_id
from . import policy as pol
from .edits import (
    AddNaclEntry, AddPolicyConditionValue, AddPolicyStatement, AddRoute, AddSgRule,
    AssociateGatewayEndpoint, DisassociateHostedZone, Edit, Fix, RemovePolicyStatement, ReplaceRoute,
    SetEndpointPrivateDns, SetFunctionIpv6, SetFunctionVpcConfig, SetVpcDnsAttribute,
)
from .result import DROP, PASS, SYMPTOM_UNKNOWN, Finding, PathResult, Trace
from .targets import Target, TargetError, parse_target

TEXT_ONLY_UNKNOWN = "vpctui lacks data here: the fix is to describe the component, not to change the network"


@dataclass
class _Ctx:
    net: Network
    fn: LambdaFunction
    t: Target
    path: PathResult
    sub: Optional[Subnet]
    vpc: Optional[Vpc]

    @property
    def rt(self) -> Optional[RouteTable]:
        return self.net.route_table_of_subnet.get(self.sub.subnet_id) if self.sub else None


def fixes(network: Network, trace: Trace, path: PathResult, finding: Finding) -> tuple[Fix, ...]:
    """The fixes of ``finding`` on ``path`` of ``trace``, best first (at least one: its text)."""
    if finding.symptom == SYMPTOM_UNKNOWN:
        return (Fix(finding.fix, (), TEXT_ONLY_UNKNOWN),)
    fn = network.function_by_name.get(trace.source)
    if fn is None:
        fn = next((f for f in network.functions if f.arn == trace.source), None)
    try:
        t = parse_target(network, trace.target)
    except TargetError:
        t = None
    if fn is None or t is None:
        return (Fix(finding.fix, (), "the function or target is not in the network"),)
    sub = network.get(path.subnet_id) if path.subnet_id else None
    sub = sub if isinstance(sub, Subnet) else None
    ctx = _Ctx(network, fn, t, path, sub, network.vpc_of_subnet(sub.subnet_id) if sub else None)
    rule = _RULES.get(finding.reason)
    if rule is None:
        return (Fix(finding.fix, (), _TEXT_ONLY.get(finding.reason, "vpctui has no edit for this change")),)
    out = [f for f in rule(ctx, finding) if f is not None]
    if not out:
        return (Fix(finding.fix, (), _TEXT_ONLY.get(finding.reason, "no component in the input can make this change")),)
    return tuple(out)


def trace_fixes(network: Network, trace: Trace) -> list[tuple[PathResult, Finding, tuple[Fix, ...]]]:
    """Every finding of every path with its fixes (the drop of each path first)."""
    out = []
    for p in trace.paths:
        for f in ((p.drop,) if p.drop else ()) + p.blockers:
            out.append((p, f, fixes(network, trace, p, f)))
    return out


def first_fix(network: Network, trace: Trace) -> Optional[tuple[PathResult, Finding, Fix]]:
    """The fix the TUI's ``a`` and ``vpctui fix -o`` apply: of the first dropped path's applicable
    fixes, the first that makes the whole trace reachable, else the first (it removes the drop; a
    later setting still blocks)."""
    from .edits import EditError, apply
    from .trace import trace_target

    cands = [(p, p.drop, fx) for p in trace.paths if p.drop is not None
             for fx in fixes(network, trace, p, p.drop) if fx.applicable]
    if not cands:
        return None
    fn = network.function_by_name.get(trace.source)
    try:
        t = parse_target(network, trace.target)
    except TargetError:
        return cands[0]
    for c in cands:
        try:
            after = apply(network, c[2].edits)
        except EditError:
            continue
        fn2 = after.function_by_name.get(trace.source, fn)
        if fn2 is not None and trace_target(after, fn2, t).verdict == "reachable":
            return c
    return cands[0]


# Reasons whose fix is not a change of the network model, and why.
_TEXT_ONLY = {
    "LAMBDA_ENI_SETUP_FAILED": "the fix is an IAM permission, a quota or free addresses: outside the network model",
    "HOSTNAME_NOT_COVERED_BY_PRIVATE_DNS": "the fix is the name the SDK calls (a setting of the function's code)",
    "NO_AAAA_FOR_ENDPOINT": "the fix is the name the SDK calls (a dual-stack name), or a NAT gateway vpctui would have to invent",
    "PORT_NOT_LISTENING": "the fix is the port the code connects to, or the service on the host",
    "GATEWAY_ENDPOINT_CROSS_REGION": "the fix needs a NAT gateway or an inter-Region endpoint the input does not have",
    "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR": "the fix needs a new peering connection or transit gateway",
    "EDGE_TO_EDGE_NOT_SUPPORTED": "the fix needs a NAT gateway or endpoint in this VPC that the input does not have",
    "NO_POSSIBLE_DESTINATION": "the target address is wrong: nothing in the network to change",
    "BAD_STATE": "the component must be recreated or accepted in AWS",
    "BAD_STATE_ATTACHMENT": "the gateway must be attached in AWS",
    "PRIVATE_NAT_TO_IGW": "the fix needs a public NAT gateway the input does not have",
    "VPC_BLOCK_PUBLIC_ACCESS_ENABLED": "Block Public Access is an account setting vpctui does not edit",
    "DNS_FIREWALL_BLOCK": "DNS Firewall rules are not editable in vpctui",
    "DNS_FIREWALL_FAIL_CLOSED": "DNS Firewall settings are not editable in vpctui",
    "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS": "the fix needs peering, a transit gateway or a VPN",
    "TGW_ROUTE_AZ_RESTRICTION": "the fix is a subnet added to the transit gateway attachment, which vpctui does not edit",
    "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION": "transit gateway associations are not editable in vpctui",
    "TGW_RTB_NO_ROUTE_TO_TGW_ATTACHMENT": "transit gateway route tables are not editable in vpctui",
    "TGW_RTB_BAD_STATE_ROUTE": "transit gateway route tables are not editable in vpctui",
    "SOURCE_DEST_CHECK_ENABLED": "the source/destination check is a setting of the appliance's ENI, which vpctui does not edit",
    "PHZ_NOT_ASSOCIATED": "hosted zone associations are added in Route 53; vpctui does not edit them",
}


# --------------------------------------------------------------------------------------------------
# where the traffic goes (from the input, never a stand-in address)


def _dest_endpoint(c: _Ctx) -> Optional[VpcEndpoint]:
    """The interface endpoint DNS sent the traffic to, if any (the H1 hop names it)."""
    for h in c.path.hops:
        if h.hop == "H1" and h.component_id.startswith("vpce-") and h.result == PASS:
            e = c.net.get(h.component_id)
            if isinstance(e, VpcEndpoint) and e.is_interface:
                return e
    return None


def _dest_host(c: _Ctx):
    return c.t.host


def _dest_ip(c: _Ctx):
    if c.t.kind == "address" and c.t.ip:
        return ipaddress.ip_address(c.t.ip)
    if c.t.host is not None:
        return ipaddress.ip_address(c.t.host.private_ip)
    ep = _dest_endpoint(c)
    if ep is not None:
        eni = next((x for x in ep.enis if x.private_ip), None)
        if eni is not None:
            return ipaddress.ip_address(eni.private_ip)
    return None  # public


def _vpc_cidr_of(net: Network, ip) -> Optional[tuple[Vpc, str]]:
    for v in net.vpcs:
        for n in v.networks:
            if n.version == ip.version and ip in n:
                return v, str(n)
    return None


def _dest_public(c: _Ctx) -> bool:
    ip = _dest_ip(c)
    if ip is None:
        return True
    return _vpc_cidr_of(c.net, ip) is None and not ip.is_private


def _peer_cidr(c: _Ctx, acl_vpc: str, peer_is_dest: Optional[bool] = None) -> str:
    """A CIDR from the input that covers the far end of the traffic a NACL of ``acl_vpc`` filters."""
    ip = _dest_ip(c)
    v6 = ip is not None and ip.version == 6
    if _dest_public(c):
        return "::/0" if v6 else "0.0.0.0/0"
    dest = _vpc_cidr_of(c.net, ip)
    if c.vpc is not None and acl_vpc != c.vpc.vpc_id:
        # a NACL in the peer VPC: its far end is the function's VPC
        own = next((n for n in c.vpc.cidr_blocks), None)
        return own or "0.0.0.0/0"
    return dest[1] if dest else ("::/0" if v6 else "0.0.0.0/0")


# --------------------------------------------------------------------------------------------------
# the rules, one per reason code


def _drop_hop(c: _Ctx, f: Finding):
    for h in c.path.hops:
        if h.result == DROP and h.component_id == f.component_id and h.hop == f.hop:
            return h
    for h in c.path.hops:
        if h.result == DROP and h.component_id == f.component_id:
            return h
    return None


def _nacl(c: _Ctx, f: Finding):
    acl = c.net.get(f.component_id)
    if not isinstance(acl, NetworkAcl):
        return None
    h = _drop_hop(c, f)
    egress = None
    if h is not None and h.highlight is not None and h.highlight.key:
        egress = h.highlight.key.startswith("egress")
    if f.hop == "H1":  # UDP 53 to a custom DNS server
        servers = c.vpc.dhcp_options.domain_name_servers if c.vpc else ()
        edits = []
        for s in servers:
            try:
                ip = ipaddress.ip_address(s)
            except ValueError:
                continue
            cidr = f"{ip}/{32 if ip.version == 4 else 128}"
            n = _free_rule_number(acl, True)
            edits.append(AddNaclEntry(acl.network_acl_id, NaclEntry(n, True, "allow", "udp", PortRange(53, 53), cidr)))
            n2 = _free_rule_number(acl, False)
            edits.append(AddNaclEntry(acl.network_acl_id, NaclEntry(n2, False, "allow", "udp", EPHEMERAL, cidr)))
            break
        return Fix(f.fix, tuple(edits)) if edits else None
    if egress is None:
        return None
    ports = EPHEMERAL if f.hop == "H8" else PortRange(c.t.port, c.t.port)
    proto = c.t.protocol if f.hop == "H3" else "tcp"
    cidr = _peer_cidr(c, acl.vpc_id)
    n = _free_rule_number(acl, egress)
    if n is None:
        return None
    e = NaclEntry(n, egress, "allow", proto, ports, cidr)
    return Fix(f.fix, (AddNaclEntry(acl.network_acl_id, e),))


def _free_rule_number(acl: NetworkAcl, egress: bool) -> Optional[int]:
    """A rule number below every entry of that direction (so it is evaluated first)."""
    used = sorted(e.rule_number for e in acl.entries if e.egress == egress)
    if not used:
        return 100
    n = used[0] - 1 if used[0] > 1 else None
    if n is None:
        return None
    # round down to a tidy number when there is room
    for step in (100, 10, 1):
        cand = (n // step) * step
        if cand >= 1 and cand not in used:
            return cand
    return n


def _sg(c: _Ctx, f: Finding):
    g = c.net.get(f.component_id)
    from ..model.network import SecurityGroup

    if not isinstance(g, SecurityGroup):
        return None
    port = c.t.port
    if f.hop == "H1":  # UDP 53 to / from a custom DNS server
        servers = c.vpc.dhcp_options.domain_name_servers if c.vpc else ()
        s = next((x for x in servers if _is_ip(x)), None)
        if s is None:
            return None
        if g.group_id in c.fn.security_group_ids:
            ip = ipaddress.ip_address(s)
            cidr = f"{ip}/{32 if ip.version == 4 else 128}"
            return Fix(f.fix, (AddSgRule(g.group_id, "egress", SgRule("udp", PortRange(53, 53), cidr=cidr)),
                               AddSgRule(g.group_id, "egress", SgRule("tcp", PortRange(53, 53), cidr=cidr))))
        peer = _src_rule_peer(c)
        return Fix(f.fix, (AddSgRule(g.group_id, "ingress", SgRule("udp", PortRange(53, 53), **peer)),
                           AddSgRule(g.group_id, "ingress", SgRule("tcp", PortRange(53, 53), **peer))))
    if f.hop == "H2":
        return Fix(f.fix, (AddSgRule(g.group_id, "egress", SgRule(c.t.protocol, PortRange(port, port), **_dest_rule_peer(c))),))
    if f.hop == "H7":
        return Fix(f.fix, (AddSgRule(g.group_id, "ingress", SgRule("tcp", PortRange(port, port), **_src_rule_peer(c))),))
    return None


def _is_ip(s: str) -> bool:
    try:
        ipaddress.ip_address(s)
        return True
    except ValueError:
        return False


def _dest_rule_peer(c: _Ctx) -> dict:
    """The narrowest peer from the input that admits the destination in an egress rule."""
    ep = _dest_endpoint(c)
    if ep is not None and ep.security_group_ids and c.net.get(ep.security_group_ids[0]) is not None:
        return {"group_id": ep.security_group_ids[0]}
    h = c.t.host
    if h is not None and h.security_group_ids and c.net.get(h.security_group_ids[0]) is not None:
        return {"group_id": h.security_group_ids[0]}
    ip = _dest_ip(c)
    if ip is None:
        svc = c.t.service
        if svc is not None and svc.name in ("s3", "dynamodb"):
            plid = managed_prefix_list_id(svc.name, c.t.region or c.net.region)
            if c.net.get(plid) is not None:
                return {"prefix_list_id": plid}
        return {"cidr": "0.0.0.0/0"}
    found = _vpc_cidr_of(c.net, ip)
    if found is not None:
        return {"cidr": found[1]}
    return {"cidr": "::/0" if ip.version == 6 else "0.0.0.0/0"}


def _via_tgw(c: _Ctx) -> bool:
    """The path crossed a transit gateway (engine/transit.py records its attachments as hops)."""
    return any(h.component_type == "transit-gateway-attachment" for h in c.path.hops)


def _src_rule_peer(c: _Ctx) -> dict:
    if _via_tgw(c) and c.vpc is not None and c.sub is not None and c.sub.cidr_block:
        # across a transit gateway the far side sees the function's address, never its security
        # group (docs/aws-behaviour.md TGW-7): the rule names the function VPC's CIDR
        found = _vpc_cidr_of(c.net, ipaddress.ip_network(c.sub.cidr_block).network_address)
        return {"cidr": found[1] if found else c.sub.cidr_block}
    if c.fn.security_group_ids and c.net.get(c.fn.security_group_ids[0]) is not None:
        return {"group_id": c.fn.security_group_ids[0]}
    if c.sub is not None and c.sub.cidr_block:
        return {"cidr": c.sub.cidr_block}
    return {"cidr": "0.0.0.0/0"}


def _usable_nat_routes(c: _Ctx) -> list[str]:
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


def _gateway_endpoints(c: _Ctx) -> list[VpcEndpoint]:
    svc = c.t.service
    if svc is None or c.vpc is None or svc.name not in ("s3", "dynamodb") or _dest_endpoint(c) is not None:
        return []
    region = c.t.region or c.net.region
    return [e for e in c.net.vpc_endpoints if e.is_gateway and e.vpc_id == c.vpc.vpc_id and e.service == svc.name
            and e.region == region and e.state == "available"]


def _no_route(c: _Ctx, f: Finding):
    rt = c.net.get(f.component_id)
    if not isinstance(rt, RouteTable):
        return [_outside_vpc(c, f)]
    out: list[Optional[Fix]] = []
    for e in _gateway_endpoints(c):
        if rt.route_table_id not in e.route_table_ids:
            out.append(Fix(f"associate the gateway endpoint {e.vpc_endpoint_id} with {rt.route_table_id}",
                           (AssociateGatewayEndpoint(e.vpc_endpoint_id, rt.route_table_id),)))
    ip = _dest_ip(c)
    if _dest_public(c) and (ip is None or ip.version == 4):
        for nat in _usable_nat_routes(c):
            if not any(r.destination == "0.0.0.0/0" for r in rt.routes):
                out.append(Fix(f"route 0.0.0.0/0 in {rt.route_table_id} to the NAT gateway {nat}",
                               (AddRoute(rt.route_table_id, "0.0.0.0/0", nat),)))
            break
    elif ip is not None and c.vpc is not None:
        found = _vpc_cidr_of(c.net, ip)
        if found is not None and found[0].vpc_id != c.vpc.vpc_id:
            for p in c.net.peering_connections:
                if p.status == "active" and p.peer_of(c.vpc.vpc_id) == found[0].vpc_id:
                    out.append(Fix(f"route {found[1]} in {rt.route_table_id} to the peering connection {p.vpc_peering_connection_id}",
                                   (AddRoute(rt.route_table_id, found[1], p.vpc_peering_connection_id),)))
                    break
    return out


def _outside_vpc(c: _Ctx, f: Finding) -> Optional[Fix]:
    return None


def _gw_not_associated(c: _Ctx, f: Finding):
    e = c.net.get(f.component_id)
    rt = c.rt
    if not isinstance(e, VpcEndpoint) or rt is None or rt.route_table_id in e.route_table_ids:
        return []
    return [Fix(f.fix, (AssociateGatewayEndpoint(e.vpc_endpoint_id, rt.route_table_id),))]


def _blackhole(c: _Ctx, f: Finding):
    rt = c.net.get(f.component_id)
    if not isinstance(rt, RouteTable):
        return []
    h = _drop_hop(c, f)
    dest = h.highlight.key if h is not None and h.highlight is not None else ""
    if not dest:
        return []
    out = []
    for nat in _usable_nat_routes(c):
        out.append(Fix(f"point the route {dest} in {rt.route_table_id} at the NAT gateway {nat}",
                       (ReplaceRoute(rt.route_table_id, dest, nat),)))
        break
    return out


def _igw_public(c: _Ctx, f: Finding):
    out: list[Fix] = []
    if c.vpc is not None and c.sub is not None:
        nats = set(_usable_nat_routes(c))
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
        for e in _gateway_endpoints(c):
            if rt.route_table_id not in e.route_table_ids:
                out.append(Fix(f"associate the gateway endpoint {e.vpc_endpoint_id} with {rt.route_table_id}",
                               (AssociateGatewayEndpoint(e.vpc_endpoint_id, rt.route_table_id),)))
    return out


def _tgw_igw_bypass(c: _Ctx, f: Finding) -> list:
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


def _tgw_return_route(c: _Ctx, f: Finding) -> list:
    """RESPONSE_RTB_HAS_NO_ROUTE_TO_TRANSIT_GATEWAY: add the function VPC's CIDR → the TGW to the
    route table the reply leaves with (TGW-6)."""
    rt = c.net.get(f.component_id)
    if not isinstance(rt, RouteTable) or c.rt is None or c.sub is None or not c.sub.cidr_block:
        return []
    tgw = next((r.target for r in c.rt.routes if r.target.startswith("tgw-") and r.state == "active"), None)
    found = _vpc_cidr_of(c.net, ipaddress.ip_network(c.sub.cidr_block).network_address)
    if tgw is None or found is None:
        return []
    cidr = found[1]
    if any(r.destination == cidr for r in rt.routes):
        return [Fix(f.fix, (ReplaceRoute(rt.route_table_id, cidr, tgw),))]
    return [Fix(f.fix, (AddRoute(rt.route_table_id, cidr, tgw),))]


def _nat_no_igw(c: _Ctx, f: Finding):
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


def _dns_disabled(c: _Ctx, f: Finding):
    return [Fix(f.fix, (SetVpcDnsAttribute(f.component_id, "enableDnsSupport", True),))]


def _private_dns(c: _Ctx, f: Finding):
    e = c.net.get(f.component_id)
    if not isinstance(e, VpcEndpoint) or c.vpc is None:
        return []
    edits: list[Edit] = []
    if not e.private_dns_enabled:
        edits.append(SetEndpointPrivateDns(e.vpc_endpoint_id, True))
    if not c.vpc.dhcp_options.uses_amazon_dns and not c.vpc.dhcp_options.forwards_to_amazon_dns:
        return []  # the custom resolver must forward: outside the model
    if not c.vpc.enable_dns_support:
        edits.append(SetVpcDnsAttribute(c.vpc.vpc_id, "enableDnsSupport", True))
    if not c.vpc.enable_dns_hostnames:
        edits.append(SetVpcDnsAttribute(c.vpc.vpc_id, "enableDnsHostnames", True))
    return [Fix(f.fix, tuple(edits))] if edits else []


def _phz(c: _Ctx, f: Finding):
    if c.vpc is None:
        return []
    z = next((z for z in c.net.private_hosted_zones if f.component_id in (z.hosted_zone_id, z.name)
              and c.vpc.vpc_id in z.vpc_ids), None)
    if z is None:
        return []
    return [Fix(f.fix, (), "the record's address is not in the input"),
            Fix(f"disassociate the private hosted zone {z.name} from {c.vpc.vpc_id} (names in it then resolve publicly)",
                (DisassociateHostedZone(z.hosted_zone_id or z.name, c.vpc.vpc_id),))]


def _custom_dns(c: _Ctx, f: Finding):
    comp = c.net.get(f.component_id)
    if isinstance(comp, NetworkAcl):
        return [_nacl(c, f)]
    if isinstance(comp, RouteTable):
        return []
    return [_sg(c, f)]


def _peering_return(c: _Ctx, f: Finding):
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


def _ipv6(c: _Ctx, f: Finding):
    fn = c.fn
    subs = [c.net.get(s) for s in fn.subnet_ids]
    if fn.ipv6_allowed_for_dual_stack:
        return [Fix(f"turn Ipv6AllowedForDualStack off on {fn.function_name}", (SetFunctionIpv6(fn.function_name, False),))]
    if subs and all(isinstance(s, Subnet) and s.dual_stack for s in subs):
        return [Fix(f.fix, (SetFunctionIpv6(fn.function_name, True),))]
    return []


# ---- policies -----------------------------------------------------------------------------------


def _request(c: _Ctx, endpoint: Optional[VpcEndpoint]) -> pol.Request:
    """The request the service sees, as the engine builds it (H9)."""
    net, fn, t = c.net, c.fn, c.t
    role = net.role_of(fn)
    role_arn = role.arn if role else (fn.role if fn.role.startswith("arn:") else f"arn:aws:iam::{net.account_id}:role/{fn.role or 'unknown'}")
    keys = {"aws:principalarn": role_arn, "aws:principalaccount": net.account_id,
            "aws:securetransport": "true", "aws:requestedregion": t.region, "aws:principaltype": "AssumedRole"}
    if endpoint is not None:
        keys["aws:sourcevpce"] = endpoint.vpc_endpoint_id
        keys["aws:sourcevpc"] = endpoint.vpc_id
    return pol.Request(t.action, t.resource_arn or "*", role_arn, net.account_id, keys)


def _arrival_endpoint(c: _Ctx) -> Optional[VpcEndpoint]:
    for h in c.path.hops:
        if h.hop == "H9" and h.component_type == "endpoint-policy":
            e = c.net.get(h.component_id)
            return e if isinstance(e, VpcEndpoint) else None
    return None


def _stmt_ref(policy, stmt) -> str:
    if stmt is None:
        return ""
    if stmt.sid:
        return stmt.sid
    for i, s in enumerate(policy.statements):
        if s is stmt:
            return str(i)
    return ""


def _allow_statement(c: _Ctx) -> str:
    return json.dumps({"Effect": "Allow", "Action": c.t.action, "Resource": c.t.resource_arn or "*"})


def _vpce_policy(c: _Ctx, f: Finding):
    e = c.net.get(f.component_id)
    if not isinstance(e, VpcEndpoint) or e.policy is None:
        return []
    o = pol.evaluate(e.policy, _request(c, e), resource_policy=True)
    if o.decision == "deny":
        ref = _stmt_ref(e.policy, o.statement)
        return [Fix(f"remove the Deny statement {ref} from the policy of {e.vpc_endpoint_id}",
                    (RemovePolicyStatement(e.vpc_endpoint_id, ref),))] if ref else []
    stmt = json.dumps({"Effect": "Allow", "Principal": "*", "Action": c.t.action, "Resource": c.t.resource_arn or "*"})
    return [Fix(f.fix, (AddPolicyStatement(e.vpc_endpoint_id, stmt),))]


def _resource_policy(c: _Ctx, f: Finding):
    res = next((r for r in c.net.resources if r.arn == f.component_id), None)
    if res is None or res.policy is None:
        return []
    ep = _arrival_endpoint(c)
    o = pol.evaluate(res.policy, _request(c, ep), resource_policy=True)
    stmt = o.statement
    if o.decision != "deny" or stmt is None:
        return []
    ref = _stmt_ref(res.policy, stmt)
    out: list[Fix] = []
    for cond in stmt.conditions:
        k = cond.key.lower()
        if k in ("aws:sourcevpce", "aws:sourcevpc") and ep is None:
            # the request does not come through an endpoint: send it through the one the policy names
            rt = c.rt
            for v in cond.values:
                e = c.net.get(v) if k == "aws:sourcevpce" else None
                cands = [e] if isinstance(e, VpcEndpoint) else [
                    x for x in _gateway_endpoints(c) if k == "aws:sourcevpc" and x.vpc_id in cond.values]
                for e in cands:
                    if (e.is_gateway and rt is not None and rt.route_table_id not in e.route_table_ids
                            and c.vpc is not None and e.vpc_id == c.vpc.vpc_id and e in _gateway_endpoints(c)):
                        out.append(Fix(f"associate the gateway endpoint {e.vpc_endpoint_id} (named by {res.name}'s "
                                       f"policy) with {rt.route_table_id}",
                                       (AssociateGatewayEndpoint(e.vpc_endpoint_id, rt.route_table_id),)))
        elif k in ("aws:sourcevpce", "aws:sourcevpc") and ep is not None and ref:
            have = ep.vpc_endpoint_id if k == "aws:sourcevpce" else ep.vpc_id
            out.append(Fix(f"add {have} to the {cond.key} values in {res.name}'s policy",
                           (AddPolicyConditionValue(res.arn, ref, cond.key, have, cond.operator),)))
    if ref:
        out.append(Fix(f"remove the Deny statement {ref} from {res.name}'s policy",
                       (RemovePolicyStatement(res.arn, ref),)))
    return out


def _identity_deny(c: _Ctx, f: Finding):
    role = c.net.role_of(c.fn)
    if role is None:
        return []
    req = _request(c, _arrival_endpoint(c))
    for i, p in enumerate(role.policies):
        o = pol.evaluate(p, req)
        if o.decision == "deny":
            ref = _stmt_ref(p, o.statement)
            if ref:
                return [Fix(f.fix, (RemovePolicyStatement(role.arn, ref, i),))]
    return []


def _identity_no_allow(c: _Ctx, f: Finding):
    role = c.net.role_of(c.fn)
    if role is None or not role.policies:
        return []
    return [Fix(f.fix, (AddPolicyStatement(role.arn, _allow_statement(c), 0),))]


_RULES: dict[str, Callable[[_Ctx, Finding], list]] = {
    "SUBNET_ACL_RESTRICTION": lambda c, f: [_nacl(c, f)],
    "ENI_SG_RULES_MISMATCH": lambda c, f: [_sg(c, f)],
    "SG_HAS_NO_RULES": lambda c, f: [_sg(c, f)],
    "NO_ROUTE_TO_DESTINATION": _no_route,
    "GATEWAY_ENDPOINT_NOT_ASSOCIATED": _gw_not_associated,
    "BAD_STATE_ROUTE": _blackhole,
    "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS": lambda c, f: _tgw_igw_bypass(c, f) if _via_tgw(c) else _igw_public(c, f),
    "RESPONSE_RTB_HAS_NO_ROUTE_TO_TRANSIT_GATEWAY": _tgw_return_route,
    "NAT_SUBNET_NO_IGW_ROUTE": _nat_no_igw,
    "DNS_RESOLUTION_DISABLED": _dns_disabled,
    "PRIVATE_DNS_NOT_EFFECTIVE": _private_dns,
    "PHZ_SHADOWS_NAME": _phz,
    "CUSTOM_DNS_UNREACHABLE": _custom_dns,
    "PEERING_NO_RETURN_ROUTE": _peering_return,
    "IPV6_NOT_ALLOWED_FOR_FUNCTION": _ipv6,
    "VPCE_POLICY_DENY": _vpce_policy,
    "RESOURCE_POLICY_DENY": _resource_policy,
    "IDENTITY_POLICY_DENY": _identity_deny,
    "IDENTITY_POLICY_NO_ALLOW": _identity_no_allow,
}
