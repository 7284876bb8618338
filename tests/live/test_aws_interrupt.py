"""Live loads under faults (a fault proxy in front of moto's server): Ctrl-C and `q` end a load at
once, a total deadline turns what is still missing into named unknowns, functions that could not
be listed are an error (never an empty result that passes), and --redact masks the account id in
everything vpctui writes.

No wall-clock asserts: a stalled call is held until the test ends, so a load that waited for it
would not finish inside the generous bounds used here (and without the fix it does not)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from vpctui.engine import matrix
from vpctui.loaders import AwsOptions, LoadCancelled, LoadError, load_source
from vpctui.loaders.aws import AwsSource

from . import envs
from .proxy import FaultProxy

pytestmark = pytest.mark.live

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = "123456789012"
PARTNER = "444455556666"


@pytest.fixture
def proxy(aws, monkeypatch):
    with FaultProxy(aws) as p:
        monkeypatch.setenv("AWS_ENDPOINT_URL", p.url)
        yield p


def _vpctui(*args, env_extra=None, timeout=120):
    env = dict(os.environ, **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "vpctui", *args], capture_output=True, text=True, env=env,
                          timeout=timeout, cwd=ROOT)


# ---- Ctrl-C, cancel, deadline --------------------------------------------------------------------


def test_ctrl_c_during_a_stalled_load_exits_130(session, proxy):
    envs.build_seed(session)
    proxy.faults["DescribeNetworkAcls"] = "stall"  # held until the test ends
    p = subprocess.Popen([sys.executable, "-m", "vpctui", "matrix", "--aws", "--to", envs.S3_TARGET, "--json"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ), cwd=ROOT)
    try:
        _wait_until(lambda: "DescribeNetworkAcls" in proxy.seen, 60)
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=30)  # a load that waited for the stalled call never ends here
    finally:
        if p.poll() is None:
            p.kill()
    assert p.returncode == 130, err
    assert out == ""
    assert err.rstrip().endswith("vpctui: interrupted")
    assert "Traceback" not in err


def test_cancel_ends_the_load_at_once(session, proxy):
    envs.build_seed(session)
    proxy.faults["DescribeSecurityGroups"] = "stall"
    flag = threading.Event()
    threading.Thread(target=lambda: (_wait_until(lambda: "DescribeSecurityGroups" in proxy.seen, 60), flag.set()),
                     daemon=True).start()
    with pytest.raises(LoadCancelled):
        load_source(AwsSource(AwsOptions(targets=envs.TARGETS)), cancelled=flag.is_set)


def test_deadline_turns_the_stalled_part_into_a_named_unknown(session, proxy):
    envs.build_seed(session)
    proxy.faults["DescribeNetworkAcls"] = "stall"
    msgs: list[str] = []
    net = load_source(AwsSource(AwsOptions(targets=envs.TARGETS, deadline=8)), progress=msgs.append)
    why = net.unknown("network_acls")
    assert why and why.startswith("ec2:DescribeNetworkAcls: no answer within the load deadline of 8 s")
    part = next(u for u in net.unknown_parts if u.kind == "network_acls")
    assert part.title == "network ACLs" and part.action == "ec2:DescribeNetworkAcls"
    assert any("the load deadline of 8 s passed: not read: " in m and "ec2:DescribeNetworkAcls" in m for m in msgs)
    assert any(m.startswith("unknown: network ACLs: ec2:DescribeNetworkAcls") for m in msgs)
    # every verdict is right or unknown, never a confident answer through the unread NACLs
    from vpctui.loaders.scenario import load_scenario

    want = {(t.source, t.target): t.verdict for t in matrix(load_scenario(ROOT / "scenarios" / "lambda-vpc.yaml"), list(envs.TARGETS))}
    got = {(t.source, t.target): t for t in matrix(net, list(envs.TARGETS))}
    for k, t in got.items():
        assert t.verdict in (want[k], "unknown"), (k, t.verdict)
    nat = got[("lambda-2-nat", envs.S3_TARGET)]
    assert nat.verdict == "unknown" and "ec2:DescribeNetworkAcls" in nat.drop.explanation


def test_deadline_from_the_environment_and_a_bad_value(aws, monkeypatch):
    monkeypatch.setenv("VPCTUI_AWS_DEADLINE", "soon")
    with pytest.raises(LoadError) as e:
        load_source(AwsSource(AwsOptions()))
    assert str(e.value) == "VPCTUI_AWS_DEADLINE='soon': the load deadline must be a number of seconds, e.g. 60"
    p = _vpctui("matrix", "--aws", "--deadline", "0")
    assert p.returncode == 2
    assert p.stderr.strip().splitlines()[-1] == "--deadline: the load deadline must be more than 0 and at most 3600 seconds"


# ---- functions that could not be listed ---------------------------------------------------------


@pytest.mark.parametrize("fault", ["deny", "garbage", "die"])
def test_functions_not_listed_is_an_error_not_an_empty_result(session, proxy, fault):
    envs.build_seed(session)
    proxy.faults["ListFunctions"] = fault
    p = _vpctui("matrix", "--aws", "--to", envs.S3_TARGET, "--json", env_extra={"VPCTUI_AWS_DEADLINE": "20"})
    assert p.returncode == 2, (p.stdout, p.stderr)
    assert p.stdout == ""
    last = p.stderr.strip().splitlines()[-1]
    assert last.startswith("the Lambda functions could not be read, so nothing can be checked: ") and \
        "lambda:ListFunctions" in last, last
    assert "Traceback" not in p.stderr


def test_an_account_without_functions_says_so(aws):
    p = _vpctui("matrix", "--aws", "--to", envs.S3_TARGET, "--json")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["results"] == [] and out["note"] == f"no Lambda functions in {ACCOUNT} us-east-1: nothing to check"
    assert "vpctui: no Lambda functions in" in p.stderr


# ---- --redact: no account id in anything vpctui writes ------------------------------------------


def _glue_account_ids(session, built):
    """Account ids where people put them: glued into tag values and Sids, in a partner's ARN."""
    ec2 = session.client("ec2", region_name="us-east-1")
    ec2.create_tags(Resources=[built["subnet2"]], Tags=[{"Key": "owner", "Value": f"acct{ACCOUNT}-payments"},
                                                         {"Key": "Name", "Value": f"private-nat-{ACCOUNT}"}])
    iam = session.client("iam", region_name="us-east-1")
    iam.put_role_policy(RoleName="notes-lambda-role", PolicyName=f"Glued{ACCOUNT}", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Sid": f"Allow{ACCOUNT}Reads", "Effect": "Allow",
                                                 "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{envs.BUCKET}/*"}]}))
    doc = envs.bucket_policy(built["vpce-s3"])
    doc["Statement"].append({"Sid": f"Partner{PARTNER}", "Effect": "Allow",
                             "Principal": {"AWS": f"arn:aws:iam::{PARTNER}:root"},
                             "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{envs.BUCKET}"})
    session.client("s3", region_name="us-east-1").put_bucket_policy(Bucket=envs.BUCKET, Policy=json.dumps(doc))


