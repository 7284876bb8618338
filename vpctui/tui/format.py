"""Words the TUI shows for model and engine values.

Pure functions: no widgets here, only strings. The glyphs, words and roles come from the one
vocabulary (vpctui/render/glyphs.py); the roles become theme variables (vpctui/tui/theme.py).
Subnet classification is the engine's (vpctui/engine/subnets.py); here it is memoised per network.
"""

from __future__ import annotations

import functools
from typing import Callable, Optional, TypeVar

from ..engine.subnets import SubnetClass, classify_subnet, classify_subnets
from ..model.network import Network, Subnet
from ..render import glyphs
from ..render.safe import text, visible, visible_lines  # noqa: F401 - the TUI's text from data
from .theme import glyph_markup

T = TypeVar("T")


def verdict_markup(verdict: str) -> str:
    return glyph_markup(glyphs.verdict(verdict), bold=True)


def verdict_glyph(verdict: str) -> str:
    return glyph_markup(glyphs.verdict(verdict), bold=True, word=False)


def hop_markup(result: str) -> str:
    return glyph_markup(glyphs.hop_result(result), width=7)


def esc(value: object, lines: bool = False) -> str:
    """A value from data for a Textual markup string: control characters shown visibly (a newline
    too, unless ``lines``) and every ``[`` escaped, so no markup in data is ever interpreted (a
    name ``[@click=app.quit]`` stays a name, ``web[/`` cannot break the markup). Textual's own
    ``escape`` leaves a lone ``[`` and a trailing backslash, which can escape the tag after it:
    here a trailing backslash is followed by a zero-width space."""
    s = str(value)
    s = visible_lines(s) if lines else visible(s)
    s = s.replace("[", "\\[")
    return s + "\u200b" if s.endswith("\\") else s


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


@per_network
def subnet_kinds(network: Network) -> dict[str, SubnetClass]:
    """Every subnet's class (vpctui/engine/subnets.py), once per network value."""
    return classify_subnets(network)


def subnet_kind(network: Network, subnet: Subnet) -> SubnetClass:
    """A subnet's class; a subnet value that is not in this network is classified on its own."""
    kind = subnet_kinds(network).get(subnet.subnet_id)
    return kind if kind is not None else classify_subnet(network, subnet)


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
