"""Bytes the real vpctui writes to its terminal per key: what an SSH session carries.

The real ``vpctui`` runs in tmux under util-linux ``script``, which records every byte the app writes
to its pty (``-O FILE``, flushed at once). A key is sent with ``tmux send-keys``; when the file has
stopped growing for ``settle`` seconds the growth is that key's cost. TERM=xterm-256color, COLORTERM
unset, the demo scenario. Mouse motion: SGR any-event reports (``ESC[<35;X;YM``, what a terminal sends
per cell crossed) written into the pane with ``send-keys -l``, along a path over the tree, the tables
and the right-hand panes; ``tmux capture-pane -e`` before and after each tells whether the motion
changed the screen (a hover highlight: proof that Textual got it as a MouseMove). Benchmark code: it
asserts nothing.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (label, kind, tmux key, literal?) — kind "nav" moves a selection, "action" changes what is shown
STEPS = [
    ("1 network", "action", "1", False),
    ("j", "nav", "j", False), ("j", "nav", "j", False), ("j", "nav", "j", False), ("k", "nav", "k", False),
    ("down", "nav", "Down", False), ("up", "nav", "Up", False),
    ("? help", "action", "?", False), ("esc", "action", "Escape", False),
    ("/ filter", "action", "/", False), ("esc", "action", "Escape", False),
    ("4 functions", "action", "4", False), ("j", "nav", "j", False), ("j", "nav", "j", False),
    ("t trace", "action", "t", False), ("type target", "typing", "s3://vpc-notes-bucket/hello.txt", True),
    ("enter", "action", "Enter", False),
    ("space hop", "nav", "space", False), ("space hop", "nav", "space", False), ("space hop", "nav", "space", False),
    ("space hop", "nav", "space", False), ("h hop back", "nav", "h", False),
    ("esc", "action", "Escape", False), ("m matrix", "action", "m", False), ("esc", "action", "Escape", False),
    ("2 routes", "action", "2", False), ("3 endpoints", "action", "3", False), ("5 details", "action", "5", False),
]


def mouse_path(cols: int, rows: int) -> list[tuple[int, int]]:
    """Where the mouse moves (1-based cells, as SGR reports them): down the network tree (pane 1),
    down the functions table (pane 4) and the right-hand panes, then across the screen: every
    second row or every tenth column, so the pointer crosses rows that highlight on hover."""
    left, right = max(2, cols // 8), cols * 3 // 4
    path = [(left, y) for y in range(3, rows - 1, 2)]
    path += [(right, y) for y in range(3, rows - 1, 2)]
    path += [(x, rows // 3) for x in range(2, cols, 10)]
    return path


def motion(x: int, y: int) -> str:
    """An SGR mouse report of a motion with no button held (``ESC [ < 35 ; X ; Y M``): what a
    terminal sends for each cell the pointer crosses once an app asks for any-event tracking
    (mode 1003, as Textual does unless vpctui runs with --no-mouse)."""
    return f"\x1b[<35;{x};{y}M"


def _descendants(pid: int) -> list[int]:
    """The processes under ``pid`` (Linux /proc), children first."""
    parent: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
                parent[int(d.name)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                pass
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        kids = [c for c, pp in parent.items() if pp == p]
        out.extend(kids)
        todo.extend(kids)
    return [pid, *out][::-1]


class Recorder:
    def __init__(self, cols: int, rows: int, command: str) -> None:
        self.cols, self.rows = cols, rows
        self.sock = f"vpctui-bytes-{uuid.uuid4().hex[:8]}"
        self.tmp = Path(tempfile.mkdtemp(prefix="vpctui-bytes-"))
        self.log = self.tmp / "pty.bin"
        env = f"env -u COLORTERM TERM=xterm-256color PYTHONPATH={shlex.quote(str(ROOT))}"
        inner = f"{env} script -q -f -O {shlex.quote(str(self.log))} -c {shlex.quote(command)}"
        self.tmux("-f", "/dev/null", "new-session", "-d", "-x", str(cols), "-y", str(rows), "-s", "b", inner)

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.sock, *args], capture_output=True, text=True, timeout=20).stdout

    def size(self) -> int:
        try:
            return self.log.stat().st_size
        except FileNotFoundError:
            return 0

    def settle(self, settle: float = 0.5, timeout: float = 20.0) -> int:
        deadline = time.monotonic() + timeout
        last, since = self.size(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.05)
            now = self.size()
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= settle:
                break
        return last

    def send(self, key: str, literal: bool, settle: float = 0.5) -> int:
        before = self.settle(settle)
        self.tmux("send-keys", "-t", "b", *(["-l"] if literal else []), key)
        return self.settle(settle) - before

    def screen(self) -> str:
        """The pane's cells with their styles (what a motion's hover highlight changes)."""
        return self.tmux("capture-pane", "-p", "-e", "-t", "b")

    def move(self, x: int, y: int) -> tuple[int, bool]:
        """(bytes written, whether the screen changed) for one mouse motion to (x, y). The report
        is written into the pane's input with ``send-keys -l`` (tmux passes it on as typed bytes)."""
        before = self.screen()
        n = self.send(motion(x, y), True, settle=0.3)
        return n, self.screen() != before

    def close(self) -> None:
        pane = self.tmux("display-message", "-p", "-t", "b", "#{pane_pid}").strip()
        self.tmux("send-keys", "-t", "b", "Escape")  # quit vpctui first: under `script`, killing
        self.tmux("send-keys", "-t", "b", "q")       # the tmux server can leave it running
        time.sleep(1.0)
        left = _descendants(int(pane)) if pane.isdigit() else []
        self.tmux("kill-server")
        for pid in left:  # what did not quit (script and the vpctui it started), by process id
            try:
                os.kill(pid, signal.SIGTERM)
            except OSError:
                pass
        shutil.rmtree(self.tmp, ignore_errors=True)


