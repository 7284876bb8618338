"""Edits of a network: the what-if model.

An edit is a frozen value that names the components it changes by their AWS ids. ``apply(network,
edits)`` returns a new frozen ``Network`` built with ``dataclasses.replace`` (the input is never
changed); ``describe()`` says what the edit does in one line; ``touched(network)`` names the
component ids whose behaviour the edit changes (the incremental re-trace recomputes only the paths
that visited one of them).

Every edit is something AWS lets a person do to an account (``vpctui.render.changes`` prints the AWS
CLI command and a Terraform / CloudFormation / scenario snippet for each); vpctui itself never
changes an account. An edit that cannot apply (the component is not in the network, the route
already exists) raises ``EditError`` with a one-line message.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field, replace
from typing import ClassVar, Iterable, Optional, Sequence

from ..model.network import (
    EndpointEni, LambdaFunction, NaclEntry, Network, NetworkAcl, PortRange, PrivateHostedZone,
    Resource, Role, Route, RouteTable, SecurityGroup, SgRule, Subnet, Vpc, VpcEndpoint,
)
from ..model.policy import Policy, PolicyError
from ..model.route_targets import route_target_kind
from ..model.services import managed_prefix_list_id, managed_prefix_list_name


class EditError(ValueError):
    """An edit that does not fit the network (a missing component, a duplicate rule)."""


# --------------------------------------------------------------------------------------------------
# helpers


def _get(net: Network, cid: str, kind: type, noun: str):
    obj = net.get(cid)
    if not isinstance(obj, kind):
        raise EditError(f"{noun} {cid} is not in the network")
    return obj


def _swap(items: tuple, old, new) -> tuple:
    return tuple(new if x is old else x for x in items)


def _replace_component(net: Network, field_name: str, old, new) -> Network:
    return replace(net, **{field_name: _swap(getattr(net, field_name), old, new)})


def _ports_text(p: PortRange) -> str:
    return str(p)


def _proto_text(protocol: str, ports: PortRange) -> str:
    if protocol == "-1":
        return "all traffic"
    if protocol == "icmp":
        return "ICMP"
    return f"{protocol.upper()} {_ports_text(ports)}"


def _vpc_of(net: Network, component) -> Optional[str]:
    return getattr(component, "vpc_id", None)


# --------------------------------------------------------------------------------------------------
# The edit kinds


@dataclass(frozen=True)
class Edit:
    """Base of every edit. Subclasses set ``kind`` and implement the three methods."""

    kind: ClassVar[str] = ""

    def apply_to(self, net: Network) -> Network:  # pragma: no cover - abstract
        raise NotImplementedError

    def describe(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def touched(self, net: Network) -> frozenset[str]:  # pragma: no cover - abstract
        raise NotImplementedError

    def to_dict(self) -> dict:
        d = {"kind": self.kind, "description": self.describe()}
        for f in self.__dataclass_fields__.values():  # type: ignore[attr-defined]
            v = getattr(self, f.name)
            d[f.name] = _plain(v)
        return d


def _plain(v):
    if isinstance(v, (SgRule, NaclEntry, PortRange)):
        return {k: _plain(getattr(v, k)) for k in v.__dataclass_fields__}  # type: ignore[attr-defined]
    if isinstance(v, tuple):
        return [_plain(x) for x in v]
    return v


@dataclass(frozen=True)
class AddRoute(Edit):
    route_table_id: str
    destination: str  # CIDR or prefix-list id
    target: str
    kind: ClassVar[str] = "add-route"

    def apply_to(self, net: Network) -> Network:
        rt = _get(net, self.route_table_id, RouteTable, "route table")
        if any(r.destination == self.destination for r in rt.routes):
            raise EditError(f"{self.route_table_id} already has a route for {self.destination}")
        if self.target != "local" and route_target_kind(self.target) is None:
            raise EditError(f"{self.target} is not a route target (igw-, nat-, vpce-, pcx-, tgw-, ...)")
        new = replace(rt, routes=rt.routes + (Route(self.destination, self.target),))
        return _replace_component(net, "route_tables", rt, new)

    def describe(self) -> str:
        return f"add the route {self.destination} → {self.target} to {self.route_table_id}"

    def touched(self, net: Network) -> frozenset[str]:
        return frozenset({self.route_table_id})


@dataclass(frozen=True)
class RemoveRoute(Edit):
    route_table_id: str
    destination: str
    kind: ClassVar[str] = "remove-route"

    def apply_to(self, net: Network) -> Network:
        rt = _get(net, self.route_table_id, RouteTable, "route table")
        keep = tuple(r for r in rt.routes if r.destination != self.destination)
        if len(keep) == len(rt.routes):
            raise EditError(f"{self.route_table_id} has no route for {self.destination}")
        return _replace_component(net, "route_tables", rt, replace(rt, routes=keep))

    def describe(self) -> str:
        return f"remove the route for {self.destination} from {self.route_table_id}"

    def touched(self, net: Network) -> frozenset[str]:
        return frozenset({self.route_table_id})


@dataclass(frozen=True)
class ReplaceRoute(Edit):
    """Point an existing route (a blackhole, a wrong target) at another target."""

    route_table_id: str
    destination: str
    target: str
    kind: ClassVar[str] = "replace-route"

    def apply_to(self, net: Network) -> Network:
        rt = _get(net, self.route_table_id, RouteTable, "route table")
        old = next((r for r in rt.routes if r.destination == self.destination), None)
        if old is None:
            raise EditError(f"{self.route_table_id} has no route for {self.destination}")
        new = replace(rt, routes=_swap(rt.routes, old, Route(self.destination, self.target)))
        return _replace_component(net, "route_tables", rt, new)

    def describe(self) -> str:
        return f"point the route {self.destination} in {self.route_table_id} at {self.target}"

    def touched(self, net: Network) -> frozenset[str]:
        return frozenset({self.route_table_id})


def _gateway_endpoint(net: Network, eid: str) -> VpcEndpoint:
    ep = _get(net, eid, VpcEndpoint, "VPC endpoint")
    if not ep.is_gateway:
        raise EditError(f"{eid} is an interface endpoint: it is associated with subnets, not route tables")
    return ep


@dataclass(frozen=True)
class AssociateGatewayEndpoint(Edit):
    """Associate a gateway endpoint with a route table (AWS adds the prefix-list route)."""

    vpc_endpoint_id: str
    route_table_id: str
    kind: ClassVar[str] = "associate-gateway-endpoint"

    def apply_to(self, net: Network) -> Network:
        ep = _gateway_endpoint(net, self.vpc_endpoint_id)
        rt = _get(net, self.route_table_id, RouteTable, "route table")
        if rt.vpc_id != ep.vpc_id:
            raise EditError(f"{self.route_table_id} is in {rt.vpc_id}, {self.vpc_endpoint_id} in {ep.vpc_id}")
        if self.route_table_id in ep.route_table_ids:
            raise EditError(f"{self.vpc_endpoint_id} is already associated with {self.route_table_id}")
        plid = managed_prefix_list_id(ep.service, ep.region)
        out = _replace_component(net, "vpc_endpoints", ep,
                                 replace(ep, route_table_ids=ep.route_table_ids + (self.route_table_id,)))
        if not any(r.destination == plid for r in rt.routes):
            out = _replace_component(out, "route_tables", rt, replace(rt, routes=rt.routes + (Route(plid, ep.vpc_endpoint_id),)))
        if out.get(plid) is None:
            from ..model.network import PrefixList

            out = replace(out, prefix_lists=out.prefix_lists + (
                PrefixList(plid, managed_prefix_list_name(ep.service, ep.region), managed=True),))
        return out

    def describe(self) -> str:
        return f"associate the gateway endpoint {self.vpc_endpoint_id} with route table {self.route_table_id}"

    def touched(self, net: Network) -> frozenset[str]:
        return frozenset({self.route_table_id, self.vpc_endpoint_id})


@dataclass(frozen=True)
class DisassociateGatewayEndpoint(Edit):
    vpc_endpoint_id: str
    route_table_id: str
    kind: ClassVar[str] = "disassociate-gateway-endpoint"

    def apply_to(self, net: Network) -> Network:
        ep = _gateway_endpoint(net, self.vpc_endpoint_id)
        rt = _get(net, self.route_table_id, RouteTable, "route table")
        if self.route_table_id not in ep.route_table_ids:
            raise EditError(f"{self.vpc_endpoint_id} is not associated with {self.route_table_id}")
        out = _replace_component(net, "vpc_endpoints", ep, replace(
            ep, route_table_ids=tuple(r for r in ep.route_table_ids if r != self.route_table_id)))
        keep = tuple(r for r in rt.routes if r.target != ep.vpc_endpoint_id)
        return _replace_component(out, "route_tables", rt, replace(rt, routes=keep))

    def describe(self) -> str:
        return f"disassociate the gateway endpoint {self.vpc_endpoint_id} from route table {self.route_table_id}"

    def touched(self, net: Network) -> frozenset[str]:
        return frozenset({self.route_table_id, self.vpc_endpoint_id})


def _interface_endpoint(net: Network, eid: str) -> VpcEndpoint:
    ep = _get(net, eid, VpcEndpoint, "VPC endpoint")
    if not ep.is_interface:
        raise EditError(f"{eid} is a gateway endpoint: it is associated with route tables, not subnets")
    return ep


def _free_address(net: Network, subnet: Subnet) -> str:
    """A free address in the subnet for a new endpoint ENI (AWS picks one; vpctui never prints it)."""
    taken = {h.private_ip for h in net.hosts} | {n.private_ip for n in net.nat_gateways if n.private_ip}
    taken |= {x.private_ip for e in net.vpc_endpoints for x in e.enis}
    cidr = ipaddress.ip_network(subnet.cidr_block or "")
    for i in list(range(200, cidr.num_addresses - 1)) + list(range(4, 200)):
        if i < cidr.num_addresses - 1 and str(cidr[i]) not in taken:
            return str(cidr[i])
    raise EditError(f"{subnet.subnet_id} has no free address for an endpoint network interface")


@dataclass(frozen=True)
class AddEndpointSubnet(Edit):
    """Add a subnet to an interface endpoint (AWS creates an endpoint ENI in it)."""

    vpc_endpoint_id: str
    subnet_id: str
    kind: ClassVar[str] = "add-endpoint-subnet"

    def apply_to(self, net: Network) -> Network:
        ep = _interface_endpoint(net, self.vpc_endpoint_id)
        sub = _get(net, self.subnet_id, Subnet, "subnet")
        if sub.vpc_id != ep.vpc_id:
            raise EditError(f"{self.subnet_id} is in {sub.vpc_id}, {self.vpc_endpoint_id} in {ep.vpc_id}")
        if self.subnet_id in ep.subnet_ids or any(x.subnet_id == self.subnet_id for x in ep.enis):
            raise EditError(f"{self.vpc_endpoint_id} already has a network interface in {self.subnet_id}")
        if any(getattr(net.get(x.subnet_id), "availability_zone", None) == sub.availability_zone for x in ep.enis):
            raise EditError(f"{self.vpc_endpoint_id} already has a subnet in {sub.availability_zone} (one per AZ)")
        if sub.cidr_block is None:
            raise EditError(f"{self.subnet_id} has no IPv4 CIDR")
        eni = EndpointEni(self.subnet_id, _free_address(net, sub))
        new = replace(ep, subnet_ids=ep.subnet_ids + (self.subnet_id,), enis=ep.enis + (eni,))
        return _replace_component(net, "vpc_endpoints", ep, new)

    def describe(self) -> str:
        return f"add subnet {self.subnet_id} to the interface endpoint {self.vpc_endpoint_id}"

    def touched(self, net: Network) -> frozenset[str]:
        ep = net.get(self.vpc_endpoint_id)
        return frozenset({self.vpc_endpoint_id, self.subnet_id} | ({ep.vpc_id} if ep is not None else set()))


@dataclass(frozen=True)
class RemoveEndpointSubnet(Edit):
    vpc_endpoint_id: str
    subnet_id: str
    kind: ClassVar[str] = "remove-endpoint-subnet"

    def apply_to(self, net: Network) -> Network:
        ep = _interface_endpoint(net, self.vpc_endpoint_id)
        if self.subnet_id not in ep.subnet_ids and not any(x.subnet_id == self.subnet_id for x in ep.enis):
            raise EditError(f"{self.vpc_endpoint_id} has no network interface in {self.subnet_id}")
        new = replace(ep, subnet_ids=tuple(s for s in ep.subnet_ids if s != self.subnet_id),
                      enis=tuple(x for x in ep.enis if x.subnet_id != self.subnet_id))
        return _replace_component(net, "vpc_endpoints", ep, new)

    def describe(self) -> str:
        return f"remove subnet {self.subnet_id} from the interface endpoint {self.vpc_endpoint_id}"

    def touched(self, net: Network) -> frozenset[str]:
        ep = net.get(self.vpc_endpoint_id)
        return frozenset({self.vpc_endpoint_id, self.subnet_id} | ({ep.vpc_id} if ep is not None else set()))


@dataclass(frozen=True)
class SetEndpointPrivateDns(Edit):
    vpc_endpoint_id: str
    enabled: bool = True
    kind: ClassVar[str] = "set-endpoint-private-dns"

    def apply_to(self, net: Network) -> Network:
        ep = _interface_endpoint(net, self.vpc_endpoint_id)
        if ep.private_dns_enabled == self.enabled:
            raise EditError(f"private DNS is already {'on' if self.enabled else 'off'} on {self.vpc_endpoint_id}")
        return _replace_component(net, "vpc_endpoints", ep, replace(ep, private_dns_enabled=self.enabled))

    def describe(self) -> str:
        return f"turn private DNS {'on' if self.enabled else 'off'} on the interface endpoint {self.vpc_endpoint_id}"

    def touched(self, net: Network) -> frozenset[str]:
        ep = net.get(self.vpc_endpoint_id)
        return frozenset({self.vpc_endpoint_id} | ({ep.vpc_id} if ep is not None else set()))


def _sg_rule_text(direction: str, r: SgRule) -> str:
    return f"{direction} {_proto_text(r.protocol, r.ports)} {'to' if direction == 'egress' else 'from'} {r.peer}"


@dataclass(frozen=True)
class AddSgRule(Edit):
    group_id: str
    direction: str  # ingress | egress
    rule: SgRule
    kind: ClassVar[str] = "add-sg-rule"

    def apply_to(self, net: Network) -> Network:
        g = _get(net, self.group_id, SecurityGroup, "security group")
        if self.direction not in ("ingress", "egress"):
            raise EditError(f"direction {self.direction!r} must be ingress or egress")
        rules = getattr(g, self.direction)
        if self.rule in rules:
            raise EditError(f"{self.group_id} already has the {self.direction} rule {self.rule.describe()}")
        return _replace_component(net, "security_groups", g, replace(g, **{self.direction: rules + (self.rule,)}))

    def describe(self) -> str:
        return f"allow {_sg_rule_text(self.direction, self.rule)} in {self.group_id}"

    def touched(self, net: Network) -> frozenset[str]:
        return frozenset({self.group_id})


@dataclass(frozen=True)
class RemoveSgRule(Edit):
    group_id: str
    direction: str
    rule: SgRule
    kind: ClassVar[str] = "remove-sg-rule"

    def apply_to(self, net: Network) -> Network:
        g = _get(net, self.group_id, SecurityGroup, "security group")
        rules = getattr(g, self.direction)
        if self.rule not in rules:
            raise EditError(f"{self.group_id} has no {self.direction} rule {self.rule.describe()}")
        return _replace_component(net, "security_groups", g,
                                  replace(g, **{self.direction: tuple(r for r in rules if r != self.rule)}))

    def describe(self) -> str:
        return f"revoke {_sg_rule_text(self.direction, self.rule)} in {self.group_id}"

    def touched(self, net: Network) -> frozenset[str]:
        return frozenset({self.group_id})


@dataclass(frozen=True)
class AddNaclEntry(Edit):
    network_acl_id: str
    entry: NaclEntry
    kind: ClassVar[str] = "add-nacl-entry"

    def apply_to(self, net: Network) -> Network:
        acl = _get(net, self.network_acl_id, NetworkAcl, "network ACL")
        e = self.entry
        if any(x.rule_number == e.rule_number and x.egress == e.egress for x in acl.entries):
            raise EditError(f"{self.network_acl_id} already has {'outbound' if e.egress else 'inbound'} rule {e.rule_number}")
        if not 1 <= e.rule_number <= 32766:
            raise EditError(f"rule number {e.rule_number} must be 1-32766")
        # the model keeps entries in evaluation order: (direction, rule number)
        entries = tuple(sorted(acl.entries + (e,), key=lambda x: (x.egress, x.rule_number)))
        return _replace_component(net, "network_acls", acl, replace(acl, entries=entries))

    def describe(self) -> str:
        e = self.entry
        side = "outbound" if e.egress else "inbound"
        return (f"add {side} rule {e.rule_number} {e.rule_action} {_proto_text(e.protocol, e.ports)} "
                f"{'to' if e.egress else 'from'} {e.cidr_block} to {self.network_acl_id}")

    def touched(self, net: Network) -> frozenset[str]:
        return frozenset({self.network_acl_id})


@dataclass(frozen=True)
class RemoveNaclEntry(Edit):
    network_acl_id: str
    egress: bool
    rule_number: int
    kind: ClassVar[str] = "remove-nacl-entry"

    def apply_to(self, net: Network) -> Network:
        acl = _get(net, self.network_acl_id, NetworkAcl, "network ACL")
        keep = tuple(x for x in acl.entries if not (x.rule_number == self.rule_number and x.egress == self.egress))
        if len(keep) == len(acl.entries):
            raise EditError(f"{self.network_acl_id} has no {'outbound' if self.egress else 'inbound'} rule {self.rule_number}")
        return _replace_component(net, "network_acls", acl, replace(acl, entries=keep))

    def describe(self) -> str:
        return f"delete {'outbound' if self.egress else 'inbound'} rule {self.rule_number} from {self.network_acl_id}"

    def touched(self, net: Network) -> frozenset[str]:
        return frozenset({self.network_acl_id})


def _zone(net: Network, zone: str) -> PrivateHostedZone:
    for z in net.private_hosted_zones:
        if zone in (z.hosted_zone_id, z.name, z.name.rstrip(".")) and zone:
            return z
    raise EditError(f"private hosted zone {zone} is not in the network")


@dataclass(frozen=True)
class AssociateHostedZone(Edit):
    zone: str  # hosted zone id or name
    vpc_id: str
    kind: ClassVar[str] = "associate-hosted-zone"

    def apply_to(self, net: Network) -> Network:
        z = _zone(net, self.zone)
        _get(net, self.vpc_id, Vpc, "VPC")
        if self.vpc_id in z.vpc_ids:
            raise EditError(f"{z.name} is already associated with {self.vpc_id}")
        return _replace_component(net, "private_hosted_zones", z, replace(z, vpc_ids=z.vpc_ids + (self.vpc_id,)))

    def describe(self) -> str:
        return f"associate the private hosted zone {self.zone} with {self.vpc_id}"

    def touched(self, net: Network) -> frozenset[str]:
        return frozenset({self.vpc_id})


@dataclass(frozen=True)
class DisassociateHostedZone(Edit):
    zone: str
    vpc_id: str
    kind: ClassVar[str] = "disassociate-hosted-zone"

    def apply_to(self, net: Network) -> Network:
        z = _zone(net, self.zone)
        if self.vpc_id not in z.vpc_ids:
            raise EditError(f"{z.name} is not associated with {self.vpc_id}")
        return _replace_component(net, "private_hosted_zones", z,
                                  replace(z, vpc_ids=tuple(v for v in z.vpc_ids if v != self.vpc_id)))

    def describe(self) -> str:
        return f"disassociate the private hosted zone {self.zone} from {self.vpc_id}"

    def touched(self, net: Network) -> frozenset[str]:
        return frozenset({self.vpc_id})


@dataclass(frozen=True)
class AddHostedZoneRecord(Edit):
    zone: str
    name: str
    address: str
    kind: ClassVar[str] = "add-hosted-zone-record"

    def apply_to(self, net: Network) -> Network:
        z = _zone(net, self.zone)
        if any(k == self.name for k, _ in z.records):
            raise EditError(f"{z.name} already has a record for {self.name}")
        try:
            ipaddress.ip_address(self.address)
        except ValueError:
            raise EditError(f"{self.address!r} is not an IP address") from None
        return _replace_component(net, "private_hosted_zones", z, replace(z, records=z.records + ((self.name, self.address),)))

    def describe(self) -> str:
        return f"add an A record {self.name} → {self.address} to the private hosted zone {self.zone}"

    def touched(self, net: Network) -> frozenset[str]:
        vpcs = frozenset(_zone(net, self.zone).vpc_ids) if any(
            self.zone in (z.hosted_zone_id, z.name) for z in net.private_hosted_zones) else frozenset()
        return vpcs | {self.zone}


_VPC_ATTRS = {"enableDnsSupport": "enable_dns_support", "enableDnsHostnames": "enable_dns_hostnames"}


@dataclass(frozen=True)
class SetVpcDnsAttribute(Edit):
    vpc_id: str
    attribute: str  # enableDnsSupport | enableDnsHostnames
    value: bool = True
    kind: ClassVar[str] = "set-vpc-dns-attribute"

    def apply_to(self, net: Network) -> Network:
        vpc = _get(net, self.vpc_id, Vpc, "VPC")
        fname = _VPC_ATTRS.get(self.attribute)
        if fname is None:
            raise EditError(f"attribute {self.attribute!r} must be enableDnsSupport or enableDnsHostnames")
        if getattr(vpc, fname) == self.value:
            raise EditError(f"{self.attribute} is already {str(self.value).lower()} on {self.vpc_id}")
        out = _replace_component(net, "vpcs", vpc, replace(vpc, **{fname: self.value}))
        # an attribute a live load could not read is now known
        gone = {f"{self.vpc_id}:{self.attribute}"}
        if any(u.kind in gone for u in out.unknowns):
            out = replace(out, unknowns=tuple(u for u in out.unknowns if u.kind not in gone))
        return out

    def describe(self) -> str:
        return f"set {self.attribute}={str(self.value).lower()} on {self.vpc_id}"

    def touched(self, net: Network) -> frozenset[str]:
        return frozenset({self.vpc_id})


@dataclass(frozen=True)
class SetFunctionVpcConfig(Edit):
    """Move a function to other subnets (and, optionally, other security groups)."""

    function_name: str
    subnet_ids: tuple[str, ...]
    security_group_ids: Optional[tuple[str, ...]] = None  # None: keep the function's groups
    kind: ClassVar[str] = "set-function-vpc-config"

    def apply_to(self, net: Network) -> Network:
        fn = net.function_by_name.get(self.function_name)
        if fn is None:
            raise EditError(f"function {self.function_name} is not in the network")
        for sid in self.subnet_ids:
            _get(net, sid, Subnet, "subnet")
        vpcs = {net.get(s).vpc_id for s in self.subnet_ids}  # type: ignore[union-attr]
        if len(vpcs) > 1:
            raise EditError("a function's subnets must all be in one VPC")
        sgs = fn.security_group_ids if self.security_group_ids is None else self.security_group_ids
        if not self.subnet_ids:
            sgs = ()  # out of the VPC: Lambda drops the security groups with the subnets
        for g in sgs:
            grp = _get(net, g, SecurityGroup, "security group")
            if vpcs and grp.vpc_id not in vpcs:
                raise EditError(f"{g} is in {grp.vpc_id}, not in the subnets' VPC")
        new = replace(fn, subnet_ids=tuple(self.subnet_ids), security_group_ids=tuple(sgs))
        return _replace_component(net, "functions", fn, new)

    def describe(self) -> str:
        where = ", ".join(self.subnet_ids) or "no VPC"
        sg = f" with security groups {', '.join(self.security_group_ids)}" if self.security_group_ids is not None else ""
        return f"move {self.function_name} to {where}{sg}"

    def touched(self, net: Network) -> frozenset[str]:
        return frozenset({self.function_name})


@dataclass(frozen=True)
class SetFunctionIpv6(Edit):
    function_name: str
    enabled: bool = True
    kind: ClassVar[str] = "set-function-ipv6"

    def apply_to(self, net: Network) -> Network:
        fn = net.function_by_name.get(self.function_name)
        if fn is None:
            raise EditError(f"function {self.function_name} is not in the network")
        return _replace_component(net, "functions", fn, replace(fn, ipv6_allowed_for_dual_stack=self.enabled))

    def describe(self) -> str:
        return f"set Ipv6AllowedForDualStack={str(self.enabled).lower()} on {self.function_name}"

    def touched(self, net: Network) -> frozenset[str]:
        return frozenset({self.function_name})


# ---- policies -----------------------------------------------------------------------------------


def policy_owner(net: Network, owner: str, index: int = 0):
    """(collection, component, policy) for a policy named by its owner: a resource ARN or name, a
    VPC endpoint id, or a role ARN or name (``index`` picks among a role's policies)."""
    obj = net.get(owner)
    if isinstance(obj, VpcEndpoint):
        if obj.policy is None:
            raise EditError(f"{owner} has the default (full access) policy: nothing to remove")
        return "vpc_endpoints", obj, obj.policy
    for r in net.resources:
        if owner in (r.arn, r.name):
            if r.policy is None:
                raise EditError(f"{r.name} has no resource policy")
            return "resources", r, r.policy
    role = net.role_by_key.get(owner)
    if role is not None:
        if not 0 <= index < len(role.policies):
            raise EditError(f"{role.role_name} has no policy #{index}")
        return "roles", role, role.policies[index]
    raise EditError(f"no policy owner {owner} in the network (a resource, a VPC endpoint or a role)")


def _with_policy(net: Network, owner: str, index: int, doc: dict) -> Network:
    coll, comp, old = policy_owner(net, owner, index)
    try:
        pol = Policy.from_document(doc, name=old.name)
    except PolicyError as e:
        raise EditError(f"the edited policy is not valid: {e}") from None
    if isinstance(comp, Role):
        pols = tuple(pol if i == index else p for i, p in enumerate(comp.policies))
        new = replace(comp, policies=pols)
    else:
        new = replace(comp, policy=pol)
    return _replace_component(net, coll, comp, new)


def _statements(doc: dict) -> list:
    st = doc.get("Statement")
    return [st] if isinstance(st, dict) else list(st or [])


def _find_statement(doc: dict, statement: str) -> int:
    stmts = _statements(doc)
    for i, s in enumerate(stmts):
        if isinstance(s, dict) and s.get("Sid") == statement and statement:
            return i
    if statement.isdigit() and int(statement) < len(stmts):
        return int(statement)
    raise EditError(f"the policy has no statement {statement!r} (a Sid or an index)")


def _owner_touch(net: Network, owner: str) -> frozenset[str]:
    obj = net.get(owner)
    out = {owner}
    if obj is None:
        for r in net.resources:
            if owner in (r.arn, r.name):
                out |= {r.arn, r.name}
        role = net.role_by_key.get(owner)
        if role is not None:
            out |= {role.arn, role.role_name}
    return frozenset(out)


@dataclass(frozen=True)
class RemovePolicyStatement(Edit):
    owner: str  # resource ARN/name, vpce id, role ARN/name
    statement: str  # Sid, or the statement's index as text
    policy_index: int = 0  # which of a role's policies
    kind: ClassVar[str] = "remove-policy-statement"

    def apply_to(self, net: Network) -> Network:
        _, _, pol = policy_owner(net, self.owner, self.policy_index)
        doc = pol.to_document()
        i = _find_statement(doc, self.statement)
        stmts = _statements(doc)
        del stmts[i]
        doc = dict(doc, Statement=stmts)
        return _with_policy(net, self.owner, self.policy_index, doc)

    def describe(self) -> str:
        what = f"statement {self.statement}" if not self.statement.isdigit() else f"statement #{self.statement}"
        return f"remove {what} from the policy of {self.owner}"

    def touched(self, net: Network) -> frozenset[str]:
        return _owner_touch(net, self.owner)


@dataclass(frozen=True)
class RemovePolicyCondition(Edit):
    owner: str
    statement: str
    key: str  # condition key, e.g. aws:SourceVpce
    operator: str = ""  # "" = every operator on that key
    policy_index: int = 0
    kind: ClassVar[str] = "remove-policy-condition"

    def apply_to(self, net: Network) -> Network:
        _, _, pol = policy_owner(net, self.owner, self.policy_index)
        doc = pol.to_document()
        i = _find_statement(doc, self.statement)
        stmts = _statements(doc)
        s = dict(stmts[i])
        cond = {op: dict(kv) for op, kv in (s.get("Condition") or {}).items()}
        found = False
        for op in list(cond):
            if self.operator and op != self.operator:
                continue
            for k in list(cond[op]):
                if k.lower() == self.key.lower():
                    del cond[op][k]
                    found = True
            if not cond[op]:
                del cond[op]
        if not found:
            raise EditError(f"statement {self.statement} of {self.owner}'s policy has no condition on {self.key}")
        if cond:
            s["Condition"] = cond
        else:
            s.pop("Condition", None)
        stmts[i] = s
        return _with_policy(net, self.owner, self.policy_index, dict(doc, Statement=stmts))

    def describe(self) -> str:
        op = f"{self.operator} " if self.operator else ""
        return f"remove the condition {op}{self.key} from statement {self.statement} of {self.owner}'s policy"

    def touched(self, net: Network) -> frozenset[str]:
        return _owner_touch(net, self.owner)


@dataclass(frozen=True)
class AddPolicyConditionValue(Edit):
    """Add a value to a condition (e.g. another VPC endpoint id to aws:SourceVpce)."""

    owner: str
    statement: str
    key: str
    value: str
    operator: str = ""
    policy_index: int = 0
    kind: ClassVar[str] = "add-policy-condition-value"

    def apply_to(self, net: Network) -> Network:
        _, _, pol = policy_owner(net, self.owner, self.policy_index)
        doc = pol.to_document()
        i = _find_statement(doc, self.statement)
        stmts = _statements(doc)
        s = dict(stmts[i])
        cond = {op: dict(kv) for op, kv in (s.get("Condition") or {}).items()}
        for op, kv in cond.items():
            if self.operator and op != self.operator:
                continue
            for k, v in kv.items():
                if k.lower() == self.key.lower():
                    vals = [v] if isinstance(v, str) else list(v)
                    if self.value in vals:
                        raise EditError(f"{self.key} already lists {self.value}")
                    kv[k] = vals + [self.value]
                    s["Condition"] = cond
                    stmts[i] = s
                    return _with_policy(net, self.owner, self.policy_index, dict(doc, Statement=stmts))
        raise EditError(f"statement {self.statement} of {self.owner}'s policy has no condition on {self.key}")

    def describe(self) -> str:
        return f"add {self.value} to the {self.key} values of statement {self.statement} in {self.owner}'s policy"

    def touched(self, net: Network) -> frozenset[str]:
        return _owner_touch(net, self.owner)


@dataclass(frozen=True)
class AddPolicyStatement(Edit):
    """Append a statement (a JSON-able mapping) to a policy: an Allow the role lacks."""

    owner: str
    statement_json: str  # the statement as JSON text (kept as text so the edit stays hashable)
    policy_index: int = 0
    kind: ClassVar[str] = "add-policy-statement"

    def apply_to(self, net: Network) -> Network:
        import json

        _, _, pol = policy_owner(net, self.owner, self.policy_index)
        doc = pol.to_document()
        stmts = _statements(doc) + [json.loads(self.statement_json)]
        return _with_policy(net, self.owner, self.policy_index, dict(doc, Statement=stmts))

    def describe(self) -> str:
        import json

        s = json.loads(self.statement_json)
        return f"add a statement ({s.get('Effect')} {s.get('Action')} on {s.get('Resource')}) to the policy of {self.owner}"

    def touched(self, net: Network) -> frozenset[str]:
        return _owner_touch(net, self.owner)


EDIT_KINDS: tuple[type[Edit], ...] = (
    AddRoute, RemoveRoute, ReplaceRoute, AssociateGatewayEndpoint, DisassociateGatewayEndpoint,
    AddEndpointSubnet, RemoveEndpointSubnet, SetEndpointPrivateDns, AddSgRule, RemoveSgRule,
    AddNaclEntry, RemoveNaclEntry, AssociateHostedZone, DisassociateHostedZone, AddHostedZoneRecord,
    SetVpcDnsAttribute, SetFunctionVpcConfig, SetFunctionIpv6, RemovePolicyStatement,
    RemovePolicyCondition, AddPolicyConditionValue, AddPolicyStatement,
)


# --------------------------------------------------------------------------------------------------
# applying edits, and fixes


def apply(network: Network, edits: Iterable[Edit]) -> Network:
    """A new network with ``edits`` applied in order. Raises EditError; ``network`` is unchanged.

    The lookups the engine builds once per network value (``by_id``, the route table of each
    subnet, ...) are carried over from ``network`` where the edits left them valid, with the
    replaced components swapped in, so the first trace after an edit does not rebuild them
    (``carry_indices``)."""
    net = network
    for e in edits:
        net = e.apply_to(net)
    if net is not network:
        carry_indices(network, net)
    return net


# Index (a cached property of Network, or an engine cache on the value) -> the Network fields it is
# built from. "patch": dict values that are components are swapped for their replacements;
# "keep": the index holds derived values, carried only when none of its fields changed.
_INDICES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("by_id", ("vpcs", "subnets", "route_tables", "internet_gateways", "egress_only_internet_gateways",
               "nat_gateways", "vpc_endpoints", "prefix_lists", "security_groups", "network_acls", "hosts",
               "peering_connections"), "patch"),
    ("function_by_name", ("functions",), "patch"),
    ("role_by_key", ("roles",), "patch"),
    ("resource_by_key", ("resources",), "patch"),
    ("main_route_table", ("route_tables",), "patch"),
    ("route_table_of_subnet", ("route_tables", "subnets"), "patch"),
    ("nacl_of_subnet", ("network_acls", "subnets"), "patch"),
    ("default_sg", ("security_groups",), "patch"),
    ("subnets_of_vpc", ("subnets",), "keep"),
    ("unknown_by_kind", ("unknowns",), "keep"),
    ("_ip_owner", ("hosts", "vpc_endpoints", "nat_gateways", "subnets"), "keep"),
    ("_hosts_by_dns", ("hosts",), "keep"),
    ("_endpoints_by_vpc", ("vpc_endpoints",), "keep"),
)
# association fields: an index that maps subnets to tables is only patched when they did not change
_STRUCTURE = {"route_tables": ("route_table_id", "subnet_ids", "main", "vpc_id"),
              "network_acls": ("network_acl_id", "subnet_ids", "is_default", "vpc_id"),
              "security_groups": ("group_id", "is_default", "vpc_id")}


