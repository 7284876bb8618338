"""The TUI on a live account fills its panes as soon as their parts are read (the loader's partial
network), says what is still loading, answers `unknown` for a trace that needs a part not read
yet, and replaces the network (re-running the trace in view) when the rest arrives.

moto's server through the fault proxy: DescribeVpcAttribute (the VPCs' DNS attributes, read after
the panes' parts) is held until the test releases it, so "still loading" is certain, not a race."""

from __future__ import annotations

import json

import pytest

from vpctui.engine import trace
from vpctui.loaders import AwsOptions
from vpctui.loaders.aws import AwsSource

from . import envs
from .proxy import FaultProxy

pytestmark = pytest.mark.live


@pytest.fixture
def proxy(aws, monkeypatch):
    with FaultProxy(aws) as p:
        monkeypatch.setenv("AWS_ENDPOINT_URL", p.url)
        yield p


async def _until(pilot, cond, seconds: float = 60.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if cond():
            return
        await pilot.pause(0.05)
    raise AssertionError("never happened")


async def test_panes_fill_before_the_rest_of_a_live_load(session, proxy):
    from vpctui.tui.app import VpcTuiApp

    envs.build_seed(session)
    proxy.faults["DescribeVpcAttribute"] = "stall"
    app = VpcTuiApp(source=AwsSource(AwsOptions(region="us-east-1", targets=envs.TARGETS)), theme="textual-dark")
    async with app.run_test(size=(120, 36)) as pilot:
        await _until(pilot, lambda: app.partial)
        part = app.network
        assert part.subnets and part.functions
        assert "still loading" in app.sub_title
        await pilot.pause()
        screen = app.export_screenshot().replace("&#160;", " ")
        assert part.subnets[0].subnet_id in screen  # the network pane shows it
        assert not app._loading.display  # the loading panel stepped aside for the panes
        assert app.check_action("edit", ()) is None  # no what-if change on a network still loading

        fn = part.functions[0].function_name
        app.mode = "trace"
        app.run_trace(fn, envs.S3_TARGET)  # a small network: traced here and now (no worker)
        await pilot.pause()
        assert app.partial and app.network is part  # (the rest is still held)
        assert app.trace.verdict == "unknown"
        assert "still loading" in json.dumps(app.trace.to_dict())

        del proxy.faults["DescribeVpcAttribute"]  # the held calls are retried and answered
        proxy.release.set()
        await _until(pilot, lambda: not app.partial and app.network is not part)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.load_errors
        full = app.network
        assert not [u for u in full.unknowns if "still loading" in u.reason]
        assert "still loading" not in app.sub_title
        # the trace in view was computed again on the whole network
        assert app.trace is not None and (app.trace.source, app.trace.target) == (fn, envs.S3_TARGET)
        again = trace(full, fn, envs.S3_TARGET)
        assert app.trace.to_dict() == again.to_dict() and "still loading" not in json.dumps(again.to_dict())
        assert again.verdict != "unknown"
