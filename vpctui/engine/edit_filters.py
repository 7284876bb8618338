"""What-if edits of what traffic may pass: security group rules and network ACL entries (the edit
kinds; ``edits.py`` is the public API)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from ..model.network import NaclEntry, Network, NetworkAcl, SecurityGroup, SgRule
from .edit_base import Edit, EditError, get_component, proto_text, replace_component


def _sg_rule_text(direction: str, r: SgRule) -> str:
    return f"{direction} {proto_text(r.protocol, r.ports)} {'to' if direction == 'egress' else 'from'} {r.peer}"


def _side(egress: bool) -> str:
    return "outbound" if egress else "inbound"


@dataclass(frozen=True)
class AddSgRule(Edit):
    group_id: str
    direction: str  # ingress | egress
    rule: SgRule
    kind: ClassVar[str] = "add-sg-rule"
    touches: ClassVar[tuple[str, ...]] = ("group_id",)

    def apply_to(self, net: Network) -> Network:
        g = get_component(net, self.group_id, SecurityGroup, "security group")
        if self.direction not in ("ingress", "egress"):
            raise EditError(f"direction {self.direction!r} must be ingress or egress")
        rules = getattr(g, self.direction)
        if self.rule in rules:
            raise EditError(f"{self.group_id} already has the {self.direction} rule {self.rule.describe()}")
        return replace_component(net, "security_groups", g, replace(g, **{self.direction: rules + (self.rule,)}))

    def describe(self) -> str:
        return f"allow {_sg_rule_text(self.direction, self.rule)} in {self.group_id}"


@dataclass(frozen=True)
class RemoveSgRule(Edit):
    group_id: str
    direction: str
    rule: SgRule
    kind: ClassVar[str] = "remove-sg-rule"
    touches: ClassVar[tuple[str, ...]] = ("group_id",)

    def apply_to(self, net: Network) -> Network:
        g = get_component(net, self.group_id, SecurityGroup, "security group")
        rules = getattr(g, self.direction)
        if self.rule not in rules:
            raise EditError(f"{self.group_id} has no {self.direction} rule {self.rule.describe()}")
        return replace_component(net, "security_groups", g,
                                 replace(g, **{self.direction: tuple(r for r in rules if r != self.rule)}))

    def describe(self) -> str:
        return f"revoke {_sg_rule_text(self.direction, self.rule)} in {self.group_id}"


@dataclass(frozen=True)
class AddNaclEntry(Edit):
    network_acl_id: str
    entry: NaclEntry
    kind: ClassVar[str] = "add-nacl-entry"
    touches: ClassVar[tuple[str, ...]] = ("network_acl_id",)

    def apply_to(self, net: Network) -> Network:
        acl = get_component(net, self.network_acl_id, NetworkAcl, "network ACL")
        e = self.entry
        if any(x.rule_number == e.rule_number and x.egress == e.egress for x in acl.entries):
            raise EditError(f"{self.network_acl_id} already has {_side(e.egress)} rule {e.rule_number}")
        if not 1 <= e.rule_number <= 32766:
            raise EditError(f"rule number {e.rule_number} must be 1-32766")
        # the model keeps entries in evaluation order: (direction, rule number)
        entries = tuple(sorted(acl.entries + (e,), key=lambda x: (x.egress, x.rule_number)))
        return replace_component(net, "network_acls", acl, replace(acl, entries=entries))

    def describe(self) -> str:
        e = self.entry
        return (f"add {_side(e.egress)} rule {e.rule_number} {e.rule_action} {proto_text(e.protocol, e.ports)} "
                f"{'to' if e.egress else 'from'} {e.cidr_block} to {self.network_acl_id}")


@dataclass(frozen=True)
class RemoveNaclEntry(Edit):
    network_acl_id: str
    egress: bool
    rule_number: int
    kind: ClassVar[str] = "remove-nacl-entry"
    touches: ClassVar[tuple[str, ...]] = ("network_acl_id",)

    def apply_to(self, net: Network) -> Network:
        acl = get_component(net, self.network_acl_id, NetworkAcl, "network ACL")
        keep = tuple(x for x in acl.entries if not (x.rule_number == self.rule_number and x.egress == self.egress))
        if len(keep) == len(acl.entries):
            raise EditError(f"{self.network_acl_id} has no {_side(self.egress)} rule {self.rule_number}")
        return replace_component(net, "network_acls", acl, replace(acl, entries=keep))

    def describe(self) -> str:
        return f"delete {_side(self.egress)} rule {self.rule_number} from {self.network_acl_id}"
