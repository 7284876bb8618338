"""Hover in the network tree (pane 1) highlights the line under the pointer only.

Textual's Tree highlights every line of the hovered node's subtree: crossing a VPC's line repainted
the VPC's whole subtree on the way in and again on the way out (1.6-1.7 kB each over SSH at 120x36,
bench/ssh_bytes.py), and each motion inside it moved the highlight over many lines. Checked on the
tree's own rendered lines (a Pilot hover): one line changes, the hovered one, and it changes back
when the pointer leaves."""

from __future__ import annotations

from vpctui.loaders.scenario import ScenarioSource
from vpctui.tui.app import VpcTuiApp
from vpctui.tui.widgets.network import NetworkPane


def _lines(pane: NetworkPane) -> list[list]:
    return [list(pane.render_line(y)) for y in range(pane.size.height)]


def _changed(a: list[list], b: list[list]) -> list[int]:
    return [y for y, (p, q) in enumerate(zip(a, b)) if p != q]


async def test_hovering_a_vpc_line_highlights_that_line_only():
    app = VpcTuiApp(source=ScenarioSource(), theme="textual-dark")
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        pane = app.query_one(NetworkPane)
        await pilot.hover("#body", offset=(0, 0))  # off the tree first
        await pilot.pause()
        pane.focus()
        await pilot.pause()
        before = _lines(pane)
        vpc_y = 1  # the border is line 0 of the screen region; line 0 of the tree is the VPC
        await pilot.hover(NetworkPane, offset=(10, vpc_y))
        await pilot.pause()
        hovered = _lines(pane)
        assert pane.hover_line == 0, pane.hover_line
        assert _changed(before, hovered) == [0], "the VPC's line alone shows the hover"
        await pilot.hover(NetworkPane, offset=(10, vpc_y + 4))  # a line under another subnet
        await pilot.pause()
        moved = _lines(pane)
        assert _changed(hovered, moved) == [0, 4], "the highlight moves from one line to the other"
        await pilot.hover("#body", offset=(0, 0))
        await pilot.pause()
        assert _changed(before, _lines(pane)) == []
