"""Rich renderables for traces and the matrix: what `vpctui trace` and `vpctui matrix` print.

Glyphs, words and colours come from vpctui/render/glyphs.py. Data is ``Text``, never markup.
"""

from __future__ import annotations

from typing import Optional

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..engine.result import BLOCKED, INTERMITTENT, REACHABLE, Finding, PathResult, Trace
from ..model.network import Network
from . import glyphs
from .safe import text, visible
from .sources import fix_in_code, source_of


def verdict_text(verdict: str) -> Text:
    g = glyphs.verdict(verdict)
    return Text(g.text, style=glyphs.rich_style(g))


def subnet_label(network: Optional[Network], subnet_id: Optional[str]) -> str:
    if subnet_id is None:
        return "no VPC"
    s = network.get(subnet_id) if network else None
    if s is None:
        return subnet_id
    return f"{s.label} {subnet_id} ({s.availability_zone})" if s.name else f"{subnet_id} ({s.availability_zone})"


def finding_renderable(f: Finding, title: str, network: Optional[Network] = None, function: str = "",
                       message: str = "") -> RenderableType:
    from .report import why_text

    t = Table.grid(padding=(0, 1))
    t.add_column(style="bold", no_wrap=True)
    t.add_column(overflow="fold")
    t.add_row(title, text(f"{f.reason} at {f.hop} ({f.component_id})", "bold red" if title.startswith("Drop") else "bold"))
    src = source_of(network, f.component_id)
    if src:
        t.add_row("From", text(src))
    t.add_row("Why", text(why_text(f, message)))
    t.add_row("Fix", text(f.fix, "bold"))
    code = fix_in_code(network, f, function)
    if code:
        t.add_row("", text(f"in code: {code}", "bold"))
    return t


def hops_table(path: PathResult, selected: Optional[int] = None, network: Optional[Network] = None,
               full: bool = False) -> Table:
    """The hops numbered 1, 2, 3, … with the hop's category (H0..H10) and kind as its label.
    ``full``: no column cut (piped output)."""
    from .report import hop_label

    t = Table(box=None, show_header=True, header_style="bold", expand=not full, pad_edge=False)
    t.add_column("#", no_wrap=True, justify="right")
    t.add_column("Hop", no_wrap=True)
    t.add_column("", no_wrap=True, width=9)
    if full:
        t.add_column("Component", no_wrap=True)
        t.add_column("Decision", no_wrap=True)
    else:
        t.add_column("Component", no_wrap=True, overflow="ellipsis", max_width=24)
        t.add_column("Decision", overflow="fold", ratio=1)
    for i, h in enumerate(path.hops):
        g = glyphs.hop_result(h.result)
        row_style = "reverse" if selected == i else None
        detail = text(h.detail)
        src = source_of(network, h.component_id)
        if src:
            detail.append("\n" + visible(f"from {src}"), style="dim")
        t.add_row(str(i + 1), text(hop_label(h)), text(g.text, glyphs.rich_style(g)), text(h.component_id), detail,
                  style=row_style)
    return t


def path_renderable(network: Optional[Network], path: PathResult, selected: Optional[int] = None,
                    function: str = "", full: bool = False) -> RenderableType:
    head = Text.assemble(verdict_text(path.verdict), "  ", (visible(subnet_label(network, path.subnet_id)), "bold"))
    parts: list[RenderableType] = [head, hops_table(path, selected, network, full)]
    if path.drop is not None:
        parts.append(Text.assemble(("User sees: ", "bold"), (visible(path.message), "bold red" if path.verdict == BLOCKED else "yellow")))
        parts.append(finding_renderable(path.drop, "Drop" if path.verdict == BLOCKED else "Unknown", network, function,
                                        path.message))
        for b in path.blockers:
            parts.append(finding_renderable(b, "Also", network, function, path.message))
    else:
        parts.append(Text.assemble(("User sees: ", "bold"), (visible(path.message), "green")))
    for n in path.notes:
        parts.append(text(f"note: {n}", "dim"))
    return Group(*parts)


def trace_renderable(network: Optional[Network], tr: Trace, full: bool = False) -> RenderableType:
    title = Text.assemble((visible(tr.source), "bold"), " → ", (visible(tr.target), "bold"), "  ", verdict_text(tr.verdict))
    parts: list[RenderableType] = [title]
    if tr.target_description:
        parts.append(text(tr.target_description, "dim"))
    if tr.verdict == INTERMITTENT:
        ok = [subnet_label(network, p.subnet_id) for p in tr.paths if p.verdict == REACHABLE]
        bad = [subnet_label(network, p.subnet_id) for p in tr.paths if p.verdict != REACHABLE]
        parts.append(text(f"Intermittent: works from {', '.join(ok)}; fails from {', '.join(bad)} "
                          "(depends on which subnet the execution environment lands in)", "yellow"))
    for p in tr.paths:
        parts.append(Text(""))
        parts.append(path_renderable(network, p, function=tr.source, full=full))
    return Group(*parts)


def cell_text(tr: Trace) -> Text:
    """A matrix cell (vpctui.render.glyphs.cell_text) in its verdict's colour."""
    return Text(glyphs.cell_text(tr), style=glyphs.rich_style(glyphs.verdict(tr.verdict)))


def matrix_table(traces: list[Trace], title: str = "") -> Table:
    """Functions down, targets across, like the seed post's answer tables."""
    from .report import matrix_cells

    targets, rows = matrix_cells(traces)
    table = Table(title=text(title) if title else None, show_lines=False, header_style="bold")
    table.add_column("function", no_wrap=True)
    for tg in targets:
        table.add_column(text(tg), no_wrap=True)
    for fn, cells in rows.items():
        table.add_row(text(fn), *[cell_text(cells[tg]) if tg in cells else Text("") for tg in targets])
    return table
