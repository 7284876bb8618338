"""t: pick the target of a trace — scenario targets, resources, catalog services, or free text."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from rich.text import Text
from textual.widgets import Input, Static

from ..format import esc, visible
from ..widgets.row_table import RowTable

def complete_target(text: str) -> bool:
    """Is ``text`` a whole target in one of FORMS (then enter takes it as typed, even when a longer
    suggestion starts with it: `s3://b` is the bucket b, not `s3://b-logs`)? A bare word is not: it
    may be the start of a suggestion."""
    t = text.strip()
    low = t.lower()
    if low.startswith("s3://"):
        return bool(t[5:].split("/", 1)[0])
    if low.startswith(("https://", "http://")):
        return bool(t.split("://", 1)[1].split("/", 1)[0])
    prefix, sep, rest = t.partition(":")
    if sep and prefix.lower() in ("ssm", "dynamodb", "secretsmanager", "sqs"):
        return bool(rest)
    return bool(sep) and rest.isdigit()  # HOST:PORT, IP:PORT


FORMS = ("s3://BUCKET[/KEY]  ssm:NAME  dynamodb:TABLE  secretsmanager:NAME  sqs:QUEUE  "
         "a service (s3, sts …)  https://HOST[:PORT]  IP:PORT  HOST:PORT")


class TargetPickerScreen(ModalScreen[str | None]):
    """Dismisses with the target text, or None when cancelled.

    The input keeps the focus: typing filters the list, ↑/↓ move in it, enter takes the
    highlighted suggestion, or the typed text when nothing matches or when it is a whole target
    (``complete_target``) and the highlight was not moved.
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
        self._moved = False  # the highlight was moved with the keys since the text last changed

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box") as box:
            box.border_title = self.title_text
            box.border_subtitle = f"enter: {self.submit} · esc: cancel"
            yield Input(placeholder="target (type to filter, or any TARGET)", id="picker-input")
            # a list that draws only the rows on screen: a large network suggests thousands
            yield RowTable(id="picker-list", header_height=0, click_selects=True, cursor_fills_row=True)
            yield Static(f"[dim]{esc(FORMS)}[/]", id="picker-forms")

    def on_mount(self) -> None:
        table = self.query_one("#picker-list", RowTable)
        table.can_focus = False  # the input keeps the focus
        table.add_column("", key="target")
        self._fill("")
        self.query_one("#picker-input", Input).focus()

    def _fill(self, text: str) -> None:
        table = self.query_one("#picker-list", RowTable)
        needle = text.strip().lower()
        shown = [(t, d) for t, d in self.suggestions if not needle or needle in t.lower() or needle in d.lower()]
        rows = [[Text.assemble(visible(t), "  ", (visible(d), "dim"))] for t, d in shown]
        table.set_rows([t for t, _ in shown], rows)
        exact = [i for i, (t, _) in enumerate(shown) if t.lower() == needle]
        table.move_cursor(row=exact[0] if exact else 0)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._moved = False
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        typed = event.value.strip()
        key = self.query_one("#picker-list", RowTable).cursor_key
        if key is not None and not (typed and not self._moved and complete_target(typed)):
            self.dismiss(key)
        elif typed:
            self.dismiss(typed)

    def on_row_table_row_selected(self, event: RowTable.RowSelected) -> None:
        event.stop()
        self.dismiss(event.row_key)

    def action_move(self, delta: int) -> None:
        table = self.query_one("#picker-list", RowTable)
        if table.row_count:
            table.move_cursor(row=table.cursor_row + delta)
            self._moved = True

    def action_cancel(self) -> None:
        self.dismiss(None)
