"""RowTable (vpctui/tui/widgets/row_table.py): the table behind panes 2, 3, 4, the matrix and the
target picker. Behaviour through Pilot: what it draws, its keys, mouse, messages, and that a table
given a cell function builds only the rows it draws."""

from __future__ import annotations

import gc
import threading

from rich.text import Text
from textual.app import App, ComposeResult

from vpctui.tui.long_lived import built_to_last
from vpctui.tui.widgets.row_table import RowTable


class TableApp(App):
    def __init__(self, table: RowTable) -> None:
        super().__init__()
        self.table = table
        self.messages: list = []

    def compose(self) -> ComposeResult:
        yield self.table

    def on_row_table_row_highlighted(self, event: RowTable.RowHighlighted) -> None:
        self.messages.append(("highlighted", event.row_key))

    def on_row_table_row_selected(self, event: RowTable.RowSelected) -> None:
        self.messages.append(("selected", event.row_key))

    def on_row_table_cell_selected(self, event: RowTable.CellSelected) -> None:
        self.messages.append(("cell", event.row_key, event.column_key))


def screen_lines(table: RowTable) -> list[str]:
    return ["".join(seg.text for seg in table.render_line(y)).rstrip() for y in range(table.size.height)]


def fill(table: RowTable, n: int) -> None:
    table.add_column("Name", key="name")
    table.add_column("Size", key="size")
    table.set_rows([f"row-{i}" for i in range(n)], [[Text(f"row-{i}"), Text(str(i))] for i in range(n)])


async def test_draws_header_and_cells_as_text_never_markup():
    table = RowTable()
    app = TableApp(table)
    async with app.run_test(size=(60, 10)) as pilot:
        table.add_column("Name", key="name")
        table.add_column("Note", key="note")
        table.add_row("[b]web[/b]", "[@click=app.quit]x", key="a")
        table.add_row("a\nb", "ok", key="b")  # a row is one line: a newline in data does not break it
        await pilot.pause()
        lines = screen_lines(table)
        assert lines[0].split() == ["Name", "Note"]
        assert lines[1].split() == ["[b]web[/b]", "[@click=app.quit]x"]
        assert lines[2].split() == ["a", "b", "ok"]
        assert app.is_running  # the @click in data did nothing


async def test_keys_move_the_cursor_and_enter_selects():
    table = RowTable()
    app = TableApp(table)
    async with app.run_test(size=(40, 8)) as pilot:
        fill(table, 50)
        table.focus()
        await pilot.pause()
        await pilot.press("down", "down")
        assert table.cursor_key == "row-2" and ("highlighted", "row-2") in app.messages
        await pilot.press("enter")
        await pilot.pause()
        assert app.messages[-1] == ("selected", "row-2")
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_key == "row-49"
        # the last row is on screen: the screen's last line shows it
        assert screen_lines(table)[-1].split()[0] == "row-49"
        await pilot.press("home", "pagedown")
        await pilot.pause()
        rows_on_screen = table.size.height - 1
        assert table.cursor_row == rows_on_screen
        await pilot.press("up")
        assert table.cursor_row == rows_on_screen - 1


def matrix_like(table: RowTable) -> None:
    """A function column and six target columns, two rows: wider than a 30-column screen."""
    table.add_column("Function", key="fn")
    for i in range(6):
        table.add_column(f"target-{i}", key=f"t{i}")
    table.set_rows(["f1", "f2"], [[Text(f"λ {k}")] + [Text(f"ok-{k}-{i}") for i in range(6)] for k in ("f1", "f2")])
    table.focus()


async def test_a_cell_cursor_selects_a_cell_and_scrolls_to_its_column():
    table = RowTable(cursor_type="cell")
    app = TableApp(table)
    async with app.run_test(size=(30, 8)) as pilot:
        matrix_like(table)
        await pilot.pause()
        await pilot.press("right", "right", "right", "right", "down", "enter")
        await pilot.pause()
        assert app.messages[-1] == ("cell", "f2", "t3")
        assert table.scroll_offset.x > 0  # scrolled right to show the cursor's column
        assert "ok-f2-3" in screen_lines(table)[2]


async def test_a_fixed_first_column_stays_in_view_when_the_others_scroll():
    table = RowTable(cursor_type="cell", fixed_columns=1)
    app = TableApp(table)
    async with app.run_test(size=(30, 8)) as pilot:
        matrix_like(table)
        await pilot.pause()
        await pilot.press(*["right"] * 6, "down")
        await pilot.pause()
        lines = screen_lines(table)
        assert table.scroll_offset.x > 0 and table.cursor_coordinate == (1, 6)
        assert lines[0].startswith(" Function ") and lines[2].startswith(" λ f2 ")
        assert "ok-f2-5" in lines[2]  # the cursor's column is in view, after the fixed one
        # a click right of the fixed column finds the scrolled column under it
        await pilot.click(table, offset=(len(lines[2]) - 3, 1))
        assert table.cursor_coordinate == (0, 6)


