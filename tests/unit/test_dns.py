"""DNS as AWS resolves it (docs/aws-behaviour.md DNS-4, DNS-6, DNS-8..DNS-12)."""

from __future__ import annotations

from netbuild import add_interface_endpoint, base, drop, fn, isolated, reasons, rt, run


def test_dns10_undeclared_external_name_is_unknown():
    d = base()
    d.pop("external_hosts", None)
    tr = run(d, "https://api.stripe.com")
    assert tr.verdict == "unknown"
    f = drop(tr)
    assert (f.hop, f.reason) == ("H1", "UNKNOWN_DESTINATION")
    assert "external_hosts" in f.explanation
    d["external_hosts"] = [{"name": "api.stripe.com"}]
    assert run(d, "https://api.stripe.com").verdict == "reachable"


def test_dns10_declared_cidr_is_used_and_named_in_fixes():
    d = base()
    d["external_hosts"] = [{"name": "partner.example.net", "cidr": "198.51.100.0/24"}]
    d["security_groups"][0]["egress"] = [{"protocol": "tcp", "ports": 443, "cidr": "10.0.0.0/16"}]
    f = drop(run(d, "https://partner.example.net"))
    assert f.reason == "ENI_SG_RULES_MISMATCH"
    assert "198.51.100.0/24" in f.fix


def test_dns10_unknown_aws_name_is_not_reachable_through_the_nat():
    tr = run(base(), "https://nothing-like-this.us-east-1.amazonaws.com")
    assert tr.verdict == "unknown"


def _phz(d, vpcs, records, name="corp.internal"):
    d["private_hosted_zones"] = [{"name": name, "vpc_ids": vpcs, "records": records}]


def _host(d, **kw):
    h = {"host_id": "i-db", "subnet_id": "subnet-db", "private_ip": "10.0.2.10", "ports": [5432]}
    h.update(kw)
    d["hosts"] = [h]


def test_dns9_a_private_name_needs_a_zone_of_the_callers_vpc():
    d = base()
    _host(d, dns_name="db.corp.internal")
    tr = run(d, "db.corp.internal:5432")
    assert tr.verdict == "unknown"  # no zone of the caller's VPC serves it
    _phz(d, ["vpc-a"], {"db.corp.internal": "10.0.2.10"})
    assert run(d, "db.corp.internal:5432").verdict == "reachable"


def test_dns4_a_zone_of_another_vpc_does_not_answer():
    d = base()
    d["vpcs"].append({"vpc_id": "vpc-b", "cidr_block": "10.9.0.0/16"})
    _host(d, dns_name="db.corp.internal")
    _phz(d, ["vpc-b"], {"db.corp.internal": "10.0.2.10"})
    assert run(d, "db.corp.internal:5432").verdict == "unknown"


def test_dns4_zone_needs_both_dns_attributes():
    d = base()
    _host(d, dns_name="db.corp.internal")
    _phz(d, ["vpc-a"], {"db.corp.internal": "10.0.2.10"})
    d["vpcs"][0]["enable_dns_hostnames"] = False
    assert run(d, "db.corp.internal:5432").verdict != "reachable"


def _peered(d, dns):
    d["vpcs"].append({"vpc_id": "vpc-b", "cidr_block": "10.9.0.0/16", "enable_dns_support": True,
                      "enable_dns_hostnames": True})
    d["subnets"].append({"subnet_id": "subnet-b", "vpc_id": "vpc-b", "cidr_block": "10.9.1.0/24",
                         "availability_zone": "us-east-1a"})
    d["internet_gateways"].append({"internet_gateway_id": "igw-b", "vpc_id": "vpc-b"})
    d["route_tables"].append({"route_table_id": "rtb-b", "vpc_id": "vpc-b", "associations": ["subnet-b"],
                              "routes": [{"destination": "10.0.0.0/16", "target": "pcx-ab"},
                                         {"destination": "0.0.0.0/0", "target": "igw-b"}]})
    d["vpc_peering_connections"] = [{"vpc_peering_connection_id": "pcx-ab", "requester_vpc_id": "vpc-a",
                                     "accepter_vpc_id": "vpc-b", "allow_dns_resolution": dns}]
    d["security_groups"].append({"group_id": "sg-db", "vpc_id": "vpc-b",
                                 "ingress": [{"protocol": "tcp", "ports": 5432, "cidr": "10.0.0.0/16"}]})
    d["hosts"] = [{"host_id": "db-1", "kind": "rds", "subnet_id": "subnet-b", "private_ip": "10.9.1.10",
                   "public_ip": "203.0.113.10", "security_group_ids": ["sg-db"], "ports": [5432],
                   "dns_name": "db-1.abc.us-east-1.rds.amazonaws.com"}]
    isolated(d)
    rt(d, "rtb-iso")["routes"] = [{"destination": "10.9.0.0/16", "target": "pcx-ab"}]
    return d


def test_dns8_public_rds_name_across_peering_needs_dns_resolution():
    tr = run(_peered(base(), dns=False), "https://db-1.abc.us-east-1.rds.amazonaws.com:5432")
    assert tr.verdict == "blocked"
    assert "PEERING_DNS_RESOLUTION_OFF" in reasons(tr)
    tr = run(_peered(base(), dns=True), "https://db-1.abc.us-east-1.rds.amazonaws.com:5432")
    assert tr.verdict == "reachable"


