"""The network model -> scenario YAML (the inverse of ``scenario.parse_scenario``).

``network_to_yaml(net)`` writes a scenario file that ``parse_scenario`` loads back into a network
that traces the same (a test checks every file in ``scenarios/`` and a live load). Everything is
written explicitly (security-group rules, NACL entries, local routes), so none of the scenario
format's implicit defaults change the meaning. ``component_to_yaml(net, id)`` gives one resource
in the same syntax (the TUI's ``y`` key).

A few things AWS has and the scenario format cannot say are left out, each listed in the file's
header and in ``dump_notes``: security-group rules that name a group outside the network, and
rules/entries for protocols other than TCP, UDP, ICMP and all (they never match the TCP/UDP
traffic vpctui traces, so verdicts do not change).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterable, Optional

from ..model.network import (
    Host, InternetGateway, EgressOnlyInternetGateway, LambdaFunction, NatGateway, Network,
    NetworkAcl, PeeringConnection, PortRange, PrefixList, PrivateHostedZone, Resource, Role,
    RouteTable, SecurityGroup, SgRule, Subnet, Vpc, VpcEndpoint,
)
from ..model.policy import Policy
from ..model.tgw import TgwAttachment, TgwRouteTable, TransitGateway

_PROTOCOLS = {"-1", "tcp", "udp", "icmp"}
_RESOURCE_SECTIONS = {"s3": "buckets", "ssm": "parameters", "dynamodb": "dynamodb_tables",
                      "secretsmanager": "secrets", "sqs": "queues"}


# --------------------------------------------------------------------------------------------------
# one component -> one scenario item


def _ports(p: PortRange) -> Any:
    if p.from_port == 0 and p.to_port == 65535:
        return "all"
    if p.from_port == p.to_port:
        return p.from_port
    return f"{p.from_port}-{p.to_port}"


def _tags(tags) -> dict:
    return {k: v for k, v in tags}


def _put(d: dict, key: str, value) -> None:
    """Set ``key`` when ``value`` says something (not None, empty)."""
    if value not in ((), [], "", None):
        d[key] = list(value) if isinstance(value, tuple) else value


def _policy(p: Optional[Policy]) -> Optional[dict]:
    return p.to_document() if p is not None else None


def vpc_item(v: Vpc) -> dict:
    d: dict[str, Any] = {"vpc_id": v.vpc_id}
    _put(d, "name", v.name)
    d["cidr_block"] = v.cidr_blocks[0]
    if len(v.cidr_blocks) > 1:
        d["cidr_blocks"] = list(v.cidr_blocks)
    if v.ipv6_cidr_blocks:
        d["ipv6_cidr_block"] = v.ipv6_cidr_blocks[0]
    d["enable_dns_support"] = v.enable_dns_support
    d["enable_dns_hostnames"] = v.enable_dns_hostnames
    if tuple(v.dhcp_options.domain_name_servers) != ("AmazonProvidedDNS",):
        d["domain_name_servers"] = list(v.dhcp_options.domain_name_servers)
    if not v.dhcp_options.forwards_to_amazon_dns:
        d["dns_forwards_amazonaws"] = False
    if v.dns_firewall is not None:
        fw = v.dns_firewall
        d["dns_firewall"] = {"blocked_domains": list(fw.blocked_domains), "response": fw.response,
                             "fail_mode": fw.fail_mode, "impaired": fw.impaired}
    if v.is_default:
        d["is_default"] = True
    if v.tags:
        d["tags"] = _tags(v.tags)
    _put(d, "owner_id", v.owner_id)
    return d


def subnet_item(s: Subnet) -> dict:
    d: dict[str, Any] = {"subnet_id": s.subnet_id}
    _put(d, "name", s.name)
    d["vpc_id"] = s.vpc_id
    d["availability_zone"] = s.availability_zone
    if s.cidr_block:
        d["cidr_block"] = s.cidr_block
    if s.ipv6_cidr_block:
        d["ipv6_cidr_block"] = s.ipv6_cidr_block
    if s.map_public_ip_on_launch:
        d["map_public_ip_on_launch"] = True
    if s.available_ip_address_count is not None:
        d["available_ip_address_count"] = s.available_ip_address_count
    if s.tags:
        d["tags"] = _tags(s.tags)
    _put(d, "owner_id", s.owner_id)
    return d


def route_table_item(rt: RouteTable) -> dict:
    d: dict[str, Any] = {"route_table_id": rt.route_table_id}
    _put(d, "name", rt.name)
    d["vpc_id"] = rt.vpc_id
    if rt.main:
        d["main"] = True
    d["associations"] = list(rt.subnet_ids)
    routes = []
    for r in rt.routes:
        row = _Flow(destination=r.destination, target=r.target)
        if r.state != "active":
            row["state"] = r.state
        if r.origin != "static":
            row["origin"] = r.origin
        routes.append(row)
    d["routes"] = routes
    return d


def endpoint_item(e: VpcEndpoint) -> dict:
    d: dict[str, Any] = {"vpc_endpoint_id": e.vpc_endpoint_id}
    _put(d, "name", e.name)
    d["vpc_id"] = e.vpc_id
    d["service_name"] = e.service_name
    d["vpc_endpoint_type"] = "Gateway" if e.is_gateway else "Interface" if e.is_interface else e.vpc_endpoint_type
    if e.state != "available":
        d["state"] = e.state
    if e.is_gateway_load_balancer:
        d["subnet_ids"] = [x.subnet_id for x in e.enis] or list(e.subnet_ids)
    elif e.is_gateway:
        d["route_table_ids"] = list(e.route_table_ids)
    else:
        # ENI order first: the scenario loader makes one ENI per listed subnet, in this order
        subs = [x.subnet_id for x in e.enis] + [s for s in e.subnet_ids if s not in {x.subnet_id for x in e.enis}]
        d["subnet_ids"] = subs
        d["security_group_ids"] = list(e.security_group_ids)
        d["private_dns_enabled"] = e.private_dns_enabled
        if not e.private_dns_only_for_inbound_resolver_endpoint:
            d["private_dns_only_for_inbound_resolver_endpoint"] = False
        ips = {x.subnet_id: x.private_ip for x in e.enis if x.private_ip and not x.address_assigned}
        if ips:
            d["ip_addresses"] = ips
    if e.policy is not None:
        d["policy"] = _policy(e.policy)
    return d


def prefix_list_item(p: PrefixList) -> dict:
    return {"prefix_list_id": p.prefix_list_id, "prefix_list_name": p.prefix_list_name, "cidrs": list(p.cidrs)}


def _rule(r: SgRule) -> dict:
    d = _Flow(protocol=r.protocol)
    if r.protocol in ("tcp", "udp"):
        d["ports"] = _ports(r.ports)
    if r.cidr:
        d["cidr"] = r.cidr
    elif r.prefix_list_id:
        d["prefix_list"] = r.prefix_list_id
    elif r.group_id:
        d["group"] = r.group_id
    if r.description:
        d["description"] = r.description
    return d


def security_group_item(g: SecurityGroup, known_groups: Optional[set] = None, notes: Optional[list] = None) -> dict:
    d: dict[str, Any] = {"group_id": g.group_id}
    _put(d, "group_name", g.group_name)
    d["vpc_id"] = g.vpc_id
    _put(d, "description", g.description)
    if g.is_default:
        d["default"] = True
    for direction, rules in (("ingress", g.ingress), ("egress", g.egress)):
        out = []
        for r in rules:
            if r.protocol not in _PROTOCOLS:
                _note(notes, f"{g.group_id} {direction}: protocol {r.protocol} rule left out ({r.describe()})")
                continue
            if r.group_id and known_groups is not None and r.group_id not in known_groups:
                _note(notes, f"{g.group_id} {direction}: rule naming {r.group_id} (outside this network) left out")
                continue
            out.append(_rule(r))
        d[direction] = out  # always written: a missing key would mean AWS's defaults
    if g.tags:
        d["tags"] = _tags(g.tags)
    return d


def network_acl_item(a: NetworkAcl, notes: Optional[list] = None) -> dict:
    d: dict[str, Any] = {"network_acl_id": a.network_acl_id}
    _put(d, "name", a.name)
    d["vpc_id"] = a.vpc_id
    if a.is_default:
        d["default"] = True
    d["associations"] = list(a.subnet_ids)
    entries = []
    for e in a.entries:
        if e.protocol not in _PROTOCOLS:
            _note(notes, f"{a.network_acl_id}: entry {e.rule_number} for protocol {e.protocol} left out")
            continue
        row = _Flow(rule_number=e.rule_number, direction="outbound" if e.egress else "inbound",
                    action=e.rule_action, protocol=e.protocol)
        if e.protocol in ("tcp", "udp"):
            row["ports"] = _ports(e.ports)
        row["cidr"] = e.cidr_block
        entries.append(row)
    d["entries"] = entries  # always written: a default ACL without entries would mean allow-all
    return d


def host_item(h: Host) -> dict:
    d: dict[str, Any] = {"host_id": h.host_id}
    _put(d, "name", h.name)
    d["kind"] = h.kind
    d["subnet_id"] = h.subnet_id
    d["private_ip"] = h.private_ip
    d["security_group_ids"] = list(h.security_group_ids)
    if h.ports:
        d["ports"] = list(h.ports)
    _put(d, "dns_name", h.dns_name)
    _put(d, "public_ip", h.public_ip)
    if not h.source_dest_check:
        d["source_dest_check"] = False
    _put(d, "network_interface_id", h.network_interface_id)
    return d


def igw_item(g: InternetGateway) -> dict:
    d: dict[str, Any] = {"internet_gateway_id": g.internet_gateway_id}
    _put(d, "name", g.name)
    _put(d, "vpc_id", g.vpc_id)
    return d


def eigw_item(g: EgressOnlyInternetGateway) -> dict:
    d: dict[str, Any] = {"egress_only_internet_gateway_id": g.egress_only_internet_gateway_id}
    _put(d, "name", g.name)
    _put(d, "vpc_id", g.vpc_id)
    return d


def nat_item(n: NatGateway) -> dict:
    d: dict[str, Any] = {"nat_gateway_id": n.nat_gateway_id}
    _put(d, "name", n.name)
    d["subnet_id"] = n.subnet_id
    d["connectivity_type"] = n.connectivity_type
    if n.state != "available":
        d["state"] = n.state
    _put(d, "public_ip", n.public_ip)
    _put(d, "private_ip", n.private_ip)
    return d


def peering_item(p: PeeringConnection) -> dict:
    d: dict[str, Any] = {"vpc_peering_connection_id": p.vpc_peering_connection_id}
    _put(d, "name", p.name)
    d.update(requester_vpc_id=p.requester_vpc_id, accepter_vpc_id=p.accepter_vpc_id, status=p.status)
    if p.allow_dns_resolution:
        d["allow_dns_resolution"] = True
    return d


def phz_item(z: PrivateHostedZone) -> dict:
    d: dict[str, Any] = {"name": z.name, "vpc_ids": list(z.vpc_ids)}
    if z.records:
        d["records"] = {k: v for k, v in z.records}
    _put(d, "hosted_zone_id", z.hosted_zone_id)
    return d


def tgw_item(t: TransitGateway) -> dict:
    d: dict[str, Any] = {"transit_gateway_id": t.transit_gateway_id}
    _put(d, "name", t.name)
    _put(d, "owner_id", t.owner_id)
    if t.state != "available":
        d["state"] = t.state
    d["default_route_table_association"] = t.default_route_table_association
    d["default_route_table_propagation"] = t.default_route_table_propagation
    _put(d, "association_default_route_table_id", t.association_default_route_table_id)
    _put(d, "propagation_default_route_table_id", t.propagation_default_route_table_id)
    if not t.dns_support:
        d["dns_support"] = False
    return d


def tgw_attachment_item(a: TgwAttachment) -> dict:
    d: dict[str, Any] = {"transit_gateway_attachment_id": a.transit_gateway_attachment_id}
    _put(d, "name", a.name)
    d["transit_gateway_id"] = a.transit_gateway_id
    if a.is_vpc:
        d["vpc_id"] = a.resource_id
        d["subnet_ids"] = list(a.subnet_ids)
        if a.appliance_mode_support:
            d["appliance_mode_support"] = True
    else:
        d["resource_type"] = a.resource_type
        _put(d, "resource_id", a.resource_id)
    if not a.dns_support:
        d["dns_support"] = False
    if a.state != "available":
        d["state"] = a.state
    _put(d, "resource_owner_id", a.resource_owner_id)
    return d


def tgw_route_table_item(rt: TgwRouteTable, network: Optional[Network] = None) -> dict:
    """Static routes, associations and propagations; a propagated route is written only where the
    propagations do not make it again on loading (the scenario loader derives a propagating VPC
    attachment's routes from its VPC's CIDRs)."""
    d: dict[str, Any] = {"transit_gateway_route_table_id": rt.transit_gateway_route_table_id}
    _put(d, "name", rt.name)
    d["transit_gateway_id"] = rt.transit_gateway_id
    if rt.default_association_route_table:
        d["default_association_route_table"] = True
    if rt.default_propagation_route_table:
        d["default_propagation_route_table"] = True
    if rt.state != "available":
        d["state"] = rt.state
    d["associations"] = list(rt.associations)
    d["propagations"] = list(rt.propagations)
    derived: set = set()
    if network is not None:
        for aid in rt.propagations:
            a = network.get(aid)
            v = network.get(a.resource_id) if isinstance(a, TgwAttachment) and a.is_vpc else None
            if isinstance(v, Vpc):
                derived.update((c, aid) for c in v.cidr_blocks + v.ipv6_cidr_blocks)
    routes = []
    for r in rt.routes:
        if r.route_type == "propagated" and (r.destination_cidr_block, r.attachment_id) in derived:
            continue
        row = _Flow(destination=r.destination_cidr_block)
        if r.attachment_id:
            row["attachment"] = r.attachment_id
        if r.state == "blackhole" or r.attachment_id is None:
            row["blackhole"] = True
        if r.route_type != "static":
            row["type"] = r.route_type
        routes.append(row)
    d["routes"] = routes
    return d


def function_item(f: LambdaFunction) -> dict:
    d: dict[str, Any] = {"function_name": f.function_name}
    _put(d, "role", f.role)
    if f.subnet_ids:
        d["subnet_ids"] = list(f.subnet_ids)
        d["security_group_ids"] = list(f.security_group_ids)
    if f.ipv6_allowed_for_dual_stack:
        d["ipv6_allowed_for_dual_stack"] = True
    d["timeout"] = f.timeout
    _put(d, "runtime", f.runtime)
    if f.sts_regional_endpoints:
        d["sts_regional_endpoints"] = f.sts_regional_endpoints
    if f.sdk:
        d["sdk"] = f.sdk
    if f.environment:
        d["environment"] = dict(f.environment)
    if f.state != "Active":
        d["state"] = f.state
    _put(d, "state_reason_code", f.state_reason_code)
    return d


def role_item(r: Role) -> dict:
    d: dict[str, Any] = {"role_name": r.role_name, "arn": r.arn, "policies": [_policy(p) for p in r.policies]}
    if r.error:
        d["error"] = r.error
    if r.permissions_boundary is not None:
        d["permissions_boundary"] = _policy(r.permissions_boundary)
    if r.session_policy is not None:
        d["session_policy"] = _policy(r.session_policy)
    return d


def external_host_item(e) -> dict:
    d: dict[str, Any] = {"name": e.name}
    if len(e.cidrs) == 1:
        d["cidr"] = e.cidrs[0]
    elif e.cidrs:
        d["cidrs"] = list(e.cidrs)
    if e.prefix_list_id:
        d["prefix_list"] = e.prefix_list_id
    return _Flow(d)


def resource_item(r: Resource, account_id: str = "") -> dict:
    d: dict[str, Any] = {"name": r.name, "region": r.region}
    if r.service != "ssm" and r.policy is not None:
        d["policy"] = _policy(r.policy)
    if r.service == "s3" and r.objects:
        d["objects"] = list(r.objects)
    if r.policy_error:
        d["policy_error"] = r.policy_error
    if r.account_id and r.account_id != account_id:
        d["account_id"] = r.account_id
    if r.service == "secretsmanager" and not r.arn_partial:
        d["arn"] = r.arn
    return d


def _note(notes: Optional[list], text: str) -> None:
    if notes is not None and text not in notes:
        notes.append(text)


# --------------------------------------------------------------------------------------------------


def network_to_dict(network: Network, notes: Optional[list] = None) -> dict:
    """The network as a scenario document (plain dicts and lists, ready for YAML or JSON)."""
    net = network
    groups = {g.group_id for g in net.security_groups}
    doc: dict[str, Any] = {}
    doc["scenario"] = net.name or (f"AWS {net.account_id} {net.region}" if net.source.startswith("aws:") else "exported")
    if net.description:
        doc["description"] = net.description
    if net.notes:
        doc["notes"] = list(net.notes)
    doc["region"] = net.region
    doc["account_id"] = net.account_id
    if net.block_public_access.mode != "off":
        doc["block_public_access"] = {"mode": net.block_public_access.mode,
                                      "exclusions": list(net.block_public_access.exclusions)}
    sections: list[tuple[str, Iterable, Any]] = [
        ("vpcs", net.vpcs, vpc_item),
        ("subnets", net.subnets, subnet_item),
        ("internet_gateways", net.internet_gateways, igw_item),
        ("egress_only_internet_gateways", net.egress_only_internet_gateways, eigw_item),
        ("nat_gateways", net.nat_gateways, nat_item),
        ("route_tables", net.route_tables, route_table_item),
        ("vpc_endpoints", net.vpc_endpoints, endpoint_item),
        ("prefix_lists", net.prefix_lists, prefix_list_item),
        ("security_groups", net.security_groups, lambda g: security_group_item(g, groups, notes)),
        ("network_acls", net.network_acls, lambda a: network_acl_item(a, notes)),
        ("hosts", net.hosts, host_item),
        ("vpc_peering_connections", net.peering_connections, peering_item),
        ("private_hosted_zones", net.private_hosted_zones, phz_item),
        ("transit_gateways", net.transit_gateways, tgw_item),
        ("transit_gateway_attachments", net.transit_gateway_attachments, tgw_attachment_item),
        ("transit_gateway_route_tables", net.transit_gateway_route_tables, lambda r: tgw_route_table_item(r, net)),
        ("external_hosts", net.external_hosts, external_host_item),
        ("roles", net.roles, role_item),
        ("lambda_functions", net.functions, function_item),
    ]
    for key, items, fn in sections:
        rows = [fn(x) for x in items]
        if rows:
            doc[key] = rows
    for svc, key in _RESOURCE_SECTIONS.items():
        rows = [resource_item(r, net.account_id) for r in net.resources if r.service == svc]
        if rows:
            doc[key] = rows
    for r in net.resources:
        if r.service not in _RESOURCE_SECTIONS:
            _note(notes, f"{r.service} resource {r.name} left out (the scenario format has no section for it)")
    for key in ("service_control_policies", "resource_control_policies"):
        pols = getattr(net, key)
        if pols:
            doc[key] = [_policy(p) for p in pols]
    if net.targets:
        doc["targets"] = list(net.targets)
    if net.unknowns:
        doc["unknown"] = [{"kind": u.kind, "reason": u.reason} for u in net.unknowns]
    if net.expectations:
        rows = []
        for e in net.expectations:
            row = _Flow({"from": e.source, "to": e.target})
            for k, v in (("verdict", e.verdict), ("symptom", e.symptom), ("reason", e.reason),
                         ("component", e.component_id)):
                if v is not None:
                    row[k] = v
            rows.append(row)
        doc["expect"] = rows
    return doc


class _Flow(dict):
    """A small mapping written on one line: ``{destination: 0.0.0.0/0, target: igw-…}``."""


def _yaml(doc: Any) -> str:
    import yaml

    class _Dumper(yaml.SafeDumper):
        pass

    def flow_map(dumper, value):
        return dumper.represent_mapping("tag:yaml.org,2002:map", dict(value), flow_style=True)

    def seq(dumper, value):
        scalars = all(isinstance(x, (str, int, float, bool)) for x in value)
        return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=scalars and len(value) <= 8)

    _Dumper.add_representer(_Flow, flow_map)
    _Dumper.add_representer(list, seq)
    return yaml.dump(doc, Dumper=_Dumper, sort_keys=False, default_flow_style=False, allow_unicode=True,
                     width=110)


def network_to_yaml(network: Network, before: Optional[Network] = None) -> str:
    """A scenario file for the network; ``parse_scenario`` reads it back to a network that traces
    the same. ``before``: the network it was edited from (a fix, what-if changes): the ``expect:``
    lines the edits changed are restated (vpctui/engine/expect.py ``restate``), each said in the
    file's head."""
    notes: list[str] = []
    changed: list[str] = []
    if before is not None and before.expectations:
        from ..engine.expect import restate

        expectations, changed = restate(before, network)
        network = replace(network, expectations=expectations)
    body = _yaml(network_to_dict(network, notes))
    head = [f"# vpctui scenario exported from {network.source or 'a network'}"]
    # a comment is one line: a control character in a name is shown as its picture (␊), not kept
    head += ["# " + "".join(chr(0x2400 + ord(ch)) if ord(ch) < 0x20 else ch for ch in c) for c in changed]
    if network.source.startswith("aws:"):
        head.append("# Read from the live account with vpctui's read-only loader; load it with `vpctui FILE`.")
    for n in notes:
        head.append(f"# left out: {n}")
    return "\n".join(head) + "\n" + body


