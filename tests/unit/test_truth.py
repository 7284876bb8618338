"""Never an invented fact (docs/aws-behaviour.md LAMBDA-9, DNS-10, EP-2): addresses vpctui does not
know are described, not made up; fixes name only what the input has; no internal rule numbers."""

from __future__ import annotations

import contextlib
import io
import ipaddress
import json
import re
from pathlib import Path

import pytest
from netbuild import base, drop, fn, isolated, run

from vpctui.cli import main as cli_main

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
_ADDR = re.compile(r"(?<![\w.:/-])((?:\d{1,3}\.){3}\d{1,3}(?:/\d{1,2})?|[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7}(?:/\d{1,3})?)(?![\w.:-])", re.I)
_INTERNAL = re.compile(r"\bR\d+\.\d+\b|\bTC\d+\b|rule book|aws-rules|\.\./shared|house style")


def _texts(result: dict):
    for p in result.get("paths", ()):
        yield "message", p.get("message", "")
        for f in [p.get("drop")] + list(p.get("blockers", ())):
            if f:
                yield "explanation", f.get("explanation", "")
                yield "fix", f.get("fix", "")
        for h in p.get("hops", ()):
            yield "detail", h.get("detail", "")
        for n in p.get("notes", ()):
            yield "note", n


def _known(addr: str, file_text: str) -> bool:
    if addr in ("0.0.0.0/0", "::/0") or addr in file_text:
        return True
    try:
        net = ipaddress.ip_network(addr, strict=False)
    except ValueError:
        return True  # not an address (a version number, a time)
    if net.prefixlen == net.max_prefixlen and str(net.network_address) in file_text:
        return True  # ADDRESS/32 of an address the file has
    return False


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.name for p in SCENARIOS])
def test_eng1_matrix_names_no_address_outside_the_file_and_no_internal_numbers(path):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        cli_main(["matrix", str(path), "--json"])
    data = json.loads(out.getvalue())
    text = path.read_text(encoding="utf-8")
    bad = []
    for r in data["results"]:
        for kind, s in _texts(r):
            for m in _ADDR.finditer(s):
                if not _known(m.group(1), text):
                    bad.append(f"{r['source']} -> {r['target']}: {kind} names {m.group(1)}: {s}")
            if _INTERNAL.search(s):
                bad.append(f"{r['source']} -> {r['target']}: {kind} cites an internal number: {s}")
    assert not bad, "\n".join(bad[:20])


def test_eng1_public_service_address_is_described_not_invented():
    tr = run(base(), "s3://bucket/k.txt")
    h1 = " ".join(h.detail for h in tr.paths[0].hops if h.hop == "H1")
    assert "a public address of Amazon S3 in us-east-1" in h1
    assert not _ADDR.search(h1)


def test_lambda9_eni_address_is_described_not_invented():
    tr = run(base(), "s3://bucket/k.txt")
    h0 = next(h for h in tr.paths[0].hops if h.hop == "H0")
    assert "an address in subnet-priv (chosen by Lambda)" in h0.detail
    assert "10.0.1." not in h0.detail


def test_eng1_external_name_described_and_fix_names_no_invented_address():
    d = base()
    d["external_hosts"] = [{"name": "api.stripe.com"}]
    d["network_acls"] = [{"network_acl_id": "acl-c", "vpc_id": "vpc-a", "associations": ["subnet-priv"], "entries": [
        {"rule_number": 100, "direction": "outbound", "action": "allow", "protocol": "tcp", "ports": 443, "cidr": "0.0.0.0/0"},
        {"rule_number": 100, "direction": "inbound", "action": "allow", "protocol": "tcp", "ports": 443, "cidr": "0.0.0.0/0"}]}]
    tr = run(d, "https://api.stripe.com")
    h1 = " ".join(h.detail for h in tr.paths[0].hops if h.hop == "H1")
    assert "the public address of api.stripe.com (not known offline)" in h1
    f = drop(tr)
    assert f.reason == "SUBNET_ACL_RESTRICTION"
    assert "0.0.0.0/0" in f.fix and not any(a != "0.0.0.0/0" for a in _ADDR.findall(f.fix))


def test_eng1_sg_fix_for_a_service_names_the_prefix_list_or_the_open_range():
    d = base()
    d["security_groups"][0]["egress"] = [{"protocol": "tcp", "ports": 443, "cidr": "10.0.0.0/16"}]
    f = drop(run(d, "https://sqs.us-east-1.amazonaws.com"))
    assert f.reason == "ENI_SG_RULES_MISMATCH"
    assert [a for a in _ADDR.findall(f.fix)] == ["0.0.0.0/0"]


def test_eng2_fix_prefers_associating_the_existing_gateway_endpoint():
    d = isolated(base())
    d["vpc_endpoints"] = [{"vpc_endpoint_id": "vpce-s3", "vpc_id": "vpc-a", "service": "s3",
                           "vpc_endpoint_type": "Gateway", "route_table_ids": ["rtb-priv"]}]
    f = drop(run(d, "s3://bucket/k.txt"))
    assert f.reason == "NO_ROUTE_TO_DESTINATION"
    assert f.fix.startswith("associate vpce-s3 with rtb-iso")
    # the public subnet of the seed post: the endpoint exists, so associating it comes first
    d = base()
    d["vpc_endpoints"] = [{"vpc_endpoint_id": "vpce-s3", "vpc_id": "vpc-a", "service": "s3",
                           "vpc_endpoint_type": "Gateway", "route_table_ids": ["rtb-priv"]}]
    fn(d)["subnet_ids"] = ["subnet-pub"]
    f = drop(run(d, "s3://bucket/k.txt"))
    assert f.reason == "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"
    assert "associate vpce-s3 with rtb-pub" in f.fix
