"""The hop log of one path: what a trace step records (hops, findings, notes, DNS causes) and the
values passed between hop families (``Dest``: where DNS sent the request; ``Arrival``: how it
reaches the service).

``PathLog`` is the base of the path walker (engine/trace.py): every hop family (dns.py, egress.py,
filter_steps.py, gateways.py, authz.py, symptoms.py) records through ``hop``, ``block`` and
``unknown`` and runs cacheable steps through ``step`` (record once, replay afterwards; the cache is
an explicit ``StepCache`` owned by the caller, engine/cache.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..model.network import LambdaFunction, Network, Subnet, Vpc, VpcEndpoint
from .cache import StepCache
from .index import _sgs, described, fast_ip, lambda_eni_ip
from .reasons import REASONS
from .result import HOP_UNKNOWN, SYMPTOM_UNKNOWN, TIMEOUT, Finding, Highlight, Hop, PathResult
from .targets import Target


# --------------------------------------------------------------------------------------------------
# Texts that name the function
#
# A few texts name the function (an AccessDenied message names the role session, which Lambda calls
# after the function; a fix names the function to move). Everything else on a path depends only on
# the function's settings, so a path is recorded once as a template, with ``Named`` texts holding
# slots for the function's name and ARN, and filled in per function by ``PathTemplate.build``:
# the step cache and the matrix share one template between all the functions that share an ENI.


class _Slot:
    __slots__ = ("what",)

    def __init__(self, what: str):
        self.what = what

    def __repr__(self) -> str:
        return f"<{self.what}>"


FN_NAME = _Slot("the function's name")
FN_ID = _Slot("the function's ARN, or its name without one")


class Named:
    """A text naming the function: literal parts and slots (``FN_NAME``, ``FN_ID``)."""

    __slots__ = ("parts",)

    def __init__(self, *parts):
        flat: list = []
        for p in parts:
            if isinstance(p, Named):
                flat.extend(p.parts)
            elif p != "":
                flat.append(p)
        self.parts = tuple(flat)

    def text(self, name: str, arn: str) -> str:
        ident = arn or name
        return "".join(name if p is FN_NAME else ident if p is FN_ID else p for p in self.parts)

    def __str__(self) -> str:  # a slot left unfilled is a bug, never a text to show
        raise TypeError(f"an unfilled text naming the function: {self.parts!r}")

    def __repr__(self) -> str:
        return f"Named{self.parts!r}"


def cat(*parts):
    """The parts joined: a ``str``, or a ``Named`` when any part names the function."""
    if any(isinstance(p, (Named, _Slot)) for p in parts):
        return Named(*parts)
    return "".join(parts)


def _named_finding(f: Finding) -> bool:
    return type(f.component_id) is Named or type(f.explanation) is Named or type(f.fix) is Named


class PathTemplate:
    """A path result whose texts may name the function, and where they do.

    ``build(name, arn)`` is the path for one function: the template itself when no text names the
    function (most paths), else a copy with the slots filled in exactly where they are.
    """

    __slots__ = ("path", "hops", "msg", "drop", "blockers", "plain")

    def __init__(self, path: PathResult):
        self.path = path
        self.hops = tuple(i for i, h in enumerate(path.hops) if type(h.component_id) is Named or type(h.detail) is Named)
        self.msg = type(path.message) is Named
        self.drop = path.drop is not None and _named_finding(path.drop)
        self.blockers = tuple(i for i, b in enumerate(path.blockers) if _named_finding(b))
        self.plain = not (self.hops or self.msg or self.drop or self.blockers)

    def build(self, name: str, arn: str) -> PathResult:
        p = self.path
        if self.plain:
            return p

        def put(s):
            return s.text(name, arn) if type(s) is Named else s

        def fput(f: Finding) -> Finding:
            return Finding(f.hop, f.reason, put(f.component_id), put(f.explanation), put(f.fix), f.symptom)

        hops = p.hops
        if self.hops:
            hl = list(hops)
            for i in self.hops:
                h = hl[i]
                hl[i] = Hop(h.hop, put(h.component_id), h.component_type, h.result, put(h.detail), h.highlight)
            hops = tuple(hl)
        blockers = p.blockers
        if self.blockers:
            bl = list(blockers)
            for i in self.blockers:
                bl[i] = fput(bl[i])
            blockers = tuple(bl)
        return PathResult(p.subnet_id, p.verdict, p.symptom, put(p.message), hops,
                          fput(p.drop) if self.drop else p.drop, blockers, p.notes)


@dataclass(frozen=True, slots=True)
class Dest:
    """Where the request goes: the address DNS gave (or the target's address)."""

    ip: object
    hostname: Optional[str]
    service_key: Optional[tuple[str, str]] = None
    public: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "ip", fast_ip(self.ip))


