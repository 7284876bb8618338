"""The trace engine: Lambda function -> target, hop by hop (docs/aws-behaviour.md has the rules).

``trace(network, function_name, target)`` returns a ``Trace``: one path per configured subnet (one
Hyperplane ENI each, LAMBDA-1). Each path walks H0..H10, records every hop, stops at nothing it can
step past: after a drop it goes on "as if that setting were fixed" wherever the next hop is still
determined, so the result lists every blocker on the path (as Reachability Analyzer's blocked paths), with the first drop as the cause
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
from .path import FN_ID, FN_NAME, Arrival, Named, PathTemplate
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
        eni = "Hyperplane ENI"  # one per (subnet, security groups), shared by functions (LAMBDA-1)
        if fn.state_reason_code or fn.state in ("Inactive", "Failed"):
            code = fn.state_reason_code or ("ResourceNotReadyException" if fn.state == "Inactive" else "EC2AccessDeniedException")
            self.hop("H0", sub.subnet_id, "lambda-eni", DROP, f"{eni}: {fn.state} ({code})", Highlight("subnet", sub.subnet_id))
            self.block("H0", "LAMBDA_ENI_SETUP_FAILED", Named(FN_ID),
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
                 f"{eni} in {sub.label} ({sub.availability_zone}) at {self.src_ip}, no public IP; SGs: {sg_text}",
                 Highlight("subnet", sub.subnet_id))
        return True

    # ---- outside a VPC ---------------------------------------------------------------------------

    def _outside_vpc(self) -> None:
        t = self.t
        self.hop("H0", Named(FN_ID), "lambda", PASS, Named(FN_NAME, " is not attached to a VPC: it runs in Lambda's own network with internet access"))
        if t.kind in ("host",) or (t.kind == "address" and ipaddress.ip_address(t.ip).is_private):
            what = t.host.label if t.host else t.ip
            self.hop("H4", Named(FN_ID), "lambda", DROP, f"{what} is a private address; a function outside a VPC cannot reach it")
            self.block("H4", "NO_ROUTE_TO_DESTINATION", Named(FN_ID),
                       Named(FN_NAME, f" is not attached to a VPC, so private addresses such as {what} are unreachable"),
                       Named("attach ", FN_NAME, f" to the VPC (subnets and security groups that can reach {what})"))
            return
        name = self._sdk_hostname() or t.ip
        if t.kind == "internet" and self.net.external_host(name) is None:
            self.unknown("H1", "public-dns", "dns",
                         f"{name} is not in the scenario: vpctui does not know the internet's DNS, so whether it exists "
                         "is not known (declare it under external_hosts; DNS-10)", "UNKNOWN_DESTINATION",
                         f"declare {name} under external_hosts in the scenario")
            return
        self.hop("H1", "public-dns", "dns", PASS, f"{name} resolved by public DNS")
        self.hop("H5", "internet", "internet", PASS, "over the internet from Lambda's network")
        self._authorize(Arrival(source_label="a public address of AWS Lambda", source_unknown=True))


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
    name, arn = fn.function_name, fn.arn
    paths = [trace_path(network, fn, sid, target, cache).build(name, arn) for sid in fn.subnet_ids or (None,)]
    return Trace(fn.function_name, target.text, combine([p.verdict for p in paths]), tuple(paths), target.description)


def trace_path(network: Network, fn: LambdaFunction, subnet_id: Optional[str], target: Target,
               cache: StepCache) -> PathTemplate:
    """The path of ``fn`` through one of its subnets (None: a function outside a VPC), as a template
    whose texts that name the function are filled in by ``.build(name, arn)``. The template depends
    on the function's settings only (``matrix.KEY_FIELDS``), not on its name, ARN or other subnets."""
    if subnet_id is None:
        return PathTemplate(_PathTracer(network, fn, None, target, cache).run())
    sub = network.get(subnet_id)
    if not isinstance(sub, Subnet):
        u = network.unknown(subnet_id, "subnets")
        f = Finding("H0", "UNKNOWN_RESOURCE", subnet_id, f"subnet {subnet_id} is not known" + (f" ({u})" if u else ""),
                    "known once deployed: trace the state after apply or the deployed account" if network.sources
                    else "grant ec2:DescribeSubnets, or describe the subnet", SYMPTOM_UNKNOWN)
        return PathTemplate(PathResult(subnet_id, UNKNOWN, SYMPTOM_UNKNOWN, f"unknown: {f.explanation}",
                                       (Hop("H0", subnet_id, "subnet", HOP_UNKNOWN, f.explanation),), f))
    return PathTemplate(_PathTracer(network, fn, sub, target, cache).run())


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

