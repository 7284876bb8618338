"""The vpctui terminal UI: explore a VPC and walk a trace hop by hop.

State lives here as frozen values (``network``, ``trace``, ``hop_index``); the panes are views that
get data from the app and report intent with messages. Loading runs in a thread worker and ends with
``ScenarioLoaded`` or ``ScenarioFailed``; the engine is called only from here.
"""

from __future__ import annotations

import sys
from typing import Callable, Optional

from textual import on, work
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import AwaitMount, Widget
from textual.widgets import ContentSwitcher, Header, Input, Static
from textual.worker import get_current_worker

from ..engine.result import Highlight, Hop, Trace
from ..loaders import LoadError, Source, load_source
from ..loaders.scenario import ScenarioSource
from ..model.network import Network, Subnet
from .bindings import app_bindings
from .commands import VpcCommands
from ..loaders.talk import Talk
from .talk import TalkPlayer
from .theme import register_themes
from .index import network_index
from .messages import LoadProgress, ResourceSelected, ScenarioFailed, ScenarioLoaded, TraceRequested
from .widgets.details import DetailsPane
from .widgets.filter_bar import FilterBar
from .widgets.footer import KeyFooter
from .widgets.matrix import MatrixView
from .widgets.network import NetworkPane
from .widgets.tables import EndpointsPane, FunctionsPane, RoutesPane
from .widgets.trace_view import TraceView
from .whatif import WhatIfMixin

LOADING_PANEL_AFTER_S = 0.25  # a load that takes longer shows the loading panel (and its progress)
LEFT_FOR_PANE = {"network": "explore", "functions": "explore", "trace": "trace", "matrix": "matrix"}
HOP_ACTIONS = {"next_hop", "prev_hop", "first_hop", "last_hop"}
LETTER_ACTIONS = {"trace", "matrix", "yaml", "copy_id", "reload", "quit", "filter", "help", "next_hop",
                  "prev_hop", "focus_pane", "command_palette", "apply_fix", "pick_fix", "edit", "undo", "redo",
                  "changes", "write"}
WHATIF_ACTIONS = {"apply_fix", "pick_fix", "edit", "undo", "redo", "changes", "write"}


class MainScreen(Screen):
    # Textual focuses the first focusable widget as the screen composes: the hidden filter line,
    # which then loses the focus to the network pane on mount (two restyles and a cursor timer)
    AUTO_FOCUS = "NetworkPane"


