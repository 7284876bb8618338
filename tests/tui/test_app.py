"""Pilot tests: behaviour asserted on app and widget state, never on rendered text alone."""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.command import CommandPalette
from textual.widgets import Static

from vpctui.loaders import load_source
from vpctui.loaders.scenario import ScenarioSource
from vpctui.model.network import LambdaFunction
from vpctui.tui.app import VpcTuiApp
from vpctui.tui.messages import ScenarioLoaded
from vpctui.tui.screens.help import HelpScreen
from vpctui.tui.screens.load_error import LoadErrorScreen
from vpctui.tui.screens.picker import TargetPickerScreen
from vpctui.tui.screens.yaml_view import YamlScreen
from vpctui.tui.widgets.details import DetailsPane
from vpctui.tui.widgets.filter_bar import FilterBar
from vpctui.tui.widgets.footer import KeyFooter
from vpctui.tui.widgets.matrix import MatrixTable
from vpctui.tui.widgets.network import NetworkPane
from vpctui.tui.widgets.tables import EndpointsPane, FunctionsPane, RoutesPane
from vpctui.tui.widgets.trace_view import TraceView

S3 = "s3://vpc-notes-bucket/hello.txt"
SSM = "ssm:/vpc-notes/parameter"
SIZE = (120, 36)


async def started(app: VpcTuiApp, size=SIZE):
    """Enter run_test and wait for the loading worker."""
    ctx = app.run_test(size=size)
    pilot = await ctx.__aenter__()
    await app.workers.wait_for_complete()
    await pilot.pause()
    return ctx, pilot


@pytest.fixture
async def demo():
    app = VpcTuiApp(source=ScenarioSource(), theme="textual-dark")
    ctx, pilot = await started(app)
    yield app, pilot
    await ctx.__aexit__(None, None, None)


async def pick_function(pilot, name: str) -> None:
    app = pilot.app
    await pilot.press("4")
    fpane = app.query_one(FunctionsPane)
    fpane.move_to_key(name)
    await pilot.pause()


async def trace_via_picker(pilot, function: str, typed: str) -> None:
    await pick_function(pilot, function)
    await pilot.press("t")
    await pilot.pause()
    assert isinstance(pilot.app.screen, TargetPickerScreen)
    await pilot.press(*typed)
    await pilot.press("enter")
    await pilot.pause()


async def step_to(pilot, hop: str) -> None:
    """Press space until the selected hop is `hop` (H0..H10)."""
    app = pilot.app
    for _ in range(20):
        if app.hops()[app.hop_index].hop == hop:
            return
        await pilot.press("space")
    raise AssertionError(f"never reached {hop}")


# ---- loading and the panes ------------------------------------------------------------------------


async def test_demo_loads_and_labels_subnets(demo):
    app, pilot = demo
    assert app.network is not None and len(app.network.subnets) == 4
    tree = app.query_one(NetworkPane)
    labels = {}
    for sid in ("subnet-01a", "subnet-02b", "subnet-03c", "subnet-04d"):
        node = tree._node_by_id[sid]
        labels[sid] = " ".join(str(c.label) for c in node.children)
        assert "us-east-1" in labels[sid]  # AZ shown
        assert node.parent.data == ("vpc", "vpc-0a5e1d")
    assert "public — no internet for Lambda" in labels["subnet-01a"]
    assert "private via NAT" in labels["subnet-02b"]
    assert "isolated" in labels["subnet-03c"]
    assert "has endpoints: s3, ssm" in labels["subnet-04d"]
    assert "10.0.1.0/24" in str(tree._node_by_id["subnet-01a"].label)
    assert app.query_one(FunctionsPane).row_count == 4
    assert app.query_one(EndpointsPane).row_count == 2
    assert app.focused is tree


async def test_focus_keys_and_selection_follow(demo):
    app, pilot = demo
    for key, cls in (("4", FunctionsPane), ("2", RoutesPane), ("3", EndpointsPane), ("5", DetailsPane),
                     ("1", NetworkPane)):
        await pilot.press(key)
        assert isinstance(app.focused, cls), key
    # moving in the tree selects the subnet: Details and the route table follow
    assert app.query_one(NetworkPane).current == ("subnet", "subnet-01a")
    await pilot.press("j", "j", "j")  # (1), its kind, its AZ/route table line -> (2)
    await pilot.pause()
    assert app.query_one(DetailsPane).component_id == "subnet-02b"
    assert app.query_one(RoutesPane).route_table.route_table_id == "rtb-0nat"
    # no trace yet: 6 does nothing but say so
    await pilot.press("6")
    assert isinstance(app.focused, NetworkPane)
    await pilot.press("7")
    assert app.mode == "matrix" and isinstance(app.focused, MatrixTable)
    await pilot.press("tab")
    assert app.focused is not None


