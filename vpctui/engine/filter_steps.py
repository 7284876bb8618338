"""The security-group and network-ACL hops (H2, H3, H6, H7, H8) as trace steps; the rule
evaluation itself is in engine/filters.py."""

from __future__ import annotations

from typing import Optional

from ..model.network import EPHEMERAL, PortRange, Subnet
from .cache import nacl_key, sg_key
from .filters import nacl_allows, sg_allows
from .path import PathLog
from .result import DROP, INFO, PASS, Highlight
from .symptoms import _cidr_hint


class FilterSteps(PathLog):
    def _sg_hop(self, h, groups, egress, proto, port, peer, what, direction, fix_tmpl) -> bool:
        key = sg_key(h, groups, egress, proto, port, peer, what, direction, fix_tmpl)
        return self._memo(key, self._sg_step, h, groups, egress, proto, port, peer, what, direction, fix_tmpl)

    def _sg_step(self, h, groups, egress, proto, port, peer, what, direction, fix_tmpl) -> bool:
        net = self.net
        u = net.unknown("security_groups")
        if u:
            self.unknown(h, ",".join(g.group_id for g in groups) or "security-groups", "security-group",
                         f"security groups could not be read ({u})")
            return True
        if not groups:
            self.hop(h, "-", "security-group", INFO, "no security groups are described here: not checked")
            return True
        d = sg_allows(net, groups, egress, proto, port, peer)
        names = ", ".join(g.label for g in groups)
        if d.allowed:
            self.hop(h, d.group_id, "security-group", PASS, f"{direction} {what} allowed by {d.rule_text} ({net.get(d.group_id).label})",
                     Highlight("sg_rule", d.group_id, f"{direction}:{d.rule_index}"))
            return True
        partly = [g for g in groups if net.unknowns and net.unknown(g.group_id)]
        if partly:
            self.unknown(h, partly[0].group_id, "security-group",
                         f"{direction} {what}: no known rule of {names} allows it, and the rules of "
                         f"{partly[0].label} are not all known ({net.unknown(partly[0].group_id)})")
            return True
        unknown_pl = [r.prefix_list_id for g in groups for r in (g.egress if egress else g.ingress)
                      if r.prefix_list_id and (net.unknown(r.prefix_list_id) or net.get(r.prefix_list_id) is None)]
        if unknown_pl:
            self.unknown(h, groups[0].group_id, "security-group",
                         f"{direction} {what}: no rule of {names} is known to allow it, and the entries of "
                         f"{', '.join(unknown_pl)} are not known ({net.unknown(unknown_pl[0]) or 'not loaded'})")
            return True
        g0 = groups[0]
        reason = "SG_HAS_NO_RULES" if d.no_rules else "ENI_SG_RULES_MISMATCH"
        self.hop(h, g0.group_id, "security-group", DROP, f"{direction} {what}: no rule in {names} allows it",
                 Highlight("sg_rule", g0.group_id, direction))
        self.block(h, reason, g0.group_id,
                   (f"{names} {'have' if len(groups) > 1 else 'has'} no {direction} rules" if d.no_rules
                    else f"no {direction} rule of {names} allows TCP {port} {'to' if egress else 'from'} "
                         f"{peer.ip if egress else 'the function'}") + "; security groups drop silently",
                   fix_tmpl.format(g=g0.group_id))
        return False

    def _nacl_hop(self, h, subnet: Subnet, egress: bool, proto: str, ports: PortRange, peer_ip, what: str) -> bool:
        key = nacl_key(h, subnet, egress, proto, ports, peer_ip, what)
        return self._memo(key, self._nacl_step, h, subnet, egress, proto, ports, peer_ip, what)

    def _nacl_step(self, h, subnet: Subnet, egress: bool, proto: str, ports: PortRange, peer_ip, what: str) -> bool:
        net = self.net
        u = net.unknown("network_acls")
        if u:
            self.unknown(h, subnet.subnet_id, "network-acl", f"network ACLs could not be read ({u})")
            return True
        acl = net.nacl_of_subnet.get(subnet.subnet_id)
        if acl is None:
            self.hop(h, subnet.subnet_id, "network-acl", PASS, "no network ACL known (treated as the default allow-all)")
            return True
        if net.unknowns and net.unknown(acl.network_acl_id):
            self.unknown(h, acl.network_acl_id, "network-acl", f"the entries of {acl.label} are not all known ({net.unknown(acl.network_acl_id)})")
            return True
        d = nacl_allows(acl, egress, proto, ports, peer_ip)
        direction = "egress" if egress else "ingress"
        hl = Highlight("nacl_entry", acl.network_acl_id, f"{direction}:{d.rule_key}")
        if d.allowed:
            self.hop(h, acl.network_acl_id, "network-acl", PASS, f"{what}: {acl.label} rule {d.rule.rule_number} allows", hl)
            return True
        ret = ports == EPHEMERAL
        rule = f"rule {d.rule.rule_number} denies" if d.rule else "no rule matches (final * deny)"
        self.hop(h, acl.network_acl_id, "network-acl", DROP, f"{what}: {acl.label} {rule}", hl)
        side = "inbound" if not egress else "outbound"
        if ret:
            where = acl.label if acl.label == subnet.label else f"{acl.label} ({subnet.label})"
            expl = (f"{where} does not allow the reply {side} on ports 1024-65535 "
                    f"{'from' if not egress else 'to'} {peer_ip}: {rule}. NACLs are stateless and Lambda uses "
                    "ephemeral ports 1024-65535 (LAMBDA-4)")
            fix = f"add an {side} allow rule for TCP 1024-65535 {'from' if not egress else 'to'} {_cidr_hint(peer_ip)} to {acl.network_acl_id}, numbered below any deny"
        else:
            where = acl.label if acl.label == subnet.label else f"{acl.label} ({subnet.label})"
            expl = f"{where} does not allow {what}: {rule}"
            fix = f"add an {side} allow rule for TCP {ports} {'to' if egress else 'from'} {_cidr_hint(peer_ip)} to {acl.network_acl_id}, numbered below any deny"
        self.block(h, "SUBNET_ACL_RESTRICTION", acl.network_acl_id, expl, fix)
        return False

    def _return_nacls(self, far_subnet: Optional[Subnet], far_ip, port: int, src_ip) -> None:
        """H8: the reply crosses the NACLs again, to the Lambda's ephemeral port (stateless)."""
        if far_subnet is not None:
            self._nacl_hop("H8", far_subnet, True, "tcp", EPHEMERAL, src_ip, f"reply outbound to {src_ip}:1024-65535")
        self._nacl_hop("H8", self.sub, False, "tcp", EPHEMERAL, far_ip, f"reply inbound from {far_ip}:{port} to 1024-65535")
