"""7 Matrix: every function × every target, like the seed post's answer tables."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Optional

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from ...engine.result import Trace
from ...model.network import Network
from ..bindings import vi_bindings
from ...engine.expect import outcome_problems
from ...render.glyphs import VERDICTS, cell_text, legend, verdict
from ..format import esc, subnet_kind, visible
from ..format import text as as_text
from ..theme import role_style
from ..messages import TraceRequested
from .base import PaneMixin
from .row_table import RowTable


def _two_lines(target: str) -> str:
    """Split a long target for a two-line column header: 's3://bucket/' + 'key'."""
    if len(target) <= 14:
        return target
    cut = max(target.rfind("/", 0, len(target) - 1), target.rfind(":", 0, len(target) - 1))
    if cut <= 4:
        return target
    return target[: cut + 1] + "\n" + target[cut + 1:]


@dataclass
class MatrixLayout:
    """What the matrix table needs beyond the traces, computed in one pass over them (in the
    matrix worker on a large network, so that the event loop does not make the pass): the cell
    of each (function, target), the functions and targets in order, and the column widths."""

    traces: list[Trace]
    by_cell: dict[tuple[str, str], Trace]
    functions: list[str]
    targets: list[str]
    name_width: int  # "λ NAME" (compact)
    label_width: int  # "λ NAME (kinds of its subnets)"
    cell_widths: dict[str, int]  # target -> its widest plain cell (verdict and symptom)


def matrix_layout(net: Network, traces: list[Trace]) -> MatrixLayout:
    by_cell = {(t.source, t.target): t for t in traces}
    functions = list(dict.fromkeys(t.source for t in traces))
    targets = list(dict.fromkeys(t.target for t in traces))
    kinds: dict = {}
    name_width = label_width = 0
    for f in functions:
        name = cell_len(visible(f"λ {f}"))
        name_width = max(name_width, name)
        label_width = max(label_width, name + cell_len(visible(function_where(net, f, kinds))))
    words: dict[tuple[str, str], int] = {}
    cell_widths = dict.fromkeys(targets, 1)  # "-": no trace for the cell
    for tr in traces:
        key = (tr.verdict, tr.symptom)
        n = words.get(key)
        if n is None:
            n = words[key] = cell_len(visible(cell_text(tr)))
        if n > cell_widths[tr.target]:
            cell_widths[tr.target] = n
    return MatrixLayout(traces, by_cell, functions, targets, name_width, label_width, cell_widths)


def function_where(net: Network, f: str, kinds: dict) -> str:
    """' (private, isolated)': the kinds of the function's subnets ('' without subnets);
    ``kinds`` caches each subnet's word."""
    fn = net.function_by_name.get(f)
    if fn is None or not fn.subnet_ids:
        return ""
    for i in fn.subnet_ids:
        if i not in kinds:
            sub = net.get(i)
            kinds[i] = subnet_kind(net, sub).word if sub is not None else None
    words = {kinds[i] for i in fn.subnet_ids if kinds[i] is not None}
    return f" ({', '.join(sorted(words))})"


