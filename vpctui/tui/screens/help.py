"""? / f1: help for the focused pane and every key, from the one key table."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..bindings import GROUP_TITLES, KEYS, PANE_KEYS, PANES
from ...render.glyphs import HOP_RESULTS, VERDICTS, legend
from ..format import esc


def help_text(pane_number: int, pane_title: str, pane_help: str, demo: bool = False) -> str:
    lines = []
    if pane_title:
        lines.append(f"[b $primary]{pane_number} {esc(pane_title)}[/]")
        lines.append(esc(pane_help))
        lines.append("")
    lines.append("[b $primary]Keys[/]")
    for group, title in GROUP_TITLES.items():
        keys = [k for k in KEYS if k.group == group and k.display]
        if group == "panes":
            keys = [k for k in keys if not k.id.startswith("pane-")]
        if not keys and group != "panes":
            continue
        lines.append(f"[b]{title}[/]")
        if group == "panes":
            panes = "  ".join(f"{n} {t.lower()}" for n, _, t in PANES)
            lines.append(f"  [b]{'1..7':<16}[/] jump to a pane: {panes}")
            for disp, what in PANE_KEYS:
                lines.append(f"  [b]{esc(disp):<16}[/] {esc(what)}")
        for k in keys:
            lines.append(f"  [b]{esc(k.display):<16}[/] {esc(k.tooltip)}")
    lines.append("")
    lines.append("[b $primary]Reading a trace[/]")
    lines.append(f"  {legend(HOP_RESULTS)} — the glyph and the word carry the meaning, not the colour.")
    lines.append("  Verdicts: " + legend(VERDICTS).replace("INTERMITTENT", "INTERMITTENT (some subnets work)"))
    lines.append("  A silent drop (SG, NACL, route, IGW) shows as a timeout; a policy as AccessDenied (403).")
    if demo:
        lines.append("")
        lines.append("[b $primary]Presentation mode[/]")
        lines.append("  PageDown / → / space: next hop, then the next trace of the matrix; PageUp / ←: back.")
    lines.append("")
    lines.append("[dim]esc, q or ? closes this help.[/]")
    return "\n".join(lines)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", show=True),
        Binding("j,down", "scroll('down')", show=False),
        Binding("k,up", "scroll('up')", show=False),
    ]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box") as box:
            box.border_title = "Help"
            box.border_subtitle = "esc closes"
            yield Static(self.text, id="help-text")

    def action_scroll(self, direction: str) -> None:
        box = self.query_one("#help-box", VerticalScroll)
        if direction == "down":
            box.scroll_down()
        else:
            box.scroll_up()
