"""Hostile and broken scenario files: each gets one line ``FILE:LINE: KEY.PATH: message`` and exit 2,
never a traceback or "internal error", in bounded time and memory; and `validate` accepts exactly
what `trace` and `matrix` can use (issue 10, parts 2 and 3)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from vpctui.cli import main
from vpctui.loaders.scenario import load_scenario, parse_scenario
from vpctui.loaders.yamlsrc import MAX_ALIAS_NODES, MAX_DEPTH, MAX_FILE_BYTES, MAX_INT_DIGITS, MAX_STRING

ROOT = Path(__file__).resolve().parents[2]

BASE = """\
region: us-east-1
vpcs:
  - vpc_id: vpc-1
    cidr_block: 10.0.0.0/16
    enable_dns_hostnames: true
subnets:
  - subnet_id: subnet-1
    vpc_id: vpc-1
    cidr_block: 10.0.1.0/24
lambda_functions:
  - function_name: fn
    subnet_ids: [subnet-1]
"""  # 12 lines: what a case appends starts at line 13

ERROR_LINE = re.compile(r"^(?P<file>[^:]+\.yaml):(?P<line>[1-9][0-9]*): (?P<path>[^ ]+): (?P<msg>.+)$")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def rejected(tmp_path, capsys, text: str | bytes, name: str = "bad.yaml") -> list[dict]:
    """validate, trace and matrix all reject the file the same way: exit 2, every stderr line
    FILE:LINE: KEY.PATH: message."""
    p = tmp_path / name
    p.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    results = []
    for argv in (["validate", str(p)], ["trace", str(p), "--from", "fn", "--to", "s3"], ["matrix", str(p)]):
        code, out, err = run(capsys, *argv)
        assert code == 2, (argv, out, err)
        assert "internal error" not in err and "Traceback" not in err
        # a file over 256 KB gets a progress line first ("vpctui: reading FILE"): not an error line
        lines = [ln for ln in err.splitlines() if not ln.startswith("vpctui: reading ")]
        assert lines, argv
        parsed = []
        for line in lines:
            m = ERROR_LINE.match(line)
            assert m, f"not FILE:LINE: KEY.PATH: message: {line!r}"
            assert m["file"] == str(p)
            parsed.append(m.groupdict())
        results.append(parsed)
    assert results[0] == results[1] == results[2]
    return results[0]


def one(tmp_path, capsys, text, path: str, *words: str, line: int | None = None) -> dict:
    errs = rejected(tmp_path, capsys, text)
    hit = [e for e in errs if e["path"] == path]
    assert hit, (path, errs)
    e = hit[0]
    for w in words:
        assert w in e["msg"], (w, e)
    if line is not None:
        assert int(e["line"]) == line, e
    return e


# ---- part 3: the cases the issue lists ----------------------------------------------------------


NACL = BASE + "network_acls:\n  - network_acl_id: acl-1\n    vpc_id: vpc-1\n    entries:\n      - {E}\n"
ROUTE = BASE + "route_tables:\n  - route_table_id: rtb-1\n    vpc_id: vpc-1\n    routes:\n      - {R}\n"
ENTRY = "rule_number: 100, direction: inbound, action: allow, cidr: 0.0.0.0/0"


def test_quoted_rule_number(tmp_path, capsys):
    one(tmp_path, capsys, NACL.replace("{E}", "{" + ENTRY.replace("100", '"100"') + "}"),
        "network_acls[0].entries[0].rule_number", "whole number", "'100'", line=17)


@pytest.mark.parametrize("field,value", [("direction", "1"), ("direction", "[inbound]"), ("action", "yes"),
                                         ("action", "{a: 1}")])
def test_wrong_typed_nacl_direction_and_action(tmp_path, capsys, field, value):
    entry = re.sub(rf"{field}: \w+", f"{field}: {value}", ENTRY)
    one(tmp_path, capsys, NACL.replace("{E}", "{" + entry + "}"), f"network_acls[0].entries[0].{field}", line=17)


@pytest.mark.parametrize("route", ["{destination: 5, target: local}", "{destination: [a], target: local}",
                                   "{destination: 0.0.0.0/0, target: [igw-1]}",
                                   "{destination: 0.0.0.0/0, target: {a: b}}",
                                   "{destination: 0.0.0.0/0, target: true}"])
def test_wrong_typed_route_destination_and_target(tmp_path, capsys, route):
    key = "target" if "destination: 0.0.0.0/0" in route else "destination"
    one(tmp_path, capsys, ROUTE.replace("{R}", route), f"route_tables[0].routes[0].{key}", line=17)


POLICY_DATE = BASE + """\
buckets:
  - name: b
    policy:
      Version: 2012-10-17
      Statement:
        - {Effect: Allow, Principal: '*', Action: 's3:*', Resource: '*'}
