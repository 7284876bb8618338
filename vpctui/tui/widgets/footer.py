"""The key bar: one line built from Textual's public API (``Screen.active_bindings`` and
``Screen.bindings_updated_signal``), as Toolong does, instead of Textual's Footer internals.

Textual's Footer recomposes (unmounts and mounts a widget per key) after every bindings signal, and
a signal comes with every focus call: starting the app made five recomposes, each its own frame.
This bar is one widget: a burst of signals costs one comparison before the next frame, and it
repaints only when the keys it shows (or whether they are on) change.
"""

from __future__ import annotations

from typing import NamedTuple, Optional

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class FooterEntry(NamedTuple):
    key: str  # what a click presses
    display: str  # the key as shown
    description: str
    tooltip: str
    enabled: bool


class KeyFooter(Widget, can_focus=False):
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-footer--key", "key-footer--description", "key-footer--item"}
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .key-footer--item { background: $footer-item-background; }
        .key-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self._sync_pending = False
        self._shown: Optional[tuple[FooterEntry, ...]] = None
        self._spans: list[tuple[int, int, FooterEntry]] = []  # cells x..x2 of each key on screen

    def entries(self) -> tuple[FooterEntry, ...]:
        """The first key of each action the screen shows (? for help, not f1), in binding order."""
        out: list[FooterEntry] = []
        seen: set[str] = set()
        for _key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items():
            if binding.show and binding.action not in seen:
                seen.add(binding.action)
                out.append(FooterEntry(binding.key, self.app.get_key_display(binding), binding.description,
                                       tooltip or binding.tooltip or binding.description, enabled))
        return tuple(out)

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if screen is self.screen and not self._sync_pending:
            self._sync_pending = True
            self.call_later(self._sync)

    def _sync(self) -> None:
        self._sync_pending = False
        if self.app.screen is self.screen and self.entries() != self._shown:
            self.refresh()

    def render(self) -> Text | str:
        # under a modal screen the keys stay what they were (the modal has its own)
        if self._shown is None or self.app.screen is self.screen:
            self._shown = self.entries()
        entries = self._shown
        self._spans = []
        if not entries:
            return " " * self.size.width  # the bar's background only
        item = self.get_component_rich_style("key-footer--item", partial=True)
        key_style = item + self.get_component_rich_style("key-footer--key", partial=True)
        desc_style = item + self.get_component_rich_style("key-footer--description", partial=True)
        off = Style(dim=True)
        text = Text(no_wrap=True, overflow="crop", end="")
        for e in entries:
            start = text.cell_len
            text.append(f" {e.display} ", key_style + off if not e.enabled else key_style)
            if e.description:
                text.append(f"{e.description} ", desc_style + off if not e.enabled else desc_style)
            self._spans.append((start, text.cell_len, e))
        return text

    def _entry_at(self, x: int) -> Optional[FooterEntry]:
        return next((e for start, end, e in self._spans if start <= x < end), None)

    def on_click(self, event: events.Click) -> None:
        e = self._entry_at(event.x)
        if e is None:
            return
        if e.enabled:
            self.app.simulate_key(e.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        e = self._entry_at(event.x)
        self.tooltip = e.tooltip if e is not None else None
