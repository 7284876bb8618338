"""Tests of the rules in docs/aws-behaviour.md, named by rule id (test_dns4_… covers DNS-4), asserting Trace data."""

from __future__ import annotations

import pytest

from netbuild import add_interface_endpoint, base, drop, fn, isolated, net, reasons, rt, run, sg

from vpctui.engine import trace

OBJ = "s3://bucket/k.txt"


def test_lambda2_public_subnet_internet_times_out_at_igw():
    d = base()
    fn(d)["subnet_ids"] = ["subnet-pub"]
    tr = run(d, "https://aws.amazon.com")
    assert tr.verdict == "blocked"
    f = drop(tr)
    assert (f.hop, f.reason, f.component_id) == ("H5", "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", "igw-1")
    assert tr.paths[0].symptom == "timeout"
    assert tr.paths[0].message == "Task timed out after 3.00 seconds"


def test_lambda3_private_subnet_with_nat_reaches_internet():
    tr = run(base(), "https://aws.amazon.com")
    assert tr.verdict == "reachable"
    comps = [h.component_id for h in tr.paths[0].hops]
    assert comps.index("rtb-priv") < comps.index("nat-1") < comps.index("igw-1")


def test_nat1_nat_in_private_subnet():
    d = base()
    d["nat_gateways"][0]["subnet_id"] = "subnet-priv"
    d["nat_gateways"][0]["private_ip"] = "10.0.1.5"
    f = drop(run(d, "https://aws.amazon.com"))
    assert (f.reason, f.component_id) == ("NAT_SUBNET_NO_IGW_ROUTE", "rtb-priv")


def test_nat2_private_nat_to_igw():
    d = base()
    d["nat_gateways"][0]["connectivity_type"] = "private"
    del d["nat_gateways"][0]["public_ip"]
    f = drop(run(d, "https://aws.amazon.com"))
    assert (f.reason, f.component_id) == ("PRIVATE_NAT_TO_IGW", "nat-1")


def test_route8_deleted_nat_is_a_blackhole():
    d = base()
    d["nat_gateways"] = []
    rt(d, "rtb-priv")["routes"][0]["state"] = "blackhole"
    f = drop(run(d, "https://aws.amazon.com"))
    assert (f.hop, f.reason, f.component_id) == ("H4", "BAD_STATE_ROUTE", "rtb-priv")


def _s3_gateway(d, rts=("rtb-iso",), **kw):
    d.setdefault("vpc_endpoints", []).append({"vpc_endpoint_id": "vpce-s3", "vpc_id": "vpc-a", "service": "s3",
                                              "vpc_endpoint_type": "Gateway", "route_table_ids": list(rts), **kw})
    return d


def test_ep2_s3_through_gateway_endpoint():
    d = _s3_gateway(isolated(base()))
    tr = run(d, OBJ)
    assert tr.verdict == "reachable"
    h4 = next(h for h in tr.paths[0].hops if h.hop == "H4")
    assert h4.highlight.key == "pl-63a5400a"


def test_ep3_bucket_in_other_region():
    d = _s3_gateway(isolated(base()))
    d["buckets"] = [{"name": "bucket", "region": "eu-west-1"}]
    tr = run(d, OBJ)
    # The bucket's Region name resolves to a public S3 address of eu-west-1; the us-east-1 gateway
    # endpoint's prefix-list route does not match it (a gateway endpoint serves its own Region only:
    # https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html), so the isolated
    # subnet has no route, and the engine names the endpoint as the reason it does not help.
    h1 = next(h for h in tr.paths[0].hops if h.hop == "H1")
    assert "bucket.s3.eu-west-1.amazonaws.com" in h1.detail
    assert (drop(tr).reason, drop(tr).component_id) == ("NO_ROUTE_TO_DESTINATION", "rtb-iso")
    assert [(b.reason, b.component_id) for b in tr.paths[0].blockers] == [("GATEWAY_ENDPOINT_CROSS_REGION", "vpce-s3")]
    # with a NAT it goes out through the NAT
    d2 = _s3_gateway(base(), rts=("rtb-priv",))
    d2["buckets"] = [{"name": "bucket", "region": "eu-west-1"}]
    tr2 = run(d2, OBJ)
    assert tr2.verdict == "reachable" and "nat-1" in [h.component_id for h in tr2.paths[0].hops]


def test_lambda1_gateway_endpoint_on_one_of_two_route_tables_is_intermittent():
    d = _s3_gateway(isolated(base()))
    d["route_tables"].append({"route_table_id": "rtb-b", "vpc_id": "vpc-a", "associations": ["subnet-priv-b"]})
    fn(d)["subnet_ids"] = ["subnet-priv", "subnet-priv-b"]
    tr = run(d, OBJ)
    assert tr.verdict == "intermittent"
    assert [p.verdict for p in tr.paths] == ["reachable", "blocked"]
    assert tr.paths[1].drop.reason == "NO_ROUTE_TO_DESTINATION"
    assert "GATEWAY_ENDPOINT_NOT_ASSOCIATED" in [b.reason for b in tr.paths[1].blockers]


