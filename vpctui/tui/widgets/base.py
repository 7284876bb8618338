"""What every numbered pane shares: its number and title in the border, a filter, help text."""

from __future__ import annotations

from typing import Optional

from textual.timer import Timer

from ...model.network import Network
from ..format import esc

# A pane with more rows than this applies a filter once typing pauses (FILTER_DEBOUNCE_S), so that
# a burst of keys costs one rebuild; a smaller pane rebuilds in less than a frame, on every key.
DEBOUNCE_ABOVE_ROWS = 500
FILTER_DEBOUNCE_S = 0.12


class PaneMixin:
    """Mixed into Tree / DataTable / VerticalScroll subclasses."""

    PANE_NUMBER = 0
    PANE_TITLE = ""
    PANE_HELP = ""
    FILTERABLE = True
    FOLLOWS_APP = False  # a main-screen pane: shows the app's network and its part of each hop
    RECOLOUR_ON_THEME = False  # Rich-rendered cells take the theme's colours: redraw on a change


    filter_text: str = ""
    network: Optional[Network] = None
    _pending_filter: Optional[str] = None
    _filter_timer: Optional[Timer] = None

    def on_mount(self) -> None:
        if self.FOLLOWS_APP:
            self.follow_app()
        if self.RECOLOUR_ON_THEME:
            self.watch(self.app, "theme", self._theme_changed, init=False)  # type: ignore[attr-defined]

    def _theme_changed(self, _theme: str) -> None:
        if self.network is not None:
            self.refresh_view()

    def follow_app(self) -> None:
        """A view of the app's state: show the app's ``network`` and apply its ``hop_marks`` (the
        packet walk, vpctui/tui/hop_walk.py) whenever they change. Called from ``on_mount``."""
        app = self.app  # type: ignore[attr-defined]
        self.watch(app, "network", self._network_changed)  # type: ignore[attr-defined]
        self.watch(app, "hop_marks", self._marks_changed, init=False)  # type: ignore[attr-defined]

    def _network_changed(self, network: Optional[Network]) -> None:
        if network is not None:
            self.show_network(network)

    def _marks_changed(self, marks) -> None:
        if marks is not None and self.network is not None:
            self.apply_marks(marks)

    def show_network(self, network: Network) -> None:
        self.network = network
        self.refresh_view()

    def apply_marks(self, marks) -> None:
        """Mark this pane's part of a hop (a HopMarks); most panes have none."""

    def update_title(self, extra: str = "") -> None:
        """The border's title: Textual parses it as markup, and ``extra`` names data (an id, a
        name), so it goes through ``esc`` (vpctui/tui/format.py), as does the filter text."""
        shown = self.shown_rows() if self.filter_text else None
        if shown is not None and extra:  # a filter: "0 of 4", and the subtitle says why it is empty
            extra = f"{shown} of {extra}"
        title = f"{self.PANE_NUMBER} {self.PANE_TITLE}"
        if extra:
            title += f" · {esc(extra)}"
        self.border_title = title  # type: ignore[attr-defined]
        if not self.filter_text:
            self.border_subtitle = ""  # type: ignore[attr-defined]
        else:
            none = " · no match (ids, names, CIDRs, tags) · esc clears" if shown == 0 else ""
            self.border_subtitle = f"/ {esc(self.filter_text)}{none}"  # type: ignore[attr-defined]

    def set_filter(self, text: str) -> None:
        """Filter now (enter, esc, or a small pane)."""
        self._cancel_pending_filter()
        self.filter_text = text.strip()
        self.refresh_view()
        self.update_title(self.title_extra())

    def shown_rows(self) -> Optional[int]:
        """How many rows the filter lets through (None: the pane cannot count them)."""
        count = getattr(self, "row_count", None)
        return count if isinstance(count, int) else None

    def request_filter(self, text: str) -> None:
        """The filter line changed: filter now on a small pane, once typing pauses on a large one."""
        if text.strip() == self.filter_text:  # e.g. the line was just opened, or cleared by esc
            self._cancel_pending_filter()
            return
        if self.filter_rows() <= DEBOUNCE_ABOVE_ROWS:
            self.set_filter(text)
            return
        self._cancel_pending_filter()
        self._pending_filter = text
        self._filter_timer = self.set_timer(FILTER_DEBOUNCE_S, self.flush_filter)  # type: ignore[attr-defined]

    def flush_filter(self) -> None:
        """Apply a filter still waiting for typing to pause."""
        if self._pending_filter is not None:
            self.set_filter(self._pending_filter)

    def _cancel_pending_filter(self) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = None
        self._pending_filter = None

    def filter_rows(self) -> int:
        """How many rows a filter of this pane goes through (the cost of one rebuild)."""
        return 0

    def title_extra(self) -> str:
        return ""

    def refresh_view(self) -> None:  # rebuild from self.network and self.filter_text
        pass

    def matches(self, *fields: object) -> bool:
        if not self.filter_text:
            return True
        needle = self.filter_text.lower()
        return any(needle in str(f).lower() for f in fields if f)
