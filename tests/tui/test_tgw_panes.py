"""Transit gateways in the panes (Pilot): pane 1 lists the TGW with its route tables and attachments,
pane 2 shows a TGW route table, and walking a trace marks the TGW route that matched."""

from __future__ import annotations

from pathlib import Path

import pytest

from vpctui.loaders.scenario import ScenarioSource
from vpctui.model.tgw import TgwRouteTable
from vpctui.tui.app import VpcTuiApp
from vpctui.tui.widgets.details import DetailsPane
from vpctui.tui.widgets.network import NetworkPane
from vpctui.tui.widgets.tables import RoutesPane

from vpctui.tui.screens.picker import TargetPickerScreen
from vpctui.tui.widgets.tables import FunctionsPane


async def started(app: VpcTuiApp, size=(120, 36)):
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
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()

HUB = str(Path(__file__).resolve().parents[2] / "scenarios" / "tgw-centralized-egress.yaml")


@pytest.fixture
async def hub():
    app = VpcTuiApp(source=ScenarioSource(HUB), theme="textual-dark")
    ctx, pilot = await started(app)
    yield app, pilot
    await ctx.__aexit__(None, None, None)


async def test_network_pane_lists_the_tgw_its_route_tables_and_attachments(hub):
    app, pilot = hub
    tree = app.query_one(NetworkPane)
    kinds = {}
    for node_id in ("tgw-0hub0001", "tgw-rtb-0spokes01", "tgw-rtb-0hub0001", "tgw-attach-0spoke01", "tgw-attach-0egress1"):
        node = tree._node_by_id.get(node_id)
        assert node is not None, node_id
        kinds[node_id] = node.data[0]
    assert kinds["tgw-0hub0001"] == "tgw" and kinds["tgw-rtb-0spokes01"] == "tgw_route_table"
    assert kinds["tgw-attach-0spoke01"] == "tgw_attachment"
    # choosing a TGW route table shows it in pane 2 and in Details
    tree.focus()
    tree.select_id("tgw-rtb-0spokes01")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    routes, details = app.query_one(RoutesPane), app.query_one(DetailsPane)
    assert isinstance(routes.route_table, TgwRouteTable)
    assert routes.route_table.transit_gateway_route_table_id == "tgw-rtb-0spokes01"
    assert details.component_id == "tgw-rtb-0spokes01"
    # an attachment in Details names its subnets and its route table
    tree.focus()
    tree.select_id("tgw-attach-0spoke01")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    assert details.component_id == "tgw-attach-0spoke01"


async def test_walking_a_trace_marks_the_matched_tgw_route(hub):
    app, pilot = hub
    await trace_via_picker(pilot, "orders", "stripe")
    assert app.trace is not None and app.trace.target == "https://api.stripe.com"
    routes, details = app.query_one(RoutesPane), app.query_one(DetailsPane)
    hops = app.hops()
    i = next(k for k, h in enumerate(hops) if h.component_id == "tgw-rtb-0spokes01")
    for _ in range(i - app.hop_index):
        await pilot.press("space")
    assert app.hop_index == i
    assert isinstance(routes.route_table, TgwRouteTable)
    assert (routes.route_table.transit_gateway_route_table_id, routes.marked_key) == ("tgw-rtb-0spokes01", "0.0.0.0/0")
    assert (details.component_id, details.marked_key) == ("tgw-rtb-0spokes01", "0.0.0.0/0")
    # the reply's TGW route (H8) is marked in the hub table
    j = next(k for k, h in enumerate(hops) if h.component_id == "tgw-rtb-0hub0001" and k > i)
    for _ in range(j - app.hop_index):
        await pilot.press("space")
    assert (routes.route_table.transit_gateway_route_table_id, routes.marked_key) == ("tgw-rtb-0hub0001", "10.1.0.0/16")