class MatrixTable(PaneMixin, RowTable):
    PANE_NUMBER = 7
    PANE_TITLE = "Matrix"
    PANE_HELP = (
        "Every function × every target of the scenario: ✓ reachable, ✗ blocked, ~ intermittent "
        "(some subnets work), ? unknown, each with the symptom word the function sees (ok, timeout, "
        "denied, dns, refused). enter on a cell opens its trace. / filters functions and targets."
    )
    # h/l move across columns here, as j/k move down rows (the app's h/l step a trace's hops)
    BINDINGS = [*vi_bindings(), Binding("h", "cursor_left", "Left", show=False),
                Binding("l", "cursor_right", "Right", show=False)]
    RECOLOUR_ON_THEME = True

    def __init__(self, **kw) -> None:
        super().__init__(cursor_type="cell", fixed_columns=1, **kw)  # the function stays in view
        self.traces: list[Trace] = []
        self._by_cell: dict[tuple[str, str], Trace] = {}
        self.marks: dict[tuple[str, str], Trace] = {}  # cells a what-if change changed -> before
        self._expect: Optional[tuple] = None  # (expectations, {(source, target): the first expectation})
        self._compact = False
        self._layout: Optional[MatrixLayout] = None

    def on_mount(self) -> None:
        self.update_title()

    def show(self, network: Network, traces: list[Trace], marks: Optional[dict] = None,
             layout: Optional[MatrixLayout] = None) -> None:
        self.network = network
        self.traces = traces
        self.marks = marks or {}
        if layout is None or layout.traces is not traces:
            layout = matrix_layout(network, traces)
        self._layout = layout
        self._by_cell = layout.by_cell
        self.refresh_view()
        self.update_title(self.title_extra())

    def title_extra(self) -> str:
        return "function × target" if self.traces else ""

    def refresh_view(self) -> None:
        """The rows are the functions; a row's cells are built when it is first drawn (row_table.py),
        so a 5,000-function matrix costs the rows on screen, plus one pass for the column widths."""
        keep = self.cursor_coordinate
        self.clear(columns=True)
        net, layout = self.network, self._layout
        if net is None or layout is None:
            return
        targets, functions = layout.targets, layout.functions
        fmatch = [f for f in functions if self.matches(f)]
        tmatch = [t for t in targets if self.matches(t)]
        if self.filter_text and not fmatch and not tmatch:
            return
        functions = fmatch or functions if self.filter_text else functions
        targets = tmatch if (self.filter_text and tmatch) else targets
        compact = 0 < self.size.width < 100
        self._compact = compact
        self.header_height = 2 if compact else 1
        self.add_column("Function", key="_fn")
        for t in targets:
            self.add_column(Text(_two_lines(visible(t))) if compact else as_text(t), key=t)
        context = {"styles": {}, "kinds": {}, "shared": {}, "dash": Text("-"), "compact": compact}
        self.set_rows(functions, partial(self._row, targets=targets, context=context),
                      self._widths(targets, context))
        row, column = keep
        if row >= self.row_count or column >= len(self.columns):
            row, column = 0, 0
        self.move_cursor(row=row, column=column or (1 if len(self.columns) > 1 else 0))

    def _where(self, f: str, context: dict) -> str:
        return "" if context["compact"] or self.network is None else function_where(self.network, f, context["kinds"])

    def _cell_string(self, tr: Trace) -> str:
        """A cell's words: verdict and symptom, what the last change did here, ≠ expect."""
        text = cell_text(tr)
        was = self.marks.get((tr.source, tr.target))
        if was is not None:
            # what the last change did here: before → now, broken cells say so
            broke = was.verdict == "reachable" and tr.verdict != "reachable"
            text = f"Δ {cell_text(was)} → {text}" + (" BROKEN" if broke else "")
        if self.mismatch(tr):
            text += " ≠ expect"
        return text

    def _widths(self, targets: list[str], context: dict) -> list[int]:
        """Each column's width: the widest cell of every function (the layout's, so that columns
        keep their widths while a filter is typed), and the cells a what-if change marked or
        an expectation checks, measured."""
        layout = self._layout
        assert layout is not None
        widths = [layout.name_width if context["compact"] else layout.label_width]
        widths += [layout.cell_widths.get(t, 1) for t in targets]
        special = set(self.marks)
        if self.network is not None and self.network.expectations:
            special |= {(e.source, e.target) for e in self.network.expectations}
        column = {t: i for i, t in enumerate(targets, 1)}
        for f, t in special:
            tr = self._by_cell.get((f, t))
            if tr is not None and t in column:
                widths[column[t]] = max(widths[column[t]], cell_len(visible(self._cell_string(tr))))
        return widths

    def _row(self, f: str, targets: list[str], context: dict) -> list[Text]:
        """A function's row: its name (and the kinds of its subnets), then a cell per target."""
        styles, shared = context["styles"], context["shared"]
        cells: list[Text] = [Text.assemble((visible(f"λ {f}"), "bold"), (visible(self._where(f, context)), "dim"))]
        for t in targets:
            tr = self._by_cell.get((f, t))
            if tr is None:
                cells.append(context["dash"])
                continue
            text = self._cell_string(tr)
            style = styles.get(tr.verdict)
            if style is None:
                style = styles[tr.verdict] = role_style(self.app, verdict(tr.verdict).role, bold=True)
            cell = shared.get((text, style))
            if cell is None:  # one Text per distinct cell: the table only reads it
                cell = shared[(text, style)] = Text(visible(text), style=style)
            cells.append(cell)
        return cells

    def expectation(self, tr: Trace):
        """The scenario's expect: entry for this cell (the first one), or None."""
        expectations = self.network.expectations if self.network else ()
        if self._expect is None or self._expect[0] is not expectations:
            index: dict = {}
            for e in expectations:
                index.setdefault((e.source, e.target), e)
            self._expect = (expectations, index)
        return self._expect[1].get((tr.source, tr.target))

    def mismatch(self, tr: Trace) -> bool:
        """Does the cell disagree with the scenario's expect: block (its verdict or symptom)?"""
        e = self.expectation(tr)
        return e is not None and bool(outcome_problems(e, tr))

    def on_resize(self) -> None:
        if (0 < self.size.width < 100) != self._compact:
            self.refresh_view()

    def cell_trace(self) -> Optional[Trace]:
        key, column = self.cursor_key, self.column_key(self.cursor_column)
        if key is None or column is None:
            return None
        return self._by_cell.get((key, column))

    def on_row_table_cell_selected(self, event: RowTable.CellSelected) -> None:
        event.stop()
        tr = self._by_cell.get((event.row_key, event.column_key))
        if tr is not None:
            self.post_message(TraceRequested(tr.source, tr.target))


