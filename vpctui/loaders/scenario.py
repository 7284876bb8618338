"""Scenario files (YAML) <-> the network model.

Validation collects every problem as one line ``FILE:LINE: KEY.PATH: message`` and raises
``ScenarioError`` with all of them; a half-loaded network is never returned.
See docs/scenario-format.md for the format, field by field.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
import ipaddress
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Optional

from ..model.network import (
    ALL_PORTS, BlockPublicAccess, DhcpOptions, DnsFirewall, EgressOnlyInternetGateway,
    EndpointEni, Expectation, ExternalHost, Host, InternetGateway, LambdaFunction, NaclEntry, NatGateway,
    Network, NetworkAcl, PeeringConnection, PortRange, PrefixList, PrivateHostedZone, Resource,
    Role, Route, RouteTable, SecurityGroup, SgRule, Subnet, Unknown, Vpc, VpcEndpoint,
)
from ..model.policy import Policy, PolicyError
from ..model.route_targets import MAYBE_ELSEWHERE_PREFIXES, ROUTE_TARGET_PREFIXES, route_target_kind
from ..model.tgw import TgwAttachment, TgwRoute, TgwRouteTable, TransitGateway
from ..model.services import CATALOG, KNOWN_SDKS, endpoint_service_short, managed_prefix_list_id, managed_prefix_list_name
from . import LoadError
from .source import Progress
from .yamlsrc import (
    MAX_FILE_BYTES, LineDict, LineList, load_yaml, show_key, yaml_error_line, yaml_error_path, yaml_error_text,
)

DEMO_NAME = "lambda-vpc.yaml"


class ScenarioError(LoadError):
    """One or more problems in a scenario file, each a single line ``FILE:LINE: KEY: message``."""


SYNC_LOAD_MAX_BYTES = 256 * 1024  # a scenario file this small is read before the TUI's first frame


def demo_path() -> Path:
    return Path(__file__).resolve().parent.parent / "scenarios" / DEMO_NAME


@dataclass(frozen=True)
class ScenarioSource:
    """A scenario file (YAML); no path: the built-in demo. A ``Source`` (loaders/source.py)."""

    path: Optional[str] = None

    @property
    def label(self) -> str:
        return self.path or "demo"

    @property
    def loads_fast(self) -> bool:
        try:
            return os.path.getsize(self.path or demo_path()) <= SYNC_LOAD_MAX_BYTES
        except OSError:
            return True  # a missing file: the loader says so at once

    def load(self, progress: Optional[Progress] = None) -> Network:
        if progress:
            progress(f"reading {self.path or 'the built-in demo'}")
        return load_scenario(self.path or demo_path())

    def title(self, network: Network) -> str:
        return f"{network.name or self.label} · {network.region} · {self.label}"


# --------------------------------------------------------------------------------------------------
# The schema: section -> {key: kind}. A "!" prefix marks a required key.

SECTIONS: dict[str, dict[str, str]] = {
    "vpcs": {"vpc_id": "!str", "name": "str", "cidr_block": "!cidr4", "cidr_blocks": "cidrs4",
             "ipv6_cidr_block": "cidr6", "enable_dns_support": "bool",
             "enable_dns_hostnames": "bool", "domain_name_servers": "strs",
             "dns_forwards_amazonaws": "bool", "dns_firewall": "map", "is_default": "bool",
             "tags": "map", "owner_id": "str"},
    "subnets": {"subnet_id": "!str", "name": "str", "vpc_id": "!ref", "availability_zone": "str",
                "cidr_block": "cidr4", "ipv6_cidr_block": "cidr6",
                "map_public_ip_on_launch": "bool", "available_ip_address_count": "int",
                "tags": "map", "owner_id": "str"},
    "route_tables": {"route_table_id": "!str", "name": "str", "vpc_id": "!ref", "main": "bool",
                     "associations": "refs", "routes": "list"},
    "internet_gateways": {"internet_gateway_id": "!str", "name": "str", "vpc_id": "ref"},
    "egress_only_internet_gateways": {"egress_only_internet_gateway_id": "!str", "name": "str",
                                      "vpc_id": "ref"},
    "nat_gateways": {"nat_gateway_id": "!str", "name": "str", "subnet_id": "!ref",
                     "connectivity_type": "str", "state": "str", "public_ip": "ip",
                     "private_ip": "ip"},
    "vpc_endpoints": {"vpc_endpoint_id": "!str", "name": "str", "vpc_id": "!ref",
                      "service": "str", "service_name": "str", "vpc_endpoint_type": "str",
                      "route_table_ids": "refs", "subnet_ids": "refs",
                      "security_group_ids": "refs", "private_dns_enabled": "bool",
                      "private_dns_only_for_inbound_resolver_endpoint": "bool", "policy": "policy", "state": "str", "ip_addresses": "map"},
    "prefix_lists": {"prefix_list_id": "!str", "prefix_list_name": "!str", "cidrs": "cidrs"},
    "security_groups": {"group_id": "!str", "group_name": "str", "name": "str", "vpc_id": "!ref",
                        "description": "str", "default": "bool", "ingress": "list",
                        "egress": "list", "tags": "map"},
    "network_acls": {"network_acl_id": "!str", "name": "str", "vpc_id": "!ref", "default": "bool",
                     "associations": "refs", "entries": "list"},
    "hosts": {"host_id": "!str", "name": "str", "kind": "str", "subnet_id": "!ref",
              "private_ip": "!ip", "security_group_ids": "refs", "ports": "ints",
              "dns_name": "str", "public_ip": "ip", "source_dest_check": "bool",
              "network_interface_id": "str"},
    "vpc_peering_connections": {"vpc_peering_connection_id": "!str", "name": "str",
                                "requester_vpc_id": "!ref", "accepter_vpc_id": "!ref",
                                "status": "str", "allow_dns_resolution": "bool"},
    "private_hosted_zones": {"name": "!str", "vpc_ids": "!refs", "records": "map",
                             "hosted_zone_id": "str"},
    "transit_gateways": {"transit_gateway_id": "!str", "name": "str", "owner_id": "str", "state": "str",
                         "default_route_table_association": "bool",
                         "default_route_table_propagation": "bool",
                         "association_default_route_table_id": "str",
                         "propagation_default_route_table_id": "str", "dns_support": "bool"},
    "transit_gateway_attachments": {"transit_gateway_attachment_id": "!str", "name": "str",
                                    "transit_gateway_id": "!ref", "vpc_id": "ref", "subnet_ids": "refs",
                                    "resource_type": "str", "resource_id": "str",
                                    "appliance_mode_support": "bool", "dns_support": "bool",
                                    "state": "str", "resource_owner_id": "str"},
    "transit_gateway_route_tables": {"transit_gateway_route_table_id": "!str", "name": "str",
                                     "transit_gateway_id": "!ref", "associations": "refs",
                                     "propagations": "refs", "routes": "list",
                                     "default_association_route_table": "bool",
                                     "default_propagation_route_table": "bool", "state": "str"},
    "lambda_functions": {"function_name": "!str", "role": "str", "subnet_ids": "refs",
                         "security_group_ids": "refs", "ipv6_allowed_for_dual_stack": "bool",
                         "timeout": "num", "runtime": "str", "sts_regional_endpoints": "str", "sdk": "str",
                         "environment": "map",
                         "state": "str", "state_reason_code": "str"},
    "roles": {"role_name": "!str", "arn": "str", "policies": "list", "error": "str",
              "permissions_boundary": "policy", "session_policy": "policy"},
    "buckets": {"name": "!str", "region": "region", "policy": "policy", "objects": "strs",
                "policy_error": "str", "account_id": "str"},
    "parameters": {"name": "!str", "region": "region", "policy_error": "str", "account_id": "str"},
    "dynamodb_tables": {"name": "!str", "region": "region", "policy": "policy", "policy_error": "str",
                        "account_id": "str"},
    "secrets": {"name": "!str", "region": "region", "policy": "policy", "policy_error": "str",
                "account_id": "str", "arn": "str"},
    "queues": {"name": "!str", "region": "region", "policy": "policy", "policy_error": "str",
               "account_id": "str"},
    "external_hosts": {"name": "!str", "cidr": "cidr", "cidrs": "cidrs", "prefix_list": "str",
                       "description": "str"},
    "expect": {"from": "!str", "to": "!str", "verdict": "str", "symptom": "str", "reason": "str",
               "component": "str"},
    "unknown": {"kind": "!str", "reason": "!str"},
}
# section -> the key holding the item's id (or name, for functions and roles): ids must be unique (EC2
# ids share one namespace; function and role names each have their own) and references may use them.
# loaders/iac.py extends this table with the sections it also keys by name.
ID_KEYS = {"vpcs": "vpc_id", "subnets": "subnet_id", "route_tables": "route_table_id",
           "internet_gateways": "internet_gateway_id",
           "egress_only_internet_gateways": "egress_only_internet_gateway_id",
           "nat_gateways": "nat_gateway_id", "vpc_endpoints": "vpc_endpoint_id",
           "prefix_lists": "prefix_list_id", "security_groups": "group_id",
           "network_acls": "network_acl_id", "hosts": "host_id",
           "vpc_peering_connections": "vpc_peering_connection_id",
           "transit_gateways": "transit_gateway_id",
           "transit_gateway_attachments": "transit_gateway_attachment_id",
           "transit_gateway_route_tables": "transit_gateway_route_table_id",
           "lambda_functions": "function_name", "roles": "role_name"}

TOP_KEYS = {"scenario": "str", "description": "str", "notes": "strs", "region": "region", "account_id": "str",
            "block_public_access": "map", "targets": "strs", "service_control_policies": "list",
            "resource_control_policies": "list", **{k: "list" for k in SECTIONS}}
ROUTE_KEYS = {"destination": "!str", "target": "!str", "state": "str", "origin": "str"}
TGW_ROUTE_KEYS = {"destination": "!cidr", "attachment": "ref", "blackhole": "bool", "type": "str",
                  "state": "str"}
TGW_RESOURCE_TYPES = ("vpc", "vpn", "direct-connect-gateway", "peering", "connect", "network-function")
SG_RULE_KEYS = {"protocol": "str", "ports": "ports", "cidr": "cidr", "prefix_list": "ref",
                "group": "ref", "description": "str"}
NACL_KEYS = {"rule_number": "!int", "direction": "!str", "action": "!str", "protocol": "str",
             "ports": "ports", "cidr": "cidr"}
DNS_FW_KEYS = {"blocked_domains": "strs", "response": "str", "fail_mode": "str", "impaired": "bool"}
BPA_KEYS = {"mode": "str", "exclusions": "strs"}

REGION_RE = re.compile(r"[a-z]{2}(-[a-z]+)+-[0-9]{1,2}")
VERDICTS = {"reachable", "blocked", "intermittent", "unknown"}
SYMPTOMS = {"ok", "timeout", "dns-failure", "access-denied", "connection-refused", "invoke-error",
            "unknown"}
PROTOCOLS = {"-1": "-1", "all": "-1", "tcp": "tcp", "udp": "udp", "icmp": "icmp", "6": "tcp",
             "17": "udp", "1": "icmp"}


# --------------------------------------------------------------------------------------------------


@dataclass
class _Ctx:
    file: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def err(self, line: int, path: str, msg: str) -> None:
        if len(msg) > 400:  # a value quoted in a message: bounded, and one line (repr escapes)
            msg = msg[:400] + "…"
        self.errors.append(f"{self.file}:{line}: {path}: {msg}")

    def warn(self, line: int, path: str, msg: str) -> None:
        self.warnings.append(f"{self.file}:{line}: {path}: {msg}")


def _closest(key: Any, options) -> Optional[str]:
    """The option ``key`` most resembles (case aside), or None."""
    key = str(key)
    if len(key) > 200:  # no name is that long; difflib's work grows with the length
        return None
    options = [str(o) for o in options]
    lower = {o.lower(): o for o in options}
    if key.lower() in lower:
        return lower[key.lower()]
    m = difflib.get_close_matches(key.lower(), list(lower), n=1, cutoff=0.6)
    return lower[m[0]] if m else None


def _did_you_mean(key: str, options) -> str:
    m = _closest(key, options)
    return f" (did you mean {m!r}?)" if m else ""


def _managed_pl_hint(name: str) -> str:
    """A rule names a prefix list by its id: the id of AWS's managed list, where vpctui knows it."""
    from ..model.services import _MANAGED_PL_IDS

    _, _, region, service = name.split(".", 3)
    known = _MANAGED_PL_IDS.get((service, region))
    if known:
        return f" (that is the name of AWS's managed prefix list; a rule gives its id: prefix_list: {known})"
    return (" (that is the name of AWS's managed prefix list; a rule gives its id, pl-..., which "
            f"`aws ec2 describe-managed-prefix-lists --region {region}` shows; or add it under prefix_lists)")


