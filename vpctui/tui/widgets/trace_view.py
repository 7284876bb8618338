"""6 Trace: every path of a trace, hop by hop, with the drop, the symptom, the fix and other blockers."""

from __future__ import annotations

from typing import Optional

from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from rich.style import Style as RichStyle
from textual.content import Content
from textual.style import Style
from textual.widget import Widget
from textual.widgets import Static

from ...engine.result import DROP, HOP_UNKNOWN, INFO, INTERMITTENT, REACHABLE, Hop, PathResult, Trace
from ...model.network import Network, Subnet
from ...render.sources import fix_in_code, source_of
from ..format import esc, hop_markup, verdict_glyph, verdict_markup
from .base import PaneMixin


class HopRow(Widget):
    """One hop: ' 5 ✓ pass    H4 route-table rtb-0pub' and, indented under it, the decision.

    One widget that wraps its own lines: what the hop is continues under itself (a long ARN hangs
    under the hop's category, not under the marker), the decision under a six-column indent. A hop
    was five widgets (rows, a line, marker, what, detail); a trace of three paths had 200, and
    Textual's layout of them held the event loop for a tenth of a second on every change."""

    DETAIL_INDENT = 6
    COMPONENT_CLASSES = {"hop--detail"}  # the decision's colour (app.tcss): muted, or not when selected

    def __init__(self, hop: Hop, index: int, source: str = "", step: int = 0) -> None:
        classes = "hop " + {DROP: "-drop", HOP_UNKNOWN: "-unknown", INFO: "-info"}.get(hop.result, "-pass")
        super().__init__(classes=classes)
        self.hop = hop
        self.index = index
        self.source = source  # where the component was written (Terraform/CloudFormation inputs)
        self.step = step  # 1, 2, 3, … along its path
        self._wrapped: Optional[tuple[int, bool, list[Content]]] = None  # (width, selected, lines)

    def _mark(self, selected: bool) -> str:
        marker = "[reverse b]▶[/]" if selected else " "
        # the step's number along the path, then the result
        return f"{marker}[b]{self.step:>2}[/] {hop_markup(self.hop.result)} "

    def _what(self) -> str:
        hop = self.hop  # the hop's category (H0..H10) is a label after the result
        return f"[dim]{esc(hop.hop)}[/] {esc(hop.component_type)} [b]{esc(hop.component_id)}[/]"

    def _detail(self) -> list[str]:
        lines = [esc(self.hop.detail)]
        if self.source:
            lines.append(f"from {esc(self.source)}")
        return lines

    def lines(self, width: int) -> list[Content]:
        """The hop's lines at ``width`` columns."""
        selected = self.has_class("-selected")
        if self._wrapped is not None and self._wrapped[:2] == (width, selected):
            return self._wrapped[2]
        mark = Content.from_markup(self._mark(selected))
        hang = Content(" " * mark.cell_length)
        what = Content.from_markup(self._what()).wrap(max(1, width - mark.cell_length))
        out = [mark + what[0]] + [hang + line for line in what[1:]]
        indent = Content(" " * self.DETAIL_INDENT)
        # its colour as CSS resolves it against this row's background (theme variables such as
        # $text-muted carry an alpha that only the widget's own style blends)
        colour = self.get_component_rich_style("hop--detail").color
        style = Style.from_rich_style(RichStyle(color=colour)) if colour is not None else ""
        for markup in self._detail():
            detail = Content.from_markup(markup).stylize_before(style)
            out += [indent + line for line in detail.wrap(max(1, width - self.DETAIL_INDENT))]
        self._wrapped = (width, selected, out)
        return out

    def render(self) -> Content:
        return Content("\n").join(self.lines(self.content_region.width or self.size.width))

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.lines(width))

    def notify_style_update(self) -> None:
        self._wrapped = None  # a theme or class change: the decision's colour is another
        super().notify_style_update()

    def set_selected(self, selected: bool) -> None:
        self.set_class(selected, "-selected")
        self.refresh()  # the marker and the decision's colour; the height stays


def _subnet_text(network: Optional[Network], subnet_id: Optional[str]) -> str:
    if subnet_id is None:
        return "no VPC"
    s = network.get(subnet_id) if network else None
    if isinstance(s, Subnet):
        return f"{s.label} {s.subnet_id} {s.availability_zone}" if s.name else f"{s.subnet_id} {s.availability_zone}"
    return subnet_id


class ResultBlock(Vertical):
    """Under a path: the labelled rows of its result, each value wrapping under itself (a hanging
    indent), not under its label."""

    def __init__(self, rows: list[tuple[str, str]], classes: str = "") -> None:
        super().__init__(classes=classes)
        self.result_rows = rows

    def compose(self):
        for label, value in self.result_rows:
            if not label:
                yield Static(value, classes="result-line")
                continue
            with Horizontal(classes="result-row"):
                yield Static(f"[b]{esc(label)}[/]", classes="result-label")
                yield Static(value, classes="result-value")


