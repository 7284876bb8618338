"""Route lookup: longest prefix match with AWS's tie-breaks (R2.1, R2.6, R2.7)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..model.network import Network, Route, RouteTable
from .filters import Peer, _net


@dataclass(frozen=True)
class RouteMatch:
    route: Route
    prefix_len: int
    via_prefix_list: bool
    shadowed: tuple[Route, ...] = ()  # other matching routes that lost (MORE_SPECIFIC / HIGHER_PRIORITY)


def _compiled(network: Network, rt: RouteTable):
    cache = network.__dict__.setdefault("_route_cache", {})
    got = cache.get(rt.route_table_id)
    if got is None:
        rows = []
        for r in rt.routes:
            if r.is_prefix_list:
                rows.append((r, None))
            else:
                rows.append((r, _net(r.destination)))
        got = cache[rt.route_table_id] = rows
    return got


def lookup(network: Network, rt: RouteTable, dest: Peer) -> Optional[RouteMatch]:
    """The route that carries traffic to ``dest``, or None (NO_ROUTE_TO_DESTINATION)."""
    best: Optional[tuple] = None
    matches = []
    for r, net in _compiled(network, rt):
        if net is not None:
            if net.version != dest.ip.version or dest.ip not in net:
                continue
            plen, via_pl = net.prefixlen, False
        else:
            pl = network.get(r.destination)
            if pl is None:
                continue
            plen = -1
            if dest.service_key is not None and pl.service_key == dest.service_key:
                plen = 24 if dest.ip.version == 4 else 56  # a service's published ranges are specific
            for n in pl.networks:
                if n.version == dest.ip.version and dest.ip in n:
                    plen = max(plen, n.prefixlen)
            if plen < 0:
                continue
            via_pl = True
        # rank: longest prefix; then local; then static CIDR over prefix list (R2.6); then static
        # over propagated (R2.7)
        rank = (plen, r.target == "local", not via_pl, r.origin != "propagated")
        matches.append((rank, r, plen, via_pl))
        if best is None or rank > best[0]:
            best = (rank, r, plen, via_pl)
    if best is None:
        return None
    shadowed = tuple(m[1] for m in matches if m[1] is not best[1])
    return RouteMatch(best[1], best[2], best[3], shadowed)
