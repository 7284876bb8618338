"""Scenario validation: one clear line per problem naming file, line and key; never a traceback."""

from __future__ import annotations

import textwrap

import pytest

from vpctui.loaders import LoadError
from vpctui.loaders.scenario import ScenarioError, load_scenario, parse_scenario

GOOD = """\
region: us-east-1
vpcs:
  - vpc_id: vpc-a
    cidr_block: 10.0.0.0/16
subnets:
  - subnet_id: subnet-1
    name: app
    vpc_id: vpc-a
    cidr_block: 10.0.1.0/24
security_groups:
  - group_id: sg-1
    vpc_id: vpc-a
lambda_functions:
  - function_name: fn
    subnet_ids: [app]
    security_group_ids: [sg-1]
"""


def errors(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as e:
        parse_scenario(textwrap.dedent(text), "x.yaml")
    assert isinstance(e.value, LoadError)
    for line in e.value.errors:
        assert "\n" not in line and "Traceback" not in line
    return e.value.errors


def test_good_file_loads_and_names_resolve():
    n = parse_scenario(GOOD, "x.yaml")
    assert n.functions[0].subnet_ids == ("subnet-1",)
    assert any(rt.main for rt in n.route_tables)  # implicit main route table
    assert any(g.is_default for g in n.security_groups)  # implicit default SG
    assert any(a.is_default for a in n.network_acls)  # implicit default NACL


def test_unknown_key_with_did_you_mean():
    errs = errors(GOOD.replace("    cidr_block: 10.0.1.0/24", "    cidr_blok: 10.0.1.0/24"))
    assert "x.yaml:9: subnets[0].cidr_blok: unknown key (did you mean 'cidr_block'?)" in errs


@pytest.mark.parametrize("good,typo", [("    cidr_block: 10.0.1.0/24", "    cidr_blok: 10.0.1.0/24"),
                                       ("  - subnet_id: subnet-1", "  - subnetid: subnet-1"),
                                       ("    cidr_block: 10.0.0.0/16", "    CIDR_block: 10.0.0.0/16")])
def test_one_typo_is_one_error_line(good, typo):
    """A misspelt required key is one mistake: the unknown key names the one it resembles, and
    the required key it stands for is not reported missing as well."""
    errs = errors(GOOD.replace(good, typo, 1))
    assert len(errs) == 1, errs
    assert "unknown key (did you mean" in errs[0]


def test_a_missing_key_next_to_an_unrelated_unknown_key_is_two_errors():
    errs = errors(GOOD.replace("    vpc_id: vpc-a\n    cidr_block: 10.0.1.0/24", "    colour: red\n    cidr_block: 10.0.1.0/24"))
    assert any("colour: unknown key" in e for e in errs)
    assert any("missing required key 'vpc_id'" in e for e in errs)


def test_unknown_top_level_key():
    errs = errors(GOOD + "subnet:\n  - {}\n")
    assert errs[0].startswith("x.yaml:17: (top).subnet: unknown key (did you mean 'subnets'?)")


def test_missing_required_field():
    errs = errors(GOOD.replace("    vpc_id: vpc-a\n    cidr_block: 10.0.1.0/24", "    cidr_block: 10.0.1.0/24"))
    assert errs == ["x.yaml:6: subnets[0]: missing required key 'vpc_id'"]


def test_bad_cidr():
    errs = errors(GOOD.replace("10.0.1.0/24", "10.0.300.0/24"))
    assert errs == ["x.yaml:9: subnets[0].cidr_block: '10.0.300.0/24' is not a valid CIDR block"]


def test_cidr_with_host_bits():
    errs = errors(GOOD.replace("10.0.1.0/24", "10.0.1.5/24"))
    assert errs == ["x.yaml:9: subnets[0].cidr_block: '10.0.1.5/24' has host bits set (did you mean 10.0.1.0/24?)"]


def test_subnet_outside_vpc():
    errs = errors(GOOD.replace("10.0.1.0/24", "10.1.1.0/24"))
    assert errs == ["x.yaml:9: subnets[0].cidr_block: 10.1.1.0/24 is outside VPC vpc-a (10.0.0.0/16)"]


def test_overlapping_subnets():
    extra = GOOD.replace("security_groups:", "  - subnet_id: subnet-2\n    vpc_id: vpc-a\n    cidr_block: 10.0.1.128/25\nsecurity_groups:")
    errs = errors(extra)
    assert any("overlaps subnet subnet-1" in e and e.startswith("x.yaml:12:") for e in errs)


def test_duplicate_ids():
    extra = GOOD.replace("security_groups:", "  - subnet_id: subnet-1\n    vpc_id: vpc-a\n    cidr_block: 10.0.2.0/24\nsecurity_groups:")
    errs = errors(extra)
    assert any(e.startswith("x.yaml:10: subnets[1].subnet_id: duplicate id 'subnet-1' (first defined at line 6)") for e in errs)


def test_reference_to_undefined_nat():
    text = GOOD + "route_tables:\n  - route_table_id: rtb-1\n    vpc_id: vpc-a\n    routes:\n      - {destination: 0.0.0.0/0, target: nat-x}\n"
    errs = errors(text)
    assert errs == ["x.yaml:21: route_tables[0].routes[0].target: 'nat-x' is not defined; a route to a deleted target needs state: blackhole"]


@pytest.mark.parametrize("target", ["tgw-0shared", "vgw-1", "eni-0appliance", "i-0appliance"])
def test_route_to_a_target_that_may_be_elsewhere_loads(target):
    """A transit gateway shared from another account, a VPN gateway or an appliance not described
    may be missing without being deleted: the route loads (a trace through it ends "unknown")."""
    text = GOOD + ("route_tables:\n  - route_table_id: rtb-1\n    vpc_id: vpc-a\n    routes:\n"
                   f"      - {{destination: 10.9.0.0/16, target: {target}}}\n")
    net = parse_scenario(textwrap.dedent(text), "x.yaml")
    assert [r.target for r in net.get("rtb-1").routes if r.destination == "10.9.0.0/16"] == [target]


def test_reference_to_undefined_subnet_with_suggestion():
    errs = errors(GOOD.replace("subnet_ids: [app]", "subnet_ids: [apps]"))
    assert errs == ["x.yaml:15: lambda_functions[0].subnet_ids: subnet 'apps' is not defined (did you mean 'app'?)"]


def test_wrong_types():
    errs = errors(GOOD.replace("    cidr_block: 10.0.0.0/16\n", "    cidr_block: 10.0.0.0/16\n    enable_dns_support: maybe\n"))
    assert errs == ["x.yaml:5: vpcs[0].enable_dns_support: must be true or false, got 'maybe'"]


def test_bad_ports_and_protocol():
    text = GOOD.replace("    vpc_id: vpc-a\nlambda", "    vpc_id: vpc-a\n    egress:\n      - {protocol: tcp, ports: 70000, cidr: 0.0.0.0/0}\n      - {protocol: gre, cidr: 0.0.0.0/0}\nlambda")
    errs = errors(text)
    assert any("egress[0].ports: 70000 is not a port" in e for e in errs)
    assert any("egress[1].protocol: 'gre' must be tcp, udp, icmp or -1 (all)" in e for e in errs)


def test_bad_policy_names_the_statement():
    text = GOOD + "buckets:\n  - name: b\n    policy: {Statement: [{Effect: Permit, Action: 's3:*'}]}\n"
    errs = errors(text)
    assert errs == ["x.yaml:19: buckets[0].policy: Effect must be Allow or Deny at Statement[0].Effect"]


def test_yaml_syntax_error_has_line():
    errs = errors("vpcs:\n  - vpc_id: [unclosed\n")
    assert errs[0].startswith("x.yaml:") and "YAML syntax error" in errs[0]


def test_duplicate_yaml_key():
    errs = errors("region: us-east-1\nregion: eu-west-1\n")
    assert errs == ["x.yaml:2: region: duplicate key (first at line 1)"]


def test_expect_block_validated():
    text = GOOD + "expect:\n  - {from: fnn, to: s3, verdict: maybe}\n"
    errs = errors(text)
    assert any("expect[0].from: function 'fnn' is not defined (did you mean 'fn'?)" in e for e in errs)
    assert any("expect[0].verdict: 'maybe' is not one of" in e for e in errs)


def test_several_errors_reported_together_and_nothing_half_loaded():
    text = GOOD.replace("cidr_block: 10.0.1.0/24", "cidr_block: nope").replace("subnet_ids: [app]", "subnet_ids: [zz]")
    errs = errors(text)
    assert len(errs) >= 1


def test_empty_and_non_mapping_files():
    assert errors("") == ["x.yaml:1: (top): the file is empty"]
    assert errors("- a\n- b\n")[0].startswith("x.yaml:1: (top): must be a mapping")


def test_missing_file():
    with pytest.raises(ScenarioError) as e:
        load_scenario("/nonexistent/file.yaml")
    assert str(e.value) == "/nonexistent/file.yaml: no such file"


def test_gateway_endpoint_adds_its_prefix_list_route():
    text = GOOD + textwrap.dedent("""\
        route_tables:
          - route_table_id: rtb-1
            vpc_id: vpc-a
            associations: [app]
        vpc_endpoints:
          - vpc_endpoint_id: vpce-1
            vpc_id: vpc-a
            service: s3
            route_table_ids: [rtb-1]
        """)
    n = parse_scenario(text, "x.yaml")
    rt = n.get("rtb-1")
    assert [(r.destination, r.target) for r in rt.routes] == [("10.0.0.0/16", "local"), ("pl-63a5400a", "vpce-1")]


def test_gateway_endpoint_for_a_service_without_one_is_an_error():
    text = GOOD + "vpc_endpoints:\n  - {vpc_endpoint_id: vpce-1, vpc_id: vpc-a, service: ssm, vpc_endpoint_type: Gateway}\n"
    errs = errors(text)
    assert any("ssm has no gateway endpoint" in e for e in errs)


def test_two_interface_endpoints_in_one_subnet_get_distinct_addresses():
    text = GOOD + textwrap.dedent("""\
        vpc_endpoints:
          - {vpc_endpoint_id: vpce-1, vpc_id: vpc-a, service: ssm, subnet_ids: [app]}
          - {vpc_endpoint_id: vpce-2, vpc_id: vpc-a, service: secretsmanager, subnet_ids: [app]}
        """)
    n = parse_scenario(text, "x.yaml")
    ips = [e.enis[0].private_ip for e in n.vpc_endpoints]
    assert len(set(ips)) == 2 and all(ip.startswith("10.0.1.") for ip in ips)


def test_route_target_by_a_name_that_looks_like_an_id():
    text = GOOD + textwrap.dedent("""\
        nat_gateways:
          - {nat_gateway_id: nat-0123, name: nat-app-b, subnet_id: app, public_ip: 3.3.3.3}
        route_tables:
          - route_table_id: rtb-1
            vpc_id: vpc-a
            routes: [{destination: 0.0.0.0/0, target: nat-app-b}]
        """)
    n = parse_scenario(text, "x.yaml")
    assert n.get("rtb-1").routes[-1].target == "nat-0123"


def test_default_vpc_has_dns_hostnames_on():
    n = parse_scenario(GOOD.replace("    cidr_block: 10.0.0.0/16\n", "    cidr_block: 10.0.0.0/16\n    is_default: true\n"), "x.yaml")
    assert n.vpcs[0].enable_dns_hostnames


def test_peering_overlapping_vpcs_is_an_error():
    text = (GOOD.replace("subnets:", "  - vpc_id: vpc-b\n    cidr_block: 10.0.128.0/17\nsubnets:")
            + "vpc_peering_connections:\n  - {vpc_peering_connection_id: pcx-1, requester_vpc_id: vpc-a, accepter_vpc_id: vpc-b}\n")
    errs = errors(text)
    assert errs == ["x.yaml:20: vpc_peering_connections[0]: vpc-a and vpc-b have overlapping CIDRs and cannot be peered (PCX-4)"]
