"""Fixes for settings: the VPC's DNS attributes, an endpoint's private DNS, a private hosted zone
that shadows a name (H1), and the function's IPv6 setting."""

from __future__ import annotations

from ..model.network import Subnet, VpcEndpoint
from .edit_base import Edit
from .edit_routes import SetEndpointPrivateDns
from .edit_settings import DisassociateHostedZone, SetFunctionIpv6, SetVpcDnsAttribute
from .edits import Fix
from .fix_context import Ctx
from .result import Finding


def dns_disabled(c: Ctx, f: Finding):
    return [Fix(f.fix, (SetVpcDnsAttribute(f.component_id, "enableDnsSupport", True),))]


def private_dns(c: Ctx, f: Finding):
    e = c.net.get(f.component_id)
    if not isinstance(e, VpcEndpoint) or c.vpc is None:
        return []
    edits: list[Edit] = []
    if not e.private_dns_enabled:
        edits.append(SetEndpointPrivateDns(e.vpc_endpoint_id, True))
    if not c.vpc.dhcp_options.uses_amazon_dns and not c.vpc.dhcp_options.forwards_to_amazon_dns:
        return []  # the custom resolver must forward: outside the model
    if not c.vpc.enable_dns_support:
        edits.append(SetVpcDnsAttribute(c.vpc.vpc_id, "enableDnsSupport", True))
    if not c.vpc.enable_dns_hostnames:
        edits.append(SetVpcDnsAttribute(c.vpc.vpc_id, "enableDnsHostnames", True))
    return [Fix(f.fix, tuple(edits))] if edits else []


def phz(c: Ctx, f: Finding):
    if c.vpc is None:
        return []
    z = next((z for z in c.net.private_hosted_zones if f.component_id in (z.hosted_zone_id, z.name)
              and c.vpc.vpc_id in z.vpc_ids), None)
    if z is None:
        return []
    return [Fix(f.fix, (), "the record's address is not in the input"),
            Fix(f"disassociate the private hosted zone {z.name} from {c.vpc.vpc_id} (names in it then resolve publicly)",
                (DisassociateHostedZone(z.hosted_zone_id or z.name, c.vpc.vpc_id),))]


def ipv6(c: Ctx, f: Finding):
    fn = c.fn
    subs = [c.net.get(s) for s in fn.subnet_ids]
    if fn.ipv6_allowed_for_dual_stack:
        return [Fix(f"turn Ipv6AllowedForDualStack off on {fn.function_name}", (SetFunctionIpv6(fn.function_name, False),))]
    if subs and all(isinstance(s, Subnet) and s.dual_stack for s in subs):
        return [Fix(f.fix, (SetFunctionIpv6(fn.function_name, True),))]
    return []
