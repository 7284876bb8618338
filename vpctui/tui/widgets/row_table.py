"""RowTable: a table that draws only the rows on screen.

Textual's DataTable does work per row when rows are added (a reactive update, a row object, the
offsets of every row recomputed on the next render): 5,000 functions cost 0.3 s on the event loop
each time the list was filled or a filter cleared, and the matrix had to be added in batches. Here
rows are a list of keys; a row's cells are given with it, or built by a function when the row is
first drawn (the matrix), so filling a table costs a list and drawing it costs the rows on screen.

It looks like a DataTable (the same theme variables, one space either side of a cell, a header
fixed at the top) and offers what the panes used of it: columns with an auto or fixed width, a row
or cell cursor shown while focused, keys (arrows, page up/down, home/end, enter), mouse clicks, and
RowHighlighted / RowSelected / CellSelected messages carrying the row's key. Cells are Rich ``Text``
(or ``str``, taken as plain text, never markup): data is text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Literal, Optional, Sequence

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

Cell = Text
CellsOf = Callable[[str], Sequence[Text]]


@dataclass
class Column:
    key: str
    label: Text
    width: Optional[int] = None  # fixed; None: as wide as its widest cell (content_width)
    label_width: int = 0
    content_width: int = 0  # the label's or the widest cell's width

    @property
    def render_width(self) -> int:
        return (self.width if self.width is not None else self.content_width) + 2  # a space either side


def as_cell(value: object) -> Text:
    """A cell as Text: a str is plain text (never markup); one line (a row is one line high)."""
    text = value if isinstance(value, Text) else Text(str(value))
    if "\n" in text.plain:
        text = Text(" ").join(text.split("\n", allow_blank=True))
    return text


class RowTable(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    RowTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        &:focus {
            background-tint: $foreground 5%;
            & > .rowtable--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .rowtable--header {
                background-tint: $foreground 5%;
            }
        }
        & > .rowtable--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .rowtable--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .rowtable--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """
    COMPONENT_CLASSES = {"rowtable--header", "rowtable--cursor"}
    BINDINGS = [
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("right", "cursor_right", "Right", show=False),
        Binding("left", "cursor_left", "Left", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,ctrl+home", "first", "First", show=False),
        Binding("end,ctrl+end", "last", "Last", show=False),
    ]

    class _TableMessage(Message):
        def __init__(self, table: "RowTable", row_key: str, row: int) -> None:
            super().__init__()
            self.table = table
            self.row_key = row_key
            self.row = row

        @property
        def control(self) -> "RowTable":
            return self.table

    class RowHighlighted(_TableMessage):
        """The cursor moved to another row."""

    class RowSelected(_TableMessage):
        """Enter (or a click on the cursor's row) on a row-cursor table."""

    class CellSelected(_TableMessage):
        """Enter (or a click on the cursor's cell) on a cell-cursor table."""

        def __init__(self, table: "RowTable", row_key: str, row: int, column_key: str) -> None:
            super().__init__(table, row_key, row)
            self.column_key = column_key

    def __init__(self, *, cursor_type: Literal["row", "cell"] = "row", show_cursor: bool = True,
                 header_height: int = 1, click_selects: bool = False, cursor_fills_row: bool = False,
                 fixed_columns: int = 0, **kw) -> None:
        """``click_selects``: a click selects the row at once (a list to pick from), rather than
        moving the cursor first; ``cursor_fills_row``: the cursor runs to the widget's edge;
        ``fixed_columns``: the first columns stay in view when the others scroll sideways (the
        matrix's function names)."""
        super().__init__(**kw)
        self.fixed_columns = fixed_columns
        self.click_selects = click_selects
        self.cursor_fills_row = cursor_fills_row
        self.cursor_type = cursor_type
        self._show_cursor = show_cursor
        self._header_height = header_height
        self.columns: list[Column] = []
        self._rt_keys: list[str] = []
        self._rt_cells: list[Sequence[Text]] | None = []  # given with the rows, or None: built by _cells_of
        self._rt_cells_of: Optional[CellsOf] = None
        self._rt_built: dict[int, Sequence[Text]] = {}  # rows built by _cells_of so far
        self._rt_index: Optional[dict[str, int]] = None  # key -> row, built when first asked
        self.cursor_row = 0
        self.cursor_column = 0

    # ---- content -------------------------------------------------------------------------------

    def add_column(self, label: object, *, key: str, width: Optional[int] = None) -> None:
        text = as_cell(label) if not isinstance(label, Text) else label
        label_width = max((line.cell_len for line in text.split("\n", allow_blank=True)), default=0)
        self.columns.append(Column(key, text, width, label_width, label_width))
        self._changed()

    def clear(self, columns: bool = False) -> None:
        """No rows (and no columns with ``columns``); the cursor goes back to the top."""
        self._rt_keys, self._rt_cells, self._rt_cells_of, self._rt_built, self._rt_index = [], [], None, {}, None
        if columns:
            self.columns = []
        for col in self.columns:
            col.content_width = col.label_width
        self.cursor_row = 0
        self._changed()

    def add_row(self, *cells: object, key: str) -> None:
        """One row at the bottom (for small tables; ``set_rows`` fills a large one at once)."""
        if self._rt_cells is None:
            raise ValueError("add_row after set_rows with a cell function")
        row = [as_cell(c) for c in cells]
        for col, cell in zip(self.columns, row):
            if cell.cell_len > col.content_width:
                col.content_width = cell.cell_len
        self._rt_keys.append(key)
        self._rt_cells.append(row)
        if self._rt_index is not None:
            self._rt_index[key] = len(self._rt_keys) - 1
        self._changed()

    def set_rows(self, keys: list[str], cells: Sequence[Sequence[Text]] | CellsOf,
                 widths: Optional[Sequence[int]] = None) -> None:
        """All the rows at once: ``cells`` a list of rows (Text cells) or a function building a
        row's cells from its key when the row is first drawn. ``widths``: the widest cell of each
        column, when the caller knows them (without it the given cells are measured; a function's
        rows cannot be, so the columns keep their labels' widths)."""
        self._rt_keys = list(keys)
        self._rt_index = None
        self._rt_built = {}
        if callable(cells):
            self._rt_cells, self._rt_cells_of = None, cells
        else:
            self._rt_cells, self._rt_cells_of = list(cells), None
            if widths is None:
                widths = iter_widths(self._rt_cells, len(self.columns))
        for col, w in zip(self.columns, widths or ()):
            col.content_width = max(col.label_width, w)
        self.cursor_row = min(self.cursor_row, max(0, len(self._rt_keys) - 1))
        self._changed()

    def update_row(self, key: str, cells: Sequence[object]) -> bool:
        """New cells for the row of ``key`` (False: no such row); a cell wider than its column
        widens it."""
        try:
            row = self.get_row_index(key)
        except KeyError:
            return False
        new = [as_cell(c) for c in cells]
        if self._rt_cells is not None:
            self._rt_cells[row] = new
        else:
            self._rt_built[row] = new
        wider = False
        for col, cell in zip(self.columns, new):
            if col.width is None and cell.cell_len > col.content_width:
                col.content_width, wider = cell.cell_len, True
        if wider:
            self._changed()
        else:
            self._refresh_row(row)
        return True

    @property
    def row_count(self) -> int:
        return len(self._rt_keys)

    @property
    def row_keys(self) -> list[str]:
        return list(self._rt_keys)

    @property
    def rows_built(self) -> int:
        """How many rows' cells a cell function has built so far (given rows: all of them)."""
        return len(self._rt_built) if self._rt_cells is None else len(self._rt_cells)

    @property
    def header_height(self) -> int:
        return self._header_height

    @header_height.setter
    def header_height(self, value: int) -> None:
        if value != self._header_height:
            self._header_height = value
            self._changed()

    def row_cells(self, row: int) -> Sequence[Text]:
        if self._rt_cells is not None:
            return self._rt_cells[row]
        cells = self._rt_built.get(row)
        if cells is None:
            assert self._rt_cells_of is not None
            cells = self._rt_built[row] = [as_cell(c) for c in self._rt_cells_of(self._rt_keys[row])]
        return cells

    def get_cell_at(self, coordinate: tuple[int, int]) -> Text:
        row, column = coordinate
        return self.row_cells(row)[column]

    def get_row_index(self, key: str) -> int:
        """The row of ``key``; KeyError if it is not shown."""
        if self._rt_index is None:
            self._rt_index = {k: i for i, k in enumerate(self._rt_keys)}
        return self._rt_index[key]

    def column_key(self, column: int) -> Optional[str]:
        return self.columns[column].key if 0 <= column < len(self.columns) else None

    @property
    def cursor_key(self) -> Optional[str]:
        return self._rt_keys[self.cursor_row] if 0 <= self.cursor_row < len(self._rt_keys) else None

    @property
    def cursor_coordinate(self) -> Coordinate:
        return Coordinate(self.cursor_row, self.cursor_column)

    @cursor_coordinate.setter
    def cursor_coordinate(self, value: tuple[int, int]) -> None:
        self.move_cursor(row=value[0], column=value[1])

    @property
    def show_cursor(self) -> bool:
        return self._show_cursor

    @show_cursor.setter
    def show_cursor(self, value: bool) -> None:
        if value != self._show_cursor:
            self._show_cursor = value
            self._refresh_row(self.cursor_row)

    def _changed(self) -> None:
        width = sum(c.render_width for c in self.columns)
        size = Size(width, self._header_height + len(self._rt_keys))
        if size != self.virtual_size:
            self.virtual_size = size
            self.refresh(layout=True)
        self.refresh()

    # ---- cursor --------------------------------------------------------------------------------

    def move_cursor(self, *, row: Optional[int] = None, column: Optional[int] = None, scroll: bool = True,
                    animate: bool = False) -> None:
        old_row = self.cursor_row
        if row is not None:
            self.cursor_row = max(0, min(row, len(self._rt_keys) - 1)) if self._rt_keys else 0
        if column is not None:
            self.cursor_column = max(0, min(column, len(self.columns) - 1)) if self.columns else 0
        if self.cursor_row != old_row or column is not None:
            self._refresh_row(old_row)
            self._refresh_row(self.cursor_row)
        if scroll:
            self.scroll_to_cursor()
        if self.cursor_row != old_row and self._rt_keys:
            self.post_message(self.RowHighlighted(self, self._rt_keys[self.cursor_row], self.cursor_row))

    def _rows_on_screen(self) -> int:
        return max(1, self.scrollable_content_region.height - self._header_height)

    def scroll_to_cursor(self) -> None:
        if not self.size.height:  # not laid out yet: once it is
            self.call_after_refresh(self.scroll_to_cursor)
            return
        y, x = self.scroll_offset.y, self.scroll_offset.x
        on_screen = self._rows_on_screen()
        if self.cursor_row < y:
            y = self.cursor_row
        elif self.cursor_row >= y + on_screen:
            y = self.cursor_row - on_screen + 1
        fixed = self.fixed_columns
        if self.cursor_type == "cell" and self.columns and self.cursor_column >= fixed:
            # in the scrolled part: x counts from the end of the fixed columns
            left = sum(c.render_width for c in self.columns[fixed:self.cursor_column])
            right = left + self.columns[self.cursor_column].render_width
            width = max(1, self.scrollable_content_region.width - self._fixed_width())
            if left < x:
                x = left
            elif right > x + width:
                x = right - width
        if (x, y) != (self.scroll_offset.x, self.scroll_offset.y):
            self.scroll_to(x=x, y=y, animate=False, immediate=True)

    def _on_resize(self, event: events.Resize) -> None:
        # a smaller table (a terminal made smaller, a pane's neighbour grown) keeps the cursor's
        # row in view rather than leaving it below the bottom edge
        if self._show_cursor and self._rt_keys:
            self.call_after_refresh(self.scroll_to_cursor)

    def _refresh_row(self, row: int) -> None:
        y = row - self.scroll_offset.y + self._header_height
        if self._header_height <= y < self.size.height:
            self.refresh_line(y)

    def action_cursor_down(self) -> None:
        self.move_cursor(row=self.cursor_row + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(row=self.cursor_row - 1)

    def action_cursor_right(self) -> None:
        if self.cursor_type == "cell":
            self.move_cursor(column=self.cursor_column + 1)
        else:
            self.scroll_right(animate=False)

    def action_cursor_left(self) -> None:
        if self.cursor_type == "cell":
            self.move_cursor(column=self.cursor_column - 1)
        else:
            self.scroll_left(animate=False)

    def action_page_down(self) -> None:
        page = self._rows_on_screen()
        self.scroll_to(y=self.scroll_offset.y + page, animate=False, immediate=True)
        self.move_cursor(row=self.cursor_row + page)

    def action_page_up(self) -> None:
        page = self._rows_on_screen()
        self.scroll_to(y=max(0, self.scroll_offset.y - page), animate=False, immediate=True)
        self.move_cursor(row=self.cursor_row - page)

    def action_first(self) -> None:
        self.move_cursor(row=0)

    def action_last(self) -> None:
        self.move_cursor(row=len(self._rt_keys) - 1)

    def action_select_cursor(self) -> None:
        key = self.cursor_key
        if key is None:
            return
        if self.cursor_type == "cell":
            column = self.column_key(self.cursor_column)
            if column is not None:
                self.post_message(self.CellSelected(self, key, self.cursor_row, column))
        else:
            self.post_message(self.RowSelected(self, key, self.cursor_row))

    def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < self._header_height:
            return
        row = self.scroll_offset.y + offset.y - self._header_height
        if row >= len(self._rt_keys):
            return
        fixed_width = self._fixed_width()
        if offset.x < fixed_width:
            x, first = offset.x, 0
        else:
            x, first = self.scroll_offset.x + offset.x - fixed_width, self.fixed_columns
        column = max(0, len(self.columns) - 1)
        for i, col in enumerate(self.columns[first:], first):
            if x < col.render_width:
                column = i
                break
            x -= col.render_width
        event.stop()
        same = row == self.cursor_row and (self.cursor_type == "row" or column == self.cursor_column)
        self.move_cursor(row=row, column=column if self.cursor_type == "cell" else None)
        if same or self.click_selects:
            self.action_select_cursor()

    # ---- drawing -------------------------------------------------------------------------------

    def _cell_segments(self, cell: Text, width: int, console) -> list[Segment]:
        text = cell
        if cell.cell_len > width:
            text = cell.copy()
            text.truncate(width, overflow="ellipsis")
        pad = width - text.cell_len
        segments = [Segment(" ")]
        rendered = (s for s in text.render(console) if s.text != "\n")
        if text.style:  # Text.render leaves the text's own style to its caller
            rendered = Segment.apply_style(rendered, console.get_style(text.style))
        segments.extend(rendered)
        segments.append(Segment(" " * (pad + 1)))
        return segments

    def _line(self, cells: Sequence[Text], base: Style, cursor_style: Optional[Style],
              cursor_cell: Optional[int]) -> list[Segment]:
        console = self.app.console
        out: list[Segment] = []
        for i, col in enumerate(self.columns):
            cell = cells[i] if i < len(cells) else Text("")
            segs = self._cell_segments(cell, col.width if col.width is not None else col.content_width, console)
            if cursor_style is not None and (cursor_cell is None or cursor_cell == i):
                # the cursor's colours over the cell's, as DataTable's default cursor priority
                out.extend(Segment.apply_style(segs, base, cursor_style))
            else:
                out.extend(Segment.apply_style(segs, base))
        return out

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        scroll_x, scroll_y = self.scroll_offset
        base = self.rich_style
        if y < self._header_height:
            header = self.get_component_rich_style("rowtable--header")
            labels = []
            for col in self.columns:
                lines = col.label.split("\n", allow_blank=True)
                labels.append(lines[y] if y < len(lines) else Text(""))
            fill = base + header  # the header's background runs to the pane's edge
            segments = self._line(labels, fill, None, None)
        else:
            fill = base
            row = scroll_y + y - self._header_height
            if row >= len(self._rt_keys):
                return Strip.blank(width, base)
            cursor = None
            if self._show_cursor and row == self.cursor_row:
                cursor = self.get_component_rich_style("rowtable--cursor")
            segments = self._line(self.row_cells(row), base, cursor,
                                  self.cursor_column if self.cursor_type == "cell" else None)
            if cursor is not None and self.cursor_fills_row:
                fill = base + cursor
        strip = Strip(segments)
        fixed = min(self._fixed_width(), width)
        if not fixed:
            return strip.crop_extend(scroll_x, scroll_x + width, fill)
        # the fixed columns, then the rest scrolled sideways
        return Strip.join([strip.crop_extend(0, fixed, fill),
                           strip.crop_extend(fixed + scroll_x, scroll_x + width, fill)])

    def _fixed_width(self) -> int:
        return sum(c.render_width for c in self.columns[:self.fixed_columns])

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()


def iter_widths(rows: Iterable[Sequence[Text]], columns: int) -> list[int]:
    """The widest cell of each of ``columns`` columns."""
    widths = [0] * columns
    for row in rows:
        for i, cell in enumerate(row[:columns]):
            if cell.cell_len > widths[i]:
                widths[i] = cell.cell_len
    return widths
