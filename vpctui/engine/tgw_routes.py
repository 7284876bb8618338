"""Transit gateway route tables: the lookup (TGW-2: longest prefix, static before propagated), which
attachment holds an address, and the CIDR a fix names for an address. Propagated routes are rows of
the route table like static ones (the loaders turn propagations into routes, model/tgw.py)."""

from __future__ import annotations

import ipaddress
from typing import Optional

from ..model.network import Network, Vpc
from ..model.tgw import TgwAttachment, TgwRoute, TgwRouteTable, TransitGateway
from .index import host_cidr


def _compiled(net: Network, rtb: TgwRouteTable):
    cache = net.__dict__.setdefault("_tgw_route_cache", {})
    got = cache.get(rtb.transit_gateway_route_table_id)
    if got is None:
        rows = []
        for r in rtb.routes:
            try:
                n = ipaddress.ip_network(r.destination_cidr_block, strict=False)
            except ValueError:
                continue
            # longest prefix first; then static before propagated (TGW-2)
            rows.append((n.prefixlen, r.route_type == "static", n.version, int(n.network_address), int(n.netmask), r))
        rows.sort(key=lambda x: (x[0], x[1]), reverse=True)
        got = cache[rtb.transit_gateway_route_table_id] = rows
    return got


def tgw_lookup(net: Network, rtb: TgwRouteTable, ip) -> Optional[TgwRoute]:
    """The route of ``rtb`` that carries ``ip``: longest prefix; static beats propagated for the
    same prefix. None when nothing matches."""
    v, x = ip.version, int(ip)
    for _plen, _static, ver, net_int, mask, r in _compiled(net, rtb):
        if ver == v and (x & mask) == net_int:
            return r
    return None


def attachment_holding(net: Network, tgw: TransitGateway, ip) -> Optional[TgwAttachment]:
    for a in net.transit_gateway_attachments:
        if a.transit_gateway_id == tgw.transit_gateway_id and a.is_vpc:
            v = net.get(a.resource_id)
            if isinstance(v, Vpc) and v.contains(ip):
                return a
    return None



def vpc_cidr(vpc: Optional[Vpc], ip) -> str:
    """The CIDR block of ``vpc`` that holds ``ip``, else ``ip`` as a /32 or /128."""
    n = vpc.network_of(ip) if vpc is not None else None
    return str(n) if n is not None else host_cidr(ip)
