"""The vpctui terminal UI: explore a VPC and walk a trace hop by hop.

State lives here as frozen values: ``network``, ``trace``, ``hop_index`` and what the hop marks
(``hop_marks``, computed by the pure vpctui/tui/hop_walk.py). The main screen's panes watch
``network`` and ``hop_marks`` and update themselves (widgets/base.py, ``follow_app``); they report
intent with messages. Loading runs in a thread worker and ends with ``ScenarioLoaded`` or
``ScenarioFailed``; on a large network the matrix and each trace run in an exclusive thread worker
too and end with ``MatrixComputed`` / ``TraceComputed``. The engine is called only from here.
"""

from __future__ import annotations

import sys
from typing import Callable, Optional

from textual import work
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.screen import Screen
from textual.widget import AwaitMount, Widget
from textual.widgets import ContentSwitcher, Header, Input, Static
from textual.worker import get_current_worker

from ..engine.cache import StepCache
from ..engine.result import Highlight, Trace
from ..loaders import LoadError, Source, load_source
from ..loaders.scenario import ScenarioSource
from ..model.network import Network, Subnet
from ..model.tgw import TgwRouteTable
from ..render.safe import visible, visible_lines
from .bindings import app_bindings
from .commands import VpcCommands
from ..loaders.talk import Talk
from .talk import TalkPlayer
from .hop_walk import HopMarks
from .index import network_index
from .messages import LoadProgress, ResourceSelected, ScenarioFailed, ScenarioLoaded
from .theme import register_themes
from .tracing import TracingMixin
from .whatif import WHATIF_ACTIONS, WhatIfMixin
from .widgets.details import DetailsPane
from .widgets.filter_bar import FilterBar
from .widgets.footer import KeyFooter
from .widgets.loading import LoadingPanel
from .widgets.matrix import MatrixView
from .widgets.network import NetworkPane
from .widgets.tables import EndpointsPane, FunctionsPane, RoutesPane
from .widgets.trace_view import TraceView

LEFT_FOR_PANE = {"network": "explore", "functions": "explore", "trace": "trace", "matrix": "matrix"}
HOP_ACTIONS = {"next_hop", "prev_hop", "first_hop", "last_hop"}
LETTER_ACTIONS = {"trace", "matrix", "yaml", "copy_id", "reload", "quit", "filter", "help", "next_hop",
                  "prev_hop", "focus_pane", "command_palette", "apply_fix", "pick_fix", "edit", "undo", "redo",
                  "changes", "write", "jump_drop", "next_path", "prev_path", "save_trace", "add_target", "zoom",
                  "unknown_parts"}


class MainScreen(Screen):
    # Textual focuses the first focusable widget as the screen composes: the hidden filter line,
    # which then loses the focus to the network pane on mount (two restyles and a cursor timer)
    AUTO_FOCUS = "NetworkPane"


