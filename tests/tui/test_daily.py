"""A daily tool (issue 11): keys people already know, small terminals, reports to share, the
scenario file watched. Pilot: behaviour asserted on app and widget state."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.command import CommandPalette

from vpctui.loaders.scenario import ScenarioSource
from vpctui.tui.app import VpcTuiApp
from vpctui.tui.screens.load_error import LoadErrorScreen
from vpctui.tui.screens.picker import TargetPickerScreen
from vpctui.tui.screens.yaml_view import TextScreen
from vpctui.tui.widgets.matrix import MatrixTable
from vpctui.tui.widgets.network import NetworkPane
from vpctui.tui.widgets.tables import EndpointsPane, FunctionsPane
from vpctui.tui.widgets.trace_view import HopRow

ROOT = Path(__file__).resolve().parents[2]
S3 = "s3://vpc-notes-bucket/hello.txt"
SPREAD = ROOT / "scenarios" / "function-spread-nat-and-isolated.yaml"


async def run(app, size=(120, 36)):
    ctx = app.run_test(size=size)
    pilot = await ctx.__aenter__()
    await app.workers.wait_for_complete()
    await pilot.pause()
    return ctx, pilot


@pytest.fixture
async def demo():
    app = VpcTuiApp(source=ScenarioSource(), theme="textual-dark", watch=False)
    ctx, pilot = await run(app)
    yield app, pilot
    await ctx.__aexit__(None, None, None)


async def test_ctrl_p_opens_the_palette(demo):
    app, pilot = demo
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(app.screen, CommandPalette)


async def test_steps_numbered_along_the_path_d_jumps_to_the_drop(demo):
    app, pilot = demo
    app.run_trace("lambda-3-isolated", S3)
    await pilot.pause()
    rows = app.query(HopRow).results(HopRow)
    assert [r.step for r in rows][:3] == [1, 2, 3]
    await pilot.press("d")
    await pilot.pause()
    hop = app.hops()[app.hop_index]
    assert hop.result == "drop" and hop.component_id == "rtb-0iso"


async def test_d_lands_on_the_drop_not_on_a_pass_after_it():
    app = VpcTuiApp(source=ScenarioSource(str(ROOT / "scenarios" / "endpoint-policy-deny.yaml")), watch=False)
    ctx, pilot = await run(app)
    try:
        app.run_trace("config-loader", "ssm:/prod/db-url")
        await pilot.pause()
        await pilot.press("G")
        await pilot.press("d")
        await pilot.pause()
        assert app.hops()[app.hop_index].result == "drop"
    finally:
        await ctx.__aexit__(None, None, None)


async def test_n_and_N_move_between_paths():
    app = VpcTuiApp(source=ScenarioSource(str(SPREAD)), watch=False)
    ctx, pilot = await run(app)
    try:
        fn = app.network.functions[0].function_name
        tr_target = app.network.targets[0] if app.network.targets else "s3"
        app.run_trace(fn, tr_target)
        await pilot.pause()
        assert len(app.trace.paths) >= 2
        starts = app.path_starts()
        await pilot.press("n")
        assert app.hop_index == starts[1] and app.current_path() == 1
        await pilot.press("N")
        assert app.hop_index == starts[0] and app.current_path() == 0
    finally:
        await ctx.__aexit__(None, None, None)


async def test_hjkl_move_in_the_matrix(demo):
    app, pilot = demo
    await pilot.press("m")
    await pilot.pause()
    table = app.query_one(MatrixTable)
    start = table.cursor_coordinate
    await pilot.press("l")
    assert table.cursor_coordinate.column == start.column + 1 and app.mode == "matrix"
    await pilot.press("h")
    assert table.cursor_coordinate == start
    await pilot.press("j")
    assert table.cursor_coordinate.row == start.row + 1
    await pilot.press("k")
    assert table.cursor_coordinate == start and app.trace is None


async def test_to_targets_add_target_and_where_columns_came_from():
    app = VpcTuiApp(source=ScenarioSource(), targets=("https://example.com",), watch=False)
    ctx, pilot = await run(app)
    try:
        await pilot.press("m")
        await pilot.pause()
        cols = dict(app.matrix_columns())
        assert cols["https://example.com"] == "--to" and cols[S3] == "the scenario's targets: list"
        assert "https://example.com" in {t.target for t in app.matrix_traces}
        await pilot.press("plus")
        await pilot.pause()
        assert isinstance(app.screen, TargetPickerScreen)
        await pilot.press(*"sts", "enter")
        await pilot.pause()
        await pilot.pause()
        assert dict(app.matrix_columns())["sts"] == "added with +"
        assert "sts" in {t.target for t in app.matrix_traces}
        assert "sts ← added with +" in str(app.query_one("#matrix-columns").render())
    finally:
        await ctx.__aexit__(None, None, None)


async def test_R_does_not_bring_back_a_closed_trace(demo):
    app, pilot = demo
    app.run_trace("lambda-3-isolated", S3)
    await pilot.pause()
    await pilot.press("escape")
    await pilot.pause()
    assert app.mode == "explore"
    await pilot.press("R")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert app.mode == "explore" and app.trace is None


async def test_R_keeps_a_trace_in_view(demo):
    app, pilot = demo
    app.run_trace("lambda-3-isolated", S3)
    await pilot.pause()
    await pilot.press("R")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert app.mode == "trace" and app.trace is not None and app.trace.source == "lambda-3-isolated"


async def test_a_failed_first_load_shows_the_error_once_and_esc_quits(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("vpcs: [\n")
    app = VpcTuiApp(source=ScenarioSource(str(bad)), watch=False)
    ctx, pilot = await run(app, size=(80, 24))
    try:
        assert isinstance(app.screen, LoadErrorScreen)
        assert not app._notifications  # no toast repeating the dialog
        # the footer offers only what works: retry, back/quit, quit, help
        active = {b.binding.action for b in app.screen.active_bindings.values() if b.enabled}
        assert "app.reload" in active and "app.quit" in active
        assert not app.check_action("trace", ()) and not app.check_action("matrix", ())
        await pilot.press("escape")
        await pilot.pause()
        assert app.return_code == 1
    finally:
        await ctx.__aexit__(None, None, None)


async def test_t_in_endpoints_says_why_and_an_empty_filter_says_why(demo):
    app, pilot = demo
    await pilot.press("3", "t")
    await pilot.pause()
    assert isinstance(app.screen, TargetPickerScreen)
    assert any("t traces from a Lambda function" in n.message for n in app._notifications)
    await pilot.press("escape", "4", "slash", *"zzz", "enter")
    await pilot.pause()
    fp = app.query_one(FunctionsPane)
    assert fp.border_title == "4 Functions · 0 of 4" and "no match" in str(fp.border_subtitle)
    await pilot.press("escape")
    await pilot.pause()
    assert fp.border_title == "4 Functions · 4" and not fp.border_subtitle


async def test_copy_says_what_was_sent_and_how_to_enable_it(demo):
    app, pilot = demo
    await pilot.press("c")
    await pilot.pause()
    note = app._notifications.last if hasattr(app._notifications, "last") else list(app._notifications)[-1]
    cid = app.query_one("DetailsPane").component_id
    assert cid and cid in note.message and "OSC 52" in note.message and "set-clipboard on" in note.message
    assert "copied" not in note.message.split("\n")[0]


@pytest.mark.parametrize("size, stacked, one_pane", [((120, 36), False, False), ((80, 24), False, False),
                                                     ((75, 30), True, False), ((60, 20), True, True),
                                                     ((40, 12), True, True)])
async def test_small_terminals(size, stacked, one_pane):
    app = VpcTuiApp(source=ScenarioSource(), watch=False)
    ctx, pilot = await run(app, size=size)
    try:
        assert app.query_one("#body").has_class("-stacked") == stacked
        assert (app._zoom is not None) == one_pane
        assert not app.query_one("#too-small").display
        net = app.query_one(NetworkPane)
        assert net.region.height >= 3 and net.region.width >= 30  # the focused pane has room
        if one_pane:  # the focus moves: the zoomed pane follows it
            await pilot.press("3")
            await pilot.pause()
            assert app.query_one(EndpointsPane).region.height >= 3 and not app.query_one("#left").display
    finally:
        await ctx.__aexit__(None, None, None)


async def test_too_small_and_zoom():
    app = VpcTuiApp(source=ScenarioSource(), watch=False)
    ctx, pilot = await run(app, size=(30, 10))
    try:
        assert app.query_one("#too-small").display
        assert "terminal too small" in str(app.query_one("#too-small").render())
    finally:
        await ctx.__aexit__(None, None, None)
    app = VpcTuiApp(source=ScenarioSource(), watch=False)
    ctx, pilot = await run(app)
    try:
        await pilot.press("4", "z")
        await pilot.pause()
        assert app._zoom is not None and not app.query_one(NetworkPane).display
        assert not app.query_one("#right").display
        await pilot.press("z")
        await pilot.pause()
        assert app._zoom is None and app.query_one(NetworkPane).display and app.query_one("#right").display
    finally:
        await ctx.__aexit__(None, None, None)


async def test_s_saves_the_trace_as_markdown(demo, tmp_path, monkeypatch):
    app, pilot = demo
    monkeypatch.chdir(tmp_path)
    app.run_trace("lambda-3-isolated", S3)
    await pilot.pause()
    await pilot.press("s")
    await pilot.pause()
    saved = Path(app.last_saved)
    assert saved.parent == tmp_path and saved.suffix == ".md"
    text = saved.read_text()
    assert text.startswith("## vpctui: lambda-3-isolated → s3://vpc-notes-bucket/hello.txt")
    assert "NO_ROUTE_TO_DESTINATION" in text and "| 1 | H0 lambda-eni |" in text


async def test_the_scenario_file_is_watched_and_the_trace_kept(tmp_path):
    f = tmp_path / "net.yaml"
    shutil.copy(ROOT / "scenarios" / "lambda-vpc.yaml", f)
    app = VpcTuiApp(source=ScenarioSource(str(f)))
    ctx, pilot = await run(app)
    try:
        app.run_trace("lambda-3-isolated", S3)
        await pilot.pause()
        assert app.trace.verdict == "blocked"
        text = f.read_text()
        # the isolated subnet gets the S3 gateway endpoint's route table: the verdict changes
        f.write_text(text + "\n")
        import os
        st = os.stat(f)
        os.utime(f, (st.st_atime, st.st_mtime + 5))
        app._check_file()  # the 1 s poll, now (no wall-clock wait in a test)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert getattr(app, "file_reloads", 0) == 1
        assert app.trace is not None and app.trace.source == "lambda-3-isolated" and app.mode == "trace"
        assert any("changed on disk: reloaded" in n.message for n in app._notifications)
    finally:
        await ctx.__aexit__(None, None, None)


async def test_unknown_parts_are_named(demo):
    from dataclasses import replace

    from vpctui.model.network import Unknown
    from vpctui.tui.messages import ScenarioLoaded

    app, pilot = demo
    net = replace(app.network, unknowns=(Unknown("network_acls", "ec2:DescribeNetworkAcls: AccessDenied",
                                                 "ec2:DescribeNetworkAcls"),))
    app.post_message(ScenarioLoaded(net))
    await pilot.pause()
    assert "? unknown: " in app.sub_title and net.unknown_parts[0].title in app.sub_title
    await pilot.press("exclamation_mark")
    await pilot.pause()
    assert isinstance(app.screen, TextScreen) and "AccessDenied" in app.screen.text


async def test_an_access_denied_message_is_shown_once():
    app = VpcTuiApp(source=ScenarioSource(str(ROOT / "scenarios" / "endpoint-policy-deny.yaml")), watch=False)
    ctx, pilot = await run(app)
    try:
        app.run_trace("config-loader", "ssm:/prod/db-url")
        await pilot.pause()
        view = app.trace_view()
        from textual.widgets import Static

        statics = [s for w in view._widgets for s in ([w] if isinstance(w, Static) else w.query(Static).results(Static))]
        text = view._head_text + "\n".join(str(s.render()) for s in statics)
        assert "the function sees" in text
        assert text.count("is not authorized to perform") == 1
    finally:
        await ctx.__aexit__(None, None, None)


async def test_keys_in_a_burst_after_a_pane_number_go_to_that_pane(demo):
    """A terminal delivers `4jjt` at once (a fast typist, a paste, tmux send-keys): the keys after
    `4` must move in pane 4 and `t` trace the function under its cursor, as if typed slowly."""
    from textual import events

    app, pilot = demo
    for ch in "4jjt":  # queued together, before any of them is handled: no pause in between
        app.post_message(events.Key(ch, ch))
    await pilot.pause()
    await pilot.pause()
    assert isinstance(app.screen, TargetPickerScreen)
    assert app.query_one(FunctionsPane).function_name == "lambda-3-isolated"
    assert app.screen.function_name == "lambda-3-isolated"


async def test_a_filter_typed_in_a_burst_after_slash_goes_to_the_filter_line(demo):
    """`/lambda-2` delivered at once (a fast typist, a paste, tmux send-keys): the letters after
    `/` are the filter, as if typed slowly; before, they reached the pane (`a` applied a fix, `2`
    focused pane 2) and the filter line opened empty. Both the first `/` (the line is mounted
    then) and a later one."""
    from textual import events

    from vpctui.tui.widgets.filter_bar import FilterBar

    app, pilot = demo
    for round_ in range(2):
        keys = [("4", "4"), ("slash", "/")] + [(ch, ch) for ch in "lambda-2"]
        for key, ch in keys:  # queued together, before any of them is handled
            app.post_message(events.Key(key, ch))
        await pilot.pause()
        await pilot.pause()
        bar = app.query_one(FilterBar)
        assert app.focused is bar, round_
        assert bar.value == "lambda-2", round_
        fpane = app.query_one(FunctionsPane)
        assert fpane.filter_text == "lambda-2"
        assert fpane.row_keys == ["lambda-2-nat"]
        await pilot.press("escape")
        await pilot.pause()
        assert fpane.filter_text == "" and app.focused is fpane


async def test_a_wrapped_reason_why_and_fix_hang_under_their_value():
    """At 80 columns the Why of a drop wraps: its lines continue under the value, not under the
    label (a hanging indent), as the hop details do."""
    app = VpcTuiApp(source=ScenarioSource(str(ROOT / "scenarios" / "lambda-vpc-bucket-policy.yaml")),
                    theme="textual-dark", watch=False)
    ctx, pilot = await run(app, size=(80, 24))
    try:
        app.run_trace("lambda-2-nat", S3)
        await pilot.pause()
        labels = {str(w.render()).strip(): w for w in app.query(".result-label").results()}
        assert {"Reason", "Why", "Fix"} <= set(labels)
        why = labels["Why"].parent.query_one(".result-value")
        fix = labels["Fix"].parent.query_one(".result-value")
        assert why.region.height > 1  # it wraps at 80 columns
        assert why.region.x == fix.region.x > labels["Why"].region.x
    finally:
        await ctx.__aexit__(None, None, None)


async def test_a_long_hop_line_hangs_under_the_hop_not_under_the_marker():
    """An H9 hop names a long ARN: at 80 columns its line wraps, and the rest continues under
    the hop's category, not at the pane's left edge."""
    app = VpcTuiApp(source=ScenarioSource(str(ROOT / "scenarios" / "lambda-vpc-bucket-policy.yaml")),
                    theme="textual-dark", watch=False)
    ctx, pilot = await run(app, size=(80, 24))
    try:
        app.run_trace("lambda-2-nat", S3)
        await pilot.pause()
        row = next(r for r in app.query(HopRow).results(HopRow) if r.hop.hop == "H9" and r.hop.result == "drop")
        lines = [line.plain for line in row.lines(row.content_region.width)]
        head = lines[0]
        hang = head.index("H9")  # where the hop's category starts, after the marker and result
        # the ARN wraps at 80 columns: the hop's line continues under its category
        assert len(lines) > 2, lines
        assert lines[1][:hang].strip() == "" and lines[1][hang:].strip(), lines
        assert "arn:aws:s3:::vpc-notes-bucket" in "".join(ln.strip() for ln in lines[:3])
        assert row.region.height == len(lines)  # laid out at the height it wraps to
    finally:
        await ctx.__aexit__(None, None, None)


async def test_a_tree_line_too_long_for_the_pane_ends_with_an_ellipsis():
    """At 80x24 the network pane is ~40 columns: a subnet's line that does not fit is cut with
    "…", so the user can tell that there is more (Details shows it all)."""
    app = VpcTuiApp(source=ScenarioSource(), theme="textual-dark", watch=False)
    ctx, pilot = await run(app, size=(80, 24))
    try:
        pane = app.query_one(NetworkPane)
        lines = ["".join(seg.text for seg in pane.render_line(y)).rstrip() for y in range(pane.size.height)]
        long = [ln for ln in lines if "rtb-0pub · acl-0open" in ln]
        assert long and long[0].endswith("…"), lines
        assert all(len(ln) <= pane.size.width for ln in lines)
    finally:
        await ctx.__aexit__(None, None, None)


async def test_muted_hints_render_muted_not_brighter_than_text():
    """Textual drops the alpha of `$text-muted` in content markup: `[$text-muted]…[/]` drew hints
    in full white, brighter than the text around them. Hints are dim now (the picker's forms)."""
    app = VpcTuiApp(theme="textual-dark", watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("4", "t")
        await pilot.pause()
        forms = app.screen.query_one("#picker-forms")
        segs = [s for s in forms.render_line(0) if s.text.strip()]
        assert segs and all(s.style.dim or (s.style.color and sum(s.style.color.get_truecolor()) < 3 * 200)
                            for s in segs), [(s.text, s.style) for s in segs]