@dataclass(frozen=True, slots=True)
class Arrival:
    """How the request reaches the service (the context the service's policies see)."""

    endpoint: Optional[VpcEndpoint] = None
    source_public_ip: Optional[str] = None  # the address the service sees (aws:SourceIp), dotted
    source_label: str = ""  # how to show it when it is not a fact from the input
    source_unknown: bool = False  # the service sees an address vpctui does not know (outside a VPC)


class PathLog:
    """One path's record: the hops, findings, notes and DNS causes, and the step cache."""

    def __init__(self, net: Network, fn: LambdaFunction, subnet: Optional[Subnet], target: Target,
                 cache: StepCache):
        self.net, self.fn, self.sub, self.t = net, fn, subnet, target
        self.vpc: Optional[Vpc] = net.vpc_of_subnet(subnet.subnet_id) if subnet else None
        self.hops: list[Hop] = []
        self.findings: list[Finding] = []
        self.dns_causes: list[Finding] = []  # DNS answers that send the traffic somewhere it fails
        self.notes: list[str] = []
        # the name DNS found no AAAA record for (the function then uses IPv4; SDK-4), else None
        self.no_aaaa: Optional[str] = None
        self.src_sgs = _sgs(net, fn.security_group_ids)
        self.cache = cache
        self.memo = cache.steps_for_trace()
        self.lookups = cache.lookups
        # the Hyperplane ENI's addresses (stand-ins from the subnet)
        # the Hyperplane ENI's addresses: representatives from the subnet, shown as what they are
        # (Lambda chooses the address; LAMBDA-9) and named in fixes by the subnet's CIDR
        self.src_ip = self.src_ip6 = None
        if subnet is not None:
            v4 = lambda_eni_ip(subnet)
            if v4 is not None:
                self.src_ip = described(v4, f"an address in {subnet.label} (chosen by Lambda)", subnet.cidr_block)
            v6 = lambda_eni_ip(subnet, v6=True) if fn.ipv6_allowed_for_dual_stack else None
            if v6 is not None:
                self.src_ip6 = described(v6, f"an IPv6 address in {subnet.label} (chosen by Lambda)", subnet.ipv6_cidr_block)

    # ---- memo: hop steps whose outcome depends only on their key ---------------------------------

    def _memo(self, key: tuple, step, *args):
        """Run ``step(*args)`` once per cache for ``key``; replay what it recorded afterwards.

        A step records hops, findings, notes and DNS causes and returns a value; the same inputs on
        the same (immutable) network always record the same things, so a later call with the same
        key appends the recorded items again instead of recomputing them. The keys (one function
        per step, engine/cache.py) hold every input the step reads; functions that share subnets,
        security groups and targets hit this cache most.
        """
        cache = self.memo
        hit = cache.get(key)
        if hit is None:
            marks = (len(self.hops), len(self.findings), len(self.notes), len(self.dns_causes))
            ret = step(*args)
            hit = cache[key] = (ret, tuple(self.hops[marks[0]:]), tuple(self.findings[marks[1]:]),
                                tuple(self.notes[marks[2]:]), tuple(self.dns_causes[marks[3]:]),
                                self.no_aaaa)
            return ret
        ret, hops, findings, notes, causes, no_aaaa = hit
        self.hops.extend(hops)
        if findings:
            self.findings.extend(findings)
        if notes:
            self.notes.extend(notes)
        if causes:
            self.dns_causes.extend(causes)
        if no_aaaa is not None:
            self.no_aaaa = no_aaaa
        return ret

    # ---- recording ------------------------------------------------------------------------------

    def hop(self, h: str, comp: str, ctype: str, result: str, detail: str, hl: Optional[Highlight] = None) -> None:
        self.hops.append(Hop(h, comp, ctype, result, detail, hl))

    def block(self, h: str, reason: str, comp: str, explanation: str, fix: str, symptom: Optional[str] = None) -> None:
        sym = symptom or REASONS.get(reason, ("", TIMEOUT, ""))[1]
        self.findings.append(Finding(h, reason, comp, explanation, fix, sym))

    def unknown(self, h: str, comp: str, ctype: str, why: str, reason: str = "UNKNOWN_RESOURCE", fix: str = "") -> None:
        self.hop(h, comp, ctype, HOP_UNKNOWN, why)
        if not fix:
            fix = ("known once deployed: trace the state after apply (terraform show -json) or the deployed account (--aws)"
                   if self.net.sources else "grant vpctui read access to it, or describe it in the scenario")
        self.findings.append(Finding(h, reason, comp, why, fix, SYMPTOM_UNKNOWN))