class TraceBody(VerticalScroll, can_focus=False):
    """The scrolling part of the trace: paths, hops, results."""


class TraceView(PaneMixin, Vertical):
    PANE_NUMBER = 6
    PANE_TITLE = "Trace"
    FILTERABLE = False
    can_focus = True
    PANE_HELP = (
        "Every path of the trace (one per subnet of the function), hop by hop: the component, "
        "what it decided and why, ✓ pass / ✗ DROP / ? unknown. Under each path: what the function "
        "sees (\"Task timed out after 3.00 seconds\", \"AccessDenied (403)\"), the reason code, the "
        "fix, and the other settings that also block the path. space, l, j, → or PageDown step to "
        "the next hop; h, k, ← or PageUp step back; g / G go to the first / last hop; d jumps to "
        "the drop; n / N go to the next / previous path; s saves the trace as Markdown. The other "
        "panes follow the hop: the route that matched, the SG rule, the NACL entry, the endpoint."
    )
    BINDINGS = [
        Binding("j,down,right", "app.next_hop", "Next hop", show=False),
        Binding("k,up,left", "app.prev_hop", "Prev hop", show=False),
        Binding("g,home", "app.first_hop", "First hop", show=False),
        Binding("G,end", "app.last_hop", "Last hop", show=False),
    ]

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.trace: Optional[Trace] = None
        self.rows: list[HopRow] = []
        self.selected: int = -1
        # what show() decided, put on screen by _apply() once the view is mounted: the app mounts
        # this view when the first trace is run and shows the trace in the same call
        self._head_text = "[dim]No trace yet: select a function and press t.[/]"
        self._widgets: list = []
        self._title = ""
        self._ready = False

    def compose(self):
        yield Static("", id="trace-head")
        yield TraceBody(id="trace-body")

    def on_mount(self) -> None:
        self._ready = True
        self._apply()
        if 0 <= self.selected < len(self.rows):
            self.call_after_refresh(self._reveal, self.rows[self.selected])

    def show(self, trace: Optional[Trace], network: Optional[Network],
             compare: Optional[tuple[Trace, str]] = None) -> None:
        """Show ``trace``; ``compare`` = (the trace before a what-if change, the change) adds
        before → after: the verdicts and the first hop that changed."""
        self.trace = trace
        self.compare = compare
        self.network = network
        self.selected = -1
        self.rows = []
        self._widgets = []
        self._title = ""
        if trace is None:
            self._head_text = "[dim]No trace yet: select a function and press t.[/]"
        else:
            self._head_text = self._head(trace)
            if compare is not None:
                self._head_text += "\n" + self._compare(compare[0], trace, compare[1])
            widgets: list = self._widgets
            if len(trace.paths) > 1:
                widgets.append(Static(self._summary(trace), classes="trace-summary"))
            index = 0
            for n, path in enumerate(trace.paths, 1):
                where = esc(_subnet_text(network, path.subnet_id))
                count = f"[b]Path {n}/{len(trace.paths)}[/] · " if len(trace.paths) > 1 else ""
                widgets.append(Static(f"{count}{verdict_markup(path.verdict)} · {where}", classes="path-head"))
                for step, hop in enumerate(path.hops, 1):
                    row = HopRow(hop, index, source_of(network, hop.component_id), step)
                    self.rows.append(row)
                    widgets.append(row)
                    index += 1
                widgets.append(ResultBlock(self._result_rows(path),
                                           classes="path-result " + ("-ok" if path.verdict == REACHABLE else "-bad")))
            self._title = f"{trace.source} → {trace.target}"
        if self._ready:
            self._apply()

    def _apply(self) -> None:
        body = self.query_one(TraceBody)
        body.remove_children()
        self.query_one("#trace-head", Static).update(self._head_text)
        if self._widgets:
            body.mount_all(self._widgets)
        self.update_title(self._title)
        self.border_subtitle = esc(self.trace.target_description) if self.trace is not None else ""

    def _head(self, tr: Trace) -> str:
        lines = [f"[b]λ {esc(tr.source)}[/] → [b]{esc(tr.target)}[/]"]
        first_bad = next((p for p in tr.paths if p.verdict != REACHABLE), None)
        sees = (first_bad or (tr.paths[0] if tr.paths else None))
        verdict = verdict_markup(tr.verdict)
        if sees is not None:
            # a long message (an AccessDenied names the role, the action, the resource) is shown in
            # full once, under its path: the head keeps its first part
            msg = sees.message
            if len(msg) > 60 and ":" in msg:
                msg = msg.split(":", 1)[0] + ": … (below)"
            lines.append(f"{verdict} · sees [b]{esc(msg)}[/]")
        else:
            lines.append(verdict)
        if tr.error:
            lines.append(f"[$error]✗ {esc(tr.error)}[/]")
        return "\n".join(lines)

    def _compare(self, before: Trace, after: Trace, label: str) -> str:
        from ...engine.diff import hop_change

        def state(t: Trace) -> str:
            return verdict_markup(t.verdict) + ("" if t.verdict == REACHABLE else f" {esc(t.symptom)}")

        lines = [f"[b]✎ what-if[/] {esc(label)}",
                 f"[b]before → after[/] {state(before)} → {state(after)}"]
        ch = hop_change(before, after)
        if ch is not None and (ch.before is not None or ch.after is not None):
            def hop(h) -> str:
                return "—" if h is None else f"{esc(h.hop)} {esc(h.component_id)} {hop_markup(h.result)}"
            lines.append(f"[b]changed hop[/] {hop(ch.before)} → {hop(ch.after)}")
        elif ch is None:
            lines.append("[dim]this trace did not change[/]")
        return "\n".join(lines)

    def _summary(self, tr: Trace) -> str:
        lines = ["[b]Subnets[/] (Lambda picks one per invocation):"]
        for p in tr.paths:
            word = "works" if p.verdict == REACHABLE else p.verdict
            lines.append(f"  {verdict_glyph(p.verdict)} {esc(_subnet_text(self.network, p.subnet_id))}"
                         f" — {esc(word)}: {esc(p.message)}")
        if tr.verdict == INTERMITTENT:
            good = sum(p.verdict == REACHABLE for p in tr.paths)
            lines.append(f"[$warning]~ intermittent: {good} of {len(tr.paths)} subnets work, so some "
                         "invocations succeed and others fail.[/]")
        return "\n".join(lines)

    def _result_rows(self, p: PathResult) -> list[tuple[str, str]]:
        """A path's result as (label, markup) rows: what the function sees, the drop's reason, why
        and fix, the other blockers and the notes. A row without a label spans the block."""
        from ...render.report import why_text

        if p.verdict == REACHABLE:
            rows = [("", f"[$success]✓ the function sees:[/] [b]{esc(p.message)}[/]")]
        else:
            rows = [("", f"[$error]✗ the function sees:[/] [b]{esc(p.message)}[/]")]
        if p.drop is not None:
            d = p.drop
            rows.append(("Reason", f"[b $error]{esc(d.reason)}[/] at {esc(d.hop)} {esc(d.component_id)}"))
            src = source_of(self.network, d.component_id)
            if src:
                rows.append(("From", esc(src)))
            # the reason in words when the explanation only repeats what the function sees
            rows.append(("Why", esc(why_text(d, p.message))))
            rows.append(("Fix", f"[b]{esc(d.fix)}[/]"))
            code = fix_in_code(self.network, d, self.trace.source if self.trace else "")
            if code:
                rows.append(("In code", esc(code)))
        if p.blockers:
            rows.append(("", f"[b]Also blocking[/] ({len(p.blockers)}):"))
            for b in p.blockers:
                rows.append(("✗", f"{esc(b.reason)} at {esc(b.hop)} {esc(b.component_id)}: {esc(b.explanation)}"
                                  f"\nfix: {esc(b.fix)}"))
        for note in p.notes:
            rows.append(("", f"[dim]note: {esc(note)}[/]"))
        return rows

    def _result(self, p: PathResult) -> str:
        """The result block as one text (labels padded): what a test or a copy reads."""
        return "\n".join(f"[b]{label:<7}[/] {value}" if label else value for label, value in self._result_rows(p))

    # ---- stepping    # ---- stepping ------------------------------------------------------------------------------

    def select(self, index: int) -> None:
        if 0 <= self.selected < len(self.rows):
            self.rows[self.selected].set_selected(False)
        self.selected = index
        if 0 <= index < len(self.rows):
            row = self.rows[index]
            row.set_selected(True)
            self.call_after_refresh(self._reveal, row)

    def page_down(self) -> None:
        """Past the last hop: read the rest (reason, fix, blockers)."""
        for body in self.query(TraceBody):
            body.scroll_page_down(animate=False)

    def _reveal(self, row: HopRow) -> None:
        """Show the hop; on a path's last hop also show its result (symptom, reason, fix)."""
        if not self._ready:
            return
        body = self.query_one(TraceBody)
        siblings = list(body.children)
        pos = siblings.index(row) if row in siblings else -1
        nxt = siblings[pos + 1] if 0 <= pos < len(siblings) - 1 else None
        if nxt is not None and nxt.has_class("path-result"):
            # the path's last hop: show it at the top with the symptom, reason and fix under it
            body.scroll_to_widget(row, animate=False, top=True, immediate=True)
        else:
            body.scroll_to_widget(row, animate=False, immediate=True)
