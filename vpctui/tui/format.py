"""Words and glyphs the TUI shows for model and engine values.

Pure functions: no widgets here, only strings. Meaning never rests on colour alone: every verdict,
hop result and subnet kind has a glyph *and* a word, so the screen reads the same with NO_COLOR, in
16 colours and on a washed-out projector. Colours are Textual content markup with theme variables
(``$success``, ``$error`` ...), resolved by the current theme when the widget renders.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable, Optional, TypeVar

from textual.markup import escape

from ..engine.result import (
    ACCESS_DENIED, BLOCKED, CONNECTION_REFUSED, DNS_FAILURE, DROP, HOP_UNKNOWN, INFO, INTERMITTENT,
    INVOKE_ERROR, OK, PASS, REACHABLE, TIMEOUT, UNKNOWN, Trace,
)
from ..model.network import Network, Subnet

T = TypeVar("T")

# glyph, word, theme variable
VERDICT = {
    REACHABLE: ("✓", "REACHABLE", "$success"),
    BLOCKED: ("✗", "BLOCKED", "$error"),
    INTERMITTENT: ("~", "INTERMITTENT", "$warning"),
    UNKNOWN: ("?", "UNKNOWN", "$warning"),
}
HOP_RESULT = {
    PASS: ("✓", "pass", "$success"),
    DROP: ("✗", "DROP", "$error"),
    HOP_UNKNOWN: ("?", "unknown", "$warning"),
    INFO: ("·", "note", "$text-muted"),
}
SYMPTOM_WORD = {
    OK: "ok",
    TIMEOUT: "timeout",
    DNS_FAILURE: "dns",
    ACCESS_DENIED: "denied",
    CONNECTION_REFUSED: "refused",
    INVOKE_ERROR: "invoke",
    "unknown": "unknown",
}
# the matrix's one-character cell glyphs (the seed post's answer table, plus ~ and ?)
CELL_GLYPH = {REACHABLE: "✓", BLOCKED: "✗", INTERMITTENT: "~", UNKNOWN: "?"}


def verdict_markup(verdict: str) -> str:
    glyph, word, var = VERDICT.get(verdict, ("?", verdict.upper(), "$warning"))
    return f"[bold {var}]{glyph} {word}[/]"


def verdict_glyph(verdict: str) -> str:
    glyph, _word, var = VERDICT.get(verdict, ("?", verdict.upper(), "$warning"))
    return f"[bold {var}]{glyph}[/]"


def hop_markup(result: str) -> str:
    glyph, word, var = HOP_RESULT.get(result, ("?", result, "$warning"))
    return f"[{var}]{glyph} {word:<7}[/]"


def symptom_word(symptom: str) -> str:
    return SYMPTOM_WORD.get(symptom, symptom)


def cell_text(tr: Trace) -> str:
    """A matrix cell, plain text: '✓ ok', '✗ timeout', '~ timeout', '? unknown'."""
    glyph = CELL_GLYPH.get(tr.verdict, "?")
    return f"{glyph} {symptom_word(tr.symptom)}"


def cell_var(verdict: str) -> str:
    return VERDICT.get(verdict, ("", "", "$warning"))[2]


def esc(text: object) -> str:
    return escape(str(text))


# --------------------------------------------------------------------------------------------------
# What a subnet is for a Lambda


@dataclass(frozen=True)
class SubnetKind:
    glyph: str
    word: str  # short: public | private via NAT | isolated | ...
    explain: str  # the label shown under the subnet
    endpoints: tuple[str, ...] = ()  # "s3 (gateway)", "ssm (interface)"

    @property
    def label(self) -> str:
        """'⚠ public — no internet for Lambda', '○ isolated · has endpoints: s3, ssm'."""
        if self.endpoints:
            services = ", ".join(dict.fromkeys(e.split(" ")[0] for e in self.endpoints))
            return f"{self.glyph} {self.word} · has endpoints: {services}"
        return f"{self.glyph} {self.explain}"

    @property
    def long_label(self) -> str:
        text = f"{self.glyph} {self.explain}"
        if self.endpoints:
            text += " · has endpoints: " + ", ".join(self.endpoints)
        return text


_DEFAULTS = ("0.0.0.0/0", "::/0")


def per_network(fn: Callable[[Network], T]) -> Callable[[Network], T]:
    """Memoise ``fn(network)`` on the network value itself.

    A network is a frozen value: a reload makes a new one, so what the panes derive from it can be
    computed once per value. Keyed by identity (hashing a network would walk all of it); the last
    few values are kept.
    """
    cache: dict[int, tuple[Network, T]] = {}

    @functools.wraps(fn)
    def memo(network: Network) -> T:
        hit = cache.get(id(network))
        if hit is not None and hit[0] is network:
            return hit[1]
        value = fn(network)
        while len(cache) >= 4:
            cache.pop(next(iter(cache)))
        cache[id(network)] = (network, value)
        return value

    return memo


def _route_kind(routes) -> tuple[str, str, str]:
    """glyph, word, explanation of a route table's default route (the same for all its subnets)."""
    default = [r for r in routes if r.destination in _DEFAULTS]
    active = [r for r in default if r.state == "active"]
    if any(r.target.startswith("nat-") for r in active):
        return "✓", "private via NAT", "private via NAT: internet OK"
    if any(r.target.startswith("igw-") for r in active):
        return "⚠", "public", "public — no internet for Lambda"
    for prefix, word in (("tgw-", "transit gateway"), ("pcx-", "peering"), ("vgw-", "VPN gateway"),
                         ("eni-", "appliance ENI"), ("i-", "instance")):
        if any(r.target.startswith(prefix) for r in active):
            return "→", f"private via {word}", f"private via {word}"
    if any(r.target.startswith("eigw-") for r in active):
        return "→", "IPv6 egress-only", "IPv6 egress-only, no IPv4 internet"
    if default and not active:
        return "✗", "blackhole", "default route is a blackhole"
    return "○", "isolated", "isolated: VPC only"


