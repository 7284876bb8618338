"""--no-mouse: the real vpctui in tmux asks the terminal for no mouse reports (over SSH every motion
report costs a repaint); without it, it does. The bytes vpctui writes are recorded with `script`."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.tmux, pytest.mark.skipif(shutil.which("tmux") is None or shutil.which("script") is None,
                                                   reason="needs tmux and util-linux script")]
ALL_MOTION = b"\x1b[?1003h"


def _written(tmp_path, *flags: str) -> bytes:
    sock = f"vpctui-mouse-{uuid.uuid4().hex[:8]}"
    log = tmp_path / f"pty-{uuid.uuid4().hex[:6]}.bin"
    cmd = shlex.join([sys.executable, "-m", "vpctui", *flags])
    inner = f"env TERM=xterm-256color PYTHONPATH={shlex.quote(str(ROOT))} script -q -f -O {shlex.quote(str(log))} -c {shlex.quote(cmd)}"
    tmux = ["tmux", "-L", sock]
    subprocess.run([*tmux, "-f", "/dev/null", "new-session", "-d", "-x", "100", "-y", "30", "-s", "m", inner],
                   check=True, timeout=20)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            screen = subprocess.run([*tmux, "capture-pane", "-p", "-t", "m"], capture_output=True, text=True,
                                    timeout=20).stdout
            if "lambda-4-endpoints" in screen:
                break
            time.sleep(0.25)
        else:
            raise AssertionError(f"vpctui did not start:\n{screen}")
        return log.read_bytes()
    finally:  # quit vpctui first: under `script`, killing the tmux server can leave it running
        subprocess.run([*tmux, "send-keys", "-t", "m", "q"], timeout=20)
        time.sleep(1.0)
        subprocess.run([*tmux, "kill-server"], timeout=20)


def test_no_mouse_asks_for_no_mouse_reports(tmp_path):
    assert ALL_MOTION in _written(tmp_path)
    assert ALL_MOTION not in _written(tmp_path, "--no-mouse")