BUCKET_VPCE_POLICY = {"Statement": [{"Effect": "Deny", "Principal": "*", "Action": ["s3:GetObject", "s3:PutObject"],
                                     "Resource": "arn:aws:s3:::bucket/*",
                                     "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-s3"}}}]}


def test_pol2_bucket_policy_pinned_to_endpoint_denies_nat_path():
    d = base()
    d["buckets"] = [{"name": "bucket", "policy": BUCKET_VPCE_POLICY}]
    tr = run(d, OBJ)
    f = drop(tr)
    assert (f.hop, f.reason, f.component_id) == ("H9", "RESOURCE_POLICY_DENY", "arn:aws:s3:::bucket")
    assert tr.paths[0].symptom == "access-denied"
    assert "AccessDenied (403)" in tr.paths[0].message and "explicit deny in a resource-based policy" in tr.paths[0].message


def test_pol2_same_policy_through_the_endpoint_is_allowed_and_listbucket_not_covered():
    d = _s3_gateway(base(), rts=("rtb-priv",))
    d["buckets"] = [{"name": "bucket", "policy": BUCKET_VPCE_POLICY}]
    assert run(d, OBJ).verdict == "reachable"
    d2 = base()
    d2["buckets"] = [{"name": "bucket", "policy": BUCKET_VPCE_POLICY}]
    assert run(d2, "s3://bucket").verdict == "reachable"  # object actions only, as the seed post notes


def test_pol13_sourceip_allow_breaks_when_gateway_endpoint_added():
    policy = {"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::bucket/*",
                             "Condition": {"NotIpAddress": {"aws:SourceIp": "3.3.3.3/32"}}}]}
    d = base()
    d["buckets"] = [{"name": "bucket", "policy": policy}]
    assert run(d, OBJ).verdict == "reachable"  # through the NAT's EIP
    d = _s3_gateway(base(), rts=("rtb-priv",))
    d["buckets"] = [{"name": "bucket", "policy": policy}]
    tr = run(d, OBJ)
    assert drop(tr).reason == "RESOURCE_POLICY_DENY"  # SourceIp absent through an endpoint -> negated op true


