"""The optimised matrix equals a straightforward trace per (function, target).

``matrix()`` traces once per distinct (subnet, SG set, role, settings, target) and copies the result
to every function that shares it (LAMBDA-1 in docs/aws-behaviour.md: they share the Hyperplane ENI). These tests compare
it, field for field, with ``trace()`` called for each (function, target) on generated networks, and
show that the comparison catches a dedupe key that misses a setting. The per-(function, target)
traces run without a step cache (each gets a fresh one), so they also check every cache key.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
from pathlib import Path

import pytest

from vpctui.engine.trace import trace
from vpctui.loaders.scenario import load_scenario, parse_scenario
from vpctui.model.network import LambdaFunction, Network
from vpctui.testing import generate as GEN

matrix_mod = importlib.import_module("vpctui.engine.matrix")
ROOT = Path(__file__).resolve().parents[2]


def generated(n: int, seed: int) -> Network:
    return parse_scenario(GEN.dump(GEN.generate(n, seed)), f"<generated n={n} seed={seed}>")


def with_variants(net: Network) -> Network:
    """Add, next to every third function, a twin that shares its subnets and SGs (so its ENI) and
    differs in one setting, so that every setting the engine reads varies between ENI sharers."""
    roles = [r.role_name for r in net.roles] or ["missing-role"]
    changes = [
        {"timeout": 900.0}, {"timeout": 61.0}, {"role": roles[-1]}, {"role": "not-described-role"},
        {"sts_regional_endpoints": "legacy"}, {"ipv6_allowed_for_dual_stack": True},
        {"state": "Failed", "state_reason_code": "EC2AccessDeniedException"}, {"state": "Inactive"},
        {"arn": ""}, {"runtime": "nodejs20.x"}, {"security_group_ids": ()}, {"subnet_ids": (), "security_group_ids": ()},
    ]
    extra = []
    for i, fn in enumerate(net.functions[::3]):
        extra.append(dataclasses.replace(fn, function_name=f"{fn.function_name}-twin{i}", **changes[i % len(changes)]))
    # and a copy of the first function with reversed subnets (the path order follows subnet_ids)
    first = next(f for f in net.functions if len(f.subnet_ids) > 1)
    extra.append(dataclasses.replace(first, function_name="reversed-subnets", subnet_ids=first.subnet_ids[::-1]))
    return dataclasses.replace(net, functions=net.functions + tuple(extra))


def per_path(net: Network, functions=None, targets=None) -> list:
    """The straightforward answer: each (function, target) traced on its own, without a step cache
    (engine/cache.py), so nothing computed for another trace is reused."""
    fns = functions or [f.function_name for f in net.functions]
    out = []
    for f in fns:
        for t in (targets or net.targets):
            out.append(trace(net, f, t))
    return out


def assert_same(got: list, want: list) -> None:
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g.to_dict() == w.to_dict(), (g.source, g.target)
        assert g == w, (g.source, g.target)  # highlights and descriptions too


# --------------------------------------------------------------------------------------------------


SEEDS = (1, 2, 3, 4, 5)


@functools.lru_cache(maxsize=None)
def case(seed: int) -> tuple[list, list]:
    net = with_variants(generated(30, seed))
    return matrix_mod.matrix(net), per_path(net)


@pytest.mark.parametrize("seed", SEEDS)
def test_matrix_equals_per_path_trace_on_generated_networks(seed):
    got, want = case(seed)
    assert_same(got, want)


def test_generated_networks_hold_every_verdict():
    """The comparison is only worth something if the networks exercise every kind of answer."""
    verdicts, symptoms = set(), set()
    for seed in SEEDS:
        for t in case(seed)[1]:
            verdicts.add(t.verdict)
            symptoms.add(t.symptom)
    assert {"reachable", "blocked", "intermittent"} <= verdicts
    assert {"ok", "timeout", "access-denied", "invoke-error"} <= symptoms


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.stem)
def test_matrix_equals_per_path_trace_on_scenarios(path):
    net = load_scenario(path)
    targets = list(net.targets) or None
    got = matrix_mod.matrix(net, targets=targets)
    from vpctui.engine.targets import default_targets

    assert_same(got, per_path(net, targets=targets or default_targets(net)))


def test_function_subset_order_and_repeats():
    net = with_variants(generated(30, 9))
    names = [f.function_name for f in net.functions][::-2][:9]
    names = names + names[:3]
    targets = list(net.targets[:5])
    assert_same(matrix_mod.matrix(net, targets=targets, functions=names), per_path(net, names, targets))


# --------------------------------------------------------------------------------------------------
# Functions that share an ENI but not a setting get their own answers


def demo_with_twin(base_name: str = "lambda-3-isolated", **change) -> tuple[Network, str, str]:
    net = load_scenario(ROOT / "scenarios" / "lambda-vpc.yaml")
    base = net.function_by_name[base_name]
    twin_name = base_name.rsplit("-", 1)[0] + "-twin"
    twin = dataclasses.replace(base, function_name=twin_name, arn=base.arn.replace(base_name, twin_name), **change)
    return dataclasses.replace(net, functions=net.functions + (twin,)), base.function_name, twin.function_name


def by_pair(traces) -> dict:
    return {(t.source, t.target): t for t in traces}


def test_twin_differing_only_in_timeout_gets_its_own_message():
    net, a, b = demo_with_twin(timeout=900.0)
    got = by_pair(matrix_mod.matrix(net))
    s3 = "s3://vpc-notes-bucket/hello.txt"
    assert got[(a, s3)].paths[0].message == "Task timed out after 3.00 seconds"
    assert got[(b, s3)].paths[0].message.startswith("Task timed out after 900.00 seconds (first: ConnectTimeoutError")
    assert_same(matrix_mod.matrix(net), per_path(net))


def test_twin_differing_only_in_role_gets_its_own_answer():
    net = load_scenario(ROOT / "scenarios" / "lambda-vpc.yaml")
    bare = dataclasses.replace(net.roles[0], role_name="no-s3-role", arn="arn:aws:iam::111122223333:role/no-s3-role",
                               policies=net.roles[0].policies[:0])
    net = dataclasses.replace(net, roles=net.roles + (bare,))
    base = net.function_by_name["lambda-4-endpoints"]
    twin = dataclasses.replace(base, function_name="lambda-4-twin", role="no-s3-role")
    net = dataclasses.replace(net, functions=net.functions + (twin,))
    got = by_pair(matrix_mod.matrix(net))
    s3 = "s3://vpc-notes-bucket/hello.txt"
    assert got[("lambda-4-endpoints", s3)].verdict == "reachable"
    assert got[("lambda-4-twin", s3)].symptom == "access-denied"
    assert "lambda-4-twin" in got[("lambda-4-twin", s3)].paths[0].message  # its own name, not the sharer's
    assert_same(matrix_mod.matrix(net), per_path(net))


@pytest.mark.parametrize("base_name", ["lambda-3-isolated", "lambda-1-public"])
def test_each_function_gets_its_own_name_in_shared_results(base_name):
    net, a, b = demo_with_twin(base_name)  # identical settings: one trace, two copies
    seen_fix = False
    for t in matrix_mod.matrix(net):
        other = a if t.source == b else b if t.source == a else None
        if other is None:
            continue
        for p in t.paths:
            text = str(p.to_dict())
            assert other not in text  # a twin's name never leaks into this function's result
            assert_all_text(p)
            if p.drop is not None and p.drop.reason == "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS":
                assert t.source in p.drop.fix  # the fix names the function to move
                seen_fix = True
    assert seen_fix == (base_name == "lambda-1-public")


def test_the_comparison_catches_a_key_that_misses_a_setting(monkeypatch):
    """With timeout or role left out of the dedupe key, the matrix must differ from per-path trace:
    this is what makes the equivalence tests above able to fail."""
    s3 = "s3://vpc-notes-bucket/hello.txt"
    net, a, b = demo_with_twin(timeout=900.0)
    want = by_pair(per_path(net))
    monkeypatch.setattr(matrix_mod, "KEY_FIELDS", tuple(k for k in matrix_mod.KEY_FIELDS if k != "timeout"))
    got = by_pair(matrix_mod.matrix(net))
    assert got[(b, s3)].to_dict() != want[(b, s3)].to_dict()
    monkeypatch.undo()
    assert by_pair(matrix_mod.matrix(net))[(b, s3)].to_dict() == want[(b, s3)].to_dict()


def test_every_function_field_is_in_the_key_or_handled():
    """A new LambdaFunction field must be put in the key (or shown to be handled or unused)."""
    fields = {f.name for f in dataclasses.fields(LambdaFunction)}
    handled = (set(matrix_mod.KEY_FIELDS) | set(matrix_mod.NAMED_FIELDS) | set(matrix_mod.PER_PATH_FIELDS)
               | set(matrix_mod.UNUSED_FIELDS))
    assert fields == handled


def assert_all_text(p) -> None:
    """Every text of a path is a plain ``str``: no slot for the function's name is left unfilled."""
    texts = [p.message, *p.notes]
    for h in p.hops:
        texts += [h.hop, h.component_id, h.component_type, h.result, h.detail]
        if h.highlight is not None:
            texts += [h.highlight.kind, h.highlight.owner_id]
    for f in ([p.drop] if p.drop else []) + list(p.blockers):
        texts += [f.hop, f.reason, f.component_id, f.explanation, f.fix, f.symptom]
    bad = [t for t in texts if type(t) is not str]
    assert bad == [], bad


