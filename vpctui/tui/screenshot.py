"""Headless SVG screenshots: run the app with Textual's Pilot, press keys, save the screen."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Optional, Sequence

from ..loaders import Source

# Short names people pass to --press, mapped to Textual key names
KEY_ALIASES = {"?": "question_mark", "/": "slash", ":": "colon", " ": "space", "esc": "escape",
               "pgdn": "pagedown", "pgup": "pageup", "return": "enter"}


def _keys(press: Sequence[str]) -> list[str]:
    """Each item is a Textual key name ('t', 'enter', 'space', 'pagedown', '4') or 'type:TEXT'."""
    out: list[str] = []
    for item in press:
        if item.startswith("type:"):
            out.extend(item[5:])
        else:
            out.append(KEY_ALIASES.get(item, item))
    return out


def bad_key(item: str) -> bool:
    """True when ``item`` is not something ``--press`` can press (a typo like ``zzz``)."""
    import unicodedata

    from textual.keys import KEY_TO_UNICODE_NAME, REPLACED_KEYS, Keys

    if item.startswith("type:") or item in KEY_ALIASES or len(item) == 1:
        return False
    *mods, key = item.split("+")
    if any(m not in ("ctrl", "shift", "alt", "meta", "super") for m in mods) or not key:
        return True
    names = {k.value for k in Keys}
    if len(key) == 1 or key in names or key in KEY_ALIASES or key in REPLACED_KEYS or key in KEY_TO_UNICODE_NAME or re.fullmatch(r"f([1-9]|1[0-9]|2[0-4])", key):
        return False
    try:  # a character by its name: question_mark, full_stop
        unicodedata.lookup(key.replace("_", " "))
        return False
    except KeyError:
        return True


_IDS = re.compile(r"terminal-\d+")


def _still_cursors(app) -> None:
    """A screenshot shows a text field's cursor, whatever the phase of its blink: without this,
    the same screen gave two different pictures, 0.5 s apart."""
    from textual.widgets import Input

    for field in app.screen.query(Input):
        if field.cursor_blink:
            field.cursor_blink = False


async def settle(pilot, *, rounds: int = 40) -> None:
    """Wait until the screen stops changing: the same render before and after a short real pause.

    Pilot's pause() waits for the message queue, but some updates wait for the next screen
    refresh (the footer recomposes after a refresh when the bindings change; a DataTable measures
    on idle), so a render taken right after a load can still be a frame behind.
    """
    app = pilot.app
    await app.workers.wait_for_complete()
    await pilot.pause()
    _still_cursors(app)
    prev = _IDS.sub("", app.export_screenshot())
    same = 0
    for _ in range(rounds):  # three unchanged looks in a row: a loaded machine can be a frame late
        _still_cursors(app)
        await pilot.pause(0.05)
        await pilot.wait_for_scheduled_animations()
        await app.workers.wait_for_complete()
        cur = _IDS.sub("", app.export_screenshot())
        same = same + 1 if cur == prev else 0
        if same >= 3:
            return
        prev = cur


async def render_svg(source: Source, *, size: tuple[int, int] = (120, 36), press: Sequence[str] = (),
                     theme: Optional[str] = None, demo: bool = False, title: str = "vpctui") -> str:
    from .app import VpcTuiApp

    app = VpcTuiApp(source=source, demo=demo, theme=theme or "textual-dark")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for key in _keys(press):
            await pilot.press(key)
            await app.workers.wait_for_complete()
        await settle(pilot)
        return app.export_screenshot(title=title)


def take_screenshot(source: Source, out: str, *, size: tuple[int, int] = (120, 36), press: Sequence[str] = (),
                    theme: Optional[str] = None, demo: bool = False) -> None:
    """Render the TUI headlessly, press the keys, and save an SVG to `out`."""
    svg = asyncio.run(render_svg(source, size=size, press=list(press), theme=theme, demo=demo,
                                 title=f"vpctui {Path(out).stem}"))
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(svg, encoding="utf-8")
