"""Data never drives the TUI or the terminal (issue 10, part 1), with Pilot: the shipped lambda-vpc
scenario with a hostile string in every field that reaches a screen. Every pane, the details of
every component, the YAML pop-up, each function's trace, the matrix, help and the palette render
without a MarkupError; what they show has no raw control sequence from data; clicking a name
``[@click=app.quit]`` does not quit; a load error and the loading panel quoting such text render."""

from __future__ import annotations

import pytest
import yaml
from textual.command import CommandPalette

from vpctui.loaders.scenario import ScenarioSource
from vpctui.testing.hostile import CORPUS, RAW_FROM_DATA, hostile_scenario
from vpctui.tui.app import VpcTuiApp
from vpctui.tui.screens.help import HelpScreen
from vpctui.tui.screens.load_error import LoadErrorScreen
from vpctui.tui.screens.yaml_view import YamlScreen
from vpctui.tui.widgets.details import DetailsPane
from vpctui.tui.widgets.tables import FunctionsPane

SIZE = (150, 44)
KINDS = ["lone", "click", "slash", "osc52", "title", "c1", "bidi", "newline"]  # "close", "link", "bold",
# "clear", "del", "long" go through the same paths (run them with VPCTUI_HOSTILE_ALL=1)
if __import__("os").environ.get("VPCTUI_HOSTILE_ALL"):
    KINDS = list(CORPUS)


def write(tmp_path, doc, name="h.yaml"):
    p = tmp_path / name
    p.write_text(yaml.safe_dump(doc, allow_unicode=True, width=10**6), encoding="utf-8")
    return p


def shot_ok(app, kind: str = "") -> str:
    svg = app.export_screenshot()
    m = RAW_FROM_DATA.search(svg)
    assert m is None, (kind, svg[max(0, m.start() - 100):m.start() + 50])
    assert "\x1b" not in svg and "\x07" not in svg
    return svg


async def loaded(app, pilot):
    await app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("kind", KINDS)
async def test_every_view_shows_hostile_data_as_text(tmp_path, kind):
    doc = hostile_scenario(CORPUS[kind])
    app = VpcTuiApp(source=ScenarioSource(str(write(tmp_path, doc))), theme="textual-dark")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        net = app.network
        assert net is not None and not isinstance(app.screen, LoadErrorScreen)
        for key in "12345":
            await pilot.press(key)
            await pilot.pause()
        svg = shot_ok(app, kind)
        if kind in ("osc52", "title", "clear"):
            assert "␛" in svg  # shown, not sent
        details = app.query_one(DetailsPane)
        ids = [x for x in (getattr(o, a, None) for coll in (net.vpcs, net.subnets, net.route_tables,
                                                             net.security_groups, net.network_acls,
                                                             net.vpc_endpoints, net.internet_gateways,
                                                             net.nat_gateways)
                           for o in coll for a in ("vpc_id", "subnet_id", "route_table_id", "group_id",
                                                   "network_acl_id", "vpc_endpoint_id",
                                                   "internet_gateway_id", "nat_gateway_id")) if x]
        ids += [f.function_name for f in net.functions] + [r.role_name for r in net.roles]
        for cid in dict.fromkeys(ids):
            details.show(cid, note=f"note {CORPUS[kind]}")
            await pilot.pause()
        shot_ok(app, kind)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, YamlScreen)
        shot_ok(app, kind)
        await pilot.press("escape")
        for f in net.functions:
            app.run_trace(f.function_name, "s3://vpc-notes-bucket/hello.txt")
            await pilot.pause()
            assert app.trace is not None and app.trace.source == f.function_name
            for _ in range(3):
                await pilot.press("space")
            await pilot.pause()
        shot_ok(app, kind)
        await pilot.press("m")
        await loaded(app, pilot)
        shot_ok(app, kind)
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "colon")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        app.notify(f"copied {CORPUS[kind]}", title=CORPUS[kind])
        await pilot.pause()
        shot_ok(app, kind)
        assert app.return_code is None and app.is_running


def no_click_actions_from_data(app) -> None:
    """No cell on the screen carries a click action that is not vpctui's own (the footer's keys)."""
    for y in range(SIZE[1]):
        for x in range(SIZE[0]):
            meta = app.screen.get_style_at(x, y).meta
            assert meta.get("@click") != "app.quit", (x, y, meta)


async def test_clicking_a_click_markup_name_does_not_quit(tmp_path):
    doc = hostile_scenario(CORPUS["click"])
    app = VpcTuiApp(source=ScenarioSource(str(write(tmp_path, doc))), theme="textual-dark")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        for key in ("1", "4", "m"):
            await pilot.press(key)
            await loaded(app, pilot)
            no_click_actions_from_data(app)
        await pilot.press("escape", "4")
        fpane = app.query_one(FunctionsPane)
        region = fpane.region
        for dy in range(1, 6):  # the header, then each function row, on the name
            for dx in (3, 8, 12, 20):
                await pilot.click(offset=(region.x + dx, region.y + dy))
                await pilot.pause()
        for dy in range(1, 20):  # the network tree and the details too
            await pilot.click(offset=(4, dy))
            await pilot.click(offset=(SIZE[0] - 30, dy))
        await pilot.pause()
        assert app.return_code is None and app.is_running


async def test_load_error_and_loading_panel_quote_hostile_text(tmp_path):
    h = "web[/ [@click=app.quit]x[/] \x1b]0;PWNED\x1b\\"
    doc = hostile_scenario(h)
    doc["lambda_functions"][0]["subnet_ids"] = [f"subnet-{h}"]  # an error message quotes it
    app = VpcTuiApp(source=ScenarioSource(str(write(tmp_path, doc, name="web[-bad.yaml"))), theme="textual-dark")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        assert isinstance(app.screen, LoadErrorScreen) and app.load_errors
        await pilot.pause()
        svg = shot_ok(app)
        assert "web[/" in svg
        app.pop_screen()
        app.show_progress(f"DescribeSecurityGroups: {h}")
        app._loading._reveal()
        await pilot.pause()
        shot_ok(app)
        assert app.return_code is None and app.is_running
