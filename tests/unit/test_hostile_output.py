"""Data never drives the terminal (issue 10, part 1): the shipped lambda-vpc scenario with a hostile
string in every field that reaches a screen, through every CLI command, piped and on a terminal.
Nothing from data reaches the terminal raw (no OSC 52, title, clear, DCS, C1 or bidi), no markup in
data is interpreted (no hyperlinks), and ``--json`` carries the strings exactly."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from vpctui.cli import main
from vpctui.render.safe import Safe, SafeConsole, visible, visible_lines
from vpctui.testing.hostile import CORPUS, RAW_FROM_DATA, hostile_scenario

ROOT = Path(__file__).resolve().parents[2]
KINDS = ["osc52", "title", "clear", "dcs", "c1", "bidi", "del", "link", "click", "lone", "slash", "newline"]


def scenario(tmp_path: Path, kind: str) -> tuple[Path, dict]:
    doc = hostile_scenario(CORPUS[kind])
    p = tmp_path / f"{kind}.yaml"
    p.write_text(yaml.safe_dump(doc, allow_unicode=True, width=10**6), encoding="utf-8")
    return p, doc


def commands(p: Path, doc: dict) -> list[list[str]]:
    fn = doc["lambda_functions"][0]["function_name"]
    fn2 = doc["lambda_functions"][2]["function_name"]  # lambda-3-isolated: blocked, with fixes
    return [["validate", str(p)], ["matrix", str(p)], ["subnets", str(p)], ["check", str(p)],
            ["trace", str(p), "--from", fn, "--to", "s3"], ["trace", str(p), "--from", fn2, "--to", "s3"],
            ["fix", str(p), "--from", fn2, "--to", "s3://vpc-notes-bucket/hello.txt"],
            ["diff", str(ROOT / "scenarios" / "lambda-vpc.yaml"), str(p)],
            ["trace", str(p), "--from", fn + "x", "--to", "s3"]]  # an error line quoting the name


def clean(out: str) -> None:
    m = RAW_FROM_DATA.search(out)
    assert m is None, f"raw {m.group()!r} at {m.start()}: {out[max(0, m.start() - 80):m.start() + 40]!r}"
    assert "\x1b]8;" not in out  # no hyperlink from [link=...]
    assert "\x07" not in out and "\x7f" not in out


def test_visible_shows_every_control_and_keeps_text():
    assert visible("a\x1b]52;c;x\x07b") == "a␛]52;c;x␇b"
    assert visible("\x9b31m") == "\\x9b31m"
    assert visible("x\u202ey") == "x\\u202ey"
    assert visible("a\nb\tc\x7f") == "a␊b␉c␡"
    assert visible_lines("a\nb\tc\x1b") == "a\nb\tc␛"
    assert visible("[bold]web[/ é λ ✓") == "[bold]web[/ é λ ✓"  # text is untouched


def test_safe_renderable_drops_links_and_shows_controls():
    from io import StringIO

    from rich.text import Text

    buf = StringIO()
    con = SafeConsole(file=buf, force_terminal=True, width=80, color_system="truecolor")
    con.print(Text.from_markup("[link=https://evil.example/]x[/link]"), Text("a\x1b]0;t\x1b\\b"))
    con.print("[@click=app.quit]y[/] \x1b[2J")
    out = buf.getvalue()
    assert "\x1b]8;" not in out and "]0;" not in out.replace("␛]0;", "") and "\x1b[2J" not in out
    assert "[@click=app.quit]y[/] ␛[2J" in out and "a␛]0;t␛\\b" in out
    assert Safe  # the wrapper is what SafeConsole.print uses


@pytest.mark.parametrize("kind", KINDS)
def test_cli_piped_shows_data_as_text(tmp_path, capsys, kind):
    p, doc = scenario(tmp_path, kind)
    for argv in commands(p, doc):
        code = main(argv)
        out, err = capsys.readouterr()
        assert code in (0, 1, 2), argv
        assert "Traceback" not in err and "internal error" not in err, (argv, err)
        clean(out)
        clean(err)
    if kind == "link":  # the markup is shown as the name it is
        main(["matrix", str(p)])
        out, _ = capsys.readouterr()
        assert "[link=https://evil.example/]link" in out.replace("…", "") or "[link=" in out


@pytest.mark.parametrize("kind", ["osc52", "title", "link", "c1", "bidi", "lone"])
def test_cli_on_a_terminal_shows_data_as_text(tmp_path, capsys, monkeypatch, kind):
    """Rich on a terminal (forced) writes colours: and still nothing from data."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("COLUMNS", "200")
    p, doc = scenario(tmp_path, kind)
    for argv in commands(p, doc):
        main(argv)
        out, err = capsys.readouterr()
        clean(out)
        clean(err)
    main(["matrix", str(p)])
    out, _ = capsys.readouterr()
    assert "\x1b[" in out  # it really was a terminal: Rich styled the verdicts


@pytest.mark.skipif(shutil.which("script") is None, reason="util-linux script is not installed")
def test_cli_under_a_real_pty(tmp_path):
    """`script` gives vpctui a real pseudo-terminal (isatty true, no forcing)."""
    for kind in ("osc52", "title", "link"):
        p, doc = scenario(tmp_path, kind)
        fn = doc["lambda_functions"][2]["function_name"]
        for argv in (["matrix", str(p)], ["trace", str(p), "--from", fn, "--to", "s3"], ["validate", str(p)]):
            cmd = " ".join(["exec", sys.executable, "-m", "vpctui", *(f"'{a}'" for a in argv)])
            log = tmp_path / "typescript"
            env = dict(os.environ, PYTHONPATH=str(ROOT), TERM="xterm-256color", COLUMNS="160")
            env.pop("NO_COLOR", None)
            res = subprocess.run(["script", "-qec", cmd, str(log)], capture_output=True, env=env, timeout=120,
                                 stdin=subprocess.DEVNULL)
            out = res.stdout.decode("utf-8", "replace")
            assert "␛" in out or kind == "link" or argv[0] == "validate", (argv, out[:400])
            clean(out)


def test_json_stays_exact(tmp_path, capsys):
    h = CORPUS["osc52"]
    p, doc = scenario(tmp_path, "osc52")
    main(["matrix", str(p), "--json"])
    out, _ = capsys.readouterr()
    assert "\x1b" not in out  # json.dumps escapes it ...
    names = {r["source"] for r in json.loads(out)["results"]}
    assert f"fn0-{h}" in names  # ... and it round-trips exactly
    main(["subnets", str(p), "--json"])
    out, _ = capsys.readouterr()
    assert json.loads(out)["subnets"][1]["name"] == f"sub1 {h}"
    main(["validate", str(p), "--json"])
    out, _ = capsys.readouterr()
    assert json.loads(out)["results"][0]["ok"]


def test_error_lines_quoting_data_are_one_visible_line(tmp_path, capsys):
    """A loader error quoting a hostile reference: one line on stderr, controls visible."""
    p = tmp_path / "bad.yaml"
    doc = hostile_scenario(CORPUS["title"])
    doc["lambda_functions"][0]["subnet_ids"] = ["subnet-\x1b]0;PWNED\x1b\\\nfake: line"]
    p.write_text(yaml.safe_dump(doc, allow_unicode=True, width=10**6), encoding="utf-8")
    assert main(["validate", str(p)]) == 2
    _, err = capsys.readouterr()
    clean(err)
    assert len(err.strip().splitlines()) == 1, err