async def test_filter_and_escape(demo):
    app, pilot = demo
    tree = app.query_one(NetworkPane)
    await pilot.press("1", "slash")
    bar = app.query_one(FilterBar)
    assert app.focused is bar and bar.display
    await pilot.press(*"isolated")
    await pilot.pause()
    shown = {k for k in tree._node_by_id if k.startswith("subnet-")}
    assert shown == {"subnet-03c", "subnet-04d"}
    assert tree.filter_text == "isolated"
    await pilot.press("enter")
    assert app.focused is tree and not bar.display
    # a CIDR filters too
    await pilot.press("slash", *"ctrl+u".split(), *"10.0.1.")
    await pilot.pause()
    assert {k for k in tree._node_by_id if k.startswith("subnet-")} == {"subnet-01a"}
    await pilot.press("escape")
    await pilot.pause()
    assert tree.filter_text == ""
    assert len([k for k in tree._node_by_id if k.startswith("subnet-")]) == 4
    assert app.focused is tree


async def test_filter_functions_pane(demo):
    app, pilot = demo
    await pilot.press("4", "slash", *"nat")
    await pilot.pause()
    assert app.query_one(FunctionsPane).row_count == 1
    await pilot.press("escape")
    assert app.query_one(FunctionsPane).row_count == 4


async def test_q_in_filter_does_not_quit_but_q_quits(demo):
    app, pilot = demo
    await pilot.press("slash", "q")
    await pilot.pause()
    assert app.return_code is None
    assert app.query_one(FilterBar).value == "q"
    await pilot.press("escape")
    assert app.query_one(FilterBar).value == ""
    await pilot.press("q")
    await pilot.pause()
    assert app.return_code == 0


async def test_q_in_target_picker_does_not_quit(demo):
    app, pilot = demo
    await pilot.press("t")
    await pilot.pause()
    assert isinstance(app.screen, TargetPickerScreen)
    await pilot.press("q", "l", "h", "space")
    await pilot.pause()
    assert app.return_code is None
    assert app.screen.query_one("#picker-input").value == "qlh "
    await pilot.press("escape")
    assert app.trace is None and not isinstance(app.screen, TargetPickerScreen)


# ---- trace: picking, stepping, cross-highlighting -------------------------------------------------


async def test_trace_isolated_to_s3_steps_and_highlights(demo):
    app, pilot = demo
    assert app.check_action("next_hop", ()) is None  # greyed out without a trace
    await trace_via_picker(pilot, "lambda-3-isolated", "hello")
    tr = app.trace
    assert tr is not None and (tr.source, tr.target) == ("lambda-3-isolated", S3)
    assert app.mode == "trace" and isinstance(app.focused, TraceView)
    assert app.check_action("next_hop", ()) is True
    routes, details, tree = app.query_one(RoutesPane), app.query_one(DetailsPane), app.query_one(NetworkPane)
    # H0: the function's subnet
    assert app.hop_index == 0 and app.highlight.kind == "subnet"
    assert tree.marked_id == "subnet-03c"
    await step_to(pilot, "H2")
    assert (details.component_id, details.marked_key) == ("sg-0lambda", "egress:0")
    assert app.query_one(TraceView).selected == app.hop_index
    await step_to(pilot, "H3")
    assert (details.component_id, details.marked_key) == ("acl-0open", "egress:100")
    await step_to(pilot, "H4")
    assert routes.route_table.route_table_id == "rtb-0iso"
    assert routes.marked_key == "*"  # no route matched: the drop
    assert tr.paths[0].drop.reason == "NO_ROUTE_TO_DESTINATION"
    assert app.hops()[app.hop_index].result == "drop"
    # back one hop: the route mark goes away
    await pilot.press("h")
    assert app.hops()[app.hop_index].hop == "H3" and routes.marked_key is None
    # no further than the last hop
    for _ in range(5):
        await pilot.press("l")
    assert app.hop_index == len(app.hops()) - 1


