"""Build small networks for rule tests (docs/aws-behaviour.md), changed per test.

Conventions: us-east-1, VPC 10.0.0.0/16 with both DNS
attributes on, default NACL, the Lambda SG a new custom SG (no inbound, egress all), timeout 3 s.
"""

from __future__ import annotations

import copy

import yaml

from vpctui.engine import trace
from vpctui.loaders.scenario import parse_scenario

BASE = {
    "region": "us-east-1",
    "account_id": "111122223333",
    "vpcs": [{"vpc_id": "vpc-a", "cidr_block": "10.0.0.0/16", "enable_dns_support": True,
              "enable_dns_hostnames": True}],
    "subnets": [
        {"subnet_id": "subnet-pub", "vpc_id": "vpc-a", "cidr_block": "10.0.0.0/24", "availability_zone": "us-east-1a"},
        {"subnet_id": "subnet-priv", "vpc_id": "vpc-a", "cidr_block": "10.0.1.0/24", "availability_zone": "us-east-1a"},
        {"subnet_id": "subnet-db", "vpc_id": "vpc-a", "cidr_block": "10.0.2.0/24", "availability_zone": "us-east-1b"},
        {"subnet_id": "subnet-priv-b", "vpc_id": "vpc-a", "cidr_block": "10.0.3.0/24", "availability_zone": "us-east-1b"},
    ],
    "internet_gateways": [{"internet_gateway_id": "igw-1", "vpc_id": "vpc-a"}],
    "nat_gateways": [{"nat_gateway_id": "nat-1", "subnet_id": "subnet-pub", "public_ip": "3.3.3.3",
                      "private_ip": "10.0.0.5"}],
    "route_tables": [
        {"route_table_id": "rtb-pub", "vpc_id": "vpc-a", "associations": ["subnet-pub"],
         "routes": [{"destination": "0.0.0.0/0", "target": "igw-1"}]},
        {"route_table_id": "rtb-priv", "vpc_id": "vpc-a", "associations": ["subnet-priv"],
         "routes": [{"destination": "0.0.0.0/0", "target": "nat-1"}]},
        {"route_table_id": "rtb-main", "vpc_id": "vpc-a", "main": True},
    ],
    "security_groups": [{"group_id": "sg-lambda", "vpc_id": "vpc-a"}],
    "lambda_functions": [{"function_name": "fn", "subnet_ids": ["subnet-priv"],
                          "security_group_ids": ["sg-lambda"]}],
    "buckets": [{"name": "bucket"}],
    # vpctui knows no internet DNS: the external names the tests call are declared (DNS-10)
    "external_hosts": [{"name": "aws.amazon.com"}],
}


def base() -> dict:
    return copy.deepcopy(BASE)


def net(d: dict):
    return parse_scenario(yaml.safe_dump(d, sort_keys=False), "<test>")


def run(d: dict, target: str, fn: str = "fn"):
    return trace(net(d), fn, target)


def rt(d: dict, rid: str) -> dict:
    return next(r for r in d["route_tables"] if r["route_table_id"] == rid)


def sg(d: dict, gid: str) -> dict:
    return next(g for g in d["security_groups"] if g["group_id"] == gid)


def fn(d: dict, name: str = "fn") -> dict:
    return next(f for f in d["lambda_functions"] if f["function_name"] == name)


def drop(tr, i: int = 0):
    return tr.paths[i].drop


def reasons(tr) -> list[str]:
    out = []
    for p in tr.paths:
        if p.drop:
            out.append(p.drop.reason)
        out += [b.reason for b in p.blockers]
    return out


def isolated(d: dict, subnet: str = "subnet-priv") -> dict:
    """Make ``subnet`` use only local routes (no NAT)."""
    for r in d["route_tables"]:
        if subnet in r.get("associations", []):
            r["associations"].remove(subnet)
    d["route_tables"].append({"route_table_id": "rtb-iso", "vpc_id": "vpc-a", "associations": [subnet]})
    return d


def add_interface_endpoint(d: dict, service: str, subnet: str = "subnet-db", sgs=("sg-ep",), **kw) -> dict:
    if sgs and not any(g["group_id"] == "sg-ep" for g in d["security_groups"]) and "sg-ep" in sgs:
        d["security_groups"].append({"group_id": "sg-ep", "vpc_id": "vpc-a",
                                     "ingress": [{"protocol": "tcp", "ports": 443, "group": "sg-lambda"}]})
    ep = {"vpc_endpoint_id": f"vpce-{service.replace('.', '')}", "vpc_id": "vpc-a", "service": service,
          "vpc_endpoint_type": "Interface", "subnet_ids": [subnet], **kw}
    if sgs:
        ep["security_group_ids"] = list(sgs)
    d.setdefault("vpc_endpoints", []).append(ep)
    return d
