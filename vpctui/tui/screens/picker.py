"""t: pick the target of a trace — scenario targets, resources, catalog services, or free text."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ..format import esc

FORMS = ("s3://BUCKET[/KEY]  ssm:NAME  dynamodb:TABLE  secretsmanager:NAME  sqs:QUEUE  "
         "a service (s3, sts …)  https://HOST[:PORT]  IP:PORT  HOST:PORT")


class TargetPickerScreen(ModalScreen[str | None]):
    """Dismisses with the target text, or None when cancelled.

    The input keeps the focus: typing filters the list, ↑/↓ move in it, enter takes the
    highlighted suggestion (or the typed text when nothing matches or the text is a full target).
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", show=True),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("pagedown", "move(5)", show=False, priority=True),
        Binding("pageup", "move(-5)", show=False, priority=True),
    ]

    def __init__(self, function_name: str, suggestions: list[tuple[str, str]], title: str = "",
                 submit: str = "trace") -> None:
        super().__init__()
        self.function_name = function_name
        self.suggestions = suggestions
        self.title_text = esc(title) if title else f"Trace from λ {esc(function_name)}"
        self.submit = submit

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box") as box:
            box.border_title = self.title_text
            box.border_subtitle = f"enter: {self.submit} · esc: cancel"
            yield Input(placeholder="target (type to filter, or any TARGET)", id="picker-input")
            yield OptionList(id="picker-list")
            yield Static(f"[$text-muted]{esc(FORMS)}[/]", id="picker-forms")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#picker-input", Input).focus()

    def _fill(self, text: str) -> None:
        ol = self.query_one("#picker-list", OptionList)
        ol.clear_options()
        needle = text.strip().lower()
        opts = [Option(f"{esc(t)}  [dim]{esc(d)}[/]", id=t) for t, d in self.suggestions
                if not needle or needle in t.lower() or needle in d.lower()]
        ol.add_options(opts)
        if opts:
            exact = [i for i, o in enumerate(opts) if o.id.lower() == needle]
            ol.highlighted = exact[0] if exact else 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        typed = event.value.strip()
        ol = self.query_one("#picker-list", OptionList)
        if ol.highlighted is not None and ol.option_count:
            self.dismiss(ol.get_option_at_index(ol.highlighted).id)
        elif typed:
            self.dismiss(typed)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_move(self, delta: int) -> None:
        ol = self.query_one("#picker-list", OptionList)
        if not ol.option_count:
            return
        cur = ol.highlighted if ol.highlighted is not None else -1
        ol.highlighted = max(0, min(ol.option_count - 1, cur + delta))

    def action_cancel(self) -> None:
        self.dismiss(None)
