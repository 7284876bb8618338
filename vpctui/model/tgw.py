"""Transit gateways: the gateway, its attachments, its route tables (AWS's own terms).

A transit gateway (TGW) is a Regional router. A VPC joins it through a VPC attachment that names
one subnet per Availability Zone (the attachment's ENIs live there). Each attachment is associated
with at most one TGW route table: the table that routes the packets *entering* the TGW from that
attachment. An attachment may propagate its routes (a VPC's CIDRs) into any number of TGW route
tables. Static routes point at an attachment or are blackholes.

Pages: https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html,
https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html,
https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class TransitGateway:
    transit_gateway_id: str
    owner_id: str = ""
    state: str = "available"
    # Options (DescribeTransitGateways Options.*): new attachments are associated with / propagate
    # to the default route tables when these are on.
    default_route_table_association: bool = True
    default_route_table_propagation: bool = True
    association_default_route_table_id: str = ""
    propagation_default_route_table_id: str = ""
    dns_support: bool = True
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or self.transit_gateway_id


# resource types of attachments (DescribeTransitGatewayAttachments ResourceType)
VPC = "vpc"
FOLLOWED_RESOURCE_TYPES = (VPC,)


@dataclass(frozen=True)
class TgwAttachment:
    transit_gateway_attachment_id: str
    transit_gateway_id: str
    resource_type: str = VPC  # vpc | vpn | direct-connect-gateway | peering | connect | network-function
    resource_id: str = ""  # the VPC id for a VPC attachment, else the VPN/DX gateway/peering id
    subnet_ids: tuple[str, ...] = ()  # VPC attachments: one subnet per AZ
    appliance_mode_support: bool = False
    dns_support: bool = True
    state: str = "available"
    resource_owner_id: str = ""
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or self.transit_gateway_attachment_id

    @property
    def is_vpc(self) -> bool:
        return self.resource_type == VPC

    @property
    def vpc_id(self) -> Optional[str]:
        return self.resource_id if self.is_vpc else None


@dataclass(frozen=True)
class TgwRoute:
    destination_cidr_block: str  # an IPv4/IPv6 CIDR (prefix-list references are resolved to CIDRs)
    attachment_id: Optional[str] = None  # None for a blackhole
    state: str = "active"  # active | blackhole
    route_type: str = "static"  # static | propagated

    @property
    def is_blackhole(self) -> bool:
        return self.state == "blackhole" or self.attachment_id is None

    def describe(self) -> str:
        s = f"{self.destination_cidr_block} → {self.attachment_id or 'blackhole'}"
        if self.state == "blackhole" and self.attachment_id:
            s += " (blackhole)"
        if self.route_type == "propagated":
            s += " [propagated]"
        return s


@dataclass(frozen=True)
class TgwRouteTable:
    transit_gateway_route_table_id: str
    transit_gateway_id: str
    routes: tuple[TgwRoute, ...] = ()  # static and propagated routes
    associations: tuple[str, ...] = ()  # attachment ids (an attachment is in at most one table)
    propagations: tuple[str, ...] = ()  # attachment ids whose routes propagate here
    default_association_route_table: bool = False
    default_propagation_route_table: bool = False
    state: str = "available"
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or self.transit_gateway_route_table_id
