"""Write only the cells that changed: what an SSH session carries per key.

Textual repaints a widget's whole region whenever the widget is refreshed, and the whole screen
after a layout change, a focus change or a screen push, although most of those cells are what the
terminal already shows. ``ScreenCells`` keeps what vpctui last wrote to the terminal (a character
and a Rich style per cell) and turns each of Textual's updates into cursor moves and the changed
runs of cells only, with SGR codes that change only what differs from the previous cell's style
(Textual resets and restates the whole style for every segment). A frame that changes nothing
writes nothing. It works on the strips Textual has already rendered, so what is on screen is
exactly what Textual would have drawn; ``forget()`` (a resize, a suspend) makes the next frame write
everything again. vpctui/tui/_textual_compat.py (``WritesChangedCellsOnly``) puts it between
Textual's compositor and the terminal.
"""

from __future__ import annotations

from typing import Iterable, Optional

from rich.cells import get_character_cell_size
from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

# unchanged cells between two changed runs of one line: up to this many are rewritten rather than
# skipped with a cursor move (``ESC[row;colH`` costs 6-8 bytes)
MERGE_GAP = 6

_UNKNOWN = object()  # a cell whose content the terminal may show differently from what we know
_ATTRS = (("bold", "1"), ("dim", "2"), ("italic", "3"), ("underline", "4"), ("blink", "5"),
          ("blink2", "6"), ("reverse", "7"), ("conceal", "8"), ("strike", "9"), ("underline2", "21"),
          ("frame", "51"), ("encircle", "52"), ("overline", "53"))
_NULL = (frozenset(), "", "")  # the terminal's state after ESC[0m


def _cells(text: str, cache: dict) -> list[str]:
    """One string per terminal cell: a wide character's second cell is "", a zero-width character
    joins the cell before it."""
    cells = cache.get(text)
    if cells is None:
        cells = []
        for ch in text:
            w = get_character_cell_size(ch)
            if w == 1:
                cells.append(ch)
            elif w == 2:
                cells.append(ch)
                cells.append("")
            elif cells:
                cells[-1] += ch
        if len(cache) > 4096:
            cache.clear()
        cache[text] = cells
    return cells


class ScreenCells:
    """What the terminal shows, cell by cell, as far as vpctui has written it."""

    def __init__(self) -> None:
        self.size: Optional[tuple[int, int]] = None
        self.chars: list[list] = []
        self.styles: list[list] = []
        self._text_cells: dict[str, list[str]] = {}
        self._sgr: dict[Optional[Style], tuple] = {}

    def forget(self) -> None:
        """The terminal's content is no longer known (resized, suspended, cleared)."""
        self.size = None

    def _fit(self, width: int, height: int) -> None:
        if self.size != (width, height):
            self.size = (width, height)
            self.chars = [[_UNKNOWN] * width for _ in range(height)]
            self.styles = [[None] * width for _ in range(height)]

    # ---- styles ------------------------------------------------------------------------------------

    def _state(self, style: Optional[Style], cs: ColorSystem) -> tuple:
        st = self._sgr.get(style)
        if st is None:
            if style is None:
                st = _NULL + (None,)
            else:
                attrs = frozenset(code for name, code in _ATTRS if getattr(style, name))
                fg = ";".join(style.color.downgrade(cs).get_ansi_codes(True)) if style.color is not None else ""
                bg = ";".join(style.bgcolor.downgrade(cs).get_ansi_codes(False)) if style.bgcolor is not None else ""
                st = (attrs, fg, bg, style.link)
            if len(self._sgr) > 4096:
                self._sgr.clear()
            self._sgr[style] = st
        return st

    @staticmethod
    def _transition(cur: tuple, new: tuple) -> str:
        """The SGR sequence that takes the terminal from style state ``cur`` to ``new``."""
        attrs, fg, bg = new[0], new[1], new[2]
        if attrs == cur[0] or (attrs > cur[0]):
            codes = sorted(attrs - cur[0], key=int)
            if fg != cur[1]:
                codes.append(fg or "39")
            if bg != cur[2]:
                codes.append(bg or "49")
        else:
            codes = ["0", *sorted(attrs, key=int)] + [c for c in (fg, bg) if c]
        return f"\x1b[{';'.join(codes)}m" if codes else ""

    # ---- the update --------------------------------------------------------------------------------

    def render(self, writes: Iterable[tuple[int, int, Iterable[Segment]]], width: int, height: int,
               color_system: Optional[ColorSystem]) -> str:
        """``writes``: (y, x, segments) in the order Textual would write them. Returns the terminal
        sequence that brings the screen up to date, writing only changed cells."""
        cs = color_system or ColorSystem.TRUECOLOR
        self._fit(width, height)
        out: list[str] = []
        state = _NULL
        text_cells = self._text_cells
        for y, x, segments in writes:
            segments = list(segments)
            new_chars: list = []
            new_styles: list = []
            opaque = False
            for seg in segments:
                text, style, control = seg
                if control:
                    opaque = True
                    continue
                if text.isascii():
                    new_chars.extend(text)
                    new_styles.extend([style] * len(text))
                else:
                    cells = _cells(text, text_cells)
                    new_chars.extend(cells)
                    new_styles.extend([style] * len(cells))
            n = len(new_chars)
            if opaque or not (0 <= y < height) or x < 0 or x + n > width:
                # not a plain run of cells: write it as Textual would and know nothing of it after
                if state is not _NULL:
                    out.append("\x1b[0m")
                    state = _NULL
                out.append(f"\x1b[{y + 1};{x + 1}H")
                out.append("".join(t if c else Strip.render_style(s, t, cs) if s is not None else t
                                   for t, s, c in segments))
                if 0 <= y < height:
                    row = self.chars[y]
                    for i in range(max(0, x), min(width, x + n)):
                        row[i] = _UNKNOWN
                continue
            old_chars = self.chars[y]
            old_styles = self.styles[y]
            if old_chars[x:x + n] == new_chars and old_styles[x:x + n] == new_styles:
                continue
            runs: list[list[int]] = []
            for i in range(n):
                oc = old_chars[x + i]
                if oc is _UNKNOWN or oc != new_chars[i] or old_styles[x + i] != new_styles[i]:
                    if runs and i - runs[-1][1] <= MERGE_GAP:
                        runs[-1][1] = i + 1
                    else:
                        runs.append([i, i + 1])
            for a, b in runs:
                while a > 0 and new_chars[a] == "":  # never start on a wide character's second cell
                    a -= 1
                while b < n and new_chars[b] == "":
                    b += 1
                out.append(f"\x1b[{y + 1};{x + a + 1}H")
                i = a
                while i < b:
                    style = new_styles[i]
                    j = i + 1
                    while j < b and new_styles[j] is style:
                        j += 1
                    text = "".join(new_chars[i:j])
                    st = self._state(style, cs)
                    if st[3]:  # a hyperlink: as Textual writes it (it ends with a reset)
                        if state is not _NULL:
                            out.append("\x1b[0m")
                        out.append(Strip.render_style(style, text, cs))
                        state = _NULL
                    else:
                        out.append(self._transition(state, st))
                        out.append(text)
                        state = st[:3]
                    i = j
            old_chars[x:x + n] = new_chars
            old_styles[x:x + n] = new_styles
        if state != _NULL:
            out.append("\x1b[0m")
        return "".join(out)
