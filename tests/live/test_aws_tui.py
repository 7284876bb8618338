"""The TUI on a live account (moto's server): it loads through the real loader with progress, shows
the account in the header, and traces like the scenario file."""

from __future__ import annotations

from vpctui.loaders import AwsOptions
from vpctui.loaders.aws import AwsSource
from vpctui.tui.app import VpcTuiApp
from vpctui.tui.screenshot import settle
from vpctui.tui.widgets.tables import FunctionsPane

from .envs import build_seed


async def test_tui_opens_on_a_live_account_with_progress(session):
    build_seed(session)
    app = VpcTuiApp(source=AwsSource(AwsOptions(region="us-east-1")), theme="textual-dark")
    seen: list[str] = []
    show = app.show_progress
    app.show_progress = lambda text: (seen.append(text), show(text))[1]  # record what the user saw
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.network is not None and app.network.source.startswith("aws:")
        assert any("calls done" in line for line in seen), seen  # the loader's progress reached the screen
        fns = app.query_one(FunctionsPane)
        assert fns.row_count == 4
        assert "AWS account 123456789012" in app.sub_title and "us-east-1" in app.sub_title  # the header names the source
        assert app.network.function_by_name["lambda-1-public"].subnet_ids


async def test_tui_shows_a_credentials_error_not_a_traceback(aws, monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    app = VpcTuiApp(source=AwsSource(AwsOptions(region="us-east-1")), theme="textual-dark")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.network is None
        text = app.export_screenshot()
        assert "no AWS credentials found" in text.replace("&#160;", " ")


async def test_tui_header_masks_the_account_with_redact(session):
    build_seed(session)
    app = VpcTuiApp(source=AwsSource(AwsOptions(region="us-east-1", redact=True)), theme="textual-dark")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.network is not None
        assert "123456789012" not in app.sub_title and "redacted" in app.sub_title