def _leaks(text: str) -> list[str]:
    return [m for m in (ACCOUNT, PARTNER) if m in text]


def test_redact_masks_every_output_of_the_cli(session, proxy, tmp_path):
    built = envs.build_seed(session)
    _glue_account_ids(session, built)
    proxy.faults["DescribeNetworkAcls"] = "deny"  # an error message quoting the account's ARN
    out = tmp_path / "acct.yaml"
    runs = {
        "matrix": _vpctui("matrix", "--aws", "--redact", "--to", envs.S3_TARGET, "--to", envs.SSM_TARGET),
        "matrix --json": _vpctui("matrix", "--aws", "--redact", "--json"),  # default targets, named on stderr
        "trace --json": _vpctui("trace", "--aws", "--redact", "--from", "lambda-2-nat", "--to", envs.S3_TARGET, "--json"),
        "export": _vpctui("export", "--aws", "--redact", "-o", str(out), "--to", envs.S3_TARGET),
    }
    for name, p in runs.items():
        assert "Traceback" not in p.stderr, (name, p.stderr)
        assert "ec2:DescribeNetworkAcls" in p.stderr, name  # the denied call is named, on every run
        assert _leaks(p.stdout) == [] and _leaks(p.stderr) == [], (name, p.stdout[-2000:], p.stderr[-2000:])
        assert "111111111111" in p.stdout + p.stderr, name  # the stand-in account is there instead
    text = out.read_text()
    assert _leaks(text) == []
    assert "acct111111111111-payments" in text and "Allow111111111111Reads" in text  # glued ids masked too


async def test_tui_loading_panel_and_quit_during_a_stalled_load(session, proxy):
    """The loading panel (what an f8 screenshot of a reload shows) masks the account with --redact,
    and `q` during the load ends it: the load returns while the stalled calls are still held (the
    load's deadline is 60 s; without the cancel it would still be waiting)."""
    from vpctui.tui.app import VpcTuiApp

    envs.build_seed(session)
    proxy.stall_all_but = {"GetCallerIdentity"}  # the panel keeps the line that names the account
    app = VpcTuiApp(source=AwsSource(AwsOptions(region="us-east-1", redact=True)), theme="textual-dark")
    returned = threading.Event()
    read = app._read_source

    def read_and_note(*a, **kw):
        try:
            return read(*a, **kw)
        finally:
            returned.set()

    app._read_source = read_and_note
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(600):
            if any("reading the network" in line for line in app.progress_lines) and "DescribeVpcs" in proxy.seen:
                break
            await pilot.pause(0.05)
        await pilot.pause(0.6)  # the panel shows once a load lasts a moment
        shot = app.export_screenshot()
        assert "reading the network" in shot.replace("&#160;", " ")
        assert _leaks(shot) == [] and "111111111111" in shot
        assert not returned.is_set()
        await pilot.press("q")
        for _ in range(400):  # the load's thread returns while the proxy still holds every call
            if returned.is_set():
                break
            await _sleep(0.05)
        assert returned.is_set() and not proxy.release.is_set()


async def _sleep(s: float) -> None:
    import asyncio

    await asyncio.sleep(s)


def _wait_until(cond, timeout: float) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting")


def test_no_twelve_digit_run_survives_redaction():
    from vpctui.loaders.redact import Redactor

    r = Redactor(ACCOUNT)
    for s in (f"Allow{ACCOUNT}Reads", f"acct{ACCOUNT}", f"x{PARTNER}y", f"arn:aws:iam::{PARTNER}:root",
              f"subnet-0a{ACCOUNT}b"):
        assert not re.search(ACCOUNT + "|" + PARTNER, r.text(s)), s
    assert r.text("vpc-0123456789012abcd") == "vpc-0123456789012abcd"  # 13 digits inside an id: not an account
