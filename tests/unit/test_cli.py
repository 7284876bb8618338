"""The headless CLI: exit codes, JSON shape, one-line errors."""

from __future__ import annotations

import glob
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vpctui.cli import main

ROOT = Path(__file__).resolve().parents[2]
SEED = str(ROOT / "scenarios" / "lambda-vpc.yaml")
OBJ = "s3://vpc-notes-bucket/hello.txt"
PARAM = "ssm:/vpc-notes/parameter"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_trace_exit_codes(capsys):
    assert run(capsys, "trace", "--from", "lambda-2-nat", "--to", OBJ)[0] == 0
    code, out, _ = run(capsys, "trace", "--from", "lambda-1-public", "--to", OBJ)
    assert code == 1
    assert "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS" in out and "Task timed out after 3.00 seconds" in out


def test_trace_json_shape(capsys):
    code, out, _ = run(capsys, "trace", SEED, "--from", "lambda-3-isolated", "--to", OBJ, "--json")
    assert code == 1
    d = json.loads(out)
    assert {"source", "target", "verdict", "paths"} <= set(d)
    assert d["source"] == "lambda-3-isolated" and d["verdict"] == "blocked"
    p = d["paths"][0]
    assert {"subnet_id", "verdict", "symptom", "drop", "blockers", "hops"} <= set(p)
    assert p["symptom"] == "timeout"
    assert set(p["drop"]) == {"hop", "reason", "component_id", "explanation", "fix"}
    assert p["drop"]["reason"] == "NO_ROUTE_TO_DESTINATION" and p["drop"]["component_id"] == "rtb-0iso"
    for h in p["hops"]:
        assert set(h) >= {"component_id", "component_type", "result", "detail"}
        assert h["result"] in ("pass", "drop", "unknown", "info")


def _verdicts(capsys, path):
    code, out, _ = run(capsys, "matrix", path, "--json")
    assert code == 0
    return {(r["source"], r["target"]): r["verdict"] for r in json.loads(out)["results"]}


def test_matrix_seed_verdicts(capsys):
    v = _verdicts(capsys, SEED)
    assert v == {
        ("lambda-1-public", OBJ): "blocked", ("lambda-1-public", PARAM): "reachable",
        ("lambda-2-nat", OBJ): "reachable", ("lambda-2-nat", PARAM): "reachable",
        ("lambda-3-isolated", OBJ): "blocked", ("lambda-3-isolated", PARAM): "reachable",
        ("lambda-4-endpoints", OBJ): "reachable", ("lambda-4-endpoints", PARAM): "reachable",
    }


def test_matrix_bucket_policy_variant(capsys):
    v = _verdicts(capsys, str(ROOT / "scenarios" / "lambda-vpc-bucket-policy.yaml"))
    assert v[("lambda-2-nat", OBJ)] == "blocked" and v[("lambda-4-endpoints", OBJ)] == "reachable"
    code, out, _ = run(capsys, "trace", str(ROOT / "scenarios" / "lambda-vpc-bucket-policy.yaml"),
                       "--from", "lambda-2-nat", "--to", OBJ, "--json")
    p = json.loads(out)["paths"][0]
    assert p["symptom"] == "access-denied" and p["drop"]["reason"] == "RESOURCE_POLICY_DENY"
    assert p["drop"]["component_id"] == "arn:aws:s3:::vpc-notes-bucket"


def test_matrix_endpoint_sg_variant(capsys):
    v = _verdicts(capsys, str(ROOT / "scenarios" / "lambda-vpc-endpoint-sg.yaml"))
    for f in ("lambda-1-public", "lambda-2-nat", "lambda-3-isolated"):
        assert v[(f, PARAM)] == "blocked"
    assert v[("lambda-4-endpoints", PARAM)] == "reachable"


