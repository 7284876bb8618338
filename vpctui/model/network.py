"""The network model: frozen dataclasses named with AWS's own terms.

Nothing here touches files, the network, YAML, Rich or Textual. A change is a new value
(``dataclasses.replace``), never a mutation. Lookups that the engine needs often are built once per
``Network`` value and cached on it (``functools.cached_property`` writes to the instance ``__dict__``
directly, so it works on frozen dataclasses).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import cached_property
from typing import Optional

from .policy import Policy
from .tgw import TgwAttachment, TgwRouteTable, TransitGateway

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_net(text: str) -> IPNetwork:
    return ipaddress.ip_network(text, strict=False)


# --------------------------------------------------------------------------------------------------
# Filters


@dataclass(frozen=True)
class PortRange:
    from_port: int = 0
    to_port: int = 65535

    def contains(self, port: int) -> bool:
        return self.from_port <= port <= self.to_port

    def covers(self, other: "PortRange") -> bool:
        return self.from_port <= other.from_port and other.to_port <= self.to_port

    def __str__(self) -> str:
        if self.from_port == 0 and self.to_port == 65535:
            return "all"
        if self.from_port == self.to_port:
            return str(self.from_port)
        return f"{self.from_port}-{self.to_port}"


ALL_PORTS = PortRange(0, 65535)
EPHEMERAL = PortRange(1024, 65535)


@dataclass(frozen=True)
class SgRule:
    """One security-group rule. Exactly one of cidr / prefix_list_id / group_id is set."""

    protocol: str = "-1"  # "-1" (all), "tcp", "udp", "icmp"
    ports: PortRange = ALL_PORTS
    cidr: Optional[str] = None
    prefix_list_id: Optional[str] = None
    group_id: Optional[str] = None
    description: str = ""

    @property
    def peer(self) -> str:
        return self.cidr or self.prefix_list_id or self.group_id or "?"

    def describe(self) -> str:
        proto = "all traffic" if self.protocol == "-1" else f"{self.protocol.upper()} {self.ports}"
        return f"{proto} {self.peer}"


@dataclass(frozen=True)
class SecurityGroup:
    group_id: str
    vpc_id: str
    group_name: str = ""
    description: str = ""
    ingress: tuple[SgRule, ...] = ()
    egress: tuple[SgRule, ...] = ()
    is_default: bool = False
    tags: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        return self.group_name or self.group_id


@dataclass(frozen=True)
class NaclEntry:
    rule_number: int
    egress: bool
    rule_action: str  # "allow" | "deny"
    protocol: str = "-1"
    ports: PortRange = ALL_PORTS
    cidr_block: str = "0.0.0.0/0"

    def describe(self) -> str:
        proto = "all" if self.protocol == "-1" else f"{self.protocol.upper()} {self.ports}"
        return f"{self.rule_number} {self.rule_action} {proto} {self.cidr_block}"


@dataclass(frozen=True)
class NetworkAcl:
    network_acl_id: str
    vpc_id: str
    is_default: bool = False
    entries: tuple[NaclEntry, ...] = ()
    subnet_ids: tuple[str, ...] = ()
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or self.network_acl_id


# --------------------------------------------------------------------------------------------------
# VPC structure


@dataclass(frozen=True)
class DhcpOptions:
    dhcp_options_id: str = ""
    domain_name_servers: tuple[str, ...] = ("AmazonProvidedDNS",)
    # Does a custom resolver forward amazonaws.com to the Amazon DNS server (DNS-6)?
    forwards_to_amazon_dns: bool = True

    @property
    def uses_amazon_dns(self) -> bool:
        return not self.domain_name_servers or "AmazonProvidedDNS" in self.domain_name_servers


@dataclass(frozen=True)
class DnsFirewall:
    """Route 53 Resolver DNS Firewall on one VPC (DNS-5), reduced to what decides a lookup."""

    blocked_domains: tuple[str, ...] = ()
    response: str = "NXDOMAIN"  # NXDOMAIN | NODATA | OVERRIDE
    fail_mode: str = "closed"  # closed | open
    impaired: bool = False


@dataclass(frozen=True)
class Vpc:
    vpc_id: str
    cidr_blocks: tuple[str, ...]
    ipv6_cidr_blocks: tuple[str, ...] = ()
    enable_dns_support: bool = True
    enable_dns_hostnames: bool = False
    dhcp_options: DhcpOptions = DhcpOptions()
    dns_firewall: Optional[DnsFirewall] = None
    name: str = ""
    is_default: bool = False
    tags: tuple[tuple[str, str], ...] = ()
    owner_id: str = ""  # the owning account (several accounts in one network); "" = the network's

    @property
    def label(self) -> str:
        return self.name or self.vpc_id

    @cached_property
    def networks(self) -> tuple[IPNetwork, ...]:
        return tuple(parse_net(c) for c in self.cidr_blocks + self.ipv6_cidr_blocks)

    def contains(self, ip) -> bool:
        return any(ip.version == n.version and ip in n for n in self.networks)

    def network_of(self, ip) -> Optional[IPNetwork]:
        """The CIDR block of the VPC that holds ``ip``, or None."""
        return next((n for n in self.networks if n.version == ip.version and ip in n), None)


@dataclass(frozen=True)
class Subnet:
    subnet_id: str
    vpc_id: str
    availability_zone: str
    cidr_block: Optional[str]
    ipv6_cidr_block: Optional[str] = None
    map_public_ip_on_launch: bool = False
    available_ip_address_count: Optional[int] = None
    name: str = ""
    tags: tuple[tuple[str, str], ...] = ()
    owner_id: str = ""  # the owning account: a RAM-shared subnet is its owner's, not the sharer's

    @property
    def label(self) -> str:
        return self.name or self.subnet_id

    @cached_property
    def networks(self) -> tuple[IPNetwork, ...]:
        return tuple(parse_net(c) for c in (self.cidr_block, self.ipv6_cidr_block) if c)

    @property
    def ipv6_only(self) -> bool:
        return self.cidr_block is None and self.ipv6_cidr_block is not None

    @property
    def dual_stack(self) -> bool:
        return self.cidr_block is not None and self.ipv6_cidr_block is not None

    def contains(self, ip) -> bool:
        return any(ip.version == n.version and ip in n for n in self.networks)


@dataclass(frozen=True)
class Route:
    destination: str  # IPv4 CIDR, IPv6 CIDR or a prefix-list id (pl-...)
    target: str  # "local", igw-, nat-, vpce-, pcx-, tgw-, eni-, i-, vgw-, eigw-
    state: str = "active"  # active | blackhole
    origin: str = "static"  # static | propagated

    @property
    def is_prefix_list(self) -> bool:
        return self.destination.startswith("pl-")

    def describe(self) -> str:
        s = f"{self.destination} → {self.target}"
        if self.state != "active":
            s += f" ({self.state})"
        if self.origin == "propagated":
            s += " [propagated]"
        return s


@dataclass(frozen=True)
class RouteTable:
    route_table_id: str
    vpc_id: str
    routes: tuple[Route, ...] = ()
    subnet_ids: tuple[str, ...] = ()  # explicit associations
    main: bool = False
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or self.route_table_id


@dataclass(frozen=True)
class InternetGateway:
    internet_gateway_id: str
    vpc_id: Optional[str]  # None when detached
    name: str = ""


@dataclass(frozen=True)
class EgressOnlyInternetGateway:
    egress_only_internet_gateway_id: str
    vpc_id: Optional[str]
    name: str = ""


@dataclass(frozen=True)
class NatGateway:
    nat_gateway_id: str
    subnet_id: str
    connectivity_type: str = "public"  # public | private
    state: str = "available"
    public_ip: Optional[str] = None  # the Elastic IP (public NAT only)
    private_ip: Optional[str] = None
    name: str = ""


@dataclass(frozen=True)
class EndpointEni:
    subnet_id: str
    private_ip: str
    network_interface_id: str = ""
    # True when the input gave no address and the loader picked a free one to trace with: AWS
    # assigns it, so output names it for what it is, never as a fact (LAMBDA-9)
    address_assigned: bool = False


@dataclass(frozen=True)
class VpcEndpoint:
    vpc_endpoint_id: str
    vpc_id: str
    service_name: str  # com.amazonaws.<region>.<service>
    vpc_endpoint_type: str = "Gateway"  # Gateway | Interface
    state: str = "available"
    route_table_ids: tuple[str, ...] = ()
    subnet_ids: tuple[str, ...] = ()
    enis: tuple[EndpointEni, ...] = ()
    security_group_ids: tuple[str, ...] = ()
    private_dns_enabled: bool = False
    # S3 interface endpoints: DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint (EP-9). True (the
    # default when an S3 gateway endpoint exists) keeps in-VPC callers on the gateway endpoint.
    private_dns_only_for_inbound_resolver_endpoint: bool = True
    policy: Optional[Policy] = None  # None: the default full-access policy
    name: str = ""

    @property
    def is_gateway(self) -> bool:
        return self.vpc_endpoint_type.lower() == "gateway"

    @property
    def is_interface(self) -> bool:
        return self.vpc_endpoint_type.lower() == "interface"

    @property
    def is_gateway_load_balancer(self) -> bool:
        """A Gateway Load Balancer endpoint (also what AWS Network Firewall's endpoints are)."""
        return self.vpc_endpoint_type.lower() == "gatewayloadbalancer"

    @property
    def service(self) -> str:
        """The short service name: com.amazonaws.us-east-1.s3 -> s3."""
        parts = self.service_name.split(".")
        return ".".join(parts[3:]) if len(parts) > 3 else parts[-1]

    @property
    def region(self) -> str:
        parts = self.service_name.split(".")
        return parts[2] if len(parts) > 3 else ""

    @property
    def label(self) -> str:
        return self.name or self.vpc_endpoint_id


@dataclass(frozen=True)
class PrefixList:
    prefix_list_id: str
    prefix_list_name: str
    cidrs: tuple[str, ...] = ()
    managed: bool = False  # AWS-managed (com.amazonaws.<region>.<service>)

    @property
    def service_key(self) -> Optional[tuple[str, str]]:
        """(service, region) for an AWS-managed service list, else None."""
        parts = self.prefix_list_name.split(".")
        if len(parts) >= 4 and parts[0] == "com" and parts[1] == "amazonaws":
            return (".".join(parts[3:]), parts[2])
        return None

    @cached_property
    def networks(self) -> tuple[IPNetwork, ...]:
        return tuple(parse_net(c) for c in self.cidrs)


@dataclass(frozen=True)
class Host:
    """Something with an address in a VPC: an EC2 instance, an RDS instance, a bare ENI."""

    host_id: str
    subnet_id: str
    private_ip: str
    kind: str = "ec2"  # ec2 | rds | eni | other
    name: str = ""
    security_group_ids: tuple[str, ...] = ()
    ports: tuple[int, ...] = ()  # listening ports; empty = unknown (not checked)
    dns_name: str = ""
    public_ip: Optional[str] = None
    # False on NAT instances and appliances: the ENI forwards traffic not addressed to it
    source_dest_check: bool = True
    network_interface_id: str = ""  # the ENI id when the host is an instance (i-…) with a known ENI

    @property
    def label(self) -> str:
        return self.name or self.host_id


@dataclass(frozen=True)
class PeeringConnection:
    vpc_peering_connection_id: str
    requester_vpc_id: str
    accepter_vpc_id: str
    status: str = "active"
    allow_dns_resolution: bool = False
    name: str = ""

    def peer_of(self, vpc_id: str) -> Optional[str]:
        if vpc_id == self.requester_vpc_id:
            return self.accepter_vpc_id
        if vpc_id == self.accepter_vpc_id:
            return self.requester_vpc_id
        return None


@dataclass(frozen=True)
class PrivateHostedZone:
    name: str  # example.com
    vpc_ids: tuple[str, ...]
    records: tuple[tuple[str, str], ...] = ()  # (fqdn, address)
    hosted_zone_id: str = ""


@dataclass(frozen=True)
class ExternalHost:
    """A name outside AWS that the scenario says exists (DNS-10): vpctui knows no internet DNS."""

    name: str  # api.stripe.com, or *.example.com for every name under it
    cidrs: tuple[str, ...] = ()  # where the user knows it: its published address ranges
    prefix_list_id: str = ""  # or a customer-managed prefix list that holds them

    def matches(self, hostname: str) -> bool:
        n = self.name.lower().rstrip(".")
        if n.startswith("*."):
            return hostname.endswith(n[1:])
        return hostname == n


@dataclass(frozen=True)
class BlockPublicAccess:
    mode: str = "off"  # off | bidirectional | ingress
    exclusions: tuple[str, ...] = ()  # vpc or subnet ids


# --------------------------------------------------------------------------------------------------
# Compute and resources


@dataclass(frozen=True)
class LambdaFunction:
    function_name: str
    role: str = ""  # role ARN or name
    subnet_ids: tuple[str, ...] = ()
    security_group_ids: tuple[str, ...] = ()
    ipv6_allowed_for_dual_stack: bool = False
    timeout: float = 3.0
    runtime: str = ""
    # How the SDK picks the STS hostname: "regional" or "legacy" (the global name); "" = the SDK's
    # default (SDK-2). AWS_STS_REGIONAL_ENDPOINTS in ``environment`` says the same.
    sts_regional_endpoints: str = ""
    state: str = "Active"
    state_reason_code: str = ""  # e.g. EC2AccessDeniedException when ENI setup failed
    arn: str = ""
    # The SDK the code uses (boto3, js-v3, js-v2, java-v2, ...; "" = the runtime's bundled SDK) and
    # the environment variables that change its endpoints (SDK-1..SDK-5)
    sdk: str = ""
    environment: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Role:
    role_name: str
    arn: str
    policies: tuple[Policy, ...] = ()
    error: Optional[str] = None  # why the policies could not be read (live accounts)
    # the role's permissions boundary: an identity Allow counts only where it also allows (POL-9)
    permissions_boundary: Optional[Policy] = None
    # a session policy passed when the role was assumed (Lambda passes none; for other callers)
    session_policy: Optional[Policy] = None
    boundary_error: Optional[str] = None  # why the boundary could not be read (live accounts)

    @property
    def account_id(self) -> str:
        parts = self.arn.split(":")
        return parts[4] if len(parts) > 4 else ""


@dataclass(frozen=True)
class Resource:
    """A named AWS resource that can be a target: bucket, parameter, table, secret, queue, ..."""

    service: str  # s3 | ssm | dynamodb | secretsmanager | sqs | ...
    name: str
    region: str
    arn: str
    policy: Optional[Policy] = None
    policy_error: Optional[str] = None  # why the policy could not be read (live accounts)
    objects: tuple[str, ...] = ()  # S3 object keys worth offering as targets
    account_id: str = ""  # the owner: another account needs both its policy and the caller's (POL-10)
    # the customer managed KMS key that encrypts it (a SecureString parameter, a secret), as the
    # key's ARN; "" when none or an AWS managed key. Its policy is Resource(service="kms", name=ARN).
    kms_key_arn: str = ""
    # False when a live load could not learn the ARN (a secret's ARN ends in six random characters
    # only DescribeSecret/GetResourcePolicy tell): identity policies cannot be matched against it
    arn_known: bool = True
    # the ARN lacks the six random characters AWS appends to a secret's name (POL-7): a scenario
    # secret without arn:, whose suffix policies are matched against as AWS's -?????? form
    arn_partial: bool = False


@dataclass(frozen=True)
class Unknown:
    """Something a loader could not read; traces through it say 'unknown' and why."""

    kind: str  # a collection ("network_acls") or a component id
    reason: str  # e.g. "ec2:DescribeNetworkAcls: AccessDenied"
    action: str = ""  # the API call (IAM action) that could not be read, when a loader knows it

    @property
    def title(self) -> str:
        """What could not be read, in words: "network ACLs", "the entries of pl-0abc"."""
        k = self.kind
        if k in UNKNOWN_PART_NAMES:
            return UNKNOWN_PART_NAMES[k]
        if ":" in k and k.startswith("vpc-"):
            vid, _, attr = k.partition(":")
            return f"the {attr} attribute of {vid}"
        if k.startswith("pl-"):
            return f"the entries of prefix list {k}"
        if k.startswith("vpce-"):
            return f"the policy of {k}"
        if k.startswith("arn:") and k.endswith(":kms"):
            return f"the KMS key of {k[:-4]}"
        if k.startswith("arn:") and ":role/" in k:
            return f"the policies of role {k.rsplit('/', 1)[-1]}"
        if k.startswith("arn:"):
            return f"the policy of {k}"
        return k


# The collections a live load reads, as the user would name them (Unknown.title).
UNKNOWN_PART_NAMES = {
    "vpcs": "VPCs", "dhcp_options": "DHCP option sets", "subnets": "subnets", "route_tables": "route tables",
    "internet_gateways": "internet gateways", "egress_only_internet_gateways": "egress-only internet gateways",
    "nat_gateways": "NAT gateways", "vpc_endpoints": "VPC endpoints", "prefix_lists": "managed prefix lists",
    "security_groups": "security groups", "network_acls": "network ACLs", "network_interfaces": "network interfaces",
    "vpc_peering_connections": "VPC peering connections", "lambda_functions": "Lambda functions",
    "resource_policies": "resource policies of targets not asked about",
}


@dataclass(frozen=True)
class Expectation:
    source: str
    target: str
    verdict: Optional[str] = None
    symptom: Optional[str] = None
    reason: Optional[str] = None
    component_id: Optional[str] = None
    line: int = 0


# --------------------------------------------------------------------------------------------------
# The whole network


@dataclass(frozen=True)
class Network:
    region: str = "us-east-1"
    account_id: str = "111122223333"
    name: str = ""
    description: str = ""
    source: str = ""  # file path or "aws:<account>/<region>"
    vpcs: tuple[Vpc, ...] = ()
    subnets: tuple[Subnet, ...] = ()
    route_tables: tuple[RouteTable, ...] = ()
    internet_gateways: tuple[InternetGateway, ...] = ()
    egress_only_internet_gateways: tuple[EgressOnlyInternetGateway, ...] = ()
    nat_gateways: tuple[NatGateway, ...] = ()
    vpc_endpoints: tuple[VpcEndpoint, ...] = ()
    prefix_lists: tuple[PrefixList, ...] = ()
    security_groups: tuple[SecurityGroup, ...] = ()
    network_acls: tuple[NetworkAcl, ...] = ()
    hosts: tuple[Host, ...] = ()
    peering_connections: tuple[PeeringConnection, ...] = ()
    private_hosted_zones: tuple[PrivateHostedZone, ...] = ()
    transit_gateways: tuple[TransitGateway, ...] = ()
    transit_gateway_attachments: tuple[TgwAttachment, ...] = ()
    transit_gateway_route_tables: tuple[TgwRouteTable, ...] = ()
    external_hosts: tuple[ExternalHost, ...] = ()
    block_public_access: BlockPublicAccess = BlockPublicAccess()
    functions: tuple[LambdaFunction, ...] = ()
    roles: tuple[Role, ...] = ()
    resources: tuple[Resource, ...] = ()
    targets: tuple[str, ...] = ()  # targets offered in the matrix / picker
    notes: tuple[str, ...] = ()  # what a reader should know (e.g. where vpctui follows AWS over a source)
    expectations: tuple[Expectation, ...] = ()
    unknowns: tuple[Unknown, ...] = ()
    # what a loader accepted but a reader should check, one line each (FILE:LINE: KEY.PATH: message)
    warnings: tuple[str, ...] = ()
    # AWS Organizations policies over the caller's account (SCPs) and the resources' account (RCPs),
    # POL-11; None: not known (a live account that could not read them), (): none apply
    service_control_policies: Optional[tuple[Policy, ...]] = ()
    resource_control_policies: Optional[tuple[Policy, ...]] = ()
    # Where each component was written: (AWS id, function or resource name) -> the input's own name
    # for it (a Terraform address, a CloudFormation logical id with file and line). Empty for
    # scenario files and live accounts.
    sources: tuple[tuple[str, str], ...] = ()

    # ---- indices (built once per value) ---------------------------------------------------------

    @cached_property
    def by_id(self) -> dict[str, object]:
        idx: dict[str, object] = {}
        for v in self.vpcs:
            idx[v.vpc_id] = v
        for s in self.subnets:
            idx[s.subnet_id] = s
        for r in self.route_tables:
            idx[r.route_table_id] = r
        for g in self.internet_gateways:
            idx[g.internet_gateway_id] = g
        for g in self.egress_only_internet_gateways:
            idx[g.egress_only_internet_gateway_id] = g
        for n in self.nat_gateways:
            idx[n.nat_gateway_id] = n
        for e in self.vpc_endpoints:
            idx[e.vpc_endpoint_id] = e
        for p in self.prefix_lists:
            idx[p.prefix_list_id] = p
        for g in self.security_groups:
            idx[g.group_id] = g
        for a in self.network_acls:
            idx[a.network_acl_id] = a
        for h in self.hosts:
            idx[h.host_id] = h
        for p in self.peering_connections:
            idx[p.vpc_peering_connection_id] = p
        for t in self.transit_gateways:
            idx[t.transit_gateway_id] = t
        for a in self.transit_gateway_attachments:
            idx[a.transit_gateway_attachment_id] = a
        for r in self.transit_gateway_route_tables:
            idx[r.transit_gateway_route_table_id] = r
        for h in self.hosts:
            if h.network_interface_id and h.network_interface_id not in idx:
                idx[h.network_interface_id] = h
        return idx

    def get(self, component_id: str):
        return self.by_id.get(component_id)

    def find(self, key: str):
        """A component by id, and also a function by name, a role by ARN or name, a resource by
        ARN or name (what a person may type or a hop may name). None when nothing matches."""
        obj = self.by_id.get(key)
        if obj is not None:
            return obj
        fn = self.function_by_name.get(key)
        if fn is not None:
            return fn
        role = self.role_by_key.get(key) or self.role_by_key.get(key.rsplit("/", 1)[-1])
        if role is not None:
            return role
        for r in self.resources:
            if key in (r.arn, r.name):
                return r
        return None

    @cached_property
    def source_by_id(self) -> dict[str, str]:
        return dict(self.sources)

    def source_of(self, component_id: str) -> str:
        """Where ``component_id`` was written ("module.net.aws_route_table.private[1]",
        "template.yaml:42 PrivateRouteTable"), or "" when the input does not say."""
        return self.source_by_id.get(component_id, "") if self.sources else ""

    @cached_property
    def function_by_name(self) -> dict[str, LambdaFunction]:
        return {f.function_name: f for f in self.functions}

    @cached_property
    def role_by_key(self) -> dict[str, Role]:
        out: dict[str, Role] = {}
        for r in self.roles:
            out[r.arn] = r
            out[r.role_name] = r
        return out

    def role_of(self, fn: LambdaFunction) -> Optional[Role]:
        if not fn.role:
            return None
        return self.role_by_key.get(fn.role) or self.role_by_key.get(fn.role.rsplit("/", 1)[-1])

    @cached_property
    def resource_by_key(self) -> dict[tuple[str, str], Resource]:
        return {(r.service, r.name): r for r in self.resources}

    def resource(self, service: str, name: str) -> Optional[Resource]:
        return self.resource_by_key.get((service, name))

    @cached_property
    def main_route_table(self) -> dict[str, RouteTable]:
        return {rt.vpc_id: rt for rt in self.route_tables if rt.main}

    @cached_property
    def route_table_of_subnet(self) -> dict[str, RouteTable]:
        out: dict[str, RouteTable] = {}
        for rt in self.route_tables:
            for sid in rt.subnet_ids:
                out[sid] = rt
        for s in self.subnets:
            if s.subnet_id not in out and s.vpc_id in self.main_route_table:
                out[s.subnet_id] = self.main_route_table[s.vpc_id]
        return out

    @cached_property
    def nacl_of_subnet(self) -> dict[str, NetworkAcl]:
        out: dict[str, NetworkAcl] = {}
        default = {a.vpc_id: a for a in self.network_acls if a.is_default}
        for a in self.network_acls:
            for sid in a.subnet_ids:
                out[sid] = a
        for s in self.subnets:
            if s.subnet_id not in out and s.vpc_id in default:
                out[s.subnet_id] = default[s.vpc_id]
        return out

    @cached_property
    def default_sg(self) -> dict[str, SecurityGroup]:
        return {g.vpc_id: g for g in self.security_groups if g.is_default}

    @cached_property
    def subnets_of_vpc(self) -> dict[str, tuple[Subnet, ...]]:
        out: dict[str, list[Subnet]] = {}
        for s in self.subnets:
            out.setdefault(s.vpc_id, []).append(s)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def unknown_by_kind(self) -> dict[str, str]:
        return {u.kind: u.reason for u in self.unknowns}

    @property
    def unknown_parts(self) -> tuple[Unknown, ...]:
        """The parts a loader could not read (names and reasons), for the status line and a
        details view; the standing note that resource policies of targets not asked about were
        not read is not a part."""
        return tuple(u for u in self.unknowns if u.kind != "resource_policies")

    def unknown(self, *kinds: str) -> Optional[str]:
        for k in kinds:
            if k in self.unknown_by_kind:
                return self.unknown_by_kind[k]
        return None

    # ---- transit gateways -----------------------------------------------------------------------

    @cached_property
    def tgw_attachment_of_vpc(self) -> dict[tuple[str, str], TgwAttachment]:
        """(transit gateway id, VPC id) -> the VPC's attachment to that TGW (AWS allows one)."""
        out: dict[tuple[str, str], TgwAttachment] = {}
        for a in self.transit_gateway_attachments:
            if a.is_vpc and a.state not in ("deleted", "deleting", "failed", "rejected"):
                out.setdefault((a.transit_gateway_id, a.resource_id), a)
        return out

    @cached_property
    def tgw_route_table_of_attachment(self) -> dict[str, TgwRouteTable]:
        """attachment id -> its associated TGW route table (absent: no association)."""
        out: dict[str, TgwRouteTable] = {}
        for rt in self.transit_gateway_route_tables:
            for a in rt.associations:
                out.setdefault(a, rt)
        return out

    def external_host(self, hostname: str) -> Optional[ExternalHost]:
        h = hostname.lower().rstrip(".")
        return next((e for e in self.external_hosts if e.matches(h)), None)

    def vpc_of_subnet(self, subnet_id: str) -> Optional[Vpc]:
        s = self.by_id.get(subnet_id)
        return self.by_id.get(s.vpc_id) if isinstance(s, Subnet) else None  # type: ignore[return-value]
