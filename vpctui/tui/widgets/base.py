"""What every numbered pane shares: its number and title in the border, a filter, help text."""

from __future__ import annotations

from typing import Optional

from ...model.network import Network


class PaneMixin:
    """Mixed into Tree / DataTable / VerticalScroll subclasses."""

    PANE_NUMBER = 0
    PANE_TITLE = ""
    PANE_HELP = ""
    FILTERABLE = True

    filter_text: str = ""
    network: Optional[Network] = None

    def update_title(self, extra: str = "") -> None:
        title = f"{self.PANE_NUMBER} {self.PANE_TITLE}"
        if extra:
            title += f" · {extra}"
        self.border_title = title  # type: ignore[attr-defined]
        self.border_subtitle = f"/ {self.filter_text}" if self.filter_text else ""  # type: ignore[attr-defined]

    def set_filter(self, text: str) -> None:
        self.filter_text = text.strip()
        self.refresh_view()
        self.update_title(self.title_extra())

    def title_extra(self) -> str:
        return ""

    def refresh_view(self) -> None:  # rebuild from self.network and self.filter_text
        pass

    def matches(self, *fields: object) -> bool:
        if not self.filter_text:
            return True
        needle = self.filter_text.lower()
        return any(needle in str(f).lower() for f in fields if f)
