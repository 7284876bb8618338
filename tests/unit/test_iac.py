"""Terraform and CloudFormation (SAM, CDK) inputs: the seed written in each gives the seed's verdicts.

The fixtures under tests/fixtures/iac were made by the real tools (see the README there); these tests
never run Terraform, Node or cfn-lint's command.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from vpctui.engine import matrix, trace
from vpctui.loaders import LoadError
from vpctui.loaders.cloudformation import cloudformation_doc, parse_template
from vpctui.loaders.iac import build_network, detect_kind, load_iac
from vpctui.loaders.scenario import load_scenario
from vpctui.loaders.terraform import terraform_doc

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures" / "iac"
TF = FIX / "terraform" / "seed"
TARGETS = ["s3://vpc-notes-bucket/hello.txt", "ssm:/vpc-notes/parameter"]

SEED_INPUTS = [
    TF / "state.json", TF / "terraform.tfstate", TF / "plan.json",
    FIX / "cloudformation" / "seed.yaml", FIX / "cloudformation" / "seed.json",
    FIX / "sam" / "template.yaml", FIX / "cdk" / "NotesStack.template.json",
]


def _verdicts(net, targets=TARGETS, functions=None):
    out = {}
    for t in matrix(net, targets, functions):
        p = t.paths[0]
        out[(t.source, t.target)] = (t.verdict, p.symptom, p.drop.reason if p.drop else None)
    return out


@pytest.fixture(scope="module")
def seed_verdicts():
    return _verdicts(load_scenario(ROOT / "scenarios" / "lambda-vpc.yaml"))


@pytest.mark.parametrize("path", SEED_INPUTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_seed_in_every_input_gives_the_seed_verdicts(path, seed_verdicts):
    net = load_iac([str(path)])
    assert _verdicts(net) == seed_verdicts


@pytest.mark.parametrize("path,kind", [
    (TF / "state.json", "terraform"), (TF / "terraform.tfstate", "terraform"), (TF / "plan.json", "terraform"),
    (FIX / "cloudformation" / "seed.yaml", "cloudformation"), (FIX / "cloudformation" / "seed.json", "cloudformation"),
    (FIX / "cdk" / "NotesStack.template.json", "cloudformation"), (ROOT / "scenarios" / "lambda-vpc.yaml", "scenario"),
])
def test_inputs_are_told_apart_by_content(path, kind):
    assert detect_kind(str(path)) == kind


def test_every_component_keeps_its_source():
    net = load_iac([str(TF / "state.json")])
    rt = net.route_table_of_subnet[net.function_by_name["lambda-3-isolated"].subnet_ids[0]]
    assert net.source_of(rt.route_table_id) == "module.net.aws_route_table.isolated"
    sub = net.function_by_name["lambda-1-public"].subnet_ids[0]
    assert net.source_of(sub) == 'module.net.aws_subnet.this["public"]'
    assert net.source_of("lambda-2-nat") == "module.lambda_2_nat.aws_lambda_function.this"
    cfn = load_iac([str(FIX / "cloudformation" / "seed.yaml")])
    assert cfn.source_of("subnet-<PrivateSubnet>").endswith("seed.yaml:35 PrivateSubnet")


def test_plan_links_resources_through_module_references():
    net = load_iac([str(TF / "plan.json")])
    fn = net.function_by_name["lambda-2-nat"]
    assert fn.subnet_ids == ('subnet-<module.net.aws_subnet.this["private"]>',)
    rt = net.route_table_of_subnet[fn.subnet_ids[0]]
    assert [r.target for r in rt.routes if r.destination == "0.0.0.0/0"] == ["nat-<module.net.aws_nat_gateway.nat>"]


def _plan() -> dict:
    return json.loads((TF / "plan.json").read_text())


def test_plan_unknown_policy_makes_only_the_verdicts_that_depend_on_it_unknown():
    """Derived from the real plan: the role policy as Terraform shows one that interpolates an
    attribute known only after apply (after_unknown policy: true, no value)."""
    d = _plan()
    for rc in d["resource_changes"]:
        if rc["address"] == "aws_iam_role_policy.lambda":
            rc["change"]["after_unknown"]["policy"] = True
    for r in d["planned_values"]["root_module"]["resources"]:
        if r["address"] == "aws_iam_role_policy.lambda":
            r["values"].pop("policy")
    v = _verdicts(build_network([terraform_doc(d, "plan.json")]))
    # blocked in the network before any policy is read: still answered
    assert v[("lambda-1-public", TARGETS[0])] == ("blocked", "timeout", "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS")
    assert v[("lambda-3-isolated", TARGETS[0])] == ("blocked", "timeout", "NO_ROUTE_TO_DESTINATION")
    # reached the service: the role's policy decides, and it is not known
    net = build_network([terraform_doc(d, "plan.json")])
    tr = trace(net, "lambda-4-endpoints", TARGETS[0])
    assert tr.verdict == "unknown"
    assert "aws_iam_role_policy.lambda: policy known after apply" in tr.paths[0].drop.explanation


def test_plan_subnet_picked_by_each_value_is_unknown_with_the_address():
    d = _plan()
    call = d["configuration"]["root_module"]["module_calls"]["lambda_2_nat"]
    call["expressions"]["subnet_id"]["references"] = ["module.net.private_subnet_id", "module.net.public_subnet_id", "each.value"]
    net = build_network([terraform_doc(d, "plan.json")])
    tr = trace(net, "lambda-2-nat", TARGETS[0])
    assert tr.verdict == "unknown"
    assert "module.lambda_2_nat.aws_lambda_function.this: vpc_config.subnet_ids known after apply" in tr.paths[0].drop.explanation
    assert trace(net, "lambda-3-isolated", TARGETS[0]).verdict == "blocked"


def test_plan_route_target_that_cannot_be_linked_is_unknown_only_when_the_route_is_used():
    d = _plan()
    for r in d["configuration"]["root_module"]["module_calls"]["net"]["module"]["resources"]:
        if r["address"] == "aws_route_table.public":
            r["expressions"]["route"]["references"] = ["local.gateways"]
    net = build_network([terraform_doc(d, "plan.json")])
    tr = trace(net, "lambda-1-public", TARGETS[0])
    assert tr.verdict == "unknown"
    assert "module.net.aws_route_table.public: the gateway_id of the route to 0.0.0.0/0 known after apply" in tr.paths[0].drop.explanation
    # the SSM endpoint is reached over the local route: the unknown route does not matter
    assert trace(net, "lambda-1-public", TARGETS[1]).verdict == "reachable"


def test_terraform_security_group_without_egress_has_none():
    d = json.loads((TF / "state.json").read_text())
    for m in d["values"]["root_module"]["child_modules"]:
        for r in m["resources"]:
            if r["address"] == "module.net.aws_security_group.lambda":
                r["values"]["egress"] = []
    net = build_network([terraform_doc(d, "state.json")])
    tr = trace(net, "lambda-2-nat", TARGETS[0])
    assert (tr.verdict, tr.paths[0].drop.reason) == ("blocked", "SG_HAS_NO_RULES")


def _cfn(text: str, name: str = "t.yaml", params=None):
    return build_network([cloudformation_doc(parse_template(text, name), name, params or {})])


NET = """
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  Sub: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}}
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: x, VpcId: !Ref Vpc}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: fn
      Role: arn:aws:iam::111122223333:role/r
      Code: {ZipFile: x}
      VpcConfig: {SubnetIds: [!Ref Sub], SecurityGroupIds: [!Ref Sg]}
