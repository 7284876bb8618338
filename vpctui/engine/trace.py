"""The trace engine: Lambda function -> target, hop by hop (rule book §0.2).

``trace(network, function_name, target)`` returns a ``Trace``: one path per configured subnet (one
Hyperplane ENI each, R1.1/R1.5). Each path walks H0..H10, records every hop, stops at nothing it can
step past: after a drop it goes on "as if that setting were fixed" wherever the next hop is still
determined, so the result lists every blocker on the path (R0.2), with the first drop as the cause
of the symptom.

The hop families live in their own modules: path.py (the hop log), cache.py (the step cache),
dns.py (H1), egress.py (H2..H4), filter_steps.py (SG and NACL hops), gateways.py (H5..H8 by next
hop), authz.py (H9), symptoms.py (messages and fixes). This module is the public API and H0.
"""

from __future__ import annotations

import ipaddress
from typing import Optional

from ..model.network import LambdaFunction, Network, Subnet
from .authz import AuthzSteps
from .cache import StepCache, auth_key, h0_key, network_key
from .dns import DnsSteps
from .egress import EgressSteps
from .filter_steps import FilterSteps
from .gateways import GatewaySteps
from .path import Arrival
from .result import (
    BLOCKED, DROP, INTERMITTENT, HOP_UNKNOWN, INVOKE_ERROR, PASS, REACHABLE, SYMPTOM_UNKNOWN, UNKNOWN, Finding, Highlight, Hop,
    PathResult, Trace,
)
from .symptoms import SymptomSteps, _eni_fix
from .targets import Target, TargetError, parse_target


class TraceError(ValueError):
    """The source or target cannot be understood (a usage error, not a verdict)."""


class _PathTracer(DnsSteps, EgressSteps, FilterSteps, GatewaySteps, AuthzSteps, SymptomSteps):
    """One path: H0, then each hop family in turn (the methods come from the family modules)."""

    # ---- the walk -------------------------------------------------------------------------------

    def run(self) -> PathResult:
        if self.sub is None:
            self._outside_vpc()
        elif self._memo(h0_key(self), self._h0):
            dest = self._dns()
            if dest is not None:
                arrival = self._memo(network_key(self, dest), self._network, dest)
                if arrival is not None:
                    self._memo(auth_key(self, arrival), self._authorize, arrival)
        return self._result()

    # ---- H0 --------------------------------------------------------------------------------------

    def _h0(self) -> bool:
        fn, sub = self.fn, self.sub
        eni = "Hyperplane ENI"  # one per (subnet, security groups), shared by functions (R1.1)
        if fn.state_reason_code or fn.state in ("Inactive", "Failed"):
            code = fn.state_reason_code or ("ResourceNotReadyException" if fn.state == "Inactive" else "EC2AccessDeniedException")
            self.hop("H0", sub.subnet_id, "lambda-eni", DROP, f"{eni}: {fn.state} ({code})", Highlight("subnet", sub.subnet_id))
            self.block("H0", "LAMBDA_ENI_SETUP_FAILED", fn.arn or fn.function_name,
                       f"Lambda could not set up the function's network interface: {code} (HTTP 502 at Invoke)",
                       _eni_fix(code))
            return False
        if sub.available_ip_address_count == 0:
            self.hop("H0", sub.subnet_id, "lambda-eni", DROP, f"{sub.label} has no free IP addresses", Highlight("subnet", sub.subnet_id))
            self.block("H0", "LAMBDA_ENI_SETUP_FAILED", sub.subnet_id,
                       f"subnet {sub.label} has no free IPv4 addresses, so Lambda cannot create its ENI "
                       "(SubnetIPAddressLimitReachedException, HTTP 502 at Invoke)",
                       f"free addresses in {sub.subnet_id} or configure the function with a larger subnet")
            return False
        if fn.ipv6_allowed_for_dual_stack and not sub.dual_stack:
            self.hop("H0", sub.subnet_id, "lambda-eni", DROP, f"{sub.label} is not dual-stack", Highlight("subnet", sub.subnet_id))
            self.block("H0", "IPV6_NOT_ALLOWED_FOR_FUNCTION", sub.subnet_id,
                       f"Ipv6AllowedForDualStack needs every subnet of the function to have an IPv4 and an IPv6 CIDR; "
                       f"{sub.label} {'is IPv6-only' if sub.ipv6_only else 'has no IPv6 CIDR'}, which Lambda rejects",
                       f"give {sub.subnet_id} both an IPv4 and an IPv6 CIDR, or turn Ipv6AllowedForDualStack off",
                       INVOKE_ERROR)
            return False
        if sub.cidr_block is None:
            self.hop("H0", sub.subnet_id, "lambda-eni", DROP, f"{sub.label} is IPv6-only")
            self.block("H0", "IPV6_NOT_ALLOWED_FOR_FUNCTION", sub.subnet_id,
                       "Lambda does not support IPv6-only subnets", f"use a dual-stack subnet instead of {sub.subnet_id}",
                       INVOKE_ERROR)
            return False
        sg_text = ", ".join(g.label for g in self.src_sgs) or "none"
        self.hop("H0", sub.subnet_id, "lambda-eni", PASS,
                 f"{eni} in {sub.label} ({sub.availability_zone}), {self.src_ip}, no public IP; SGs: {sg_text}",
                 Highlight("subnet", sub.subnet_id))
        return True

    # ---- outside a VPC ---------------------------------------------------------------------------

    def _outside_vpc(self) -> None:
        fn, t = self.fn, self.t
        self.hop("H0", fn.arn or fn.function_name, "lambda", PASS, f"{fn.function_name} is not attached to a VPC: it runs in Lambda's own network with internet access")
        if t.kind in ("host",) or (t.kind == "address" and ipaddress.ip_address(t.ip).is_private):
            what = t.host.label if t.host else t.ip
            self.hop("H4", fn.arn or fn.function_name, "lambda", DROP, f"{what} is a private address; a function outside a VPC cannot reach it")
            self.block("H4", "NO_ROUTE_TO_DESTINATION", fn.arn or fn.function_name,
                       f"{fn.function_name} is not attached to a VPC, so private addresses such as {what} are unreachable",
                       f"attach {fn.function_name} to the VPC (subnets and security groups that can reach {what})")
            return
        name = self._sdk_hostname() or t.ip
        self.hop("H1", "public-dns", "dns", PASS, f"{name} resolved by public DNS")
        self.hop("H5", "internet", "internet", PASS, "over the internet from Lambda's network")
        self._authorize(Arrival(source_public_ip="52.94.0.1"))


