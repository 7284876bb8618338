"""The test generator's YAML (vpctui/testing/generate.py, bench/generate.py) loads at any N.

PyYAML's dumper writes an object that several places share once, with an anchor, and aliases it
everywhere else; the scenario loader counts what aliases expand to and refuses a file past
yamlsrc.MAX_ALIAS_NODES (a defence against alias bombs). At N = 20,000 the generator's shared
subnet lists expanded past it. The generator writes no anchors now, so nothing expands and the
limit cannot be reached at any N: checked as that property (no anchor, no alias) on a network that
does share objects, not by generating 20,000 functions."""

from __future__ import annotations

import yaml

from vpctui.loaders.scenario import parse_scenario
from vpctui.testing import generate as GEN


def _shared_ids(doc) -> int:
    """How many containers appear more than once in ``doc`` (what PyYAML would anchor)."""
    seen: dict[int, int] = {}

    def walk(x):
        if isinstance(x, (dict, list)):
            seen[id(x)] = seen.get(id(x), 0) + 1
            if seen[id(x)] > 1:
                return
            for v in (x.values() if isinstance(x, dict) else x):
                walk(v)

    walk(doc)
    return sum(1 for n in seen.values() if n > 1)


def test_the_generator_s_yaml_has_no_anchors_or_aliases():
    doc = GEN.generate(300, seed=1)
    assert _shared_ids(doc) > 0, "the generated document shares objects (what PyYAML anchors)"
    text = GEN.dump(doc)
    events = list(yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    assert not [e for e in events if isinstance(e, yaml.AliasEvent)]
    assert not [e for e in events if getattr(e, "anchor", None)]
    net = parse_scenario(text, "<generated n=300>")
    assert len(net.functions) == 300
    assert yaml.safe_load(text) == doc  # the same document, written out in full