def _line(container, key) -> int:
    if isinstance(container, (LineDict, LineList)):
        return container.line_of(key)
    return 0


def _parse_ports(v: Any) -> Optional[PortRange]:
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return PortRange(v, v) if 0 <= v <= 65535 else None
    if isinstance(v, str):
        s = v.strip().lower()
        if s in ("all", "-1", "*"):
            return ALL_PORTS
        if "-" in s:
            a, _, b = s.partition("-")
            a, b = a.strip(), b.strip()
            if a.isascii() and b.isascii() and a.isdigit() and b.isdigit() and len(a) <= 5 and len(b) <= 5:
                lo, hi = int(a), int(b)
                if 0 <= lo <= hi <= 65535:
                    return PortRange(lo, hi)
            return None
        if s.isascii() and s.isdigit() and len(s) <= 5 and int(s) <= 65535:
            return PortRange(int(s), int(s))
    return None


def _check(ctx: _Ctx, obj: Any, schema: dict[str, str], path: str, line: int) -> Optional[dict]:
    """Check one mapping against a schema; returns {key: value} with typed values, or None."""
    if not isinstance(obj, dict):
        ctx.err(line, path, f"must be a mapping, not {type(obj).__name__}")
        return None
    out = LineDict()
    out.line = line
    out.key_lines = dict(getattr(obj, "key_lines", {}))
    meant: set[str] = set()  # required keys a misspelt key stands for: one mistake, one line
    for key, value in obj.items():
        kline = _line(obj, key)
        if key not in schema:
            near = _closest(key, schema)
            if near is not None:
                meant.add(near)
            ctx.err(kline, f"{path}.{show_key(key)}", "unknown key" + (f" (did you mean {near!r}?)" if near else ""))
            continue
        kind = schema[key].lstrip("!")
        ok, conv = _convert(kind, value)
        if not ok:
            ctx.err(kline, f"{path}.{key}", conv)
            continue
        out[key] = conv
    for key, kind in schema.items():
        if kind.startswith("!") and key not in obj:
            if key not in meant:
                ctx.err(line, path, f"missing required key {key!r}")
            return None
        if kind.startswith("!") and key not in out:
            return None  # present but of the wrong type: said above
    return out


@functools.lru_cache(maxsize=1 << 16)
def _cidr(c: str) -> tuple[str, int, str]:
    """(the CIDR block as written canonically, its IP version, "") or ("", 0, why not). Cached:
    a large network names the same blocks in thousands of rules and routes."""
    try:
        net = ipaddress.ip_network(c, strict=True)
    except ValueError as e:
        if "host bits" in str(e):
            return "", 0, f"{c!r} has host bits set (did you mean {ipaddress.ip_network(c, strict=False)}?)"
        return "", 0, f"{c!r} is not a valid CIDR block"
    return str(net), net.version, ""


def _convert(kind: str, v: Any) -> tuple[bool, Any]:
    if kind in ("str", "ref"):
        if isinstance(v, bool) or v is None or isinstance(v, (dict, list)):
            return False, f"must be a string, got {_show(v)}"
        return True, str(v)
    if kind == "region":  # checked: a Region name is used in host names and patterns
        if isinstance(v, str) and REGION_RE.fullmatch(v):
            return True, v
        return False, f"{_show(v)} is not a Region name like us-east-1"
    if kind == "bool":
        return (True, v) if isinstance(v, bool) else (False, f"must be true or false, got {_show(v)}")
    if kind == "int":
        return (True, v) if isinstance(v, int) and not isinstance(v, bool) else (False, f"must be a whole number, got {_show(v)}")
    if kind == "num":
        if isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0 and math.isfinite(v):
            return True, float(v)
        return False, f"must be a positive number, got {_show(v)}"
    if kind in ("strs", "refs"):
        if isinstance(v, str):
            return True, (v,)
        if isinstance(v, list) and all(isinstance(x, (str, int)) and not isinstance(x, bool) for x in v):
            return True, tuple(str(x) for x in v)
        return False, f"must be a list of strings, got {_show(v)}"
    if kind == "ints":
        if isinstance(v, int) and not isinstance(v, bool):
            v = [v]
        if isinstance(v, list) and all(isinstance(x, int) and not isinstance(x, bool) and 0 <= x <= 65535 for x in v):
            return True, tuple(v)
        return False, f"must be a list of port numbers, got {_show(v)}"
    if kind == "ports":
        p = _parse_ports(v)
        return (True, p) if p else (False, f"{_show(v)} is not a port, a range like 1024-65535, or 'all'")
    if kind in ("cidr", "cidr4", "cidr6", "cidrs", "cidrs4"):
        vals = v if kind in ("cidrs", "cidrs4") else [v]
        if kind in ("cidrs", "cidrs4") and isinstance(v, str):
            vals = [v]
        if not isinstance(vals, list):
            return False, f"must be a list of CIDR blocks, got {_show(v)}"
        out = []
        for c in vals:
            if not isinstance(c, str):
                return False, f"{_show(c)} is not a CIDR block"
            norm, version, err = _cidr(c)
            if err:
                return False, err
            if kind in ("cidr4", "cidrs4") and version != 4:
                return False, f"{c!r} is not an IPv4 CIDR block"
            if kind == "cidr6" and version != 6:
                return False, f"{c!r} is not an IPv6 CIDR block"
            out.append(norm)
        return True, (tuple(out) if kind in ("cidrs", "cidrs4") else out[0])
    if kind == "ip":
        try:
            return True, str(ipaddress.ip_address(str(v)))
        except ValueError:
            return False, f"{_show(v)} is not an IP address"
    if kind == "map":
        return (True, v) if isinstance(v, dict) else (False, f"must be a mapping, got {_show(v)}")
    if kind == "list":
        if v is None:
            return True, LineList()
        return (True, v) if isinstance(v, list) else (False, f"must be a list, got {_show(v)}")
    if kind == "policy":
        if isinstance(v, (dict, str)):
            try:
                return True, Policy.from_document(v)
            except PolicyError as e:
                return False, f"{e}" + (f" at {e.path}" if e.path else "")
        return False, f"must be a policy document (a mapping with Statement), got {_show(v)}"
    raise AssertionError(kind)