targets: [s3://b/k]
"""


def test_unquoted_policy_version_date_is_the_string(tmp_path, capsys):
    p = tmp_path / "ok.yaml"
    p.write_text(POLICY_DATE)
    assert run(capsys, "validate", str(p))[0] == 0
    net = load_scenario(p)
    assert json.loads(net.resources[0].policy.text)["Version"] == "2012-10-17"
    code, out, err = run(capsys, "matrix", str(p), "--json")
    assert code == 0 and not err
    code, out, err = run(capsys, "trace", str(p), "--from", "fn", "--to", "s3://b/k", "--json")
    assert code in (0, 1) and not err


@pytest.mark.parametrize("tagged", ["!!binary aGVsbG8=", "!!timestamp 2012-10-17", "!!set {a: null}",
                                    "!!omap [a: 1]", "!python/object:os.system x", "!custom x"])
def test_unsupported_yaml_tags(tmp_path, capsys, tagged):
    one(tmp_path, capsys, BASE + f"description: {tagged}\n", "description", "tag", line=13)


def test_float_tag_on_text(tmp_path, capsys):
    one(tmp_path, capsys, BASE + "description: !!float abc\n", "description", "'abc' is not a number", line=13)


def test_400_digit_timeout(tmp_path, capsys):
    text = BASE.replace("subnet_ids: [subnet-1]", "subnet_ids: [subnet-1]\n    timeout: " + "9" * 400)
    one(tmp_path, capsys, text, "lambda_functions[0].timeout", f"{MAX_INT_DIGITS} digits (the limit)", line=13)


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", "1e999"])
def test_timeout_must_be_finite(tmp_path, capsys, value):
    text = BASE.replace("subnet_ids: [subnet-1]", "subnet_ids: [subnet-1]\n    timeout: " + value)
    one(tmp_path, capsys, text, "lambda_functions[0].timeout", line=13)


@pytest.mark.parametrize("ports", ['"²"', '"٣"', '"1-²"', '"00000000000000000000443"', '"99999999999999999999999-1"'])
def test_non_ascii_or_huge_port_strings(tmp_path, capsys, ports):
    text = BASE + f"security_groups:\n  - group_id: sg-1\n    vpc_id: vpc-1\n    ingress:\n      - {{protocol: tcp, ports: {ports}, cidr: 0.0.0.0/0}}\n"
    one(tmp_path, capsys, text, "security_groups[0].ingress[0].ports", "not a port", line=17)


def test_integer_over_4300_digits(tmp_path, capsys):
    one(tmp_path, capsys, BASE + "notes: [" + "1" * 5000 + "]\n", "notes[0]", "5,000 digits", "(the limit)", line=13)


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 500, 1000])
def test_deep_flow_nesting(tmp_path, capsys, depth):
    errs = rejected(tmp_path, capsys, BASE + "description: " + "[" * depth + "]" * depth + "\n")
    assert len(errs) == 1 and errs[0]["line"] == "13"
    assert errs[0]["path"].startswith("description[0]")
    assert f"deeper than {MAX_DEPTH} levels (the limit)" in errs[0]["msg"]


def test_deep_block_nesting(tmp_path, capsys):
    text = BASE + "block_public_access:\n" + "".join("  " * i + "  a:\n" for i in range(700)) + "  " * 700 + "  1\n"
    errs = rejected(tmp_path, capsys, text)
    assert len(errs) == 1 and errs[0]["path"].startswith("block_public_access.a.a")
    assert "the limit" in errs[0]["msg"]


def test_nesting_of_a_million_levels_does_not_crash_the_process(tmp_path):
    """libyaml's composer recurses in C: 100,000 levels used to be a segmentation fault."""
    p = tmp_path / "deep.yaml"
    p.write_text("a: " + "[" * 1_000_000 + "]" * 1_000_000 + "\n")
    r = subprocess.run([sys.executable, "-m", "vpctui", "validate", str(p)], capture_output=True, text=True,
                       cwd=ROOT, timeout=120)
    assert r.returncode == 2, r
    assert r.stderr.count("\n") == 1 and "(the limit)" in r.stderr and f"{p}:1: a[0]" in r.stderr


def test_policy_json_string_2000_deep(tmp_path, capsys):
    text = BASE + "buckets:\n  - name: b\n    policy: '" + "[" * 2000 + "]" * 2000 + "'\n"
    one(tmp_path, capsys, text, "buckets[0].policy", "(the limit)", line=15)


def test_policy_json_string_just_under_the_recursion_limit(tmp_path, capsys):
    deep = '{"Statement": [{"Effect": "Allow", "Action": "*", "Sid": ' + "[" * 900 + "]" * 900 + "}]}"
    one(tmp_path, capsys, BASE + "buckets:\n  - name: b\n    policy: '" + deep + "'\n", "buckets[0].policy", "(the limit)")


def test_control_character(tmp_path, capsys):
    errs = rejected(tmp_path, capsys, BASE + "description: a\x07b\n")
    assert len(errs) == 1
    assert errs[0]["line"] == "13" and errs[0]["path"] == "description" and "U+0007" in errs[0]["msg"]


def test_newline_inside_a_key(tmp_path, capsys):
    errs = rejected(tmp_path, capsys, BASE + '"bad\\nkey": 1\n')
    assert len(errs) == 1 and errs[0]["line"] == "13" and "\\n" in errs[0]["path"]


def test_duplicate_key_has_a_key_path(tmp_path, capsys):
    errs = rejected(tmp_path, capsys, BASE + "subnets: []\n")
    assert errs == [{"file": str(tmp_path / "bad.yaml"), "line": "13", "path": "subnets",
                     "msg": "duplicate key (first at line 6)"}]
    text = BASE.replace("    cidr_block: 10.0.1.0/24", "    cidr_block: 10.0.1.0/24\n    vpc_id: vpc-1")
    errs = rejected(tmp_path, capsys, text)
    assert [(e["line"], e["path"]) for e in errs] == [("10", "subnets[0].vpc_id")]


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n", "---\n"])
def test_empty_file_has_a_key_path(tmp_path, capsys, text):
    errs = rejected(tmp_path, capsys, text)
    assert [(e["line"], e["path"], e["msg"]) for e in errs] == [("1", "(top)", "the file is empty")]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig", "utf-32"])
def test_unicode_with_a_bom_is_read(tmp_path, capsys, encoding):
    p = tmp_path / "ps.yaml"
    p.write_bytes(BASE.encode(encoding) if encoding != "utf-16-be" else b"\xfe\xff" + BASE.encode("utf-16-be"))
    code, out, err = run(capsys, "validate", str(p))
    assert code == 0, err
    assert "1 function)" in out


def test_undecodable_file_names_the_line(tmp_path, capsys):
    errs = rejected(tmp_path, capsys, BASE.encode() + b"description: caf\xe9\n")
    assert errs[0]["line"] == "13" and "UTF-8" in errs[0]["msg"]


ENDPOINT = BASE + """\
vpc_endpoints:
  - vpc_endpoint_id: vpce-1
    vpc_id: vpc-1
    service: ssm
    subnet_ids: [subnet-1]
    ip_addresses: {IPS}
"""


@pytest.mark.parametrize("ips,words", [("{subnet-1: notanip}", "not an IP address"),
                                       ("{subnet-1: 192.168.0.1}", "outside subnet subnet-1"),
                                       ("{subnet-1: [10.0.1.5]}", "not an IP address"),
                                       ("{subnet-9: 10.0.1.5}", "not one of the endpoint's subnet_ids")])
def test_endpoint_ip_addresses_checked_at_load(tmp_path, capsys, ips, words):
    e = one(tmp_path, capsys, ENDPOINT.replace("{IPS}", ips), "vpc_endpoints[0].ip_addresses." + ips[1:].split(":")[0],
            words)
    assert e["line"] == "18"


@pytest.mark.parametrize("target", ["''", "s3://", "'zz:'", "'1.2.3.4:99999'", "'1.2.3.4:²'", "nosuchhost:80",
                                    "'https://h:0'", "'[::1]:x'"])
def test_targets_entries_checked_at_load(tmp_path, capsys, target):
    one(tmp_path, capsys, BASE + f"targets: [ssm, {target}]\n", "targets[1]", line=13)


def test_expect_to_checked_at_load(tmp_path, capsys):
    text = BASE + "expect:\n  - {from: fn, to: 's3://', verdict: blocked}\n"
    one(tmp_path, capsys, text, "expect[0].to", "no bucket name", line=14)


# ---- part 2: limits ---------------------------------------------------------------------------


def test_alias_bomb_under_tags(tmp_path, capsys):
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    bomb = "\n".join("      " + ln for ln in lines)
    text = BASE.replace("    cidr_block: 10.0.0.0/16", "    cidr_block: 10.0.0.0/16\n    tags:\n" + bomb)
    assert len(text) < 1200
    errs = rejected(tmp_path, capsys, text)
    assert len(errs) == 1 and f"more than {MAX_ALIAS_NODES:,} nodes (the limit)" in errs[0]["msg"]
    assert errs[0]["path"].startswith("vpcs[0].tags.")


def test_a_few_aliases_are_fine(tmp_path, capsys):
    text = BASE + ("security_groups:\n  - group_id: sg-1\n    vpc_id: vpc-1\n    egress: &eg\n"
                   "      - {protocol: tcp, ports: 443, cidr: 0.0.0.0/0}\n"
                   "  - group_id: sg-2\n    vpc_id: vpc-1\n    egress: *eg\n")
    p = tmp_path / "ok.yaml"
    p.write_text(text)
    assert run(capsys, "validate", str(p))[0] == 0


def test_recursive_alias(tmp_path, capsys):
    errs = rejected(tmp_path, capsys, BASE + "notes: &n [a, *n]\n")
    assert len(errs) == 1 and "contains it" in errs[0]["msg"] and errs[0]["line"] == "13"


def test_string_limit(tmp_path, capsys):
    errs = rejected(tmp_path, capsys, BASE + "description: '" + "x" * (MAX_STRING + 1) + "'\n")
    assert len(errs) == 1 and errs[0]["path"] == "description" and "(the limit)" in errs[0]["msg"]
    assert len(errs[0]["msg"]) < 200


def test_file_size_limit(tmp_path, capsys):
    text = BASE + "description: |\n" + ("  " + "x" * 1000 + "\n") * (MAX_FILE_BYTES // 1000 + 1)
    errs = rejected(tmp_path, capsys, text)
    assert errs == [{"file": str(tmp_path / "bad.yaml"), "line": "1", "path": "(top)",
                     "msg": f"the file is larger than {MAX_FILE_BYTES // 2**20} MiB (the limit)"}]


def test_long_values_keep_error_lines_short(tmp_path, capsys):
    errs = rejected(tmp_path, capsys, BASE + "regoin: '" + "y" * 50_000 + "'\n" + "x" * 5000 + ": 1\n")
    assert all(len(e["path"]) + len(e["msg"]) < 600 for e in errs)


@pytest.mark.parametrize("region", ["'" + "[" * 20000 + "'", "'us-east-1*'", "'us-[ea]st-1'", "US-EAST-1", "1"])
def test_region_is_checked_never_a_pattern(tmp_path, capsys, region):
    one(tmp_path, capsys, BASE.replace("region: us-east-1", f"region: {region}"), "(top).region",
        "not a Region name", line=1)


def test_bucket_region_is_checked(tmp_path, capsys):
    one(tmp_path, capsys, BASE + "buckets:\n  - {name: b, region: 'eu-*'}\n", "buckets[0].region", line=14)


def test_hostname_labels_are_never_patterns():
    from vpctui.engine.targets import parse_target

    net = parse_scenario(BASE, "x.yaml")
    t = parse_target(net, "https://ssm." + "[" * 20000 + ".amazonaws.com")
    assert t.kind in ("internet", "service")
    t = parse_target(net, "https://ssm.*.amazonaws.com")
    assert t.service is None or t.region == "*"


def test_iam_brackets_are_characters():
    from vpctui.engine.policy import iam_like

    assert iam_like("arn:aws:s3:::b[1]/k", "arn:aws:s3:::b[1]/*")
    assert not iam_like("arn:aws:s3:::b1/k", "arn:aws:s3:::b[1]/*")
    assert iam_like("abc", "a?c") and iam_like("a" + "[" * 5000, "a" + "[" * 5000)


def test_interface_endpoint_in_a_slash_4_subnet(tmp_path, capsys):
    """A /4 holds 268 million addresses: the ENI's stand-in address must not list them."""
    text = ("vpcs:\n  - {vpc_id: vpc-1, cidr_block: 0.0.0.0/0}\nsubnets:\n"
            "  - {subnet_id: subnet-1, vpc_id: vpc-1, cidr_block: 0.0.0.0/4}\nvpc_endpoints:\n"
            "  - {vpc_endpoint_id: vpce-1, vpc_id: vpc-1, service: ssm, subnet_ids: [subnet-1]}\n"
            "lambda_functions:\n  - {function_name: fn, subnet_ids: [subnet-1]}\n")
    import tracemalloc

    tracemalloc.start()
    net = parse_scenario(text, "x.yaml")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 50 * 2**20
    assert net.vpc_endpoints[0].enis[0].private_ip == "0.0.0.200"


def test_free_address_looks_at_few_candidates():
    import ipaddress

    from vpctui.loaders.scenario import free_address

    class Counting(set):
        n = 0

        def __contains__(self, x):
            Counting.n += 1
            return super().__contains__(x)

    taken = Counting({"10.0.0.200", "10.0.0.201"})
    assert free_address(ipaddress.ip_network("0.0.0.0/1"), taken) == "0.0.0.200"
    assert free_address(ipaddress.ip_network("10.0.0.0/24"), taken) == "10.0.0.202"
    assert Counting.n <= 4
    assert free_address(ipaddress.ip_network("10.0.0.0/30"), set()) is None
    assert free_address(ipaddress.ip_network("10.0.0.0/28"), set()) == "10.0.0.4"


def test_subnet_overlap_check_is_n_log_n():
    """20,000 subnets: every pair compared was 200 million comparisons; the sweep makes ~20,000.
    Counted, not timed: IPv4Network.overlaps must not be called at all."""
    import ipaddress

    n = 20_000
    subnets = "".join(f"  - {{subnet_id: subnet-{i}, vpc_id: vpc-1, cidr_block: 10.{i // 256}.{i % 256}.0/24}}\n"
                      for i in range(n))
    text = "vpcs:\n  - {vpc_id: vpc-1, cidr_block: 10.0.0.0/8}\nsubnets:\n" + subnets
    text += "  - {subnet_id: subnet-x, vpc_id: vpc-1, cidr_block: 10.3.0.0/16}\n"
    calls = 0
    orig = ipaddress._BaseNetwork.overlaps

    def counting(self, other):
        nonlocal calls
        calls += 1
        return orig(self, other)

    ipaddress._BaseNetwork.overlaps = counting
    try:
        with pytest.raises(Exception) as e:
            parse_scenario(text, "x.yaml")
    finally:
        ipaddress._BaseNetwork.overlaps = orig
    assert calls == 0
    errs = e.value.errors
    assert len(errs) == 11 and all(x.startswith(f"x.yaml:{n + 4}: subnets[{n}].cidr_block: 10.3.0.0/16 overlaps ")
                                   for x in errs)
    assert errs[-1].endswith("overlaps 246 more subnets")  # 10 named, then a count: one line each


def test_overlaps_name_the_earlier_subnet():
    text = ("vpcs:\n  - {vpc_id: vpc-1, cidr_block: 10.0.0.0/16}\nsubnets:\n"
            "  - {subnet_id: subnet-big, vpc_id: vpc-1, cidr_block: 10.0.0.0/20}\n"
            "  - {subnet_id: subnet-a, vpc_id: vpc-1, cidr_block: 10.0.1.0/24}\n"
            "  - {subnet_id: subnet-b, vpc_id: vpc-1, cidr_block: 10.0.2.0/24}\n"
            "  - {subnet_id: subnet-c, vpc_id: vpc-1, cidr_block: 10.0.16.0/24}\n")
    with pytest.raises(Exception) as e:
        parse_scenario(text, "x.yaml")
    assert e.value.errors == [
        "x.yaml:5: subnets[1].cidr_block: 10.0.1.0/24 overlaps subnet subnet-big (10.0.0.0/20)",
        "x.yaml:6: subnets[2].cidr_block: 10.0.2.0/24 overlaps subnet subnet-big (10.0.0.0/20)",
    ]
