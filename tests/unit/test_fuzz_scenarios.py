"""Property: any mutation of a shipped scenario gets a clear answer (issue 10, part 3).

Hypothesis mutates the files in scenarios/ (a value replaced by hostile data, a key dropped,
renamed or added, an item duplicated, the text cut or spliced) and runs the real CLI in-process:
`validate`, then `matrix --json` and `trace`. The contract:
- exit 0, 1 or 2; on 2, every stderr line is ``FILE:LINE: KEY.PATH: message``; never a traceback or
  "internal error";
- `validate` accepts exactly what `matrix` and `trace` can use: validate 0 -> matrix 0 and trace 0/1;
  validate 2 -> matrix 2 with the same lines.

The seed is fixed (derandomize) and the budget fits CI; VPCTUI_FUZZ_EXAMPLES=5000 runs a longer
campaign (see docs/scenario-format.md, "Limits", for the figures of the last one).
"""

from __future__ import annotations

import io
import json
import os
import re
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vpctui.cli import main

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted(p for p in (ROOT / "scenarios").glob("*.yaml"))
DOCS = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in SCENARIOS}
TEXTS = {p.name: p.read_text(encoding="utf-8") for p in SCENARIOS}
EXAMPLES = int(os.environ.get("VPCTUI_FUZZ_EXAMPLES", "60"))

ERROR_LINE = re.compile(r"^[^:\n]+\.yaml:[1-9][0-9]*: [^ ]+: .+$")

HOSTILE = [
    None, True, False, 0, -1, 65536, 10**19, 10**30, 1.5, float("inf"), "", " ", "x" * 300, "[", "]",
    "[/", "[@click=app.quit]x", "[link=https://e.invalid]y[/link]", "\x1b]52;c;aGk=\x07", "\x1b[2J",
    "a\nb", "tab\there", "²", "٣", "0x10", "1e3", "2012-10-17", "yes", "null", "~", "*", "?", "&a",
    "0.0.0.0/0", "0.0.0.0/4", "10.0.0.0/8", "10.0.1.5/24", "::/0", "2001:db8::/129", "300.1.1.1",
    "10.0.1.10", "sg-zzz", "subnet-zzz", "vpc-zzz", "igw-zzz", "nat-zzz", "pl-zzz", "vpce-zzz", "local",
    "us-east-1", "us-west-2", "[" * 50, "s3://", "ssm:", "https://h:0", "1.2.3.4:99999", "all", "-1",
    "tcp", "1024-65535", "65535-1", "inbound", "deny", "Allow", "Deny", "blackhole", "Interface",
    "Gateway", '{"Statement": []}', '{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}',
    "[[[[[[[[[[]]]]]]]]]]", [], {}, [None], [[]], {"a": {"b": {"c": {}}}}, ["x", 1, None], {"": 1},
    {"Statement": "x"}, {"Statement": [{"Effect": "Allow"}]}, {1: 2}, [{"a": "b"}],
]


def _paths(node, prefix=()):
    """Every (path, value) in a parsed document."""
    yield prefix, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


def _get(doc, path):
    for p in path:
        doc = doc[p]
    return doc


@st.composite
def mutated(draw):
    name = draw(st.sampled_from(sorted(DOCS)))
    kind = draw(st.sampled_from(["value", "value", "value", "drop", "rename", "add", "dup", "text", "nest"]))
    if kind == "text":
        text = TEXTS[name]
        i = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["cut", "insert", "delete"]))
        if op == "cut":
            text = text[:i]
        elif op == "insert":
            text = text[:i] + draw(st.sampled_from([":", "- ", "[", "{", "&a ", "*a", "!!binary ", "\t", "\x07",
                                                     "\n  x: 1\n", "'", '"', "\ufeff", "#", "? ", "<<: *a\n"])) + text[i:]
        else:
            j = draw(st.integers(i, min(len(text), i + 40)))
            text = text[:i] + text[j:]
        return name, text
    doc = json.loads(json.dumps(DOCS[name]))  # a deep copy
    paths = [p for p, _ in _paths(doc) if p]
    path = draw(st.sampled_from(paths))
    parent, last = _get(doc, path[:-1]), path[-1]
    if kind == "value":
        parent[last] = draw(st.sampled_from(HOSTILE))
    elif kind == "nest":
        v = parent[last]
        for _ in range(draw(st.integers(1, 80))):
            v = [v] if draw(st.booleans()) else {"k": v}
        parent[last] = v
    elif kind == "drop":
        del parent[last]
    elif kind == "rename" and isinstance(parent, dict):
        parent[draw(st.sampled_from(["name", "x", "vpc_id", "Version", "cidr", "ports", "\u200b", "a b"]))] = parent.pop(last)
    elif kind == "add" and isinstance(parent, dict):
        parent[draw(st.sampled_from(["extra", "tags", "policy", "region", "main", "default"]))] = draw(st.sampled_from(HOSTILE))
    elif kind == "dup" and isinstance(parent, list):
        parent.insert(last, json.loads(json.dumps(parent[last])))
    try:
        text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=10_000)
    except (yaml.YAMLError, RecursionError):
        text = TEXTS[name]
    return name, text


def _run(*argv):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def _check_errors(argv, code, err):
    assert code in (0, 1, 2), (argv, code, err)
    assert "Traceback" not in err and "internal error" not in err, (argv, err)
    if code == 2:
        lines = [ln for ln in err.splitlines() if not ln.startswith("vpctui: reading ")]
        assert lines, (argv, err)
        for ln in lines:
            assert ERROR_LINE.match(ln), (argv, ln)


def check_contract(tmp: Path, name: str, text: str) -> str:
    p = tmp / f"m-{name}"
    p.write_text(text, encoding="utf-8")
    code_v, out_v, err_v = _run("validate", str(p))
    _check_errors("validate", code_v, err_v)
    assert code_v in (0, 2)
    code_m, out_m, err_m = _run("matrix", str(p), "--json")
    _check_errors("matrix", code_m, err_m)
    if code_v == 0:
        assert code_m == 0, ("validate accepted what matrix rejects", err_m)
        results = json.loads(out_m)["results"]
        fn = results[0]["source"] if results else None
        if fn:
            code_t, _, err_t = _run("trace", str(p), "--from", fn, "--to", results[0]["target"])
            _check_errors("trace", code_t, err_t)
            assert code_t in (0, 1), ("validate accepted what trace rejects", err_t)
        return "accepted"
    assert code_m == 2 and err_m == err_v, ("matrix and validate disagree", err_v, err_m)
    return "rejected"


@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(case=mutated())
def test_mutated_scenarios_keep_the_contract(tmp_path_factory, case):
    name, text = case
    check_contract(tmp_path_factory.mktemp("fuzz"), name, text)


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_shipped_scenarios_pass_the_contract(tmp_path, name):
    assert check_contract(tmp_path, name, TEXTS[name]) == "accepted"