class MatrixView(Vertical):
    """The table and a legend under it."""

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.table = MatrixTable(id="matrix-table")

    def compose(self):
        yield self.table
        yield Static("", id="matrix-legend")
        yield Static("", id="matrix-columns")

    def computing(self, functions: int, targets: int) -> None:
        """The matrix runs in a worker: say so (the keys keep working meanwhile)."""
        self.table.loading = True
        self.query_one("#matrix-legend", Static).update(
            f"computing the matrix: {functions:,} functions × {targets:,} targets… (the other keys keep working)")

    def show(self, network: Network, traces: list[Trace], marks: Optional[dict] = None,
             columns: Optional[list[tuple[str, str]]] = None, layout: Optional[MatrixLayout] = None) -> None:
        table = self.table
        table.loading = False
        table.show(network, traces, marks, layout)
        lines = [legend(VERDICTS, lower=True).replace("intermittent", "intermittent (some subnets)")
                 + " — and the word the function sees. enter: open the trace."]
        checked = [t for t in traces if table.expectation(t) is not None] if network.expectations else []
        if checked:
            bad = [t for t in checked if table.mismatch(t)]
            lines.append(f"[$error]✗ {len(bad)} of {len(checked)} cells differ from the scenario's expect: block (≠ expect)[/]"
                         if bad else f"✓ all {len(checked)} cells match the scenario's expect: block")
        if marks:
            broken = sum(1 for (f, t), was in marks.items() if was.verdict == "reachable"
                         and table._by_cell.get((f, t)) is not None and table._by_cell[(f, t)].verdict != "reachable")
            lines.append(f"[b]Δ[/] {len(marks)} cell{'s' if len(marks) != 1 else ''} changed by the last change"
                         + (f", [$error]{broken} broken[/]" if broken else "") + " (before → now)")
        for note in network.notes:
            lines.append(f"[$warning]note:[/] {esc(note)}")

        if network.name:
            lines.append(f"{esc(network.name)}: {esc(network.description)}")  # (the legend is muted)
        self.query_one("#matrix-legend", Static).update("\n".join(lines))
        # where each column came from (data: rich Text, never markup)
        if columns:
            cols = Text("columns: ", style="bold")
            for i, (t, o) in enumerate(columns):
                cols.append(("; " if i else "") + t)
                cols.append(f" ← {o}", style="dim")
            cols.append("  (+ adds one)", style="dim")
        else:
            cols = Text.assemble(("no targets: ", "bold"), "press + to add one (s3://BUCKET/KEY, ssm:NAME, "
                                 "a service, https://HOST …), or start vpctui with --to TARGET")
        self.query_one("#matrix-columns", Static).update(cols)
