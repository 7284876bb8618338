"""What the panes show, derived once per network value.

A network of 5,000 functions has 2,000 subnets; labelling each subnet by scanning every function,
or re-deriving every function row on each keystroke of a filter, is what made the panes slow. Here
each row's cells and its lowercase search text are built once (in the loading worker, off the
event loop); a filter is then a substring test per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional

from ..model.network import InternetGateway, NatGateway, Network, Subnet
from ..render.glyphs import subnet_kind as subnet_glyph, subnet_label
from .format import per_network, sg_names, subnet_kinds, subnet_names, text

SEP = "\n"  # joins the searchable fields: a filter typed in one line never spans two of them


def search_text(*fields: object) -> str:
    """The lowercase text a filter is matched against: the same answer as matching field by field."""
    return SEP.join(str(f).lower() for f in fields if f)


@dataclass(frozen=True)
class FunctionRow:
    key: str
    cells: tuple  # (Text, str, str): function, subnets, SGs
    widths: tuple[int, ...]  # cell widths, for fitting the columns without measuring cells again
    text: str  # search_text of the row


@dataclass
class NetworkIndex:
    functions_of_subnet: dict[str, list[str]] = field(default_factory=dict)
    igws_of_vpc: dict[str, list[InternetGateway]] = field(default_factory=dict)
    nats_of_vpc: dict[str, list[NatGateway]] = field(default_factory=dict)
    subnet_text: dict[str, str] = field(default_factory=dict)  # subnet id -> search text
    function_rows: list[FunctionRow] = field(default_factory=list)

    def subnets_matching(self, network: Network, vpc_id: str, needle: str) -> list[Subnet]:
        subnets = network.subnets_of_vpc.get(vpc_id, ())
        if not needle:
            return list(subnets)
        text = self.subnet_text
        return [s for s in subnets if needle in text[s.subnet_id]]


def _functions_of_subnet(network: Network) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in network.functions:
        for sid in dict.fromkeys(f.subnet_ids):
            out.setdefault(sid, []).append(f.function_name)
    return out


@per_network
def network_index(network: Network) -> NetworkIndex:
    kinds = subnet_kinds(network)
    idx = NetworkIndex(functions_of_subnet=_functions_of_subnet(network))
    for g in network.internet_gateways:
        idx.igws_of_vpc.setdefault(g.vpc_id or "", []).append(g)
    for n in network.nat_gateways:
        vpc = network.vpc_of_subnet(n.subnet_id)
        if vpc is not None:
            idx.nats_of_vpc.setdefault(vpc.vpc_id, []).append(n)
    vpcs = {v.vpc_id: v for v in network.vpcs}
    for s in network.subnets:
        rt = network.route_table_of_subnet.get(s.subnet_id)
        acl = network.nacl_of_subnet.get(s.subnet_id)
        vpc = vpcs.get(s.vpc_id)
        idx.subnet_text[s.subnet_id] = search_text(
            s.subnet_id, s.name, s.cidr_block, s.ipv6_cidr_block, s.availability_zone, subnet_label(kinds[s.subnet_id]),
            " ".join(f"{k}={v}" for k, v in s.tags), rt and rt.route_table_id, acl and acl.network_acl_id,
            " ".join(idx.functions_of_subnet.get(s.subnet_id, ())), vpc and vpc.vpc_id, vpc and vpc.name)
    for f in network.functions:
        subnets = subnet_names(network, f.subnet_ids)
        marks = dict.fromkeys(subnet_glyph(kinds[sid].kind).glyph for sid in f.subnet_ids if sid in kinds)
        cells = (text(f"λ {f.function_name}", "bold"), text(f"{' '.join(marks)} {subnets}".strip()),
                 text(sg_names(network, f.security_group_ids)))
        idx.function_rows.append(FunctionRow(
            f.function_name, cells, (cells[0].cell_len, cells[1].cell_len, cells[2].cell_len),
            search_text(f.function_name, subnets, " ".join(f.subnet_ids), " ".join(f.security_group_ids),
                        f.role, f.runtime)))
    return idx


def matching(rows: Iterable, needle: Optional[str]) -> list:
    """Rows (with a ``text``) whose search text holds the lowercase needle; all rows without one."""
    if not needle:
        return list(rows)
    return [r for r in rows if needle in r.text]
