"""The app's layout for the terminal's size (a mixin of VpcTuiApp): panes side by side, stacked
below ``STACK_BELOW`` columns, one pane at a time on a small terminal, a "too small" hint below the
minimum, and ``z`` to zoom the focused pane."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from textual.widget import Widget
from textual.widgets import ContentSwitcher, Static

from .widgets.network import NetworkPane

if TYPE_CHECKING:
    from .app import VpcTuiApp


class LayoutMixin:
    _zoom: Optional[list[tuple[Widget, bool]]] = None  # z: (widget, display) to restore
    _zoom_auto = False  # a terminal too small for side by side panes: one pane at a time
    _zoomed_pane: Optional[Widget] = None

    MIN_SIZE = (40, 12)  # below this: a hint instead of unreadable panes
    # columns: below this the right-hand panes go under the left-hand ones. Not at 80: stacked at
    # 80x24, five panes get two rows each; side by side they stay readable (designed for 80x24)
    STACK_BELOW = 80
    ONE_PANE_BELOW = (70, 22)  # smaller than this: one pane at a time (the focused one, zoomed)

    def on_resize(self: "VpcTuiApp", event) -> None:
        self.forget_screen()  # the terminal may have reflowed or cleared what it showed
        self._layout_for(event.size.width, event.size.height)

    def _layout_for(self: "VpcTuiApp", width: int, height: int) -> None:
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

    def on_descendant_focus(self: "VpcTuiApp", event) -> None:
        if self._zoom_auto and self._zoom is not None:  # one pane at a time: it follows the focus
            pane = self.focused_pane()
            if pane is not None and pane is not self._zoomed_pane:
                self._unzoom()
                self._zoom_to(pane)

    def action_zoom(self: "VpcTuiApp") -> None:
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

    def _zoom_to(self: "VpcTuiApp", pane) -> None:
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

    def _unzoom(self: "VpcTuiApp") -> None:
        for w, shown in self._zoom or []:
            w.display = shown
        pane = self._zoomed_pane
        if pane is not None:
            pane.remove_class("-zoomed")
        self._zoomed_pane = None
        self._zoom = None
        self.query_one("#body").remove_class("-zoom")
