"""Terraform state and plans -> the network model (see docs/iac.md).

Three inputs, told apart by content:

* ``terraform show -json`` of a state: every value is known and ids are real;
* a raw state file (``terraform.tfstate``, format version 4): the same values, per instance;
* ``terraform show -json PLAN``: ids and many attributes are "known after apply"
  (``after_unknown``). A link between two resources then survives only in the configuration's
  ``references``; this loader follows them through modules (``var.``, ``module.X.output``) and
  links an attribute to a resource only when the references name exactly one resource of the right
  type (or, for a list, when nothing opaque such as ``each.value`` or ``local.x`` picks among them).
  Anything else stays unknown, with the address and attribute as the reason, and every verdict that
  depends on it is ``unknown``; verdicts that do not are answered.

Pure functions of the parsed JSON (``terraform_doc``); ``load_terraform`` reads a file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from .iac import IacDoc, build_network, pending_id
from . import LoadError

UNKNOWN = object()  # an attribute value known only after apply

# AWS-managed policies whose documents are public and never grant data-plane access to the services
# vpctui traces (s3, ssm, dynamodb, ...): they are modelled as what they are, not as unknown.
KNOWN_MANAGED_POLICIES = {
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole": {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                       "Resource": "*"}]},
    "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole": {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": [
            "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "ec2:CreateNetworkInterface",
            "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DeleteNetworkInterface",
            "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"], "Resource": "*"}]},
}

ROUTE_TARGET_KEYS = (  # attribute -> the resource types a reference may name
    ("gateway_id", ("aws_internet_gateway", "aws_vpn_gateway", "aws_vpc_endpoint")),
    ("nat_gateway_id", ("aws_nat_gateway",)),
    ("vpc_endpoint_id", ("aws_vpc_endpoint",)),
    ("vpc_peering_connection_id", ("aws_vpc_peering_connection",)),
    ("egress_only_gateway_id", ("aws_egress_only_internet_gateway",)),
    ("transit_gateway_id", ("aws_ec2_transit_gateway",)),
    ("network_interface_id", ("aws_network_interface",)),
    ("carrier_gateway_id", ("aws_ec2_carrier_gateway",)),
    ("local_gateway_id", ()),
    ("core_network_arn", ()),
)
ID_PREFIX = {"aws_vpc": "vpc-", "aws_subnet": "subnet-", "aws_route_table": "rtb-", "aws_default_route_table": "rtb-",
             "aws_internet_gateway": "igw-", "aws_egress_only_internet_gateway": "eigw-", "aws_nat_gateway": "nat-",
             "aws_vpc_endpoint": "vpce-", "aws_security_group": "sg-", "aws_default_security_group": "sg-",
             "aws_network_acl": "acl-", "aws_default_network_acl": "acl-", "aws_vpc_peering_connection": "pcx-",
             "aws_ec2_transit_gateway": "tgw-", "aws_ec2_transit_gateway_vpc_attachment": "tgw-attach-",
             "aws_ec2_transit_gateway_route_table": "tgw-rtb-", "aws_vpn_gateway": "vgw-", "aws_network_interface": "eni-",
             "aws_ec2_carrier_gateway": "cagw-", "aws_vpc_dhcp_options": "dopt-", "aws_eip": "eipalloc-",
             "aws_route53_zone": "Z", "aws_iam_role": "", "aws_iam_policy": "", "aws_s3_bucket": "",
             "aws_lambda_function": ""}
# resources vpctui reads; anything else (log groups, alarms, ...) does not change a trace
TRACED_TYPES = {
    "aws_vpc", "aws_vpc_ipv4_cidr_block_association", "aws_vpc_ipv6_cidr_block_association",
    "aws_vpc_dhcp_options", "aws_vpc_dhcp_options_association", "aws_subnet", "aws_route_table", "aws_route",
    "aws_route_table_association", "aws_main_route_table_association", "aws_default_route_table",
    "aws_internet_gateway", "aws_internet_gateway_attachment", "aws_egress_only_internet_gateway",
    "aws_nat_gateway", "aws_eip", "aws_vpc_endpoint", "aws_vpc_endpoint_route_table_association",
    "aws_vpc_endpoint_subnet_association", "aws_vpc_endpoint_security_group_association",
    "aws_vpc_endpoint_policy", "aws_security_group", "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule", "aws_network_acl",
    "aws_network_acl_rule", "aws_network_acl_association", "aws_default_network_acl",
    "aws_default_security_group", "aws_vpc_peering_connection", "aws_vpc_peering_connection_accepter",
    "aws_route53_zone", "aws_route53_zone_association", "aws_route53_record", "aws_lambda_function",
    "aws_iam_role", "aws_iam_role_policy", "aws_iam_role_policy_attachment", "aws_iam_policy",
    "aws_s3_bucket", "aws_s3_bucket_policy", "aws_s3_object", "aws_ssm_parameter", "aws_dynamodb_table",
    "aws_secretsmanager_secret", "aws_sqs_queue", "aws_ec2_transit_gateway", "aws_ec2_transit_gateway_vpc_attachment",
    "aws_ec2_transit_gateway_route_table", "aws_ec2_transit_gateway_route",
    "aws_ec2_transit_gateway_route_table_association", "aws_ec2_transit_gateway_route_table_propagation",
}


# --------------------------------------------------------------------------------------------------
# Instances, values and references


@dataclass
class Inst:
    address: str  # module.net.aws_subnet.this["public"]
    type: str
    name: str
    module: str  # "module.net" ("" at the root), with instance keys
    index: Any
    values: dict
    unknown: Any = field(default_factory=dict)  # after_unknown (plans), {} for a state
    mode: str = "managed"

    @property
    def config_module(self) -> str:
        return _strip_keys(self.module)

    @property
    def config_address(self) -> str:
        return (self.config_module + "." if self.config_module else "") + f"{self.type}.{self.name}"


def _strip_keys(path: str) -> str:
    return re.sub(r"\[[^\]]*\]", "", path)


def _index_text(k: Any) -> str:
    if k is None:
        return ""
    return f"[{k}]" if isinstance(k, int) else f"[{json.dumps(k)}]"


def _walk_module(mod: dict, out: list[Inst], unknown_by_addr: dict) -> None:
    for r in mod.get("resources", ()) or ():
        addr = r.get("address", "")
        module = addr.rsplit(f"{'data.' if r.get('mode') == 'data' else ''}{r.get('type')}.{r.get('name')}", 1)[0].rstrip(".")
        out.append(Inst(addr, r.get("type", ""), r.get("name", ""), module, r.get("index"),
                        r.get("values") or {}, unknown_by_addr.get(addr, {}), r.get("mode", "managed")))
    for c in mod.get("child_modules", ()) or ():
        _walk_module(c, out, unknown_by_addr)


def _raw_state_instances(data: dict) -> list[Inst]:
    out = []
    for r in data.get("resources", ()) or ():
        module = r.get("module", "")
        mode = r.get("mode", "managed")
        base = f"{'data.' if mode == 'data' else ''}{r.get('type')}.{r.get('name')}"
        for i in r.get("instances", ()) or ():
            k = i.get("index_key")
            addr = (module + "." if module else "") + base + _index_text(k)
            out.append(Inst(addr, r.get("type", ""), r.get("name", ""), module, k, i.get("attributes") or {}, {}, mode))
    return out


def _get(inst: Inst, *path) -> Any:
    """The value at ``path`` (keys and list indices), UNKNOWN when it is known only after apply,
    None when absent."""
    v, u = inst.values, inst.unknown
    for p in path:
        if u is True:
            return UNKNOWN
        if isinstance(u, dict):
            u = u.get(p, False) if isinstance(p, str) else False
        elif isinstance(u, list):
            u = u[p] if isinstance(p, int) and p < len(u) else False
        else:
            u = False
        if isinstance(v, dict):
            v = v.get(p) if isinstance(p, str) else None
        elif isinstance(v, list):
            v = v[p] if isinstance(p, int) and p < len(v) else None
        else:
            v = None
    if _any_true(u):
        return UNKNOWN
    return v


def _any_true(u: Any) -> bool:
    if u is True:
        return True
    if isinstance(u, dict):
        return any(_any_true(x) for x in u.values())
    if isinstance(u, list):
        return any(_any_true(x) for x in u)
    return False


_REF = re.compile(r'^(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)((?:\[(?:"[^"]*"|\d+)\])?)(?:\.(.*))?$')


class Config:
    """The plan's ``configuration``: expressions and references, by module path."""

    def __init__(self, conf: dict):
        self.root = (conf or {}).get("root_module") or {}
        self._mods: dict[str, dict] = {}
        self._calls: dict[str, dict] = {}  # module path -> the module call block in its parent
        self._index(self.root, "")
        self.resources: dict[str, dict] = {}
        for path, mod in self._mods.items():
            for r in mod.get("resources", ()) or ():
                self.resources[(path + "." if path else "") + r.get("address", "")] = r

    def _index(self, mod: dict, path: str) -> None:
        self._mods[path] = mod
        for name, call in (mod.get("module_calls") or {}).items():
            child = (path + "." if path else "") + f"module.{name}"
            self._calls[child] = call
            self._index(call.get("module") or {}, child)

    def expression(self, inst: Inst, *path) -> Any:
        r = self.resources.get(inst.config_address)
        e: Any = (r or {}).get("expressions") or {}
        for p in path:
            if isinstance(e, dict) and isinstance(p, str):
                e = e.get(p)
            elif isinstance(e, list) and isinstance(p, int):
                e = e[p] if p < len(e) else None
            else:
                return None
            if e is None:
                return None
        return e

    def configured(self, inst: Inst, attr: str) -> bool:
        r = self.resources.get(inst.config_address)
        return attr in ((r or {}).get("expressions") or {})

    def references(self, inst: Inst, *path) -> Optional[list[str]]:
        """The references of the expression at ``path``; for a nested block written as an attribute
        (``route``), Terraform merges every block's references into one list."""
        e = self.expression(inst, *path)
        if e is None and len(path) > 1:
            e = self.expression(inst, path[0])  # merged form
        if isinstance(e, dict) and "references" in e:
            return list(e["references"])
        if isinstance(e, list):
            out: list[str] = []
            for b in e:
                out += _all_refs(b)
            return out
        return None

    def output_refs(self, module_path: str, output: str) -> Optional[list[str]]:
        mod = self._mods.get(_strip_keys(module_path))
        o = ((mod or {}).get("outputs") or {}).get(output)
        if o is None:
            return None
        return list(((o.get("expression") or {}).get("references")) or [])

    def variable_refs(self, module_path: str, var: str) -> Optional[list[str]]:
        call = self._calls.get(_strip_keys(module_path))
        if call is None:
            return None
        e = (call.get("expressions") or {}).get(var)
        if e is None:
            return []
        return list(e.get("references") or [])


