"""Export round trip: every scenario file -> network -> scenario YAML -> network traces the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from vpctui.engine import default_targets, matrix
from vpctui.loaders.dump import component_to_yaml, network_to_dict, network_to_yaml
from vpctui.loaders.scenario import load_scenario, parse_scenario
from vpctui.loaders.yamlsrc import load_yaml

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))


def traces(net, targets=None):
    return [t.to_dict() for t in matrix(net, targets or default_targets(net) or None)]


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_round_trip_traces_identically(path):
    net = load_scenario(path)
    text = network_to_yaml(net)
    back = parse_scenario(text, f"{path.name} (exported)")
    targets = list(net.targets) or None
    assert traces(back, targets) == traces(net, targets)
    # and the export is stable: exporting the reloaded network gives the same file
    assert network_to_dict(back) == network_to_dict(net)


def test_scenarios_found():
    assert any(p.name == "lambda-vpc.yaml" for p in SCENARIOS)


def test_component_to_yaml_is_scenario_syntax():
    net = load_scenario(next(p for p in SCENARIOS if p.name == "lambda-vpc.yaml"))
    for comp in ("sg-0endpoint", "rtb-0vpce", "vpce-0ssm", "subnet-01a", "lambda-2-nat", "notes-lambda-role",
                 "s3://vpc-notes-bucket", "acl-0open", "nat-0c0ffee", "vpc-0a5e1d"):
        doc = load_yaml(component_to_yaml(net, comp))
        assert len(doc) == 1
        (section, items), = doc.items()
        assert len(items) == 1
    sg = load_yaml(component_to_yaml(net, "sg-0endpoint"))["security_groups"][0]
    assert sg["group_id"] == "sg-0endpoint"
    assert sg["ingress"] == [{"protocol": "tcp", "ports": 443, "cidr": "10.0.0.0/16"}]
    with pytest.raises(KeyError):
        component_to_yaml(net, "sg-nope")
