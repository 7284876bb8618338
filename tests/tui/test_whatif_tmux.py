"""The what-if walk in a real terminal: trace, a (the fix), see reachable, w (write the file)."""

from __future__ import annotations

import time

import pytest

from test_tmux import ROOT, TMUX, Term, _command  # tests/tui is on sys.path (pytest's prepend mode)
from vpctui.engine import trace
from vpctui.loaders.scenario import load_scenario

pytestmark = [pytest.mark.tmux, pytest.mark.skipif(TMUX is None, reason="tmux is not installed")]


@pytest.fixture
def term():
    t = Term(100, 30)
    yield t
    t.kill()


def test_trace_apply_fix_see_reachable_write(term, tmp_path):
    env = f"TERM=xterm-256color PYTHONPATH={ROOT}"
    term.tmux("-f", "/dev/null", "new-session", "-d", "-x", str(term.cols), "-y", str(term.rows), "-s", "t",
              f"cd {tmp_path} && env {env} {_command()}; echo VPCTUI-EXIT=$?; sleep 30")
    term.wait_for("lambda-4-endpoints")
    time.sleep(0.5)
    term.keys("4", "j", "j")
    time.sleep(0.3)
    term.keys("t")
    term.wait_for("Trace from λ lambda-3-isolated")
    term.type("s3://vpc-notes-bucket/hello.txt")
    time.sleep(0.3)
    term.keys("Enter")
    term.wait_for("BLOCKED")
    term.keys("a")
    screen = term.wait_for("before → after")
    assert "REACHABLE" in screen
    assert "vpce-0s3gw" in screen  # the change: associate the existing gateway endpoint
    term.keys("w")
    term.wait_for("Write the edited network")
    time.sleep(0.3)
    term.keys("Enter")
    term.wait_for("Written")
    out = tmp_path / "lambda-vpc-edited.yaml"
    assert out.exists()
    assert trace(load_scenario(out), "lambda-3-isolated", "s3://vpc-notes-bucket/hello.txt").verdict == "reachable"
    term.keys("q")
    screen = term.wait_for("VPCTUI-EXIT=")
    assert "VPCTUI-EXIT=0" in screen and "Traceback" not in screen