"""


def test_cloudformation_security_group_without_egress_keeps_allow_all():
    net = _cfn(NET)
    g = net.get("sg-<Sg>")
    assert [r.cidr for r in g.egress] == ["0.0.0.0/0"] and g.ingress == ()


def test_cloudformation_defaults_main_route_table_nacl_and_sg():
    net = _cfn(NET)
    assert net.main_route_table["vpc-<Vpc>"].routes[0].target == "local"
    assert net.nacl_of_subnet["subnet-<Sub>"].is_default
    assert net.default_sg["vpc-<Vpc>"]


@pytest.mark.parametrize("text,expect", [
    (NET + "  Bad: {Type: AWS::EC2::Foo, Properties: {}}\n", "t.yaml:15: Resources.Bad.Type: 'AWS::EC2::Foo' is not a CloudFormation resource type"),
    (NET.replace("!Ref Sub]", "!Ref Nope]"), "t.yaml:14: Resources.Fn.Properties.VpcConfig.SubnetIds[0].Ref: 'Nope' is neither a parameter nor a resource of this template"),
    (NET.replace("CidrBlock: 10.0.1.0/24", "CidrBlock: !Magic x"), "t.yaml:4"),
    (NET.replace("CidrBlock: 10.0.1.0/24", "CidrBlock: {'Fn::Magic': x}"), "Fn::Magic is not supported"),
])
def test_bad_template_is_one_line_with_file_and_location(text, expect):
    with pytest.raises(LoadError) as e:
        _cfn(text)
    assert len(e.value.errors) == 1 and "\n" not in e.value.errors[0]
    assert expect in e.value.errors[0]


def test_import_value_and_missing_parameter_are_unknown_in_the_trace():
    text = NET.replace("SubnetIds: [!Ref Sub]", "SubnetIds: [!ImportValue net-private-subnet]")
    tr = trace(_cfn(text), "fn", "s3")
    assert tr.verdict == "unknown"
    assert "Fn::ImportValue net-private-subnet: an export of another stack" in tr.paths[0].drop.explanation
    text = "Parameters:\n  SubnetId: {Type: String}\n" + NET.replace("SubnetIds: [!Ref Sub]", "SubnetIds: [!Ref SubnetId]")
    tr = trace(_cfn(text), "fn", "s3")
    assert tr.verdict == "unknown" and "--param SubnetId=VALUE" in tr.paths[0].drop.explanation
    net = _cfn(text, params={"SubnetId": "subnet-<Sub>"})
    assert net.function_by_name["fn"].subnet_ids == ("subnet-<Sub>",)


def test_intrinsics_sub_two_argument_form_cidr_select_if():
    text = """
