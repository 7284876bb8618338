"""Pilot: what-if keys — a applies the trace's fix (before → after), A picks a fix, e edits the
selected component, u / U undo and redo, C shows the CLI commands and the snippet, w writes the
edited network (asking before overwriting), and the matrix marks the cells a change affected."""

from __future__ import annotations

import dataclasses

import pytest

from vpctui.engine import trace
from vpctui.loaders.scenario import ScenarioSource, load_scenario
from vpctui.tui.app import VpcTuiApp
from vpctui.tui.screens.whatif import ChangesScreen, EditScreen, FixPickerScreen, WriteScreen
from vpctui.tui.screens.picker import TargetPickerScreen
from vpctui.tui.widgets.details import DetailsPane
from vpctui.tui.widgets.tables import FunctionsPane

S3 = "s3://vpc-notes-bucket/hello.txt"
SIZE = (120, 36)


async def started(app: VpcTuiApp, size=SIZE):
    ctx = app.run_test(size=size)
    pilot = await ctx.__aenter__()
    await app.workers.wait_for_complete()
    await pilot.pause()
    return ctx, pilot


async def trace_via_picker(pilot, function: str, typed: str) -> None:
    await pilot.press("4")
    pilot.app.query_one(FunctionsPane).move_to_key(function)
    await pilot.pause()
    await pilot.press("t")
    await pilot.pause()
    assert isinstance(pilot.app.screen, TargetPickerScreen)
    await pilot.press(*typed)
    await pilot.press("enter")
    await pilot.pause()


@pytest.fixture
async def demo():
    app = VpcTuiApp(source=ScenarioSource(), theme="textual-dark")
    ctx, pilot = await started(app)
    yield app, pilot
    await ctx.__aexit__(None, None, None)


async def test_a_applies_the_fix_and_shows_before_after(demo):
    app, pilot = demo
    base = app.network
    await trace_via_picker(pilot, "lambda-3-isolated", "s3://vpc-notes-bucket/hello.txt")
    assert app.trace.verdict == "blocked"
    await pilot.press("a")
    await pilot.pause()
    assert app.trace.verdict == "reachable"
    assert app.network is not base and app.changes.base is base
    assert [e.describe() for e in app.changes.edits] == ["associate the gateway endpoint vpce-0s3gw with route table rtb-0iso"]
    before, label = app.compare
    assert before.verdict == "blocked" and "vpce-0s3gw" in label
    # the hop that changed is selected: H4 at rtb-0iso, now a pass
    hop = app.hops()[app.hop_index]
    assert (hop.hop, hop.component_id, hop.result) == ("H4", "rtb-0iso", "pass")
    head = app.trace_view()._head_text
    assert "before → after" in head and "changed hop" in head
    # the matrix marks the cell that changed (and only it)
    assert set(app.matrix_marks) == {("lambda-3-isolated", S3)}
    assert app.check_action("apply_fix", ()) is None  # reachable now: a is greyed out
    # undo and redo
    await pilot.press("u")
    await pilot.pause()
    assert app.network is base and app.trace.verdict == "blocked"
    await pilot.press("U")
    await pilot.pause()
    assert app.trace.verdict == "reachable" and len(app.changes.done) == 1


async def test_A_picks_among_the_fixes(demo):
    app, pilot = demo
    await trace_via_picker(pilot, "lambda-3-isolated", "s3://vpc-notes-bucket/hello.txt")
    await pilot.press("A")
    await pilot.pause()
    assert isinstance(app.screen, FixPickerScreen)
    await pilot.press("down", "enter")  # the second fix: 0.0.0.0/0 → the NAT gateway
    await pilot.pause()
    assert app.trace.verdict == "reachable"
    assert [e.kind for e in app.changes.edits] == ["add-route"]


async def test_matrix_marks_broken_cells(demo):
    app, pilot = demo
    await pilot.press("m")
    await pilot.pause()
    assert app.matrix_traces
    app.query_one(DetailsPane).show("rtb-0nat")
    await pilot.pause()
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(app.screen, EditScreen)
    ops = [o.label for o in app.screen.operations]
    await pilot.press(*["down"] * ops.index("remove a route"), "enter")
    await pilot.pause()
    await pilot.press("enter")  # destination 0.0.0.0/0 (the default)
    await pilot.pause()
    assert not isinstance(app.screen, EditScreen)
    assert [e.kind for e in app.changes.edits] == ["remove-route"]
    marks = app.matrix_marks
    assert (("lambda-2-nat", S3) in marks) and marks[("lambda-2-nat", S3)].verdict == "reachable"
    cell = next(t for t in app.matrix_traces if (t.source, t.target) == ("lambda-2-nat", S3))
    assert cell.verdict == "blocked"
    assert app.matrix_traces == [trace(app.network, t.source, t.target) for t in app.matrix_traces]


async def test_matrix_columns_fit_the_cells_a_change_marked(demo):
    """A marked cell ("Δ ✗ denied → ✗ timeout") is wider than the plain cells and than a short
    column label ("s3"): the table draws its rows lazily, but the column still fits it."""
    from vpctui.engine import matrix
    from vpctui.tui.widgets.matrix import MatrixTable

    app, pilot = demo
    await pilot.press("m")
    await pilot.pause()
    net = app.network
    before = {(t.source, t.target): t for t in matrix(net, ["s3"])}
    # lambda-2-nat's cell as if a change had broken it (lambda-3-isolated's blocked trace)
    broken = dataclasses.replace(trace(net, "lambda-3-isolated", "s3"), source="lambda-2-nat")
    after = [broken if (f, t) == ("lambda-2-nat", "s3") else tr for (f, t), tr in before.items()]
    table = app.query_one(MatrixTable)
    table.show(net, after, {("lambda-2-nat", "s3"): before[("lambda-2-nat", "s3")]})
    await pilot.pause()
    cell = table.get_cell_at((table.get_row_index("lambda-2-nat"), 1)).plain
    assert cell.startswith("Δ ") and "→" in cell  # before → now
    assert table.columns[1].content_width == len(cell)
    for r in range(table.row_count):
        for c, column in enumerate(table.columns):
            assert table.get_cell_at((r, c)).cell_len <= column.content_width


