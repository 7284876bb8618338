"""Data is text: the one place that makes a string from data safe to show on a terminal.

Names, tags, descriptions, ids, policies, file paths, AWS responses and error messages quoting
them come from people vpctui does not know. Before any of it reaches a screen:

- it is never markup: Rich ``Text`` (``text()``), Textual markup only through vpctui/tui/format.py
  ``esc()`` (every ``[`` escaped), notifications with ``markup=False``;
- control characters are shown, not sent: C0 (ESC as ``␛``, the other C0 as their control
  pictures ``␀``..``␟``), DEL as ``␡``, C1 (``\\x9b``) and the characters that reorder or hide text
  (bidi overrides and isolates, line/paragraph separators, zero-width and BOM) as ``\\u202e``.

``visible(s)`` is for one value (a newline in a name becomes ``␊``); ``visible_lines(s)`` is
for a whole output (newlines and tabs kept). ``Safe(renderable)`` sanitises every text segment
of a Rich renderable, ``SafeStream`` every write to a text stream, and ``console()`` is the CLI's
Rich console (no markup, no highlighting, every printed renderable wrapped in ``Safe``): the last
line of defence at the terminal boundary. ``--json`` output is exact (``json.dumps`` escapes).
No Textual here (vpctui/tui/format.py wraps it for the TUI).
"""

from __future__ import annotations

import re
from typing import Any, TextIO

from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.text import Text

# characters that reorder or hide text: bidi embeddings/overrides/isolates and marks, line and
# paragraph separators, zero-width characters, the BOM and the interlinear annotation marks
_HIDDEN = "\u061c\u200b\u200c\u200d\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e" \
          "\u2060\u2066\u2067\u2068\u2069\ufeff\ufff9\ufffa\ufffb"
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f" + _HIDDEN + "]")
_UNSAFE_KEEP_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + _HIDDEN + "]")


def _show(m: re.Match) -> str:
    c = m.group()
    o = ord(c)
    if o < 0x20:
        return chr(0x2400 + o)  # ␀ .. ␟ (ESC is ␛)
    if o == 0x7F:
        return "\u2421"  # ␡
    if o <= 0xFF:
        return f"\\x{o:02x}"  # C1
    return f"\\u{o:04x}"


def visible(s: Any) -> str:
    """One value from data as a single line with every control character shown visibly."""
    s = s if isinstance(s, str) else str(s)
    return _UNSAFE.sub(_show, s) if _UNSAFE.search(s) else s


def visible_lines(s: str) -> str:
    """A whole output: newlines and tabs kept, every other control character shown visibly."""
    return _UNSAFE_KEEP_LINES.sub(_show, s) if _UNSAFE_KEEP_LINES.search(s) else s


def is_clean(s: str) -> bool:
    """True when ``s`` has nothing ``visible_lines`` would change."""
    return _UNSAFE_KEEP_LINES.search(s) is None


def text(s: Any, style: str = "") -> Text:
    """A Rich ``Text`` of one value from data: never markup, controls visible."""
    return Text(visible(s), style=style)


def markup_escape(s: Any) -> str:
    """One value from data for a place that takes Rich markup: controls visible and every tag
    escaped (``[link=…]`` stays literal). Textual's markup differs: vpctui/tui/format.py ``esc``."""
    from rich.markup import escape

    return escape(visible(s))


class Safe:
    """A Rich renderable whose every text segment is shown with ``visible_lines`` and whose
    styles carry no hyperlinks or click actions: whatever a renderable built from data holds,
    nothing in it drives the terminal."""

    def __init__(self, renderable: Any):
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for seg in console.render(self.renderable, options):
            if seg.control:  # Rich's own cursor movement, not data
                yield seg
                continue
            style = seg.style
            if style is not None and (style.link or style.meta):
                style = style.clear_meta_and_links()
            t = seg.text
            yield Segment(t if is_clean(t) else visible_lines(t), style)


class SafeConsole(Console):
    """The CLI's console: no markup and no highlighting, and whatever is printed goes through
    ``Safe`` (strings become ``Text``)."""

    def __init__(self, **kw):
        kw.setdefault("markup", False)
        kw.setdefault("highlight", False)
        kw.setdefault("emoji", False)
        super().__init__(**kw)

    def print(self, *objects: Any, **kw) -> None:  # type: ignore[override]
        kw["markup"] = False
        kw["highlight"] = False
        kw["emoji"] = False
        super().print(*(Safe(Text(visible_lines(o)) if isinstance(o, str) else o) for o in objects), **kw)


class SafeStream:
    """A text stream whose writes are shown with ``visible_lines``: every plain ``print`` of the
    CLI (check, validate, diff, fix, summaries, error lines on stderr) goes through one."""

    def __init__(self, stream: TextIO):
        self.wrapped = stream

    def write(self, s: str) -> int:
        self.wrapped.write(s if is_clean(s) else visible_lines(s))
        return len(s)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.wrapped, name)


def unwrap(stream: Any) -> Any:
    """The stream under a ``SafeStream`` (for Rich, which writes its own escape codes)."""
    return getattr(stream, "wrapped", stream)


def console(stderr: bool = False, **kw) -> SafeConsole:
    """The CLI's Rich console on the real stdout (or stderr)."""
    import sys

    return SafeConsole(file=unwrap(sys.stderr if stderr else sys.stdout), **kw)
