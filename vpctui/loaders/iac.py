"""What the Terraform and CloudFormation loaders share: one network from several input files.

Each loader turns its file into an ``IacDoc``: scenario-shaped items (the same sections and keys as
a scenario file, see docs/scenario-format.md), each with where it was written (a Terraform address, a
CloudFormation logical id with file and line), plus what the input leaves unknown. ``build_network``
merges the documents of every file given, resolves references across files by id or name (the
scenario builder's own rules), applies AWS's defaults the code does not write (the main route table,
the default network ACL and security group, local routes, a gateway endpoint's prefix-list route)
and returns one ``Network`` whose ``sources`` say where each component came from.

An id that the input does not know yet (a plan's "known after apply", a template's physical id) is
written as the id prefix and the input's own name: ``subnet-<module.net.aws_subnet.private>``,
``rtb-<PrivateRouteTable>``. It is never shown as an AWS id: the angle brackets mark it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Optional

from ..model.network import Network, SecurityGroup
from . import LoadError
from .scenario import ID_KEYS as SCENARIO_ID_KEYS
from .yamlsrc import LineDict, LineList

# section -> the key that identifies an item: the scenario's table (loaders/scenario.py), and the
# sections a scenario does not key but Terraform / CloudFormation do, by name: a hosted zone or a
# resource given twice (in two files) is a duplicate, and Network.sources names where each came from
ID_KEYS = {**SCENARIO_ID_KEYS, "private_hosted_zones": "name", "buckets": "name", "parameters": "name",
           "dynamodb_tables": "name", "secrets": "name", "queues": "name"}

SECTION_PREFIX = {"vpcs": "vpc-", "subnets": "subnet-", "route_tables": "rtb-", "internet_gateways": "igw-",
                  "egress_only_internet_gateways": "eigw-", "nat_gateways": "nat-", "vpc_endpoints": "vpce-",
                  "security_groups": "sg-", "network_acls": "acl-", "vpc_peering_connections": "pcx-",
                  "hosts": "eni-", "prefix_lists": "pl-", "transit_gateways": "tgw-",
                  "transit_gateway_attachments": "tgw-attach-", "transit_gateway_route_tables": "tgw-rtb-"}


def pending_id(section_or_prefix: str, name: str) -> str:
    """The stand-in id of a component whose AWS id is not known yet: ``subnet-<aws_subnet.a>``."""
    prefix = SECTION_PREFIX.get(section_or_prefix, section_or_prefix)
    return f"{prefix}<{name}>"


def is_pending(value: str) -> bool:
    return isinstance(value, str) and value.endswith(">") and "-<" in value


@dataclass
class Item:
    section: str
    fields: dict
    source: str  # "module.net.aws_subnet.this[\"public\"]" or "PublicSubnet"
    file: str
    line: int = 0


@dataclass
class IacDoc:
    file: str
    kind: str  # "Terraform state", "Terraform plan", "CloudFormation template", ...
    region: Optional[str] = None
    account_id: Optional[str] = None
    items: list[Item] = field(default_factory=list)
    unknowns: list[tuple[str, str]] = field(default_factory=list)  # (kind, reason)
    # function name -> fields replaced after the build (subnets or groups that are not known)
    function_patches: dict[str, dict] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    extra_sources: dict[str, str] = field(default_factory=dict)  # id -> source, for merged parts

    def add(self, section: str, fields: dict, source: str, line: int = 0) -> dict:
        d = LineDict(fields)
        d.line = line
        self.items.append(Item(section, d, source, self.file, line))
        return d

    def unknown(self, kind: str, reason: str) -> None:
        if (kind, reason) not in self.unknowns:
            self.unknowns.append((kind, reason))


def _where(it: Item) -> str:
    loc = f"{it.file}:{it.line}" if it.line else it.file
    return f"{loc} ({it.source})"


def build_network(docs: list[IacDoc], name: str = "") -> Network:
    """Merge the documents and build one network. Raises LoadError (one line per problem)."""
    errors = [e for d in docs for e in d.errors]
    if errors:
        raise LoadError(errors)
    region = next((d.region for d in docs if d.region), None) or "us-east-1"
    account = next((d.account_id for d in docs if d.account_id), None) or "111122223333"
    items: list[Item] = []
    seen: dict[tuple[str, str], Item] = {}
    for d in docs:
        for it in d.items:
            key_name = ID_KEYS.get(it.section)
            ident = it.fields.get(key_name) if key_name else None
            space = "ec2" if SECTION_PREFIX.get(it.section) else it.section
            if ident is not None:
                other = seen.get((space, ident))
                if other is not None:
                    if other.file != it.file or other.source != it.source:
                        errors.append(f"{_where(it)}: {ident} is also defined in {_where(other)}; "
                                      "give each component once (remove one of them)")
                    continue
                seen[(space, ident)] = it
            items.append(it)
    if errors:
        raise LoadError(errors)
    doc: dict[str, Any] = LineDict({"region": region, "account_id": account})
    index: dict[tuple[str, int], Item] = {}
    for it in items:
        lst = doc.setdefault(it.section, LineList())
        index[(it.section, len(lst))] = it
        lst.append(_plain(it.fields))
        lst.item_lines.append(it.line)
    unknown_rows = []
    for d in docs:
        for kind, reason in d.unknowns:
            unknown_rows.append({"kind": kind, "reason": reason})
    if unknown_rows:
        doc["unknown"] = LineList(unknown_rows)
    from .scenario import ScenarioError, _Builder, _Ctx

    try:
        net = _Builder(_Ctx("\0iac"), doc).build()
    except ScenarioError as e:
        raise LoadError([_rewrite(line, index, docs) for line in e.errors]) from None
    # functions whose subnets or security groups the input does not know
    patches = {k: v for d in docs for k, v in d.function_patches.items()}
    sgs = list(net.security_groups)
    if patches:
        fns = []
        have = {g.group_id for g in sgs}
        for f in net.functions:
            p = patches.get(f.function_name)
            if p:
                f = replace(f, **p)
                for gid in p.get("security_group_ids", ()):
                    if gid not in have and net.unknown(gid):
                        vpc = net.vpc_of_subnet(f.subnet_ids[0]) if f.subnet_ids else None
                        sgs.append(SecurityGroup(gid, vpc.vpc_id if vpc else "", gid))
                        have.add(gid)
            fns.append(f)
        net = replace(net, functions=tuple(fns), security_groups=tuple(sgs))
    sources: dict[str, str] = {}
    for it in items:
        key_name = ID_KEYS.get(it.section)
        ident = it.fields.get(key_name) if key_name else None
        if ident is None:
            continue
        loc = f"{it.file}:{it.line} {it.source}" if it.line else it.source
        if it.section in ("buckets", "parameters", "dynamodb_tables", "secrets", "queues"):
            sources[f"{it.section}:{ident}"] = loc
        elif it.section == "roles":
            sources[f"role:{ident}"] = loc
        else:
            sources[ident] = loc
    for d in docs:
        for k, v in d.extra_sources.items():
            sources.setdefault(k, v)
    notes = tuple(n for d in docs for n in d.notes)
    label = " + ".join(d.file for d in docs)
    return replace(net, name=name or label, description=", ".join(f"{d.kind}: {d.file}" for d in docs),
                   source=label, notes=notes, sources=tuple(sources.items()))


def _plain(v: Any) -> Any:
    """Tuples -> lists (the scenario schema's list kinds), keeping LineDict lines."""
    if isinstance(v, dict):
        d = LineDict({k: _plain(x) for k, x in v.items()})
        d.line = getattr(v, "line", 0)
        return d
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    return v


_ERR = re.compile(r"^\x00iac:(\d+): ([a-z_]+)\[(\d+)\]([^:]*): (.*)$")


def _rewrite(line: str, index: dict, docs: list[IacDoc]) -> str:
    """A scenario-builder error about an item -> the same problem at the item's source."""
    m = _ERR.match(line)
    if not m:
        return line.replace("\0iac", docs[0].file if docs else "input")
    it = index.get((m.group(2), int(m.group(3))))
    if it is None:
        return line.replace("\0iac", docs[0].file if docs else "input")
    loc = f"{it.file}:{it.line}" if it.line else it.file
    return f"{loc}: {it.source}{m.group(4)}: {m.group(5)}"


def unknown_reason(net: Network, component_id: str) -> Optional[str]:
    return net.unknown(component_id) if net.unknowns else None


__all__ = ["IacDoc", "Item", "build_network", "pending_id", "is_pending", "unknown_reason"]


# --------------------------------------------------------------------------------------------------
# content detection and loading several files


_CFN_YAML = re.compile(r"^(AWSTemplateFormatVersion\s*:|Resources\s*:\s*$|Transform\s*:)", re.M)


def detect_kind(path: str, head: Optional[str] = None) -> str:
    """"terraform", "cloudformation" or "scenario", by content (the first 64 KB)."""
    if head is None:
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                head = fh.read(65536)
        except OSError:
            return "scenario"  # the scenario loader reports the missing file
    s = head.lstrip()
    if s.startswith("{"):
        if re.search(r'"(resource_changes|planned_values|terraform_version|format_version)"', s) or \
                re.search(r'"version"\s*:\s*4\b', s[:2000]):
            return "terraform"
        if '"Resources"' in s or '"AWSTemplateFormatVersion"' in s:
            return "cloudformation"
        return "scenario"
    if _CFN_YAML.search(head):
        return "cloudformation"
    return "scenario"


def is_iac(paths) -> bool:
    return any(detect_kind(p) != "scenario" for p in paths)


def load_iac(paths, params: Optional[dict] = None, progress=None) -> Network:
    """Terraform and CloudFormation files (one or several) -> one network. Terraform first: its
    Region and account are the templates' pseudo-parameters unless --param gives them."""
    from .cloudformation import cloudformation_doc, read_template
    from .terraform import is_terraform, read_json, terraform_doc

    params = dict(params or {})
    kinds = [(p, detect_kind(p)) for p in paths]
    bad = [p for p, k in kinds if k == "scenario"]
    if bad:
        raise LoadError([f"{p}: a scenario file cannot be merged with Terraform or CloudFormation inputs" for p in bad])
    docs: list[IacDoc] = []
    for p, k in kinds:
        if k == "terraform":
            if progress:
                progress(f"reading {p} (Terraform)")
            data = read_json(p)
            if not is_terraform(data):
                raise LoadError([f"{p}:1: not Terraform state or plan JSON"])
            docs.append(terraform_doc(data, p))
    region = next((d.region for d in docs if d.region), None)
    account = next((d.account_id for d in docs if d.account_id), None)
    for p, k in kinds:
        if k == "cloudformation":
            if progress:
                progress(f"reading {p} (CloudFormation)")
            docs.append(cloudformation_doc(read_template(p), p, params, region, account))
    order = {p: i for i, p in enumerate(paths)}
    docs.sort(key=lambda d: order.get(d.file, 0))
    return build_network(docs)


@dataclass(frozen=True)
class IacSource:
    """Terraform and CloudFormation files, merged into one network. A ``Source`` (loaders/source.py)."""

    paths: tuple[str, ...]
    params: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        return " + ".join(self.paths)

    @property
    def loads_fast(self) -> bool:
        import os

        try:
            return sum(os.path.getsize(p) for p in self.paths) <= 256 * 1024
        except OSError:
            return True  # a missing file: the loader says so at once

    def load(self, progress=None) -> Network:
        return load_iac(list(self.paths), dict(self.params), progress)

    def title(self, network: Network) -> str:
        return f"{self.label} · {network.region}"
