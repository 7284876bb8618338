"""What-if edits of where traffic goes: routes, gateway endpoints' route tables, interface endpoints'
subnets and private DNS (the edit kinds; ``edits.py`` is the public API)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, replace
from typing import ClassVar

from ..model.network import EndpointEni, Network, PrefixList, Route, RouteTable, Subnet, VpcEndpoint
from ..model.route_targets import route_target_kind
from ..model.services import managed_prefix_list_id, managed_prefix_list_name
from .edit_base import Edit, EditError, get_component, replace_component, swap


def _route_table(net: Network, rid: str) -> RouteTable:
    return get_component(net, rid, RouteTable, "route table")


@dataclass(frozen=True)
class AddRoute(Edit):
    route_table_id: str
    destination: str  # CIDR or prefix-list id
    target: str
    kind: ClassVar[str] = "add-route"
    text: ClassVar[str] = "add the route {destination} → {target} to {route_table_id}"
    touches: ClassVar[tuple[str, ...]] = ("route_table_id",)

    def apply_to(self, net: Network) -> Network:
        rt = _route_table(net, self.route_table_id)
        if any(r.destination == self.destination for r in rt.routes):
            raise EditError(f"{self.route_table_id} already has a route for {self.destination}")
        if self.target != "local" and route_target_kind(self.target) is None:
            raise EditError(f"{self.target} is not a route target (igw-, nat-, vpce-, pcx-, tgw-, ...)")
        new = replace(rt, routes=rt.routes + (Route(self.destination, self.target),))
        return replace_component(net, "route_tables", rt, new)


@dataclass(frozen=True)
class RemoveRoute(Edit):
    route_table_id: str
    destination: str
    kind: ClassVar[str] = "remove-route"
    text: ClassVar[str] = "remove the route for {destination} from {route_table_id}"
    touches: ClassVar[tuple[str, ...]] = ("route_table_id",)

    def apply_to(self, net: Network) -> Network:
        rt = _route_table(net, self.route_table_id)
        keep = tuple(r for r in rt.routes if r.destination != self.destination)
        if len(keep) == len(rt.routes):
            raise EditError(f"{self.route_table_id} has no route for {self.destination}")
        return replace_component(net, "route_tables", rt, replace(rt, routes=keep))


@dataclass(frozen=True)
class ReplaceRoute(Edit):
    """Point an existing route (a blackhole, a wrong target) at another target."""

    route_table_id: str
    destination: str
    target: str
    kind: ClassVar[str] = "replace-route"
    text: ClassVar[str] = "point the route {destination} in {route_table_id} at {target}"
    touches: ClassVar[tuple[str, ...]] = ("route_table_id",)

    def apply_to(self, net: Network) -> Network:
        rt = _route_table(net, self.route_table_id)
        old = next((r for r in rt.routes if r.destination == self.destination), None)
        if old is None:
            raise EditError(f"{self.route_table_id} has no route for {self.destination}")
        new = replace(rt, routes=swap(rt.routes, old, Route(self.destination, self.target)))
        return replace_component(net, "route_tables", rt, new)


# ---- gateway endpoints: associated with route tables ---------------------------------------------


def _gateway_endpoint(net: Network, eid: str) -> VpcEndpoint:
    ep = get_component(net, eid, VpcEndpoint, "VPC endpoint")
    if not ep.is_gateway:
        raise EditError(f"{eid} is an interface endpoint: it is associated with subnets, not route tables")
    return ep


@dataclass(frozen=True)
class AssociateGatewayEndpoint(Edit):
    """Associate a gateway endpoint with a route table (AWS adds the prefix-list route)."""

    vpc_endpoint_id: str
    route_table_id: str
    kind: ClassVar[str] = "associate-gateway-endpoint"
    text: ClassVar[str] = "associate the gateway endpoint {vpc_endpoint_id} with route table {route_table_id}"
    touches: ClassVar[tuple[str, ...]] = ("route_table_id", "vpc_endpoint_id")

    def apply_to(self, net: Network) -> Network:
        ep = _gateway_endpoint(net, self.vpc_endpoint_id)
        rt = _route_table(net, self.route_table_id)
        if rt.vpc_id != ep.vpc_id:
            raise EditError(f"{self.route_table_id} is in {rt.vpc_id}, {self.vpc_endpoint_id} in {ep.vpc_id}")
        if self.route_table_id in ep.route_table_ids:
            raise EditError(f"{self.vpc_endpoint_id} is already associated with {self.route_table_id}")
        plid = managed_prefix_list_id(ep.service, ep.region)
        out = replace_component(net, "vpc_endpoints", ep,
                                replace(ep, route_table_ids=ep.route_table_ids + (self.route_table_id,)))
        if not any(r.destination == plid for r in rt.routes):
            out = replace_component(out, "route_tables", rt, replace(rt, routes=rt.routes + (Route(plid, ep.vpc_endpoint_id),)))
        if out.get(plid) is None:
            out = replace(out, prefix_lists=out.prefix_lists + (
                PrefixList(plid, managed_prefix_list_name(ep.service, ep.region), managed=True),))
        return out


@dataclass(frozen=True)
class DisassociateGatewayEndpoint(Edit):
    vpc_endpoint_id: str
    route_table_id: str
    kind: ClassVar[str] = "disassociate-gateway-endpoint"
    text: ClassVar[str] = "disassociate the gateway endpoint {vpc_endpoint_id} from route table {route_table_id}"
    touches: ClassVar[tuple[str, ...]] = ("route_table_id", "vpc_endpoint_id")

    def apply_to(self, net: Network) -> Network:
        ep = _gateway_endpoint(net, self.vpc_endpoint_id)
        rt = _route_table(net, self.route_table_id)
        if self.route_table_id not in ep.route_table_ids:
            raise EditError(f"{self.vpc_endpoint_id} is not associated with {self.route_table_id}")
        out = replace_component(net, "vpc_endpoints", ep, replace(
            ep, route_table_ids=tuple(r for r in ep.route_table_ids if r != self.route_table_id)))
        keep = tuple(r for r in rt.routes if r.target != ep.vpc_endpoint_id)
        return replace_component(out, "route_tables", rt, replace(rt, routes=keep))


# ---- interface endpoints: ENIs in subnets, private DNS in the VPC --------------------------------


def _interface_endpoint(net: Network, eid: str) -> VpcEndpoint:
    ep = get_component(net, eid, VpcEndpoint, "VPC endpoint")
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
class _InterfaceEndpointEdit(Edit):
    """An interface endpoint edit also changes what names resolve to in the endpoint's VPC."""

    def touched(self, net: Network) -> frozenset[str]:
        ep = net.get(self.vpc_endpoint_id)  # type: ignore[attr-defined]
        return super().touched(net) | ({ep.vpc_id} if ep is not None else set())


