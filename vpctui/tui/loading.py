"""The app's loading (a mixin of VpcTuiApp): read the source (here and now when it is fast, else in
a thread worker with the loading panel), show what failed once, put a loaded network in place
keeping the trace in view, and watch a scenario file to reload it when it is saved."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Optional

from textual import work
from textual.worker import get_current_worker

from ..engine.cache import StepCache
from ..loaders import LoadError, load_source
from ..model.network import Network
from .index import network_index
from .long_lived import built_to_last, freeze_built
from .messages import LoadProgress, PartialLoaded, ScenarioFailed, ScenarioLoaded
from .tracing import WORKER_ABOVE_FUNCTIONS
from .widgets.details import DetailsPane
from .widgets.loading import LoadingPanel
from .widgets.network import NetworkPane
from .widgets.tables import RoutesPane

if TYPE_CHECKING:
    from .app import VpcTuiApp


class LoadingMixin:
    _loading: Optional[LoadingPanel] = None  # mounted when first needed
    _file_stamp: Optional[tuple[float, int]] = None
    _reloaded_from_disk = False
    file_reloads = 0
    partial = False  # the network shown is a live load's first part; the rest is still loading

    # ---- the scenario file changed on disk: reload (an editor in the other tmux pane) -----------

    def _stamp(self: "VpcTuiApp") -> Optional[tuple[float, int]]:
        import os

        try:
            st = os.stat(self.source.path)  # type: ignore[attr-defined]
        except OSError:
            return None
        return (st.st_mtime, st.st_size)

    def _check_file(self: "VpcTuiApp") -> None:
        stamp = self._stamp()
        if stamp is None or stamp == self._file_stamp:
            return
        self._file_stamp = stamp
        self.file_reloads += 1
        self._reloaded_from_disk = True
        self.start_load(f"{self.source.label} changed: reloading…")

    # ---- loading ---------------------------------------------------------------------------------

    def start_load(self: "VpcTuiApp", text: str) -> None:
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

    def _read_source(self: "VpcTuiApp", progress: Optional[Callable[[str], None]],
                     cancelled: Optional[Callable[[], bool]] = None,
                     partial: Optional[Callable[[Network], None]] = None) -> ScenarioLoaded | ScenarioFailed:
        try:
            if self.is_live():  # no targets: the roles' policies and the VPC endpoints name them
                from ..engine.defaults import default_targets as live_defaults

                def on_partial(n: Network) -> None:  # the panes' parts, before policies and the rest
                    network_index(n)
                    if partial is not None:
                        partial(n)

                net = self.source.load(progress, cancelled=cancelled,  # type: ignore[call-arg]
                                       more_targets=lambda n: [d.target for d in live_defaults(n)],
                                       on_partial=on_partial if partial is not None else None)
            else:
                net = load_source(self.source, progress=progress, cancelled=cancelled)
            network_index(net)  # the panes' rows and labels, built off the event loop when threaded
        except LoadError as e:
            return ScenarioFailed(list(e.errors) or [str(e)])
        except Exception as e:  # a loader bug must not put a traceback over the screen
            return ScenarioFailed([f"{type(e).__name__}: {e}"])
        return ScenarioLoaded(net)

    @work(thread=True, exclusive=True, group="load")
    def load(self: "VpcTuiApp") -> None:
        # Textual cancels this worker when the app quits (or a reload starts another): the live
        # loader polls that and returns at once, so `q` never waits for a pending AWS call
        worker = get_current_worker()
        # a live account's panes fill as soon as their parts are read (PartialLoaded), unless a
        # network is on screen already (a reload keeps showing it until the new one is complete)
        shown = self.network is not None
        with built_to_last() as build:  # the network lives as long as it is shown (long_lived.py)
            result = self._read_source(progress=lambda m: self.post_message(LoadProgress(m)),
                                       cancelled=lambda: worker.is_cancelled,
                                       partial=None if shown else (
                                           lambda n: worker.is_cancelled or self.post_message(PartialLoaded(n))))
            build.large = isinstance(result, ScenarioLoaded) and len(result.network.functions) > WORKER_ABOVE_FUNCTIONS
        if not worker.is_cancelled:  # a cancelled load's answer (or its "cancelled" error) is nobody's
            self.post_message(result)

    def show_progress(self: "VpcTuiApp", text: str) -> None:
        if self._loading is None:
            self._loading = LoadingPanel(id="loading")
            self.mount(self._loading, after="#body")
        self._loading.add(text)

    @property
    def progress_lines(self: "VpcTuiApp") -> list[str]:
        return self._loading.lines if self._loading is not None else []

    def on_load_progress(self: "VpcTuiApp", message: LoadProgress) -> None:
        self.show_progress(message.text)

    def on_partial_loaded(self: "VpcTuiApp", message: PartialLoaded) -> None:
        """Show the panes' parts now; what is still loading is unknown in this network (a trace
        that needs it says so), and the whole network replaces it when it arrives: a trace or the
        matrix in view is computed again then."""
        if self.network is not None and not self.partial:
            return  # a complete network is on screen: keep it until the new one is complete
        net = message.network
        self.partial = True
        if self._loading is not None:
            self._loading.quiet()
        self.network = net  # the panes follow (widgets/base.py)
        loading = [u for u in net.unknowns if "still loading" in u.reason]
        self.sub_title = (f"{self.source.title(net)} · ⟳ {len(loading)} part{'s' if len(loading) != 1 else ''} "
                          "still loading (traces that need them say unknown until then)")
        if net.subnets:
            first = net.subnets[0]
            self.query_one(RoutesPane).show_subnet(first.subnet_id)
            self.query_one(DetailsPane).show(first.subnet_id)
        self.refresh_bindings()

    def on_scenario_failed(self: "VpcTuiApp", message: ScenarioFailed) -> None:
        from .screens.load_error import LoadErrorScreen

        self.load_errors = message.errors
        if self._loading is not None:
            self._loading.done()
        self.sub_title = f"✗ could not load {self.source.label}"
        # the errors are on the error screen: no toast repeating them
        if isinstance(self.screen, LoadErrorScreen):
            self.pop_screen()
        self.push_screen(LoadErrorScreen(self.source.label, message.errors, can_go_back=self.network is not None))

    def on_scenario_loaded(self: "VpcTuiApp", message: ScenarioLoaded) -> None:
        from .screens.load_error import LoadErrorScreen

        if isinstance(self.screen, LoadErrorScreen):
            self.pop_screen()
        self.load_errors = []
        was_partial, self.partial = self.partial, False
        if self._loading is not None:
            self._loading.done()
        # a reload keeps the trace in view (recomputed); a trace the user closed stays closed
        old_trace = self.trace if self.mode == "trace" else None
        if old_trace is None:
            self.trace = None
        from_disk = self._reloaded_from_disk
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
        elif net.subnets and not was_partial:  # (after a partial network the panes stay where the user is)
            first = net.subnets[0]
            self.query_one(RoutesPane).show_subnet(first.subnet_id)
            self.query_one(DetailsPane).show(first.subnet_id)
        if self.mode == "explore" and self.focused is not self.query_one(NetworkPane):
            self.query_one(NetworkPane).focus()  # (focusing a focused pane still rebuilds the keys)
        self.refresh_bindings()  # trace, matrix, yaml and copy make sense now
        if self._large():  # the panes' rows, labels and caches live as long as the network
            self.call_after_refresh(freeze_built)

    def watch_network(self: "VpcTuiApp", network: Optional[Network]) -> None:
        self.step_cache = StepCache()  # a step cache belongs to one network value