_FINDERS = (
    ("vpcs", "vpcs", vpc_item), ("subnets", "subnets", subnet_item),
    ("route_tables", "route_tables", route_table_item),
    ("internet_gateways", "internet_gateways", igw_item),
    ("egress_only_internet_gateways", "egress_only_internet_gateways", eigw_item),
    ("nat_gateways", "nat_gateways", nat_item), ("vpc_endpoints", "vpc_endpoints", endpoint_item),
    ("prefix_lists", "prefix_lists", prefix_list_item),
    ("security_groups", "security_groups", security_group_item),
    ("network_acls", "network_acls", network_acl_item), ("hosts", "hosts", host_item),
    ("peering_connections", "vpc_peering_connections", peering_item),
    ("transit_gateways", "transit_gateways", tgw_item),
    ("transit_gateway_attachments", "transit_gateway_attachments", tgw_attachment_item),
    ("transit_gateway_route_tables", "transit_gateway_route_tables", tgw_route_table_item),
)


def component_to_dict(network: Network, component) -> dict:
    """``{section: [item]}`` for one component, given as its id (``sg-…``, a function name, a role
    name or ARN, a bucket name, ``s3://bucket``, ``ssm:NAME``) or as the model value itself."""
    obj = component
    if isinstance(component, str):
        obj = (network.get(component) or network.function_by_name.get(component)
               or network.role_by_key.get(component) or _resource_by_text(network, component))
        if obj is None:
            raise KeyError(f"{component!r} is not in the network")
    for attr, section, fn in _FINDERS:
        if any(x is obj for x in getattr(network, attr)) or _is_type(obj, attr):
            if attr == "transit_gateway_route_tables":
                return {section: [fn(obj, network)]}
            return {section: [fn(obj)]}
    if isinstance(obj, LambdaFunction):
        return {"lambda_functions": [function_item(obj)]}
    if isinstance(obj, Role):
        return {"roles": [role_item(obj)]}
    if isinstance(obj, Resource):
        return {_RESOURCE_SECTIONS.get(obj.service, obj.service): [resource_item(obj)]}
    if isinstance(obj, PrivateHostedZone):
        return {"private_hosted_zones": [phz_item(obj)]}
    raise KeyError(f"{component!r} cannot be written as scenario YAML")


