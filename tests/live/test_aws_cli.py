"""The issue's done-when commands, run as a user would: the real console entry point in a
subprocess, against moto's server through AWS_ENDPOINT_URL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .envs import build_seed

from vpctui.engine import matrix
from vpctui.loaders.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
OBJ = "s3://vpc-notes-bucket/hello.txt"
PARAM = "ssm:/vpc-notes/parameter"


def _vpctui(*args, **kw):
    return subprocess.run([sys.executable, "-m", "vpctui", *args], capture_output=True, text=True,
                          env=dict(os.environ), timeout=120, cwd=kw.get("cwd", ROOT))


def test_matrix_aws_json_equals_seed_scenario(session):
    build_seed(session)
    p = _vpctui("matrix", "--aws", "--region", "us-east-1", "--to", OBJ, "--to", PARAM, "--json")
    assert p.returncode == 0, p.stderr
    got = {(r["source"], r["target"]): r["verdict"] for r in json.loads(p.stdout)["results"]}
    want = {(t.source, t.target): t.verdict for t in matrix(load_scenario(ROOT / "scenarios" / "lambda-vpc.yaml"), [OBJ, PARAM])}
    assert got == want
    assert "vpctui:" in p.stderr  # progress on stderr, never on stdout


def test_export_cli_round_trip(session, tmp_path):
    build_seed(session, "bucket-policy")
    out = tmp_path / "acct.yaml"
    p = _vpctui("export", "--aws", "-o", str(out), "--redact", "--to", OBJ)
    assert p.returncode == 0, p.stderr
    q = _vpctui("matrix", str(out), "--to", OBJ, "--to", PARAM, "--json")
    assert q.returncode == 0, q.stderr
    got = {(r["source"], r["target"]): r["verdict"] for r in json.loads(q.stdout)["results"]}
    assert got[("lambda-2-nat", OBJ)] == "blocked" and got[("lambda-4-endpoints", OBJ)] == "reachable"
    assert "123456789012" not in out.read_text()  # moto's account id is redacted


def test_export_without_the_bucket_says_unknown_not_reachable(session, tmp_path):
    """A bucket whose policy was not read must not trace as if it had none."""
    build_seed(session, "bucket-policy")
    out = tmp_path / "acct.yaml"
    assert _vpctui("export", "--aws", "-o", str(out)).returncode == 0
    q = _vpctui("trace", str(out), "--from", "lambda-2-nat", "--to", OBJ, "--json")
    d = json.loads(q.stdout)
    assert q.returncode == 1 and d["verdict"] == "unknown"
    assert d["paths"][0]["drop"]["reason"] == "POLICY_UNKNOWN"


def test_bad_credentials_one_line(aws, monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    p = _vpctui("matrix", "--aws")
    assert p.returncode == 2
    errors = [x for x in p.stderr.splitlines() if not x.startswith("vpctui: ")]  # the rest is progress
    assert errors == ["no AWS credentials found: set AWS_PROFILE (or use --profile), run `aws sso login`, "
                      "or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"]
