"""The step cache (engine/cache.py) belongs to the caller: traces that share one give the answers of
fresh traces, and nothing a trace computes is stored on the (frozen) Network."""

from __future__ import annotations

from pathlib import Path

from vpctui.engine import StepCache, matrix, trace
from vpctui.engine.targets import default_targets
from vpctui.loaders.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
STEP_KINDS = ("h0", "dns", "net", "auth", "sg", "nacl")


def _pairs(net):
    targets = list(net.targets) or default_targets(net)
    return [(f.function_name, t) for f in net.functions for t in targets]


def _holds_step_records(obj) -> bool:
    return isinstance(obj, dict) and any(isinstance(k, tuple) and k and k[0] in STEP_KINDS for k in obj)


def test_traces_sharing_a_cache_equal_fresh_traces():
    net = load_scenario(ROOT / "scenarios" / "lambda-vpc.yaml")
    cache = StepCache()
    shared = [trace(net, f, t, cache=cache) for f, t in _pairs(net)]
    assert len(cache) > 0  # the cache was used
    again = [trace(net, f, t, cache=cache) for f, t in _pairs(net)]  # replayed from the cache
    fresh = [trace(net, f, t) for f, t in _pairs(net)]
    assert shared == fresh and again == fresh


def test_a_full_cache_starts_afresh_and_answers_the_same():
    net = load_scenario(ROOT / "scenarios" / "lambda-vpc.yaml")
    unbounded, small = StepCache(), StepCache(limit=3)
    want = [trace(net, f, t, cache=unbounded) for f, t in _pairs(net)]
    got = [trace(net, f, t, cache=small) for f, t in _pairs(net)]
    assert got == want
    assert len(small) < len(unbounded)  # it was emptied on the way


def test_the_network_holds_no_trace_results():
    net = load_scenario(ROOT / "scenarios" / "lambda-vpc.yaml")
    cache = StepCache()
    for f, t in _pairs(net):
        trace(net, f, t, cache=cache)
    matrix(net)
    assert _holds_step_records(cache.steps)  # what the check looks for is what a cache holds
    assert not any(_holds_step_records(v) for v in vars(net).values())
