"""Fixes as edits: for each finding of a trace, the changes of the network that remove it.

``fixes(network, trace, path, finding)`` returns the finding's fixes, best first: each a ``Fix``
with the text a person reads and the ``Edit`` values that make it (``edits.apply`` turns them into
a new network). Fixes prefer components that exist in the input (associate the existing gateway
endpoint, route to the existing NAT gateway, reference the existing security group) and name only
ids, CIDRs and prefix lists from the input, or ``0.0.0.0/0``. A fix vpctui cannot express as an edit
of the model (a permission the role lacks to create ENIs, a quota, an SDK setting) is text-only and
says why.

Every fix with edits is checked by ``tests/unit/test_fixes.py`` on every scenario and generated
network: applying its edits removes that finding from the path.

This module is the public API and the table of rules (``_RULES``: reason code → the function that
makes its fixes). The rules live by hop family: ``fix_filters.py`` (security groups, network ACLs),
``fix_routes.py`` (routes, gateways, transit gateway replies), ``fix_settings.py`` (DNS, hosted
zones, the function's settings), ``fix_policies.py`` (H9); ``fix_context.py`` finds what a fix may
name. A new fix is one function in one of them and one row in ``_RULES``.
"""

from __future__ import annotations

from typing import Callable, Optional

from ..model.network import Network, Subnet
from . import fix_filters as filters, fix_policies as policies, fix_routes as routes, fix_settings as settings
from .edits import EditError, Fix, apply
from .fix_context import Ctx, via_tgw
from .result import SYMPTOM_UNKNOWN, Finding, PathResult, Trace
from .targets import TargetError, parse_target

TEXT_ONLY_UNKNOWN = "vpctui lacks data here: the fix is to describe the component, not to change the network"


def fixes(network: Network, trace: Trace, path: PathResult, finding: Finding) -> tuple[Fix, ...]:
    """The fixes of ``finding`` on ``path`` of ``trace``, best first (at least one: its text)."""
    if finding.symptom == SYMPTOM_UNKNOWN:
        return (Fix(finding.fix, (), TEXT_ONLY_UNKNOWN),)
    fn = network.function_by_name.get(trace.source)
    if fn is None:
        fn = next((f for f in network.functions if f.arn == trace.source), None)
    try:
        t = parse_target(network, trace.target)
    except TargetError:
        t = None
    if fn is None or t is None:
        return (Fix(finding.fix, (), "the function or target is not in the network"),)
    sub = network.get(path.subnet_id) if path.subnet_id else None
    sub = sub if isinstance(sub, Subnet) else None
    ctx = Ctx(network, fn, t, path, sub, network.vpc_of_subnet(sub.subnet_id) if sub else None)
    rule = _RULES.get(finding.reason)
    if rule is None:
        return (Fix(finding.fix, (), _TEXT_ONLY.get(finding.reason, "vpctui has no edit for this change")),)
    out = [f for f in rule(ctx, finding) if f is not None]
    if not out:
        return (Fix(finding.fix, (), _TEXT_ONLY.get(finding.reason, "no component in the input can make this change")),)
    return tuple(out)


def trace_fixes(network: Network, trace: Trace) -> list[tuple[PathResult, Finding, tuple[Fix, ...]]]:
    """Every finding of every path with its fixes (the drop of each path first)."""
    out = []
    for p in trace.paths:
        for f in ((p.drop,) if p.drop else ()) + p.blockers:
            out.append((p, f, fixes(network, trace, p, f)))
    return out


def first_fix(network: Network, trace: Trace) -> Optional[tuple[PathResult, Finding, Fix]]:
    """The fix the TUI's ``a`` and ``vpctui fix -o`` apply: of the first dropped path's applicable
    fixes, the first that makes the whole trace reachable, else the first (it removes the drop; a
    later setting still blocks)."""
    from .trace import trace_target  # trace imports the engine's steps; fixes are read after

    cands = [(p, p.drop, fx) for p in trace.paths if p.drop is not None
             for fx in fixes(network, trace, p, p.drop) if fx.applicable]
    if not cands:
        return None
    fn = network.function_by_name.get(trace.source)
    try:
        t = parse_target(network, trace.target)
    except TargetError:
        return cands[0]
    for c in cands:
        try:
            after = apply(network, c[2].edits)
        except EditError:
            continue
        fn2 = after.function_by_name.get(trace.source, fn)
        if fn2 is not None and trace_target(after, fn2, t).verdict == "reachable":
            return c
    return cands[0]


