"""The loading panel: the last lines a slow load reported, shown once the load lasts a moment."""

from __future__ import annotations

from typing import Optional

from textual.content import Content
from textual.timer import Timer
from textual.widgets import Static

from ...render.safe import visible

LOADING_PANEL_AFTER_S = 0.25  # a load that takes longer shows the panel (a fast one never flashes it)


class LoadingPanel(Static):
    def __init__(self, **kw) -> None:
        super().__init__("", **kw)
        self.lines: list[str] = []
        self._timer: Optional[Timer] = None
        self.display = False
        self._quiet = False  # the panes show a partial network: lines are kept, the panel hidden

    def add(self, text: str) -> None:
        """Add a progress line (loader text quoting AWS: text, never markup, controls visible)."""
        self.lines = (self.lines + [text])[-8:]
        self.update(Content.assemble(("vpctui", "bold"), " loading…", *(("\n" + visible(line)) for line in self.lines)))
        if self._timer is None and not self.display and not self._quiet:
            self._timer = self.set_timer(LOADING_PANEL_AFTER_S, self._reveal)

    def quiet(self) -> None:
        """Step aside: the panes show what is read so far (a live load's partial network); the
        lines are still kept (the status line says that the rest is loading)."""
        self._quiet = True
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.display = False

    def _reveal(self) -> None:
        self._timer = None
        if self.lines:  # still loading
            self.display = True

    def done(self) -> None:
        self.lines = []
        self._quiet = False
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.display = False
