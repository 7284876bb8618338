"""The app's pane actions (a mixin of VpcTuiApp): the / filter, esc, and what works on the resource
in 5 Details (c copy its id, y its YAML) or on the network (! what could not be read)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .widgets.details import DetailsPane
from .widgets.filter_bar import FilterBar
from .widgets.network import NetworkPane

if TYPE_CHECKING:
    from .app import VpcTuiApp


class PaneActionsMixin:
    # ---- filter ----------------------------------------------------------------------------------

    def action_filter(self: "VpcTuiApp") -> None:
        pane = self.focused_pane()
        if pane is None or not getattr(pane, "FILTERABLE", False):
            self.notify("This pane has no filter: / works in panes 1, 2, 3, 4 and 7.", severity="warning")
            return
        if self._bar is None:  # the first /: the filter line goes above the key bar
            self._bar = FilterBar(id="filter-bar")
            self.mount(self._bar, before=self.query_one("#quiet-footer" if self.demo else "KeyFooter"))
        self._bar.open(pane)

    def action_escape(self: "VpcTuiApp") -> None:
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

    def action_copy_id(self: "VpcTuiApp") -> None:
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

    def action_unknown_parts(self: "VpcTuiApp") -> None:
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

    def action_yaml(self: "VpcTuiApp") -> None:
        from .screens.yaml_view import YamlScreen, component_yaml

        details = self.query_one(DetailsPane)
        obj = details.component
        if obj is None or self.network is None:
            self.notify("Select a resource first.", severity="warning")
            return
        self.push_screen(YamlScreen(details.component_id or "", component_yaml(self.network, obj)))