def carry_indices(old: Network, new: Network) -> None:
    """Give ``new`` the indices of ``old`` that are still right for it (see ``apply``)."""
    cached = old.__dict__
    if not cached:
        return
    swap: dict[int, object] = {}
    changed: set[str] = set()
    reshaped: set[str] = set()  # fields whose members (ids, associations) changed
    for f in new.__dataclass_fields__:  # type: ignore[attr-defined]
        a, b = getattr(old, f), getattr(new, f)
        if a is b:
            continue
        changed.add(f)
        if not (isinstance(a, tuple) and isinstance(b, tuple)) or len(a) != len(b):
            reshaped.add(f)
            continue
        keys = _STRUCTURE.get(f)
        for x, y in zip(a, b):
            if x is not y:
                swap[id(x)] = y
                if keys and any(getattr(x, k) != getattr(y, k) for k in keys):
                    reshaped.add(f)
                elif not keys and type(x) is not type(y):
                    reshaped.add(f)
    target = new.__dict__
    for name, fields, how in _INDICES:
        got = cached.get(name)
        if got is None or name in target:
            continue
        touched_fields = changed.intersection(fields)
        if not touched_fields:
            target[name] = got
        elif how == "patch" and not reshaped.intersection(fields):
            d = dict(got)
            for k, v in got.items():
                r = swap.get(id(v))
                if r is not None:
                    d[k] = r
            target[name] = d
    rc = cached.get("_route_cache")
    if rc is not None:
        if "route_tables" in changed or "prefix_lists" in reshaped:
            old_ids = {id(x) for x in old.route_tables}
            gone = {x.route_table_id for x in old.route_tables if id(x) in swap} if old_ids else set()
            target["_route_cache"] = {k: v for k, v in rc.items() if k not in gone}
        else:
            target["_route_cache"] = dict(rc)


