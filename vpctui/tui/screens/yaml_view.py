"""y: the selected resource as scenario YAML."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..format import esc


def component_yaml(network, component) -> str:
    """The component as scenario YAML (vpctui.loaders.dump)."""
    from ...loaders.dump import component_to_yaml

    try:
        return component_to_yaml(network, component)
    except Exception as e:  # show something useful rather than a traceback
        return f"# component_to_yaml failed: {type(e).__name__}: {e}\n"


class _ScrollingText(ModalScreen[None]):
    """A pop-up of text that j/k and the arrows scroll."""

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def action_scroll(self, delta: int) -> None:
        self.query_one("#yaml-box", VerticalScroll).scroll_relative(y=delta, animate=False)


class YamlScreen(_ScrollingText):
    BINDINGS = [
        Binding("escape,q,y", "dismiss", "Close", show=True),
        Binding("c", "copy", "Copy YAML", show=True),
        Binding("j,down", "scroll(1)", show=False),
        Binding("k,up", "scroll(-1)", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="yaml-box") as box:
            box.border_title = f"YAML · {esc(self.title_text)}"
            box.border_subtitle = "c copies · esc closes"
            yield Static(esc(self.text, lines=True), id="yaml-text")

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.text)
        self.notify("YAML copied to the clipboard (OSC 52)")


class TextScreen(_ScrollingText):
    """A pop-up of plain text (data shown as text, never markup): the unknown parts, say."""

    BINDINGS = [
        Binding("escape,q", "dismiss", "Close", show=True),
        Binding("j,down", "scroll(1)", show=False),
        Binding("k,up", "scroll(-1)", show=False),
    ]

    def compose(self) -> ComposeResult:
        from rich.text import Text

        with VerticalScroll(id="yaml-box") as box:
            box.border_title = esc(self.title_text)
            box.border_subtitle = "esc closes"
            yield Static(Text(self.text), id="text-body")