def test_ep5_endpoint_policy_restricted_to_another_bucket():
    pol = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket-x/*"}]}
    d = _s3_gateway(isolated(base()), policy=pol)
    tr = run(d, OBJ)
    f = drop(tr)
    assert (f.reason, f.component_id) == ("VPCE_POLICY_DENY", "vpce-s3")
    assert "because no VPC endpoint policy allows the s3:GetObject action" in f.explanation


def test_ep4_lambda_sg_egress_limited_to_vpc_cidr():
    d = _s3_gateway(isolated(base()))
    sg(d, "sg-lambda")["egress"] = [{"protocol": "tcp", "ports": 443, "cidr": "10.0.0.0/16"}]
    f = drop(run(d, OBJ))
    assert (f.hop, f.reason, f.component_id) == ("H2", "ENI_SG_RULES_MISMATCH", "sg-lambda")
    assert "pl-63a5400a" in f.fix
    sg(d, "sg-lambda")["egress"] = [{"protocol": "tcp", "ports": 443, "prefix_list": "pl-63a5400a"}]
    assert run(d, OBJ).verdict == "reachable"


def _custom_nacl(d, entries, subnet="subnet-priv"):
    d["network_acls"] = [{"network_acl_id": "acl-c", "vpc_id": "vpc-a", "associations": [subnet], "entries": entries}]
    return d


def test_nacl4_custom_nacl_without_ephemeral_return_range():
    d = _custom_nacl(base(), [
        {"rule_number": 100, "direction": "outbound", "action": "allow", "protocol": "tcp", "ports": 443, "cidr": "0.0.0.0/0"},
        {"rule_number": 100, "direction": "inbound", "action": "allow", "protocol": "tcp", "ports": 443, "cidr": "0.0.0.0/0"}])
    f = drop(run(d, "https://aws.amazon.com"))
    assert (f.hop, f.reason, f.component_id) == ("H8", "SUBNET_ACL_RESTRICTION", "acl-c")
    assert "1024-65535" in f.explanation


def test_nacl4_ephemeral_range_fixes_it():
    d = _custom_nacl(base(), [
        {"rule_number": 100, "direction": "outbound", "action": "allow", "protocol": "tcp", "ports": 443, "cidr": "0.0.0.0/0"},
        {"rule_number": 110, "direction": "outbound", "action": "allow", "protocol": "tcp", "ports": "1024-65535", "cidr": "10.0.0.0/16"},
        {"rule_number": 100, "direction": "inbound", "action": "allow", "protocol": "tcp", "ports": "1024-65535", "cidr": "0.0.0.0/0"},
        {"rule_number": 110, "direction": "inbound", "action": "allow", "protocol": "tcp", "ports": 443, "cidr": "10.0.0.0/16"}],
        subnet="subnet-priv")
    assert run(d, "https://aws.amazon.com").verdict == "reachable"


def test_nacl3_new_custom_nacl_denies_all():
    d = _custom_nacl(base(), [])
    tr = run(d, "https://aws.amazon.com")
    f = drop(tr)
    assert (f.hop, f.reason, f.component_id) == ("H3", "SUBNET_ACL_RESTRICTION", "acl-c")
    assert "H8" in [b.hop for b in tr.paths[0].blockers]  # the reply is blocked too: every blocker listed


def test_nacl2_nacl_rule_order_lowest_number_wins():
    d = _custom_nacl(base(), [
        {"rule_number": 200, "direction": "outbound", "action": "allow", "cidr": "0.0.0.0/0"},
        {"rule_number": 100, "direction": "outbound", "action": "deny", "protocol": "tcp", "ports": 443, "cidr": "0.0.0.0/0"},
        {"rule_number": 100, "direction": "inbound", "action": "allow", "cidr": "0.0.0.0/0"}])
    tr = run(d, "https://aws.amazon.com")
    f = drop(tr)
    assert (f.hop, f.reason) == ("H3", "SUBNET_ACL_RESTRICTION")
    h3 = next(h for h in tr.paths[0].hops if h.hop == "H3")
    assert h3.highlight.key == "egress:100"


def test_ep7_secrets_manager_interface_endpoint_done_right():
    d = add_interface_endpoint(isolated(base()), "secretsmanager")
    tr = run(d, "secretsmanager:db-password")
    assert tr.verdict == "reachable"
    h4 = next(h for h in tr.paths[0].hops if h.hop == "H4")
    assert h4.highlight.key == "10.0.0.0/16"  # the local route


def test_dns3_dns_hostnames_off_private_dns_not_effective():
    d = add_interface_endpoint(isolated(base()), "secretsmanager")
    d["vpcs"][0]["enable_dns_hostnames"] = False
    tr = run(d, "secretsmanager:db-password")
    assert drop(tr).reason == "NO_ROUTE_TO_DESTINATION"
    assert "PRIVATE_DNS_NOT_EFFECTIVE" in reasons(tr)
    assert tr.paths[0].symptom == "timeout"


def test_dns11_endpoint_specific_name_works_without_private_dns():
    d = add_interface_endpoint(isolated(base()), "secretsmanager")
    d["vpcs"][0]["enable_dns_hostnames"] = False
    tr = run(d, "https://vpce-secretsmanager-abcd1234.secretsmanager.us-east-1.vpce.amazonaws.com")
    assert tr.verdict == "reachable"


def test_ep6_interface_endpoint_left_on_default_sg():
    d = add_interface_endpoint(isolated(base()), "secretsmanager", sgs=())
    f = drop(run(d, "secretsmanager:db-password"))
    assert (f.hop, f.reason) == ("H7", "ENI_SG_RULES_MISMATCH")
    assert f.component_id.startswith("sg-default")


def test_dns2_dns_resolution_disabled():
    d = base()
    d["vpcs"][0]["enable_dns_support"] = False
    tr = run(d, "https://aws.amazon.com")
    f = drop(tr)
    assert (f.hop, f.reason, f.component_id) == ("H1", "DNS_RESOLUTION_DISABLED", "vpc-a")
    assert tr.paths[0].symptom == "dns-failure"
    assert run(d, "52.94.1.1:443").verdict == "reachable"  # a literal IP still gets through the NAT


def test_dns1_sg_without_udp53_does_not_break_amazon_dns():
    d = base()
    sg(d, "sg-lambda")["egress"] = [{"protocol": "tcp", "ports": 443, "cidr": "0.0.0.0/0"}]
    assert run(d, "https://aws.amazon.com").verdict == "reachable"


def test_dns6_custom_dns_server_blocked_by_sg():
    d = base()
    d["vpcs"][0]["domain_name_servers"] = ["10.0.2.10"]
    d["hosts"] = [{"host_id": "i-dns", "subnet_id": "subnet-db", "private_ip": "10.0.2.10", "ports": [53]}]
    sg(d, "sg-lambda")["egress"] = [{"protocol": "tcp", "ports": 443, "cidr": "0.0.0.0/0"}]
    tr = run(d, "https://aws.amazon.com")
    f = drop(tr)
    assert (f.hop, f.reason) == ("H1", "CUSTOM_DNS_UNREACHABLE")
    assert tr.paths[0].symptom == "dns-failure"
    sg(d, "sg-lambda")["egress"].append({"protocol": "udp", "ports": 53, "cidr": "10.0.2.10/32"})
    assert run(d, "https://aws.amazon.com").verdict == "reachable"


def test_ep5_ssm_endpoint_policy_explicit_deny():
    pol = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
                         {"Effect": "Deny", "Principal": "*", "Action": "ssm:GetParameter", "Resource": "*"}]}
    d = add_interface_endpoint(isolated(base()), "ssm", policy=pol)
    tr = run(d, "ssm:/app/param")
    f = drop(tr)
    assert (f.hop, f.reason, f.component_id) == ("H9", "VPCE_POLICY_DENY", "vpce-ssm")
    assert "with an explicit deny in a VPC endpoint policy" in f.explanation
    assert "AccessDeniedException (400)" in tr.paths[0].message


def test_sdk2_global_sts_name_not_covered():
    d = add_interface_endpoint(isolated(base()), "sts")
    fn(d)["sts_regional_endpoints"] = "legacy"
    tr = run(d, "sts")
    assert drop(tr).reason == "NO_ROUTE_TO_DESTINATION"
    assert "HOSTNAME_NOT_COVERED_BY_PRIVATE_DNS" in reasons(tr)
    fn(d)["sts_regional_endpoints"] = "regional"
    assert run(d, "sts").verdict == "reachable"


def test_sdk7_sqs_legacy_hostname():
    d = add_interface_endpoint(isolated(base()), "sqs")
    tr = run(d, "https://us-east-1.queue.amazonaws.com/111122223333/q")
    assert "HOSTNAME_NOT_COVERED_BY_PRIVATE_DNS" in reasons(tr)
    assert tr.verdict == "blocked"
    assert run(d, "https://sqs.us-east-1.amazonaws.com/111122223333/q").verdict == "reachable"


def test_ep10_dynamodb_interface_endpoint_has_no_private_dns():
    d = add_interface_endpoint(isolated(base()), "dynamodb", private_dns_enabled=True)
    tr = run(d, "dynamodb:orders")
    assert drop(tr).reason == "NO_ROUTE_TO_DESTINATION"
    assert "HOSTNAME_NOT_COVERED_BY_PRIVATE_DNS" in reasons(tr)
    d["vpc_endpoints"].append({"vpc_endpoint_id": "vpce-ddbgw", "vpc_id": "vpc-a", "service": "dynamodb",
                               "vpc_endpoint_type": "Gateway", "route_table_ids": ["rtb-iso"]})
    assert run(d, "dynamodb:orders").verdict == "reachable"


def _rds(d, ingress):
    d["security_groups"].append({"group_id": "sg-rds", "vpc_id": "vpc-a", "ingress": ingress})
    d["hosts"] = [{"host_id": "db-1", "name": "orders-db", "kind": "rds", "subnet_id": "subnet-db",
                   "private_ip": "10.0.2.20", "security_group_ids": ["sg-rds"], "ports": [5432],
                   "dns_name": "orders-db.abc.us-east-1.rds.amazonaws.com"}]
    return d


def test_route4_rds_in_other_subnet_reachable():
    d = _rds(base(), [{"protocol": "tcp", "ports": 5432, "group": "sg-lambda"}])
    assert run(d, "orders-db:5432").verdict == "reachable"
    assert run(d, "https://orders-db.abc.us-east-1.rds.amazonaws.com:5432").verdict == "reachable"


def test_sg1_rds_sg_without_inbound_rule():
    d = _rds(base(), [])
    tr = run(d, "orders-db:5432")
    f = drop(tr)
    assert (f.hop, f.reason, f.component_id) == ("H7", "SG_HAS_NO_RULES", "sg-rds")
    assert tr.paths[0].symptom == "timeout"  # never connection refused


def test_sg1_lambda_sg_without_egress_rules():
    d = _rds(base(), [{"protocol": "tcp", "ports": 5432, "group": "sg-lambda"}])
    sg(d, "sg-lambda")["egress"] = []
    f = drop(run(d, "orders-db:5432"))
    assert (f.hop, f.reason, f.component_id) == ("H2", "SG_HAS_NO_RULES", "sg-lambda")


def test_nacl4_same_subnet_ignores_nacl():
    d = _custom_nacl(base(), [])  # deny-all on subnet-priv
    d["security_groups"].append({"group_id": "sg-app", "vpc_id": "vpc-a",
                                 "ingress": [{"protocol": "tcp", "ports": 8080, "cidr": "10.0.0.0/16"}]})
    d["hosts"] = [{"host_id": "i-app", "subnet_id": "subnet-priv", "private_ip": "10.0.1.30",
                   "security_group_ids": ["sg-app"], "ports": [8080]}]
    assert run(d, "i-app:8080").verdict == "reachable"


def _peered(d, return_route=True, c=False):
    d["vpcs"].append({"vpc_id": "vpc-b", "cidr_block": "10.1.0.0/16"})
    d["subnets"].append({"subnet_id": "subnet-b", "vpc_id": "vpc-b", "cidr_block": "10.1.0.0/24"})
    d["vpc_peering_connections"] = [{"vpc_peering_connection_id": "pcx-ab", "requester_vpc_id": "vpc-a", "accepter_vpc_id": "vpc-b"}]
    rt(d, "rtb-priv")["routes"].append({"destination": "10.1.0.0/16", "target": "pcx-ab"})
    routes = [{"destination": "10.0.0.0/16", "target": "pcx-ab"}] if return_route else []
    d["route_tables"].append({"route_table_id": "rtb-b", "vpc_id": "vpc-b", "main": True, "routes": routes})
    d["security_groups"].append({"group_id": "sg-b", "vpc_id": "vpc-b",
                                 "ingress": [{"protocol": "tcp", "ports": 443, "cidr": "10.0.0.0/16"}]})
    d["hosts"] = [{"host_id": "i-b", "subnet_id": "subnet-b", "private_ip": "10.1.0.10", "security_group_ids": ["sg-b"], "ports": [443]}]
    return d


def test_pcx2_peering_is_not_transitive():
    d = _peered(base())
    rt(d, "rtb-priv")["routes"].append({"destination": "10.2.0.0/16", "target": "pcx-ab"})
    f = drop(run(d, "10.2.0.10:443"))
    assert (f.reason, f.component_id) == ("PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", "pcx-ab")


def test_pcx1_peering_without_return_route():
    assert run(_peered(base()), "i-b:443").verdict == "reachable"
    tr = run(_peered(base(), return_route=False), "i-b:443")
    f = drop(tr)
    assert (f.hop, f.reason, f.component_id) == ("H8", "PEERING_NO_RETURN_ROUTE", "rtb-b")


def test_pcx3_peer_nat_is_edge_to_edge():
    d = _peered(base())
    rt(d, "rtb-priv")["routes"] = [{"destination": "0.0.0.0/0", "target": "pcx-ab"}]
    f = drop(run(d, "https://aws.amazon.com"))
    assert (f.reason, f.component_id) == ("EDGE_TO_EDGE_NOT_SUPPORTED", "pcx-ab")


def _dual_stack(d, allow: bool):
    d["vpcs"][0]["ipv6_cidr_block"] = "2600:1f18:aa:bb00::/56"
    for s, c in (("subnet-priv", "2600:1f18:aa:bb01::/64"),):
        next(x for x in d["subnets"] if x["subnet_id"] == s)["ipv6_cidr_block"] = c
    d["egress_only_internet_gateways"] = [{"egress_only_internet_gateway_id": "eigw-1", "vpc_id": "vpc-a"}]
    rt(d, "rtb-priv")["routes"] = [{"destination": "::/0", "target": "eigw-1"}]
    fn(d)["ipv6_allowed_for_dual_stack"] = allow
    return d


def test_lambda5_ipv6_egress_only_function_without_ipv6():
    tr = run(_dual_stack(base(), allow=False), "https://aws.amazon.com")
    assert drop(tr).reason == "NO_ROUTE_TO_DESTINATION"
    assert "IPV6_NOT_ALLOWED_FOR_FUNCTION" in reasons(tr)


def test_sdk4_ipv6_egress_with_ipv6_allowed():
    d = _dual_stack(base(), allow=True)
    assert run(d, "[2600:9000::1]:443").verdict == "reachable"  # (a) an AAAA destination
    assert run(d, "sqs").verdict == "reachable"  # SQS's regional name is dual-stack
    tr = run(d, "ec2")  # (b) ec2.us-east-1.amazonaws.com is IPv4-only
    assert drop(tr).reason == "NO_ROUTE_TO_DESTINATION"
    assert "NO_AAAA_FOR_ENDPOINT" in reasons(tr)


def test_lambda5_ipv6_allowed_with_ipv6_only_subnet():
    d = _dual_stack(base(), allow=True)
    d["subnets"].append({"subnet_id": "subnet-v6", "vpc_id": "vpc-a", "ipv6_cidr_block": "2600:1f18:aa:bb02::/64"})
    fn(d)["subnet_ids"] = ["subnet-v6"]
    tr = run(d, "sqs")
    f = drop(tr)
    assert (f.hop, f.reason) == ("H0", "IPV6_NOT_ALLOWED_FOR_FUNCTION")
    assert tr.paths[0].symptom == "invoke-error"


def test_route1_longest_prefix_match():
    d = _peered(base())
    d["vpcs"][1]["cidr_block"] = "172.31.0.0/16"
    d["subnets"][-1]["cidr_block"] = "172.31.4.0/24"
    d["hosts"][0]["private_ip"] = "172.31.4.20"
    rt(d, "rtb-priv")["routes"] = [{"destination": "0.0.0.0/0", "target": "nat-1"}, {"destination": "172.31.0.0/16", "target": "pcx-ab"}]
    tr = run(d, "172.31.4.20:443")
    h4 = next(h for h in tr.paths[0].hops if h.hop == "H4")
    assert h4.highlight.key == "172.31.0.0/16"
    assert tr.verdict == "reachable"


def test_route7_static_beats_propagated():
    d = base()
    d["route_tables"][1]["routes"] = [{"destination": "0.0.0.0/0", "target": "nat-1", "origin": "propagated"},
                                      {"destination": "0.0.0.0/0", "target": "igw-1"}]
    tr = run(d, "https://aws.amazon.com")
    assert drop(tr).component_id == "igw-1"  # the static IGW route wins (and drops a Lambda)


def test_dns4_private_hosted_zone_shadows_name():
    d = base()
    d["private_hosted_zones"] = [{"name": "example.com", "vpc_ids": ["vpc-a"], "records": {"db.example.com": "10.0.2.20"}}]
    tr = run(d, "https://api.example.com")
    f = drop(tr)
    assert (f.hop, f.reason) == ("H1", "PHZ_SHADOWS_NAME")
    assert tr.paths[0].symptom == "dns-failure"


def test_dns5_dns_firewall_block_and_fail_closed():
    d = base()
    d["vpcs"][0]["dns_firewall"] = {"blocked_domains": ["evil.example"], "response": "NXDOMAIN"}
    assert drop(run(d, "https://x.evil.example")).reason == "DNS_FIREWALL_BLOCK"
    assert run(d, "https://aws.amazon.com").verdict == "reachable"
    d["vpcs"][0]["dns_firewall"] = {"impaired": True, "fail_mode": "closed"}
    assert drop(run(d, "https://aws.amazon.com")).reason == "DNS_FIREWALL_FAIL_CLOSED"
    d["vpcs"][0]["dns_firewall"] = {"impaired": True, "fail_mode": "open"}
    assert run(d, "https://aws.amazon.com").verdict == "reachable"


def test_ep8_interface_endpoint_in_one_az_is_reachable_from_both():
    d = add_interface_endpoint(isolated(base()), "secretsmanager", subnet="subnet-db")  # us-east-1b
    d["route_tables"][-1]["associations"].append("subnet-pub")
    d["route_tables"][0]["associations"] = []
    fn(d)["subnet_ids"] = ["subnet-priv", "subnet-priv-b"]
    tr = run(d, "secretsmanager:x")
    assert tr.verdict == "reachable"
    assert any("AVAILABILITY_ZONE_CROSSED" in n for n in tr.paths[0].notes)


def test_tgw_transit_gateway_is_reported_unknown_not_guessed():
    d = base()
    rt(d, "rtb-priv")["routes"].append({"destination": "10.9.0.0/16", "target": "tgw-1"})
    tr = run(d, "10.9.0.10:443")
    assert tr.verdict == "unknown"
    assert drop(tr).reason == "UNKNOWN_DESTINATION"


def test_igw3_block_public_access():
    d = base()
    d["block_public_access"] = {"mode": "bidirectional"}
    f = drop(run(d, "https://aws.amazon.com"))
    assert (f.reason, f.component_id) == ("VPC_BLOCK_PUBLIC_ACCESS_ENABLED", "igw-1")
    d["block_public_access"] = {"mode": "ingress"}
    assert run(d, "https://aws.amazon.com").verdict == "reachable"
    d["block_public_access"] = {"mode": "bidirectional", "exclusions": ["vpc-a"]}
    assert run(d, "https://aws.amazon.com").verdict == "reachable"


def test_lambda7_subnet_out_of_ip_addresses():
    d = base()
    d["subnets"][1]["available_ip_address_count"] = 0
    tr = run(d, "https://aws.amazon.com")
    f = drop(tr)
    assert (f.hop, f.reason) == ("H0", "LAMBDA_ENI_SETUP_FAILED")
    assert tr.paths[0].symptom == "invoke-error"


def test_nat3_nat_idle_reset_is_a_note_not_a_block():
    tr = run(base(), "https://aws.amazon.com")
    assert tr.verdict == "reachable"
    assert any("350 s" in n for n in tr.paths[0].notes)


# ---- rules beyond the numbered cases ------------------------------------------------------------


def test_lambda6_timeout_message_uses_function_timeout():
    d = base()
    fn(d)["subnet_ids"] = ["subnet-pub"]
    fn(d)["timeout"] = 120
    tr = run(d, "https://aws.amazon.com")
    assert tr.paths[0].message.startswith("Task timed out after 120.00 seconds")
    assert "ConnectTimeoutError" in tr.paths[0].message


def test_lambda7_eni_setup_failure_is_invoke_error():
    d = base()
    fn(d)["state_reason_code"] = "EC2AccessDeniedException"
    tr = run(d, "https://aws.amazon.com")
    assert drop(tr).reason == "LAMBDA_ENI_SETUP_FAILED" and tr.paths[0].symptom == "invoke-error"


def test_lambda8_identity_policy_without_allow_is_access_denied():
    d = base()
    d["roles"] = [{"role_name": "r", "policies": [{"Statement": [{"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "*"}]}]}]
    fn(d)["role"] = "r"
    tr = run(d, OBJ)
    f = drop(tr)
    assert (f.reason, f.component_id) == ("IDENTITY_POLICY_NO_ALLOW", "arn:aws:iam::111122223333:role/r")
    assert "because no identity-based policy allows the s3:GetObject action" in f.explanation


def test_igw1_detached_igw():
    d = base()
    del d["internet_gateways"][0]["vpc_id"]
    f = drop(run(d, "https://aws.amazon.com"))
    assert (f.reason, f.component_id) == ("BAD_STATE_ATTACHMENT", "igw-1")


def test_port_not_listening_is_connection_refused():
    d = _rds(base(), [{"protocol": "tcp", "ports": "0-65535", "group": "sg-lambda"}])
    tr = run(d, "orders-db:3306")
    assert drop(tr).reason == "PORT_NOT_LISTENING" and tr.paths[0].symptom == "connection-refused"


def test_function_outside_vpc():
    d = _rds(base(), [{"protocol": "tcp", "ports": 5432, "group": "sg-lambda"}])
    d["lambda_functions"].append({"function_name": "novpc"})
    assert run(d, OBJ, fn="novpc").verdict == "reachable"
    assert run(d, "orders-db:5432", fn="novpc").verdict == "blocked"


def test_every_blocker_is_listed():
    """Every blocker is listed (as Reachability Analyzer lists blocked paths): the SG, the NACL and the missing route are all named, the first as the drop."""
    d = _custom_nacl(isolated(base()), [])
    sg(d, "sg-lambda")["egress"] = []
    tr = run(d, OBJ)
    assert reasons(tr)[:3] == ["SG_HAS_NO_RULES", "SUBNET_ACL_RESTRICTION", "NO_ROUTE_TO_DESTINATION"]


def test_unknown_when_nacls_unreadable():
    d = base()
    d["unknown"] = [{"kind": "network_acls", "reason": "ec2:DescribeNetworkAcls: AccessDenied"}]
    tr = run(d, "https://aws.amazon.com")
    assert tr.verdict == "unknown"
    assert "DescribeNetworkAcls" in drop(tr).explanation


def test_unknown_when_bucket_policy_unreadable():
    d = base()
    d["buckets"] = [{"name": "bucket", "policy_error": "s3:GetBucketPolicy: AccessDenied"}]
    tr = run(d, OBJ)
    assert tr.verdict == "unknown" and "GetBucketPolicy" in drop(tr).explanation


def test_unknown_when_policy_condition_not_modelled():
    d = base()
    d["buckets"] = [{"name": "bucket", "policy": {"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
                                                                  "Condition": {"StringEquals": {"aws:PrincipalTag/team": "x"}}}]}}]
    tr = run(d, OBJ)
    assert tr.verdict == "unknown"


def test_pol2_missing_condition_keys_and_if_exists():
    """POL-2: absent key + negated operator is true; + positive operator false; ...IfExists true."""
    def pol(op):
        return {"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "*",
                               "Condition": {op: {"aws:SourceVpce": "vpce-s3"}}}]}
    d = base()  # through the NAT: aws:SourceVpce is absent
    for op, verdict in (("StringNotEquals", "blocked"), ("StringNotEqualsIfExists", "blocked"),
                        ("StringEquals", "reachable"), ("StringEqualsIfExists", "blocked")):
        d["buckets"] = [{"name": "bucket", "policy": pol(op)}]
        assert run(d, OBJ).verdict == verdict, op


def test_action_matters_object_vs_bucket():
    pol = {"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::bucket"}]}
    d = base()
    d["buckets"] = [{"name": "bucket", "policy": pol}]
    assert run(d, OBJ).verdict == "reachable"
    assert run(d, "s3://bucket").verdict == "blocked"


def test_dns6_custom_resolver_must_forward_amazonaws_for_private_dns():
    d = add_interface_endpoint(isolated(base()), "ssm")
    d["vpcs"][0]["domain_name_servers"] = ["10.0.2.10"]
    d["hosts"] = [{"host_id": "i-dns", "subnet_id": "subnet-db", "private_ip": "10.0.2.10"}]
    assert run(d, "ssm:/p").verdict == "reachable"
    d["vpcs"][0]["dns_forwards_amazonaws"] = False
    tr = run(d, "ssm:/p")
    assert "PRIVATE_DNS_NOT_EFFECTIVE" in reasons(tr) and drop(tr).reason == "NO_ROUTE_TO_DESTINATION"


def test_ep9_s3_interface_endpoint_inbound_resolver_only_keeps_gateway_path():
    d = _s3_gateway(isolated(base()))
    add_interface_endpoint(d, "s3", private_dns_enabled=True, vpc_endpoint_id="vpce-s3if")
    tr = run(d, OBJ)
    assert tr.verdict == "reachable"
    assert any(h.component_id == "vpce-s3" and h.hop == "H5" for h in tr.paths[0].hops)
    d["vpc_endpoints"][-1]["private_dns_only_for_inbound_resolver_endpoint"] = False
    tr = run(d, OBJ)
    assert tr.verdict == "reachable"
    assert any(h.component_id == "vpce-s3if" and h.hop == "H1" for h in tr.paths[0].hops)


@pytest.mark.parametrize("kind", ["vpcs", "vpc-a:enableDnsHostnames", "vpc_endpoints"])
def test_unknown_dns_inputs_give_unknown_not_a_guess(kind):
    d = add_interface_endpoint(isolated(base()), "ssm")
    d["unknown"] = [{"kind": kind, "reason": "AccessDenied"}]
    tr = run(d, "ssm:/p")
    assert tr.verdict == "unknown" and drop(tr).hop == "H1"


def test_unknown_nat_gateways_is_not_a_blackhole():
    d = base()
    d["nat_gateways"] = []
    d["unknown"] = [{"kind": "nat_gateways", "reason": "ec2:DescribeNatGateways: AccessDenied"}]
    d["route_tables"][1]["routes"] = [{"destination": "0.0.0.0/0", "target": "nat-1"}]
    tr = trace(net(d), "fn", "https://aws.amazon.com")
    assert tr.verdict == "unknown" and "DescribeNatGateways" in drop(tr).explanation


def test_peering_to_a_vpc_outside_the_file_is_unknown():
    d = base()
    d["vpc_peering_connections"] = [{"vpc_peering_connection_id": "pcx-x", "requester_vpc_id": "vpc-a", "accepter_vpc_id": "vpc-0other"}]
    rt(d, "rtb-priv")["routes"].append({"destination": "10.9.0.0/16", "target": "pcx-x"})
    tr = run(d, "10.9.0.10:443")
    assert tr.verdict == "unknown" and drop(tr).reason == "UNKNOWN_DESTINATION"


def test_function_and_role_may_share_a_name():
    d = base()
    d["roles"] = [{"role_name": "fn", "policies": [{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}]}]
    fn(d)["role"] = "fn"
    assert run(d, OBJ).verdict == "reachable"


def test_custom_dns_server_behind_a_vpn_is_unknown_not_assumed():
    d = base()
    d["vpcs"][0]["domain_name_servers"] = ["192.168.10.53"]
    rt(d, "rtb-priv")["routes"].append({"destination": "192.168.0.0/16", "target": "vgw-1"})
    tr = run(d, "https://aws.amazon.com")
    assert tr.verdict == "unknown"
    assert "192.168.10.53" in drop(tr).explanation


def test_unknown_policy_names_the_condition_it_cannot_evaluate():
    d = base()
    d["buckets"] = [{"name": "bucket", "policy": {"Statement": [{
        "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
        "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-x"}, "DateLessThan": {"aws:SourceVpc": "3"}}}]}}]
    d["vpc_endpoints"] = [{"vpc_endpoint_id": "vpce-x", "vpc_id": "vpc-a", "service": "s3", "route_table_ids": ["rtb-priv"]}]
    tr = run(d, OBJ)
    assert tr.verdict == "unknown"
    assert "condition operator DateLessThan" in drop(tr).explanation


def test_an_interface_endpoint_over_peering_takes_443_only():
    """An interface endpoint answers HTTPS on 443 only, whether the caller is in its VPC or in a
    peered one: over peering, another port is refused at the endpoint as it is locally."""
    import pathlib

    from vpctui.loaders.scenario import parse_scenario

    src = (pathlib.Path(__file__).resolve().parents[2] / "scenarios" / "peering-not-transitive.yaml").read_text()
    src = src.split("expect:")[0].replace("  - {group_id: sg-0afn, group_name: app-fn, vpc_id: app-vpc}",
                                          "  - {group_id: sg-0afn, group_name: app-fn, vpc_id: app-vpc}\n"
                                          "  - {group_id: sg-0bvpce, group_name: vpce, vpc_id: shared-vpc,\n"
                                          "     ingress: [{protocol: tcp, ports: 0-65535, cidr: 10.0.0.0/8}]}")
    src += """
vpc_endpoints:
  - {vpc_endpoint_id: vpce-0bsm, vpc_id: shared-vpc, service: secretsmanager, subnet_ids: [shared],
     security_group_ids: [vpce], private_dns_enabled: false, ip_addresses: {shared: 10.1.1.50}}
"""
    net = parse_scenario(src, "x.yaml")
    fn_name = net.functions[0].function_name
    ok = trace(net, fn_name, "10.1.1.50:443")
    assert ok.verdict == "reachable", ok.paths[0].drop
    tr = trace(net, fn_name, "10.1.1.50:8443")
    assert drop(tr).reason == "PORT_NOT_LISTENING" and drop(tr).component_id == "vpce-0bsm"
    assert tr.paths[0].symptom == "connection-refused"