@pytest.mark.parametrize("seed", SEEDS[:3])
def test_texts_that_name_the_function_are_filled_in(seed):
    """Paths are recorded as templates with slots for the function's name and ARN (engine/path.py);
    every path of the matrix and of a single trace has them filled in, with that function's own
    name, and the generated networks and scenarios do exercise texts that name the function."""
    nets = [with_variants(generated(30, seed))] + [load_scenario(p) for p in sorted((ROOT / "scenarios").glob("*.yaml"))]
    named = 0
    for net in nets:
        for t in matrix_mod.matrix(net, targets=list(net.targets) or None):
            fn = net.function_by_name[t.source]
            for p in t.paths:
                assert_all_text(p)
                text = str(p.to_dict())
                named += (fn.function_name in text) or bool(fn.arn and fn.arn in text)
    assert named > 0


def test_a_slot_left_unfilled_is_never_shown():
    from vpctui.engine.path import FN_NAME, Named

    n = Named("move ", FN_NAME, " to private subnets")
    assert n.text("fn-a", "") == "move fn-a to private subnets"
    with pytest.raises(TypeError):
        str(n)
    with pytest.raises(TypeError):
        f"{n}"


# --------------------------------------------------------------------------------------------------
# Incremental re-trace after an edit equals a full recomputation