Parameters:
  Env: {Type: String, Default: prod}
Conditions:
  Prod: !Equals [!Ref Env, prod]
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: !If [Prod, 10.1.0.0/16, 10.2.0.0/16]}}
  Sub:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: !Select [2, !Cidr [!GetAtt Vpc.CidrBlock, 4, 8]]
      Tags: [{Key: Name, Value: !Sub ["${a}-${AWS::Region}-${Env}", {a: sub}]}]
"""
    net = _cfn(text, params={"AWS::Region": "eu-west-1"})
    s = net.get("subnet-<Sub>")
    assert (s.cidr_block, s.name) == ("10.1.2.0/24", "sub-eu-west-1-prod")
    net = _cfn(text, params={"Env": "dev", "AWS::Region": "eu-west-1"})
    assert net.get("subnet-<Sub>").cidr_block == "10.2.2.0/24"


def test_state_network_and_sam_functions_merge_across_files():
    net = load_iac([str(TF / "state.json"), str(FIX / "sam" / "functions.yaml")])
    v = _verdicts(net, [TARGETS[0]], ["sam-reports", "sam-archive"])
    assert v[("sam-reports", TARGETS[0])][0] == "reachable"
    assert v[("sam-archive", TARGETS[0])][:1] == ("blocked",)
    assert net.region == "us-east-1" and net.account_id == "123456789012"
    assert not [n for n in net.notes if "assumed" in n]


def test_same_component_in_two_files_is_a_clear_error():
    with pytest.raises(LoadError) as e:
        load_iac([str(TF / "state.json"), str(TF / "terraform.tfstate")])
    line = e.value.errors[0]
    assert "terraform.tfstate" in line and "is also defined in" in line and "state.json" in line


def test_cdk_policy_attached_through_roles_and_cdk_metadata_ignored():
    net = load_iac([str(FIX / "cdk" / "NotesStack.template.json")])
    role = net.role_of(net.function_by_name["lambda-2-nat"])
    assert role is not None and role.error is None and len(role.policies) >= 2


def test_sam_globals_and_policy_templates_expand_through_the_translator():
    net = load_iac([str(FIX / "sam" / "template.yaml")])
    fn = net.function_by_name["lambda-4-endpoints"]
    assert fn.security_group_ids == ("sg-<LambdaSecurityGroup>",)  # from Globals
    role = net.role_of(fn)
    actions = {a for p in role.policies for s in p.statements for a in s.actions}
    assert "ssm:GetParameter" in actions and "s3:GetObject" in actions


def test_real_plan_with_policies_known_after_apply():
    """plan-unknowns/plan.json (made by Terraform): the role policy names the bucket's arn and the
    bucket policy the endpoint's id, both known after apply. Blocked paths stay blocked; paths that
    reach the service are unknown, naming the address and attribute."""
    net = load_iac([str(FIX / "terraform" / "plan-unknowns" / "plan.json")])
    v = _verdicts(net)
    assert v[("lambda-1-public", TARGETS[0])] == ("blocked", "timeout", "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS")
    assert v[("lambda-3-isolated", TARGETS[0])] == ("blocked", "timeout", "NO_ROUTE_TO_DESTINATION")
    for fn in ("lambda-2-nat", "lambda-4-endpoints"):
        tr = trace(net, fn, TARGETS[0])
        assert tr.verdict == "unknown"
        assert "aws_s3_bucket_policy.notes: policy known after apply" in tr.paths[0].drop.explanation
    for fn in ("lambda-1-public", "lambda-2-nat", "lambda-3-isolated", "lambda-4-endpoints"):
        tr = trace(net, fn, TARGETS[1])
        assert tr.verdict == "unknown"
        assert "aws_iam_role_policy.lambda: policy known after apply" in tr.paths[0].drop.explanation


def test_transit_gateway_from_a_terraform_plan_and_a_template():
    """tgw/plan.json (Terraform) and cloudformation/tgw.yaml: a spoke function reaches the internet
    through the transit gateway's default route table (created by AWS) and a NAT in the egress VPC."""
    for path in (FIX / "terraform" / "tgw" / "plan.json", FIX / "cloudformation" / "tgw.yaml"):
        net = load_iac([str(path)])
        tr = trace(net, "spoke-fn", "sts")  # sts:GetCallerIdentity needs no permission: the network decides
        assert tr.verdict == "reachable", (path, tr.paths[0].drop)
        assert any(h.component_type.startswith("transit") or h.component_id.startswith("tgw-rtb-") for h in tr.paths[0].hops)


