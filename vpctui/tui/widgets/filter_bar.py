"""The `/` filter line: typing filters the pane it was opened on; enter keeps it, esc clears it."""

from __future__ import annotations

from typing import Optional

from textual.widgets import Input


class FilterBar(Input):
    def __init__(self, **kw) -> None:
        super().__init__(placeholder="filter: ids, names, CIDRs, tags", **kw)
        self.target_pane: Optional[str] = None  # the pane id being filtered
