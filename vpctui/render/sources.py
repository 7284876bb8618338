"""Where a component was written, and a fix in the input's own terms (Terraform, CloudFormation).

``Network.sources`` maps an AWS id (or a stand-in such as ``rtb-<PrivateRouteTable>``) to the
Terraform address or the CloudFormation logical id with file and line (docs/iac.md). These helpers
turn that into text for the trace's hops and fixes and the TUI's Details; for a scenario file or a
live account they return "".
"""

from __future__ import annotations

from typing import Optional

from ..engine.result import Finding
from ..model.network import Network


def source_of(network: Optional[Network], component_id: str) -> str:
    """Where an AWS id, a function, a role or a resource (by name) was written; "" if not known."""
    if network is None or not network.sources or not component_id:
        return ""
    for key in (component_id, f"role:{component_id}", f"role:{component_id.rsplit('/', 1)[-1]}",
                *(f"{sec}:{component_id}" for sec in ("buckets", "parameters", "dynamodb_tables", "secrets", "queues"))):
        src = network.source_of(key)
        if src:
            return src
    return ""


def _kind(src: str) -> str:
    """"terraform" for an address (aws_x.y, module.m.aws_x.y), "cloudformation" for FILE:LINE ID."""
    if not src:
        return ""
    head = src.split(" ", 1)[0]
    if head.startswith(("aws_", "module.", "data.")):
        return "terraform"
    return "cloudformation"


def _name(src: str) -> str:
    """The address or logical id alone (without FILE:LINE)."""
    parts = src.split(" ")
    return parts[-1] if _kind(src) == "cloudformation" else parts[0]


def fix_in_code(network: Optional[Network], f: Finding, function: str = "") -> str:
    """The finding's fix written against the input ("add a `route` block to aws_route_table.x"),
    or "" when the input is not infrastructure code or the reason has no such wording."""
    if network is None or not network.sources:
        return ""
    comp = f.component_id
    src = source_of(network, comp)
    kind = _kind(src)
    name = _name(src)
    fn_src = source_of(network, function)
    if f.reason == "NO_ROUTE_TO_DESTINATION":
        if kind == "terraform":
            return (f"add a `route` block (or an aws_route with route_table_id = {name}.id) to {name}, or add "
                    f"{name}.id to the route_table_ids of an aws_vpc_endpoint for the service")
        if kind == "cloudformation":
            return (f"add an AWS::EC2::Route with RouteTableId: !Ref {name}, or add !Ref {name} to the "
                    "RouteTableIds of an AWS::EC2::VPCEndpoint for the service")
        if comp.startswith("rtb-main-") and any(_kind(s) == "cloudformation" for _, s in network.sources):
            return ("the subnet uses the VPC's main route table, which a template cannot change: give the subnet "
                    "an AWS::EC2::SubnetRouteTableAssociation to a route table with the route")
    if f.reason == "GATEWAY_ENDPOINT_NOT_ASSOCIATED" and kind:
        return (f"add the route table's id to route_table_ids of {name}" if kind == "terraform"
                else f"add the route table to RouteTableIds of {name}")
    if f.reason in ("IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS",) and fn_src:
        where = "vpc_config.subnet_ids" if _kind(fn_src) == "terraform" else "VpcConfig.SubnetIds"
        return f"in {_name(fn_src)}, set {where} to private subnets whose route table sends 0.0.0.0/0 to a NAT gateway"
    if f.reason in ("ENI_SG_RULES_MISMATCH", "SG_HAS_NO_RULES") and kind:
        if kind == "terraform":
            return (f"add an `egress`/`ingress` block to {name} (or an aws_vpc_security_group_egress_rule/"
                    f"_ingress_rule with security_group_id = {name}.id)")
        return f"add a SecurityGroupEgress/SecurityGroupIngress rule to {name}"
    if f.reason == "SUBNET_ACL_RESTRICTION" and kind:
        return (f"add an `egress`/`ingress` block to {name} (or an aws_network_acl_rule)" if kind == "terraform"
                else f"add an AWS::EC2::NetworkAclEntry with NetworkAclId: !Ref {name}")
    return ""
