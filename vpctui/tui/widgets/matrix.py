"""7 Matrix: every function × every target, like the seed post's answer tables."""

from __future__ import annotations

from functools import partial
from typing import Optional

from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from ...engine.result import Trace
from ...model.network import Network
from ..bindings import vi_bindings
from ...engine.expect import outcome_problems
from ...render.glyphs import VERDICTS, cell_text, legend, verdict
from ..format import esc, subnet_kind, visible
from ..format import text as as_text
from ..theme import role_style
from ..messages import TraceRequested
from .._textual_compat import DataTableColumnsFitted
from .base import PaneMixin

# A matrix with more rows than this shows the first ROWS_AT_ONCE at once and adds the rest in
# batches of as many, each its own turn of the event loop: 5,000 rows added in one go held the
# loop for seconds (every add_row is a Textual reactive update), and keys waited.
ROWS_AT_ONCE = 300


def _two_lines(target: str) -> str:
    """Split a long target for a two-line column header: 's3://bucket/' + 'key'."""
    if len(target) <= 14:
        return target
    cut = max(target.rfind("/", 0, len(target) - 1), target.rfind(":", 0, len(target) - 1))
    if cut <= 4:
        return target
    return target[: cut + 1] + "\n" + target[cut + 1:]


class MatrixTable(PaneMixin, DataTableColumnsFitted, DataTable):
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
        super().__init__(cursor_type="cell", **kw)
        self.traces: list[Trace] = []
        self._cells: dict[tuple[str, str], Trace] = {}
        self.marks: dict[tuple[str, str], Trace] = {}  # cells a what-if change changed -> before
        self._batch = 0  # the rows being added; a new refresh_view abandons an older one
        self._expect: Optional[tuple] = None  # (expectations, {(source, target): the first expectation})

    def on_mount(self) -> None:
        self.update_title()

    def show(self, network: Network, traces: list[Trace], marks: Optional[dict] = None) -> None:
        self.network = network
        self.traces = traces
        self.marks = marks or {}
        self._cells = {(t.source, t.target): t for t in traces}
        self.refresh_view()
        self.update_title(self.title_extra())

    def title_extra(self) -> str:
        return "function × target" if self.traces else ""

    def refresh_view(self) -> None:
        keep = self.cursor_coordinate
        self._batch += 1
        self.clear(columns=True)
        net = self.network
        if net is None:
            return
        targets = list(dict.fromkeys(t.target for t in self.traces))
        functions = list(dict.fromkeys(t.source for t in self.traces))
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

        def place_cursor() -> None:
            if keep.row < self.row_count and keep.column < len(self.columns):
                self.cursor_coordinate = keep
            if self.cursor_coordinate.column == 0 and len(self.columns) > 1:
                self.cursor_coordinate = self.cursor_coordinate._replace(column=1)

        context = {"styles": {}, "kinds": {}, "shared": {}, "dash": Text("-"), "compact": compact}
        self._add_rows(functions, targets, context, 0, self._batch, place_cursor)

    def _row(self, f: str, targets: list[str], context: dict) -> list[Text]:
        """A function's row: its name (and the kinds of its subnets), then a cell per target."""
        net = self.network
        assert net is not None
        styles, kinds, shared = context["styles"], context["kinds"], context["shared"]
        fn = net.function_by_name.get(f)
        where = ""
        if fn is not None and fn.subnet_ids and not context["compact"]:
            for i in fn.subnet_ids:
                if i not in kinds:
                    sub = net.get(i)
                    kinds[i] = subnet_kind(net, sub).word if sub is not None else None
            words = {kinds[i] for i in fn.subnet_ids if kinds[i] is not None}
            where = f" ({', '.join(sorted(words))})"
        cells: list[Text] = [Text.assemble((visible(f"λ {f}"), "bold"), (visible(where), "dim"))]
        for t in targets:
            tr = self._cells.get((f, t))
            if tr is None:
                cells.append(context["dash"])
                continue
            text = cell_text(tr)
            was = self.marks.get((f, t))
            if was is not None:
                # what the last change did here: before → now, broken cells say so
                broke = was.verdict == "reachable" and tr.verdict != "reachable"
                text = f"Δ {cell_text(was)} → {text}" + (" BROKEN" if broke else "")
            if self.mismatch(tr):
                text += " ≠ expect"
            style = styles.get(tr.verdict)
            if style is None:
                style = styles[tr.verdict] = role_style(self.app, verdict(tr.verdict).role, bold=True)
            cell = shared.get((text, style))
            if cell is None:  # one Text per distinct cell: DataTable only reads it
                cell = shared[(text, style)] = Text(visible(text), style=style)
            cells.append(cell)
        return cells

    def _add_rows(self, functions: list[str], targets: list[str], context: dict, start: int, batch: int,
                  done) -> None:
        """Add the rows of ROWS_AT_ONCE functions from ``start``, then the next ones on the loop's
        next turn. Each batch widens the columns to its cells (as DataTable's own measuring would,
        but without measuring every cell again)."""
        if batch != self._batch:  # the view was rebuilt meanwhile
            return
        columns = list(self.columns.values())
        for f in functions[start:start + ROWS_AT_ONCE]:
            cells = self._row(f, targets, context)
            for col, cell in zip(columns, cells):
                if cell.cell_len > col.content_width:
                    col.content_width = cell.cell_len
            self.add_row(*cells, key=f)
        self.columns_fitted()  # widths are known: the idle pass need not measure the new rows
        if start + ROWS_AT_ONCE < len(functions):
            # a timer, not call_later: the widget's queue would run the next batch at once, and
            # the event loop (keys, the screen) would wait for all of them
            self.set_timer(0.001, partial(self._add_rows, functions, targets, context, start + ROWS_AT_ONCE,
                                          batch, done))
        done()

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
        if (0 < self.size.width < 100) != getattr(self, "_compact", False):
            self.refresh_view()

    def cell_trace(self) -> Optional[Trace]:
        if not self.row_count:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate)
        except Exception:
            return None
        return self._cells.get((key.row_key.value, key.column_key.value))

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        tr = self.cell_trace()
        if tr is not None:
            self.post_message(TraceRequested(tr.source, tr.target))

    def action_first(self) -> None:
        self.move_cursor(row=0)

    def action_last(self) -> None:
        self.move_cursor(row=max(0, self.row_count - 1))


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
             columns: Optional[list[tuple[str, str]]] = None) -> None:
        table = self.table
        table.loading = False
        table.show(network, traces, marks)
        lines = [legend(VERDICTS, lower=True).replace("intermittent", "intermittent (some subnets)")
                 + " — and the word the function sees. enter: open the trace."]
        checked = [t for t in traces if table.expectation(t) is not None] if network.expectations else []
        if checked:
            bad = [t for t in checked if table.mismatch(t)]
            lines.append(f"[$error]✗ {len(bad)} of {len(checked)} cells differ from the scenario's expect: block (≠ expect)[/]"
                         if bad else f"✓ all {len(checked)} cells match the scenario's expect: block")
        if marks:
            broken = sum(1 for (f, t), was in marks.items() if was.verdict == "reachable"
                         and table._cells.get((f, t)) is not None and table._cells[(f, t)].verdict != "reachable")
            lines.append(f"[b]Δ[/] {len(marks)} cell{'s' if len(marks) != 1 else ''} changed by the last change"
                         + (f", [$error]{broken} broken[/]" if broken else "") + " (before → now)")
        for note in network.notes:
            lines.append(f"[$warning]note:[/] {esc(note)}")

        if network.name:
            lines.append(f"[$text-muted]{esc(network.name)}: {esc(network.description)}[/]")
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
