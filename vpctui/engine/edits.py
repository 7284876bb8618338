"""Edits of a network: the what-if model.

An edit is a frozen value that names the components it changes by their AWS ids. ``apply(network,
edits)`` returns a new frozen ``Network`` built with ``dataclasses.replace`` (the input is never
changed); ``describe()`` says what the edit does in one line; ``touched(network)`` names the
component ids whose behaviour the edit changes (the incremental re-trace recomputes only the paths
that visited one of them).

Every edit is something AWS lets a person do to an account (``vpctui.render.changes`` prints the AWS
CLI command and a Terraform / CloudFormation / scenario snippet for each); vpctui itself never
changes an account. An edit that cannot apply (the component is not in the network, the route
already exists) raises ``EditError`` with a one-line message.

This module is the public API: ``apply``, ``touched``, ``Fix``, the change list, and every edit kind
(``EDIT_KINDS``), which live by what they change in ``edit_routes.py``, ``edit_filters.py``,
``edit_settings.py`` and ``edit_policies.py`` on the base of ``edit_base.py``; ``carry.py`` carries
the engine's lookups over to the edited network.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

from ..model.network import Network
from .carry import carry_indices
from .edit_base import Edit, EditError
from .edit_filters import AddNaclEntry, AddSgRule, RemoveNaclEntry, RemoveSgRule
from .edit_policies import (
    AddPolicyConditionValue, AddPolicyStatement, RemovePolicyCondition, RemovePolicyStatement, policy_owner,
)
from .edit_routes import (
    AddEndpointSubnet, AddRoute, AssociateGatewayEndpoint, DisassociateGatewayEndpoint, RemoveEndpointSubnet,
    RemoveRoute, ReplaceRoute, SetEndpointPrivateDns,
)
from .edit_settings import (
    AddHostedZoneRecord, AssociateHostedZone, DisassociateHostedZone, SetFunctionIpv6, SetFunctionVpcConfig,
    SetVpcDnsAttribute, find_zone,
)

EDIT_KINDS: tuple[type[Edit], ...] = (
    AddRoute, RemoveRoute, ReplaceRoute, AssociateGatewayEndpoint, DisassociateGatewayEndpoint,
    AddEndpointSubnet, RemoveEndpointSubnet, SetEndpointPrivateDns, AddSgRule, RemoveSgRule,
    AddNaclEntry, RemoveNaclEntry, AssociateHostedZone, DisassociateHostedZone, AddHostedZoneRecord,
    SetVpcDnsAttribute, SetFunctionVpcConfig, SetFunctionIpv6, RemovePolicyStatement,
    RemovePolicyCondition, AddPolicyConditionValue, AddPolicyStatement,
)

__all__ = ["EDIT_KINDS", "Change", "ChangeList", "Edit", "EditError", "Fix", "apply", "carry_indices", "find_zone",
           "policy_owner", "touched"] + [k.__name__ for k in EDIT_KINDS]


# --------------------------------------------------------------------------------------------------
# applying edits, and fixes


def apply(network: Network, edits: Iterable[Edit]) -> Network:
    """A new network with ``edits`` applied in order. Raises EditError; ``network`` is unchanged.

    The lookups the engine builds once per network value (``by_id``, the route table of each
    subnet, ...) are carried over from ``network`` where the edits left them valid, with the
    replaced components swapped in, so the first trace after an edit does not rebuild them
    (``carry_indices``)."""
    net = network
    for e in edits:
        net = e.apply_to(net)
    if net is not network:
        carry_indices(network, net)
    return net


def touched(network: Network, edits: Iterable[Edit]) -> frozenset[str]:
    """Every component id the edits change (names in ``network`` before the edits)."""
    out: set[str] = set()
    for e in edits:
        out |= e.touched(network)
    return frozenset(out)


@dataclass(frozen=True)
class Fix:
    """A fix as the engine gives it: the text a person reads and the edits that make it.

    ``edits`` is empty for a fix vpctui cannot express as a change of the network model (give the
    role ec2:CreateNetworkInterface, free addresses in a subnet); ``why_text_only`` then says why.
    """

    text: str
    edits: tuple[Edit, ...] = ()
    why_text_only: str = ""

    @property
    def applicable(self) -> bool:
        return bool(self.edits)

    def to_dict(self) -> dict:
        d = {"text": self.text, "edits": [e.to_dict() for e in self.edits]}
        if self.why_text_only:
            d["text_only"] = self.why_text_only
        return d


@dataclass(frozen=True)
class Change:
    """One entry of the change list: the edits of one action (a fix, a form) and its label."""

    label: str
    edits: tuple[Edit, ...]


@dataclass(frozen=True)
class ChangeList:
    """Changes made one after another, with undo and redo (the TUI's change list). Each entry keeps
    the network after it, so undo and redo never re-apply anything."""

    base: Network
    done: tuple[Change, ...] = ()
    undone: tuple[Change, ...] = ()  # most recently undone last
    networks: tuple[Network, ...] = field(default=(), compare=False, repr=False)
    redo_networks: tuple[Network, ...] = field(default=(), compare=False, repr=False)

    @property
    def network(self) -> Network:
        return self.networks[-1] if self.networks else self.base

    @property
    def edits(self) -> tuple[Edit, ...]:
        return tuple(e for c in self.done for e in c.edits)

    def add(self, edits: Sequence[Edit], label: str = "") -> "ChangeList":
        """The list with one more change (raises EditError; the redo list is cleared)."""
        net = apply(self.network, edits)
        change = Change(label or "; ".join(e.describe() for e in edits), tuple(edits))
        return ChangeList(self.base, self.done + (change,), (), self.networks + (net,), ())

    def undo(self) -> "ChangeList":
        if not self.done:
            return self
        return ChangeList(self.base, self.done[:-1], self.undone + (self.done[-1],), self.networks[:-1],
                          self.redo_networks + (self.networks[-1],))

    def redo(self) -> "ChangeList":
        if not self.undone:
            return self
        return ChangeList(self.base, self.done + (self.undone[-1],), self.undone[:-1],
                          self.networks + (self.redo_networks[-1],), self.redo_networks[:-1])
