"""`vpctui matrix --json` writes traces with render/jsonlines.py's encoder, which must give the
same bytes as ``json.dumps(trace.to_dict(hops))`` (what it replaced): on every scenario, on
generated networks, and on texts with quotes, controls and non-ASCII characters."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from vpctui import cli
from vpctui.engine.matrix import iter_matrix
from vpctui.engine.result import Finding, Hop, PathResult, Trace
from vpctui.loaders.scenario import load_scenario, parse_scenario
from vpctui.render import jsonlines
from vpctui.render.jsonlines import TraceJson
from vpctui.testing import generate as GEN

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


def _same(traces, hops: bool) -> None:
    enc = TraceJson(hops)
    for t in traces:
        assert enc.trace(t) == json.dumps(t.to_dict(hops)), (t.source, t.target)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_scenario_encodes_as_json_dumps(path):
    net = load_scenario(path)
    if not net.functions:
        pytest.skip("no functions")
    traces = list(iter_matrix(net, None))
    _same(traces, hops=False)
    _same(traces, hops=True)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_networks_encode_as_json_dumps(seed):
    net = parse_scenario(GEN.dump(GEN.generate(60, seed)), f"<generated seed={seed}>")
    traces = list(iter_matrix(net, None))
    _same(traces, hops=False)
    _same(traces, hops=True)


def test_odd_texts_and_shapes():
    f = Finding("H3", "SG_NO_EGRESS", "sg-1", 'quote " backslash \\ tab\t nul\x00 é ✓ \U0001f600', "fix\n2")
    h = Hop("H3", "sg-1", "security-group", "drop", "d\u2028e", None)
    paths = (PathResult(None, "blocked", "timeout", "msg", (h, h), f, (f, f), ("n1", "ünï")),
             PathResult("subnet-1", "reachable", "ok", "", (), None, (), ()))
    for t in (Trace("fn", "s3://b/k", "blocked", paths, "desc"),
              Trace("fn", "x", "unknown", (), error="the target 'x' is not understood"),
              Trace("fn", "x", "unknown", ())):
        _same([t], hops=False)
        _same([t], hops=True)


def test_kept_texts_are_bounded(monkeypatch):
    """The kept hop and finding texts are dropped past KEEP, and the text stays the same."""
    monkeypatch.setattr(jsonlines, "KEEP", 3)
    net = load_scenario(SCENARIOS[0])
    traces = list(iter_matrix(net, None))
    enc = TraceJson(True)
    for t in traces:
        assert enc.trace(t) == json.dumps(t.to_dict(True))
        assert len(enc._seen) <= 3 + 1


@pytest.mark.parametrize("hops", [False, True])
def test_cli_matrix_json_is_the_dicts_json(hops):
    """The whole `vpctui matrix --json` output equals the dicts' JSON, as it was written before."""
    path = ROOT / "scenarios" / "lambda-vpc.yaml"
    net = load_scenario(path)
    want = '{"results": [' + ",".join("\n" + json.dumps(t.to_dict(hops)) for t in iter_matrix(net, None)) + "\n]}\n"
    buf = io.StringIO()
    with redirect_stdout(buf):
        code = cli.main(["matrix", str(path), "--json"] + (["--hops"] if hops else []))
    assert code in (0, 1)
    assert buf.getvalue() == want