def _all_refs(e: Any) -> list[str]:
    out: list[str] = []
    if isinstance(e, dict):
        if "references" in e and isinstance(e["references"], list):
            out += e["references"]
        for k, v in e.items():
            if k != "references":
                out += _all_refs(v)
    elif isinstance(e, list):
        for x in e:
            out += _all_refs(x)
    return out


# --------------------------------------------------------------------------------------------------


class _Tf:
    def __init__(self, data: dict, filename: str):
        self.file = filename
        self.data = data
        self.doc: IacDoc
        if "resource_changes" in data or "planned_values" in data:
            self.kind = "Terraform plan"
            unknown_by_addr = {}
            for rc in data.get("resource_changes") or ():
                ch = rc.get("change") or {}
                unknown_by_addr[rc.get("address", "")] = ch.get("after_unknown") or {}
            insts: list[Inst] = []
            _walk_module((data.get("planned_values") or {}).get("root_module") or {}, insts, unknown_by_addr)
            have = {i.address for i in insts}
            prior: list[Inst] = []
            _walk_module(((data.get("prior_state") or {}).get("values") or {}).get("root_module") or {}, prior, {})
            insts += [i for i in prior if i.mode == "data" and i.address not in have]
            self.config = Config(data.get("configuration") or {})
            self.plan = True
        elif "values" in data or "format_version" in data:
            self.kind = "Terraform state (terraform show -json)"
            insts = []
            _walk_module(((data.get("values") or {}).get("root_module")) or {}, insts, {})
            self.config = Config({})
            self.plan = False
        else:
            self.kind = "Terraform state file"
            insts = _raw_state_instances(data)
            self.config = Config({})
            self.plan = False
        self.insts = insts  # data sources too: a reference may name one (their values are known)
        self.managed = [i for i in self.insts if i.mode == "managed"]
        self.by_addr = {i.address: i for i in self.insts}
        self.by_type: dict[str, list[Inst]] = {}
        for i in self.managed:
            self.by_type.setdefault(i.type, []).append(i)
        self.doc = IacDoc(filename, self.kind)

    # ---- ids and references ----------------------------------------------------------------------

    def id_of(self, inst: Inst) -> str:
        v = _get(inst, "id")
        if isinstance(v, str) and v:
            if inst.type in ("aws_iam_role",):
                return inst.values.get("name") or v
            return v
        prefix = ID_PREFIX.get(inst.type, "")
        return pending_id(prefix, inst.address)

    def resolve(self, module: str, refs: Iterable[str], seen: Optional[set] = None) -> tuple[list[Inst], bool]:
        """The resource instances a list of references names, and whether something opaque
        (``each.value``, ``local.x``, ``count.index``, a module output of a keyed module) is among
        them."""
        seen = seen if seen is not None else set()
        refs = list(refs)
        out: list[Inst] = []
        opaque = False
        keyed: dict[str, set] = {}
        bare: set[str] = set()
        mod_outputs: set[str] = set()
        mod_bare: set[str] = set()
        for r in refs:
            if (module, r) in seen:
                continue
            seen.add((module, r))
            head = r.split(".", 1)[0]
            if head in ("each", "count", "local", "self"):
                opaque = True
                continue
            if head in ("path", "terraform"):
                continue
            if head == "var":
                var = r.split(".")[1].split("[")[0]
                if not module:
                    opaque = True  # a root variable: a value, but it may choose between resources
                    continue
                vr = self.config.variable_refs(module, var)
                parent = module.rsplit(".module.", 1)[0] if ".module." in module else ""
                if vr is None:
                    opaque = True
                    continue
                got, op = self.resolve(parent, vr, seen)
                out += got
                opaque |= op
                continue
            if head == "module":
                parts = r.split(".")
                name = parts[1]
                if len(parts) >= 3:
                    mod_outputs.add(f"{name}.{parts[2].split('[')[0]}")
                else:
                    mod_bare.add(name)
                continue
            m = _REF.match(r)
            if not m:
                opaque = True
                continue
            data_, typ, name, key, _attr = m.groups()
            base = f"{'data.' if data_ else ''}{typ}.{name}"
            if key:
                keyed.setdefault(base, set()).add(key)
            else:
                bare.add(base)
        for mo in mod_outputs:
            name, out_name = mo.split(".")
            child = (module + "." if module else "") + f"module.{name}"
            orefs = self.config.output_refs(child, out_name)
            children = [p for p in {i.module for i in self.insts}
                        if p == child or p.startswith(child + "[") or p.startswith(child + ".")]
            inst_paths = sorted({p.split(".module.", 1)[0] if p.startswith(child + "[") else child for p in children})
            if orefs is None or len({p for p in inst_paths}) > 1:
                opaque = True
                continue
            got, op = self.resolve(child if not inst_paths else inst_paths[0], orefs, seen)
            out += got
            opaque |= op
        prefix = module + "." if module else ""
        for base, keys in keyed.items():
            for k in keys:
                i = self.by_addr.get(prefix + base + k)
                if i is not None:
                    out.append(i)
        for base in bare - set(keyed):
            insts = [i for i in self.insts if i.address == prefix + base or i.address.startswith(prefix + base + "[")]
            out += insts
        uniq: list[Inst] = []
        for i in out:
            if i not in uniq:
                uniq.append(i)
        return uniq, opaque

    def link(self, inst: Inst, path: tuple, types: tuple[str, ...], what: str, many: bool = False):
        """The id(s) an attribute names. Known values are taken as they are; an unknown value is
        resolved through the configuration's references, or UNKNOWN (with the reason recorded)."""
        v = _get(inst, *path)
        if v is not UNKNOWN:
            if many:
                return tuple(str(x) for x in (v or ()) if x)
            return v if v not in ("", None) else None
        refs = self.config.references(inst, *path) if self.plan else None
        if refs is not None:
            got, opaque = self.resolve(inst.module, refs)
            got = [g for g in got if g.type in types] if types else got
            if many and got and not opaque:
                return tuple(self.id_of(g) for g in got)
            if not many and len(got) == 1 and not opaque:
                return self.id_of(got[0])
        return UNKNOWN

    def reason(self, inst: Inst, attr: str) -> str:
        return f"{inst.address}: {attr} known after apply"

    # ---- resources -------------------------------------------------------------------------------

    def build(self) -> IacDoc:
        doc = self.doc
        for i in self.insts:
            if i.type == "aws_caller_identity" and isinstance(i.values.get("account_id"), str):
                doc.account_id = i.values["account_id"]
            if i.type == "aws_region" and isinstance(i.values.get("name"), str):
                doc.region = i.values["name"]
        self._region_account()
        if doc.account_id is None and self.managed:
            doc.notes.append(f"{self.file}: the account id is not in the input (a data \"aws_caller_identity\" gives it); "
                             "111122223333 is assumed for ARNs, so a policy naming another account may be judged wrongly")
        if doc.region is None and self.managed:
            doc.notes.append(f"{self.file}: the Region is not in the input; us-east-1 is assumed")
        self.vpcs: dict[str, dict] = {}
        self.sgs: dict[str, dict] = {}
        self.rts: dict[str, dict] = {}
        self.acls: dict[str, dict] = {}
        self.eps: dict[str, dict] = {}
        self.roles: dict[str, dict] = {}
        self.buckets: dict[str, dict] = {}
        self.main_rt: dict[str, str] = {}
        self.default_acl: dict[str, str] = {}
        self.default_sg: dict[str, str] = {}
        for t in ("aws_vpc", "aws_vpc_ipv4_cidr_block_association", "aws_vpc_ipv6_cidr_block_association",
                  "aws_vpc_dhcp_options_association", "aws_subnet", "aws_internet_gateway",
                  "aws_internet_gateway_attachment", "aws_egress_only_internet_gateway", "aws_nat_gateway",
                  "aws_route_table", "aws_default_route_table", "aws_route", "aws_route_table_association",
                  "aws_main_route_table_association", "aws_security_group", "aws_default_security_group",
                  "aws_security_group_rule", "aws_vpc_security_group_ingress_rule",
                  "aws_vpc_security_group_egress_rule", "aws_network_acl", "aws_default_network_acl",
                  "aws_network_acl_rule", "aws_network_acl_association", "aws_vpc_endpoint",
                  "aws_vpc_endpoint_route_table_association", "aws_vpc_endpoint_subnet_association",
                  "aws_vpc_endpoint_security_group_association", "aws_vpc_endpoint_policy",
                  "aws_vpc_peering_connection", "aws_route53_zone", "aws_route53_zone_association",
                  "aws_route53_record", "aws_iam_role", "aws_iam_policy", "aws_iam_role_policy",
                  "aws_iam_role_policy_attachment", "aws_s3_bucket", "aws_s3_bucket_policy", "aws_s3_object",
                  "aws_ssm_parameter", "aws_dynamodb_table", "aws_secretsmanager_secret", "aws_sqs_queue",
                  "aws_lambda_function", "aws_ec2_transit_gateway", "aws_ec2_transit_gateway_route_table",
                  "aws_ec2_transit_gateway_vpc_attachment", "aws_ec2_transit_gateway_route",
                  "aws_ec2_transit_gateway_route_table_association", "aws_ec2_transit_gateway_route_table_propagation"):
            for i in self.by_type.get(t, ()):
                getattr(self, "_" + t[4:])(i)
        self._defaults()
        ignored = sorted({i.type for i in self.managed if i.type not in TRACED_TYPES})
        tgw = [t for t in ignored if t.startswith("aws_ec2_transit_gateway")]
        if tgw:
            doc.notes.append(f"{self.file}: these transit gateway resources are not read ({', '.join(tgw)}); "
                             "a path that depends on them may be answered without them")
        return doc

    def _region_account(self) -> None:
        doc = self.doc
        if doc.region is None and self.plan:
            pc = ((self.data.get("configuration") or {}).get("provider_config") or {}).get("aws") or {}
            r = ((pc.get("expressions") or {}).get("region") or {}).get("constant_value")
            if isinstance(r, str):
                doc.region = r
        for i in self.managed:
            arn = _get(i, "arn")
            if isinstance(arn, str) and arn.startswith("arn:aws"):
                parts = arn.split(":")
                if doc.region is None and len(parts) > 3 and parts[3]:
                    doc.region = parts[3]
                if doc.account_id is None and len(parts) > 4 and parts[4].isdigit():
                    doc.account_id = parts[4]
            if doc.region is None and i.type == "aws_subnet":
                az = _get(i, "availability_zone")
                if isinstance(az, str) and az:
                    doc.region = az[:-1]

    def _str(self, i: Inst, *path, default: Any = None) -> Any:
        v = _get(i, *path)
        return default if v is UNKNOWN or v is None else v

    def _name(self, i: Inst) -> str:
        tags = _get(i, "tags")
        if isinstance(tags, dict) and isinstance(tags.get("Name"), str):
            return tags["Name"]
        return ""

    def _need(self, i: Inst, path: tuple, types: tuple, what: str) -> Any:
        v = self.link(i, path, types, what)
        if v is UNKNOWN:
            self.doc.unknown(pending_id(ID_PREFIX.get(i.type, ""), i.address), self.reason(i, what))
        return v

    def _add(self, section: str, fields: dict, i: Inst) -> dict:
        return self.doc.add(section, fields, i.address)

    def _vpc(self, i: Inst) -> None:
        cidr = self._str(i, "cidr_block")
        vid = self.id_of(i)
        if not cidr:
            self.doc.unknown("vpcs", self.reason(i, "cidr_block"))
            return
        f = {"vpc_id": vid, "cidr_block": cidr, "name": self._name(i)}
        for k in ("enable_dns_support", "enable_dns_hostnames"):
            v = _get(i, k)
            if v is UNKNOWN and self.plan and not self.config.configured(i, k):
                v = k == "enable_dns_support"  # not written: AWS's defaults for a new VPC (true, false)
            if v is UNKNOWN:
                self.doc.unknown(f"{vid}:{'enableDnsSupport' if k == 'enable_dns_support' else 'enableDnsHostnames'}",
                                 self.reason(i, k))
            elif isinstance(v, bool):
                f[k] = v
        f.setdefault("enable_dns_support", True)
        f.setdefault("enable_dns_hostnames", False)
        v6 = self._str(i, "ipv6_cidr_block")
        if v6:
            f["ipv6_cidr_block"] = v6
        self.vpcs[vid] = self._add("vpcs", f, i)
        for key, store in (("main_route_table_id", None), ("default_network_acl_id", None), ("default_security_group_id", None)):
            v = _get(i, key)
            if isinstance(v, str) and v:
                {"main_route_table_id": self.main_rt, "default_network_acl_id": self.default_acl,
                 "default_security_group_id": self.default_sg}[key].setdefault(vid, v)

    def _vpc_ipv4_cidr_block_association(self, i: Inst) -> None:
        vid = self._need(i, ("vpc_id",), ("aws_vpc",), "vpc_id")
        c = self._str(i, "cidr_block")
        if vid in self.vpcs and c:
            v = self.vpcs[vid]
            v["cidr_blocks"] = (v["cidr_block"],) + tuple(x for x in v.get("cidr_blocks", ())[1:]) + (c,)

    def _vpc_ipv6_cidr_block_association(self, i: Inst) -> None:
        vid = self._need(i, ("vpc_id",), ("aws_vpc",), "vpc_id")
        c = self._str(i, "ipv6_cidr_block")
        if vid in self.vpcs and c and "ipv6_cidr_block" not in self.vpcs[vid]:
            self.vpcs[vid]["ipv6_cidr_block"] = c

    def _vpc_dhcp_options_association(self, i: Inst) -> None:
        vid = self._need(i, ("vpc_id",), ("aws_vpc",), "vpc_id")
        did = self.link(i, ("dhcp_options_id",), ("aws_vpc_dhcp_options",), "dhcp_options_id")
        opts = next((o for o in self.by_type.get("aws_vpc_dhcp_options", ()) if self.id_of(o) == did), None)
        if vid not in self.vpcs:
            return
        if opts is None:
            if did != "default":
                self.doc.unknown("dhcp_options", f"{i.address}: the DHCP options {did} are not in the input")
            return
        servers = _get(opts, "domain_name_servers")
        if servers is UNKNOWN:
            self.doc.unknown("dhcp_options", self.reason(opts, "domain_name_servers"))
        elif servers:
            self.vpcs[vid]["domain_name_servers"] = tuple(servers)

    def _subnet(self, i: Inst) -> None:
        vid = self._need(i, ("vpc_id",), ("aws_vpc",), "vpc_id")
        cidr, v6 = self._str(i, "cidr_block"), self._str(i, "ipv6_cidr_block")
        sid = self.id_of(i)
        if vid is UNKNOWN or vid is None or (not cidr and not v6):
            self.doc.unknown(sid, self.reason(i, "vpc_id" if vid is UNKNOWN or vid is None else "cidr_block"))
            return
        f = {"subnet_id": sid, "vpc_id": vid, "name": self._name(i),
             "availability_zone": self._str(i, "availability_zone", default=""),
             "map_public_ip_on_launch": bool(self._str(i, "map_public_ip_on_launch", default=False))}
        if not f["availability_zone"]:
            del f["availability_zone"]
        if cidr:
            f["cidr_block"] = cidr
        if v6:
            f["ipv6_cidr_block"] = v6
        self._add("subnets", f, i)

    def _internet_gateway(self, i: Inst) -> None:
        vid = self.link(i, ("vpc_id",), ("aws_vpc",), "vpc_id")
        f = {"internet_gateway_id": self.id_of(i), "name": self._name(i)}
        if isinstance(vid, str):
            f["vpc_id"] = vid
        elif vid is UNKNOWN:
            self.doc.unknown(f["internet_gateway_id"], self.reason(i, "vpc_id"))
        self.igw = getattr(self, "igw", {})
        self.igw[f["internet_gateway_id"]] = self._add("internet_gateways", f, i)

    def _internet_gateway_attachment(self, i: Inst) -> None:
        gid = self.link(i, ("internet_gateway_id",), ("aws_internet_gateway",), "internet_gateway_id")
        vid = self.link(i, ("vpc_id",), ("aws_vpc",), "vpc_id")
        g = getattr(self, "igw", {}).get(gid)
        if g is not None and isinstance(vid, str):
            g["vpc_id"] = vid

    def _egress_only_internet_gateway(self, i: Inst) -> None:
        vid = self.link(i, ("vpc_id",), ("aws_vpc",), "vpc_id")
        f = {"egress_only_internet_gateway_id": self.id_of(i), "name": self._name(i)}
        if isinstance(vid, str):
            f["vpc_id"] = vid
        self._add("egress_only_internet_gateways", f, i)

    def _nat_gateway(self, i: Inst) -> None:
        sid = self._need(i, ("subnet_id",), ("aws_subnet",), "subnet_id")
        nid = self.id_of(i)
        if not isinstance(sid, str):
            return
        f = {"nat_gateway_id": nid, "subnet_id": sid, "name": self._name(i),
             "connectivity_type": self._str(i, "connectivity_type", default="public") or "public"}
        for k in ("private_ip", "public_ip"):
            v = self._str(i, k)
            if v:
                f[k] = v
        if f["connectivity_type"] == "public" and _get(i, "public_ip") is UNKNOWN:
            self.doc.unknown(f"{nid}:public_ip", self.reason(i, "public_ip"))
        self._add("nat_gateways", f, i)

    # route tables ------------------------------------------------------------------------------

    def _route_table(self, i: Inst, default: bool = False) -> None:
        rid = self.id_of(i)
        if default:
            vid = self._str(i, "vpc_id")
            if not vid:
                drt = self.link(i, ("default_route_table_id",), ("aws_vpc",), "default_route_table_id")
                refs = self.config.references(i, "default_route_table_id") if self.plan else None
                got = [g for g in self.resolve(i.module, refs or ())[0] if g.type == "aws_vpc"]
                vid = self.id_of(got[0]) if len(got) == 1 else (drt if isinstance(drt, str) else UNKNOWN)
                # the default route table's id is the VPC's main_route_table_id
                if isinstance(drt, str) and drt.startswith("rtb-") and not rid.startswith("rtb-<"):
                    rid = drt
        else:
            vid = self._need(i, ("vpc_id",), ("aws_vpc",), "vpc_id")
        if not isinstance(vid, str):
            self.doc.unknown(rid, self.reason(i, "vpc_id"))
            return
        f = {"route_table_id": rid, "vpc_id": vid, "name": self._name(i), "routes": []}
        if default:
            f["main"] = True
            self.main_rt[vid] = rid
        self.rts[rid] = self._add("route_tables", f, i)
        routes = _get(i, "route")
        if routes is UNKNOWN:
            if isinstance(i.unknown.get("route"), list) and isinstance(i.values.get("route"), list):
                routes = i.values["route"]  # the routes are known, some of their targets are not
            elif self.plan and not self.config.configured(i, "route"):
                routes = []
            else:
                self.doc.unknown(rid, self.reason(i, "route"))
                return
        refs_all = self.config.references(i, "route") if self.plan else None
        for n, r in enumerate(routes if isinstance(routes, list) else ()):
            self._one_route(i, rid, r, ("route", n), refs_all)

    def _default_route_table(self, i: Inst) -> None:
        self._route_table(i, default=True)

    def _one_route(self, i: Inst, rid: str, r: dict, path: tuple, refs_all: Optional[list]) -> None:
        dest = None
        for k in ("cidr_block", "destination_cidr_block", "ipv6_cidr_block", "destination_ipv6_cidr_block",
                  "destination_prefix_list_id"):
            v = _get(i, *path, k)
            if v is UNKNOWN:
                self.doc.unknown(rid, f"{i.address}: a route's {k} known after apply")
                return
            if v:
                dest = v
                break
        if dest is None:
            return
        target = None
        for key, types in ROUTE_TARGET_KEYS:
            v = _get(i, *path, key)
            if v is UNKNOWN:
                refs = self.config.references(i, *path, key) if self.plan else None
                if refs is None and refs_all is not None:
                    refs = refs_all
                got = [g for g in self.resolve(i.module, refs or ())[0] if g.type in types]
                if len(got) == 1:
                    target = self.id_of(got[0])
                else:
                    target = pending_id(_prefix_for_key(key), f"{i.address} {dest}")
                    self.doc.unknown(target, f"{i.address}: the {key} of the route to {dest} known after apply")
                break
            if v:
                target = v
                break
        if target is None:
            return
        if target.startswith("vgw-") or (key == "gateway_id" and target.startswith("vpce-")):
            pass
        self.rts[rid]["routes"].append({"destination": dest, "target": target})

    def _route(self, i: Inst) -> None:
        rid = self.link(i, ("route_table_id",), ("aws_route_table", "aws_default_route_table"), "route_table_id")
        if not isinstance(rid, str) or rid not in self.rts:
            if rid is UNKNOWN:
                self.doc.notes.append(f"{i.address}: its route table is known only after apply; the route is not placed")
                self.doc.unknown("route_tables", self.reason(i, "route_table_id"))
            return
        before = len(self.rts[rid]["routes"])
        self._one_route(i, rid, i.values, (), None)
        if len(self.rts[rid]["routes"]) > before:
            self.doc.extra_sources.setdefault(f"{rid}|{self.rts[rid]['routes'][-1]['destination']}", i.address)

    def _route_table_association(self, i: Inst) -> None:
        rid = self.link(i, ("route_table_id",), ("aws_route_table", "aws_default_route_table"), "route_table_id")
        sid = self.link(i, ("subnet_id",), ("aws_subnet",), "subnet_id")
        if sid is None:
            return  # a gateway (edge) association
        if not isinstance(rid, str) or not isinstance(sid, str) or rid not in self.rts:
            self.doc.unknown("route_tables", self.reason(i, "route_table_id" if not isinstance(rid, str) else "subnet_id"))
            return
        self.rts[rid].setdefault("associations", [])
        self.rts[rid]["associations"] = tuple(self.rts[rid]["associations"]) + (sid,)

    def _main_route_table_association(self, i: Inst) -> None:
        rid = self.link(i, ("route_table_id",), ("aws_route_table",), "route_table_id")
        vid = self.link(i, ("vpc_id",), ("aws_vpc",), "vpc_id")
        if isinstance(rid, str) and isinstance(vid, str) and rid in self.rts:
            for r in self.rts.values():
                if r["vpc_id"] == vid:
                    r.pop("main", None)
            self.rts[rid]["main"] = True
            self.main_rt[vid] = rid
        else:
            self.doc.unknown("route_tables", self.reason(i, "route_table_id"))

    # security groups ---------------------------------------------------------------------------

    def _security_group(self, i: Inst, default: bool = False) -> None:
        gid = self.id_of(i)
        vid = self._need(i, ("vpc_id",), ("aws_vpc",), "vpc_id")
        if not isinstance(vid, str):
            return
        f: dict = {"group_id": gid, "vpc_id": vid, "group_name": self._str(i, "name", default="") or ("default" if default else ""),
                   "description": self._str(i, "description", default="") or "", "ingress": [], "egress": []}
        if default:
            f["default"] = True
            self.default_sg[vid] = gid
        self.sgs[gid] = self._add("security_groups", f, i)
        for direction in ("ingress", "egress"):
            rules = _get(i, direction)
            if rules is UNKNOWN:
                if self.plan and not self.config.configured(i, direction):
                    continue  # not written: Terraform leaves no such rules (separate rule resources add theirs)
                known = i.values.get(direction) or []
                for n, r in enumerate(known):
                    if not _any_true((i.unknown.get(direction) or [{}] * (n + 1))[n] if isinstance(i.unknown.get(direction), list) else True):
                        self._sg_inline(i, gid, direction, r)
                self.doc.unknown(gid, self.reason(i, direction))
                continue
            for r in rules or ():
                self._sg_inline(i, gid, direction, r)

    def _default_security_group(self, i: Inst) -> None:
        self._security_group(i, default=True)

    def _sg_inline(self, i: Inst, gid: str, direction: str, r: dict) -> None:
        proto = _proto(r.get("protocol"))
        ports = _ports(proto, r.get("from_port"), r.get("to_port"))
        desc = r.get("description") or ""
        for c in (r.get("cidr_blocks") or []) + (r.get("ipv6_cidr_blocks") or []):
            self._rule(gid, direction, {"protocol": proto, "ports": ports, "cidr": c, "description": desc})
        for p in r.get("prefix_list_ids") or []:
            self._rule(gid, direction, {"protocol": proto, "ports": ports, "prefix_list": p, "description": desc})
        for g in r.get("security_groups") or []:
            self._rule(gid, direction, {"protocol": proto, "ports": ports, "group": g, "description": desc})
        if r.get("self"):
            self._rule(gid, direction, {"protocol": proto, "ports": ports, "group": gid, "description": desc})

    def _rule(self, gid: str, direction: str, rule: dict) -> None:
        g = self.sgs.get(gid)
        if g is None:
            return
        if rule["protocol"] == "-1":
            rule["ports"] = "all"
        elif rule["protocol"] == "icmp":
            rule.pop("ports", None)
        if rule.get("protocol") not in ("-1", "tcp", "udp", "icmp"):
            return  # other protocols never match the TCP/UDP traffic vpctui traces
        if not rule.get("description"):
            rule.pop("description", None)
        if rule not in g[direction]:
            g[direction].append(rule)

    def _security_group_rule(self, i: Inst) -> None:
        gid = self.link(i, ("security_group_id",), ("aws_security_group", "aws_default_security_group"), "security_group_id")
        if not isinstance(gid, str) or gid not in self.sgs:
            self._orphan_rule(i, gid)
            return
        direction = self._str(i, "type", default="ingress")
        r = dict(i.values)
        src = self.link(i, ("source_security_group_id",), ("aws_security_group", "aws_default_security_group"), "source_security_group_id")
        if src is UNKNOWN:
            self.doc.unknown(gid, self.reason(i, "source_security_group_id"))
            return
        if any(_get(i, k) is UNKNOWN for k in ("cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids", "from_port", "to_port", "protocol")):
            self.doc.unknown(gid, self.reason(i, "cidr_blocks"))
            return
        r["security_groups"] = [src] if src else []
        self._sg_inline(i, gid, direction, r)

    def _vpc_security_group_ingress_rule(self, i: Inst, direction: str = "ingress") -> None:
        gid = self.link(i, ("security_group_id",), ("aws_security_group", "aws_default_security_group"), "security_group_id")
        if not isinstance(gid, str) or gid not in self.sgs:
            self._orphan_rule(i, gid)
            return
        proto = _proto(self._str(i, "ip_protocol"))
        ports = _ports(proto, self._str(i, "from_port"), self._str(i, "to_port"))
        peer = None
        for k, kind, types in (("cidr_ipv4", "cidr", ()), ("cidr_ipv6", "cidr", ()), ("prefix_list_id", "prefix_list", ("aws_ec2_managed_prefix_list",)),
                               ("referenced_security_group_id", "group", ("aws_security_group", "aws_default_security_group"))):
            v = self.link(i, (k,), types, k) if kind != "cidr" else _get(i, k)
            if v is UNKNOWN:
                self.doc.unknown(gid, self.reason(i, k))
                return
            if v:
                peer = (kind, v)
                break
        if peer is None:
            return
        self._rule(gid, direction, {"protocol": proto, "ports": ports, peer[0]: peer[1],
                                    "description": self._str(i, "description", default="") or ""})

    def _vpc_security_group_egress_rule(self, i: Inst) -> None:
        self._vpc_security_group_ingress_rule(i, "egress")

    def _orphan_rule(self, i: Inst, gid: Any) -> None:
        if gid is UNKNOWN:
            self.doc.unknown("security_groups", self.reason(i, "security_group_id"))
        # a rule for a group that is not in this input: the group's own file carries it

    # network ACLs ------------------------------------------------------------------------------

    def _network_acl(self, i: Inst, default: bool = False) -> None:
        aid = self.id_of(i)
        if default:
            d = self.link(i, ("default_network_acl_id",), ("aws_vpc",), "default_network_acl_id")
            if isinstance(d, str) and not aid.startswith("acl-<"):
                aid = d
            vid = self._str(i, "vpc_id")
            if not vid:
                refs = self.config.references(i, "default_network_acl_id") if self.plan else None
                got = [g for g in self.resolve(i.module, refs or ())[0] if g.type == "aws_vpc"]
                vid = self.id_of(got[0]) if len(got) == 1 else UNKNOWN
        else:
            vid = self._need(i, ("vpc_id",), ("aws_vpc",), "vpc_id")
        if not isinstance(vid, str):
            self.doc.unknown("network_acls", self.reason(i, "vpc_id"))
            return
        f: dict = {"network_acl_id": aid, "vpc_id": vid, "name": self._name(i), "entries": []}
        if default:
            f["default"] = True
            self.default_acl[vid] = aid
        subs = self.link(i, ("subnet_ids",), ("aws_subnet",), "subnet_ids", many=True)
        if subs is UNKNOWN:
            self.doc.unknown("network_acls", self.reason(i, "subnet_ids"))
        elif subs:
            f["associations"] = tuple(subs)
        self.acls[aid] = self._add("network_acls", f, i)
        for direction in ("ingress", "egress"):
            rules = _get(i, direction)
            if rules is UNKNOWN:
                if self.plan and not self.config.configured(i, direction):
                    continue
                self.doc.unknown(aid, self.reason(i, direction))
                continue
            for r in rules or ():
                self._acl_entry(aid, direction == "egress", r.get("rule_no"), r.get("action"), r.get("protocol"),
                                r.get("from_port"), r.get("to_port"), r.get("cidr_block") or r.get("ipv6_cidr_block"))

    def _default_network_acl(self, i: Inst) -> None:
        self._network_acl(i, default=True)

    def _acl_entry(self, aid, egress, n, action, proto, lo, hi, cidr) -> None:
        a = self.acls.get(aid)
        if a is None or n is None or not cidr:
            return
        p = _proto(proto)
        if p not in ("-1", "tcp", "udp", "icmp"):
            return
        e = {"rule_number": int(n), "direction": "outbound" if egress else "inbound", "action": str(action).lower(),
             "protocol": p, "cidr": cidr}
        if p in ("tcp", "udp"):
            e["ports"] = _ports(p, lo, hi)
        if not any(x["rule_number"] == e["rule_number"] and x["direction"] == e["direction"] for x in a["entries"]):
            a["entries"].append(e)

    def _network_acl_rule(self, i: Inst) -> None:
        aid = self.link(i, ("network_acl_id",), ("aws_network_acl", "aws_default_network_acl"), "network_acl_id")
        if not isinstance(aid, str) or aid not in self.acls:
            if aid is UNKNOWN:
                self.doc.unknown("network_acls", self.reason(i, "network_acl_id"))
            return
        if any(_get(i, k) is UNKNOWN for k in ("cidr_block", "ipv6_cidr_block", "rule_number", "from_port", "to_port")):
            self.doc.unknown(aid, self.reason(i, "cidr_block"))
            return
        self._acl_entry(aid, bool(self._str(i, "egress")), self._str(i, "rule_number"), self._str(i, "rule_action"),
                        self._str(i, "protocol"), self._str(i, "from_port"), self._str(i, "to_port"),
                        self._str(i, "cidr_block") or self._str(i, "ipv6_cidr_block"))

    def _network_acl_association(self, i: Inst) -> None:
        aid = self.link(i, ("network_acl_id",), ("aws_network_acl", "aws_default_network_acl"), "network_acl_id")
        sid = self.link(i, ("subnet_id",), ("aws_subnet",), "subnet_id")
        if isinstance(aid, str) and isinstance(sid, str) and aid in self.acls:
            a = self.acls[aid]
            if sid not in a.get("associations", ()):
                a["associations"] = tuple(a.get("associations", ())) + (sid,)
        else:
            self.doc.unknown("network_acls", self.reason(i, "network_acl_id"))

    # endpoints ---------------------------------------------------------------------------------

    def _vpc_endpoint(self, i: Inst) -> None:
        eid = self.id_of(i)
        vid = self._need(i, ("vpc_id",), ("aws_vpc",), "vpc_id")
        sn = _get(i, "service_name")
        if not isinstance(vid, str) or not isinstance(sn, str):
            if sn is UNKNOWN:
                self.doc.unknown("vpc_endpoints", self.reason(i, "service_name"))
            return
        etype = self._str(i, "vpc_endpoint_type", default="Gateway") or "Gateway"
        if etype not in ("Gateway", "Interface"):
            self.doc.notes.append(f"{i.address}: a {etype} endpoint is not followed")
            return
        f: dict = {"vpc_endpoint_id": eid, "vpc_id": vid, "service_name": sn, "vpc_endpoint_type": etype,
                   "name": self._name(i)}
        for key, types in (("route_table_ids", ("aws_route_table", "aws_default_route_table")),
                           ("subnet_ids", ("aws_subnet",)), ("security_group_ids", ("aws_security_group", "aws_default_security_group"))):
            if etype == "Gateway" and key != "route_table_ids":
                continue
            if etype == "Interface" and key == "route_table_ids":
                continue
            v = self.link(i, (key,), types, key, many=True)
            if v is UNKNOWN:
                if self.plan and not self.config.configured(i, key):
                    continue
                self.doc.unknown(eid if key != "subnet_ids" else "vpc_endpoints", self.reason(i, key))
                if key == "route_table_ids":
                    self.doc.unknown("vpc_endpoints", self.reason(i, key))
                continue
            if v:
                f[key] = tuple(v)
        if etype == "Interface":
            pd = _get(i, "private_dns_enabled")
            if pd is UNKNOWN:
                self.doc.unknown("vpc_endpoints", self.reason(i, "private_dns_enabled"))
            else:
                f["private_dns_enabled"] = bool(pd)
        pol = _get(i, "policy")
        if pol is UNKNOWN:
            if not self.plan or self.config.configured(i, "policy"):
                self.doc.unknown(eid, self.reason(i, "policy"))
        elif isinstance(pol, str) and pol:
            f["policy"] = _json_policy(pol)
        self.eps[eid] = self._add("vpc_endpoints", f, i)

    def _vpc_endpoint_route_table_association(self, i: Inst) -> None:
        self._ep_assoc(i, "route_table_id", ("aws_route_table", "aws_default_route_table"), "route_table_ids")

    def _vpc_endpoint_subnet_association(self, i: Inst) -> None:
        self._ep_assoc(i, "subnet_id", ("aws_subnet",), "subnet_ids")

    def _vpc_endpoint_security_group_association(self, i: Inst) -> None:
        self._ep_assoc(i, "security_group_id", ("aws_security_group", "aws_default_security_group"), "security_group_ids")

    def _ep_assoc(self, i: Inst, key: str, types: tuple, field_: str) -> None:
        eid = self.link(i, ("vpc_endpoint_id",), ("aws_vpc_endpoint",), "vpc_endpoint_id")
        v = self.link(i, (key,), types, key)
        if isinstance(eid, str) and isinstance(v, str) and eid in self.eps:
            e = self.eps[eid]
            if v not in e.get(field_, ()):
                e[field_] = tuple(e.get(field_, ())) + (v,)
        else:
            self.doc.unknown("vpc_endpoints", self.reason(i, key))

    def _vpc_endpoint_policy(self, i: Inst) -> None:
        eid = self.link(i, ("vpc_endpoint_id",), ("aws_vpc_endpoint",), "vpc_endpoint_id")
        pol = _get(i, "policy")
        if isinstance(eid, str) and eid in self.eps:
            if pol is UNKNOWN:
                self.doc.unknown(eid, self.reason(i, "policy"))
            elif pol:
                self.eps[eid]["policy"] = _json_policy(pol)
                self.doc.extra_sources.setdefault(f"{eid}:policy", i.address)

    def _vpc_peering_connection(self, i: Inst) -> None:
        a = self.link(i, ("vpc_id",), ("aws_vpc",), "vpc_id")
        b = self.link(i, ("peer_vpc_id",), ("aws_vpc",), "peer_vpc_id")
        pid = self.id_of(i)
        if not isinstance(a, str) or not isinstance(b, str):
            self.doc.unknown(pid, self.reason(i, "vpc_id"))
            return
        status = self._str(i, "accept_status", default="active") or "active"
        dns = False
        for side in ("requester", "accepter"):
            blk = _get(i, side)
            if isinstance(blk, list) and blk and isinstance(blk[0], dict):
                dns = dns or bool(blk[0].get("allow_remote_vpc_dns_resolution"))
        auto = self._str(i, "auto_accept")
        if self.plan and auto:
            status = "active"
        self._add("vpc_peering_connections", {"vpc_peering_connection_id": pid, "requester_vpc_id": a,
                                              "accepter_vpc_id": b, "status": "active" if status in ("active", "accepted") else status,
                                              "allow_dns_resolution": dns, "name": self._name(i)}, i)

    def _route53_zone(self, i: Inst) -> None:
        vpcs = _get(i, "vpc")
        if not isinstance(vpcs, list) or not vpcs:
            return  # a public zone: not a private hosted zone
        ids = []
        for n, v in enumerate(vpcs):
            vid = self.link(i, ("vpc", n, "vpc_id"), ("aws_vpc",), "vpc.vpc_id")
            if isinstance(vid, str):
                ids.append(vid)
        name = self._str(i, "name", default="")
        if not name or not ids:
            return
        self.zones = getattr(self, "zones", {})
        zid = self._str(i, "zone_id", default="") or self.id_of(i)
        self.zones[zid] = self._add("private_hosted_zones", {"name": name.rstrip("."), "vpc_ids": tuple(ids),
                                                             "hosted_zone_id": zid, "records": {}}, i)

    def _route53_zone_association(self, i: Inst) -> None:
        zid = self.link(i, ("zone_id",), ("aws_route53_zone",), "zone_id")
        vid = self.link(i, ("vpc_id",), ("aws_vpc",), "vpc_id")
        z = getattr(self, "zones", {}).get(zid)
        if z is not None and isinstance(vid, str) and vid not in z["vpc_ids"]:
            z["vpc_ids"] = tuple(z["vpc_ids"]) + (vid,)

    def _route53_record(self, i: Inst) -> None:
        zid = self.link(i, ("zone_id",), ("aws_route53_zone",), "zone_id")
        z = getattr(self, "zones", {}).get(zid)
        if z is None or self._str(i, "type") != "A":
            return
        recs = _get(i, "records")
        name = self._str(i, "name", default="")
        if recs is UNKNOWN or not name:
            return
        if recs:
            fq = name if name.endswith(z["name"]) else f"{name}.{z['name']}"
            z["records"][fq.rstrip(".")] = recs[0]

    # IAM and resources ---------------------------------------------------------------------------

    def _iam_role(self, i: Inst) -> None:
        name = self._str(i, "name")
        if not name:
            self.doc.unknown("roles", self.reason(i, "name"))
            return
        f: dict = {"role_name": name, "policies": []}
        arn = self._str(i, "arn")
        if arn:
            f["arn"] = arn
        for p in _get(i, "inline_policy") or () if _get(i, "inline_policy") is not UNKNOWN else ():
            if isinstance(p, dict) and p.get("policy"):
                f["policies"].append(_json_policy(p["policy"]))
        for arn_ in (self._str(i, "managed_policy_arns") or ()):
            self._attach(f, arn_, i)
        self.roles[name] = self._add("roles", f, i)
        self.role_keys = getattr(self, "role_keys", {})
        self.role_keys[self.id_of(i)] = name
        self.role_keys[name] = name
        if arn:
            self.role_keys[arn] = name
        self.role_keys[pending_id("", i.address)] = name

    def _role_for(self, i: Inst, key: str = "role") -> Optional[str]:
        v = self.link(i, (key,), ("aws_iam_role",), key)
        keys = getattr(self, "role_keys", {})
        if isinstance(v, str):
            return keys.get(v) or keys.get(v.rsplit("/", 1)[-1]) or v.rsplit("/", 1)[-1]
        return None

    def _iam_policy(self, i: Inst) -> None:
        self.policies = getattr(self, "policies", {})
        self.policies[self.id_of(i)] = i
        arn = self._str(i, "arn")
        if arn:
            self.policies[arn] = i

    def _iam_role_policy(self, i: Inst) -> None:
        role = self._role_for(i)
        r = self.roles.get(role or "")
        if r is None:
            if role is None:
                self.doc.unknown("roles", self.reason(i, "role"))
            return
        pol = _get(i, "policy")
        if pol is UNKNOWN:
            self._role_error(r, self.reason(i, "policy"))
        elif pol:
            r["policies"].append(_json_policy(pol))

    def _iam_role_policy_attachment(self, i: Inst) -> None:
        role = self._role_for(i)
        r = self.roles.get(role or "")
        if r is None:
            return
        arn = self.link(i, ("policy_arn",), ("aws_iam_policy",), "policy_arn")
        if arn is UNKNOWN:
            self._role_error(r, self.reason(i, "policy_arn"))
            return
        self._attach(r, arn, i)

    def _attach(self, r: dict, arn: str, i: Inst) -> None:
        if arn in KNOWN_MANAGED_POLICIES:
            r["policies"].append(KNOWN_MANAGED_POLICIES[arn])
            return
        p = getattr(self, "policies", {}).get(arn)
        if p is None:
            self._role_error(r, f"{i.address}: the policy {arn} is not in the input")
            return
        doc = _get(p, "policy")
        if doc is UNKNOWN:
            self._role_error(r, self.reason(p, "policy"))
        elif doc:
            r["policies"].append(_json_policy(doc))

    def _role_error(self, r: dict, why: str) -> None:
        r["error"] = (r["error"] + "; " + why) if r.get("error") else why

    def _s3_bucket(self, i: Inst) -> None:
        name = self._str(i, "bucket")
        if not name:
            self.doc.notes.append(f"{i.address}: the bucket's name is known only after apply; it is not a target")
            return
        f: dict = {"name": name}
        pol = _get(i, "policy")
        if isinstance(pol, str) and pol:
            f["policy"] = _json_policy(pol)
        self.buckets[name] = self._add("buckets", f, i)
        self.bucket_keys = getattr(self, "bucket_keys", {})
        self.bucket_keys[self.id_of(i)] = name
        self.bucket_keys[pending_id("", i.address)] = name

    def _s3_bucket_policy(self, i: Inst) -> None:
        b = self.link(i, ("bucket",), ("aws_s3_bucket",), "bucket")
        name = getattr(self, "bucket_keys", {}).get(b, b) if isinstance(b, str) else None
        f = self.buckets.get(name or "")
        if f is None:
            if b is UNKNOWN:
                self.doc.unknown("resource_policies", self.reason(i, "bucket"))
            return
        pol = _get(i, "policy")
        if pol is UNKNOWN:
            f["policy_error"] = self.reason(i, "policy")
        elif pol:
            f["policy"] = _json_policy(pol)
        self.doc.extra_sources.setdefault(f"buckets:{name}:policy", i.address)

    def _s3_object(self, i: Inst) -> None:
        b = self.link(i, ("bucket",), ("aws_s3_bucket",), "bucket")
        name = getattr(self, "bucket_keys", {}).get(b, b) if isinstance(b, str) else None
        key = self._str(i, "key")
        f = self.buckets.get(name or "")
        if f is not None and key:
            f["objects"] = tuple(f.get("objects", ())) + (key,)

    def _named(self, section: str, i: Inst, key: str = "name") -> None:
        name = self._str(i, key)
        if name:
            self._add(section, {"name": name}, i)

    def _ssm_parameter(self, i: Inst) -> None:
        self._named("parameters", i)

    def _dynamodb_table(self, i: Inst) -> None:
        self._named("dynamodb_tables", i)

    def _secretsmanager_secret(self, i: Inst) -> None:
        self._named("secrets", i)

    def _sqs_queue(self, i: Inst) -> None:
        self._named("queues", i)

    def _lambda_function(self, i: Inst) -> None:
        name = self._str(i, "function_name")
        if not name:
            self.doc.notes.append(f"{i.address}: the function's name is known only after apply; it is left out")
            return
        f: dict = {"function_name": name}
        role = self._role_for(i)
        if role:
            f["role"] = role
        t = self._str(i, "timeout")
        if isinstance(t, (int, float)) and t > 0:
            f["timeout"] = t
        rt = self._str(i, "runtime")
        if rt:
            f["runtime"] = rt
        vc = i.values.get("vpc_config")
        patch: dict = {}
        if _get(i, "vpc_config") is UNKNOWN and not vc:
            vc = [{}]  # the whole block is known only after apply
        if isinstance(vc, list) and vc:
            for key, types, sec in (("subnet_ids", ("aws_subnet",), "subnets"),
                                    ("security_group_ids", ("aws_security_group", "aws_default_security_group"), "security_groups")):
                v = self.link(i, ("vpc_config", 0, key), types, key, many=True)
                if v is UNKNOWN:
                    pid = pending_id(sec, f"{i.address} vpc_config.{key}")
                    self.doc.unknown(pid, self.reason(i, f"vpc_config.{key}"))
                    patch[key] = (pid,)
                elif v:
                    f[key] = tuple(v)
            if _get(i, "vpc_config", 0, "ipv6_allowed_for_dual_stack") is True:
                f["ipv6_allowed_for_dual_stack"] = True
        if patch:
            for k in patch:
                f.pop(k, None)
            if "subnet_ids" in f and "security_group_ids" not in f:
                pass
            if "subnet_ids" in patch:
                f.pop("security_group_ids", None)
            self.doc.function_patches[name] = patch
        self._add("lambda_functions", f, i)

    # transit gateways ----------------------------------------------------------------------------

    def _ec2_transit_gateway(self, i: Inst) -> None:
        self.tgws = getattr(self, "tgws", {})
        self.tgw_rts = getattr(self, "tgw_rts", {})
        gid = self.id_of(i)
        f: dict = {"transit_gateway_id": gid, "name": self._name(i)}
        for key in ("default_route_table_association", "default_route_table_propagation", "dns_support"):
            v = _get(i, key)
            if isinstance(v, str):
                f[key] = v == "enable"
        rid = ""
        # AWS creates the default route table with the transit gateway (when either default is on)
        if f.get("default_route_table_association", True) or f.get("default_route_table_propagation", True):
            rid = self._str(i, "association_default_route_table_id") or pending_id("tgw-rtb-", f"{i.address} default route table")
            f["association_default_route_table_id"] = rid
            f["propagation_default_route_table_id"] = self._str(i, "propagation_default_route_table_id") or rid
        self.tgws[gid] = self._add("transit_gateways", f, i)
        if rid:
            self.tgw_rts[rid] = self.doc.add("transit_gateway_route_tables", {
                "transit_gateway_route_table_id": rid, "transit_gateway_id": gid, "name": "default (created by AWS)",
                "default_association_route_table": True, "default_propagation_route_table": True,
                "associations": [], "propagations": [], "routes": []}, f"{i.address} default route table")

    def _ec2_transit_gateway_route_table(self, i: Inst) -> None:
        self.tgw_rts = getattr(self, "tgw_rts", {})
        gid = self._need(i, ("transit_gateway_id",), ("aws_ec2_transit_gateway",), "transit_gateway_id")
        if not isinstance(gid, str):
            return
        rid = self.id_of(i)
        self.tgw_rts[rid] = self._add("transit_gateway_route_tables", {
            "transit_gateway_route_table_id": rid, "transit_gateway_id": gid, "name": self._name(i),
            "associations": [], "propagations": [], "routes": []}, i)

    def _ec2_transit_gateway_vpc_attachment(self, i: Inst) -> None:
        gid = self._need(i, ("transit_gateway_id",), ("aws_ec2_transit_gateway",), "transit_gateway_id")
        vid = self._need(i, ("vpc_id",), ("aws_vpc",), "vpc_id")
        subs = self.link(i, ("subnet_ids",), ("aws_subnet",), "subnet_ids", many=True)
        aid = self.id_of(i)
        if not isinstance(gid, str) or not isinstance(vid, str) or subs is UNKNOWN:
            self.doc.unknown("transit_gateway_attachments", self.reason(i, "subnet_ids" if subs is UNKNOWN else "vpc_id"))
            return
        f: dict = {"transit_gateway_attachment_id": aid, "transit_gateway_id": gid, "vpc_id": vid,
                   "subnet_ids": tuple(subs or ()), "name": self._name(i)}
        for key in ("appliance_mode_support", "dns_support"):
            v = _get(i, key)
            if isinstance(v, str):
                f[key] = v == "enable"
        self._add("transit_gateway_attachments", f, i)
        tgw = getattr(self, "tgws", {}).get(gid)
        if tgw is None:
            return
        # an attachment created with the defaults on is associated with / propagates to the default table
        for key, flag, lst in (("association_default_route_table_id", "transit_gateway_default_route_table_association", "associations"),
                               ("propagation_default_route_table_id", "transit_gateway_default_route_table_propagation", "propagations")):
            on_tgw = tgw.get("default_route_table_association" if lst == "associations" else "default_route_table_propagation", True)
            v = _get(i, flag)
            if on_tgw and v is not False and tgw.get(key) in self.tgw_rts:
                self.tgw_rts[tgw[key]][lst].append(aid)

    def _tgw_rt_of(self, i: Inst) -> Optional[dict]:
        rid = self.link(i, ("transit_gateway_route_table_id",), ("aws_ec2_transit_gateway_route_table", "aws_ec2_transit_gateway"),
                        "transit_gateway_route_table_id")
        if not isinstance(rid, str):
            self.doc.unknown("transit_gateway_route_tables", self.reason(i, "transit_gateway_route_table_id"))
            return None
        rts = getattr(self, "tgw_rts", {})
        if rid.startswith("tgw-<"):  # a reference to the TGW itself: its association_default_route_table_id
            tgw = getattr(self, "tgws", {}).get(rid)
            rid = (tgw or {}).get("association_default_route_table_id", rid)
        return rts.get(rid)

    def _ec2_transit_gateway_route(self, i: Inst) -> None:
        rt = self._tgw_rt_of(i)
        if rt is None:
            return
        dest = _get(i, "destination_cidr_block")
        if dest is UNKNOWN or not dest:
            self.doc.unknown(rt["transit_gateway_route_table_id"], self.reason(i, "destination_cidr_block"))
            return
        if _get(i, "blackhole") is True:
            rt["routes"].append({"destination": dest, "blackhole": True})
            return
        att = self.link(i, ("transit_gateway_attachment_id",), ("aws_ec2_transit_gateway_vpc_attachment",), "transit_gateway_attachment_id")
        if not isinstance(att, str):
            self.doc.unknown(rt["transit_gateway_route_table_id"], self.reason(i, "transit_gateway_attachment_id"))
            return
        rt["routes"].append({"destination": dest, "attachment": att})

    def _tgw_assoc(self, i: Inst, lst: str) -> None:
        rt = self._tgw_rt_of(i)
        att = self.link(i, ("transit_gateway_attachment_id",), ("aws_ec2_transit_gateway_vpc_attachment",), "transit_gateway_attachment_id")
        if rt is None or not isinstance(att, str):
            if rt is not None:
                self.doc.unknown(rt["transit_gateway_route_table_id"], self.reason(i, "transit_gateway_attachment_id"))
            return
        if lst == "associations":  # an attachment is associated with one table: this one replaces the default
            for other in getattr(self, "tgw_rts", {}).values():
                if other is not rt and att in other["associations"]:
                    other["associations"].remove(att)
        if att not in rt[lst]:
            rt[lst].append(att)

    def _ec2_transit_gateway_route_table_association(self, i: Inst) -> None:
        self._tgw_assoc(i, "associations")

    def _ec2_transit_gateway_route_table_propagation(self, i: Inst) -> None:
        self._tgw_assoc(i, "propagations")

    # AWS's defaults ------------------------------------------------------------------------------

    def _defaults(self) -> None:
        """What AWS creates with a VPC and the code does not write: the main route table (local
        routes only), the default network ACL (allow all) and the default security group. In a
        state their ids are the VPC's attributes; in a plan they are known after apply, and the
        scenario builder's implicit ones (marked as such) stand in."""
        for vid, v in self.vpcs.items():
            if vid in self.main_rt and self.main_rt[vid] in self.rts:
                pass
            elif vid in self.main_rt and not any(r["vpc_id"] == vid and r.get("main") for r in self.rts.values()):
                rid = self.main_rt[vid]
                self.rts[rid] = self.doc.add("route_tables", {"route_table_id": rid, "vpc_id": vid, "main": True,
                                                              "name": "main (created by AWS with the VPC)", "routes": []},
                                             f"{self._src(vid)} main_route_table_id")
            if vid in self.default_acl and self.default_acl[vid] not in self.acls:
                aid = self.default_acl[vid]
                self.acls[aid] = self.doc.add("network_acls", {"network_acl_id": aid, "vpc_id": vid, "default": True,
                                                               "name": "default (created by AWS with the VPC)"},
                                              f"{self._src(vid)} default_network_acl_id")
            if vid in self.default_sg and self.default_sg[vid] not in self.sgs:
                gid = self.default_sg[vid]
                egress = [{"protocol": "-1", "cidr": "0.0.0.0/0"}] + ([{"protocol": "-1", "cidr": "::/0"}] if "ipv6_cidr_block" in v else [])
                self.sgs[gid] = self.doc.add("security_groups", {"group_id": gid, "vpc_id": vid, "group_name": "default",
                                                                 "default": True, "description": "default VPC security group (created by AWS)",
                                                                 "ingress": [{"protocol": "-1", "group": gid}], "egress": egress},
                                             f"{self._src(vid)} default_security_group_id")
        # a default network ACL written without associations still owns every subnet not given to another
        for a in self.acls.values():
            if a.get("default") and not a.get("entries") and "entries" in a and not self._acl_written(a):
                a.pop("entries")

    def _acl_written(self, a: dict) -> bool:
        src = next((it for it in self.doc.items if it.fields is a), None)
        return src is not None and ("aws_network_acl" in src.source or "aws_default_network_acl" in src.source)

    def _src(self, ident: str) -> str:
        it = next((it for it in self.doc.items if ID_KEY_OF(it) == ident), None)
        return it.source if it else ident