class VpcTuiApp(TracingMixin, WhatIfMixin, App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "vpctui"
    BINDINGS = app_bindings()
    COMMANDS = {VpcCommands}
    COMMAND_PALETTE_BINDING = "ctrl+p"

    network: var[Optional[Network]] = var(None, always_update=True)
    trace: var[Optional[Trace]] = var(None, always_update=True)
    hop_index: var[int] = var(-1)
    highlight: var[Optional[Highlight]] = var(None)
    hop_marks: var[Optional[HopMarks]] = var(None, always_update=True)
    mode: var[str] = var("explore")  # explore | trace | matrix

    def __init__(self, source: Source = ScenarioSource(), demo: bool = False, theme: Optional[str] = None,
                 talk: Optional[Talk] = None, targets: tuple[str, ...] = (), watch: bool = True) -> None:
        super().__init__()
        self.source = source
        self.cli_targets: list[str] = list(dict.fromkeys(targets))  # --to: matrix columns
        self.added_targets: list[str] = []  # + in the matrix
        self.last_saved = ""
        self._zoom: Optional[list[tuple[Widget, bool]]] = None  # z: (widget, display) to restore
        self._zoom_auto = False  # a terminal too small for side by side panes: one pane at a time
        self.watch_file = watch and getattr(source, "path", None) is not None
        self._file_stamp: Optional[tuple[float, int]] = None
        self.demo = demo = demo or talk is not None
        self.talk_player = TalkPlayer(self, talk) if talk is not None else None
        register_themes(self)
        if theme:
            self.theme = theme  # raises InvalidThemeError for an unknown name
        if demo:
            self.animation_level = "none"
        self.load_errors: list[str] = []
        self.matrix_traces: list[Trace] = []
        self.demo_step = -1
        self.step_cache = StepCache()  # the traces' step cache for the current network (engine/cache.py)
        self._views: dict[str, Widget] = {}  # the trace and matrix views, mounted on first use
        self._view_mounts: dict[str, AwaitMount] = {}
        # the loading panel and the / filter line, hidden until needed: mounted when first needed
        self._loading: Optional[LoadingPanel] = None
        self._bar: Optional[FilterBar] = None

    # ---- data is text (vpctui/render/safe.py) ----------------------------------------------------

    def format_title(self, title: str, sub_title: str):
        """The header: a file path or an account's name is shown with its controls visible."""
        return super().format_title(visible(title), visible(sub_title))

    def notify(self, message: str, *, title: str = "", severity="information", timeout=None,
               markup: bool = False) -> None:
        """Notifications quote ids, paths and errors from data: text, never markup (Textual's
        default parses it), controls visible."""
        super().notify(message if markup else visible_lines(str(message)), title=visible(title),
                       severity=severity, timeout=timeout, markup=markup)

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
        yield Static("", id="too-small")

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
        self._layout_for(self.size.width, self.size.height)
        if self.watch_file:
            self._file_stamp = self._stamp()
            self.set_interval(1.0, self._check_file)

    # ---- the scenario file changed on disk: reload (an editor in the other tmux pane) -----------

    def _stamp(self) -> Optional[tuple[float, int]]:
        import os

        try:
            st = os.stat(self.source.path)  # type: ignore[attr-defined]
        except OSError:
            return None
        return (st.st_mtime, st.st_size)

    def _check_file(self) -> None:
        stamp = self._stamp()
        if stamp is None or stamp == self._file_stamp:
            return
        self._file_stamp = stamp
        self.file_reloads = getattr(self, "file_reloads", 0) + 1
        self._reloaded_from_disk = True
        self.start_load(f"{self.source.label} changed: reloading…")

    # ---- layout for the terminal's size -----------------------------------------------------------

    MIN_SIZE = (40, 12)  # below this: a hint instead of unreadable panes
    # columns: below this the right-hand panes go under the left-hand ones. Not at 80: stacked at
    # 80x24, five panes get two rows each; side by side they stay readable (designed for 80x24)
    STACK_BELOW = 80
    ONE_PANE_BELOW = (70, 22)  # smaller than this: one pane at a time (the focused one, zoomed)

    def on_resize(self, event) -> None:
        self._layout_for(event.size.width, event.size.height)

    def _layout_for(self, width: int, height: int) -> None:
        body = self.query_one("#body")
        body.set_class(width < self.STACK_BELOW, "-stacked")
        small = width < self.MIN_SIZE[0] or height < self.MIN_SIZE[1]
        hint = self.query_one("#too-small", Static)
        hint.display = small
        if small:
            hint.update(f"terminal too small: {width}×{height}\nvpctui needs at least "
                        f"{self.MIN_SIZE[0]}×{self.MIN_SIZE[1]}\n(q quits)")
        one = width < self.ONE_PANE_BELOW[0] or height < self.ONE_PANE_BELOW[1]
        if one != self._zoom_auto:
            self._zoom_auto = one
            if one and self._zoom is None:
                self._zoom_to(self.focused_pane() or self.query_one(NetworkPane))
            elif not one and self._zoom is not None:
                self._unzoom()

    def on_descendant_focus(self, event) -> None:
        if self._zoom_auto and self._zoom is not None:  # one pane at a time: it follows the focus
            pane = self.focused_pane()
            if pane is not None and pane is not getattr(self, "_zoomed_pane", None):
                self._unzoom()
                self._zoom_to(pane)

    def action_zoom(self) -> None:
        if self._zoom is not None and not self._zoom_auto:
            self._unzoom()
            return
        if self._zoom_auto:
            self.notify("The terminal is small: one pane at a time already (1-7 or tab switch).")
            return
        pane = self.focused_pane()
        if pane is None:
            return
        self._zoom_to(pane)

    def _zoom_to(self, pane) -> None:
        if pane is None:
            return
        body = self.query_one("#body")
        saved: list[tuple[Widget, bool]] = []
        node = pane
        while node is not None and node is not body:
            parent = node.parent
            if parent is None:
                break
            if not isinstance(parent, ContentSwitcher):
                for sib in parent.children:
                    if sib is not node:
                        saved.append((sib, sib.display))
                        sib.display = False
            node = parent
        pane.add_class("-zoomed")
        self._zoomed_pane = pane
        self._zoom = saved
        body.add_class("-zoom")

    def _unzoom(self) -> None:
        for w, shown in self._zoom or []:
            w.display = shown
        pane = getattr(self, "_zoomed_pane", None)
        if pane is not None:
            pane.remove_class("-zoomed")
        self._zoomed_pane = None
        self._zoom = None
        self.query_one("#body").remove_class("-zoom")

    # ---- loading ---------------------------------------------------------------------------------

    def start_load(self, text: str) -> None:
        """Load the source: a fast one (a small scenario file) here and now, so that the first
        frame already shows the network; a slow one in a thread worker, with the loading panel."""
        if self.source.loads_fast:
            message = self._read_source(progress=None)
            if isinstance(message, ScenarioLoaded):
                self.on_scenario_loaded(message)
            else:
                self.on_scenario_failed(message)
            return
        self.show_progress(text)
        self.load()

    def _read_source(self, progress: Optional[Callable[[str], None]],
                     cancelled: Optional[Callable[[], bool]] = None) -> ScenarioLoaded | ScenarioFailed:
        try:
            if self.is_live():  # no targets: the roles' policies and the VPC endpoints name them
                from ..engine.defaults import default_targets as live_defaults

                net = self.source.load(progress, cancelled=cancelled,  # type: ignore[call-arg]
                                       more_targets=lambda n: [d.target for d in live_defaults(n)])
            else:
                net = load_source(self.source, progress=progress, cancelled=cancelled)
            network_index(net)  # the panes' rows and labels, built off the event loop when threaded
        except LoadError as e:
            return ScenarioFailed(list(e.errors) or [str(e)])
        except Exception as e:  # a loader bug must not put a traceback over the screen
            return ScenarioFailed([f"{type(e).__name__}: {e}"])
        return ScenarioLoaded(net)

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        # Textual cancels this worker when the app quits (or a reload starts another): the live
        # loader polls that and returns at once, so `q` never waits for a pending AWS call
        worker = get_current_worker()
        result = self._read_source(progress=lambda m: self.post_message(LoadProgress(m)),
                                   cancelled=lambda: worker.is_cancelled)
        if not worker.is_cancelled:  # a cancelled load's answer (or its "cancelled" error) is nobody's
            self.post_message(result)

    def show_progress(self, text: str) -> None:
        if self._loading is None:
            self._loading = LoadingPanel(id="loading")
            self.mount(self._loading, after="#body")
        self._loading.add(text)

    @property
    def progress_lines(self) -> list[str]:
        return self._loading.lines if self._loading is not None else []

    def on_load_progress(self, message: LoadProgress) -> None:
        self.show_progress(message.text)

    def on_scenario_failed(self, message: ScenarioFailed) -> None:
        from .screens.load_error import LoadErrorScreen

        self.load_errors = message.errors
        if self._loading is not None:
            self._loading.done()
        self.sub_title = f"✗ could not load {self.source.label}"
        # the errors are on the error screen: no toast repeating them
        if isinstance(self.screen, LoadErrorScreen):
            self.pop_screen()
        self.push_screen(LoadErrorScreen(self.source.label, message.errors, can_go_back=self.network is not None))

    def on_scenario_loaded(self, message: ScenarioLoaded) -> None:
        from .screens.load_error import LoadErrorScreen

        if isinstance(self.screen, LoadErrorScreen):
            self.pop_screen()
        self.load_errors = []
        if self._loading is not None:
            self._loading.done()
        # a reload keeps the trace in view (recomputed); a trace the user closed stays closed
        old_trace = self.trace if self.mode == "trace" else None
        if old_trace is None:
            self.trace = None
        from_disk = getattr(self, "_reloaded_from_disk", False)
        self._reloaded_from_disk = False
        net = message.network
        self.matrix_traces = []
        self.network = net  # the panes follow (widgets/base.py)
        self.whatif_reset(net)
        self.sub_title = self.source.title(net)
        parts = net.unknown_parts
        if parts:  # name them: the status line, and ! for the details
            names = ", ".join(u.title for u in parts[:2]) + (f" and {len(parts) - 2} more" if len(parts) > 2 else "")
            self.sub_title += f" · ? unknown: {names} (! for why)"
        if from_disk:
            self.notify(f"{self.source.label} changed on disk: reloaded"
                        + (f"; the trace {old_trace.source} → {old_trace.target} is recomputed" if old_trace else ""),
                        title="↻ Reloaded", markup=False)
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

    def watch_network(self, network: Optional[Network]) -> None:
        self.step_cache = StepCache()  # a step cache belongs to one network value

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
        elif isinstance(obj, TgwRouteTable) and message.kind == "tgw_route_table":
            routes.show_table(obj)  # a transit gateway route table chosen in pane 1
        if details.component_id == rid and (message.kind == "route_table" or not (details.marked_key or details.note)):
            return  # already shown (the cursor landing on the subnet that loading showed, say)
        details.show(rid)

    def go_to(self, resource_id: str) -> None:
        """Palette 'go to:': select a resource in its pane and show it in Details."""
        net = self.network
        obj = net.find(resource_id) if net is not None else None
        if net is None or obj is None:
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
        if self.focused is self.query_one(NetworkPane):
            cur = self.query_one(NetworkPane).current
            if cur and cur[0] == "subnet":
                fns = network_index(net).functions_of_subnet.get(cur[1])
                if fns:
                    return fns[0]
        return self.query_one(FunctionsPane).function_name or net.functions[0].function_name

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

    # ---- filter ----------------------------------------------------------------------------------

    def action_filter(self) -> None:
        pane = self.focused_pane()
        if pane is None or not getattr(pane, "FILTERABLE", False):
            self.notify("This pane has no filter: / works in panes 1, 2, 3, 4 and 7.", severity="warning")
            return
        if self._bar is None:  # the first /: the filter line goes above the key bar
            self._bar = FilterBar(id="filter-bar")
            self.mount(self._bar, before=self.query_one("#quiet-footer" if self.demo else "KeyFooter"))
        self._bar.open(pane)

    def action_escape(self) -> None:
        if self._bar is not None and self.focused is self._bar:
            self._bar.clear_and_close()
            return
        pane = self.focused_pane()
        if pane is not None and pane.filter_text:
            pane.set_filter("")
            return
        if self.mode in ("trace", "matrix"):
            self.mode = "explore"
            self.call_after_refresh(self.query_one(NetworkPane).focus)

    # ---- resource actions ------------------------------------------------------------------------

    def action_copy_id(self) -> None:
        import os

        cid = self.query_one(DetailsPane).component_id
        if not cid:
            self.notify("Select a resource first: c copies the id shown in 5 Details.", severity="warning")
            return
        self.copy_to_clipboard(cid)
        # OSC 52 has no answer: the terminal may drop it (tmux does by default), so say what was sent
        how = ("in tmux it arrives only with `set -g set-clipboard on`" if os.environ.get("TMUX")
               else "if it is not there, the terminal drops OSC 52 (tmux: set -g set-clipboard on)")
        self.notify(f"{cid}\nsent to the clipboard with OSC 52; {how}. Or select the id above by hand.",
                    title="Copy id", markup=False, timeout=8)

    def action_unknown_parts(self) -> None:
        from .screens.yaml_view import TextScreen

        net = self.network
        if net is None:
            return
        parts = net.unknown_parts
        if not parts:
            self.notify("Everything was read: no part of the network is unknown.")
            return
        lines = [f"{len(parts)} {'part' if len(parts) == 1 else 'parts'} of {self.source.label} could not be read; "
                 "a trace through them says unknown, and why.", ""]
        for u in parts:
            lines.append(f"? {u.title}")
            lines.append(f"    {u.reason}" + (f" (needs {u.action})" if u.action and u.action not in u.reason else ""))
        self.push_screen(TextScreen("Unknown parts", "\n".join(lines)))

    def action_yaml(self) -> None:
        from .screens.yaml_view import YamlScreen, component_yaml

        details = self.query_one(DetailsPane)
        obj = details.component
        if obj is None or self.network is None:
            self.notify("Select a resource first.", severity="warning")
            return
        self.push_screen(YamlScreen(details.component_id or "", component_yaml(self.network, obj)))

    def action_reload(self) -> None:
        self.start_load(f"reloading {self.source.label}…")

    def action_quit(self) -> None:
        # a load that failed (and nothing shown instead) is an error for the shell too
        self.exit(return_code=1 if self.load_errors and self.network is None else 0)

    def action_screenshot(self) -> None:
        self.notify(f"saved {self.save_screenshot()}", title="Screenshot")

    def action_help(self) -> None:
        from .screens.help import HelpScreen, help_text

        pane = self.focused_pane()
        text = help_text(pane.PANE_NUMBER, pane.PANE_TITLE, pane.PANE_HELP, self.demo) if pane else help_text(0, "", "", self.demo)
        self.push_screen(HelpScreen(text))

    # ---- key availability ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        from .screens.load_error import LoadErrorScreen

        if isinstance(self.screen, LoadErrorScreen) and action not in ("reload", "quit", "help", "command_palette"):
            return False  # the error screen's keys only: nothing else works without a network
        if action in ("clicker_next", "clicker_prev"):  # False: the key goes on to the focused pane
            return self.demo and not isinstance(self.focused, Input) and self.screen is self.screen_stack[0]
        if action in LETTER_ACTIONS | HOP_ACTIONS and isinstance(self.focused, Input):
            return False  # never fire a letter key (or a clicker key) while typing
        if action in HOP_ACTIONS:
            if self.screen is not self.screen_stack[0]:
                return False
            if self.trace is None and not self.demo:
                return None  # shown greyed out
        if action in ("yaml", "copy_id", "trace", "matrix", "add_target", "unknown_parts") and self.network is None:
            return None
        if action in ("jump_drop", "next_path", "prev_path", "save_trace") and self.trace is None:
            return None
        if action in WHATIF_ACTIONS:
            return self.check_whatif(action)
        return True


    def action_clicker_next(self) -> None:
        self.action_next_hop()

    def action_clicker_prev(self) -> None:
        self.action_prev_hop()


def run_tui(source: Source, *, demo: bool = False, theme: Optional[str] = None, talk: Optional[Talk] = None,
            targets: tuple[str, ...] = (), mouse: bool = True) -> int:
    """Run the TUI; returns the exit code (2 for an unknown theme, 1 after a failed load)."""
    try:
        app = VpcTuiApp(source=source, demo=demo, theme=theme, talk=talk, targets=targets)
    except Exception as e:  # InvalidThemeError
        names = ", ".join(sorted(VpcTuiApp().available_themes))
        print(f"vpctui: {e} (themes: {names})", file=sys.stderr)
        return 2
    app.run(mouse=mouse)
    if app.load_errors and app.network is None:  # the screen is gone: the errors stay in the terminal
        from ..render.safe import visible_lines

        for line in app.load_errors:
            print(visible_lines(line), file=sys.stderr)
    return app.return_code or 0