async def test_a_cell_function_builds_only_the_rows_it_draws():
    built: list[str] = []

    def cells(key: str) -> list[Text]:
        built.append(key)
        return [Text(key), Text(str(len(key)))]

    table = RowTable()
    app = TableApp(table)
    async with app.run_test(size=(40, 12)) as pilot:
        table.add_column("Name", key="name")
        table.add_column("Len", key="len")
        keys = [f"fn-{i:05d}" for i in range(100_000)]
        table.set_rows(keys, cells, widths=[9, 1])
        await pilot.pause()
        assert table.row_count == 100_000
        assert 0 < len(built) <= table.size.height
        assert table.get_row_index("fn-99999") == 99_999
        table.focus()
        await pilot.press("end")
        await pilot.pause()
        assert "fn-99999" in built and len(built) <= 2 * table.size.height
        assert screen_lines(table)[-1].split() == ["fn-99999", "8"]


async def test_clicks_move_then_select_or_select_at_once():
    table = RowTable()
    app = TableApp(table)
    async with app.run_test(size=(40, 10)) as pilot:
        fill(table, 5)
        await pilot.pause()
        await pilot.click(table, offset=(2, 3))  # the header is line 0: line 3 is row 2
        assert table.cursor_key == "row-2" and ("selected", "row-2") not in app.messages
        await pilot.click(table, offset=(2, 3))
        assert app.messages[-1] == ("selected", "row-2")
        table.click_selects = True
        await pilot.click(table, offset=(2, 1))
        assert app.messages[-1] == ("selected", "row-0")


async def test_update_row_redraws_a_row_and_widens_its_column():
    table = RowTable()
    app = TableApp(table)
    async with app.run_test(size=(60, 8)) as pilot:
        fill(table, 3)
        await pilot.pause()
        assert table.update_row("row-1", ["row-1 with a longer name", "1"])
        assert not table.update_row("no-such-row", ["x", "y"])
        await pilot.pause()
        assert table.columns[0].content_width == len("row-1 with a longer name")
        assert screen_lines(table)[2].split()[:5] == ["row-1", "with", "a", "longer", "name"]


async def test_clear_and_filtering_shrink_the_columns_back():
    table = RowTable()
    app = TableApp(table)
    async with app.run_test(size=(60, 8)) as pilot:
        table.add_column("Name", key="name")
        table.set_rows(["a", "b"], [[Text("a-very-long-name")], [Text("b")]])
        assert table.columns[0].content_width == len("a-very-long-name")
        table.set_rows(["b"], [[Text("b")]])
        assert table.columns[0].content_width == len("Name")  # the label's width
        table.clear()
        await pilot.pause()
        assert table.row_count == 0 and table.cursor_key is None


def test_built_to_last_pauses_the_collector_until_the_last_builder_is_done():
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    inside = threading.Event()
    release = threading.Event()

    def other_builder():
        with built_to_last():  # a small build: it does not ask for a freeze
            inside.set()
            release.wait(10)

    t = threading.Thread(target=other_builder)
    t.start()
    inside.wait(10)
    try:
        assert not gc.isenabled()
        with built_to_last() as build:
            kept = [[i] for i in range(100_000)]  # tracked objects that outlive the build
            build.large = True
            assert not gc.isenabled()
        assert not gc.isenabled() and gc.get_freeze_count() == frozen  # the other builder is at work
    finally:
        release.set()
        t.join(10)
    assert gc.isenabled()
    assert gc.get_freeze_count() >= frozen + len(kept)  # out of the collector's way
    gc.unfreeze()
    gc.collect()
    # a small build is not frozen (a cycle frozen by mistake would never be collected)
    frozen = gc.get_freeze_count()
    with built_to_last():
        small = [[i] for i in range(100)]  # noqa: F841
    assert gc.isenabled() and gc.get_freeze_count() == frozen


async def test_the_cursor_stays_in_view_when_the_table_shrinks():
    """A resize while the cursor is far down (a terminal made smaller, 120x36 to 80x24): the rows
    shown follow the cursor rather than leaving it below the bottom edge."""
    table = RowTable()
    app = TableApp(table)
    async with app.run_test(size=(60, 30)) as pilot:
        fill(table, 100)
        table.focus()
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == 99
        await pilot.resize_terminal(60, 12)
        await pilot.pause()
        await pilot.pause()
        top, shown = table.scroll_offset.y, table.scrollable_content_region.height - table.header_height
        assert top <= table.cursor_row < top + shown
        assert any(line.startswith(" row-99") for line in screen_lines(table))