def candidate_edits(net: Network) -> list:
    """Edits of every kind that apply to ``net``: removals of what is there, toggles, moves, and
    the fixes the engine gives for the network's blocked traces."""
    from vpctui.engine import edits as ed
    from vpctui.engine.fixes import trace_fixes

    from vpctui.model.network import SgRule

    out: list = []
    for g in net.security_groups:
        for d in ("ingress", "egress"):
            for r in getattr(g, d)[:2]:
                out.append(ed.RemoveSgRule(g.group_id, d, r))
        # rules added to any group (also the second group of a function or an endpoint, which a
        # dropped hop does not name)
        if SgRule(cidr="0.0.0.0/0") not in g.egress:
            out.append(ed.AddSgRule(g.group_id, "egress", SgRule(cidr="0.0.0.0/0")))
        if SgRule(cidr="10.0.0.0/8") not in g.ingress:
            out.append(ed.AddSgRule(g.group_id, "ingress", SgRule(cidr="10.0.0.0/8")))
    for rt in net.route_tables:
        for r in rt.routes:
            if r.target != "local" and not r.target.startswith("vpce-"):
                out.append(ed.RemoveRoute(rt.route_table_id, r.destination))
    for e in net.vpc_endpoints:
        if e.is_gateway:
            for rid in e.route_table_ids:
                out.append(ed.DisassociateGatewayEndpoint(e.vpc_endpoint_id, rid))
            for rt in net.route_tables:
                if rt.vpc_id == e.vpc_id and rt.route_table_id not in e.route_table_ids:
                    out.append(ed.AssociateGatewayEndpoint(e.vpc_endpoint_id, rt.route_table_id))
        else:
            out.append(ed.SetEndpointPrivateDns(e.vpc_endpoint_id, not e.private_dns_enabled))
            for x in e.enis:
                out.append(ed.RemoveEndpointSubnet(e.vpc_endpoint_id, x.subnet_id))
    for a in net.network_acls:
        for x in a.entries[:3]:
            out.append(ed.RemoveNaclEntry(a.network_acl_id, x.egress, x.rule_number))
    for v in net.vpcs:
        out.append(ed.SetVpcDnsAttribute(v.vpc_id, "enableDnsHostnames", not v.enable_dns_hostnames))
        out.append(ed.SetVpcDnsAttribute(v.vpc_id, "enableDnsSupport", not v.enable_dns_support))
    for f in net.functions[:10]:
        if f.subnet_ids:
            vpc = net.get(f.subnet_ids[0]).vpc_id
            others = [s.subnet_id for s in net.subnets_of_vpc.get(vpc, ()) if s.subnet_id not in f.subnet_ids]
            if others:
                out.append(ed.SetFunctionVpcConfig(f.function_name, tuple(others[:2])))
    for r in net.resources:
        if r.policy is not None and r.policy.statements:
            out.append(ed.RemovePolicyStatement(r.arn, "0"))
    for role in net.roles:
        if role.policies and role.policies[0].statements:
            out.append(ed.RemovePolicyStatement(role.arn, "0"))
    for tr in matrix_mod.matrix(net)[::7]:
        for _p, _f, fxs in trace_fixes(net, tr):
            out.extend(e for fx in fxs for e in fx.edits)
    return out


