"""docs/aws-behaviour.md is the project's own rule book: every rule has an AWS page and a test that
exists, every rule id the code cites is defined there, and nothing cites a file outside the
repository or internal numbers."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "aws-behaviour.md"
_ID = re.compile(r"\b((?:LAMBDA|DNS|ROUTE|NAT|IGW|EP|CAT|SG|NACL|PCX|POL|SDK)-\d+)\b")


def _rules() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    parts = re.split(r"^### ", text, flags=re.M)[1:]
    return {p.split(":", 1)[0].strip(): p for p in parts}


def test_every_rule_has_an_aws_page_and_a_test_that_exists():
    rules = _rules()
    assert len(rules) > 60
    problems = []
    for rid, body in rules.items():
        if "AWS:" not in body:
            problems.append(f"{rid}: no AWS: line")
        elif "https://" not in body.split("AWS:", 1)[1] and "vpctui's own" not in body:
            problems.append(f"{rid}: no AWS page")
        if "Test:" not in body and "Tests:" not in body:
            problems.append(f"{rid}: no Test: line")
            continue
        for path, name in re.findall(r"`(?:tests/)?((?:unit|tui|live)/test_\w+\.py)::(\w+)`", body):
            f = ROOT / "tests" / path
            if not f.exists() or not re.search(rf"^(?:async )?def {name}\(", f.read_text(encoding="utf-8"), re.M):
                problems.append(f"{rid}: {path}::{name} does not exist")
        for scen in re.findall(r"`(scenarios/[\w.-]+\.yaml)`", body):
            if not (ROOT / scen).exists():
                problems.append(f"{rid}: {scen} does not exist")
    assert not problems, "\n".join(problems)


def test_every_rule_id_the_code_cites_is_defined():
    defined = set(_rules())
    cited = {}
    for f in list((ROOT / "vpctui").rglob("*.py")) + list((ROOT / "scenarios").glob("*.yaml")) + [ROOT / "README.md"]:
        for m in _ID.finditer(f.read_text(encoding="utf-8")):
            cited.setdefault(m.group(1), str(f.relative_to(ROOT)))
    missing = {k: v for k, v in cited.items() if k not in defined}
    assert not missing, missing


def test_nothing_cites_internal_numbers_or_files_outside_the_repository():
    bad = re.compile(r"\.\./shared|aws-rules|rule book|\bR\d+\.\d+\b|\bTC\d+\b")
    hits = []
    files = [ROOT / "README.md"] + list((ROOT / "docs").glob("*.md")) + list((ROOT / "scenarios").glob("*.yaml")) \
        + list((ROOT / "vpctui").rglob("*.py")) + list((ROOT / "vpctui").rglob("*.yaml"))
    for f in files:
        for i, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if bad.search(line):
                hits.append(f"{f.relative_to(ROOT)}:{i}: {line.strip()}")
    assert not hits, "\n".join(hits)