def test_dns6_custom_resolver_reply_needs_its_own_nacl_rule():
    d = isolated(base())
    d["vpcs"][0]["domain_name_servers"] = ["10.0.2.53"]
    d["hosts"] = [{"host_id": "i-dns", "subnet_id": "subnet-db", "private_ip": "10.0.2.53"}]
    add_interface_endpoint(d, "ssm")
    assert run(d, "ssm:/p").verdict == "reachable"
    # the DNS server's subnet lets the query in but not the reply out (stateless)
    d["network_acls"] = [{"network_acl_id": "acl-dns", "vpc_id": "vpc-a", "associations": ["subnet-db"], "entries": [
        {"rule_number": 100, "direction": "inbound", "action": "allow", "protocol": "-1", "cidr": "0.0.0.0/0"},
        {"rule_number": 100, "direction": "outbound", "action": "allow", "protocol": "tcp", "ports": "0-65535", "cidr": "0.0.0.0/0"}]}]
    tr = run(d, "ssm:/p")
    f = drop(tr)
    assert (f.hop, f.reason, f.component_id) == ("H1", "CUSTOM_DNS_UNREACHABLE", "acl-dns")


def test_dns6_custom_resolver_across_peering_needs_the_return_route():
    d = _peered(base(), dns=True)
    d["vpcs"][0]["domain_name_servers"] = ["10.9.1.53"]
    d["hosts"].append({"host_id": "i-dns", "subnet_id": "subnet-b", "private_ip": "10.9.1.53"})
    d["external_hosts"] = [{"name": "aws.amazon.com"}]
    rt(d, "rtb-b")["routes"] = [{"destination": "0.0.0.0/0", "target": "igw-b"}]  # no route back
    tr = run(d, "10.9.1.10:5432")
    assert tr.verdict == "blocked"  # the address itself needs no DNS, but the return route is missing
    tr = run(d, "https://db-1.abc.us-east-1.rds.amazonaws.com:5432")
    f = drop(tr)
    assert (f.hop, f.reason) == ("H1", "CUSTOM_DNS_UNREACHABLE")
    assert "rtb-b" in f.component_id


def test_dns11_s3_endpoint_specific_names():
    d = isolated(base())
    add_interface_endpoint(d, "s3", vpc_endpoint_id="vpce-0s3if", private_dns_enabled=False)
    d["security_groups"].append({"group_id": "sg-ep2", "vpc_id": "vpc-a"})
    for name in ("bucket.vpce-0s3if-abcd.s3.us-east-1.vpce.amazonaws.com",
                 "accesspoint.vpce-0s3if-abcd.s3.us-east-1.vpce.amazonaws.com",
                 "control.vpce-0s3if-abcd.s3.us-east-1.vpce.amazonaws.com",
                 "vpce-0s3if-abcd.s3.us-east-1.vpce.amazonaws.com"):
        tr = run(d, f"https://{name}")
        assert tr.verdict == "reachable", name
        assert any(h.component_id == "vpce-0s3if" and h.hop == "H1" for h in tr.paths[0].hops)
    # service or Region not the endpoint's: no such name
    for name in ("bucket.vpce-0s3if-abcd.s3.eu-west-1.vpce.amazonaws.com",
                 "vpce-0s3if-abcd.sqs.us-east-1.vpce.amazonaws.com"):
        tr = run(d, f"https://{name}")
        assert tr.verdict == "blocked" and drop(tr).symptom == "dns-failure", name


def test_dns12_execute_api_private_dns_makes_public_apis_403():
    d = isolated(base())
    add_interface_endpoint(d, "execute-api")
    d["external_hosts"] = [{"name": "pub123.execute-api.us-east-1.amazonaws.com"}]
    tr = run(d, "https://priv123.execute-api.us-east-1.amazonaws.com")
    assert tr.verdict == "reachable"
    tr = run(d, "https://pub123.execute-api.us-east-1.amazonaws.com")
    f = drop(tr)
    assert (f.reason, tr.paths[0].symptom) == ("PRIVATE_API_DNS_PUBLIC_API", "access-denied")
    assert "403" in tr.paths[0].message


def test_cat1_trace_through_an_endpoint_outside_the_catalog_is_unknown():
    d = isolated(base())
    d["vpc_endpoints"] = [{"vpc_endpoint_id": "vpce-x", "vpc_id": "vpc-a", "service_name": "com.amazonaws.us-east-1.no-such-svc",
                           "vpc_endpoint_type": "Interface", "subnet_ids": ["subnet-db"], "private_dns_enabled": True}]
    tr = run(d, "https://no-such-svc.us-east-1.amazonaws.com")
    assert tr.verdict == "unknown"
    assert "catalog" in drop(tr).explanation


def test_cat1_execute_api_endpoint_is_not_a_timeout():
    d = isolated(base())
    add_interface_endpoint(d, "execute-api")
    assert run(d, "https://a1b2c3.execute-api.us-east-1.amazonaws.com").verdict == "reachable"