def ID_KEY_OF(it) -> Optional[str]:  # noqa: N802
    from .iac import ID_KEYS

    k = ID_KEYS.get(it.section)
    return it.fields.get(k) if k else None


def _prefix_for_key(key: str) -> str:
    return {"gateway_id": "igw-", "nat_gateway_id": "nat-", "vpc_endpoint_id": "vpce-",
            "vpc_peering_connection_id": "pcx-", "egress_only_gateway_id": "eigw-", "transit_gateway_id": "tgw-",
            "network_interface_id": "eni-", "carrier_gateway_id": "cagw-", "local_gateway_id": "lgw-",
            "core_network_arn": "arn:"}.get(key, "")


def _proto(p: Any) -> str:
    s = str(p if p is not None else "-1").lower()
    return {"all": "-1", "-1": "-1", "6": "tcp", "17": "udp", "1": "icmp", "tcp": "tcp", "udp": "udp", "icmp": "icmp"}.get(s, s)


def _ports(proto: str, lo: Any, hi: Any) -> Any:
    if proto == "-1":
        return "all"
    try:
        a, b = int(lo), int(hi)
    except (TypeError, ValueError):
        return "all"
    if a < 0 or b < 0 or (a == 0 and b == 0) or (a == 0 and b == 65535):
        return "all"
    return a if a == b else f"{a}-{b}"