def touched(network: Network, edits: Iterable[Edit]) -> frozenset[str]:
    """Every component id the edits change (names in ``network`` before the edits)."""
    out: set[str] = set()
    for e in edits:
        out |= e.touched(network)
    return frozenset(out)


@dataclass(frozen=True)
class Fix:
    """A fix as the engine gives it: the text a person reads and the edits that make it.

    ``edits`` is empty for a fix vpctui cannot express as a change of the network model (give the
    role ec2:CreateNetworkInterface, free addresses in a subnet); ``why_text_only`` then says why.
    """

    text: str
    edits: tuple[Edit, ...] = ()
    why_text_only: str = ""

    @property
    def applicable(self) -> bool:
        return bool(self.edits)

    def to_dict(self) -> dict:
        d = {"text": self.text, "edits": [e.to_dict() for e in self.edits]}
        if self.why_text_only:
            d["text_only"] = self.why_text_only
        return d


@dataclass(frozen=True)
class Change:
    """One entry of the change list: the edits of one action (a fix, a form) and its label."""

    label: str
    edits: tuple[Edit, ...]


@dataclass(frozen=True)
class ChangeList:
    """Changes made one after another, with undo and redo (the TUI's change list). Each entry keeps
    the network after it, so undo and redo never re-apply anything."""

    base: Network
    done: tuple[Change, ...] = ()
    undone: tuple[Change, ...] = ()  # most recently undone last
    networks: tuple[Network, ...] = field(default=(), compare=False, repr=False)
    redo_networks: tuple[Network, ...] = field(default=(), compare=False, repr=False)

    @property
    def network(self) -> Network:
        return self.networks[-1] if self.networks else self.base

    @property
    def edits(self) -> tuple[Edit, ...]:
        return tuple(e for c in self.done for e in c.edits)

    def add(self, edits: Sequence[Edit], label: str = "") -> "ChangeList":
        """The list with one more change (raises EditError; the redo list is cleared)."""
        net = apply(self.network, edits)
        change = Change(label or "; ".join(e.describe() for e in edits), tuple(edits))
        return ChangeList(self.base, self.done + (change,), (), self.networks + (net,), ())

    def undo(self) -> "ChangeList":
        if not self.done:
            return self
        return ChangeList(self.base, self.done[:-1], self.undone + (self.done[-1],), self.networks[:-1],
                          self.redo_networks + (self.networks[-1],))

    def redo(self) -> "ChangeList":
        if not self.undone:
            return self
        return ChangeList(self.base, self.done + (self.undone[-1],), self.undone[:-1],
                          self.networks + (self.redo_networks[-1],), self.redo_networks[:-1])


def function_of(net: Network, name: str) -> LambdaFunction:
    fn = net.function_by_name.get(name)
    if fn is None:
        raise EditError(f"function {name} is not in the network")
    return fn


def resource_of(net: Network, key: str) -> Optional[Resource]:
    for r in net.resources:
        if key in (r.arn, r.name):
            return r
    return None
