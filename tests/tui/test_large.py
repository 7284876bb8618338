"""Pilot tests on a generated network of 2,000 functions: filters and the lazy tree give the right
rows. Behaviour only; how fast is bench/run.py's business."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from vpctui.loaders.scenario import ScenarioSource
from vpctui.model.network import Network
from vpctui.tui.app import VpcTuiApp
from vpctui.tui.widgets.filter_bar import FilterBar
from vpctui.tui.widgets.network import NetworkPane
from vpctui.tui.widgets.tables import FunctionsPane

ROOT = Path(__file__).resolve().parents[2]
N = 2000


@pytest.fixture(scope="module")
def large_file(tmp_path_factory) -> Path:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import generate  # bench/generate.py
    finally:
        sys.path.remove(str(ROOT / "bench"))
    path = tmp_path_factory.mktemp("large") / f"synthetic-{N}.yaml"
    path.write_text(generate.dump(generate.generate(N, 1)), encoding="utf-8")
    return path


@pytest.fixture
async def large(large_file):
    app = VpcTuiApp(source=ScenarioSource(str(large_file)), theme="textual-dark")
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        yield app, pilot


def expected_functions(net: Network, text: str) -> list[str]:
    """The functions pane's filter, written out: any of the row's fields holds the text."""
    needle = text.strip().lower()
    out = []
    for f in net.functions:
        labels = [getattr(net.get(s), "label", s) for s in f.subnet_ids]
        fields = [f.function_name, ", ".join(labels), " ".join(f.subnet_ids), " ".join(f.security_group_ids),
                  f.role, f.runtime]
        if any(needle in x.lower() for x in fields if x):
            out.append(f.function_name)
    return out


def shown(pane: FunctionsPane) -> list[str]:
    return pane.row_keys


async def test_filter_functions_of_a_large_network(large):
    app, pilot = large
    net = app.network
    assert net is not None and len(net.functions) == N
    fpane = app.query_one(FunctionsPane)
    assert shown(fpane) == [f.function_name for f in net.functions]

    await pilot.press("4", "slash", *"app0042", "enter")  # enter applies what was typed at once
    want = expected_functions(net, "app0042")
    assert 0 < len(want) < N
    assert shown(fpane) == want
    assert fpane.filter_text == "app0042" and app.focused is fpane

    # typing without enter: the rows follow once typing pauses
    await pilot.press("slash", "ctrl+u", *"ROLE-07")
    await pilot.pause(0.5)
    want = expected_functions(net, "role-07")
    assert 0 < len(want) < N
    assert shown(fpane) == want
    assert app.focused is app.query_one(FilterBar)

    # a subnet id matches the functions in that subnet; nothing matches nothing
    sid = net.functions[7].subnet_ids[0]
    await pilot.press("ctrl+u", *sid, "enter")
    assert shown(fpane) == expected_functions(net, sid)
    assert net.functions[7].function_name in shown(fpane)
    await pilot.press("slash", "ctrl+u", *"no-such-function", "enter")
    assert fpane.row_count == 0

    await pilot.press("escape")
    await pilot.pause()
    assert fpane.filter_text == "" and shown(fpane) == [f.function_name for f in net.functions]


async def test_escape_in_the_filter_line_drops_a_pending_filter(large):
    app, pilot = large
    fpane = app.query_one(FunctionsPane)
    await pilot.press("4", "slash", *"app0042", "escape")
    await pilot.pause(0.5)
    assert fpane.filter_text == "" and fpane.row_count == N


async def test_large_tree_opens_vpcs_on_demand(large):
    app, pilot = large
    net = app.network
    tree = app.query_one(NetworkPane)
    first, last = net.vpcs[0], net.vpcs[-1]
    in_last = net.subnets_of_vpc[last.vpc_id][0].subnet_id
    # every VPC is listed; the cursor's VPC is open
    vpc_nodes = [n for n in tree.root.children if n.data[0] == "vpc"]
    assert [n.data for n in vpc_nodes] == [("vpc", v.vpc_id) for v in net.vpcs]
    # the transit gateways come after the VPCs (a large one starts closed)
    assert [n.data for n in tree.root.children[len(vpc_nodes):]] == [("tgw", t.transit_gateway_id) for t in net.transit_gateways]
    assert tree.current == ("subnet", net.subnets_of_vpc[first.vpc_id][0].subnet_id)
    # going to a subnet of a closed VPC opens it and selects the subnet
    app.go_to(in_last)
    for _ in range(100):  # the cursor moves after the next refresh: a loaded machine can take a while
        await pilot.pause(0.05)
        if tree.current == ("subnet", in_last):
            break
    assert tree.current == ("subnet", in_last)
    assert tree._node_by_id[in_last].parent.data == ("vpc", last.vpc_id)
    # enter on a closed VPC opens it, with all its subnets
    closed = next(n for n in vpc_nodes if not n.is_expanded)
    tree.focus()
    tree.move_cursor(closed)
    await pilot.press("enter")
    await pilot.pause()
    assert closed.is_expanded
    vpc_id = closed.data[1]
    assert {c.data[1] for c in closed.children if c.data[0] == "subnet"} == {
        s.subnet_id for s in net.subnets_of_vpc[vpc_id]}
    # a filter finds subnets in any VPC
    await pilot.press("slash", *in_last, "enter")
    await pilot.pause()
    assert {k for k in tree._node_by_id if k.startswith("subnet-")} == {in_last}


async def test_large_matrix_and_trace_run_in_a_worker_and_the_keys_keep_working(large):
    """m on a large network starts the matrix in an exclusive thread worker: the view says it is
    computing, a key pressed meanwhile is handled, and the cells arrive with MatrixComputed."""
    from vpctui.engine.targets import default_targets
    from vpctui.tui.widgets.matrix import MatrixView

    app, pilot = large
    net = app.network
    await pilot.press("m")
    await pilot.pause()
    view = app.query_one(MatrixView)
    assert app.mode == "matrix"
    legend = str(view.query_one("#matrix-legend").render())
    computing = legend.startswith("computing the matrix") and view.table.loading
    done = bool(app.matrix_traces)
    assert computing or done  # (a fast machine may already be done)
    await pilot.press("question_mark")  # the keys keep working while it runs
    await pilot.pause()
    assert type(app.screen).__name__ == "HelpScreen"
    await pilot.press("escape")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert len(app.matrix_traces) == N * len(default_targets(net))
    assert not view.table.loading and view.table.row_count == N

    # the table has the keys once the cells arrive (it could not take the focus while loading)
    assert app.focused is view.table

    # every row is there at once, in the functions' order; a row's cells are built when it is
    # drawn, so only the rows on screen have been (row_table.py)
    table = view.table
    assert table.row_keys == [f.function_name for f in net.functions]
    assert 0 < table.rows_built <= table.size.height
    # the last row, once drawn, holds its function's cells
    table.focus()
    await pilot.press("G")
    await pilot.pause()
    last = net.functions[-1].function_name
    assert table.cursor_key == last and table.rows_built <= 2 * table.size.height
    from vpctui.render.glyphs import cell_text

    by_cell = {(t.source, t.target): t for t in app.matrix_traces}
    for c, col in enumerate(table.columns[1:], 1):
        assert table.get_cell_at((N - 1, c)).plain == cell_text(by_cell[(last, col.key)])

    # a trace on a large network runs in a worker too, and ends on screen
    fn = net.functions[3].function_name
    assert app.run_trace(fn, "s3")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert app.trace is not None and (app.trace.source, app.trace.target) == (fn, "s3")
    assert app.mode == "trace" and app.hop_index == 0


async def test_workers_do_not_write_the_network_out_on_the_event_loop(large, monkeypatch):
    """Textual names a worker after repr() of its arguments unless given a description: for the
    matrix and trace workers that was the whole network (seconds on the event loop for 5,000
    functions, before the worker even started)."""
    app, pilot = large
    net = app.network
    calls = []
    cls = type(net)
    monkeypatch.setattr(cls, "__repr__", lambda self: calls.append(1) or "Network(...)")
    await pilot.press("m")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert app.matrix_traces
    assert app.run_trace(net.functions[5].function_name, "s3")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert app.trace is not None
    assert calls == []
