"""Fixes are edits that fix: on every scenario and generated network, applying the edits of every
fix the engine gives removes that finding from the trace. A fix that does not fix is a defect;
a fix vpctui cannot express as an edit says why (text only)."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from vpctui.engine import matrix, trace
from vpctui.engine.edits import apply
from vpctui.engine.fixes import first_fix, fixes, trace_fixes
from vpctui.loaders.scenario import load_scenario, parse_scenario
from vpctui.testing import generate as gen

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


@functools.lru_cache(maxsize=None)
def network(name: str):
    if name.startswith("generated-"):
        seed = int(name.rsplit("-", 1)[1])
        return parse_scenario(gen.dump(gen.generate(40, seed)), f"<generated seed={seed}>")
    return load_scenario(ROOT / "scenarios" / f"{name}.yaml")


NETWORKS = [p.stem for p in SCENARIOS] + ["generated-1", "generated-2", "generated-3"]


def _has(trace_, subnet_id, finding) -> bool:
    paths = [p for p in trace_.paths if p.subnet_id == subnet_id] or list(trace_.paths)
    return any(f.reason == finding.reason and f.component_id == finding.component_id
               for p in paths for f in ((p.drop,) if p.drop else ()) + p.blockers)


@pytest.mark.parametrize("name", NETWORKS)
def test_every_fix_removes_its_finding(name):
    net = network(name)
    failures, applied = [], 0
    for tr in matrix(net, list(net.targets) or None):
        for path, finding, fxs in trace_fixes(net, tr):
            assert fxs, "every finding has at least its text"
            for fx in fxs:
                if not fx.edits:
                    assert fx.why_text_only, (finding.reason, fx.text)
                    continue
                after = apply(net, fx.edits)
                applied += 1
                if _has(trace(after, tr.source, tr.target), path.subnet_id, finding):
                    failures.append((tr.source, tr.target, finding.reason, finding.component_id, fx.text))
    assert not failures, failures[:5]


def test_generated_networks_exercise_the_fixes():
    """The property is only worth something if many kinds of fix are applied."""
    reasons = set()
    for name in ("generated-1", "generated-2"):
        net = network(name)
        for tr in matrix(net):
            for _p, f, fxs in trace_fixes(net, tr):
                if any(fx.edits for fx in fxs):
                    reasons.add(f.reason)
    assert {"ENI_SG_RULES_MISMATCH", "NO_ROUTE_TO_DESTINATION", "RESOURCE_POLICY_DENY",
            "GATEWAY_ENDPOINT_NOT_ASSOCIATED",
            "IDENTITY_POLICY_NO_ALLOW", "PRIVATE_DNS_NOT_EFFECTIVE"} <= reasons


def test_seed_fix_for_the_isolated_function_associates_the_existing_endpoint():
    net = network("lambda-vpc")
    tr = trace(net, "lambda-3-isolated", "s3://vpc-notes-bucket/hello.txt")
    _p, drop, fx = first_fix(net, tr)
    assert drop.reason == "NO_ROUTE_TO_DESTINATION"
    assert [e.describe() for e in fx.edits] == ["associate the gateway endpoint vpce-0s3gw with route table rtb-0iso"]
    assert trace(apply(net, fx.edits), "lambda-3-isolated", "s3://vpc-notes-bucket/hello.txt").verdict == "reachable"


def test_first_fix_prefers_the_one_that_makes_the_trace_reachable():
    """lambda-1-public in the bucket-policy variant: moving it behind the NAT removes the IGW drop
    but meets the bucket policy; the gateway endpoint on its route table makes it reachable."""
    net = network("lambda-vpc-bucket-policy")
    tr = trace(net, "lambda-1-public", "s3://vpc-notes-bucket/hello.txt")
    all_fixes = fixes(net, tr, tr.paths[0], tr.paths[0].drop)
    assert all_fixes[0].edits[0].kind == "set-function-vpc-config"
    _p, _d, fx = first_fix(net, tr)
    assert fx.edits[0].kind == "associate-gateway-endpoint"
    assert trace(apply(net, fx.edits), "lambda-1-public", "s3://vpc-notes-bucket/hello.txt").verdict == "reachable"


def test_fixes_name_only_what_the_input_has():
    """Edits reference ids that exist in the network (or 0.0.0.0/0, ::/0, a CIDR of the input)."""
    for name in ("lambda-vpc", "lambda-vpc-bucket-policy", "generated-1"):
        net = network(name)
        cidrs = {c for v in net.vpcs for c in v.cidr_blocks} | {s.cidr_block for s in net.subnets} | {"0.0.0.0/0", "::/0"}
        for tr in matrix(net):
            for _p, _f, fxs in trace_fixes(net, tr):
                for fx in fxs:
                    for e in fx.edits:
                        for k, v in e.to_dict().items():
                            if k.endswith("_id") and isinstance(v, str) and v:
                                assert net.get(v) is not None or net.function_by_name.get(v), (e.describe(), v)
                        rule = getattr(e, "rule", None) or getattr(e, "entry", None)
                        cidr = getattr(rule, "cidr", None) or getattr(rule, "cidr_block", None)
                        if cidr:
                            assert cidr in cidrs or cidr.endswith(("/32", "/128")) and any(
                                cidr.split("/")[0] in v.dhcp_options.domain_name_servers for v in net.vpcs), (e.describe(), cidr)


def test_unknown_findings_are_text_only():
    net = network("lambda-vpc")
    from vpctui.engine.result import Finding

    tr = trace(net, "lambda-3-isolated", "s3://vpc-notes-bucket/hello.txt")
    f = Finding("H4", "UNKNOWN_RESOURCE", "rtb-0iso", "x", "grant read access", "unknown")
    (fx,) = fixes(net, tr, tr.paths[0], f)
    assert not fx.edits and "lacks data" in fx.why_text_only


def test_a_nacl_fix_for_custom_dns_when_rule_1_is_taken_is_text_only_not_a_crash():
    """H1 at a NACL (UDP 53 to a custom resolver denied): the fix adds entries below the first
    one. With rule 1 taken there is no number below it: the fix is text only (a person must
    renumber), never an entry without a number."""
    import pathlib

    from vpctui.engine import trace
    from vpctui.engine.edits import apply
    from vpctui.engine.fixes import fixes
    from vpctui.loaders.scenario import parse_scenario

    src = (pathlib.Path(__file__).resolve().parents[2] / "scenarios" / "custom-dns-blocked-by-sg.yaml").read_text()
    src = src.split("expect:")[0] + """
network_acls:
  - network_acl_id: acl-0tight
    vpc_id: corp-vpc
    associations: [private-a]
    entries:
      - {rule_number: 1, direction: outbound, action: deny, protocol: udp, ports: 53, cidr: 10.0.5.10/32}
      - {rule_number: 2, direction: outbound, action: allow, protocol: "-1", cidr: 0.0.0.0/0}
      - {rule_number: 1, direction: inbound, action: allow, protocol: "-1", cidr: 0.0.0.0/0}
"""
    net = parse_scenario(src, "x.yaml")
    tr = trace(net, "rotate-keys-fixed", "secretsmanager:corp/api-key")
    p = tr.paths[0]
    assert p.drop is not None and (p.drop.hop, p.drop.component_id) == ("H1", "acl-0tight"), p.drop
    for fx in fixes(net, tr, p, p.drop):
        for e in fx.edits:  # every edit offered can be applied
            apply(net, [e])
