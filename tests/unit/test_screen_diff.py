"""ScreenCells (vpctui/tui/screen_diff.py) writes only the changed cells: a terminal fed its output
frame after frame shows exactly what it shows when each frame is written in full, as Textual writes
it (Strip.render: every segment with its whole style, then a reset)."""

from __future__ import annotations

import random
import re

from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from vpctui.tui.screen_diff import ScreenCells

W, H = 24, 6
CS = ColorSystem.EIGHT_BIT
TOKEN = re.compile(r"\x1b\[(\d+);(\d+)H|\x1b\[([\d;]*)m|\x1b\]8;[^\x1b]*\x1b\\|(.)", re.S)


class Terminal:
    """Just enough of a terminal: cursor moves, SGR (attributes, 256 colours), wide characters."""

    def __init__(self) -> None:
        self.cells = [[(" ", ())] * W for _ in range(H)]
        self.y = self.x = 0
        self.attrs: set[str] = set()
        self.fg = self.bg = ""

    def sgr(self, params: str) -> None:
        codes = params.split(";") if params else ["0"]
        i = 0
        while i < len(codes):
            c = codes[i]
            if c in ("38", "48"):
                value = ";".join(codes[i:i + 3])
                if c == "38":
                    self.fg = value
                else:
                    self.bg = value
                i += 3
                continue
            if c == "0":
                self.attrs, self.fg, self.bg = set(), "", ""
            elif c == "39":
                self.fg = ""
            elif c == "49":
                self.bg = ""
            elif c == "22":
                self.attrs -= {"1", "2"}
            elif 30 <= int(c) <= 37 or 90 <= int(c) <= 97:
                self.fg = c
            elif 40 <= int(c) <= 47 or 100 <= int(c) <= 107:
                self.bg = c
            else:
                self.attrs.add(c)
            i += 1

    def feed(self, data: str) -> None:
        from rich.cells import get_character_cell_size

        for m in TOKEN.finditer(data):
            if m.group(1):
                self.y, self.x = int(m.group(1)) - 1, int(m.group(2)) - 1
            elif m.group(3) is not None:
                self.sgr(m.group(3))
            elif m.group(4) is not None:
                ch = m.group(4)
                w = get_character_cell_size(ch)
                style = (tuple(sorted(self.attrs)), self.fg, self.bg)
                if w == 0:
                    continue
                self.cells[self.y][self.x] = (ch, style)
                if w == 2:
                    self.cells[self.y][self.x + 1] = ("", style)
                self.x += w


def full(frame: list[list[Segment]]) -> str:
    """A frame as Textual writes a full-screen LayoutUpdate."""
    return "".join(f"\x1b[{y + 1};1H" + Strip(line).render_cached(CS) for y, line in enumerate(frame))


def _render_cached(self, cs):
    return "".join(t if s is None else Strip.render_style(s, t, cs) for t, s, _ in self._segments)


Strip.render_cached = _render_cached  # a console-free Strip.render for the test

STYLES = [None, Style(color="red"), Style(bold=True, color="color(33)", bgcolor="color(235)"),
          Style(dim=True), Style(reverse=True, bgcolor="blue"), Style(bgcolor="color(235)"),
          Style(bold=True, italic=True), Style(underline=True, color="default")]
TEXTS = ["abc", "│ ", "✓ ok", "漢字", "  ", "x", "λ fn", "é"]


def random_line(rng: random.Random) -> list[Segment]:
    segs, width = [], 0
    while width < W:
        text = rng.choice(TEXTS)
        from rich.cells import cell_len

        if width + cell_len(text) > W:
            text = " " * (W - width)
        segs.append(Segment(text, rng.choice(STYLES)))
        width += cell_len(text)
    return segs


def test_diffs_show_what_full_frames_show():
    rng = random.Random(7)
    cells = ScreenCells()
    by_diff, by_full = Terminal(), Terminal()
    frame = [random_line(rng) for _ in range(H)]
    total_diff = total_full = 0
    for step in range(300):
        # change a few lines, sometimes none (an identical frame), sometimes a part of a line
        for _ in range(rng.choice([0, 1, 1, 2, 6])):
            frame[rng.randrange(H)] = random_line(rng)
        writes = [(y, 0, line) for y, line in enumerate(frame)]
        if step % 5 == 0:  # a chop: one region of one line, as a ChopsUpdate writes it
            y = rng.randrange(H)
            writes = [(y, 0, frame[y])]
        out = cells.render(writes, W, H, CS)
        by_diff.feed(out)
        ref = full(frame) if len(writes) == H else f"\x1b[{writes[0][0] + 1};1H" + Strip(writes[0][2]).render_cached(CS)
        by_full.feed(ref)
        total_diff += len(out)
        total_full += len(ref)
        assert by_diff.cells == by_full.cells, f"step {step}"
    assert total_diff < total_full / 3


def test_an_unchanged_frame_writes_nothing_and_forget_writes_all():
    rng = random.Random(1)
    frame = [(y, 0, random_line(rng)) for y in range(H)]
    cells = ScreenCells()
    first = cells.render(frame, W, H, CS)
    assert first
    assert cells.render(frame, W, H, CS) == ""
    cells.forget()
    assert cells.render(frame, W, H, CS) == first
    assert cells.render(frame, W + 1, H, CS)  # a new size: nothing is known


def test_changing_one_colour_writes_only_that_cell_and_colour():
    line = [Segment("abcdef", Style(color="red", bgcolor="color(235)"))]
    cells = ScreenCells()
    cells.render([(0, 0, line)], W, H, CS)
    changed = [Segment("abc", Style(color="red", bgcolor="color(235)")), Segment("d", Style(color="blue", bgcolor="color(235)")),
               Segment("ef", Style(color="red", bgcolor="color(235)"))]
    out = cells.render([(0, 0, changed)], W, H, CS)
    assert out == "\x1b[1;4H\x1b[34;48;5;235md\x1b[0m"