@dataclass(frozen=True)
class AddEndpointSubnet(_InterfaceEndpointEdit):
    """Add a subnet to an interface endpoint (AWS creates an endpoint ENI in it)."""

    vpc_endpoint_id: str
    subnet_id: str
    kind: ClassVar[str] = "add-endpoint-subnet"
    text: ClassVar[str] = "add subnet {subnet_id} to the interface endpoint {vpc_endpoint_id}"
    touches: ClassVar[tuple[str, ...]] = ("vpc_endpoint_id", "subnet_id")

    def apply_to(self, net: Network) -> Network:
        ep = _interface_endpoint(net, self.vpc_endpoint_id)
        sub = get_component(net, self.subnet_id, Subnet, "subnet")
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
        return replace_component(net, "vpc_endpoints", ep, new)


@dataclass(frozen=True)
class RemoveEndpointSubnet(_InterfaceEndpointEdit):
    vpc_endpoint_id: str
    subnet_id: str
    kind: ClassVar[str] = "remove-endpoint-subnet"
    text: ClassVar[str] = "remove subnet {subnet_id} from the interface endpoint {vpc_endpoint_id}"
    touches: ClassVar[tuple[str, ...]] = ("vpc_endpoint_id", "subnet_id")

    def apply_to(self, net: Network) -> Network:
        ep = _interface_endpoint(net, self.vpc_endpoint_id)
        if self.subnet_id not in ep.subnet_ids and not any(x.subnet_id == self.subnet_id for x in ep.enis):
            raise EditError(f"{self.vpc_endpoint_id} has no network interface in {self.subnet_id}")
        new = replace(ep, subnet_ids=tuple(s for s in ep.subnet_ids if s != self.subnet_id),
                      enis=tuple(x for x in ep.enis if x.subnet_id != self.subnet_id))
        return replace_component(net, "vpc_endpoints", ep, new)


@dataclass(frozen=True)
class SetEndpointPrivateDns(_InterfaceEndpointEdit):
    vpc_endpoint_id: str
    enabled: bool = True
    kind: ClassVar[str] = "set-endpoint-private-dns"
    touches: ClassVar[tuple[str, ...]] = ("vpc_endpoint_id",)

    def apply_to(self, net: Network) -> Network:
        ep = _interface_endpoint(net, self.vpc_endpoint_id)
        if ep.private_dns_enabled == self.enabled:
            raise EditError(f"private DNS is already {'on' if self.enabled else 'off'} on {self.vpc_endpoint_id}")
        return replace_component(net, "vpc_endpoints", ep, replace(ep, private_dns_enabled=self.enabled))

    def describe(self) -> str:
        return f"turn private DNS {'on' if self.enabled else 'off'} on the interface endpoint {self.vpc_endpoint_id}"
