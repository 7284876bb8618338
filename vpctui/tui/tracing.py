"""The app's trace and matrix half (a mixin of VpcTuiApp): run a trace, step through its hops, the
matrix, presentation mode. On a large network a trace and the matrix run in an exclusive thread
worker and end with ``TraceComputed`` / ``MatrixComputed``, so the screen keeps answering keys
(and shows that it is working); on a small one they run here and now, in less than a frame.

The packet walk itself is pure (vpctui/tui/hop_walk.py): this sets ``hop_marks`` and the main
screen's panes apply their part.
"""

from __future__ import annotations


from typing import TYPE_CHECKING, Optional

from textual import work

from ..engine.cache import StepCache
from ..engine.result import Hop, Trace
from ..model.network import Network
from .hop_walk import hop_marks, hops_of
from .long_lived import built_to_last
from .messages import MatrixComputed, TraceComputed, TraceRequested
from .widgets.matrix import matrix_layout

if TYPE_CHECKING:
    from .app import VpcTuiApp

# A network with more functions than this traces and computes its matrix in a thread worker (the
# 5,000-function matrix takes seconds); a smaller one here and now.
WORKER_ABOVE_FUNCTIONS = 200


class TracingMixin:
    def _large(self: "VpcTuiApp") -> bool:
        return self.network is not None and len(self.network.functions) > WORKER_ABOVE_FUNCTIONS

    # ---- trace -----------------------------------------------------------------------------------

    def action_trace(self: "VpcTuiApp") -> None:
        from ..engine import suggest_targets
        from .screens.picker import TargetPickerScreen

        fn = self.selected_function()
        if self.network is None or fn is None:
            self.notify("No Lambda functions in this network.", severity="warning")
            return

        def picked(target: Optional[str]) -> None:
            if target:
                self.run_trace(fn, target)

        pane = self.focused_pane()
        if pane is not None and getattr(pane, "PANE_NUMBER", 0) in (2, 3, 5):
            # t traces from a function: say which one, since this pane shows no functions
            self.notify(f"t traces from a Lambda function, not from {pane.PANE_TITLE.lower()}: from λ {fn} "
                        "(the one selected in 4 Functions)", markup=False, timeout=6)
        self.push_screen(TargetPickerScreen(fn, suggest_targets(self.network)), picked)

    def run_trace(self: "VpcTuiApp", function_name: str, target: str, hop: int = 0,
                  compare: Optional[tuple[Trace, str]] = None, in_worker: Optional[bool] = None) -> bool:
        """Trace and show it: here and now on a small network, in a worker on a large one (True:
        started; ``in_worker=False`` forces here and now). False: the trace cannot be run (a
        notification says why). ``compare`` (the trace before a what-if change, and the change)
        shows before → after over it."""
        net = self.network
        if net is None:
            return False
        if self._large() if in_worker is None else in_worker:
            self.sub_title = f"tracing {function_name} → {target}…"
            self._trace_worker(net, self.step_cache, function_name, target, hop, compare)
            return True
        message = self._traced(net, self.step_cache, function_name, target, hop, compare)
        self.on_trace_computed(message)
        return message.trace is not None

    @staticmethod
    def _traced(net: Network, cache: StepCache, function_name: str, target: str, hop: int,
                compare: Optional[tuple[Trace, str]]) -> TraceComputed:
        from ..engine import TraceError, trace

        try:
            return TraceComputed(net, trace(net, function_name, target, cache=cache), hop=hop, compare=compare)
        except TraceError as e:
            return TraceComputed(net, None, str(e))

    @work(thread=True, exclusive=True, group="trace", description="trace")  # not repr() of the network
    def _trace_worker(self: "VpcTuiApp", net: Network, cache: StepCache, function_name: str, target: str,
                      hop: int, compare: Optional[tuple[Trace, str]]) -> None:
        self.post_message(self._traced(net, cache, function_name, target, hop, compare))

    def on_trace_computed(self: "VpcTuiApp", message: TraceComputed) -> None:
        if message.network is not self.network:
            return  # reloaded since: the reload traces again
        if self._large():
            self.sub_title = self.source.title(message.network)
        if message.trace is None:
            self.notify(message.error, title="✗ Cannot trace", severity="error", timeout=8)
            return
        self.trace = message.trace
        self.compare = message.compare
        view = self.trace_view()
        view.show(message.trace, self.network, message.compare)
        self.mode = "trace"
        self.hop_index = -1
        self.hop_index = max(0, min(message.hop, len(self.hops()) - 1))
        view.focus()
        self.refresh_bindings()

    def on_trace_requested(self: "VpcTuiApp", message: TraceRequested) -> None:
        self.run_trace(message.function_name, message.target)

    def hops(self: "VpcTuiApp") -> list[Hop]:
        return hops_of(self.trace)

    def watch_hop_index(self: "VpcTuiApp", index: int) -> None:
        """The packet walk: the trace view selects the hop, the panes mark their part of it."""
        marks = hop_marks(self.network, self.trace, index) if self.network and self.trace else None
        if "trace" in self._views or marks is not None:
            self.trace_view().select(index if marks is not None else -1)
        self.highlight = marks.hop.highlight if marks is not None else None
        if marks is not None:
            self.hop_marks = marks

    def action_next_hop(self: "VpcTuiApp") -> None:
        if self.talk_player is not None:  # a talk: the clicker plays the script's next step
            self.call_later(self.talk_player.next)
            return
        n = len(self.hops())
        if self.trace is not None and self.hop_index < n - 1:
            self.hop_index += 1
            self.mode = "trace"
        elif self.demo:
            self._demo_advance(1)
        elif self.trace is not None:  # past the last hop: read the rest (reason, fix, blockers)
            self.trace_view().page_down()

    def action_prev_hop(self: "VpcTuiApp") -> None:
        if self.talk_player is not None:
            self.call_later(self.talk_player.back)
            return
        if self.trace is not None and self.hop_index > 0:
            self.hop_index -= 1
            self.mode = "trace"
        elif self.demo:
            self._demo_advance(-1)

    # ---- paths and the drop (d, n, N) ---------------------------------------------------------------

    def path_starts(self: "VpcTuiApp") -> list[int]:
        """The index (into ``hops()``) of each path's first hop."""
        out, i = [], 0
        for p in (self.trace.paths if self.trace is not None else ()):
            out.append(i)
            i += len(p.hops)
        return out

    def current_path(self: "VpcTuiApp") -> int:
        starts = self.path_starts()
        return max((n for n, s in enumerate(starts) if s <= max(self.hop_index, 0)), default=0)

    def action_jump_drop(self: "VpcTuiApp") -> None:
        """The hop where the current path drops (or is unknown); else the next path's that does."""
        tr = self.trace
        if tr is None:
            return
        starts = self.path_starts()
        order = list(range(self.current_path(), len(tr.paths))) + list(range(0, self.current_path()))
        for n in order:
            p = tr.paths[n]
            for i, h in enumerate(p.hops):
                if h.result in ("drop", "unknown") and (p.drop is None or h.hop == p.drop.hop):
                    self.mode = "trace"
                    self.hop_index = starts[n] + i
                    return
        self.notify("No drop: every path of this trace is reachable.")

    def _to_path(self: "VpcTuiApp", step: int) -> None:
        tr = self.trace
        if tr is None:
            return
        if len(tr.paths) < 2:
            self.notify("This trace has one path (the function has one subnet).")
            return
        n = (self.current_path() + step) % len(tr.paths)
        self.mode = "trace"
        self.hop_index = self.path_starts()[n]
        self.notify(f"Path {n + 1}/{len(tr.paths)}", timeout=2)

    def action_next_path(self: "VpcTuiApp") -> None:
        self._to_path(1)

    def action_prev_path(self: "VpcTuiApp") -> None:
        self._to_path(-1)

    # ---- save the trace as Markdown (s) -----------------------------------------------------------

    def action_save_trace(self: "VpcTuiApp") -> None:
        import re
        from pathlib import Path

        from ..render.report import trace_markdown

        tr = self.trace
        if tr is None:
            self.notify("No trace to save: select a function and press t.", severity="warning")
            return
        stem = re.sub(r"[^A-Za-z0-9._-]+", "-", f"vpctui-{tr.source}-{tr.target}").strip("-")[:120]
        path = Path.cwd() / f"{stem}.md"
        n = 2
        while path.exists():
            path = Path.cwd() / f"{stem}-{n}.md"
            n += 1
        try:
            path.write_text(trace_markdown(self.network, tr, self.network.name if self.network else ""),
                            encoding="utf-8")
        except OSError as e:
            self.notify(f"{path}: {e.strerror or e}", title="✗ Could not save", severity="error")
            return
        self.last_saved = str(path)
        self.notify(str(path), title="Saved the trace as Markdown")

    def action_first_hop(self: "VpcTuiApp") -> None:
        if self.trace is not None:
            self.hop_index = 0

    def action_last_hop(self: "VpcTuiApp") -> None:
        if self.trace is not None:
            self.hop_index = len(self.hops()) - 1

    def _demo_advance(self: "VpcTuiApp", step: int) -> None:
        """Presentation mode: past the last hop the clicker moves to the next trace of the matrix
        (computed here: a presentation network is small)."""
        if self.network is None:
            return
        if not self.matrix_traces:
            self._compute_matrix()
        pairs = [(t.source, t.target) for t in self.matrix_traces]
        if not pairs:
            return
        if self.trace is not None and (self.trace.source, self.trace.target) in pairs:
            self.demo_step = pairs.index((self.trace.source, self.trace.target))
        nxt = self.demo_step + step
        if not 0 <= nxt < len(pairs):
            self.notify("End of the demo: m shows the matrix." if step > 0 else "First trace.")
            return
        self.demo_step = nxt
        self.run_trace(*pairs[nxt], hop=0 if step > 0 else 10_000)

    # ---- matrix ----------------------------------------------------------------------------------

    def matrix_columns(self: "VpcTuiApp") -> list[tuple[str, str]]:
        """The matrix's targets, each with where it came from (shown under the matrix)."""
        net = self.network
        if net is None:
            return []
        out: dict[str, str] = {}
        if net.targets:
            for t in net.targets:
                out.setdefault(t, "the scenario's targets: list")
        elif self.is_live():
            from ..engine.defaults import default_targets as live_defaults

            for d in live_defaults(net):
                out.setdefault(d.target, d.origin)
        else:
            from ..engine.targets import default_targets

            for t in default_targets(net):
                out.setdefault(t, "a resource or host in the scenario")
        for t in self.cli_targets:
            out.setdefault(t, "--to")
        for t in self.added_targets:
            out.setdefault(t, "added with +")
        return list(out.items())

    def is_live(self: "VpcTuiApp") -> bool:
        return type(self.source).__name__ == "AwsSource"

    def action_add_target(self: "VpcTuiApp") -> None:
        from ..engine import parse_target, TargetError
        from ..engine import suggest_targets
        from .screens.picker import TargetPickerScreen

        if self.network is None:
            return
        net = self.network

        def picked(target: Optional[str]) -> None:
            if not target:
                return
            try:
                parse_target(net, target)
            except TargetError as e:
                self.notify(str(e), title="✗ Not a target", severity="error", timeout=8)
                return
            if target in [t for t, _ in self.matrix_columns()]:
                self.notify(f"{target} is a column already.")
            else:
                self.added_targets.append(target)
                self.matrix_traces = []
            self.call_later(self.action_matrix)

        self.push_screen(TargetPickerScreen("", suggest_targets(net), title="Add a target column to the matrix",
                                            submit="add"), picked)

    def _compute_matrix(self: "VpcTuiApp") -> bool:
        if self.network is None:
            return False
        message = self._matrix_of(self.network, [t for t, _ in self.matrix_columns()])
        if message.error:
            self.notify(message.error, title="✗ Matrix", severity="error")
            return False
        self.matrix_traces = message.traces
        self.matrix_marks = {}
        return True

    @staticmethod
    def _matrix_of(net: Network, targets: Optional[list[str]] = None) -> MatrixComputed:
        from ..engine import TraceError, matrix

        try:
            return MatrixComputed(net, matrix(net, targets) if targets else [])
        except TraceError as e:
            return MatrixComputed(net, [], str(e))

    @work(thread=True, exclusive=True, group="matrix", description="matrix")  # not repr() of the network
    def _matrix_worker(self: "VpcTuiApp", net: Network, targets: list[str]) -> None:
        # the matrix's millions of objects live as long as it is shown (long_lived.py)
        with built_to_last() as build:
            build.large = True  # (the matrix runs in a worker on a large network only)
            message = self._matrix_of(net, targets)
            if not message.error:  # the table's pass over the cells, here rather than on the event loop
                message.layout = matrix_layout(net, message.traces)
        self.post_message(message)

    def on_matrix_computed(self: "VpcTuiApp", message: MatrixComputed) -> None:
        if message.network is not self.network:
            return  # reloaded since: the reload computes it again
        if message.error:
            self.notify(message.error, title="✗ Matrix", severity="error")
            return
        self.matrix_traces = message.traces
        self.matrix_marks = {}
        view = self.matrix_view()
        view.show(message.network, message.traces, self.matrix_marks, self.matrix_columns(), layout=message.layout)
        main = self.screen_stack[0]  # (help or the palette may be open over it)
        if self.mode == "matrix" and main.focused is not view.table:
            # it could not take the focus while it was loading; in matrix mode the other panes are
            # hidden, so the keys go to the table
            main.set_focus(view.table)

    def _fill_matrix(self: "VpcTuiApp") -> None:
        """Show the matrix: at once when known or small, else from a worker (with progress)."""
        net = self.network
        if net is None:
            return
        if not self.matrix_traces and self._large():
            columns = [t for t, _ in self.matrix_columns()]
            self.matrix_view().computing(len(net.functions), len(columns))
            self._matrix_worker(net, columns)
            return
        if not self.matrix_traces and not self._compute_matrix():
            return
        self.matrix_view().show(net, self.matrix_traces, self.matrix_marks, self.matrix_columns())

    async def action_matrix(self: "VpcTuiApp") -> None:
        if self.network is None:
            return
        view = await self._view_ready("matrix")  # the table is mounted before it is filled
        self._fill_matrix()
        self.mode = "matrix"
        view.table.focus()  # type: ignore[attr-defined]

