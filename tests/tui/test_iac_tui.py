"""The TUI on Terraform input: the Details pane shows where a component was written."""

from __future__ import annotations

from pathlib import Path

from vpctui.loaders.iac import IacSource
from vpctui.tui.app import VpcTuiApp
from vpctui.tui.widgets.details import DetailsPane

STATE = str(Path(__file__).resolve().parents[1] / "fixtures" / "iac" / "terraform" / "seed" / "state.json")


async def test_details_show_the_terraform_address_next_to_the_id():
    app = VpcTuiApp(source=IacSource((STATE,)), theme="textual-dark")
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        net = app.network
        fn = net.function_by_name["lambda-3-isolated"]
        rt = net.route_table_of_subnet[fn.subnet_ids[0]]
        details = app.query_one(DetailsPane)
        details.show(rt.route_table_id)
        await pilot.pause()
        lines = details._lines()
        assert any("source" in line and "module.net.aws_route_table.isolated" in line for line in lines)
        details.show("lambda-3-isolated")
        await pilot.pause()
        assert any("module.lambda_3_isolated.aws_lambda_function.this" in line for line in details._lines())


async def test_trace_view_shows_sources_and_the_fix_in_code():
    from vpctui.tui.widgets.trace_view import TraceView
    from vpctui.engine import trace

    app = VpcTuiApp(source=IacSource((STATE,)), theme="textual-dark")
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        net = app.network
        tr = trace(net, "lambda-3-isolated", "s3://vpc-notes-bucket/hello.txt")
        view = TraceView()  # the pane is mounted on first use; its content is what show() builds
        view.show(tr, net)
        rows = view.rows
        assert any(r.source == "module.net.aws_route_table.isolated" for r in rows)
        result = view._result(tr.paths[0])
        assert "From" in result and "In code" in result and "add a `route` block" in result
