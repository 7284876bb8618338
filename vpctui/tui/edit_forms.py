"""The `e` key's small forms: for a component, the edits a person can make to it, each as a few
text fields and a function that turns what was typed into an ``Edit`` (no Textual here).

A form field has a name, a hint and a default taken from the component (the first gateway
endpoint not yet associated, a free NACL rule number). ``build`` raises ``EditError`` or
``ValueError`` with a one-line message for what cannot be right; the form shows it in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..engine import edits as ed
from ..model.network import (
    LambdaFunction, NaclEntry, Network, NetworkAcl, PortRange, PrivateHostedZone, Resource, Role,
    RouteTable, SecurityGroup, SgRule, Vpc, VpcEndpoint,
)


@dataclass(frozen=True)
class Field:
    name: str
    hint: str
    default: str = ""


@dataclass(frozen=True)
class Operation:
    label: str
    fields: tuple[Field, ...]
    build: Callable[[dict], ed.Edit]


_PROTOCOLS = {"all": "-1", "-1": "-1", "tcp": "tcp", "udp": "udp", "icmp": "icmp"}


def _proto(v: str) -> str:
    p = _PROTOCOLS.get(v.strip().lower())
    if p is None:
        raise ValueError(f"protocol {v!r}: use tcp, udp, icmp or all")
    return p


def _ports(v: str, proto: str) -> PortRange:
    v = v.strip().lower()
    if proto in ("-1", "icmp") or v in ("", "all"):
        return PortRange(0, 65535)
    a, _, b = v.partition("-")
    try:
        lo, hi = int(a), int(b or a)
    except ValueError:
        raise ValueError(f"ports {v!r}: use 443, 1024-65535 or all") from None
    if not (0 <= lo <= hi <= 65535):
        raise ValueError(f"ports {v!r}: 0-65535, low to high")
    return PortRange(lo, hi)


def _cidr(v: str) -> str:
    import ipaddress

    try:
        return str(ipaddress.ip_network(v.strip(), strict=False))
    except ValueError:
        raise ValueError(f"{v!r} is not a CIDR (10.0.0.0/16, 0.0.0.0/0, ::/0)") from None


def _direction(v: str, words=("ingress", "egress")) -> str:
    w = v.strip().lower()
    alias = {"in": "ingress", "inbound": "ingress", "out": "egress", "outbound": "egress"}
    w = alias.get(w, w)
    if w not in words:
        raise ValueError(f"direction {v!r}: use ingress (inbound) or egress (outbound)")
    return w


def _bool(v: str) -> bool:
    w = v.strip().lower()
    if w in ("true", "on", "yes", "1"):
        return True
    if w in ("false", "off", "no", "0"):
        return False
    raise ValueError(f"{v!r}: use true or false")


def _ids(v: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in v.replace(",", " ").split() if x.strip())


def _peer(v: str) -> dict:
    v = v.strip()
    if v.startswith("sg-"):
        return {"group_id": v}
    if v.startswith("pl-"):
        return {"prefix_list_id": v}
    return {"cidr": _cidr(v)}


def _free_number(acl: NetworkAcl, egress: bool) -> int:
    used = {e.rule_number for e in acl.entries if e.egress == egress}
    low = min(used) if used else 200
    for n in range(low - 10 if low > 10 else low - 1, 0, -1):
        if n not in used:
            return n
    return max(used, default=100) + 1


def operations(network: Network, component) -> list[Operation]:
    """The forms for ``component`` (a model value from the network); [] when nothing is editable."""
    c = component
    ops: list[Operation] = []
    if isinstance(c, SecurityGroup):
        gid = c.group_id
        ops.append(Operation("allow a rule", (
            Field("direction", "ingress or egress", "egress"), Field("protocol", "tcp, udp, icmp, all", "tcp"),
            Field("ports", "443, 1024-65535, all", "443"), Field("peer", "CIDR, sg-… or pl-…", "0.0.0.0/0")),
            lambda v: ed.AddSgRule(gid, _direction(v["direction"]), SgRule(
                _proto(v["protocol"]), _ports(v["ports"], _proto(v["protocol"])), **_peer(v["peer"])))))
        rules = [("ingress", r) for r in c.ingress] + [("egress", r) for r in c.egress]
        if rules:
            listing = "; ".join(f"{i} {d} {r.describe()}" for i, (d, r) in enumerate(rules, 1))

            def revoke(v, rules=rules):
                try:
                    d, r = rules[int(v["rule"]) - 1]
                except (ValueError, IndexError):
                    raise ValueError(f"rule {v['rule']!r}: a number from 1 to {len(rules)}") from None
                return ed.RemoveSgRule(gid, d, r)

            ops.append(Operation("revoke a rule", (Field("rule", listing[:200], "1"),), revoke))
    elif isinstance(c, NetworkAcl):
        aid = c.network_acl_id
        ops.append(Operation("add an entry", (
            Field("direction", "inbound or outbound", "inbound"),
            Field("rule number", "evaluated lowest first", str(_free_number(c, False))),
            Field("action", "allow or deny", "allow"), Field("protocol", "tcp, udp, icmp, all", "tcp"),
            Field("ports", "443, 1024-65535, all", "1024-65535"), Field("cidr", "0.0.0.0/0, 10.0.0.0/16", "0.0.0.0/0")),
            lambda v: ed.AddNaclEntry(aid, NaclEntry(
                int(v["rule number"]), _direction(v["direction"]) == "egress", _action(v["action"]),
                _proto(v["protocol"]), _ports(v["ports"], _proto(v["protocol"])), _cidr(v["cidr"])))))
        ops.append(Operation("delete an entry", (
            Field("direction", "inbound or outbound", "inbound"), Field("rule number", "", "")),
            lambda v: ed.RemoveNaclEntry(aid, _direction(v["direction"]) == "egress", int(v["rule number"]))))
    elif isinstance(c, RouteTable):
        rid = c.route_table_id
        ops.append(Operation("add a route", (
            Field("destination", "CIDR or pl-…", "0.0.0.0/0"), Field("target", "nat-…, igw-…, pcx-…, tgw-…", _nat_default(network, c))),
            lambda v: ed.AddRoute(rid, v["destination"].strip() if v["destination"].strip().startswith("pl-") else _cidr(v["destination"]),
                                  v["target"].strip())))
        routes = [r for r in c.routes if r.target != "local"]
        if routes:
            ops.append(Operation("remove a route", (Field("destination", ", ".join(r.destination for r in routes)[:200],
                                                          routes[0].destination),),
                                 lambda v: ed.RemoveRoute(rid, v["destination"].strip())))
            ops.append(Operation("point a route at another target", (
                Field("destination", "", routes[0].destination), Field("target", "nat-…, igw-…, pcx-…", "")),
                lambda v: ed.ReplaceRoute(rid, v["destination"].strip(), v["target"].strip())))
        gws = [e for e in network.vpc_endpoints if e.is_gateway and e.vpc_id == c.vpc_id and rid not in e.route_table_ids]
        if gws:
            ops.append(Operation("associate a gateway endpoint", (
                Field("endpoint", ", ".join(f"{e.vpc_endpoint_id} ({e.service})" for e in gws), gws[0].vpc_endpoint_id),),
                lambda v: ed.AssociateGatewayEndpoint(v["endpoint"].strip(), rid)))
    elif isinstance(c, VpcEndpoint):
        eid = c.vpc_endpoint_id
        if c.is_gateway:
            free = [r.route_table_id for r in network.route_tables if r.vpc_id == c.vpc_id and r.route_table_id not in c.route_table_ids]
            ops.append(Operation("associate a route table", (Field("route table", ", ".join(free)[:200], free[0] if free else ""),),
                                 lambda v: ed.AssociateGatewayEndpoint(eid, v["route table"].strip())))
            if c.route_table_ids:
                ops.append(Operation("disassociate a route table", (
                    Field("route table", ", ".join(c.route_table_ids), c.route_table_ids[0]),),
                    lambda v: ed.DisassociateGatewayEndpoint(eid, v["route table"].strip())))
        else:
            ops.append(Operation(f"turn private DNS {'off' if c.private_dns_enabled else 'on'}", (),
                                 lambda v: ed.SetEndpointPrivateDns(eid, not c.private_dns_enabled)))
            have = {x.subnet_id for x in c.enis} | set(c.subnet_ids)
            free = [s.subnet_id for s in network.subnets_of_vpc.get(c.vpc_id, ()) if s.subnet_id not in have]
            ops.append(Operation("add a subnet", (Field("subnet", ", ".join(free)[:200], free[0] if free else ""),),
                                 lambda v: ed.AddEndpointSubnet(eid, v["subnet"].strip())))
            if have:
                ops.append(Operation("remove a subnet", (Field("subnet", ", ".join(sorted(have)), sorted(have)[0]),),
                                     lambda v: ed.RemoveEndpointSubnet(eid, v["subnet"].strip())))
        if c.policy is not None:
            ops += _policy_ops(eid, c.policy)
    elif isinstance(c, Vpc):
        vid = c.vpc_id
        ops.append(Operation(f"set enableDnsSupport={str(not c.enable_dns_support).lower()}", (),
                             lambda v: ed.SetVpcDnsAttribute(vid, "enableDnsSupport", not c.enable_dns_support)))
        ops.append(Operation(f"set enableDnsHostnames={str(not c.enable_dns_hostnames).lower()}", (),
                             lambda v: ed.SetVpcDnsAttribute(vid, "enableDnsHostnames", not c.enable_dns_hostnames)))
        zones = [z for z in network.private_hosted_zones if vid not in z.vpc_ids]
        if zones:
            ops.append(Operation("associate a private hosted zone", (
                Field("zone", ", ".join(z.name for z in zones)[:200], zones[0].hosted_zone_id or zones[0].name),),
                lambda v: ed.AssociateHostedZone(v["zone"].strip(), vid)))
    elif isinstance(c, LambdaFunction):
        name = c.function_name
        ops.append(Operation("move to other subnets", (
            Field("subnets", "subnet ids, comma-separated", ", ".join(c.subnet_ids)),
            Field("security groups", "sg ids (empty: keep)", ", ".join(c.security_group_ids))),
            lambda v: ed.SetFunctionVpcConfig(name, _ids(v["subnets"]), _ids(v["security groups"]) or None)))
    elif isinstance(c, Resource) and c.policy is not None:
        ops += _policy_ops(c.arn, c.policy)
    elif isinstance(c, Role):
        for i, p in enumerate(c.policies):
            ops += _policy_ops(c.arn, p, i, f" (policy {p.name or i + 1})" if len(c.policies) > 1 else "")
    elif isinstance(c, PrivateHostedZone):
        zid = c.hosted_zone_id or c.name
        ops.append(Operation("associate a VPC", (Field("vpc", ", ".join(v.vpc_id for v in network.vpcs)[:200], ""),),
                             lambda v: ed.AssociateHostedZone(zid, v["vpc"].strip())))
    return ops


def _action(v: str) -> str:
    w = v.strip().lower()
    if w not in ("allow", "deny"):
        raise ValueError(f"action {v!r}: allow or deny")
    return w


def _nat_default(network: Network, rt: RouteTable) -> str:
    for n in network.nat_gateways:
        sub = network.get(n.subnet_id)
        if getattr(sub, "vpc_id", None) == rt.vpc_id and n.state == "available":
            return n.nat_gateway_id
    return ""


def _policy_ops(owner: str, policy, index: int = 0, suffix: str = "") -> list[Operation]:
    stmts = policy.statements
    if not stmts:
        return []
    listing = "; ".join(f"{s.sid or i} {s.effect} {','.join(s.actions or s.not_actions)[:40]}" for i, s in enumerate(stmts))
    first = stmts[0].sid or "0"
    ops = [Operation(f"remove a statement{suffix}", (Field("statement", listing[:200], first),),
                     lambda v: ed.RemovePolicyStatement(owner, v["statement"].strip(), index))]
    conds = [(s.sid or str(i), c) for i, s in enumerate(stmts) for c in s.conditions]
    if conds:
        sid, c = conds[0]
        ops.append(Operation(f"remove a condition{suffix}", (
            Field("statement", listing[:200], sid), Field("key", ", ".join(sorted({c.key for _, c in conds}))[:200], c.key)),
            lambda v: ed.RemovePolicyCondition(owner, v["statement"].strip(), v["key"].strip(), "", index)))
    return ops


def build(op: Operation, values: dict, network: Network) -> ed.Edit:
    """The edit the form describes, checked against the network (raises EditError/ValueError)."""
    edit = op.build(values)
    ed.apply(network, [edit])  # fails here, in the form, not later
    return edit
