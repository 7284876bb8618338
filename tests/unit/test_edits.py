"""Edits of the network: each kind applies to a new frozen network (the input is unchanged),
changes what it says, round-trips through a written scenario file, and renders as an AWS CLI
command and a snippet."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from vpctui.engine import trace
from vpctui.engine.edits import (
    EDIT_KINDS, AddEndpointSubnet, AddHostedZoneRecord, AddNaclEntry, AddPolicyConditionValue,
    AddPolicyStatement, AddRoute, AddSgRule, AssociateGatewayEndpoint, AssociateHostedZone,
    ChangeList, DisassociateGatewayEndpoint, DisassociateHostedZone, EditError, RemoveEndpointSubnet,
    RemoveNaclEntry, RemovePolicyCondition, RemovePolicyStatement, RemoveRoute, RemoveSgRule,
    ReplaceRoute, SetEndpointPrivateDns, SetFunctionIpv6, SetFunctionVpcConfig, SetVpcDnsAttribute,
    apply, touched,
)
from vpctui.loaders.dump import network_to_yaml
from vpctui.loaders.scenario import load_scenario, parse_scenario
from vpctui.model.network import NaclEntry, PortRange, PrivateHostedZone, SgRule
from vpctui.render.changes import aws_cli, cloudformation, scenario_fragment, snippet, terraform

ROOT = Path(__file__).resolve().parents[2]
S3 = "s3://vpc-notes-bucket/hello.txt"
SSM = "ssm:/vpc-notes/parameter"


def seed():
    return load_scenario(ROOT / "scenarios" / "lambda-vpc.yaml")


def policy_variant():
    return load_scenario(ROOT / "scenarios" / "lambda-vpc-bucket-policy.yaml")


def reason(net, fn, target):
    d = trace(net, fn, target).drop
    return d.reason if d else None


def with_zone(net):
    z = PrivateHostedZone("corp.example", (), (("db.corp.example", "10.0.4.50"),), "Z0CORP")
    return dataclasses.replace(net, private_hosted_zones=(z,))


# Every kind: (network factory, edit, a check on the network after it)
CASES = {
    "add-route": (seed, AddRoute("rtb-0iso", "0.0.0.0/0", "nat-0c0ffee"),
                  lambda n: trace(n, "lambda-3-isolated", S3).verdict == "reachable"),
    "remove-route": (seed, RemoveRoute("rtb-0nat", "0.0.0.0/0"),
                     lambda n: reason(n, "lambda-2-nat", S3) == "NO_ROUTE_TO_DESTINATION"),
    "replace-route": (seed, ReplaceRoute("rtb-0nat", "0.0.0.0/0", "igw-0e1f"),
                      lambda n: reason(n, "lambda-2-nat", S3) == "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"),
    "associate-gateway-endpoint": (seed, AssociateGatewayEndpoint("vpce-0s3gw", "rtb-0iso"),
                                   lambda n: trace(n, "lambda-3-isolated", S3).verdict == "reachable"
                                   and "rtb-0iso" in n.get("vpce-0s3gw").route_table_ids),
    "disassociate-gateway-endpoint": (seed, DisassociateGatewayEndpoint("vpce-0s3gw", "rtb-0vpce"),
                                      lambda n: reason(n, "lambda-4-endpoints", S3) == "NO_ROUTE_TO_DESTINATION"
                                      and not any(r.target == "vpce-0s3gw" for r in n.get("rtb-0vpce").routes)),
    "remove-endpoint-subnet": (seed, RemoveEndpointSubnet("vpce-0ssm", "subnet-04d"),
                               lambda n: trace(n, "lambda-3-isolated", SSM).verdict == "blocked"),
    "add-endpoint-subnet": (lambda: apply(seed(), [RemoveEndpointSubnet("vpce-0ssm", "subnet-04d")]),
                            AddEndpointSubnet("vpce-0ssm", "subnet-03c"),
                            lambda n: trace(n, "lambda-3-isolated", SSM).verdict == "reachable"
                            and n.get("vpce-0ssm").enis[0].subnet_id == "subnet-03c"),
    "set-endpoint-private-dns": (seed, SetEndpointPrivateDns("vpce-0ssm", False),
                                 lambda n: trace(n, "lambda-3-isolated", SSM).verdict == "blocked"),
    "add-sg-rule": (lambda: apply(seed(), [RemoveSgRule("sg-0lambda", "egress", SgRule(cidr="0.0.0.0/0"))]),
                    AddSgRule("sg-0lambda", "egress", SgRule("tcp", PortRange(443, 443), cidr="0.0.0.0/0")),
                    lambda n: trace(n, "lambda-2-nat", S3).verdict == "reachable"),
    "remove-sg-rule": (seed, RemoveSgRule("sg-0lambda", "egress", SgRule(cidr="0.0.0.0/0")),
                       lambda n: reason(n, "lambda-2-nat", S3) in ("SG_HAS_NO_RULES", "ENI_SG_RULES_MISMATCH")),
    "add-nacl-entry": (seed, AddNaclEntry("acl-0open", NaclEntry(50, True, "deny", "tcp", PortRange(443, 443), "0.0.0.0/0")),
                       lambda n: reason(n, "lambda-2-nat", S3) == "SUBNET_ACL_RESTRICTION"
                       and [e.rule_number for e in n.get("acl-0open").entries if e.egress] == [50, 100, 101]),
    "remove-nacl-entry": (seed, RemoveNaclEntry("acl-0open", False, 100),
                          lambda n: reason(n, "lambda-2-nat", S3) == "SUBNET_ACL_RESTRICTION"),
    "associate-hosted-zone": (lambda: with_zone(seed()), AssociateHostedZone("Z0CORP", "vpc-0a5e1d"),
                              lambda n: n.private_hosted_zones[0].vpc_ids == ("vpc-0a5e1d",)),
    "disassociate-hosted-zone": (lambda: apply(with_zone(seed()), [AssociateHostedZone("corp.example", "vpc-0a5e1d")]),
                                 DisassociateHostedZone("Z0CORP", "vpc-0a5e1d"),
                                 lambda n: n.private_hosted_zones[0].vpc_ids == ()),
    "add-hosted-zone-record": (lambda: with_zone(seed()), AddHostedZoneRecord("corp.example", "api.corp.example", "10.0.4.51"),
                               lambda n: ("api.corp.example", "10.0.4.51") in n.private_hosted_zones[0].records),
    "set-vpc-dns-attribute": (seed, SetVpcDnsAttribute("vpc-0a5e1d", "enableDnsHostnames", False),
                              lambda n: trace(n, "lambda-3-isolated", SSM).verdict == "blocked"),
    "set-function-vpc-config": (seed, SetFunctionVpcConfig("lambda-3-isolated", ("subnet-02b",)),
                                lambda n: trace(n, "lambda-3-isolated", S3).verdict == "reachable"),
    "set-function-ipv6": (seed, SetFunctionIpv6("lambda-2-nat", True),
                          lambda n: reason(n, "lambda-2-nat", S3) == "IPV6_NOT_ALLOWED_FOR_FUNCTION"),
    "remove-policy-statement": (policy_variant, RemovePolicyStatement("arn:aws:s3:::vpc-notes-bucket", "Access-to-specific-VPCE-only"),
                                lambda n: trace(n, "lambda-2-nat", S3).verdict == "reachable"),
    "remove-policy-condition": (policy_variant, RemovePolicyCondition("vpc-notes-bucket", "Access-to-specific-VPCE-only", "aws:SourceVpce"),
                                lambda n: reason(n, "lambda-4-endpoints", S3) == "RESOURCE_POLICY_DENY"),
    "add-policy-condition-value": (policy_variant, AddPolicyConditionValue("vpc-notes-bucket", "0", "aws:SourceVpce", "vpce-0other"),
                                   lambda n: "vpce-0other" in n.resources[0].policy.statements[0].conditions[0].values),
    "add-policy-statement": (lambda: apply(seed(), [RemovePolicyStatement("notes-lambda-role", "0")]),
                             AddPolicyStatement("notes-lambda-role", json.dumps(
                                 {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::vpc-notes-bucket/*"})),
                             lambda n: trace(n, "lambda-2-nat", S3).verdict == "reachable"),
}


def test_every_edit_kind_has_a_case():
    assert {k.kind for k in EDIT_KINDS} == set(CASES)


@pytest.mark.parametrize("kind", sorted(CASES))
def test_edit_applies_to_a_new_network(kind):
    make, edit, check = CASES[kind]
    before = make()
    snapshot = network_to_yaml(before)
    after = apply(before, [edit])
    assert after is not before
    assert network_to_yaml(before) == snapshot  # the input is unchanged
    assert check(after), edit.describe()
    assert not check(before)
    assert edit.describe() and edit.kind == kind
    assert touched(before, [edit])
    json.dumps(edit.to_dict())  # JSON-able


@pytest.mark.parametrize("kind", sorted(CASES))
def test_edited_network_round_trips_through_a_scenario_file(kind, tmp_path):
    make, edit, check = CASES[kind]
    after = apply(make(), [edit])
    f = tmp_path / "edited.yaml"
    f.write_text(network_to_yaml(after))
    again = load_scenario(f)
    assert check(again)
    for fn in after.functions:
        for t in after.targets:
            assert trace(again, fn.function_name, t).to_dict() == trace(after, fn.function_name, t).to_dict()


@pytest.mark.parametrize("kind", sorted(CASES))
def test_edit_renders_as_aws_cli_and_snippets(kind):
    make, edit, _ = CASES[kind]
    net = make()
    (cmd,) = aws_cli(net, [edit])
    assert cmd.startswith("aws ")
    assert terraform(net, [edit]).strip()
    assert cloudformation(net, [edit]).startswith("Resources:")
    frag = scenario_fragment(net, [edit])
    import yaml

    assert isinstance(yaml.safe_load(frag), dict)


def test_cli_commands_are_exact_for_the_seed_fix():
    net = seed()
    assert aws_cli(net, [AssociateGatewayEndpoint("vpce-0s3gw", "rtb-0iso")]) == [
        "aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-0s3gw --add-route-table-ids rtb-0iso"]
    assert aws_cli(net, [AddRoute("rtb-0iso", "0.0.0.0/0", "nat-0c0ffee")]) == [
        "aws ec2 create-route --route-table-id rtb-0iso --destination-cidr-block 0.0.0.0/0 --nat-gateway-id nat-0c0ffee"]
    assert aws_cli(net, [AddNaclEntry("acl-0open", NaclEntry(90, False, "allow", "tcp", PortRange(1024, 65535), "0.0.0.0/0"))]) == [
        "aws ec2 create-network-acl-entry --network-acl-id acl-0open --rule-number 90 --ingress --protocol 6 "
        "--port-range From=1024,To=65535 --cidr-block 0.0.0.0/0 --rule-action allow"]
    assert aws_cli(net, [AddSgRule("sg-0endpoint", "ingress", SgRule("tcp", PortRange(443, 443), group_id="sg-0lambda"))]) == [
        "aws ec2 authorize-security-group-ingress --group-id sg-0endpoint "
        "--ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,UserIdGroupPairs=[{GroupId=sg-0lambda}]'"]
    assert aws_cli(net, [SetVpcDnsAttribute("vpc-0a5e1d", "enableDnsSupport", False)]) == [
        "aws ec2 modify-vpc-attribute --vpc-id vpc-0a5e1d --enable-dns-support '{\"Value\": false}'"]


def test_policy_edit_prints_the_whole_new_document():
    net = policy_variant()
    (cmd,) = aws_cli(net, [RemovePolicyStatement("arn:aws:s3:::vpc-notes-bucket", "Access-to-specific-VPCE-only")])
    # the policy's only statement went: AWS takes no empty policy, so the command deletes it
    assert cmd == "aws s3api delete-bucket-policy --bucket vpc-notes-bucket"
    (cmd,) = aws_cli(net, [AddPolicyConditionValue("vpc-notes-bucket", "0", "aws:SourceVpce", "vpce-0other")])
    assert cmd.startswith("aws s3api put-bucket-policy --bucket vpc-notes-bucket --policy ")
    assert '"aws:SourceVpce":["vpce-0s3gw","vpce-0other"]' in cmd


def test_snippet_follows_the_input_kind():
    net = seed()
    e = [AssociateGatewayEndpoint("vpce-0s3gw", "rtb-0iso")]
    assert snippet(net, e)[0] == "scenario"
    tf = dataclasses.replace(net, source="terraform:plan.json")
    kind, text = snippet(tf, e)
    assert kind == "terraform" and 'resource "aws_vpc_endpoint_route_table_association"' in text
    assert 'route_table_id  = "rtb-0iso"' in text
    cfn = dataclasses.replace(net, source="stack.template.yaml")
    kind, text = snippet(cfn, [AddRoute("rtb-0iso", "0.0.0.0/0", "nat-0c0ffee")])
    assert kind == "cloudformation" and "Type: AWS::EC2::Route" in text and "NatGatewayId: nat-0c0ffee" in text


@pytest.mark.parametrize("edit, message", [
    (AddRoute("rtb-0nat", "0.0.0.0/0", "nat-0c0ffee"), "already has a route"),
    (AddRoute("rtb-nope", "0.0.0.0/0", "nat-0c0ffee"), "not in the network"),
    (AssociateGatewayEndpoint("vpce-0s3gw", "rtb-0vpce"), "already associated"),
    (AssociateGatewayEndpoint("vpce-0ssm", "rtb-0iso"), "interface endpoint"),
    (AddEndpointSubnet("vpce-0ssm", "subnet-03c"), "one per AZ"),
    (RemoveNaclEntry("acl-0open", True, 7), "no outbound rule 7"),
    (SetVpcDnsAttribute("vpc-0a5e1d", "enableDnsSupport", True), "already true"),
    (SetFunctionVpcConfig("nope", ("subnet-02b",)), "not in the network"),
    (RemovePolicyStatement("vpce-0s3gw", "0"), r"default \(full access\) policy"),
])
def test_edit_that_does_not_fit_is_an_edit_error(edit, message):
    with pytest.raises(EditError, match=message):
        apply(seed(), [edit])


def test_change_list_undo_redo():
    net = seed()
    a = AssociateGatewayEndpoint("vpce-0s3gw", "rtb-0iso")
    b = SetEndpointPrivateDns("vpce-0ssm", False)
    cl = ChangeList(net).add([a]).add([b], "private DNS off")
    assert cl.edits == (a, b) and cl.done[-1].label == "private DNS off"
    assert trace(cl.network, "lambda-3-isolated", SSM).verdict == "blocked"
    u = cl.undo()
    assert u.edits == (a,) and trace(u.network, "lambda-3-isolated", SSM).verdict == "reachable"
    uu = u.undo()
    assert uu.network is net and uu.undo() is uu
    r = uu.redo().redo()
    assert r.edits == (a, b) and r.network is cl.network
    assert u.add([b]).undone == ()  # a new change clears the redo list


# --------------------------------------------------------------------------------------------------
# The TUI's `e` forms (vpctui/tui/edit_forms.py has no Textual: tested here)


def test_edit_forms_build_edits_from_their_defaults():
    from vpctui.tui.edit_forms import build, operations

    net = policy_variant()
    comps = (list(net.security_groups) + list(net.network_acls) + list(net.route_tables) + list(net.vpc_endpoints)
             + list(net.vpcs) + list(net.functions) + list(net.resources) + list(net.roles))
    built = set()
    for c in comps:
        for op in operations(net, c):
            values = {f.name: f.default for f in op.fields}
            try:
                edit = build(op, values, net)
            except (EditError, ValueError) as e:
                assert str(e) and "\n" not in str(e)  # one line, shown in the form
                continue
            apply(net, [edit])
            built.add(edit.kind)
    assert {"add-sg-rule", "remove-sg-rule", "add-nacl-entry", "add-route", "remove-route",
            "associate-gateway-endpoint", "disassociate-gateway-endpoint", "set-endpoint-private-dns",
            "add-endpoint-subnet", "remove-endpoint-subnet", "set-vpc-dns-attribute", "set-function-vpc-config",
            "remove-policy-statement", "remove-policy-condition"} <= built


@pytest.mark.parametrize("values, message", [
    ({"direction": "sideways", "protocol": "tcp", "ports": "443", "peer": "0.0.0.0/0"}, "direction"),
    ({"direction": "egress", "protocol": "gre", "ports": "443", "peer": "0.0.0.0/0"}, "protocol"),
    ({"direction": "egress", "protocol": "tcp", "ports": "99999", "peer": "0.0.0.0/0"}, "ports"),
    ({"direction": "egress", "protocol": "tcp", "ports": "443", "peer": "not-a-cidr"}, "CIDR"),
])
def test_edit_form_rejects_bad_values_in_one_line(values, message):
    from vpctui.tui.edit_forms import build, operations

    net = seed()
    op = next(o for o in operations(net, net.get("sg-0lambda")) if o.label == "allow a rule")
    with pytest.raises(ValueError, match=message):
        build(op, values, net)