async def test_public_subnet_route_and_gateway_follow_with_clicker_keys(demo):
    app, pilot = demo
    await trace_via_picker(pilot, "lambda-1-public", "hello")
    routes, details = app.query_one(RoutesPane), app.query_one(DetailsPane)
    for _ in range(4):
        await pilot.press("pagedown")
    assert app.hops()[app.hop_index].hop == "H4"
    assert routes.route_table.route_table_id == "rtb-0pub" and routes.marked_key == "0.0.0.0/0"
    await pilot.press("pagedown")
    hop = app.hops()[app.hop_index]
    assert (hop.hop, hop.result, hop.component_id) == ("H5", "drop", "igw-0e1f")
    assert details.component_id == "igw-0e1f"
    assert routes.marked_key == "0.0.0.0/0"  # the route that led here stays marked
    assert app.trace.drop.reason == "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"
    await pilot.press("pageup", "pageup", "pageup")
    assert app.hops()[app.hop_index].hop == "H2"
    assert routes.marked_key is None


async def test_endpoint_highlight(demo):
    app, pilot = demo
    await trace_via_picker(pilot, "lambda-4-endpoints", "param")
    endpoints = app.query_one(EndpointsPane)
    await step_to(pilot, "H5")
    assert app.highlight.kind == "endpoint" and endpoints.marked_id == "vpce-0ssm"
    await step_to(pilot, "H7")
    details = app.query_one(DetailsPane)
    assert (details.component_id, details.marked_key) == ("sg-0endpoint", "ingress:0")
    assert endpoints.marked_id is None


async def test_free_text_bad_target_is_a_notification(demo):
    app, pilot = demo
    await trace_via_picker(pilot, "lambda-2-nat", "zz-nope")
    assert app.trace is None
    assert any("not a target" in n.message for n in app._notifications)
    assert app.return_code is None


async def test_intermittent_shows_which_subnets_work(demo):
    app, pilot = demo
    net = app.network
    mixed = LambdaFunction("lambda-5-mixed", role="notes-lambda-role", subnet_ids=("subnet-02b", "subnet-03c"),
                           security_group_ids=("sg-0lambda",))
    app.post_message(ScenarioLoaded(replace(net, functions=net.functions + (mixed,))))
    await pilot.pause()
    assert app.run_trace("lambda-5-mixed", S3)
    await pilot.pause()
    assert app.trace.verdict == "intermittent"
    view = app.query_one(TraceView)
    summary = str(view.query_one(".trace-summary").render())
    assert "~ intermittent: 1 of 2 subnets work" in summary
    assert "(2) private-nat" in summary and "(3) isolated" in summary
    # stepping crosses into the second path: its subnet and route table follow
    await pilot.press("G")
    assert app.query_one(NetworkPane).marked_id == "subnet-03c"
    assert app.query_one(RoutesPane).route_table.route_table_id == "rtb-0iso"


# ---- matrix ---------------------------------------------------------------------------------------


async def test_matrix_cells_and_enter_opens_trace(demo):
    app, pilot = demo
    await pilot.press("m")
    await pilot.pause()
    table = app.query_one(MatrixTable)
    assert app.mode == "matrix" and app.focused is table
    assert table.row_count == 4
    cells = {(r, c): str(table.get_cell_at((r, c))) for r in range(4) for c in (1, 2)}
    assert cells[(0, 1)] == "✗ timeout"  # lambda-1-public -> S3
    assert cells[(1, 1)] == "✓ ok"  # lambda-2-nat -> S3 via NAT
    assert cells[(2, 1)] == "✗ timeout"
    assert cells[(3, 1)] == "✓ ok"
    assert all(cells[(r, 2)] == "✓ ok" for r in range(4))  # SSM: vpctui's correction of the post for (1)
    await pilot.press("j", "j", "enter")  # lambda-3-isolated -> S3
    await pilot.pause()
    assert (app.trace.source, app.trace.target) == ("lambda-3-isolated", S3)
    assert app.mode == "trace"
    await pilot.press("escape")
    assert app.mode == "explore"


# ---- errors, resources, help, palette, demo -------------------------------------------------------


