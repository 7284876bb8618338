"""Rich tables of network resources: what `vpctui subnets` prints. Data is ``Text``, never markup."""

from __future__ import annotations

from rich.table import Table

from ..engine.subnets import classify_subnets
from ..model.network import Network
from . import glyphs
from .safe import text


def subnets_table(network: Network, title: str = "") -> Table:
    """Every subnet and what it is for a Lambda function (vpctui/engine/subnets.py)."""
    classes = classify_subnets(network)
    table = Table(title=text(title) if title else None, header_style="bold", box=None, pad_edge=False)
    table.add_column("subnet", no_wrap=True)
    table.add_column("name", overflow="fold")
    table.add_column("CIDR", no_wrap=True)
    table.add_column("AZ", no_wrap=True)
    table.add_column("for Lambda", overflow="fold", ratio=1)
    for s in network.subnets:
        c = classes[s.subnet_id]
        g = glyphs.subnet_kind(c.kind)
        table.add_row(text(s.subnet_id), text(s.name), text(s.cidr_block or s.ipv6_cidr_block or "-"),
                      text(s.availability_zone), text(glyphs.subnet_long_label(c), glyphs.rich_style(g)))
    return table
