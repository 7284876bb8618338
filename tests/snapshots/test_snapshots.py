"""SVG snapshots of the main states at 80x24 and 120x36 (fixed theme, no clocks).

Update only after looking at the report: pytest tests/snapshots --snapshot-update
"""

from __future__ import annotations

import pytest

from vpctui.loaders.scenario import ScenarioSource
from vpctui.tui.app import VpcTuiApp
from vpctui.tui.screenshot import settle

THEME = "textual-dark"
SMALL, LARGE = (80, 24), (120, 36)


def demo_app() -> VpcTuiApp:
    return VpcTuiApp(source=ScenarioSource(), theme=THEME)


def keys(*press: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        for k in press:
            await pilot.press(k)
        await settle(pilot)

    return run_before


TRACE_DROP = ("t", *"hello", "enter", "pagedown", "pagedown", "pagedown", "pagedown", "pagedown")
TRACE_OK = ("4", "j", "t", *"hello", "enter", "pagedown", "pagedown", "pagedown", "pagedown")


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "120x36"])
def test_network(snap_compare, size):
    assert snap_compare(demo_app(), terminal_size=size, run_before=keys())


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "120x36"])
def test_trace_drop_at_igw(snap_compare, size):
    """lambda-1-public → S3 at H5: ✗ DROP at the internet gateway, the route to it marked."""
    assert snap_compare(demo_app(), terminal_size=size, run_before=keys(*TRACE_DROP))


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "120x36"])
def test_trace_reachable_via_nat(snap_compare, size):
    assert snap_compare(demo_app(), terminal_size=size, run_before=keys(*TRACE_OK))


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "120x36"])
def test_matrix(snap_compare, size):
    assert snap_compare(demo_app(), terminal_size=size, run_before=keys("m"))


def test_help(snap_compare):
    assert snap_compare(demo_app(), terminal_size=LARGE, run_before=keys("question_mark"))


def test_target_picker(snap_compare):
    assert snap_compare(demo_app(), terminal_size=SMALL, run_before=keys("4", "j", "j", "t"))


def test_filter(snap_compare):
    assert snap_compare(demo_app(), terminal_size=SMALL, run_before=keys("slash", *"iso"))


def test_load_error(snap_compare, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a relative path: the same text on every run
    (tmp_path / "broken.yaml").write_text(
        "subnets:\n  - subnet_id: subnet-1\n    vpc_id: vpc-missing\n    cidr_block: 10.0.0.0/33\n")
    app = VpcTuiApp(source=ScenarioSource("broken.yaml"), theme=THEME)
    assert snap_compare(app, terminal_size=SMALL, run_before=keys())


def test_contrast_theme(snap_compare):
    app = VpcTuiApp(source=ScenarioSource(), theme="vpctui-contrast")
    assert snap_compare(app, terminal_size=LARGE, run_before=keys(*TRACE_DROP))
