"""In a real terminal vpctui writes only the cells that changed (vpctui/tui/screen_diff.py): after
keys that move, trace, open pop-ups and the matrix, what tmux shows (characters and colours) is what
a full repaint shows. The full repaint is forced by a resize, after which vpctui writes every cell."""

from __future__ import annotations

import time

from test_tmux import Term, _command  # tests/tui is on sys.path (pytest's prepend mode)

import pytest

pytestmark = [pytest.mark.tmux]


def _settled(term: Term) -> str:
    """The screen with its colours, once it has stopped changing."""
    last, same = None, 0
    for _ in range(80):
        time.sleep(0.25)
        now = term.tmux("capture-pane", "-p", "-e", "-t", "t")
        same = same + 1 if now == last else 0
        if same >= 3:
            return now
        last = now
    return last or ""


def test_the_screen_written_cell_by_cell_equals_a_full_repaint():
    term = Term(100, 30)
    try:
        term.start(_command())
        term.wait_for("lambda-4-endpoints")
        term.keys("j", "j", "j", "k", "?")
        term.wait_for("Keys")
        term.keys("Escape", "4", "j", "t")
        term.wait_for("Trace")
        term.type("s3://vpc-notes-bucket/hello.txt")
        term.keys("Enter", "space", "space", "space", "h")
        before = _settled(term)
        assert "hello.txt" in before
        term.tmux("resize-window", "-t", "t", "-x", "101")
        _settled(term)
        term.tmux("resize-window", "-t", "t", "-x", "100")
        after = _settled(term)
        assert after == before
    finally:
        term.kill()
