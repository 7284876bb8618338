"""`vpctui diff` and `vpctui fix` on the command line: groups, exit codes, formats, round trips."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vpctui.cli import main
from vpctui.engine import trace
from vpctui.engine.diff import diff
from vpctui.engine.edits import AssociateGatewayEndpoint, RemoveRoute, apply
from vpctui.loaders.dump import network_to_yaml
from vpctui.loaders.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
SEED = str(ROOT / "scenarios" / "lambda-vpc.yaml")
POLICY = str(ROOT / "scenarios" / "lambda-vpc-bucket-policy.yaml")
S3 = "s3://vpc-notes-bucket/hello.txt"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path, name, net) -> str:
    p = tmp_path / name
    p.write_text(network_to_yaml(net))
    return str(p)


def test_diff_of_the_seed_variants_is_one_break(capsys):
    code, out, err = run(capsys, "diff", SEED, POLICY, "--format", "json")
    assert code == 1, err
    d = json.loads(out)
    assert [(c["from"], c["to"]) for c in d["broken"]] == [("lambda-2-nat", S3)]
    b = d["broken"][0]
    assert b["before"]["verdict"] == "reachable"
    assert (b["after"]["verdict"], b["after"]["symptom"], b["after"]["reason"]) == ("blocked", "access-denied", "RESOURCE_POLICY_DENY")
    assert d["fixed"] == [] and d["changed"] == []
    # targets: both inputs' own (the variant adds s3://vpc-notes-bucket)
    assert set(d["targets"]) == {S3, "ssm:/vpc-notes/parameter", "s3://vpc-notes-bucket"}


def test_diff_the_other_way_is_a_fix_and_exits_0(capsys):
    code, out, _ = run(capsys, "diff", POLICY, SEED)
    assert code == 0
    assert "Fixed:" in out and "lambda-2-nat → s3://vpc-notes-bucket/hello.txt" in out and "Broken:" not in out


def test_diff_of_a_file_with_itself_is_empty(capsys):
    code, out, _ = run(capsys, "diff", SEED, SEED)
    assert code == 0 and "0 broken, 0 fixed, 0 changed" in out


def test_diff_markdown_is_fit_for_a_pull_request(capsys):
    code, out, _ = run(capsys, "diff", SEED, POLICY, "--format", "md")
    assert code == 1
    assert out.startswith("### ❌ vpctui:")
    assert "This change breaks lambda-2-nat → s3://vpc-notes-bucket/hello.txt (AccessDenied (403)" in out
    assert "| function | target | before | after | what the function sees |" in out
    assert "RESOURCE\\_POLICY\\_DENY" in out  # escaped, not emphasis


def test_diff_markdown_escapes_names(tmp_path, capsys):
    import dataclasses

    net = load_scenario(SEED)
    fn = dataclasses.replace(net.functions[1], function_name="evil|*name*")
    before = dataclasses.replace(net, functions=net.functions + (fn,))
    after = apply(before, [RemoveRoute("rtb-0nat", "0.0.0.0/0")])
    code, out, _ = run(capsys, "diff", write(tmp_path, "a.yaml", before), write(tmp_path, "b.yaml", after), "--format", "md")
    assert code == 1
    assert "evil\\|\\*name\\*" in out and "evil|*name*" not in out


def test_diff_with_extra_target_and_changed_group(tmp_path, capsys):
    net = load_scenario(SEED)
    after = apply(net, [AssociateGatewayEndpoint("vpce-0s3gw", "rtb-0iso"), RemoveRoute("rtb-0nat", "0.0.0.0/0")])
    a, b = write(tmp_path, "a.yaml", net), write(tmp_path, "b.yaml", after)
    code, out, _ = run(capsys, "diff", a, b, "--to", "s3", "--json")
    d = json.loads(out)
    assert code == 1
    assert ("lambda-3-isolated", S3) in {(c["from"], c["to"]) for c in d["fixed"]}
    assert ("lambda-2-nat", S3) in {(c["from"], c["to"]) for c in d["broken"]}
    assert "s3" in d["targets"]


def test_diff_engine_groups_changed_symptoms():
    net = load_scenario(SEED)
    # lambda-1-public → S3: timeout at the IGW; removing the public route makes it a timeout at the
    # route table instead: same verdict and symptom, so no change; a different symptom would be
    after = apply(net, [RemoveRoute("rtb-0pub", "0.0.0.0/0")])
    d = diff(net, after)
    assert ("lambda-1-public", S3) not in {(c.source, c.target) for c in d.changes}


@pytest.mark.parametrize("argv", [
    ("diff", SEED),
    ("diff", SEED, "/nonexistent.yaml"),
    ("diff", SEED, POLICY, "--format", "html"),
])
def test_diff_bad_input_exits_2(capsys, argv):
    code, _out, err = run(capsys, *argv)
    assert code == 2
    assert "Traceback" not in err


def test_diff_bad_file_is_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("vpcs:\n  - vpc_id: 3\n    cidr_block: nope\n")
    code, _out, err = run(capsys, "diff", SEED, str(bad))
    assert code == 2 and str(bad) in err and "Traceback" not in err


# --------------------------------------------------------------------------------------------------
# vpctui fix


def test_fix_prints_fixes_cli_and_snippet(capsys):
    code, out, _ = run(capsys, "fix", SEED, "--from", "lambda-3-isolated", "--to", S3)
    assert code == 0
    assert "fix 1: associate the gateway endpoint vpce-0s3gw with rtb-0iso" in out
    assert "$ aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-0s3gw --add-route-table-ids rtb-0iso" in out
    assert "route_table_ids: [rtb-0vpce, rtb-0iso]" in out  # the scenario fragment
    assert "blocked → reachable" in out


def test_fix_writes_a_reachable_network_that_round_trips(tmp_path, capsys):
    out_file = tmp_path / "fixed.yaml"
    code, out, _ = run(capsys, "fix", SEED, "--from", "lambda-3-isolated", "--to", S3, "-o", str(out_file))
    assert code == 0 and f"wrote {out_file}" in out
    fixed = load_scenario(out_file)
    assert trace(fixed, "lambda-3-isolated", S3).verdict == "reachable"
    # everything else traces as before (the fix breaks nothing)
    assert diff(load_scenario(SEED), fixed).broken == ()
    code, out, _ = run(capsys, "trace", str(out_file), "--from", "lambda-3-isolated", "--to", S3)
    assert code == 0
    # never overwrites without --force
    code, _out, err = run(capsys, "fix", SEED, "--from", "lambda-3-isolated", "--to", S3, "-o", str(out_file))
    assert code == 2 and "--force" in err


def test_fix_restates_the_expectations_the_fix_changes(tmp_path, capsys):
    """The written file's expect: block says what its network does: an expectation that held
    before the fix and does not after is restated from the fixed network (and the file says which
    and what it was); `vpctui check` passes on it. The others are copied as they were."""
    out_file = tmp_path / "fixed.yaml"
    code, out, _ = run(capsys, "fix", SEED, "--from", "lambda-3-isolated", "--to", S3, "-o", str(out_file))
    assert code == 0
    text = out_file.read_text()
    code, out, _ = run(capsys, "check", str(out_file))
    assert code == 0, out
    fixed = load_scenario(out_file)
    exp = {(e.source, e.target): e for e in fixed.expectations}
    e = exp[("lambda-3-isolated", S3)]
    assert e.verdict == "reachable" and e.symptom is None and e.reason is None and e.component_id is None
    assert exp[("lambda-1-public", S3)].reason == "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"  # untouched
    assert len(fixed.expectations) == len(load_scenario(SEED).expectations)
    assert "# expect: lambda-3-isolated → s3://vpc-notes-bucket/hello.txt restated: was verdict blocked" in text


def test_an_expectation_that_failed_before_is_copied_as_it_was(tmp_path):
    """Only what the change changed is restated: an expect: line that was already wrong stays, so
    `check` still reports it."""
    from dataclasses import replace

    from vpctui.engine.expect import restate

    base = load_scenario(SEED)
    wrong = replace(base.expectations[0], verdict="reachable", symptom=None, reason=None, component_id=None)
    before = replace(base, expectations=(wrong,) + base.expectations[1:])
    after = apply(before, [AssociateGatewayEndpoint("vpce-0s3gw", "rtb-0iso")])
    new, notes = restate(before, after)
    assert new[0] == wrong
    assert [n for n in notes if "lambda-3-isolated" in n]


def test_fix_json(capsys):
    code, out, _ = run(capsys, "fix", POLICY, "--from", "lambda-2-nat", "--to", S3, "--json")
    d = json.loads(out)
    assert code == 0
    assert d["applied"]["verdict_after"] == "reachable"
    first = d["findings"][0]
    assert first["reason"] == "RESOURCE_POLICY_DENY"
    assert first["fixes"][0]["edits"][0]["kind"] == "associate-gateway-endpoint"
    assert first["fixes"][0]["aws_cli"] == ["aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-0s3gw --add-route-table-ids rtb-0nat"]
    assert first["fixes"][1]["aws_cli"] == ["aws s3api delete-bucket-policy --bucket vpc-notes-bucket"]


def test_fix_of_a_reachable_trace(capsys):
    code, out, _ = run(capsys, "fix", SEED, "--from", "lambda-2-nat", "--to", S3)
    assert code == 0 and "nothing to fix" in out


def test_fix_says_why_when_no_fix_is_known(capsys):
    path = str(ROOT / "scenarios" / "subnet-out-of-ips.yaml")
    net = load_scenario(path)
    blocked = [(f.function_name, t) for f in net.functions for t in net.targets
               if trace(net, f.function_name, t).verdict == "blocked"]
    fn, t = blocked[0]
    code, out, _ = run(capsys, "fix", path, "--from", fn, "--to", t)
    assert code == 1 and "text only:" in out and "no fix vpctui can apply is known" in out


def test_trace_json_carries_structured_fixes(capsys):
    code, out, _ = run(capsys, "trace", SEED, "--from", "lambda-3-isolated", "--to", S3, "--json")
    assert code == 1
    p = json.loads(out)["paths"][0]
    first = p["fixes"][0]
    assert (first["reason"], first["component_id"]) == ("NO_ROUTE_TO_DESTINATION", "rtb-0iso")
    assert first["fixes"][0]["edits"] == [{
        "kind": "associate-gateway-endpoint", "description": "associate the gateway endpoint vpce-0s3gw with route table rtb-0iso",
        "vpc_endpoint_id": "vpce-0s3gw", "route_table_id": "rtb-0iso"}]