# Reasons whose fix is not a change of the network model, and why.
_TEXT_ONLY = {
    "LAMBDA_ENI_SETUP_FAILED": "the fix is an IAM permission, a quota or free addresses: outside the network model",
    "HOSTNAME_NOT_COVERED_BY_PRIVATE_DNS": "the fix is the name the SDK calls (a setting of the function's code)",
    "NO_AAAA_FOR_ENDPOINT": "the fix is the name the SDK calls (a dual-stack name), or a NAT gateway vpctui would have to invent",
    "PORT_NOT_LISTENING": "the fix is the port the code connects to, or the service on the host",
    "GATEWAY_ENDPOINT_CROSS_REGION": "the fix needs a NAT gateway or an inter-Region endpoint the input does not have",
    "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR": "the fix needs a new peering connection or transit gateway",
    "EDGE_TO_EDGE_NOT_SUPPORTED": "the fix needs a NAT gateway or endpoint in this VPC that the input does not have",
    "NO_POSSIBLE_DESTINATION": "the target address is wrong: nothing in the network to change",
    "BAD_STATE": "the component must be recreated or accepted in AWS",
    "BAD_STATE_ATTACHMENT": "the gateway must be attached in AWS",
    "PRIVATE_NAT_TO_IGW": "the fix needs a public NAT gateway the input does not have",
    "VPC_BLOCK_PUBLIC_ACCESS_ENABLED": "Block Public Access is an account setting vpctui does not edit",
    "DNS_FIREWALL_BLOCK": "DNS Firewall rules are not editable in vpctui",
    "DNS_FIREWALL_FAIL_CLOSED": "DNS Firewall settings are not editable in vpctui",
    "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS": "the fix needs peering, a transit gateway or a VPN",
    "TGW_ROUTE_AZ_RESTRICTION": "the fix is a subnet added to the transit gateway attachment, which vpctui does not edit",
    "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION": "transit gateway associations are not editable in vpctui",
    "TGW_RTB_NO_ROUTE_TO_TGW_ATTACHMENT": "transit gateway route tables are not editable in vpctui",
    "TGW_RTB_BAD_STATE_ROUTE": "transit gateway route tables are not editable in vpctui",
    "SOURCE_DEST_CHECK_ENABLED": "the source/destination check is a setting of the appliance's ENI, which vpctui does not edit",
    "PHZ_NOT_ASSOCIATED": "hosted zone associations are added in Route 53; vpctui does not edit them",
}


_RULES: dict[str, Callable[[Ctx, Finding], list]] = {
    "SUBNET_ACL_RESTRICTION": lambda c, f: [filters.nacl(c, f)],
    "ENI_SG_RULES_MISMATCH": lambda c, f: [filters.sg(c, f)],
    "SG_HAS_NO_RULES": lambda c, f: [filters.sg(c, f)],
    "CUSTOM_DNS_UNREACHABLE": filters.custom_dns,
    "NO_ROUTE_TO_DESTINATION": routes.no_route,
    "GATEWAY_ENDPOINT_NOT_ASSOCIATED": routes.gw_not_associated,
    "BAD_STATE_ROUTE": routes.blackhole,
    "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS": lambda c, f: routes.tgw_igw_bypass(c, f) if via_tgw(c) else routes.igw_public(c, f),
    "RESPONSE_RTB_HAS_NO_ROUTE_TO_TRANSIT_GATEWAY": routes.tgw_return_route,
    "NAT_SUBNET_NO_IGW_ROUTE": routes.nat_no_igw,
    "PEERING_NO_RETURN_ROUTE": routes.peering_return,
    "DNS_RESOLUTION_DISABLED": settings.dns_disabled,
    "PRIVATE_DNS_NOT_EFFECTIVE": settings.private_dns,
    "PHZ_SHADOWS_NAME": settings.phz,
    "IPV6_NOT_ALLOWED_FOR_FUNCTION": settings.ipv6,
    "VPCE_POLICY_DENY": policies.vpce_policy,
    "RESOURCE_POLICY_DENY": policies.resource_policy,
    "IDENTITY_POLICY_DENY": policies.identity_deny,
    "IDENTITY_POLICY_NO_ALLOW": policies.identity_no_allow,
}