def _check_incremental(net: Network, edit_batches) -> int:
    from vpctui.engine.edits import EditError
    from vpctui.engine.incremental import IncrementalMatrix

    inc = IncrementalMatrix.build(net, list(net.targets) or None)
    total = len(inc.traces)
    partial = 0
    for batch in edit_batches:
        try:
            inc_net_before = inc.network
            inc.update(batch)
        except EditError:
            assert inc.network is inc_net_before
            continue
        fresh = dataclasses.replace(inc.network)  # no indices carried over from the old value
        assert_same(inc.traces, matrix_mod.matrix(fresh, inc.targets))
        if inc.recomputed < total:
            partial += 1
    return partial


@pytest.mark.parametrize("seed", (1, 2, 3))
def test_incremental_update_equals_full_recomputation_on_generated_networks(seed):
    import random

    net = generated(30, seed)
    rng = random.Random(seed)
    cands = candidate_edits(net)
    batches = [[e] for e in rng.sample(cands, min(40, len(cands)))]
    # and a few multi-edit changes, applied one after another on the same matrix
    batches += [rng.sample(cands, 3) for _ in range(4)]
    partial = _check_incremental(net, batches)
    assert partial >= len(batches) // 2  # most single edits re-trace only part of the matrix


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.stem)
def test_incremental_update_equals_full_recomputation_on_scenarios(path):
    net = load_scenario(path)
    _check_incremental(net, [[e] for e in candidate_edits(net)[:25]])


def test_edited_network_carries_valid_indices():
    """apply() carries the engine's lookups over to the new value: traces on it equal traces on a
    value built without them."""
    import random

    from vpctui.engine.edits import EditError, apply

    net = generated(30, 4)
    matrix_mod.matrix(net)  # the lookups exist on net
    rng = random.Random(4)
    for e in rng.sample(candidate_edits(net), 30):
        try:
            after = apply(net, [e])
        except EditError:
            continue
        assert "by_id" in after.__dict__
        assert_same(matrix_mod.matrix(after), matrix_mod.matrix(dataclasses.replace(after)))


def test_incremental_update_sees_a_rule_added_to_a_group_no_hop_names():
    """A function with two security groups, neither allowing egress: the drop names the first;
    a rule added to the second must still re-trace the function's paths."""
    from vpctui.engine import edits as ed
    from vpctui.engine.incremental import IncrementalMatrix
    from vpctui.model.network import SecurityGroup, SgRule

    net = load_scenario(ROOT / "scenarios" / "lambda-vpc.yaml")
    net = dataclasses.replace(net, security_groups=net.security_groups + (SecurityGroup("sg-0two", "vpc-0a5e1d", "two"),))
    net = ed.apply(net, [ed.RemoveSgRule("sg-0lambda", "egress", SgRule(cidr="0.0.0.0/0"))] +
                   [ed.SetFunctionVpcConfig(f.function_name, f.subnet_ids, ("sg-0lambda", "sg-0two")) for f in net.functions])
    inc = IncrementalMatrix.build(net)
    assert all(t.drop.component_id == "sg-0lambda" for t in inc.traces)
    inc.update([ed.AddSgRule("sg-0two", "egress", SgRule(cidr="0.0.0.0/0"))])
    assert inc.recomputed == len(inc.traces)
    assert_same(inc.traces, matrix_mod.matrix(dataclasses.replace(inc.network)))
    assert any(t.verdict == "reachable" for t in inc.traces)