class VpcTuiApp(WhatIfMixin, App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "vpctui"
    BINDINGS = app_bindings()
    COMMANDS = {VpcCommands}
    COMMAND_PALETTE_BINDING = "ctrl+p"

    network: var[Optional[Network]] = var(None, always_update=True)
    trace: var[Optional[Trace]] = var(None, always_update=True)
    hop_index: var[int] = var(-1)
    highlight: var[Optional[Highlight]] = var(None)
    mode: var[str] = var("explore")  # explore | trace | matrix

    def __init__(self, source: Source = ScenarioSource(), demo: bool = False, theme: Optional[str] = None,
                 talk: Optional[Talk] = None) -> None:
        super().__init__()
        self.source = source
        self.demo = demo = demo or talk is not None
        self.talk_player = TalkPlayer(self, talk) if talk is not None else None
        register_themes(self)
        if theme:
            self.theme = theme  # raises InvalidThemeError for an unknown name
        if demo:
            self.animation_level = "none"
        self.load_errors: list[str] = []
        self.progress_lines: list[str] = []
        self.matrix_traces: list[Trace] = []
        self.demo_step = -1
        self._loading_timer: Optional[Timer] = None
        self._views: dict[str, Widget] = {}  # the trace and matrix views, mounted on first use
        self._view_mounts: dict[str, AwaitMount] = {}
        # the loading panel and the / filter line, hidden until needed: mounted when first needed
        self._loading: Optional[Static] = None
        self._bar: Optional[FilterBar] = None

    # ---- layout ----------------------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        return MainScreen(id="_default")

    def compose(self) -> ComposeResult:
        yield Header(icon="λ")
        with Horizontal(id="body"):
            with ContentSwitcher(initial="explore", id="left"):
                with Vertical(id="explore"):
                    yield NetworkPane(id="network")
                    yield FunctionsPane(id="functions")
            with Vertical(id="right"):
                yield RoutesPane(id="routes")
                yield EndpointsPane(id="endpoints")
                yield DetailsPane(id="details")
        if self.talk_player is not None:
            yield Static(id="talk-caption")
        if self.demo:
            yield Static("space/→/PgDn next hop · ←/PgUp back · t trace · m matrix · ? help", id="quiet-footer")
        else:
            yield KeyFooter()

    def trace_view(self) -> TraceView:
        return self._view("trace")  # type: ignore[return-value]

    def matrix_view(self) -> MatrixView:
        return self._view("matrix")  # type: ignore[return-value]

    def _view(self, view_id: str) -> Widget:
        """Pane 6 (trace) or the matrix view, mounted into the left ContentSwitcher the first time
        it is needed: start-up composes neither (fewer widgets to style and lay out before the
        first frame). The view is registered at once (it can be shown, focused and fed a trace);
        its children arrive with its compose, which `_view_ready` awaits."""
        view = self._views.get(view_id)
        if view is None:
            view = TraceView(id="trace") if view_id == "trace" else MatrixView(id="matrix")
            view.display = False  # the switcher shows it when the mode says so
            self._views[view_id] = view
            self._view_mounts[view_id] = self.query_one("#left", ContentSwitcher).mount(view)
        return view

    async def _view_ready(self, view_id: str) -> Widget:
        view = self._view(view_id)
        mounting = self._view_mounts.pop(view_id, None)
        if mounting is not None:
            await mounting
        return view

    def on_mount(self) -> None:
        self.sub_title = f"loading {self.source.label}…"
        # focus where the user starts now, so that the load does not move it (and rebuild the keys)
        self.set_focus(self.query_one(NetworkPane))
        self.start_load(f"loading {self.source.label}…")

    # ---- loading ---------------------------------------------------------------------------------

    def start_load(self, text: str) -> None:
        """Load the source: a small scenario file here and now, so that the first frame already
        shows the network (one paint, not an empty screen and then the panes); a large file or an
        AWS account in a thread worker, with the loading panel."""
        if self.source.loads_fast:
            self._apply_load(self._read_source(progress=None))
            return
        self.show_progress(text)
        self.load()

    def _read_source(self, progress: Optional[Callable[[str], None]],
                     cancelled: Optional[Callable[[], bool]] = None) -> ScenarioLoaded | ScenarioFailed:
        try:
            net = load_source(self.source, progress=progress, cancelled=cancelled)
            network_index(net)  # the panes' rows and labels, built off the event loop when threaded
        except LoadError as e:
            return ScenarioFailed(list(e.errors) or [str(e)])
        except Exception as e:  # a loader bug must not put a traceback over the screen
            return ScenarioFailed([f"{type(e).__name__}: {e}"])
        return ScenarioLoaded(net)

    def _apply_load(self, message: ScenarioLoaded | ScenarioFailed) -> None:
        if isinstance(message, ScenarioLoaded):
            self.on_scenario_loaded(message)
        else:
            self.on_scenario_failed(message)

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        # Textual cancels this worker when the app quits (or a reload starts another): the live
        # loader polls that and returns at once, so `q` never waits for a pending AWS call
        worker = get_current_worker()
        self.post_message(self._read_source(progress=lambda m: self.post_message(LoadProgress(m)),
                                            cancelled=lambda: worker.is_cancelled))

    def show_progress(self, text: str) -> None:
        """Add a line to the loading panel; the panel shows once a load lasts LOADING_PANEL_AFTER_S
        (a file that loads faster than that never flashes it)."""
        self.progress_lines = (self.progress_lines + [text])[-8:]
        loading = self._loading
        if loading is None:
            loading = self._loading = Static("", id="loading")
            self.mount(loading, after="#body")
        from rich.text import Text

        # the lines name resources and quote AWS errors: text, never markup
        loading.update(Text.assemble(("vpctui", "bold"), " loading…", *(("\n" + line) for line in self.progress_lines)))
        if self._loading_timer is None and not loading.display:
            self._loading_timer = self.set_timer(LOADING_PANEL_AFTER_S, self._reveal_loading)

    def _reveal_loading(self) -> None:
        self._loading_timer = None
        if self.progress_lines and self._loading is not None:  # still loading
            self._loading.display = True

    def _hide_loading(self) -> None:
        if self._loading_timer is not None:
            self._loading_timer.stop()
            self._loading_timer = None
        if self._loading is not None:
            self._loading.display = False

    def on_load_progress(self, message: LoadProgress) -> None:
        self.show_progress(message.text)

    def on_scenario_failed(self, message: ScenarioFailed) -> None:
        from .screens.load_error import LoadErrorScreen

        self.load_errors = message.errors
        self._hide_loading()
        self.sub_title = f"✗ could not load {self.source.label}"
        self.notify("\n".join(message.errors[:3]), title="✗ Could not load", severity="error", timeout=8)
        if isinstance(self.screen, LoadErrorScreen):
            self.pop_screen()
        self.push_screen(LoadErrorScreen(self.source.label, message.errors, can_go_back=self.network is not None))

    def on_scenario_loaded(self, message: ScenarioLoaded) -> None:
        from .screens.load_error import LoadErrorScreen

        if isinstance(self.screen, LoadErrorScreen):
            self.pop_screen()
        self.load_errors = []
        self.progress_lines = []
        self._hide_loading()
        old_trace = self.trace
        self.network = message.network
        net = message.network
        self.whatif_reset(net)
        self.sub_title = self.source.title(net)
        for pane in (self.query_one(NetworkPane), self.query_one(FunctionsPane), self.query_one(EndpointsPane),
                     self.query_one(RoutesPane), self.query_one(DetailsPane)):
            pane.show_network(net)
        self.matrix_traces = []
        if self.mode == "matrix":
            self._fill_matrix()
        if old_trace is not None:  # a reload keeps the trace on screen, recomputed
            self.run_trace(old_trace.source, old_trace.target, hop=self.hop_index)
        elif net.subnets:
            first = net.subnets[0]
            self.query_one(RoutesPane).show_subnet(first.subnet_id)
            self.query_one(DetailsPane).show(first.subnet_id)
        if self.mode == "explore" and self.focused is not self.query_one(NetworkPane):
            self.query_one(NetworkPane).focus()  # (focusing a focused pane still rebuilds the keys)
        self.refresh_bindings()  # trace, matrix, yaml and copy make sense now

    # ---- selection -------------------------------------------------------------------------------

    def on_resource_selected(self, message: ResourceSelected) -> None:
        net = self.network
        if net is None:
            return
        rid = message.resource_id
        details = self.query_one(DetailsPane)
        routes = self.query_one(RoutesPane)
        obj = net.find(rid)
        if isinstance(obj, Subnet):
            routes.show_subnet(rid)
        elif message.kind == "function" and obj is not None and getattr(obj, "subnet_ids", ()):
            routes.show_subnet(obj.subnet_ids[0])
        if details.component_id == rid and (message.kind == "route_table" or not (details.marked_key or details.note)):
            return  # already shown (the cursor landing on the subnet that loading showed, say)
        details.show(rid)

    def go_to(self, resource_id: str) -> None:
        """Palette 'go to:': select a resource in its pane and show it in Details."""
        net = self.network
        if net is None:
            return
        obj = net.find(resource_id)
        if obj is None:
            return
        self.query_one(DetailsPane).show(resource_id)
        if isinstance(obj, Subnet):
            self.query_one(RoutesPane).show_subnet(resource_id)
            self.mode = "explore"
            self.query_one(NetworkPane).select_id(resource_id)
        elif resource_id in net.function_by_name:
            self.mode = "explore"
            self.query_one(FunctionsPane).move_to_key(resource_id)
            self.query_one(FunctionsPane).focus()
        elif resource_id.startswith("vpce-"):
            self.query_one(EndpointsPane).move_to_key(resource_id)
        elif resource_id.startswith("rtb-"):
            self.query_one(RoutesPane).show_table(obj)  # type: ignore[arg-type]

    def selected_function(self) -> Optional[str]:
        net = self.network
        if net is None or not net.functions:
            return None
        details = self.query_one(DetailsPane)
        if details.component_id in net.function_by_name:
            return details.component_id
        fpane = self.query_one(FunctionsPane)
        if self.focused is self.query_one(NetworkPane):
            cur = self.query_one(NetworkPane).current
            if cur and cur[0] == "subnet":
                fns = network_index(net).functions_of_subnet.get(cur[1])
                if fns:
                    return fns[0]
        if fpane.function_name:
            return fpane.function_name
        return net.functions[0].function_name

    # ---- modes and focus -------------------------------------------------------------------------

    def watch_mode(self, mode: str) -> None:
        if mode in ("trace", "matrix"):
            self._view(mode)
        self.query_one("#left", ContentSwitcher).current = mode
        body = self.query_one("#body")
        body.set_class(mode == "trace", "-trace")
        body.set_class(mode == "matrix", "-matrix")
        self.refresh_bindings()

    def action_focus_pane(self, pane_id: str) -> None:
        if pane_id == "trace" and self.trace is None:
            self.notify("No trace yet: select a function and press t.", severity="warning")
            return
        if pane_id == "matrix":
            self.call_later(self.action_matrix)
            return
        left = LEFT_FOR_PANE.get(pane_id)
        if left:
            self.mode = left
        elif self.mode == "matrix":
            self.mode = "trace" if self.trace is not None else "explore"
        self.query_one(f"#{pane_id}").focus()

    def focused_pane(self):
        node = self.focused
        while node is not None:
            if getattr(node, "PANE_NUMBER", 0):
                return node
            node = node.parent
        return None

    # ---- trace -----------------------------------------------------------------------------------

    def action_trace(self) -> None:
        from ..engine import suggest_targets
        from .screens.picker import TargetPickerScreen

        fn = self.selected_function()
        if self.network is None or fn is None:
            self.notify("No Lambda functions in this network.", severity="warning")
            return

        def picked(target: Optional[str]) -> None:
            if target:
                self.run_trace(fn, target)

        self.push_screen(TargetPickerScreen(fn, suggest_targets(self.network)), picked)

    def run_trace(self, function_name: str, target: str, hop: int = 0,
                  compare: Optional[tuple[Trace, str]] = None) -> bool:
        """Trace and show it; ``compare`` (the trace before a what-if change, and the change) shows
        before → after over it."""
        from ..engine import TraceError, trace

        if self.network is None:
            return False
        try:
            tr = trace(self.network, function_name, target)
        except TraceError as e:
            self.notify(str(e), title="✗ Cannot trace", severity="error", timeout=8)
            return False
        self.trace = tr
        self.compare = compare
        view = self.trace_view()
        view.show(tr, self.network, compare)
        self.mode = "trace"
        self.hop_index = -1
        self.hop_index = max(0, min(hop, len(view.rows) - 1))
        view.focus()
        self.refresh_bindings()
        return True

    def on_trace_requested(self, message: TraceRequested) -> None:
        self.run_trace(message.function_name, message.target)

    def hops(self) -> list[Hop]:
        if self.trace is None:
            return []
        return [h for p in self.trace.paths for h in p.hops]

    def watch_hop_index(self, index: int) -> None:
        hops = self.hops()
        if not (0 <= index < len(hops)):
            if "trace" in self._views:
                self.trace_view().select(-1)
            self.highlight = None
            return
        self.trace_view().select(index)
        hop = hops[index]
        self.highlight = hop.highlight
        self.apply_hop(hop)

    def apply_hop(self, hop: Hop) -> None:
        """Light up the hop's component in the other panes: the packet walk."""
        net = self.network
        if net is None:
            return
        hl = hop.highlight
        routes = self.query_one(RoutesPane)
        details = self.query_one(DetailsPane)
        endpoints = self.query_one(EndpointsPane)
        network_pane = self.query_one(NetworkPane)
        path = self._path_of(self.hop_index)
        note = f"{hop.hop} {hop.component_type}: {hop.detail}"
        # the subnet of the path keeps its route table in pane 2 unless the hop names another
        hop_no = int(hop.hop[1:]) if hop.hop[1:].isdigit() else 0
        if path is not None and path.subnet_id and (hl is None or hl.kind not in ("route", "route_table")):
            rt = net.route_table_of_subnet.get(path.subnet_id)
            # after the route lookup (H5 on) the matched route stays marked: that is where we went
            if routes.route_table is not rt or (hop_no < 4 and routes.marked_key is not None):
                routes.show_table(rt)
        endpoints.mark(hl.owner_id if hl is not None and hl.kind == "endpoint" else None)
        network_pane.mark(path.subnet_id if path is not None else None)
        if hl is None:
            details.show(hop.component_id if net.find(hop.component_id) is not None else None, None, note)
            return
        if hl.kind == "route":
            routes.show_table(net.get(hl.owner_id), hl.key)  # type: ignore[arg-type]
            details.show(hl.owner_id, hl.key, note)
        elif hl.kind == "route_table":
            routes.show_table(net.get(hl.owner_id), "*")  # type: ignore[arg-type]
            details.show(hl.owner_id, "*", note)
        elif hl.kind in ("sg_rule", "nacl_entry"):
            details.show(hl.owner_id, hl.key, note)
        elif hl.kind == "policy":
            details.show(hl.owner_id, "policy", note)
        else:  # subnet, endpoint, gateway, host, vpc
            details.show(hl.owner_id, None, note)

    def _path_of(self, index: int):
        if self.trace is None:
            return None
        n = 0
        for p in self.trace.paths:
            if index < n + len(p.hops):
                return p
            n += len(p.hops)
        return None

    def action_next_hop(self) -> None:
        if self.talk_player is not None:  # a talk: the clicker plays the script's next step
            self.call_later(self.talk_player.next)
            return
        n = len(self.hops())
        if self.trace is not None and self.hop_index < n - 1:
            self.hop_index += 1
            if self.mode != "trace":
                self.mode = "trace"
        elif self.demo:
            self._demo_advance(1)
        elif self.trace is not None:  # past the last hop: read the rest (reason, fix, blockers)
            from .widgets.trace_view import TraceBody

            for body in self.trace_view().query(TraceBody):
                body.scroll_page_down(animate=False)

    def action_prev_hop(self) -> None:
        if self.talk_player is not None:
            self.call_later(self.talk_player.back)
            return
        if self.trace is not None and self.hop_index > 0:
            self.hop_index -= 1
            if self.mode != "trace":
                self.mode = "trace"
        elif self.demo:
            self._demo_advance(-1)

    def action_first_hop(self) -> None:
        if self.trace is not None:
            self.hop_index = 0

    def action_last_hop(self) -> None:
        if self.trace is not None:
            self.hop_index = len(self.hops()) - 1

    def _demo_advance(self, step: int) -> None:
        """Presentation mode: past the last hop the clicker moves to the next trace of the matrix."""
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

    def _compute_matrix(self) -> bool:
        from ..engine import TraceError, matrix

        try:
            self.matrix_traces = matrix(self.network) if self.network is not None else []
            self.matrix_marks = {}
        except TraceError as e:
            self.notify(str(e), title="✗ Matrix", severity="error")
            return False
        return True

    def _fill_matrix(self) -> None:
        if self.network is None:
            return
        if not self.matrix_traces and not self._compute_matrix():
            return
        self.matrix_view().show(self.network, self.matrix_traces, self.matrix_marks)

    async def action_matrix(self) -> None:
        if self.network is None:
            return
        view = await self._view_ready("matrix")  # the table is mounted before it is filled
        self._fill_matrix()
        self.mode = "matrix"
        view.table.focus()  # type: ignore[attr-defined]

    # ---- filter ----------------------------------------------------------------------------------

    def action_filter(self) -> None:
        pane = self.focused_pane()
        if pane is None or not getattr(pane, "FILTERABLE", False):
            self.notify("This pane has no filter: / works in panes 1, 2, 3, 4 and 7.", severity="warning")
            return
        bar = self._bar
        if bar is None:  # the first /: the filter line goes above the key bar
            bar = self._bar = FilterBar(id="filter-bar")
            self.mount(bar, before=self.query_one("#quiet-footer" if self.demo else "KeyFooter"))
        bar.target_pane = pane.id
        bar.placeholder = f"filter {pane.PANE_NUMBER} {pane.PANE_TITLE}: ids, names, CIDRs, tags — enter keeps, esc clears"
        bar.value = pane.filter_text
        bar.display = True
        bar.focus()

    def _filter_pane(self):
        bar = self._bar
        if bar is None or not bar.target_pane:
            return None
        return self.query_one(f"#{bar.target_pane}")

    @on(Input.Changed, "#filter-bar")
    def _filter_changed(self, event: Input.Changed) -> None:
        pane = self._filter_pane()
        if pane is not None:
            pane.request_filter(event.value)

    @on(Input.Submitted, "#filter-bar")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        bar = event.input
        pane = self._filter_pane()
        bar.display = False
        if pane is not None:
            pane.flush_filter()
            pane.focus()

    def action_escape(self) -> None:
        bar = self._bar
        if bar is not None and self.focused is bar:
            pane = self._filter_pane()
            bar.value = ""
            bar.display = False
            if pane is not None:
                pane.set_filter("")
                pane.focus()
            return
        pane = self.focused_pane()
        if pane is not None and pane.filter_text:
            pane.set_filter("")
            return
        if self.mode in ("trace", "matrix"):
            self.mode = "explore"
            self.call_after_refresh(self.query_one(NetworkPane).focus)

    # ---- resource actions ------------------------------------------------------------------------

    def _details_component(self):
        details = self.query_one(DetailsPane)
        return details.component_id, details.component

    def action_copy_id(self) -> None:
        cid, obj = self._details_component()
        if not cid:
            return
        self.copy_to_clipboard(cid)
        self.notify(f"copied {cid}")

    def action_yaml(self) -> None:
        from .screens.yaml_view import YamlScreen

        cid, obj = self._details_component()
        if obj is None or self.network is None:
            self.notify("Select a resource first.", severity="warning")
            return
        self.push_screen(YamlScreen(cid or "", component_yaml(self.network, obj)))

    def action_reload(self) -> None:
        self.start_load(f"reloading {self.source.label}…")

    def action_screenshot(self) -> None:
        path = self.save_screenshot()
        self.notify(f"saved {path}", title="Screenshot")

    def action_help(self) -> None:
        from .screens.help import HelpScreen, help_text

        pane = self.focused_pane()
        text = help_text(pane.PANE_NUMBER, pane.PANE_TITLE, pane.PANE_HELP, self.demo) if pane else help_text(0, "", "", self.demo)
        self.push_screen(HelpScreen(text))

    # ---- key availability ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in LETTER_ACTIONS | HOP_ACTIONS and isinstance(self.focused, Input):
            return False  # never fire a letter key (or a clicker key) while typing
        if action in HOP_ACTIONS:
            if self.screen is not self.screen_stack[0]:
                return False
            if self.trace is None and not self.demo:
                return None  # shown greyed out
        if action in ("yaml", "copy_id", "trace", "matrix") and self.network is None:
            return None
        if action in WHATIF_ACTIONS:
            if self.screen is not self.screen_stack[0] or self.network is None:
                return None
            if action in ("apply_fix", "pick_fix") and (self.trace is None or self.trace.verdict == "reachable"):
                return None
            if action in ("undo", "changes") and not (self.changes and self.changes.done):
                return None
            if action == "redo" and not (self.changes and self.changes.undone):
                return None
        return True

    def watch_theme(self, theme: str) -> None:
        # Rich-rendered cells take their colours from the theme: redraw them
        if self.network is None:
            return
        try:
            panes = [self.query_one(NetworkPane), self.query_one(RoutesPane)]
        except Exception:
            return
        matrix = self._views.get("matrix")
        if isinstance(matrix, MatrixView) and matrix.table.is_mounted:
            panes.append(matrix.table)
        for pane in panes:
            pane.refresh_view()


def component_yaml(network: Network, component) -> str:
    """The component as scenario YAML (vpctui.loaders.dump)."""
    from ..loaders.dump import component_to_yaml

    try:
        return component_to_yaml(network, component)
    except Exception as e:  # show something useful rather than a traceback
        return f"# component_to_yaml failed: {type(e).__name__}: {e}\n"


def run_tui(source: Source, *, demo: bool = False, theme: Optional[str] = None, talk: Optional[Talk] = None) -> int:
    """Run the TUI; returns the exit code (2 for an unknown theme)."""
    try:
        app = VpcTuiApp(source=source, demo=demo, theme=theme, talk=talk)
    except Exception as e:  # InvalidThemeError
        names = ", ".join(sorted(VpcTuiApp().available_themes))
        print(f"vpctui: {e} (themes: {names})", file=sys.stderr)
        return 2
    app.run()
    return app.return_code or 0