def measure(cols: int, rows: int, command: str | None = None) -> dict:
    command = command or f"{shlex.quote(sys.executable)} -m vpctui"
    rec = Recorder(cols, rows, command)
    try:
        deadline = time.monotonic() + 30
        while "lambda-4-endpoints" not in rec.tmux("capture-pane", "-p", "-t", "b"):
            if time.monotonic() > deadline:
                raise RuntimeError("vpctui did not show the demo within 30 s")
            time.sleep(0.2)
        startup = rec.settle(1.0)
        steps = [(label, kind, rec.send(key, literal)) for label, kind, key, literal in STEPS]
        idle_before = rec.settle()
        time.sleep(2.0)
        idle = rec.size() - idle_before
        # mouse motion last (after the keys, so their figures do not depend on a hover left behind)
        moves = [(x, y, *rec.move(x, y)) for x, y in mouse_path(cols, rows)]
    finally:
        rec.close()
    nav = [b for _, kind, b in steps if kind == "nav"]
    action = [b for _, kind, b in steps if kind == "action"]
    motions = [b for _, _, b, _ in moves]
    return {"startup_bytes": startup, "nav_median_bytes": statistics.median(nav), "nav_max_bytes": max(nav),
            "action_max_bytes": max(action), "idle_bytes_per_s": idle / 2.0,
            "steps": [{"key": label, "kind": kind, "bytes": b} for label, kind, b in steps],
            "mouse_motion_median_bytes": statistics.median(motions), "mouse_motion_max_bytes": max(motions),
            "mouse_motions": len(moves),
            # motions that changed what the screen shows (a hover highlight): proof they reached the app
            "mouse_motions_changing_the_screen": sum(1 for *_, changed in moves if changed),
            "mouse_moves": [{"x": x, "y": y, "bytes": b, "screen_changed": c} for x, y, b, c in moves]}


def bench_ssh(out: dict, notes: list[str]) -> None:
    if shutil.which("tmux") is None or shutil.which("script") is None:
        notes.append("ssh_*: needs tmux and util-linux script")
        return
    for cols, rows in ((120, 36), (80, 24)):
        tag = f"{cols}x{rows}"
        try:
            m = measure(cols, rows)
        except Exception as e:  # noqa: BLE001 - a benchmark reports, it does not fail
            notes.append(f"ssh_* {tag}: {type(e).__name__}: {e}")
            continue
        out[f"ssh_nav_median_bytes_{tag}"] = m["nav_median_bytes"]
        out[f"ssh_nav_max_bytes_{tag}"] = m["nav_max_bytes"]
        out[f"ssh_action_max_bytes_{tag}"] = m["action_max_bytes"]
        out[f"ssh_idle_bytes_per_s_{tag}"] = m["idle_bytes_per_s"]
        out[f"ssh_steps_{tag}"] = m["steps"]
        out[f"ssh_mouse_motion_median_bytes_{tag}"] = m["mouse_motion_median_bytes"]
        out[f"ssh_mouse_motion_max_bytes_{tag}"] = m["mouse_motion_max_bytes"]
        out[f"ssh_mouse_motions_{tag}"] = m["mouse_motions"]
        out[f"ssh_mouse_motions_changing_the_screen_{tag}"] = m["mouse_motions_changing_the_screen"]
        out[f"ssh_mouse_moves_{tag}"] = m["mouse_moves"]
        if not m["mouse_motions_changing_the_screen"]:
            notes.append(f"ssh_mouse_* {tag}: no motion changed the screen: the reports may not have reached the app")


if __name__ == "__main__":
    import json

    for c, r in ((120, 36), (80, 24)):
        print(c, r, json.dumps({k: v for k, v in measure(c, r).items() if k not in ("steps", "mouse_moves")}))
