"""Hostile names from a live account (moto's server; issue 10, part 1): a security group named
``web[/`` (AWS allows ``[ ] / = : @`` in group names), Name tags with markup.
The CLI prints them as visible text, ``--json`` carries them exactly, the TUI renders every pane."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .envs import build_seed

from vpctui.loaders import AwsOptions
from vpctui.loaders.aws import AwsSource
from vpctui.testing.hostile import RAW_FROM_DATA
from vpctui.tui.app import VpcTuiApp
from vpctui.tui.screenshot import settle
from vpctui.tui.widgets.tables import FunctionsPane

ROOT = Path(__file__).resolve().parents[2]
SG_NAME = "web[/ [@click=app.quit]=:@"
# AWS tag values allow letters, digits, spaces and _ . : / = + - @ only (and moto's XML cannot carry
# an ESC): markup is what a live account can hold; control characters come from files (unit tests)
TAG = "[link=https://evil.example/]x[/link] [@click=app.quit]q[/] web[/"


def _hostile(session) -> None:
    build_seed(session)
    ec2 = session.client("ec2")
    vpc = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["notes-vpc"]}])["Vpcs"][0]["VpcId"]
    sg = ec2.create_security_group(GroupName=SG_NAME, Description="markup [bold]x[/bold] web[/", VpcId=vpc)
    subnets = [s["SubnetId"] for s in ec2.describe_subnets()["Subnets"] if s["VpcId"] == vpc]
    ec2.create_tags(Resources=[vpc, sg["GroupId"], *subnets], Tags=[{"Key": "Name", "Value": TAG}])
    lam = session.client("lambda")
    fn = lam.list_functions()["Functions"][0]["FunctionName"]
    lam.update_function_configuration(FunctionName=fn, VpcConfig={"SubnetIds": subnets[:1],
                                                                  "SecurityGroupIds": [sg["GroupId"]]})


def _vpctui(*args, env=None):
    return subprocess.run([sys.executable, "-m", "vpctui", *args], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT), **(env or {})), timeout=180, cwd=ROOT)


def test_cli_shows_hostile_live_names_as_text(session):
    _hostile(session)
    for args in (["subnets"], ["matrix", "--to", "s3"]):
        p = _vpctui(*args, "--aws", "--region", "us-east-1")
        assert p.returncode == 0, p.stderr
        for out in (p.stdout, p.stderr):
            assert RAW_FROM_DATA.search(out) is None and "\x1b" not in out, out[:500]
        assert "Traceback" not in p.stderr
    p = _vpctui("subnets", "--aws", "--region", "us-east-1", env={"COLUMNS": "300"})
    assert TAG in p.stdout and "\x1b]8;" not in p.stdout  # the markup shown, no hyperlink
    p = _vpctui("subnets", "--aws", "--region", "us-east-1", "--json")
    assert TAG in {s["name"] for s in json.loads(p.stdout)["subnets"]}  # exact


async def test_tui_renders_hostile_live_names(session):
    _hostile(session)
    app = VpcTuiApp(source=AwsSource(AwsOptions(region="us-east-1")), theme="textual-dark")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert app.network is not None
        assert any(g.group_name == SG_NAME for g in app.network.security_groups)
        for key in ("1", "2", "3", "4", "5", "m"):
            await pilot.press(key)
            await settle(pilot)
        fns = app.query_one(FunctionsPane)
        assert fns.row_count == 4
        svg = app.export_screenshot()
        assert "\x1b" not in svg and RAW_FROM_DATA.search(svg) is None
        assert app.return_code is None and app.is_running
