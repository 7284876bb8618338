"""`vpctui diff` with a live account as one input (moto's server through AWS_ENDPOINT_URL): a
file compared with the account it describes, and with an account that lacks the file's policy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .envs import build_seed

ROOT = Path(__file__).resolve().parents[2]
OBJ = "s3://vpc-notes-bucket/hello.txt"
PARAM = "ssm:/vpc-notes/parameter"


def _vpctui(*args):
    return subprocess.run([sys.executable, "-m", "vpctui", *args], capture_output=True, text=True,
                          env=dict(os.environ), timeout=180, cwd=ROOT)


def test_diff_file_against_the_account_it_describes(session):
    build_seed(session)
    p = _vpctui("diff", "scenarios/lambda-vpc.yaml", "aws", "--region", "us-east-1", "--to", OBJ, "--to", PARAM,
                "--format", "json")
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    assert d["broken"] == [] and d["fixed"] == []
    assert "Traceback" not in p.stderr


def test_diff_policy_file_against_an_account_without_the_policy(session):
    build_seed(session)  # the account has no bucket policy
    p = _vpctui("diff", "scenarios/lambda-vpc-bucket-policy.yaml", "aws", "--region", "us-east-1",
                "--to", OBJ, "--format", "json")
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    assert ("lambda-2-nat", OBJ) in {(c["from"], c["to"]) for c in d["fixed"]}
    assert d["broken"] == []


def test_diff_live_with_aws_flag_is_a_usage_error(session):
    p = _vpctui("diff", "scenarios/lambda-vpc.yaml", "scenarios/lambda-vpc.yaml", "--aws")
    assert p.returncode == 2 and "'aws'" in p.stderr
