"""The real vpctui in a real terminal: tmux types keys and reads the screen, as a person would."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TMUX = shutil.which("tmux")

pytestmark = [pytest.mark.tmux, pytest.mark.skipif(TMUX is None, reason="tmux is not installed")]


def _command() -> str:
    """The console script if it is installed from this tree, else `python -m vpctui`."""
    exe = shutil.which("vpctui")
    if exe and (ROOT / "vpctui" / "cli.py").exists():
        return exe
    return f"{sys.executable} -m vpctui"


class Term:
    def __init__(self, cols: int, rows: int) -> None:
        self.socket = f"vpctui-test-{uuid.uuid4().hex[:8]}"
        self.cols, self.rows = cols, rows

    def tmux(self, *args: str, check: bool = True) -> str:
        res = subprocess.run([TMUX, "-L", self.socket, *args], capture_output=True, text=True, timeout=20)
        if check and res.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)}: {res.stderr}")
        return res.stdout

    def start(self, command: str) -> None:
        env = {"TERM": "xterm-256color", "PYTHONPATH": str(ROOT)}
        exports = " ".join(f"{k}={v}" for k, v in env.items())
        # `; sleep` keeps the pane readable after the app exits, so the test can see the exit
        self.tmux("-f", "/dev/null", "new-session", "-d", "-x", str(self.cols), "-y", str(self.rows), "-s", "t",
                  f"cd {ROOT} && env {exports} {command}; echo VPCTUI-EXIT=$?; sleep 30")

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "t")

    def keys(self, *keys: str) -> None:
        for k in keys:
            self.tmux("send-keys", "-t", "t", k)
            time.sleep(0.15)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "t", "-l", text)

    def wait_for(self, text: str, timeout: float = 25.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.25)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")

    def kill(self) -> None:
        self.tmux("kill-server", check=False)


@pytest.fixture
def term():
    t = Term(80, 24)
    yield t
    t.kill()


def test_real_vpctui_in_tmux_traces_isolated_to_s3(term):
    term.start(_command())
    screen = term.wait_for("lambda-4-endpoints")
    time.sleep(0.5)
    screen = term.screen()
    # the subnets, labelled for a Lambda, at 80x24
    for text in ("(1) public", "(2) private-nat", "(3) isolated", "(4) isolated-endpoints",
                 "public — no internet for Lambda", "10.0.1.0/24"):
        assert text in screen, text
    # select lambda-3-isolated in the functions pane and trace it to the S3 object
    term.keys("4", "j", "j")
    time.sleep(0.3)
    term.keys("t")
    term.wait_for("Trace from λ lambda-3-isolated")
    term.type("s3://vpc-notes-bucket/hello.txt")
    time.sleep(0.3)
    term.keys("Enter")
    screen = term.wait_for("BLOCKED")
    assert "lambda-3-isolated" in screen
    # walk to the drop: the route pane shows that nothing matched
    term.keys("G")
    screen = term.wait_for("DROP")
    assert "no route matches" in screen
    # the reason and what the function sees, both on screen at 80x24
    assert "NO_ROUTE_TO_DESTINATION at H4" in screen
    assert "Task timed out after 3.00" in screen
    # typing q in the filter does not quit; q in a pane does, cleanly
    term.keys("Escape", "1", "/", "q")
    time.sleep(0.5)
    assert "VPCTUI-EXIT" not in term.screen()
    term.keys("Escape", "q")
    screen = term.wait_for("VPCTUI-EXIT=")
    assert "VPCTUI-EXIT=0" in screen
    assert "Traceback" not in screen


def test_keys_sent_at_once_after_a_pane_number(term):
    """`4jjt` delivered in one write (tmux send-keys, a paste, a fast typist): the keys after `4`
    move in pane 4 and `t` traces the function under its cursor."""
    term.start(_command())
    term.wait_for("lambda-4-endpoints")
    time.sleep(0.5)
    term.type("4jjt")
    screen = term.wait_for("Trace from λ")
    assert "Trace from λ lambda-3-isolated" in screen
    term.keys("Escape", "q")
    assert "VPCTUI-EXIT=0" in term.wait_for("VPCTUI-EXIT=")


def test_ctrl_p_opens_the_palette_in_a_real_terminal(term):
    term.start(_command())
    term.wait_for("lambda-4-endpoints")
    time.sleep(0.5)
    term.keys("C-p")
    screen = term.wait_for("Search for commands")
    term.type("jump to the drop")
    screen = term.wait_for("trace: jump to the drop")
    term.keys("Escape", "q")
    assert "VPCTUI-EXIT=0" in term.wait_for("VPCTUI-EXIT=")


def test_no_terminal_refuses_in_one_line(term):
    # stdout a pipe, stdin not a terminal: one line, exit 2, no escape codes, no hang
    term.start(f"{_command()} </dev/null | cat; echo PIPE=${{PIPESTATUS[0]}}")
    screen = term.wait_for("PIPE=")
    assert "PIPE=2" in screen
    assert "the TUI needs a terminal" in screen and "vpctui trace" in screen
    assert "\x1b" not in screen
