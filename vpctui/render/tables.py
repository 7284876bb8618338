"""Rich tables of network resources: what `vpctui subnets` prints. Data is ``Text``, never markup."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from ..engine.subnets import classify_subnets
from ..model.network import Network
from . import glyphs


def subnets_table(network: Network, title: str = "") -> Table:
    """Every subnet and what it is for a Lambda function (vpctui/engine/subnets.py)."""
    classes = classify_subnets(network)
    table = Table(title=Text(title) if title else None, header_style="bold", box=None, pad_edge=False)
    table.add_column("subnet", no_wrap=True)
    table.add_column("name", overflow="fold")
    table.add_column("CIDR", no_wrap=True)
    table.add_column("AZ", no_wrap=True)
    table.add_column("for Lambda", overflow="fold", ratio=1)
    for s in network.subnets:
        c = classes[s.subnet_id]
        g = glyphs.subnet_kind(c.kind)
        table.add_row(Text(s.subnet_id), Text(s.name), Text(s.cidr_block or s.ipv6_cidr_block or "-"),
                      Text(s.availability_zone), Text(glyphs.subnet_long_label(c), style=glyphs.rich_style(g)))
    return table
