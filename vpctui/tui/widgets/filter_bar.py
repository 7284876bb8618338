"""The `/` filter line: typing filters the pane it was opened on; enter keeps it, esc clears it."""

from __future__ import annotations

from typing import Optional

from textual import on
from textual.widget import Widget
from textual.widgets import Input


class FilterBar(Input):
    def __init__(self, **kw) -> None:
        super().__init__(placeholder="filter: ids, names, CIDRs, tags", **kw)
        self.target_pane: Optional[str] = None  # the pane id being filtered

    def open(self, pane) -> None:
        """Show the line for a pane (a PaneMixin) and take the focus."""
        self.target_pane = pane.id
        self.placeholder = f"filter {pane.PANE_NUMBER} {pane.PANE_TITLE}: ids, names, CIDRs, tags — enter keeps, esc clears"
        self.value = pane.filter_text
        self.display = True
        # focus now, not after the keys already queued: `/web` typed at once filters by "web"
        # (Widget.focus() defers to call_later, behind every key the terminal has delivered)
        self.app.set_focus(self)

    def pane(self) -> Optional[Widget]:
        return self.app.query_one(f"#{self.target_pane}") if self.target_pane else None

    def clear_and_close(self) -> None:
        """esc: clear the pane's filter and give it the focus back."""
        pane = self.pane()
        self.value = ""
        self.display = False
        if pane is not None:
            pane.set_filter("")  # type: ignore[attr-defined]
            pane.focus()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        pane = self.pane()
        if pane is not None:
            pane.request_filter(event.value)  # type: ignore[attr-defined]

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        pane = self.pane()
        self.display = False
        if pane is not None:
            pane.flush_filter()  # type: ignore[attr-defined]
            pane.focus()
