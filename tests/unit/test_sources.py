"""Every input kind is a vpctui.loaders.Source: the TUI and the CLI only use the protocol."""

from __future__ import annotations

import pytest

from vpctui.cli import _source, _parser
from vpctui.loaders import AwsOptions, LoadError, Source, load_source
from vpctui.loaders.aws import AwsSource
from vpctui.loaders.scenario import SYNC_LOAD_MAX_BYTES, ScenarioSource, demo_path


def test_the_concrete_sources_implement_the_protocol():
    assert isinstance(ScenarioSource(), Source)
    assert isinstance(AwsSource(AwsOptions()), Source)


def test_scenario_source_loads_the_demo_and_reports_progress():
    lines: list[str] = []
    net = ScenarioSource().load(lines.append)
    assert len(net.functions) == 4
    assert lines == ["reading the built-in demo"]
    assert ScenarioSource().label == "demo"
    assert ScenarioSource().loads_fast is True
    assert ScenarioSource().title(net) == f"{net.name} · {net.region} · demo"


def test_scenario_source_size_decides_loads_fast(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(demo_path().read_bytes() + b"\n" + b"#" * SYNC_LOAD_MAX_BYTES)
    assert ScenarioSource(str(big)).loads_fast is False
    assert ScenarioSource(str(tmp_path / "missing.yaml")).loads_fast is True  # the loader says why at once
    with pytest.raises(LoadError):
        load_source(ScenarioSource(str(tmp_path / "missing.yaml")))


def test_aws_source_is_slow_and_titles_the_account():
    from dataclasses import replace

    net = replace(ScenarioSource().load(), account_id="123456789012", region="eu-west-1")
    assert AwsSource(AwsOptions()).loads_fast is False
    assert AwsSource(AwsOptions()).label == "aws"
    assert AwsSource(AwsOptions()).title(net) == "AWS account 123456789012 · eu-west-1"
    assert AwsSource(AwsOptions(redact=True, vpc_ids=("vpc-1", "vpc-2"))).title(net) == \
        "AWS account (redacted) · eu-west-1 · 2 VPCs"


def test_cli_flags_pick_the_source():
    args = _parser(None).parse_args(["x.yaml"])
    assert _source(args) == ScenarioSource("x.yaml")
    args = _parser(None).parse_args(["--aws", "--region", "eu-west-1", "--vpc", "vpc-1"])
    assert _source(args, ["s3"]) == AwsSource(AwsOptions(None, "eu-west-1", ("vpc-1",), False, ("s3",)))
