"""Route lookup: longest prefix match with AWS's tie-breaks (ROUTE-1, ROUTE-6, ROUTE-7)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..model.network import Network, Route, RouteTable
from .filters import Peer, _net
from .result import Highlight


@dataclass(frozen=True)
class RouteMatch:
    route: Route
    prefix_len: int
    via_prefix_list: bool
    shadowed: tuple[Route, ...] = ()  # other matching routes that lost (MORE_SPECIFIC / HIGHER_PRIORITY)


def _compiled(network: Network, rt: RouteTable):
    """The table's routes as integer (network, mask) pairs, built once per network value."""
    cache = network.__dict__.setdefault("_route_cache", {})
    got = cache.get(rt.route_table_id)
    if got is None:
        rows = []
        for r in rt.routes:
            if r.is_prefix_list:
                rows.append((r, 0, 0, 0, -1))
            else:
                n = _net(r.destination)
                rows.append((r, n.version, int(n.network_address), int(n.netmask), n.prefixlen))
        got = cache[rt.route_table_id] = rows
    return got


def lookup(network: Network, rt: RouteTable, dest: Peer, memo: Optional[dict] = None) -> Optional[RouteMatch]:
    """The route that carries traffic to ``dest``, or None (NO_ROUTE_TO_DESTINATION).

    ``memo`` (a ``StepCache``'s ``lookups``, engine/cache.py) keeps answers for the same network."""
    if memo is None:
        return _lookup(network, rt, dest)
    key = (rt.route_table_id, dest.ip, dest.service_key)
    try:
        return memo[key]
    except KeyError:
        got = memo[key] = _lookup(network, rt, dest)
        return got


def _lookup(network: Network, rt: RouteTable, dest: Peer) -> Optional[RouteMatch]:
    best: Optional[tuple] = None
    matches = []
    ver = dest.ip.version
    ip = int(dest.ip)
    for r, v, net_int, mask, plen in _compiled(network, rt):
        if plen >= 0:
            if v != ver or (ip & mask) != net_int:
                continue
            via_pl = False
        else:
            pl = network.get(r.destination)
            if pl is None:
                continue
            plen = -1
            if dest.service_key is not None and pl.service_key == dest.service_key:
                plen = 24 if ver == 4 else 56  # a service's published ranges are specific
            for n in pl.networks:
                if n.version == ver and dest.ip in n:
                    plen = max(plen, n.prefixlen)
            if plen < 0:
                continue
            via_pl = True
        # rank: longest prefix; then local; then static CIDR over prefix list (ROUTE-6); then static
        # over propagated (ROUTE-7)
        rank = (plen, r.target == "local", not via_pl, r.origin != "propagated")
        matches.append((rank, r, plen, via_pl))
        if best is None or rank > best[0]:
            best = (rank, r, plen, via_pl)
    if best is None:
        return None
    shadowed = tuple(m[1] for m in matches if m[1] is not best[1])
    return RouteMatch(best[1], best[2], best[3], shadowed)


def route_mark(rid: str, m: Optional[RouteMatch]) -> tuple[str, Highlight]:
    """A route-table hop's answer in words ("no route", or the route that matched) and its mark (the
    route, else the table ``rid``)."""
    if m is None:
        return "no route", Highlight("route_table", rid)
    return m.route.describe(), Highlight("route", rid, m.route.destination)