async def test_bad_file_shows_error_screen(tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("vpcs:\n  - vpc_id: vpc-1\n    cidr_block: [10.0.0.0/16\n  subnets: {\n")
    app = VpcTuiApp(source=ScenarioSource(str(bad)), theme="textual-dark")
    ctx, pilot = await started(app)
    try:
        assert isinstance(app.screen, LoadErrorScreen)
        assert app.load_errors and all("\n" not in e for e in app.load_errors)
        assert "broken.yaml" in " ".join(app.load_errors)
        assert app.network is None and app.return_code is None
        await pilot.press("t", "m", "space")  # nothing to do, nothing crashes
        await pilot.pause()
        assert app.return_code is None
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 1  # quitting after a failed load is an error for the shell
    finally:
        await ctx.__aexit__(None, None, None)


async def test_missing_file_is_an_error_not_a_traceback(tmp_path):
    app = VpcTuiApp(source=ScenarioSource(str(tmp_path / "nope.yaml")), theme="textual-dark")
    ctx, pilot = await started(app)
    try:
        assert isinstance(app.screen, LoadErrorScreen) and app.load_errors
    finally:
        await ctx.__aexit__(None, None, None)


async def test_yaml_copy_help_palette_reload(demo):
    app, pilot = demo
    details = app.query_one(DetailsPane)
    assert details.component_id == "subnet-01a"
    await pilot.press("y")
    await pilot.pause()
    assert isinstance(app.screen, YamlScreen) and "subnet-01a" in app.screen.text
    await pilot.press("escape", "c")
    assert app.clipboard == "subnet-01a"
    await pilot.press("question_mark")
    await pilot.pause()
    assert isinstance(app.screen, HelpScreen)
    assert "1 Network" in app.screen.text and "space l pgdn" in app.screen.text
    await pilot.press("escape", "colon")
    await pilot.pause()
    assert isinstance(app.screen, CommandPalette)
    await pilot.press("escape")
    await pilot.pause()
    old = app.network
    await pilot.press("R")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert app.network is not None and app.network is not old


async def test_demo_mode_clicker_walks_the_matrix():
    app = VpcTuiApp(source=ScenarioSource(), demo=True, theme="textual-dark")
    ctx, pilot = await started(app)
    try:
        quiet = app.query_one("#quiet-footer", Static)
        assert str(quiet.render()) == "space/→/PgDn next hop · ←/PgUp back · t trace · m matrix · ? help"
        assert not app.query(KeyFooter)  # presentation mode: the quiet line instead of the key bar
        assert app.check_action("next_hop", ()) is True
        await pilot.press("pagedown")  # no trace yet: the first pair of the matrix
        assert (app.trace.source, app.trace.target) == ("lambda-1-public", S3)
        n = len(app.hops())
        for _ in range(n):
            await pilot.press("right")
        assert (app.trace.source, app.trace.target) == ("lambda-1-public", SSM)
        await pilot.press("left")
        assert (app.trace.source, app.trace.target) == ("lambda-1-public", S3)
        assert app.hop_index == n - 1
    finally:
        await ctx.__aexit__(None, None, None)


def test_load_source_matches_demo():
    # the TUI's demo is the seed scenario
    assert len(load_source(ScenarioSource()).functions) == 4


async def test_key_footer_shows_the_screen_keys_and_greys_out_the_ones_off():
    """The own key bar (public API only): one entry per action, hop keys off without a trace, and a
    click on a key presses it."""
    app = VpcTuiApp(source=ScenarioSource(), theme="textual-dark")
    ctx, pilot = await started(app)
    try:
        footer = app.query_one(KeyFooter)
        entries = {e.display: e.enabled for e in footer.entries()}
        assert entries == {"?": True, "/": True, "t": True, "space": False, "m": True, "y": True, "q": True}
        x = next(start for start, _end, e in footer._spans if e.display == "m")
        await pilot.click(KeyFooter, offset=(x + 1, 0))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.mode == "matrix"
    finally:
        await ctx.__aexit__(None, None, None)


async def test_picker_enter_takes_a_typed_complete_target_over_a_longer_suggestion(demo):
    """`s3://vpc-notes-bucket` typed in full is a target of its own (ListBucket), though the
    list's first match is `s3://vpc-notes-bucket/hello.txt`: enter traces what was typed. A
    partial word ("hello") still takes the highlighted suggestion, and arrows pick one."""
    app, pilot = demo
    await trace_via_picker(pilot, "lambda-2-nat", "s3://vpc-notes-bucket/hel")
    assert app.trace.target == "s3://vpc-notes-bucket/hel"  # a key of its own: typed in full
    await trace_via_picker(pilot, "lambda-2-nat", "hello")
    assert app.trace.target == "s3://vpc-notes-bucket/hello.txt"
    await pick_function(pilot, "lambda-2-nat")
    await pilot.press("t")
    await pilot.pause()
    await pilot.press(*"ssm:/vpc-notes", "down", "up", "enter")  # moved: the highlighted one
    await pilot.pause()
    assert app.trace.target == "ssm:/vpc-notes/parameter"
