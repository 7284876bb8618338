"""Talk scripts: the shipped talk reads, and every bad step is one line with file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from vpctui.loaders import LoadError
from vpctui.loaders.talk import load_talk

ROOT = Path(__file__).resolve().parents[2]


def test_the_shipped_talk_reads():
    talk = load_talk(str(ROOT / "scenarios" / "talks" / "lambda-vpc.yaml"))
    assert talk.title == "Lambda functions in a VPC"
    assert talk.scenario == str(ROOT / "scenarios" / "lambda-vpc.yaml")
    kinds = [s.kind for s in talk.steps]
    assert kinds[:2] == ["say", "pane"] and "fix" in kinds and kinds[-2] == "matrix"
    assert ("trace", ("lambda-1-public", "s3://vpc-notes-bucket/hello.txt")) in [(s.kind, s.value) for s in talk.steps]


def _errors(tmp_path, text: str) -> list[str]:
    p = tmp_path / "talk.yaml"
    p.write_text(text)
    with pytest.raises(LoadError) as e:
        load_talk(str(p))
    return e.value.errors


@pytest.mark.parametrize("body, line, key", [
    ("steps:\n  - hop: sideways\n", 2, "steps[0].hop"),
    ("steps:\n  - say: hi\n  - pane: 9\n", 3, "steps[1].pane"),
    ("steps:\n  - trace: {from: f}\n", 2, "steps[0].trace"),
    ("steps:\n  - tarce: {from: f, to: s3}\n", 2, "steps[0].tarce"),
    ("steps:\n  - fix: undo\n", 2, "steps[0].fix"),
    ("steps:\n  - matrix: maybe\n", 2, "steps[0].matrix"),
    ("steps:\n  - hop: 0\n", 2, "steps[0].hop"),
    ("steps:\n  - close: now\n", 2, "steps[0].close"),
    ("steps: []\n", 1, "steps"),
    ("scenario: nowhere.yaml\nsteps:\n  - close\n", 1, "scenario"),
])
def test_a_bad_step_is_one_line_with_file_line_and_key(tmp_path, body, line, key):
    errors = _errors(tmp_path, body)
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"{tmp_path / 'talk.yaml'}:{line}: {key}: ")


def test_a_misspelt_key_is_named_with_a_suggestion(tmp_path):
    errors = _errors(tmp_path, "title: t\nstpes: []\n")
    assert errors[0].endswith(":2: stpes: unknown key (did you mean 'steps'?)")


def test_a_misspelt_step_gets_a_suggestion(tmp_path):
    assert "did you mean 'trace'" in _errors(tmp_path, "steps:\n  - tarce: {from: f, to: s3}\n")[0]


def test_not_yaml_and_not_a_mapping(tmp_path):
    assert ":1:" in _errors(tmp_path, "- say: hi\n")[0]
    assert "YAML syntax error" in _errors(tmp_path, "steps: [\n")[0]
    with pytest.raises(LoadError) as e:
        load_talk(str(tmp_path / "missing.yaml"))
    assert "cannot read" in e.value.errors[0]


def test_the_cli_checks_the_script_before_any_ui(tmp_path, capsys):
    from vpctui.cli import main

    p = tmp_path / "talk.yaml"
    p.write_text("steps:\n  - hop: sideways\n")
    assert main(["--script", str(p)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"{p}:2: steps[0].hop: ")
    assert main(["serve", "--script", str(p)]) == 2
