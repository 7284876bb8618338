"""The CLI behaves like one (issue 11 §3): unknown words, missing files, no terminal, formats,
--fail-on, piped output never cut, and the small nits."""

from __future__ import annotations

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


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _cli(*argv, stdin=subprocess.DEVNULL, timeout=60):
    env = dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="80")
    return subprocess.run([sys.executable, "-m", "vpctui", *argv], capture_output=True, text=True,
                          stdin=stdin, env=env, timeout=timeout, cwd=str(ROOT))


@pytest.mark.parametrize("word, hint", [("tarce", "'vpctui trace'"), ("matirx", "'vpctui matrix'"),
                                        ("chekc", "'vpctui check'"), ("frobnicate", "commands: trace")])
def test_unknown_command_word_is_exit_2_with_a_suggestion(capsys, word, hint):
    code, out, err = run(capsys, word)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and f"'{word}' is not a vpctui command or a file" in err and hint in err


def test_a_scenario_that_does_not_exist_is_an_error_before_any_ui(capsys, tmp_path):
    code, _, err = run(capsys, str(tmp_path / "nope.yaml"))
    assert code == 2 and err.strip() == f"vpctui: {tmp_path / 'nope.yaml'}: no such file"
    code, _, err = run(capsys, str(tmp_path))
    assert code == 2 and "is a directory" in err


def test_no_terminal_refuses_with_one_line():
    # stdin /dev/null, stdout a pipe: no escape codes, no hang, one line naming the headless commands
    r = _cli(SEED, timeout=30)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and "needs a terminal" in r.stderr and "vpctui trace" in r.stderr


@pytest.mark.parametrize("fmt", ["md", "tsv", "json", "text"])
def test_trace_formats(capsys, fmt):
    code, out, _ = run(capsys, "trace", SEED, "--from", "lambda-3-isolated", "--to", OBJ, "--format", fmt)
    assert code == 1
    if fmt == "md":
        assert out.startswith("## vpctui: lambda-3-isolated → s3://vpc-notes-bucket/hello.txt: ✗ BLOCKED")
        assert "| step | hop | component | result | decision |" in out
        assert "| 1 | H0 lambda-eni |" in out  # steps numbered 1, 2, 3, the hop category a label
        assert "**Drop:** `NO_ROUTE_TO_DESTINATION` at H4 rtb-0iso" in out and "**Why:**" in out and "**Fix:**" in out
    elif fmt == "tsv":
        rows = [r.split("\t") for r in out.splitlines()]
        assert rows[0][:5] == ["source", "target", "path", "subnet_id", "step"]
        assert all(len(r) == len(rows[0]) for r in rows)
        assert [r[4] for r in rows[1:]] == [str(i) for i in range(1, len(rows))]
        assert any(r[8] == "drop" and r[6] == "rtb-0iso" for r in rows[1:])
    elif fmt == "json":
        assert json.loads(out)["verdict"] == "blocked"
    else:
        assert "NO_ROUTE_TO_DESTINATION" in out


def test_json_is_a_synonym_and_a_contradiction_is_refused(capsys):
    a = run(capsys, "trace", SEED, "--from", "lambda-2-nat", "--to", OBJ, "--json")
    b = run(capsys, "trace", SEED, "--from", "lambda-2-nat", "--to", OBJ, "--format", "json")
    assert a == b and a[0] == 0
    code, _, err = run(capsys, "trace", SEED, "--from", "lambda-2-nat", "--to", OBJ, "--json", "--format", "md")
    assert code == 2 and "disagree" in err


def test_matrix_formats_and_fail_on(capsys):
    code, out, _ = run(capsys, "matrix", SEED, "--format", "tsv")
    assert code == 0  # documented: exit 0 whatever the cells say without --fail-on
    rows = [r.split("\t") for r in out.splitlines()]
    assert rows[0] == ["source", "target", "verdict", "symptom", "reason", "hop", "component_id"]
    assert ["lambda-3-isolated", OBJ, "blocked", "timeout", "NO_ROUTE_TO_DESTINATION", "H4", "rtb-0iso"] in rows
    code, out, _ = run(capsys, "matrix", SEED, "--format", "md")
    assert code == 0 and "| function | s3://vpc-notes-bucket/hello.txt | ssm:/vpc-notes/parameter |" in out
    assert run(capsys, "matrix", SEED, "--fail-on", "blocked")[0] == 1
    assert run(capsys, "matrix", SEED, "--fail-on", "any", "--format", "json")[0] == 1
    assert run(capsys, "matrix", SEED, "--fail-on", "unknown")[0] == 0
    assert run(capsys, "matrix", SEED, "--fail-on", "blocked", "--from", "lambda-2-nat")[0] == 0
    # --json with --hops still streams one compact line per result
    code, out, _ = run(capsys, "matrix", SEED, "--json", "--hops")
    lines = out.splitlines()
    assert code == 0 and lines[0] == '{"results": [' and "hops" in json.loads(lines[1].rstrip(","))["paths"][0]
    assert run(capsys, "matrix", SEED, "--hops", "--format", "md")[0] == 2


