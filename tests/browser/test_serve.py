"""`vpctui serve` in a real browser: Debian's chromium, driven by Playwright, against the real server.

The server runs as a subprocess on a free loopback port; the page's terminal (xterm.js, drawn on a
canvas) is read through its own buffer API, so the test reads what the page shows, not the app's state.
"""

from __future__ import annotations

import os
import shutil
import socket
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync"]

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium; .ci/run does)")]

# textual-serve keeps its xterm.js Terminal on a private object: catch it as it is assigned.
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, 'terminal', {
  configurable: true,
  set(v) { window.__vpctuiTerm = v;
           Object.defineProperty(this, 'terminal', {value: v, writable: true, configurable: true, enumerable: true}); },
  get() { return undefined; },
});
"""
SCREEN_TEXT = """() => { const t = window.__vpctuiTerm; if (!t) return '';
  const b = t.buffer.active, out = [];
  for (let i = 0; i < t.rows; i++) { const l = b.getLine(b.viewportY + i); out.push(l ? l.translateToString(true) : ''); }
  return out.join('\\n'); }"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server():
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "vpctui", "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"vpctui serve exited {proc.returncode}: {proc.stderr.read()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise AssertionError("vpctui serve did not listen within 30 s")
    yield url, proc
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def _wait_for(page, text: str, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = page.evaluate(SCREEN_TEXT)
        if text in screen:
            return screen
        time.sleep(0.25)
    raise AssertionError(f"{text!r} never appeared in the browser; the terminal showed:\n{screen}")


def _press(page, *keys: str) -> None:
    for k in keys:
        page.keyboard.press(k)
        time.sleep(0.3)


def trace_isolated_to_the_drop(page) -> str:
    """Click into the served terminal, trace lambda-3-isolated to the S3 object and walk to the drop,
    as in a terminal (also used by scripts/browser_screenshot.py). Returns the screen's text."""
    time.sleep(1.0)
    page.click("#terminal")
    time.sleep(0.5)
    _press(page, "4", "j", "j")
    _wait_for(page, "5 Details · lambda-3-isolated")
    _press(page, "t")
    _wait_for(page, "Trace from λ lambda-3-isolated")
    page.keyboard.type("s3://vpc-notes-bucket/hello.txt", delay=20)
    time.sleep(0.3)
    _press(page, "Enter")
    _wait_for(page, "BLOCKED")
    _press(page, "G")
    return _wait_for(page, "no route matches")


def _png_colours(png: bytes) -> int:
    """How many distinct colours a (non-interlaced, 8-bit RGB/RGBA) PNG has, sampled: a loose check
    that the page shows a drawn TUI, not a blank or an error page."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, ctype = 8, b"", 0, 0, 0
    while pos < len(png):
        n, kind = struct.unpack(">I4s", png[pos:pos + 8])
        data = png[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height, _, ctype = struct.unpack(">IIBB", data[:10])
        elif kind == b"IDAT":
            idat += data
        pos += 12 + n
    bpp = 4 if ctype == 6 else 3
    raw = zlib.decompress(idat)
    stride = width * bpp + 1
    colours = set()
    prev = bytearray(width * bpp)
    for y in range(height):
        f, line = raw[y * stride], bytearray(raw[y * stride + 1:(y + 1) * stride])
        for i in range(len(line)):  # undo the PNG filters
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        prev = line
        if y % 8 == 0:
            colours.update(bytes(line[x:x + 3]) for x in range(0, len(line), bpp * 4))
    return len(colours)


def test_serve_shows_the_tui_and_takes_keys(server, browser):
    url, proc = server
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.add_init_script(CATCH_TERMINAL)
    page.goto(url)
    screen = _wait_for(page, "lambda-4-endpoints")
    for text in ("1 Network", "(1) public", "public — no internet for Lambda", "10.0.1.0/24"):
        assert text in screen, text
    screen = trace_isolated_to_the_drop(page)
    assert "lambda-3-isolated" in screen and "no route matches" in screen
    # the matrix of the demo
    _press(page, "Escape", "m")
    screen = _wait_for(page, "✗ timeout")
    assert "7 Matrix" in screen and "✓ ok" in screen
    shot = page.screenshot()
    assert _png_colours(shot) >= 6, "the browser view looks blank"
    assert proc.poll() is None, "the server died"