_TYPES = {"vpcs": Vpc, "subnets": Subnet, "route_tables": RouteTable, "internet_gateways": InternetGateway,
          "egress_only_internet_gateways": EgressOnlyInternetGateway, "nat_gateways": NatGateway,
          "vpc_endpoints": VpcEndpoint, "prefix_lists": PrefixList, "security_groups": SecurityGroup,
          "network_acls": NetworkAcl, "hosts": Host, "peering_connections": PeeringConnection,
          "transit_gateways": TransitGateway, "transit_gateway_attachments": TgwAttachment,
          "transit_gateway_route_tables": TgwRouteTable}


def _is_type(obj, attr: str) -> bool:
    return isinstance(obj, _TYPES[attr])


def _resource_by_text(network: Network, text: str) -> Optional[Resource]:
    t = text
    if t.startswith("s3://"):
        return network.resource("s3", t[5:].split("/", 1)[0])
    if ":" in t and not t.startswith("arn:"):
        svc, _, name = t.partition(":")
        return network.resource(svc, name)
    for r in network.resources:
        if text in (r.name, r.arn):
            return r
    return None


def component_to_yaml(network: Network, component) -> str:
    """One resource in scenario syntax, ready to paste under the file's top level."""
    return _yaml(component_to_dict(network, component))