async def test_e_form_shows_errors_in_place(demo):
    app, pilot = demo
    app.query_one(DetailsPane).show("sg-0endpoint")
    await pilot.pause()
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(app.screen, EditScreen)
    await pilot.press("enter")  # allow a rule
    await pilot.pause()
    inputs = list(app.screen.query("Input"))
    inputs[2].value = "seventy"  # ports
    inputs[3].value = "sg-0lambda"
    inputs[3].focus()
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, EditScreen)
    assert "ports" in str(app.screen.query_one("#edit-error").render())
    inputs[2].value = "443"
    inputs[0].value = "ingress"
    inputs[3].focus()
    await pilot.press("enter")
    await pilot.pause()
    assert not isinstance(app.screen, EditScreen)
    assert app.changes.edits[0].describe() == "allow ingress TCP 443 from sg-0lambda in sg-0endpoint"


async def test_e_vpc_dns_attribute_breaks_ssm(demo):
    app, pilot = demo
    await trace_via_picker(pilot, "lambda-3-isolated", "ssm:/vpc-notes/parameter")
    assert app.trace.verdict == "reachable"
    app.query_one(DetailsPane).show("vpc-0a5e1d")
    await pilot.pause()
    await pilot.press("e")
    await pilot.pause()
    labels = [o.label for o in app.screen.operations]
    await pilot.press(*["down"] * labels.index("set enableDnsHostnames=false"), "enter")
    await pilot.pause()
    assert app.trace.verdict == "blocked"
    assert app.compare[0].verdict == "reachable"


async def test_C_shows_cli_and_snippet_and_w_writes(demo, tmp_path, monkeypatch):
    app, pilot = demo
    monkeypatch.chdir(tmp_path)
    await trace_via_picker(pilot, "lambda-3-isolated", "s3://vpc-notes-bucket/hello.txt")
    await pilot.press("a")
    await pilot.pause()
    await pilot.press("C")
    await pilot.pause()
    assert isinstance(app.screen, ChangesScreen)
    assert "aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-0s3gw --add-route-table-ids rtb-0iso" in app.screen.text
    assert "route_table_ids: \\[rtb-0vpce, rtb-0iso]" in app.screen.text  # the scenario fragment (escaped)
    await pilot.press("escape")
    await pilot.pause()
    await pilot.press("w")
    await pilot.pause()
    assert isinstance(app.screen, WriteScreen)
    await pilot.press("enter")
    await pilot.pause()
    out = tmp_path / "lambda-vpc-edited.yaml"
    assert out.exists()
    written = load_scenario(out)
    assert trace(written, "lambda-3-isolated", S3).verdict == "reachable"
    # writing again asks before overwriting
    out.write_text("# keep me\n")
    await pilot.press("w")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, WriteScreen) and out.read_text() == "# keep me\n"
    await pilot.press("enter")
    await pilot.pause()
    assert not isinstance(app.screen, WriteScreen)
    assert trace(load_scenario(out), "lambda-3-isolated", S3).verdict == "reachable"


async def test_a_on_a_reachable_trace_is_greyed(demo):
    app, pilot = demo
    await trace_via_picker(pilot, "lambda-2-nat", "s3://vpc-notes-bucket/hello.txt")
    assert app.check_action("apply_fix", ()) is None
    await pilot.press("a")
    await pilot.pause()
    assert app.changes is not None and not app.changes.done


async def test_q_with_unsaved_changes_asks_first(demo, tmp_path, monkeypatch):
    """q after what-if changes that were not written asks (w writes, q quits anyway, esc stays);
    after w, or with nothing changed, q quits at once."""
    from vpctui.tui.screens.whatif import QuitScreen

    app, pilot = demo
    monkeypatch.chdir(tmp_path)
    await trace_via_picker(pilot, "lambda-3-isolated", S3)
    await pilot.press("a")
    await pilot.pause()
    await pilot.press("q")
    await pilot.pause()
    assert isinstance(app.screen, QuitScreen) and app.return_code is None
    assert "1 what-if change not written" in app.screen.text
    await pilot.press("escape")  # stay
    await pilot.pause()
    assert not isinstance(app.screen, QuitScreen) and app.return_code is None
    assert len(app.changes.done) == 1
    await pilot.press("q")
    await pilot.pause()
    await pilot.press("w")  # write first: the write dialog, then nothing unsaved
    await pilot.pause()
    assert isinstance(app.screen, WriteScreen)
    await pilot.press("enter")
    await pilot.pause()
    assert (tmp_path / "lambda-vpc-edited.yaml").exists()
    assert not app.unsaved_changes()
    await pilot.press("q")
    await pilot.pause()
    assert app.return_code == 0


async def test_q_anyway_quits_without_writing(demo, tmp_path, monkeypatch):
    from vpctui.tui.screens.whatif import QuitScreen

    app, pilot = demo
    monkeypatch.chdir(tmp_path)
    await trace_via_picker(pilot, "lambda-3-isolated", S3)
    await pilot.press("a")
    await pilot.pause()
    await pilot.press("q")
    await pilot.pause()
    assert isinstance(app.screen, QuitScreen)
    await pilot.press("q")
    await pilot.pause()
    assert app.return_code == 0 and not list(tmp_path.iterdir())
