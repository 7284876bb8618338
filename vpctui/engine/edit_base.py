"""The base of every what-if edit, and the helpers the edit kinds share.

An edit kind is a frozen dataclass that subclasses ``Edit`` and gives, as class attributes, its
``kind`` (the word in ``to_dict`` and the CLI), ``text`` (its one-line description, a format string
over its fields) and ``touches`` (the fields that hold the component ids it changes); it writes
``apply_to`` and overrides ``describe`` / ``touched`` only where a table row cannot say it. The kinds
live by what they change: ``edit_routes.py`` (routes, endpoints), ``edit_filters.py`` (security
groups, network ACLs), ``edit_settings.py`` (DNS, hosted zones, functions), ``edit_policies.py``;
``edits.py`` is the public API.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import ClassVar

from ..model.network import NaclEntry, Network, PortRange, SgRule


class EditError(ValueError):
    """An edit that does not fit the network (a missing component, a duplicate rule)."""


@dataclass(frozen=True)
class Edit:
    """Base of every edit. Subclasses set ``kind``, ``text`` and ``touches`` and write ``apply_to``."""

    kind: ClassVar[str] = ""
    text: ClassVar[str] = ""  # str.format over the edit's fields: what the edit does, in one line
    touches: ClassVar[tuple[str, ...]] = ()  # the fields that name the components the edit changes

    def apply_to(self, net: Network) -> Network:  # pragma: no cover - abstract
        raise NotImplementedError

    def describe(self) -> str:
        return self.text.format(**{f.name: getattr(self, f.name) for f in fields(self)})

    def touched(self, net: Network) -> frozenset[str]:
        """The component ids whose behaviour the edit changes (names in ``net`` before the edit)."""
        return frozenset(getattr(self, f) for f in self.touches)

    def to_dict(self) -> dict:
        d = {"kind": self.kind, "description": self.describe()}
        for f in fields(self):  # the dataclass fields, not the ClassVars (kind is set above)
            d[f.name] = _plain(getattr(self, f.name))
        return d


def _plain(v):
    if isinstance(v, (SgRule, NaclEntry, PortRange)):
        return {k: _plain(getattr(v, k)) for k in v.__dataclass_fields__}  # type: ignore[attr-defined]
    if isinstance(v, tuple):
        return [_plain(x) for x in v]
    return v


# --------------------------------------------------------------------------------------------------
# helpers of the edit kinds


def get_component(net: Network, cid: str, kind: type, noun: str):
    """The component ``cid`` of type ``kind``, or EditError naming it as ``noun``."""
    obj = net.get(cid)
    if not isinstance(obj, kind):
        raise EditError(f"{noun} {cid} is not in the network")
    return obj


def swap(items: tuple, old, new) -> tuple:
    return tuple(new if x is old else x for x in items)


def replace_component(net: Network, field_name: str, old, new) -> Network:
    """``net`` with ``old`` replaced by ``new`` in the collection ``field_name``."""
    return replace(net, **{field_name: swap(getattr(net, field_name), old, new)})


def proto_text(protocol: str, ports: PortRange) -> str:
    if protocol == "-1":
        return "all traffic"
    if protocol == "icmp":
        return "ICMP"
    return f"{protocol.upper()} {ports}"
