"""A load that failed: the one-line errors, never a traceback."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from ..format import esc


class LoadErrorScreen(Screen[None]):
    BINDINGS = [
        Binding("R", "app.reload", "Retry", show=True),
        Binding("escape", "back", "Back / quit", show=True),
        Binding("q", "app.quit", "Quit", show=True),
    ]

    def __init__(self, source_label: str, errors: list[str], can_go_back: bool = False) -> None:
        super().__init__()
        self.source_label = source_label
        self.errors = errors
        self.can_go_back = can_go_back

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="error-box") as box:
            box.border_title = "✗ Could not load"
            lines = [f"[b $error]✗ Could not load {esc(self.source_label)}[/]", ""]
            lines += [f"  {esc(e)}" for e in self.errors]
            lines += ["", "[dim]Fix the file and press R to retry (it reloads by itself when the file "
                      "changes), or q to quit." + (" esc goes back to the network shown before." if self.can_go_back
                                                  else "") + "[/]"]
            yield Static("\n".join(lines), id="error-text")
        yield Footer()

    def action_back(self) -> None:
        if self.can_go_back:
            self.dismiss(None)
        else:  # nothing behind this screen: esc leaves, like q (exit 1: the load failed)
            self.app.action_quit()