# --------------------------------------------------------------------------------------------------
# public API


def resolve_function(network: Network, name: str) -> LambdaFunction:
    fn = network.function_by_name.get(name)
    if fn is None:
        for f in network.functions:
            if f.arn == name:
                return f
        names = ", ".join(sorted(network.function_by_name)) or "none"
        raise TraceError(f"no Lambda function named {name!r} (functions: {names})")
    return fn


def trace_target(network: Network, fn: LambdaFunction, target: Target, cache: Optional[StepCache] = None) -> Trace:
    """Trace ``fn`` to a parsed ``target``. ``cache`` (engine/cache.py) reuses the steps of earlier
    traces on the same network; without one, nothing is reused."""
    if cache is None:
        cache = StepCache()
    if not fn.subnet_ids:
        paths = [_PathTracer(network, fn, None, target, cache).run()]
    else:
        paths = []
        for sid in fn.subnet_ids:
            sub = network.get(sid)
            if not isinstance(sub, Subnet):
                u = network.unknown("subnets")
                f = Finding("H0", "UNKNOWN_RESOURCE", sid, f"subnet {sid} is not known" + (f" ({u})" if u else ""),
                            "grant ec2:DescribeSubnets, or describe the subnet", SYMPTOM_UNKNOWN)
                paths.append(PathResult(sid, UNKNOWN, SYMPTOM_UNKNOWN, f"unknown: {f.explanation}",
                                        (Hop("H0", sid, "subnet", HOP_UNKNOWN, f.explanation),), f))
                continue
            paths.append(_PathTracer(network, fn, sub, target, cache).run())
    return Trace(fn.function_name, target.text, combine([p.verdict for p in paths]), tuple(paths), target.description)


def combine(verdicts: list[str]) -> str:
    s = set(verdicts)
    if len(s) == 1:
        return verdicts[0]
    if REACHABLE in s and BLOCKED in s:
        return INTERMITTENT
    if REACHABLE in s and UNKNOWN in s:
        return UNKNOWN
    if UNKNOWN in s:
        return UNKNOWN
    return BLOCKED


def trace(network: Network, function: str, target: str, cache: Optional[StepCache] = None) -> Trace:
    """Trace ``function`` (a name or ARN) to ``target`` (a TARGET string). Raises TraceError.

    ``cache``: a ``StepCache`` the caller keeps for this network (see ``trace_target``)."""
    fn = resolve_function(network, function)
    try:
        t = parse_target(network, target)
    except TargetError as e:
        raise TraceError(str(e)) from None
    return trace_target(network, fn, t, cache)