def _json_policy(text: Any) -> Any:
    if isinstance(text, dict):
        return text
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return text


# --------------------------------------------------------------------------------------------------


def is_terraform(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    if "resource_changes" in data or "planned_values" in data:
        return True
    if "terraform_version" in data and ("values" in data or "resources" in data):
        return True
    return data.get("version") == 4 and isinstance(data.get("resources"), list)


def terraform_doc(data: dict, filename: str) -> IacDoc:
    """One parsed Terraform JSON document (state, show -json, plan) -> an IacDoc."""
    if isinstance(data, dict) and "version" in data and "values" not in data and "resource_changes" not in data:
        if data.get("version") != 4:
            return IacDoc(filename, "Terraform state file",
                          errors=[f"{filename}:1: version: state format {data.get('version')!r} is not read (format version 4 is)"])
    return _Tf(data, filename).build()


def read_json(path: str) -> Any:
    from . import read_text_file

    text = read_text_file(path)
    try:
        return json.loads(text)
    except ValueError as e:
        line = getattr(e, "lineno", 0)
        raise LoadError([f"{path}:{line}: not valid JSON: {getattr(e, 'msg', e)}"]) from None


def load_terraform(path: str) -> "Network":  # noqa: F821
    data = read_json(path)
    if not is_terraform(data):
        raise LoadError([f"{path}:1: not Terraform state or plan JSON (no format_version/values, "
                         "resource_changes, or version 4 resources)"])
    return build_network([terraform_doc(data, path)])
