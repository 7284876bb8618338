"""Fixes for the security group and network ACL hops (H1 to a custom DNS server, H2, H3, H6..H8):
the rule to add, naming the narrowest peer the input has (``fix_context.py``)."""

from __future__ import annotations

from typing import Optional

from ..model.network import EPHEMERAL, NaclEntry, NetworkAcl, PortRange, RouteTable, SecurityGroup, SgRule
from .edit_filters import AddNaclEntry, AddSgRule
from .edits import Fix
from .fix_context import Ctx, dest_rule_peer, dns_server_cidr, drop_hop, peer_cidr, src_rule_peer
from .result import Finding


def nacl(c: Ctx, f: Finding):
    acl = c.net.get(f.component_id)
    if not isinstance(acl, NetworkAcl):
        return None
    h = drop_hop(c, f)
    egress = None
    if h is not None and h.highlight is not None and h.highlight.key:
        egress = h.highlight.key.startswith("egress")
    if f.hop == "H1":  # UDP 53 to a custom DNS server
        cidr = dns_server_cidr(c)
        if cidr is None:
            return None
        n_out, n_back = _free_rule_number(acl, True), _free_rule_number(acl, False)
        if n_out is None or n_back is None:
            return None  # rule 1 is taken: no number is evaluated first (text only: renumber)
        out = NaclEntry(n_out, True, "allow", "udp", PortRange(53, 53), cidr)
        back = NaclEntry(n_back, False, "allow", "udp", EPHEMERAL, cidr)
        return Fix(f.fix, (AddNaclEntry(acl.network_acl_id, out), AddNaclEntry(acl.network_acl_id, back)))
    if egress is None:
        return None
    ports = EPHEMERAL if f.hop == "H8" else PortRange(c.t.port, c.t.port)
    proto = c.t.protocol if f.hop == "H3" else "tcp"
    cidr = peer_cidr(c, acl.vpc_id)
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


def sg(c: Ctx, f: Finding):
    g = c.net.get(f.component_id)
    if not isinstance(g, SecurityGroup):
        return None
    port = c.t.port
    if f.hop == "H1":  # UDP 53 to / from a custom DNS server
        cidr = dns_server_cidr(c)
        if cidr is None:
            return None
        if g.group_id in c.fn.security_group_ids:
            return Fix(f.fix, (AddSgRule(g.group_id, "egress", SgRule("udp", PortRange(53, 53), cidr=cidr)),
                               AddSgRule(g.group_id, "egress", SgRule("tcp", PortRange(53, 53), cidr=cidr))))
        peer = src_rule_peer(c)
        return Fix(f.fix, (AddSgRule(g.group_id, "ingress", SgRule("udp", PortRange(53, 53), **peer)),
                           AddSgRule(g.group_id, "ingress", SgRule("tcp", PortRange(53, 53), **peer))))
    if f.hop == "H2":
        return Fix(f.fix, (AddSgRule(g.group_id, "egress", SgRule(c.t.protocol, PortRange(port, port), **dest_rule_peer(c))),))
    if f.hop == "H7":
        return Fix(f.fix, (AddSgRule(g.group_id, "ingress", SgRule("tcp", PortRange(port, port), **src_rule_peer(c))),))
    return None


def custom_dns(c: Ctx, f: Finding):
    comp = c.net.get(f.component_id)
    if isinstance(comp, NetworkAcl):
        return [nacl(c, f)]
    if isinstance(comp, RouteTable):
        return []
    return [sg(c, f)]
