"""The packet walk: which pane marks what for one hop of a trace. Pure (no Textual), unit-tested
in tests/unit/test_hop_walk.py; the panes apply their part when the app's ``hop_marks`` changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..engine.result import Hop, PathResult, Trace
from ..model.network import Network


@dataclass(frozen=True)
class HopMarks:
    hop: Hop
    note: str  # what Details says about the hop: "H5 internet-gateway: ..."
    subnet_id: Optional[str]  # pane 1 points at the path's subnet
    endpoint_id: Optional[str]  # pane 3 marks the endpoint the hop goes through
    show_routes: bool  # pane 2 shows route_table_id (False: it stays as it is)
    route_table_id: Optional[str] = None
    route_key: Optional[str] = None  # the route marked in pane 2; "*": no route matched
    keep_route_mark: bool = False  # the same table stays, with the route marked at the lookup (H4)
    details_id: Optional[str] = None  # pane 5 shows this component...
    details_key: Optional[str] = None  # ...with this rule, entry, route or "policy" marked


def hops_of(trace: Optional[Trace]) -> list[Hop]:
    """Every hop of every path, in order: what the hop index counts."""
    return [h for p in trace.paths for h in p.hops] if trace is not None else []


def path_of(trace: Optional[Trace], index: int) -> Optional[PathResult]:
    if trace is None:
        return None
    n = 0
    for p in trace.paths:
        if index < n + len(p.hops):
            return p
        n += len(p.hops)
    return None


def hop_marks(network: Network, trace: Trace, index: int) -> Optional[HopMarks]:
    """What the panes mark for hop ``index`` of ``trace`` (None: no such hop)."""
    hops = hops_of(trace)
    if not 0 <= index < len(hops):
        return None
    hop = hops[index]
    hl = hop.highlight
    path = path_of(trace, index)
    note = f"{hop.hop} {hop.component_type}: {hop.detail}"
    subnet_id = path.subnet_id if path is not None else None
    endpoint_id = hl.owner_id if hl is not None and hl.kind == "endpoint" else None
    if hl is not None and hl.kind in ("route", "tgw_route"):
        return HopMarks(hop, note, subnet_id, endpoint_id, True, hl.owner_id, hl.key,
                        details_id=hl.owner_id, details_key=hl.key)
    if hl is not None and hl.kind in ("route_table", "tgw_route_table"):
        return HopMarks(hop, note, subnet_id, endpoint_id, True, hl.owner_id, "*",
                        details_id=hl.owner_id, details_key="*")
    # the subnet of the path keeps its route table in pane 2; after the route lookup (H4 on) the
    # matched route stays marked: that is where the packet went
    show_routes = bool(subnet_id)
    rt = network.route_table_of_subnet.get(subnet_id) if subnet_id else None
    hop_no = int(hop.hop[1:]) if hop.hop[1:].isdigit() else 0
    common = dict(show_routes=show_routes, route_table_id=rt.route_table_id if rt is not None else None,
                  keep_route_mark=hop_no >= 4)
    if hl is None:
        found = network.find(hop.component_id) is not None
        return HopMarks(hop, note, subnet_id, endpoint_id, details_id=hop.component_id if found else None, **common)
    key = {"sg_rule": hl.key, "nacl_entry": hl.key, "policy": "policy"}.get(hl.kind)
    return HopMarks(hop, note, subnet_id, endpoint_id, details_id=hl.owner_id, details_key=key, **common)
