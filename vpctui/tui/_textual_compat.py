"""Every use of a private Textual name, in one place.

Two speed-ups and the order of keys reach into Textual's internals (pinned: textual 8.2.8). Each is a mixin that a widget
puts before the Textual class it extends; ``PRIVATE_NAMES`` lists what they rely on, and
tests/tui/test_textual_compat.py fails loudly when a Textual upgrade removes one of them. No other
module imports or overrides a private ``textual`` name.
"""

from __future__ import annotations

from typing import Optional

from rich.console import Console
from rich.segment import Segment
from textual import events
from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
from textual.app import App
from textual.widgets import Tree

from .screen_diff import ScreenCells

# (class, private attribute) pairs the mixins below override or read
PRIVATE_NAMES: tuple[tuple[type, str], ...] = (
    (Tree, "_on_resize"),
    (Tree, "_line_cache"),  # an instance attribute, set in Tree.__init__
    (Tree, "_tree_lines"),
    (App, "_check_bindings"),
    (App, "_display"),
    (App, "_batch_count"),  # instance attributes, set in App.__init__
    (App, "_driver"),
    (App, "_running"),
    (App, "_closed"),
    (App, "_previous_cursor_position"),
    (Console, "_color_system"),  # Rich's: the colours the terminal takes, as Strip.render reads it
    (LayoutUpdate, "region"),  # textual._compositor: the updates the compositor hands to _display
    (LayoutUpdate, "strips"),
    (ChopsUpdate, "chops"),
    (ChopsUpdate, "spans"),
    (ChopsUpdate, "chop_ends"),
)


class TreeKeepsLinesOnSameSize:
    """Tree drops its lines and repaints on every Resize. The screen paints a new layout before its
    Resize events are handled, and Tree caches lines by width, so when the tree has already been
    painted at this size there is nothing to redo: without this, the first layout of every start-up
    painted the whole tree twice. Put it before ``Tree`` in the bases."""

    _painted_size = None

    def render_lines(self, crop):
        self._painted_size = self.outer_size  # type: ignore[attr-defined]  # as a Resize gives it
        return super().render_lines(crop)  # type: ignore[misc]

    def _on_resize(self, event: events.Resize) -> None:
        if event.size == self._painted_size:
            self._line_cache.grow(event.size.height)  # type: ignore[attr-defined]
            event.prevent_default()  # not Tree._on_resize

    def number_lines_now(self) -> None:
        """Number the tree's lines now (Textual would on idle), so that a cursor can be placed on
        them before the first frame."""
        self._tree_lines  # type: ignore[attr-defined]  # noqa: B018 (builds the lines)


class KeysInArrivalOrder:
    """Textual runs an app-level binding only after the key has gone down to the focused widget
    and bubbled back up through the message queues, behind every key the terminal delivered
    meanwhile. Typed at once (a fast typist, a paste, a clicker, tmux send-keys), `4jjt` then moved
    the old pane's cursor with `jj` (the `4` that focuses pane 4 came back too late) and traced
    from the wrong function. On the main screen, outside a text field, this resolves a key's
    bindings (priority first, then from the focused widget up, as Textual does) when the key
    arrives; a key no binding takes goes on to the focused widget as before. Pop-ups and text
    fields keep Textual's own order. Put it before ``App``; the app says where with
    ``keys_in_arrival_order()``."""

    def keys_in_arrival_order(self) -> bool:
        return False

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded and self.keys_in_arrival_order():
            if await self._check_bindings(event.key, priority=True) or await self._check_bindings(event.key):  # type: ignore[attr-defined]
                return
        await super().on_event(event)  # type: ignore[misc]


def update_writes(update) -> list[tuple[int, int, list[Segment]]]:
    """The (y, x, segments) writes of a Textual ``LayoutUpdate`` or ``ChopsUpdate``, cropped as
    their own ``render_segments`` crops them."""
    writes: list[tuple[int, int, list[Segment]]] = []
    if isinstance(update, LayoutUpdate):
        x = update.region.x
        for y, line in enumerate(update.strips, update.region.y):
            segs: list[Segment] = []
            for strip in line:
                segs.extend(strip)
            writes.append((y, x, segs))
    elif isinstance(update, ChopsUpdate):
        for y, x1, x2 in update.spans:
            for end, (x, strip) in zip(update.chop_ends[y], update.chops[y].items()):
                if strip is None or x > x2 or end <= x1:
                    continue
                if not (x2 > x >= x1 and end <= x2):
                    strip = strip.crop(0, min(end, x2) - x)
                writes.append((y, x, list(strip)))
    return writes


class _Written(CompositorUpdate):
    """An update already turned into terminal text (by ScreenCells)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def render_segments(self, console) -> str:
        return self.text


class WritesChangedCellsOnly:
    """Textual writes every cell of a refreshed region, and the whole screen after a layout or
    focus change, a screen push or a mount, although most cells are what the terminal already
    shows: over SSH each key cost 8-100 kB. This hands each compositor update to ``ScreenCells``
    (vpctui/tui/screen_diff.py), which writes only the cells that changed; a frame that changes
    nothing (and leaves the cursor where it was) writes nothing. Only in a real terminal in full
    screen mode (not headless, not inline); a resize, a suspend or a resume makes the next frame
    write everything. Put it before ``App``."""

    _screen_cells: Optional[ScreenCells] = None

    def _display(self, screen, renderable) -> None:
        app = self  # type: App
        driver = app._driver  # type: ignore[attr-defined]
        if (isinstance(renderable, (LayoutUpdate, ChopsUpdate)) and driver is not None and not driver.is_inline
                and app._running and not app._closed and not app.is_headless  # type: ignore[attr-defined]
                and not app._batch_count):  # type: ignore[attr-defined]
            cells = self._screen_cells
            if cells is None:
                cells = self._screen_cells = ScreenCells()
                app.app_suspend_signal.subscribe(app, lambda _app: cells.forget())
                app.app_resume_signal.subscribe(app, lambda _app: cells.forget())
            size = app.size
            text = cells.render(update_writes(renderable), size.width, size.height,
                                app.console._color_system)  # type: ignore[attr-defined]
            cursor = app.screen.outer_size.clamp_offset(app.cursor_position)
            if not text and cursor == app._previous_cursor_position:  # type: ignore[attr-defined]
                app.post_display_hook()
                return
            renderable = _Written(text)
        super()._display(screen, renderable)  # type: ignore[misc]

    def forget_screen(self) -> None:
        """The terminal's content is unknown (e.g. after a resize): write everything next frame."""
        if self._screen_cells is not None:
            self._screen_cells.forget()
