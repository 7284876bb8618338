"""The CLI on Terraform and CloudFormation inputs (every command), without Terraform or Node."""

from __future__ import annotations

import json
from pathlib import Path

from vpctui.cli import main
from vpctui.loaders.scenario import load_scenario

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "iac"
STATE = str(FIX / "terraform" / "seed" / "state.json")
PLAN = str(FIX / "terraform" / "seed" / "plan.json")
CFN = str(FIX / "cloudformation" / "seed.yaml")
S3 = "s3://vpc-notes-bucket/hello.txt"
SSM = "ssm:/vpc-notes/parameter"


def test_matrix_json_on_a_plan(capsys):
    assert main(["matrix", PLAN, "--to", S3, "--to", SSM, "--json"]) == 0
    res = {(r["source"], r["target"]): r["verdict"] for r in json.loads(capsys.readouterr().out)["results"]}
    assert res[("lambda-3-isolated", S3)] == "blocked" and res[("lambda-4-endpoints", S3)] == "reachable"


def test_trace_json_names_sources_and_fix_in_code(capsys):
    assert main(["trace", STATE, "--from", "lambda-3-isolated", "--to", S3, "--json"]) == 1
    d = json.loads(capsys.readouterr().out)
    drop = d["paths"][0]["drop"]
    assert drop["source"] == "module.net.aws_route_table.isolated"
    assert "add a `route` block" in drop["fix_in_code"] and "module.net.aws_route_table.isolated" in drop["fix_in_code"]
    assert any(h.get("source") == "module.net.aws_security_group.lambda" for h in d["paths"][0]["hops"])


def test_trace_text_shows_the_logical_id_with_file_and_line(capsys):
    assert main(["trace", CFN, "--from", "lambda-1-public", "--to", S3]) == 1
    out = capsys.readouterr().out
    assert "seed.yaml:" in out and "PublicRouteTable" in out


def test_export_any_input_to_a_scenario_that_traces_the_same(tmp_path, capsys):
    out = tmp_path / "net.yaml"
    assert main(["export", CFN, "-o", str(out)]) == 0
    net = load_scenario(out)
    assert {f.function_name for f in net.functions} == {"lambda-1-public", "lambda-2-nat", "lambda-3-isolated", "lambda-4-endpoints"}
    capsys.readouterr()
    assert main(["matrix", str(out), "--to", S3, "--json"]) == 0
    res = {r["source"]: r["verdict"] for r in json.loads(capsys.readouterr().out)["results"]}
    assert res == {"lambda-1-public": "blocked", "lambda-2-nat": "reachable", "lambda-3-isolated": "blocked",
                   "lambda-4-endpoints": "reachable"}


def test_check_evaluates_a_scenario_against_iac_input(capsys):
    seed = str(Path(__file__).resolve().parents[2] / "scenarios" / "lambda-vpc.yaml")
    # the expectations name seed ids (igw-0e1f, rtb-0iso): verdicts and reasons agree, components do not
    rc = main(["check", seed, STATE, "--json"])
    d = json.loads(capsys.readouterr().out)
    assert d["passed"] + d["failed"] == 8
    assert all(all("component" in p for p in r["problems"]) for r in d["results"] if not r["ok"])
    assert rc == 1


def test_params_and_a_parameters_file(tmp_path, capsys):
    pf = tmp_path / "params.json"
    pf.write_text(json.dumps([{"ParameterKey": "VpcCidr", "ParameterValue": "10.0.0.0/16"}]))
    assert main(["matrix", CFN, "--params", str(pf), "--param", "AWS::Region=us-east-1", "--to", S3]) == 0
    assert main(["matrix", CFN, "--param", "nonsense", "--to", S3]) == 2
    assert "KEY=VALUE" in capsys.readouterr().err


def test_bad_template_is_one_line_and_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("Resources:\n  X:\n    Type: AWS::EC2::Nope\n")
    assert main(["matrix", str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"{bad}:2: Resources.X.Type: 'AWS::EC2::Nope' is not a CloudFormation resource type"]


def test_param_without_iac_input_is_a_usage_error(capsys):
    assert main(["matrix", "--param", "A=B"]) == 2
    assert "--param" in capsys.readouterr().err


def test_diff_state_against_a_plan(capsys):
    """What would the plan change? Paths that reach the bucket become unknown: its new policy is
    known only after apply."""
    plan = str(FIX / "terraform" / "plan-unknowns" / "plan.json")
    rc = main(["diff", STATE, plan, "--to", S3, "--format", "json"])
    d = json.loads(capsys.readouterr().out)
    assert rc == 1
    assert {(b["from"], b["after"]["verdict"]) for b in d["broken"]} == {("lambda-2-nat", "unknown"), ("lambda-4-endpoints", "unknown")}
    assert all("aws_s3_bucket_policy.notes: policy known after apply" in b["after"]["explanation"] for b in d["broken"])