def test_transit_gateway_state_is_read_as_written():
    """moto reports the static TGW route back as a blackhole with no attachment (a moto difference,
    recorded in tests/fixtures/iac/README.md): vpctui reads the state as written and says so."""
    net = load_iac([str(FIX / "terraform" / "tgw" / "state.json")])
    tr = trace(net, "spoke-fn", "sts")  # sts:GetCallerIdentity needs no permission: the network decides
    assert tr.verdict == "blocked" and tr.paths[0].drop.component_id.startswith("tgw-rtb-")
    assert net.source_of(tr.paths[0].drop.component_id) == "aws_ec2_transit_gateway.hub default route table"


def test_plan_reference_next_to_a_variable_may_be_a_conditional_so_it_is_unknown():
    """`subnet_id = var.public ? module.net.public_subnet_id : module.net.private_subnet_id` names
    both subnets and a variable; even one resource next to a variable (`var.x ? a.id : "subnet-0…"`)
    is not linked: the variable may choose the other value."""
    d = _plan()
    call = d["configuration"]["root_module"]["module_calls"]["lambda_2_nat"]
    call["expressions"]["subnet_id"]["references"] = ["var.use_existing", "module.net.private_subnet_id", "module.net"]
    net = build_network([terraform_doc(d, "plan.json")])
    assert trace(net, "lambda-2-nat", TARGETS[0]).verdict == "unknown"