def test_matrix_with_explicit_targets_and_functions(capsys):
    code, out, _ = run(capsys, "matrix", "--to", "sts", "--from", "lambda-2-nat", "--json")
    res = json.loads(out)["results"]
    assert [(r["source"], r["target"]) for r in res] == [("lambda-2-nat", "sts")]


@pytest.mark.parametrize("path", sorted(glob.glob(str(ROOT / "scenarios" / "*.yaml"))), ids=os.path.basename)
def test_every_scenario_passes_check(capsys, path):
    code, out, err = run(capsys, "check", path)
    assert code == 0, out + err
    assert " 0 failed" in out


def test_check_reports_mismatch(tmp_path, capsys):
    text = Path(SEED).read_text().replace(
        "- {from: lambda-2-nat, to: s3://vpc-notes-bucket/hello.txt, verdict: reachable}",
        "- {from: lambda-2-nat, to: s3://vpc-notes-bucket/hello.txt, verdict: blocked}")
    f = tmp_path / "s.yaml"
    f.write_text(text)
    code, out, _ = run(capsys, "check", str(f))
    assert code == 1
    assert "lambda-2-nat → s3://vpc-notes-bucket/hello.txt: verdict is reachable, expected blocked" in out
    assert "1 failed" in out


def test_validate_good_and_bad(tmp_path, capsys):
    assert run(capsys, "validate", SEED)[0] == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("vpcs:\n  - vpc_id: vpc-a\n    cidr_block: 10.0.0.0/33\n")
    code, out, err = run(capsys, "validate", str(bad))
    assert code == 2
    assert err.strip() == f"{bad}:3: vpcs[0].cidr_block: '10.0.0.0/33' is not a valid CIDR block"


def test_bad_file_is_one_line_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("vpcs: [\n")
    code, out, err = run(capsys, "trace", str(bad), "--from", "x", "--to", "s3")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith(f"{bad}:")


def test_usage_errors_exit_2(capsys):
    assert run(capsys, "trace", "--from", "nope", "--to", OBJ)[0] == 2
    code, _, err = run(capsys, "trace", "--from", "lambda-2-nat", "--to", "bogus-target")
    assert code == 2 and "is not a target" in err
    assert run(capsys, "trace", "--to", OBJ)[0] == 2  # argparse: --from is required
    assert run(capsys, "matrix", "--profile", "x")[0] == 2  # --profile goes with --aws


def test_console_script_runs_as_module():
    p = subprocess.run([sys.executable, "-m", "vpctui", "trace", "--from", "lambda-4-endpoints", "--to", OBJ, "--json"],
                       capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["verdict"] == "reachable"


def test_demo_is_package_data_and_matches_scenarios_dir():
    from vpctui.loaders.scenario import demo_path

    assert demo_path().read_text() == Path(SEED).read_text()


def test_subnets_prints_what_each_subnet_is_for_lambda(capsys):
    code, out, _ = run(capsys, "subnets", SEED)
    assert code == 0
    assert "⚠ public — no internet for Lambda" in " ".join(out.split())
    code, out, _ = run(capsys, "subnets", SEED, "--json")
    rows = {r["subnet_id"]: r for r in json.loads(out)["subnets"]}
    assert code == 0
    assert {sid: r["kind"] for sid, r in rows.items()} == {
        "subnet-01a": "public", "subnet-02b": "private-nat", "subnet-03c": "isolated", "subnet-04d": "isolated"}
    assert rows["subnet-02b"]["via"] == "nat-0c0ffee"
    assert rows["subnet-04d"]["endpoints"] == [{"service": "s3", "type": "gateway"}, {"service": "ssm", "type": "interface"}]


def test_matrix_cells_use_the_one_vocabulary(capsys):
    """The CLI matrix and the TUI matrix say the same words (vpctui.render.glyphs.cell_text)."""
    code, out, _ = run(capsys, "matrix", SEED, "--to", OBJ)
    assert code == 0
    assert "✗ timeout" in out and "✓ ok" in out