def _show(v: Any) -> str:
    if isinstance(v, dict):
        return "a mapping"
    if isinstance(v, list):
        return "a list"
    if v is None:
        return "nothing"
    if isinstance(v, str) and len(v) > 80:
        return repr(v[:60]) + f"… ({len(v):,} characters)"
    return repr(v)


# --------------------------------------------------------------------------------------------------


def load_scenario(path: str | Path) -> Network:
    p = Path(path)
    try:
        if p.is_dir():
            raise ScenarioError([f"{path}: is a directory, not a scenario file"])
        with p.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)  # also bounds a FIFO or a device
    except FileNotFoundError:
        raise ScenarioError([f"{path}: no such file"]) from None  # no file, so no line
    except OSError as e:
        raise ScenarioError([f"{path}:1: (top): cannot read: {e.strerror or e}"]) from None
    if len(data) > MAX_FILE_BYTES:
        raise ScenarioError([f"{path}:1: (top): the file is larger than {MAX_FILE_BYTES // 2**20} MiB (the limit)"])
    return parse_scenario(decode_text(data, str(path)), str(path))


def decode_text(data: bytes, filename: str) -> str:
    """UTF-8 (with or without a BOM), or UTF-16/32 with a BOM (PowerShell writes UTF-16 LE)."""
    import codecs

    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                     (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            data, encoding = data[len(bom):], enc
            break
    else:
        encoding = "utf-8"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1 if encoding == "utf-8" else 1
        raise ScenarioError([f"{filename}:{line}: (top): cannot read: not {encoding.upper()} text "
                             f"(byte 0x{data[e.start]:02x}); save the file as UTF-8"]) from None


def parse_scenario(text: str, filename: str = "<scenario>") -> Network:
    import yaml  # loaders are the only layer that touches YAML

    try:
        doc = load_yaml(text)
    except yaml.YAMLError as e:
        raise ScenarioError([f"{filename}:{yaml_error_line(e, text)}: {yaml_error_path(e, text)}: {yaml_error_text(e)}"]) from None
    except RecursionError:  # a limit the YAML checks should have caught first
        raise ScenarioError([f"{filename}:1: (top): the document nests too deeply"]) from None
    if doc is None:
        raise ScenarioError([f"{filename}:1: (top): the file is empty"])
    return _Builder(_Ctx(filename), doc).build()


def _without_gc(fn):
    """Run a loader with the cyclic GC paused: it builds millions of small acyclic objects and the
    collector's passes over them cost as much as the parse (measured: load time halved)."""
    import functools
    import gc

    @functools.wraps(fn)
    def wrapper(*a, **kw):
        was = gc.isenabled()
        gc.disable()
        try:
            return fn(*a, **kw)
        finally:
            if was:
                gc.enable()

    return wrapper


parse_scenario = _without_gc(parse_scenario)


class _Builder:
    def __init__(self, ctx: _Ctx, doc: Any):
        self.ctx = ctx
        self.doc = doc
        self.ids: dict[str, tuple[str, int]] = {}  # id -> (section, line)
        self.ids_of: dict[str, dict[str, tuple[str, int]]] = {}  # functions, roles: name -> (section, line)
        self.names: dict[str, dict[str, str]] = {}  # section -> name -> id
        self.rows: dict[str, list[tuple[dict, str, int]]] = {}  # section -> [(fields, path, line)]

    # ---- pass 1: shape ---------------------------------------------------------------------------

    def build(self) -> Network:
        ctx, doc = self.ctx, self.doc
        top = _check(ctx, doc, TOP_KEYS, "(top)", getattr(doc, "line", 1))
        if top is None:
            raise ScenarioError(ctx.errors)
        self.top = top
        self.region = top.get("region", "us-east-1")
        self.account = top.get("account_id", "111122223333")
        for section, schema in SECTIONS.items():
            items = top.get(section, LineList())
            rows = []
            for i, item in enumerate(items):
                path = f"{section}[{i}]"
                line = _line(items, i)
                fields = _check(ctx, item, schema, path, line)
                if fields is None:
                    continue
                rows.append((fields, path, line))
                idk = ID_KEYS.get(section)
                if idk and idk in fields:
                    ident = fields[idk]
                    # EC2 ids share one namespace; function and role names each have their own
                    space = self.ids if section not in ("lambda_functions", "roles") else self.ids_of.setdefault(section, {})
                    if ident in space:
                        other = space[ident]
                        ctx.err(_line(item, idk), f"{path}.{idk}",
                                f"duplicate {'id' if space is self.ids else 'name'} {ident!r} (first defined at line {other[1]})")
                    else:
                        space[ident] = (section, _line(item, idk))
                    name = fields.get("name") or fields.get("group_name")
                    if name:
                        self.names.setdefault(section, {}).setdefault(str(name), ident)
            self.rows[section] = rows
        if ctx.errors:
            raise ScenarioError(ctx.errors)
        net = self._network()
        if ctx.errors:
            raise ScenarioError(ctx.errors)
        return net

    # ---- references ---------------------------------------------------------------------------

    def ref(self, value: str, sections: tuple[str, ...], path: str, line: int, what: str) -> str:
        if value in self.ids and self.ids[value][0] in sections:
            return value
        for s in sections:
            if value in self.names.get(s, {}):
                return self.names[s][value]
        known = [i for i, (s, _) in self.ids.items() if s in sections]
        known += [n for s in sections for n in self.names.get(s, {})]
        hint = _did_you_mean(value, known)
        if "prefix_lists" in sections and str(value).startswith("com.amazonaws.") and str(value).count(".") >= 3:
            hint = _managed_pl_hint(str(value))
        self.ctx.err(line, path, f"{what} {value!r} is not defined{hint}")
        return value

    def refs(self, values, sections, path, line, what) -> tuple[str, ...]:
        return tuple(self.ref(v, sections, path, line, what) for v in values)

    # ---- pass 2: build ---------------------------------------------------------------------------

    def _network(self) -> Network:
        ctx = self.ctx
        vpcs = [self._vpc(f, p, l) for f, p, l in self.rows["vpcs"]]
        vpc_by_id = {v.vpc_id: v for v in vpcs}
        subnets = [self._subnet(f, p, l, vpc_by_id) for f, p, l in self.rows["subnets"]]
        self._subnet_by_id = {s.subnet_id: s for s in subnets}
        self._check_overlaps(subnets)
        prefix_lists = {pl.prefix_list_id: pl for pl in (
            PrefixList(f["prefix_list_id"], f["prefix_list_name"], f.get("cidrs", ()),
                       managed=f["prefix_list_name"].startswith("com.amazonaws."))
            for f, _, _ in self.rows["prefix_lists"])}
        endpoints = [self._endpoint(f, p, l) for f, p, l in self.rows["vpc_endpoints"]]
        for e in endpoints:
            if e.is_gateway:
                plid = managed_prefix_list_id(e.service, e.region)
                prefix_lists.setdefault(plid, PrefixList(plid, managed_prefix_list_name(e.service, e.region), managed=True))
        route_tables = [self._route_table(f, p, l, vpc_by_id, endpoints, prefix_lists)
                        for f, p, l in self.rows["route_tables"]]
        # every VPC has one main route table; make one (local routes only) where none is given
        mains: dict[str, int] = {}
        for (f, p, l), rt in zip(self.rows["route_tables"], route_tables):
            if rt.main:
                if rt.vpc_id in mains:
                    ctx.err(_line(f, "main"), f"{p}.main", f"VPC {rt.vpc_id} already has a main route table (line {mains[rt.vpc_id]})")
                mains[rt.vpc_id] = l
        for v in vpcs:
            if v.vpc_id not in mains:
                route_tables.append(RouteTable(f"rtb-main-{v.vpc_id[4:]}", v.vpc_id,
                                               _local_routes(v), main=True, name="main (implicit)"))
        assoc: dict[str, str] = {}
        for (f, p, l), rt in zip(self.rows["route_tables"], route_tables):
            for sid in rt.subnet_ids:
                if sid in assoc:
                    ctx.err(_line(f, "associations"), f"{p}.associations", f"subnet {sid} is already associated with {assoc[sid]}")
                assoc[sid] = rt.route_table_id
        sgs = [self._sg(f, p, l, vpc_by_id) for f, p, l in self.rows["security_groups"]]
        for v in vpcs:
            if not any(g.is_default and g.vpc_id == v.vpc_id for g in sgs):
                gid = f"sg-default-{v.vpc_id[4:]}"
                sgs.append(SecurityGroup(gid, v.vpc_id, "default", "default VPC security group (implicit)",
                                         ingress=(SgRule(group_id=gid),), egress=(SgRule(cidr="0.0.0.0/0"),) + ((SgRule(cidr="::/0"),) if v.ipv6_cidr_blocks else ()),
                                         is_default=True))
        default_sg = {g.vpc_id: g.group_id for g in sgs if g.is_default}
        taken = {f.get("private_ip") for f, _, _ in self.rows["hosts"]} | {f.get("private_ip") for f, _, _ in self.rows["nat_gateways"]}
        taken |= {eni.private_ip for e in endpoints for eni in e.enis if eni.private_ip}
        endpoints = [replace(e, security_group_ids=e.security_group_ids or (default_sg.get(e.vpc_id, ""),),
                             enis=_eni_addresses(e, subnets, taken)) if e.is_interface else e for e in endpoints]
        nacls = [self._nacl(f, p, l) for f, p, l in self.rows["network_acls"]]
        for v in vpcs:
            if not any(a.is_default and a.vpc_id == v.vpc_id for a in nacls):
                nacls.append(NetworkAcl(f"acl-default-{v.vpc_id[4:]}", v.vpc_id, True, _allow_all_entries(v),
                                        name="default (implicit)"))
        subnet_by_id = {s.subnet_id: s for s in subnets}
        hosts = [self._host(f, p, l, subnet_by_id) for f, p, l in self.rows["hosts"]]
        nat = [self._nat(f, p, l) for f, p, l in self.rows["nat_gateways"]]
        igws = [InternetGateway(f["internet_gateway_id"],
                                self.ref(f["vpc_id"], ("vpcs",), f"{p}.vpc_id", _line(f, "vpc_id"), "VPC") if "vpc_id" in f else None,
                                f.get("name", "")) for f, p, l in self.rows["internet_gateways"]]
        eigws = [EgressOnlyInternetGateway(f["egress_only_internet_gateway_id"],
                                           self.ref(f["vpc_id"], ("vpcs",), f"{p}.vpc_id", _line(f, "vpc_id"), "VPC") if "vpc_id" in f else None,
                                           f.get("name", "")) for f, p, l in self.rows["egress_only_internet_gateways"]]
        pcx = [PeeringConnection(f["vpc_peering_connection_id"],
                                 self._peer_vpc(f, p, "requester_vpc_id"), self._peer_vpc(f, p, "accepter_vpc_id"),
                                 f.get("status", "active"), f.get("allow_dns_resolution", False), f.get("name", ""))
               for f, p, l in self.rows["vpc_peering_connections"]]
        for (f, p, l), x in zip(self.rows["vpc_peering_connections"], pcx):
            a, b = vpc_by_id.get(x.requester_vpc_id), vpc_by_id.get(x.accepter_vpc_id)
            if a is not None and b is not None and any(
                    na.version == nb.version and na.overlaps(nb) for na in a.networks for nb in b.networks):
                ctx.err(l, p, f"{a.vpc_id} and {b.vpc_id} have overlapping CIDRs and cannot be peered (PCX-4)")
        phz = []
        for f, p, l in self.rows["private_hosted_zones"]:
            recs = []
            for k, v in (f.get("records") or {}).items():
                ok, ip = _convert("ip", v)
                if not ok and not str(v).startswith("vpce-") and str(v) not in self.names.get("vpc_endpoints", {}):
                    self.ctx.err(_line(f["records"], k), f"{p}.records.{k}", ip + " (nor an interface endpoint id)")
                recs.append((str(k).rstrip(".").lower(), str(v)))
            recs = self._alias_records(f, p, recs, endpoints)
            phz.append(PrivateHostedZone(f["name"].rstrip(".").lower(),
                                         self.refs(f["vpc_ids"], ("vpcs",), f"{p}.vpc_ids", _line(f, "vpc_ids"), "VPC"),
                                         tuple(recs), f.get("hosted_zone_id", "")))
        tgws, tgw_atts, tgw_rtbs = self._transit_gateways(vpc_by_id, subnet_by_id)
        ext = []
        for f, p, l in self.rows["external_hosts"]:
            cidrs = tuple(([f["cidr"]] if "cidr" in f else []) + list(f.get("cidrs", ())))
            name = str(f["name"]).lower().rstrip(".")
            if not name.replace("*.", "", 1) or "*" in name.replace("*.", "", 1):
                self.ctx.err(_line(f, "name"), f"{p}.name", f"{f['name']!r}: a host name, or *.DOMAIN for every name under it")
            ext.append(ExternalHost(name, cidrs, f.get("prefix_list", "")))
        roles = [self._role(f, p, l) for f, p, l in self.rows["roles"]]
        functions = [self._function(f, p, l, subnet_by_id, default_sg) for f, p, l in self.rows["lambda_functions"]]
        resources = self._resources()
        bpa = BlockPublicAccess()
        if "block_public_access" in self.top:
            b = _check(ctx, self.doc["block_public_access"], BPA_KEYS, "block_public_access",
                       _line(self.doc, "block_public_access"))
            if b is not None:
                mode = b.get("mode", "off")
                if mode not in ("off", "bidirectional", "ingress"):
                    ctx.err(_line(self.doc["block_public_access"], "mode"), "block_public_access.mode",
                            f"{mode!r} must be off, bidirectional or ingress")
                bpa = BlockPublicAccess(mode, b.get("exclusions", ()))
        expectations = []
        fn_names = {f.function_name for f in functions}
        for f, p, l in self.rows["expect"]:
            if f["from"] not in fn_names:
                ctx.err(_line(f, "from"), f"{p}.from", f"function {f['from']!r} is not defined{_did_you_mean(f['from'], fn_names)}")
            for key, allowed in (("verdict", VERDICTS), ("symptom", SYMPTOMS)):
                if key in f and f[key] not in allowed:
                    ctx.err(_line(f, key), f"{p}.{key}",
                            f"{f[key]!r} is not one of {', '.join(sorted(allowed))}{_did_you_mean(f[key], allowed)}")
            expectations.append(Expectation(f["from"], f["to"], f.get("verdict"), f.get("symptom"),
                                             f.get("reason"), f.get("component"), l))
        scps, rcps = (self._org_policies(k) for k in ("service_control_policies", "resource_control_policies"))
        net = Network(
            region=self.region, account_id=self.account, name=self.top.get("scenario", ""),
            description=self.top.get("description", ""), source=self.ctx.file,
            vpcs=tuple(vpcs), subnets=tuple(subnets), route_tables=tuple(route_tables),
            internet_gateways=tuple(igws), egress_only_internet_gateways=tuple(eigws),
            nat_gateways=tuple(nat), vpc_endpoints=tuple(endpoints),
            prefix_lists=tuple(prefix_lists.values()), security_groups=tuple(sgs),
            network_acls=tuple(nacls), hosts=tuple(hosts), peering_connections=tuple(pcx),
            private_hosted_zones=tuple(phz), external_hosts=tuple(ext), transit_gateways=tuple(tgws),
            transit_gateway_attachments=tuple(tgw_atts), transit_gateway_route_tables=tuple(tgw_rtbs),
            block_public_access=bpa, functions=tuple(functions),
            roles=tuple(roles), resources=tuple(resources),
            targets=tuple(self.top.get("targets", ())), notes=tuple(self.top.get("notes", ())),
            expectations=tuple(expectations),
            unknowns=tuple(Unknown(f["kind"], f["reason"]) for f, _, _ in self.rows["unknown"]),
            warnings=tuple(self.ctx.warnings), service_control_policies=scps, resource_control_policies=rcps,
        )
        self._check_targets(net)
        self._check_route_targets(net)
        return net

    def _org_policies(self, key: str) -> tuple:
        rows = self.top.get(key) or LineList()
        out = []
        for i, doc in enumerate(rows):
            ok, pol = _convert("policy", doc)
            if not ok:
                self.ctx.err(_line(rows, i), f"{key}[{i}]", pol)
                continue
            out.append(pol)
        return tuple(out)

    # ---- transit gateways ---------------------------------------------------------------------

    def _alias_records(self, f, p, recs, endpoints) -> list:
        """A record may name an interface endpoint (an alias to its DNS name, as centralized
        endpoints are set up): it answers with the endpoint's first ENI address."""
        by_id = {e.vpc_endpoint_id: e for e in endpoints}
        out = []
        for name, value in recs:
            if _convert("ip", value)[0]:
                out.append((name, value))
                continue
            eid = self.names.get("vpc_endpoints", {}).get(value, value)
            e = by_id.get(eid)
            line = _line(f.get("records") or {}, name)
            if e is None:
                self.ctx.err(line, f"{p}.records.{name}", f"interface endpoint {value!r} is not defined")
                continue
            ips = [x.private_ip for x in e.enis if x.private_ip]
            if not e.is_interface or not ips:
                self.ctx.err(line, f"{p}.records.{name}", f"{eid} is not an interface endpoint with an ENI address")
                continue
            out.append((name, ips[0]))
        return out

    def _transit_gateways(self, vpc_by_id, subnet_by_id):
        ctx = self.ctx
        tgws = []
        for f, p, l in self.rows["transit_gateways"]:
            tgws.append(TransitGateway(
                f["transit_gateway_id"], f.get("owner_id", ""), f.get("state", "available"),
                f.get("default_route_table_association", True), f.get("default_route_table_propagation", True),
                f.get("association_default_route_table_id", ""), f.get("propagation_default_route_table_id", ""),
                f.get("dns_support", True), f.get("name", "")))
        atts = []
        for f, p, l in self.rows["transit_gateway_attachments"]:
            tgw = self.ref(f["transit_gateway_id"], ("transit_gateways",), f"{p}.transit_gateway_id",
                           _line(f, "transit_gateway_id"), "transit gateway")
            rtype = f.get("resource_type", "vpc")
            if rtype not in TGW_RESOURCE_TYPES:
                ctx.err(_line(f, "resource_type"), f"{p}.resource_type",
                        f"{rtype!r} is not one of {', '.join(TGW_RESOURCE_TYPES)}")
            vpc_id, subs = "", ()
            if rtype == "vpc":
                if "vpc_id" not in f:
                    ctx.err(l, p, "a VPC attachment needs vpc_id (or set resource_type: vpn, direct-connect-gateway, ...)")
                else:
                    vpc_id = self.ref(f["vpc_id"], ("vpcs",), f"{p}.vpc_id", _line(f, "vpc_id"), "VPC")
                subs = self.refs(f.get("subnet_ids", ()), ("subnets",), f"{p}.subnet_ids", _line(f, "subnet_ids"), "subnet")
                if not subs:
                    ctx.err(_line(f, "subnet_ids") or l, f"{p}.subnet_ids",
                            "a VPC attachment needs one subnet in each Availability Zone it serves")
                azs: dict[str, str] = {}
                for sid in subs:
                    s = subnet_by_id.get(sid)
                    if s is None:
                        continue
                    if vpc_id and s.vpc_id != vpc_id:
                        ctx.err(_line(f, "subnet_ids"), f"{p}.subnet_ids", f"subnet {sid} is in {s.vpc_id}, not in {vpc_id}")
                    if s.availability_zone in azs:
                        ctx.err(_line(f, "subnet_ids"), f"{p}.subnet_ids",
                                f"{sid} and {azs[s.availability_zone]} are both in {s.availability_zone}: "
                                "an attachment takes one subnet per Availability Zone (AWS rejects it)")
                    azs[s.availability_zone] = sid
            else:
                for k in ("vpc_id", "subnet_ids", "appliance_mode_support"):
                    if k in f:
                        ctx.err(_line(f, k), f"{p}.{k}", f"only VPC attachments have {k} (this one is {rtype})")
            atts.append(TgwAttachment(
                f["transit_gateway_attachment_id"], tgw, rtype, vpc_id if rtype == "vpc" else f.get("resource_id", ""),
                tuple(subs), f.get("appliance_mode_support", False), f.get("dns_support", True),
                f.get("state", "available"), f.get("resource_owner_id", ""), f.get("name", "")))
        if len({(a.transit_gateway_id, a.resource_id) for a in atts if a.is_vpc and a.resource_id}) < \
                len([a for a in atts if a.is_vpc and a.resource_id]):
            seen: dict[tuple[str, str], str] = {}
            for (f, p, l), a in zip(self.rows["transit_gateway_attachments"], atts):
                key = (a.transit_gateway_id, a.resource_id)
                if a.is_vpc and key in seen:
                    ctx.err(l, p, f"{a.resource_id} already has an attachment to {a.transit_gateway_id} ({seen[key]}): AWS allows one")
                seen.setdefault(key, a.transit_gateway_attachment_id)
        att_by_id = {a.transit_gateway_attachment_id: a for a in atts}
        rtbs = []
        associated: dict[str, str] = {}
        for f, p, l in self.rows["transit_gateway_route_tables"]:
            tgw = self.ref(f["transit_gateway_id"], ("transit_gateways",), f"{p}.transit_gateway_id",
                           _line(f, "transit_gateway_id"), "transit gateway")
            rid = f["transit_gateway_route_table_id"]
            lists = {}
            for key in ("associations", "propagations"):
                ids = self.refs(f.get(key, ()), ("transit_gateway_attachments",), f"{p}.{key}", _line(f, key), "attachment")
                for aid in ids:
                    a = att_by_id.get(aid)
                    if a is not None and a.transit_gateway_id != tgw:
                        ctx.err(_line(f, key), f"{p}.{key}", f"{aid} is an attachment of {a.transit_gateway_id}, not of {tgw}")
                    if key == "associations":
                        if aid in associated:
                            ctx.err(_line(f, key), f"{p}.{key}",
                                    f"{aid} is already associated with {associated[aid]}: an attachment is associated with one route table")
                        associated[aid] = rid
                lists[key] = ids
            routes: list[TgwRoute] = []
            rows = f.get("routes", LineList())
            for i, r in enumerate(rows):
                rp = f"{p}.routes[{i}]"
                rf = _check(ctx, r, TGW_ROUTE_KEYS, rp, _line(rows, i))
                if rf is None:
                    continue
                bh = rf.get("blackhole", False) or rf.get("state") == "blackhole"
                if rf.get("state", "active") not in ("active", "blackhole"):
                    ctx.err(_line(r, "state"), f"{rp}.state", f"{rf['state']!r} must be active or blackhole")
                rtype = rf.get("type", "static")
                if rtype not in ("static", "propagated"):
                    ctx.err(_line(r, "type"), f"{rp}.type", f"{rtype!r} must be static or propagated")
                att = None
                if "attachment" in rf:
                    att = self.ref(rf["attachment"], ("transit_gateway_attachments",), f"{rp}.attachment",
                                   _line(r, "attachment"), "attachment")
                    a = att_by_id.get(att)
                    if a is not None and a.transit_gateway_id != tgw:
                        ctx.err(_line(r, "attachment"), f"{rp}.attachment", f"{att} is an attachment of {a.transit_gateway_id}, not of {tgw}")
                elif not bh:
                    ctx.err(_line(rows, i), rp, "a route needs an attachment, or blackhole: true")
                routes.append(TgwRoute(rf["destination"], att if not rf.get("blackhole") else None,
                                       "blackhole" if bh else "active", rtype))
            routes += _propagated(routes, lists["propagations"], att_by_id, vpc_by_id, atts)
            rtbs.append(TgwRouteTable(rid, tgw, tuple(routes), lists["associations"], lists["propagations"],
                                      f.get("default_association_route_table", False),
                                      f.get("default_propagation_route_table", False),
                                      f.get("state", "available"), f.get("name", "")))
        return tgws, atts, rtbs

    def _check_targets(self, net: Network) -> None:
        """`targets:` and `expect[].to` are what matrix and check will trace: a target they cannot
        use is an error here, with its line, not later without one."""
        from ..engine.targets import TargetError, parse_target  # pure; imported only to check

        targets = self.top.get("targets", ())
        tl = self.doc.get("targets") if isinstance(self.doc, dict) else None
        checks = [(t, f"targets[{i}]", _line(tl, i) if isinstance(tl, list) else _line(self.doc, "targets"))
                  for i, t in enumerate(targets)]
        checks += [(f["to"], f"{p}.to", _line(f, "to")) for f, p, _ in self.rows["expect"]]
        for text, path, line in checks:
            try:
                parse_target(net, text)
            except TargetError as e:
                self.ctx.err(line, path, str(e))

    def _peer_vpc(self, f, p, key) -> str:
        """A peering may name a VPC that is not in the file (another account or Region): a vpc- id
        that is not defined is kept as such, and a trace over that peering ends 'unknown'."""
        v = f[key]
        if v.startswith("vpc-") and v not in self.ids and v not in self.names.get("vpcs", {}):
            return v
        return self.ref(v, ("vpcs",), f"{p}.{key}", _line(f, key), "VPC")

    def _vpc(self, f, p, l) -> Vpc:
        cidrs = (f["cidr_block"],) + tuple(c for c in f.get("cidr_blocks", ()) if c != f["cidr_block"])
        dhcp = DhcpOptions(domain_name_servers=f.get("domain_name_servers", ("AmazonProvidedDNS",)),
                           forwards_to_amazon_dns=f.get("dns_forwards_amazonaws", True))
        for i, s in enumerate(dhcp.domain_name_servers):
            if s != "AmazonProvidedDNS" and not _convert("ip", s)[0]:
                self.ctx.err(_line(f, "domain_name_servers"), f"{p}.domain_name_servers[{i}]",
                             f"{s!r} is neither AmazonProvidedDNS nor an IP address")
        fw = None
        if "dns_firewall" in f:
            d = _check(self.ctx, f["dns_firewall"], DNS_FW_KEYS, f"{p}.dns_firewall", _line(f, "dns_firewall"))
            if d is not None:
                fw = DnsFirewall(tuple(x.lower().rstrip(".") for x in d.get("blocked_domains", ())),
                                 d.get("response", "NXDOMAIN"), d.get("fail_mode", "closed"), d.get("impaired", False))
        # AWS defaults: enableDnsHostnames is false for a VPC you create, true for the default VPC
        return Vpc(f["vpc_id"], cidrs, (f["ipv6_cidr_block"],) if "ipv6_cidr_block" in f else (),
                   f.get("enable_dns_support", True), f.get("enable_dns_hostnames", f.get("is_default", False)), dhcp, fw,
                   f.get("name", ""), f.get("is_default", False), _tags(f), f.get("owner_id", ""))

    def _subnet(self, f, p, l, vpc_by_id) -> Subnet:
        vpc_id = self.ref(f["vpc_id"], ("vpcs",), f"{p}.vpc_id", _line(f, "vpc_id"), "VPC")
        vpc = vpc_by_id.get(vpc_id)
        if "cidr_block" not in f and "ipv6_cidr_block" not in f:
            self.ctx.err(l, p, "a subnet needs cidr_block or ipv6_cidr_block")
        for key in ("cidr_block", "ipv6_cidr_block"):
            if key in f and vpc is not None:
                net = ipaddress.ip_network(f[key])
                if not any(net.version == n.version and net.subnet_of(n) for n in vpc.networks):
                    self.ctx.err(_line(f, key), f"{p}.{key}",
                                 f"{f[key]} is outside VPC {vpc.vpc_id} ({', '.join(vpc.cidr_blocks + vpc.ipv6_cidr_blocks)})")
        az = f.get("availability_zone", self.region + "a")
        return Subnet(f["subnet_id"], vpc_id, az, f.get("cidr_block"), f.get("ipv6_cidr_block"),
                      f.get("map_public_ip_on_launch", False), f.get("available_ip_address_count"),
                      f.get("name", ""), _tags(f), f.get("owner_id", ""))

    def _check_overlaps(self, subnets: list[Subnet]) -> None:
        """Overlapping subnet CIDRs in one VPC, in n log n: sort each VPC's blocks by first address
        and sweep, keeping the block that reaches furthest; a block that starts before that end
        overlaps it. The later one in the file gets the error, naming the earlier."""
        blocks: dict[tuple[str, int], list[tuple[int, int, int, Any]]] = {}
        for i, s in enumerate(subnets):
            for n in s.networks:
                blocks.setdefault((s.vpc_id, n.version), []).append(
                    (int(n.network_address), int(n.broadcast_address), i, n))
        found: set[tuple[int, int]] = set()
        shown: dict[int, int] = {}  # subnet index -> overlaps reported (at most 10 each, then a count)
        more: dict[int, tuple[int, Any]] = {}
        for items in blocks.values():
            items.sort(key=lambda t: (t[0], -t[1]))
            reach = None  # (last address, index, network) of the block that reaches furthest
            for first, last, i, n in items:
                if reach is not None and first <= reach[0] and reach[1] != i:
                    a, b = (i, reach[1]) if i > reach[1] else (reach[1], i)
                    if (a, b) not in found:
                        found.add((a, b))
                        na, nb = (n, reach[2]) if a == i else (reach[2], n)
                        shown[a] = shown.get(a, 0) + 1
                        if shown[a] > 10:
                            more[a] = (more.get(a, (0, na))[0] + 1, na)
                            continue
                        f, p, _ = self.rows["subnets"][a]
                        key = "cidr_block" if na.version == 4 else "ipv6_cidr_block"
                        self.ctx.err(_line(f, key), f"{p}.{key}",
                                     f"{na} overlaps subnet {subnets[b].subnet_id} ({nb})")
                if reach is None or last > reach[0]:
                    reach = (last, i, n)
        for a, (count, na) in more.items():
            f, p, _ = self.rows["subnets"][a]
            key = "cidr_block" if na.version == 4 else "ipv6_cidr_block"
            self.ctx.err(_line(f, key), f"{p}.{key}", f"{na} overlaps {count:,} more subnets")

    def _endpoint(self, f, p, l) -> VpcEndpoint:
        vpc_id = self.ref(f["vpc_id"], ("vpcs",), f"{p}.vpc_id", _line(f, "vpc_id"), "VPC")
        if "service_name" in f:
            sn = f["service_name"]
        elif "service" in f:
            sn = f"com.amazonaws.{self.region}.{f['service']}"
        else:
            self.ctx.err(l, p, "missing required key 'service' (or 'service_name')")
            sn = f"com.amazonaws.{self.region}.unknown"
        short = endpoint_service_short(sn)
        svc = CATALOG.get(short)
        if svc is None:
            key = "service_name" if "service_name" in f else "service"
            self.ctx.warn(_line(f, key), f"{p}.{key}",
                          f"{sn!r} is not in vpctui's service catalog (AWS services with VPC endpoints, "
                          "docs/aws-behaviour.md CAT-1): traces through this endpoint say unknown")
        etype = f.get("vpc_endpoint_type")
        if etype is None:
            etype = "Gateway" if svc and svc.gateway_endpoint else "Interface"
        if etype.lower() not in ("gateway", "interface", "gatewayloadbalancer"):
            self.ctx.err(_line(f, "vpc_endpoint_type"), f"{p}.vpc_endpoint_type",
                         f"{etype!r} must be Gateway, Interface or GatewayLoadBalancer")
        etype = "GatewayLoadBalancer" if etype.lower() == "gatewayloadbalancer" else etype.capitalize()
        if etype == "Gateway" and svc is not None and not svc.gateway_endpoint:
            self.ctx.err(_line(f, "vpc_endpoint_type"), f"{p}.vpc_endpoint_type",
                         f"{short} has no gateway endpoint (only s3 and dynamodb do)")
        if etype == "Gateway" and "subnet_ids" in f:
            self.ctx.err(_line(f, "subnet_ids"), f"{p}.subnet_ids", "a gateway endpoint is associated with route tables, not subnets")
        rts = self.refs(f.get("route_table_ids", ()), ("route_tables",), f"{p}.route_table_ids", _line(f, "route_table_ids"), "route table")
        subs = self.refs(f.get("subnet_ids", ()), ("subnets",), f"{p}.subnet_ids", _line(f, "subnet_ids"), "subnet")
        sgs = self.refs(f.get("security_group_ids", ()), ("security_groups",), f"{p}.security_group_ids", _line(f, "security_group_ids"), "security group")
        ips = f.get("ip_addresses") or {}
        by_subnet: dict[str, str] = {}
        for k, v in ips.items():
            kp, kl = f"{p}.ip_addresses.{show_key(k)}", _line(ips, k)
            sid = self.names.get("subnets", {}).get(str(k), str(k))
            if sid not in subs:
                self.ctx.err(kl, kp, f"{str(k)!r} is not one of the endpoint's subnet_ids")
                continue
            ok, ip = _convert("ip", v)
            if not ok:
                self.ctx.err(kl, kp, ip)
                continue
            sub = self._subnet_by_id.get(sid)
            if sub is not None and not sub.contains(ipaddress.ip_address(ip)):
                self.ctx.err(kl, kp, f"{ip} is outside subnet {sid}")
                continue
            by_subnet[sid] = ip
        enis = []
        for sid in subs:
            enis.append(EndpointEni(sid, by_subnet.get(sid, ""), f"eni-{f['vpc_endpoint_id'][5:]}-{len(enis)}"))
        pdns = f.get("private_dns_enabled", svc.private_dns_default if svc else True) if etype == "Interface" else False
        return VpcEndpoint(f["vpc_endpoint_id"], vpc_id, sn, etype, f.get("state", "available"), rts, subs,
                           tuple(enis), sgs, pdns, f.get("private_dns_only_for_inbound_resolver_endpoint", True),
                           f.get("policy"), f.get("name", ""))

    def _route_table(self, f, p, l, vpc_by_id, endpoints, prefix_lists) -> RouteTable:
        vpc_id = self.ref(f["vpc_id"], ("vpcs",), f"{p}.vpc_id", _line(f, "vpc_id"), "VPC")
        rid = f["route_table_id"]
        routes: list[Route] = []
        rows = f.get("routes", LineList())
        for i, r in enumerate(rows):
            rp = f"{p}.routes[{i}]"
            rl = _line(rows, i)
            rf = _check(self.ctx, r, ROUTE_KEYS, rp, rl)
            if rf is None:
                continue
            dest = rf["destination"]
            if dest.startswith("pl-"):
                pass  # checked once prefix lists are known
            else:
                ok, conv = _convert("cidr", dest)
                if not ok:
                    self.ctx.err(_line(r, "destination"), f"{rp}.destination", conv + " (nor a prefix-list id pl-…)")
                    continue
                dest = conv
            target = rf["target"]
            target_sections = ("internet_gateways", "nat_gateways", "vpc_endpoints", "vpc_peering_connections",
                               "egress_only_internet_gateways", "hosts", "transit_gateways")
            named = next((self.names[s_][target] for s_ in target_sections if target in self.names.get(s_, {})), None)
            if target != "local" and target not in self.ids and named is not None:
                target = named  # a name, even one that looks like an id (nat-app-b)
            elif target != "local" and not target.startswith(ROUTE_TARGET_PREFIXES):
                target = self.ref(target, target_sections, f"{rp}.target", _line(r, "target"), "route target")
            state = rf.get("state", "active")
            if state not in ("active", "blackhole"):
                self.ctx.err(_line(r, "state"), f"{rp}.state", f"{state!r} must be active or blackhole")
            origin = rf.get("origin", "static")
            if origin not in ("static", "propagated"):
                self.ctx.err(_line(r, "origin"), f"{rp}.origin", f"{origin!r} must be static or propagated")
            routes.append(Route(dest, target, state, origin))
            self._route_lines[(rid, dest, target)] = (rp, rl, _line(r, "target"), _line(r, "destination"))
        vpc = vpc_by_id.get(vpc_id)
        if vpc is not None:
            have = {r.destination for r in routes if r.target == "local"}
            routes = [r for r in _local_routes(vpc) if r.destination not in have] + routes
        # gateway endpoints associated with this table add their prefix-list route (ROUTE-6)
        for e in endpoints:
            if e.is_gateway and rid in e.route_table_ids:
                plid = managed_prefix_list_id(e.service, e.region)
                if not any(r.destination == plid or r.target == e.vpc_endpoint_id for r in routes):
                    routes.append(Route(plid, e.vpc_endpoint_id))
        subs = self.refs(f.get("associations", ()), ("subnets",), f"{p}.associations", _line(f, "associations"), "subnet")
        return RouteTable(rid, vpc_id, tuple(routes), subs, f.get("main", False), f.get("name", ""))

    @property
    def _route_lines(self) -> dict:
        if not hasattr(self, "_rl"):
            self._rl = {}
        return self._rl

    def _check_route_targets(self, net: Network) -> None:
        for rt in net.route_tables:
            for r in rt.routes:
                info = self._route_lines.get((rt.route_table_id, r.destination, r.target))
                if info is None:
                    continue
                rp, rl, tl, dl = info
                if r.is_prefix_list and net.get(r.destination) is None:
                    self.ctx.err(dl, f"{rp}.destination", f"prefix list {r.destination!r} is not defined (add it under prefix_lists)")
                if r.target == "local":
                    continue
                comp = net.get(r.target)
                kind = route_target_kind(r.target)
                unreadable = net.unknown(r.target, kind.collection if kind is not None and kind.collection else "")  # under unknown:
                # a target of a kind vpctui does not follow, or one that may be elsewhere (another account's
                # transit gateway, an appliance not described), may be undefined: a trace through it ends "unknown"
                if comp is None and r.state != "blackhole" and not unreadable and not r.target.startswith(MAYBE_ELSEWHERE_PREFIXES):
                    self.ctx.err(tl, f"{rp}.target", f"{r.target!r} is not defined; a route to a deleted target needs state: blackhole")
        if self.ctx.errors:
            raise ScenarioError(self.ctx.errors)

    def _sg(self, f, p, l, vpc_by_id) -> SecurityGroup:
        vpc_id = self.ref(f["vpc_id"], ("vpcs",), f"{p}.vpc_id", _line(f, "vpc_id"), "VPC")
        gid = f["group_id"]
        rules = {}
        for direction in ("ingress", "egress"):
            out = []
            rows = f.get(direction)
            if rows is None:
                # AWS defaults: a new group has no inbound rules and an outbound allow-all rule
                # (for IPv6 too when the VPC has an IPv6 CIDR)
                v = vpc_by_id.get(vpc_id)
                v6 = (SgRule(cidr="::/0"),) if v is not None and v.ipv6_cidr_blocks else ()
                rules[direction] = ((SgRule(cidr="0.0.0.0/0"),) + v6) if direction == "egress" else ()
                continue
            for i, r in enumerate(rows):
                rp = f"{p}.{direction}[{i}]"
                rf = _check(self.ctx, r, SG_RULE_KEYS, rp, _line(rows, i))
                if rf is None:
                    continue
                proto = PROTOCOLS.get(str(rf.get("protocol", "-1")).lower())
                if proto is None:
                    self.ctx.err(_line(r, "protocol"), f"{rp}.protocol", f"{rf.get('protocol')!r} must be tcp, udp, icmp or -1 (all)")
                    continue
                peers = [k for k in ("cidr", "prefix_list", "group") if k in rf]
                if len(peers) != 1:
                    self.ctx.err(_line(rows, i), rp, "a rule needs exactly one of cidr, prefix_list, group")
                    continue
                if proto != "-1" and proto != "icmp" and "ports" not in rf:
                    self.ctx.err(_line(rows, i), rp, f"a {proto} rule needs ports (a port, a range like 1024-65535, or all)")
                    continue
                group = self.ref(rf["group"], ("security_groups",), f"{rp}.group", _line(r, "group"), "security group") if "group" in rf else None
                pl = rf.get("prefix_list")
                if pl is not None and not pl.startswith("pl-"):
                    hint = _managed_pl_hint(pl) if pl.startswith("com.amazonaws.") and pl.count(".") >= 3 else ""
                    self.ctx.err(_line(r, "prefix_list"), f"{rp}.prefix_list", f"{pl!r} is not a prefix-list id (pl-…){hint}")
                out.append(SgRule(proto, rf.get("ports", ALL_PORTS) if proto != "-1" else ALL_PORTS,
                                  rf.get("cidr"), pl, group, rf.get("description", "")))
            rules[direction] = tuple(out)
        return SecurityGroup(gid, vpc_id, f.get("group_name") or f.get("name", ""), f.get("description", ""),
                             rules["ingress"], rules["egress"], f.get("default", False), _tags(f))

    def _nacl(self, f, p, l) -> NetworkAcl:
        vpc_id = self.ref(f["vpc_id"], ("vpcs",), f"{p}.vpc_id", _line(f, "vpc_id"), "VPC")
        entries = []
        rows = f.get("entries")
        is_default = f.get("default", False)
        if rows is None and is_default:
            entries = list(_allow_all_entries(None))
        seen: set[tuple[bool, int]] = set()
        for i, r in enumerate(rows or ()):
            rp = f"{p}.entries[{i}]"
            rf = _check(self.ctx, r, NACL_KEYS, rp, _line(rows, i))
            if rf is None:
                continue
            d = rf["direction"].lower()
            if d not in ("inbound", "outbound", "ingress", "egress"):
                self.ctx.err(_line(r, "direction"), f"{rp}.direction", f"{rf['direction']!r} must be inbound or outbound")
                continue
            egress = d in ("outbound", "egress")
            act = rf["action"].lower()
            if act not in ("allow", "deny"):
                self.ctx.err(_line(r, "action"), f"{rp}.action", f"{rf['action']!r} must be allow or deny")
                continue
            n = rf["rule_number"]
            if not 1 <= n <= 32766:
                self.ctx.err(_line(r, "rule_number"), f"{rp}.rule_number", f"{n} must be between 1 and 32766")
            if (egress, n) in seen:
                self.ctx.err(_line(r, "rule_number"), f"{rp}.rule_number", f"rule {n} is already used for {'outbound' if egress else 'inbound'}")
            seen.add((egress, n))
            proto = PROTOCOLS.get(str(rf.get("protocol", "-1")).lower())
            if proto is None:
                self.ctx.err(_line(r, "protocol"), f"{rp}.protocol", f"{rf.get('protocol')!r} must be tcp, udp, icmp or -1 (all)")
                continue
            if proto in ("tcp", "udp") and "ports" not in rf:
                self.ctx.err(_line(rows, i), rp, f"a {proto} entry needs ports")
                continue
            entries.append(NaclEntry(n, egress, act, proto, rf.get("ports", ALL_PORTS) if proto != "-1" else ALL_PORTS,
                                     rf.get("cidr", "0.0.0.0/0")))
        entries.sort(key=lambda e: (e.egress, e.rule_number))
        subs = self.refs(f.get("associations", ()), ("subnets",), f"{p}.associations", _line(f, "associations"), "subnet")
        return NetworkAcl(f["network_acl_id"], vpc_id, is_default, tuple(entries), subs, f.get("name", ""))

    def _host(self, f, p, l, subnet_by_id) -> Host:
        sid = self.ref(f["subnet_id"], ("subnets",), f"{p}.subnet_id", _line(f, "subnet_id"), "subnet")
        sub = subnet_by_id.get(sid)
        if sub is not None and not sub.contains(ipaddress.ip_address(f["private_ip"])):
            self.ctx.err(_line(f, "private_ip"), f"{p}.private_ip", f"{f['private_ip']} is outside subnet {sid}")
        sgs = self.refs(f.get("security_group_ids", ()), ("security_groups",), f"{p}.security_group_ids", _line(f, "security_group_ids"), "security group")
        return Host(f["host_id"], sid, f["private_ip"], f.get("kind", "ec2"), f.get("name", ""), sgs,
                    f.get("ports", ()), f.get("dns_name", "").lower(), f.get("public_ip"),
                    f.get("source_dest_check", True), f.get("network_interface_id", ""))

    def _nat(self, f, p, l) -> NatGateway:
        sid = self.ref(f["subnet_id"], ("subnets",), f"{p}.subnet_id", _line(f, "subnet_id"), "subnet")
        ct = f.get("connectivity_type", "public")
        if ct not in ("public", "private"):
            self.ctx.err(_line(f, "connectivity_type"), f"{p}.connectivity_type", f"{ct!r} must be public or private")
        return NatGateway(f["nat_gateway_id"], sid, ct, f.get("state", "available"), f.get("public_ip"),
                          f.get("private_ip"), f.get("name", ""))

    def _role(self, f, p, l) -> Role:
        pols = []
        rows = f.get("policies", LineList())
        for i, doc in enumerate(rows):
            ok, pol = _convert("policy", doc)
            if not ok:
                self.ctx.err(_line(rows, i), f"{p}.policies[{i}]", pol)
                continue
            pols.append(pol)
        arn = f.get("arn") or f"arn:aws:iam::{self.account}:role/{f['role_name']}"
        return Role(f["role_name"], arn, tuple(pols), f.get("error"), f.get("permissions_boundary"),
                    f.get("session_policy"))

    def _function(self, f, p, l, subnet_by_id, default_sg) -> LambdaFunction:
        subs = self.refs(f.get("subnet_ids", ()), ("subnets",), f"{p}.subnet_ids", _line(f, "subnet_ids"), "subnet")
        sgs = self.refs(f.get("security_group_ids", ()), ("security_groups",), f"{p}.security_group_ids", _line(f, "security_group_ids"), "security group")
        vpcs = {subnet_by_id[s].vpc_id for s in subs if s in subnet_by_id}
        if len(vpcs) > 1:
            self.ctx.err(_line(f, "subnet_ids"), f"{p}.subnet_ids", f"subnets are in {len(vpcs)} VPCs; a function's subnets share one VPC")
        if subs and not sgs and vpcs:
            sgs = (default_sg.get(next(iter(vpcs)), ""),)
        if sgs and not subs:
            self.ctx.err(_line(f, "security_group_ids"), f"{p}.security_group_ids", "security groups need subnet_ids (a function outside a VPC has none)")
        sre = f.get("sts_regional_endpoints", "")
        if sre not in ("", "regional", "legacy"):
            self.ctx.err(_line(f, "sts_regional_endpoints"), f"{p}.sts_regional_endpoints", f"{sre!r} must be regional or legacy")
        role = f.get("role", "")
        sdk = f.get("sdk", "")
        if sdk and sdk not in KNOWN_SDKS:
            self.ctx.err(_line(f, "sdk"), f"{p}.sdk", f"{sdk!r} is not one of {', '.join(KNOWN_SDKS)}{_did_you_mean(sdk, KNOWN_SDKS)}")
        env = tuple((str(k), "" if v is None else (str(v).lower() if isinstance(v, bool) else str(v)))
                    for k, v in (f.get("environment") or {}).items())
        return LambdaFunction(f["function_name"], role, subs, sgs, f.get("ipv6_allowed_for_dual_stack", False),
                              f.get("timeout", 3.0), f.get("runtime", ""), sre, f.get("state", "Active"),
                              f.get("state_reason_code", ""),
                              f"arn:aws:lambda:{self.region}:{self.account}:function:{f['function_name']}",
                              sdk, env)

    def _resources(self) -> list[Resource]:
        out = []
        acct, reg = self.account, self.region
        for f, p, l in self.rows["buckets"]:
            out.append(Resource("s3", f["name"], f.get("region", reg), f"arn:aws:s3:::{f['name']}",
                                f.get("policy"), f.get("policy_error"), f.get("objects", ()),
                                f.get("account_id", acct)))
        for f, p, l in self.rows["parameters"]:
            name = f["name"]
            r = f.get("region", reg)
            a = f.get("account_id", acct)
            out.append(Resource("ssm", name, r, f"arn:aws:ssm:{r}:{a}:parameter/{name.lstrip('/')}",
                                None, f.get("policy_error"), (), a))
        for sec, svc, tmpl in (("dynamodb_tables", "dynamodb", "arn:aws:dynamodb:{r}:{a}:table/{n}"),
                               ("secrets", "secretsmanager", "arn:aws:secretsmanager:{r}:{a}:secret:{n}"),
                               ("queues", "sqs", "arn:aws:sqs:{r}:{a}:{n}")):
            for f, p, l in self.rows[sec]:
                r = f.get("region", reg)
                a = f.get("account_id", acct)
                arn = f.get("arn") or tmpl.format(r=r, a=a, n=f["name"])
                # AWS appends "-" and six random characters to a secret's name in its ARN (POL-7)
                partial = svc == "secretsmanager" and not f.get("arn")
                if svc == "secretsmanager" and f.get("arn") and not f["arn"].startswith(tmpl.format(r=r, a=a, n=f["name"]) + "-"):
                    self.ctx.err(_line(f, "arn"), f"{p}.arn", f"a secret's ARN is arn:aws:secretsmanager:{r}:{a}:secret:{f['name']}-XXXXXX "
                                 "(AWS appends six random characters)")
                out.append(Resource(svc, f["name"], r, arn, f.get("policy"), f.get("policy_error"), (), a,
                                    arn_partial=partial))
        return out


def _eni_addresses(e: VpcEndpoint, subnets: list[Subnet], taken: set) -> tuple[EndpointEni, ...]:
    """Give endpoint ENIs without an address a free one from their subnet (stable for a file)."""
    by_id = {s.subnet_id: s for s in subnets}
    out = []
    for eni in e.enis:
        ip = eni.private_ip
        sub = by_id.get(eni.subnet_id)
        if not ip and sub is not None and sub.cidr_block:
            ip = free_address(ipaddress.ip_network(sub.cidr_block), taken)
            taken.add(ip)
            out.append(replace(eni, private_ip=ip, address_assigned=True))
            continue
        out.append(replace(eni, private_ip=ip))
    return tuple(out)


def _propagated(routes, propagations, att_by_id, vpc_by_id, atts) -> list[TgwRoute]:
    """The routes a VPC attachment's propagation puts in a TGW route table: one per VPC CIDR,
    unless a route for that CIDR to that attachment is already listed. A CIDR that overlaps the
    CIDR of a VPC attached to the same transit gateway earlier (listed before it) is not propagated
    (AWS: the routes for the newly attached VPC are not propagated)."""
    have = {(r.destination_cidr_block, r.attachment_id) for r in routes}
    out = []
    for aid in propagations:
        a = att_by_id.get(aid)
        if a is None or not a.is_vpc or a.resource_id not in vpc_by_id:
            continue
        # the attachments listed before this one are taken as attached before it
        others = [vpc_by_id[b.resource_id] for b in atts[:atts.index(a)] if b.is_vpc
                  and b.transit_gateway_id == a.transit_gateway_id and b.resource_id in vpc_by_id]
        vpc = vpc_by_id[a.resource_id]
        for cidr, net in zip(vpc.cidr_blocks + vpc.ipv6_cidr_blocks, vpc.networks):
            if (cidr, aid) in have:
                continue
            if any(n.version == net.version and n.overlaps(net) for o in others for n in o.networks):
                continue
            out.append(TgwRoute(cidr, aid, "active", "propagated"))
    return out


def free_address(net, taken) -> Optional[str]:
    """The first address of ``net`` not in ``taken``, from .200 up then from .4 (AWS reserves the
    first four and the last). It looks at no more than len(taken) + 1 candidates: never a list of
    the subnet's addresses (a /4 holds 268 million)."""
    import itertools

    n = net.num_addresses
    for i in itertools.chain(range(200, n - 1), range(4, min(200, n - 1))):
        cand = str(net[i])
        if cand not in taken:
            return cand
    return None


def _tags(f) -> tuple[tuple[str, str], ...]:
    return tuple((str(k), str(v)) for k, v in (f.get("tags") or {}).items())


def _local_routes(vpc: Vpc) -> tuple[Route, ...]:
    return tuple(Route(c, "local") for c in vpc.cidr_blocks + vpc.ipv6_cidr_blocks)


def _allow_all_entries(vpc: Optional[Vpc]) -> tuple[NaclEntry, ...]:
    out = [NaclEntry(100, False, "allow"), NaclEntry(100, True, "allow")]
    if vpc is None or vpc.ipv6_cidr_blocks:
        out += [NaclEntry(101, False, "allow", cidr_block="::/0"), NaclEntry(101, True, "allow", cidr_block="::/0")]
    return tuple(sorted(out, key=lambda e: (e.egress, e.rule_number)))
