"""What-if screens: pick a fix (A), edit a component (e), review the changes (C), write a file (w)."""

from __future__ import annotations

import os
from typing import Optional

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...engine.edits import EditError, Fix
from ...model.network import Network
from ..edit_forms import Operation, build
from ..format import esc


class FixPickerScreen(ModalScreen[Optional[int]]):
    """The fixes of the trace's drops; dismisses with the index of the one to apply."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=True)]

    def __init__(self, title: str, fixes: list[tuple[str, Fix]]) -> None:
        super().__init__()
        self.title_text = title
        self.fixes = fixes

    def compose(self) -> ComposeResult:
        with Vertical(id="whatif-box") as box:
            box.border_title = f"Fixes · {esc(self.title_text)}"
            box.border_subtitle = "enter: apply · esc: cancel"
            opts = []
            for i, (where, fx) in enumerate(self.fixes):
                if fx.edits:
                    text = f"{esc(fx.text)}\n  [dim]{esc(where)} · " + esc("; ".join(e.describe() for e in fx.edits)) + "[/]"
                else:
                    text = f"[dim]{esc(fx.text)}\n  {esc(where)} · text only: {esc(fx.why_text_only)}[/]"
                opts.append(Option(text, id=str(i), disabled=not fx.edits))
            yield OptionList(*opts, id="fix-list")

    def on_mount(self) -> None:
        ol = self.query_one(OptionList)
        ol.focus()
        first = next((i for i, (_, fx) in enumerate(self.fixes) if fx.edits), None)
        if first is not None:
            ol.highlighted = first

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(int(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)


class EditScreen(ModalScreen[object]):
    """`e`: pick an operation on the component, fill its fields, enter applies (dismisses the Edit)."""

    BINDINGS = [Binding("escape", "back", "Back", show=True)]

    def __init__(self, title: str, operations: list[Operation], network: Network) -> None:
        super().__init__()
        self.title_text = title
        self.operations = operations
        self.network = network
        self.op: Optional[Operation] = None

    def compose(self) -> ComposeResult:
        with Vertical(id="whatif-box") as box:
            box.border_title = f"Edit · {esc(self.title_text)}"
            box.border_subtitle = "enter: choose / apply · esc: back"
            yield OptionList(*[Option(esc(op.label), id=str(i)) for i, op in enumerate(self.operations)], id="edit-ops")
            yield Vertical(id="edit-fields")
            yield Static("", id="edit-error")

    def on_mount(self) -> None:
        self.query_one("#edit-ops", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        op = self.operations[int(event.option.id)]
        if not op.fields:
            self._submit(op, {})
            return
        self.op = op
        box = self.query_one("#edit-fields", Vertical)
        box.remove_children()
        widgets = []
        for f in op.fields:
            widgets.append(Static(f"[b]{esc(f.name)}[/] [dim]{esc(f.hint)}[/]", classes="edit-label"))
            widgets.append(Input(value=f.default, placeholder=f.hint[:60], name=f.name, classes="edit-input"))
        box.mount_all(widgets)
        self.query_one("#edit-ops", OptionList).display = False
        self.call_after_refresh(lambda: box.query(Input).first().focus())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = list(self.query_one("#edit-fields").query(Input))
        i = inputs.index(event.input) if event.input in inputs else -1
        if 0 <= i < len(inputs) - 1:
            inputs[i + 1].focus()
            return
        if self.op is not None:
            self._submit(self.op, {x.name: x.value for x in inputs})

    def _submit(self, op: Operation, values: dict) -> None:
        try:
            edit = build(op, values, self.network)
        except (EditError, ValueError) as e:
            self.query_one("#edit-error", Static).update(f"[$error]✗ {esc(str(e))}[/]")
            return
        self.dismiss(edit)

    def action_back(self) -> None:
        if self.op is not None:
            self.op = None
            self.query_one("#edit-fields", Vertical).remove_children()
            self.query_one("#edit-error", Static).update("")
            ol = self.query_one("#edit-ops", OptionList)
            ol.display = True
            ol.focus()
            return
        self.dismiss(None)


class ChangesScreen(ModalScreen[None]):
    """C: the change list, and the same changes as AWS CLI commands and a snippet, to review."""

    BINDINGS = [
        Binding("escape,q,C", "dismiss", "Close", show=True),
        Binding("c", "copy", "Copy commands", show=True),
        Binding("j,down", "scroll(1)", show=False),
        Binding("k,up", "scroll(-1)", show=False),
    ]

    def __init__(self, text: str, commands: str) -> None:
        super().__init__()
        self.text = text
        self.commands = commands

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="yaml-box") as box:
            box.border_title = "Changes · printed for review, never run"
            box.border_subtitle = "c copies the commands · esc closes · u undo · U redo (outside)"
            yield Static(self.text, id="changes-text")

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.commands)
        self.notify("AWS CLI commands copied (OSC 52)")

    def action_scroll(self, delta: int) -> None:
        self.query_one("#yaml-box", VerticalScroll).scroll_relative(y=delta, animate=False)


class WriteScreen(ModalScreen[Optional[str]]):
    """w: the file to write the edited network to; an existing file needs a second yes."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=True)]

    def __init__(self, default: str) -> None:
        super().__init__()
        self.default = default
        self.confirm: Optional[str] = None

    def compose(self) -> ComposeResult:
        with Vertical(id="whatif-box") as box:
            box.border_title = "Write the edited network as a scenario file"
            box.border_subtitle = "enter: write · esc: cancel"
            yield Input(value=self.default, id="write-path")
            yield Static("", id="write-note")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        path = event.value.strip()
        if not path:
            return
        if self.confirm == path:
            self.dismiss(path)
            return
        if os.path.exists(path):
            self.confirm = path
            self.query_one("#write-note", Static).update(
                f"[$warning]{esc(path)} exists: enter again to overwrite it, esc to cancel[/]")
            return
        self.dismiss(path)

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.confirm is not None and event.value.strip() != self.confirm:
            self.confirm = None
            self.query_one("#write-note", Static).update("")

    def action_cancel(self) -> None:
        self.dismiss(None)


class QuitScreen(ModalScreen[Optional[str]]):
    """q with what-if changes not written yet: w writes them first, q quits anyway, esc stays."""

    BINDINGS = [
        Binding("w", "choose('write')", "Write first", show=True),
        Binding("q", "choose('quit')", "Quit anyway", show=True),
        Binding("escape", "choose('stay')", "Stay", show=True),
    ]

    def __init__(self, count: int) -> None:
        super().__init__()
        self.text = (f"{count} what-if change{'s' if count != 1 else ''} not written to a file: "
                     "quitting drops {them}.".replace("{them}", "them" if count != 1 else "it"))

    def compose(self) -> ComposeResult:
        with Vertical(id="whatif-box") as box:
            box.border_title = "Quit?"
            box.border_subtitle = "w: write first · q: quit anyway · esc: stay"
            yield Static(esc(self.text), id="quit-text")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