def test_check_formats(capsys):
    f = str(ROOT / "scenarios" / "nacl-rule-order.yaml")
    code, out, _ = run(capsys, "check", f, "--format", "tsv")
    rows = [r.split("\t") for r in out.splitlines()]
    assert code == 0 and rows[0] == ["file", "line", "from", "to", "ok", "verdict", "problems"] and len(rows) > 1
    code, out, _ = run(capsys, "check", f, "--format", "md")
    assert code == 0 and out.startswith("## vpctui check:") and "| ✓ |" in out


def test_piped_output_is_never_cut():
    # COLUMNS=80 and a pipe: Rich would cut the table at 80 columns ("lambda-4-endpoin…")
    r = _cli("matrix", SEED, "--to", OBJ, "--to", "ssm:/vpc-notes/parameter", "--to", "https://example.com")
    assert r.returncode == 0
    assert "lambda-4-endpoints" in r.stdout and "https://example.com" in r.stdout and "…" not in r.stdout
    assert "\x1b[" not in r.stdout
    r = _cli("trace", SEED, "--from", "lambda-3-isolated", "--to", OBJ)
    assert "…" not in r.stdout and "\x1b[" not in r.stdout


def test_nits(capsys, tmp_path):
    code, _, err = run(capsys, "trace", SEED, "--from", "lambda-2-nat", "--to", "ftp://x")
    assert code == 2 and "not a port number" not in err and "'ftp'" in err
    code, _, err = run(capsys, "screenshot", SEED, "--out", str(tmp_path / "x.svg"), "--press", "4,zzz")
    assert code == 2 and "--press 'zzz': not a key" in err and not (tmp_path / "x.svg").exists()
    code, out, _ = run(capsys, "validate", SEED)
    assert code == 0 and "(1 VPC, 4 subnets, 4 functions)" in out
    src = (ROOT / "scenarios" / "dynamodb-gateway-endpoint.yaml").read_text()
    bad = src.replace("{group_id: sg-0cart, group_name: cart-fn, vpc_id: cart-vpc}",
                      "{group_id: sg-0cart, group_name: cart-fn, vpc_id: cart-vpc, egress: "
                      "[{protocol: tcp, ports: 443, prefix_list: com.amazonaws.us-east-1.dynamodb}]}")
    assert bad != src
    (tmp_path / "pl.yaml").write_text(bad)
    code, _, err = run(capsys, "validate", str(tmp_path / "pl.yaml"))
    assert code == 2 and "prefix_list: pl-02cd2c6b" in err


def test_palette_names_an_unnamed_resource_once():
    from vpctui.tui.commands import _named

    assert _named("rtb-0pub", "rtb-0pub") == "rtb-0pub"
    assert _named("public", "rtb-0pub") == "public rtb-0pub"


def test_the_nat_idle_note_only_on_a_path_it_explains():
    from vpctui.engine import trace
    from vpctui.engine.gateways import NAT_IDLE_NOTE
    from vpctui.loaders.scenario import load_scenario

    net = load_scenario(str(ROOT / "scenarios" / "lambda-vpc-bucket-policy.yaml"))
    blocked = trace(net, "lambda-2-nat", OBJ).paths[0]  # through the NAT, then a 403
    assert blocked.verdict == "blocked" and any(h.component_type == "nat-gateway" for h in blocked.hops)
    assert NAT_IDLE_NOTE not in blocked.notes
    ok = trace(load_scenario(SEED), "lambda-2-nat", OBJ).paths[0]  # S3 through the NAT
    assert ok.verdict == "reachable" and NAT_IDLE_NOTE in ok.notes


def test_an_access_denied_message_is_printed_once(capsys):
    f = str(ROOT / "scenarios" / "endpoint-policy-deny.yaml")
    for fmt in ("text", "md"):
        code, out, _ = run(capsys, "trace", f, "--from", "config-loader", "--to", "ssm:/prod/db-url", "--format", fmt)
        assert code == 1 and out.count("is not authorized to perform") == 1, fmt


def test_serve_passes_to_targets_through(capsys):
    from vpctui.serve import app_command

    assert app_command(["--to", "sts", "--to", OBJ]).endswith(f"-m vpctui --to sts --to {OBJ}")
    code, _, err = run(capsys, "serve", "--to", "sts", "--port", "0")
    assert code == 2 and "--port 0" in err  # --to was accepted as a TUI flag; the port was not
