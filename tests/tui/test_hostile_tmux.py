"""Hostile data in a real terminal (issue 10, part 1): tmux runs `vpctui matrix`, `vpctui trace` and the
TUI on the lambda-vpc scenario with names that carry OSC 52 (clipboard), a window-title OSC ended
by ESC-backslash and a screen clear. tmux accepts OSC 52 into a buffer (set-clipboard on) and keeps
the title as the pane title: neither may change, and ``capture-pane -e`` shows the sequences as
visible text (␛), with no escape sequence on the screen but tmux's own colours."""

from __future__ import annotations

import re
import time

import pytest
import yaml

from test_tmux import ROOT, TMUX, Term, _command  # tests/tui is on sys.path (pytest's prepend mode)
from vpctui.testing.hostile import hostile_scenario

pytestmark = [pytest.mark.tmux, pytest.mark.skipif(TMUX is None, reason="tmux is not installed")]

H = "x\x1b]52;c;cHduZWQ=\x07 \x1b]2;PWNED\x1b\\ \x1b[2J [@click=app.quit]q[/] web[/"
SGR_ONLY = re.compile(r"\x1b\[[0-9;:]*m")


@pytest.fixture
def term():
    t = Term(160, 40)
    yield t
    t.kill()


def _scenario(tmp_path):
    p = tmp_path / "hostile.yaml"
    p.write_text(yaml.safe_dump(hostile_scenario(H), allow_unicode=True, width=10**6), encoding="utf-8")
    return p


def _untouched(term: Term) -> str:
    screen = term.tmux("capture-pane", "-p", "-e", "-t", "t")
    assert "\x1b" not in SGR_ONLY.sub("", screen), repr(screen[:500])
    assert "PWNED" not in term.tmux("display-message", "-p", "-t", "t", "#{pane_title}")
    assert "pwned" not in term.tmux("list-buffers", "-F", "#{buffer_sample}", check=False)
    return screen


def _start(term: Term, command: str) -> None:
    env = f"TERM=xterm-256color PYTHONPATH={ROOT}"
    term.tmux("-f", "/dev/null", "new-session", "-d", "-x", str(term.cols), "-y", str(term.rows), "-s", "t",
              f"cd {ROOT} && env {env} {command}; echo VPCTUI-EXIT=$?; sleep 30")
    term.tmux("set-option", "-g", "set-clipboard", "on")
    term.tmux("set-option", "-g", "allow-rename", "on")


def test_cli_matrix_and_trace_in_tmux(term, tmp_path):
    p = _scenario(tmp_path)
    fn = hostile_scenario(H)["lambda_functions"][2]["function_name"]
    (tmp_path / "fn").write_text(fn, encoding="utf-8")
    _start(term, f"{_command()} matrix {p}; {_command()} trace {p} --from \"$(cat {tmp_path}/fn)\" --to s3")
    term.wait_for("VPCTUI-EXIT=")
    screen = _untouched(term)
    assert "␛]52;c;cHduZWQ=␇" in screen and "␛]2;PWNED␛\\" in screen


def test_tui_in_tmux(term, tmp_path):
    p = _scenario(tmp_path)
    _start(term, f"{_command()} {p}")
    term.wait_for("Functions")
    time.sleep(0.5)
    for keys in (("4",), ("j", "5"), ("y",), ("Escape", "m")):
        term.keys(*keys)
        time.sleep(0.6)
        screen = _untouched(term)
    assert "␛" in screen
    assert "VPCTUI-EXIT" not in term.screen()  # still running
    term.keys("Escape", "q")
    term.wait_for("VPCTUI-EXIT=0")
