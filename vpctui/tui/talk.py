"""Play a talk script (vpctui.loaders.talk) in the TUI, one clicker press a step.

The player only calls the app's own actions (focus a pane, trace, step hops, apply a fix, open the
matrix), so a talk shows exactly what a person pressing keys would see. Going back replays the
script from the start up to the previous step on the network as it was loaded (what-if changes made
by later steps are undone), without the captions of the steps in between.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from ..engine.result import DROP
from ..loaders.talk import PANES, Step, Talk
from ..render.safe import visible_lines

if TYPE_CHECKING:
    from .app import VpcTuiApp

PANE_IDS = {v: k for k, v in PANES.items()}  # "1" -> "network"


class TalkPlayer:
    def __init__(self, app: "VpcTuiApp", talk: Talk) -> None:
        self.app = app
        self.talk = talk
        self.position = 0  # steps played
        self.caption = ""

    @property
    def done(self) -> bool:
        return self.position >= len(self.talk.steps)

    def status(self) -> str:
        return f"step {self.position}/{len(self.talk.steps)}"

    async def next(self) -> None:
        if self.done:
            self.app.notify("End of the talk: PageUp goes back.", timeout=4)
            return
        step = self.talk.steps[self.position]
        self.position += 1
        await self.play(step, quiet=False)
        self._show_caption()

    async def back(self) -> None:
        if self.position <= 1:
            self.app.notify("First step of the talk.", timeout=3)
            return
        target = self.position - 1
        await self.reset()
        for step in self.talk.steps[:target]:
            await self.play(step, quiet=True)
        self.position = target
        last_say = next((s for s in reversed(self.talk.steps[:target]) if s.kind == "say"), None)
        self.caption = str(last_say.value) if last_say is not None else ""
        self._show_caption()

    async def reset(self) -> None:
        app = self.app
        app.trace = None
        app.compare = None
        changes = getattr(app, "changes", None)
        if changes is not None and changes.done:  # the network as loaded, before the talk's fixes
            base = changes.base
            app.changes = None  # no "unsaved changes dropped" warning: the talk made them
            app.whatif_reset(base)
            app.network = base  # the panes follow the app's network
            app.matrix_traces = []
            app._whatif_title()
        app.hop_index = -1
        app.mode = "explore"
        self.caption = ""
        self.position = 0

    async def play(self, step: Step, quiet: bool) -> None:
        app = self.app
        kind, value = step.kind, step.value
        if kind == "say":
            self.caption = str(value)
        elif kind == "pane":
            pane = PANE_IDS[str(value)]
            if pane == "matrix":
                await app.action_matrix()
            else:
                app.action_focus_pane(pane)
        elif kind == "trace":
            function, target = value  # type: ignore[misc]
            if not app.run_trace(function, target, hop=0, in_worker=False):
                app.notify(f"talk step at line {step.line}: could not trace {function} → {target}",
                           severity="error", timeout=8)
        elif kind == "hop":
            self._hop(value)
        elif kind == "fix":
            if app.trace is not None:
                app.action_apply_fix()
        elif kind == "matrix":
            if value == "open":
                await app.action_matrix()
            else:
                app.action_escape()
        elif kind == "close":
            app.action_escape()

    def _hop(self, move) -> None:
        app = self.app
        hops = app.hops()
        if app.trace is None or not hops:
            return
        last = len(hops) - 1
        i = app.hop_index
        if move == "next":
            i = min(last, i + 1)
        elif move == "prev":
            i = max(0, i - 1)
        elif move == "first":
            i = 0
        elif move == "last":
            i = last
        elif move == "drop":
            drops = [n for n, h in enumerate(hops) if h.result == DROP]
            i = drops[0] if drops else last
        else:  # a step number, counted from 1 as the trace shows them
            i = max(0, min(last, int(move) - 1))
        if app.mode != "trace":
            app.mode = "trace"
        app.hop_index = i

    def _show_caption(self) -> None:
        from textual.widgets import Static

        try:
            bar = self.app.query_one("#talk-caption", Static)
        except Exception:  # the caption bar is mounted with the main screen
            return
        text = Text(visible_lines(self.caption))  # the script's words are text, never markup
        text.append(f"   [{self.status()}]", style="dim")
        bar.update(text)
        bar.display = bool(self.caption) or not self.done
