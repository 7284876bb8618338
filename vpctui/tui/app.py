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
from typing import Optional

from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.screen import Screen
from textual.widget import AwaitMount, Widget
from textual.widgets import ContentSwitcher, Header, Input, Static

from ..engine.cache import StepCache
from ..engine.result import Highlight, Trace
from ..loaders import Source
from ..loaders.scenario import ScenarioSource
from ..model.network import Network, Subnet
from ..model.tgw import TgwRouteTable
from ..render.safe import visible, visible_lines
from ._textual_compat import KeysInArrivalOrder, WritesChangedCellsOnly
from .bindings import app_bindings
from .commands import VpcCommands
from ..loaders.talk import Talk
from .talk import TalkPlayer
from .hop_walk import HopMarks
from .index import network_index
from .messages import ResourceSelected
from .theme import register_themes
from .tracing import TracingMixin
from .layout import LayoutMixin
from .loading import LoadingMixin
from .actions import PaneActionsMixin
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


class VpcTuiApp(LoadingMixin, LayoutMixin, PaneActionsMixin, TracingMixin, WhatIfMixin, KeysInArrivalOrder, WritesChangedCellsOnly,
                App[int]):
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
        functions = self.query_one(FunctionsPane)
        if self.focused is functions and functions.function_name in net.function_by_name:
            return functions.function_name  # the row under the cursor (Details follows a message later)
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
        # focus now, not after the keys already queued: `4jjt` typed at once moves in pane 4
        # (Widget.focus() defers to call_later, behind every key the terminal has delivered)
        self.set_focus(self.query_one(f"#{pane_id}"))

    def focused_pane(self):
        node = self.focused
        while node is not None:
            if getattr(node, "PANE_NUMBER", 0):
                return node
            node = node.parent
        return None

    def action_reload(self) -> None:
        self.start_load(f"reloading {self.source.label}…")

    def action_quit(self) -> None:
        if not self.quit_or_ask():  # what-if changes not written: ask first
            return
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

    def keys_in_arrival_order(self) -> bool:
        """Keys on the main screen run in the order they arrive (vpctui/tui/_textual_compat.py);
        pop-ups and the filter line keep Textual's own order."""
        return not self.screen.is_modal and not isinstance(self.focused, Input)

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