@per_network
def subnet_kinds(network: Network) -> dict[str, SubnetKind]:
    """Every subnet's kind, in one pass: the route part once per route table, the endpoints once
    per endpoint (a gateway endpoint serves its route tables, an interface endpoint its subnets)."""
    gateway_eps: dict[str, list[tuple[int, str]]] = {}  # route table id -> (endpoint order, text)
    interface_eps: dict[str, list[tuple[int, str]]] = {}  # subnet id -> (endpoint order, text)
    for i, e in enumerate(network.vpc_endpoints):
        if e.is_gateway:
            for rt_id in dict.fromkeys(e.route_table_ids):
                gateway_eps.setdefault(rt_id, []).append((i, f"{e.service} (gateway)"))
        elif e.is_interface:
            for sid in dict.fromkeys(e.subnet_ids):
                interface_eps.setdefault(sid, []).append((i, f"{e.service} (interface)"))
    by_table: dict[str, tuple[str, str, str]] = {}
    out: dict[str, SubnetKind] = {}
    for s in network.subnets:
        rt = network.route_table_of_subnet.get(s.subnet_id)
        key = rt.route_table_id if rt is not None else ""
        route_kind = by_table.get(key)
        if route_kind is None:
            route_kind = by_table[key] = _route_kind(rt.routes if rt is not None else ())
        eps = interface_eps.get(s.subnet_id, [])
        if rt is not None and key in gateway_eps:
            eps = sorted(gateway_eps[key] + eps)
        out[s.subnet_id] = SubnetKind(*route_kind, tuple(text for _, text in eps))
    return out


def subnet_kind(network: Network, subnet: Subnet) -> SubnetKind:
    """Classify a subnet by what its default route gives a Lambda function (rule book §1–§2).

    A Lambda ENI never has a public IP, so a route to an internet gateway gives it nothing; only a
    NAT gateway (or another private next hop) gives it the internet.
    """
    kind = subnet_kinds(network).get(subnet.subnet_id)
    if kind is not None:
        return kind
    # a subnet value that is not in this network: classify it on its own
    rt = network.route_table_of_subnet.get(subnet.subnet_id)
    endpoints: list[str] = []
    for e in network.vpc_endpoints:
        if e.is_gateway and rt is not None and rt.route_table_id in e.route_table_ids:
            endpoints.append(f"{e.service} (gateway)")
        elif e.is_interface and subnet.subnet_id in e.subnet_ids:
            endpoints.append(f"{e.service} (interface)")
    return SubnetKind(*_route_kind(rt.routes if rt is not None else ()), tuple(endpoints))


def subnet_line(subnet: Subnet) -> str:
    cidr = subnet.cidr_block or subnet.ipv6_cidr_block or "-"
    return f"{subnet.label}  {cidr}  {subnet.availability_zone}"


def subnet_names(network: Network, subnet_ids) -> str:
    out = []
    for sid in subnet_ids:
        s = network.get(sid)
        out.append(s.label if isinstance(s, Subnet) else sid)
    return ", ".join(out) or "not in a VPC"


def sg_names(network: Network, group_ids) -> str:
    out = []
    for gid in group_ids:
        g = network.get(gid)
        out.append(getattr(g, "label", gid) if g is not None else gid)
    return ", ".join(out) or "-"


def label_of(network: Optional[Network], component_id: str) -> str:
    if network is None:
        return component_id
    obj = network.get(component_id)
    label = getattr(obj, "label", "") if obj is not None else ""
    return f"{label} ({component_id})" if label and label != component_id else component_id
