"""What-if edits of settings: private hosted zones, a VPC's DNS attributes, a function's VPC
configuration (the edit kinds; ``edits.py`` is the public API)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, replace
from typing import ClassVar, Optional

from ..model.network import LambdaFunction, Network, PrivateHostedZone, SecurityGroup, Subnet, Vpc
from .edit_base import Edit, EditError, get_component, replace_component


def find_zone(net: Network, zone: str) -> PrivateHostedZone:
    """The private hosted zone named by its id or its name (with or without the final dot)."""
    for z in net.private_hosted_zones:
        if zone in (z.hosted_zone_id, z.name, z.name.rstrip(".")) and zone:
            return z
    raise EditError(f"private hosted zone {zone} is not in the network")


def function_of(net: Network, name: str) -> LambdaFunction:
    fn = net.function_by_name.get(name)
    if fn is None:
        raise EditError(f"function {name} is not in the network")
    return fn


# ---- private hosted zones ------------------------------------------------------------------------


@dataclass(frozen=True)
class AssociateHostedZone(Edit):
    zone: str  # hosted zone id or name
    vpc_id: str
    kind: ClassVar[str] = "associate-hosted-zone"
    text: ClassVar[str] = "associate the private hosted zone {zone} with {vpc_id}"
    touches: ClassVar[tuple[str, ...]] = ("vpc_id",)

    def apply_to(self, net: Network) -> Network:
        z = find_zone(net, self.zone)
        get_component(net, self.vpc_id, Vpc, "VPC")
        if self.vpc_id in z.vpc_ids:
            raise EditError(f"{z.name} is already associated with {self.vpc_id}")
        return replace_component(net, "private_hosted_zones", z, replace(z, vpc_ids=z.vpc_ids + (self.vpc_id,)))


@dataclass(frozen=True)
class DisassociateHostedZone(Edit):
    zone: str
    vpc_id: str
    kind: ClassVar[str] = "disassociate-hosted-zone"
    text: ClassVar[str] = "disassociate the private hosted zone {zone} from {vpc_id}"
    touches: ClassVar[tuple[str, ...]] = ("vpc_id",)

    def apply_to(self, net: Network) -> Network:
        z = find_zone(net, self.zone)
        if self.vpc_id not in z.vpc_ids:
            raise EditError(f"{z.name} is not associated with {self.vpc_id}")
        return replace_component(net, "private_hosted_zones", z,
                                 replace(z, vpc_ids=tuple(v for v in z.vpc_ids if v != self.vpc_id)))


@dataclass(frozen=True)
class AddHostedZoneRecord(Edit):
    zone: str
    name: str
    address: str
    kind: ClassVar[str] = "add-hosted-zone-record"
    text: ClassVar[str] = "add an A record {name} → {address} to the private hosted zone {zone}"

    def apply_to(self, net: Network) -> Network:
        z = find_zone(net, self.zone)
        if any(k == self.name for k, _ in z.records):
            raise EditError(f"{z.name} already has a record for {self.name}")
        try:
            ipaddress.ip_address(self.address)
        except ValueError:
            raise EditError(f"{self.address!r} is not an IP address") from None
        return replace_component(net, "private_hosted_zones", z, replace(z, records=z.records + ((self.name, self.address),)))

    def touched(self, net: Network) -> frozenset[str]:
        vpcs = frozenset(find_zone(net, self.zone).vpc_ids) if any(
            self.zone in (z.hosted_zone_id, z.name) for z in net.private_hosted_zones) else frozenset()
        return vpcs | {self.zone}


# ---- VPC DNS attributes --------------------------------------------------------------------------


_VPC_ATTRS = {"enableDnsSupport": "enable_dns_support", "enableDnsHostnames": "enable_dns_hostnames"}


@dataclass(frozen=True)
class SetVpcDnsAttribute(Edit):
    vpc_id: str
    attribute: str  # enableDnsSupport | enableDnsHostnames
    value: bool = True
    kind: ClassVar[str] = "set-vpc-dns-attribute"
    touches: ClassVar[tuple[str, ...]] = ("vpc_id",)

    def apply_to(self, net: Network) -> Network:
        vpc = get_component(net, self.vpc_id, Vpc, "VPC")
        fname = _VPC_ATTRS.get(self.attribute)
        if fname is None:
            raise EditError(f"attribute {self.attribute!r} must be enableDnsSupport or enableDnsHostnames")
        if getattr(vpc, fname) == self.value:
            raise EditError(f"{self.attribute} is already {str(self.value).lower()} on {self.vpc_id}")
        out = replace_component(net, "vpcs", vpc, replace(vpc, **{fname: self.value}))
        # an attribute a live load could not read is now known
        gone = {f"{self.vpc_id}:{self.attribute}"}
        if any(u.kind in gone for u in out.unknowns):
            out = replace(out, unknowns=tuple(u for u in out.unknowns if u.kind not in gone))
        return out

    def describe(self) -> str:
        return f"set {self.attribute}={str(self.value).lower()} on {self.vpc_id}"


# ---- functions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SetFunctionVpcConfig(Edit):
    """Move a function to other subnets (and, optionally, other security groups)."""

    function_name: str
    subnet_ids: tuple[str, ...]
    security_group_ids: Optional[tuple[str, ...]] = None  # None: keep the function's groups
    kind: ClassVar[str] = "set-function-vpc-config"
    touches: ClassVar[tuple[str, ...]] = ("function_name",)

    def apply_to(self, net: Network) -> Network:
        fn = function_of(net, self.function_name)
        for sid in self.subnet_ids:
            get_component(net, sid, Subnet, "subnet")
        vpcs = {net.get(s).vpc_id for s in self.subnet_ids}  # type: ignore[union-attr]
        if len(vpcs) > 1:
            raise EditError("a function's subnets must all be in one VPC")
        sgs = fn.security_group_ids if self.security_group_ids is None else self.security_group_ids
        if not self.subnet_ids:
            sgs = ()  # out of the VPC: Lambda drops the security groups with the subnets
        for g in sgs:
            grp = get_component(net, g, SecurityGroup, "security group")
            if vpcs and grp.vpc_id not in vpcs:
                raise EditError(f"{g} is in {grp.vpc_id}, not in the subnets' VPC")
        new = replace(fn, subnet_ids=tuple(self.subnet_ids), security_group_ids=tuple(sgs))
        return replace_component(net, "functions", fn, new)

    def describe(self) -> str:
        where = ", ".join(self.subnet_ids) or "no VPC"
        sg = f" with security groups {', '.join(self.security_group_ids)}" if self.security_group_ids is not None else ""
        return f"move {self.function_name} to {where}{sg}"


@dataclass(frozen=True)
class SetFunctionIpv6(Edit):
    function_name: str
    enabled: bool = True
    kind: ClassVar[str] = "set-function-ipv6"
    touches: ClassVar[tuple[str, ...]] = ("function_name",)

    def apply_to(self, net: Network) -> Network:
        fn = function_of(net, self.function_name)
        return replace_component(net, "functions", fn, replace(fn, ipv6_allowed_for_dual_stack=self.enabled))

    def describe(self) -> str:
        return f"set Ipv6AllowedForDualStack={str(self.enabled).lower()} on {self.function_name}"
