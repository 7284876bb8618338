"""Every function x every target, tracing each distinct path once.

A function attached to a VPC gets one Hyperplane ENI per (subnet, security-group set), shared by
every function that uses the same subnet and security groups (rule book R1.1). What a path through
that ENI does to a request depends on nothing else of the function but a few settings (its role, its
timeout for the message, whether it may send IPv6, how its SDK names STS, its state). So the matrix
traces once per distinct

    (subnet, security groups, role, the other settings in ``KEY_FIELDS``, target)

and gives every function that shares that key the same path result, with the function's own name and
ARN in the texts. The shared trace runs for a stand-in function whose name and ARN are sentinel
strings; each function's copy replaces the sentinels in the few strings that hold them (the H0 hop,
and findings or messages that name the function). The result equals, field for field, what
``trace_target`` returns for each (function, target) one at a time; ``tests/unit/test_equivalence.py``
checks that on generated networks.
"""

from __future__ import annotations

import dataclasses
import gc
from contextlib import contextmanager
from typing import Iterable, Iterator, Optional

from ..model.network import LambdaFunction, Network
from .result import Finding, Highlight, Hop, PathResult, Trace
from .targets import Target, TargetError, default_targets, parse_target
from .cache import StepCache
from .trace import TraceError, combine, resolve_function, trace_target

# The LambdaFunction fields a path's result depends on (besides the subnet). Every other field is
# either handled here (function_name and arn are substituted, subnet_ids is split into paths) or
# not read by the engine (runtime). tests/unit/test_equivalence.py fails when a field is added to
# LambdaFunction without deciding which group it belongs to.
KEY_FIELDS: tuple[str, ...] = (
    "security_group_ids", "role", "ipv6_allowed_for_dual_stack", "timeout",
    "sts_regional_endpoints", "state", "state_reason_code",
)
SUBSTITUTED_FIELDS: tuple[str, ...] = ("function_name", "arn")
PER_PATH_FIELDS: tuple[str, ...] = ("subnet_ids",)
UNUSED_FIELDS: tuple[str, ...] = ("runtime",)

# Plain ASCII, so repr(), str.format and str.replace treat them like a real function name.
NAME_SENTINEL = "VPCTUIx0SENTINELx0FUNCTIONx0NAME"
ARN_SENTINEL = "VPCTUIx0SENTINELx0FUNCTIONx0ARN"


def matrix(network: Network, targets: Optional[Iterable[str]] = None,
           functions: Optional[Iterable[str]] = None) -> list[Trace]:
    """One Trace per (function, target), functions in scenario order. Raises TraceError."""
    return list(iter_matrix(network, targets, functions))


def iter_matrix(network: Network, targets: Optional[Iterable[str]] = None,
                functions: Optional[Iterable[str]] = None) -> Iterator[Trace]:
    """The matrix one Trace at a time, for output that streams: memory stays what the path cache
    needs, whatever the number of results. Targets and functions are checked before the first trace
    (TraceError is raised here, not halfway through the stream)."""
    tlist = list(targets) if targets else default_targets(network)
    parsed: list[Target] = []
    for t in tlist:
        try:
            parsed.append(parse_target(network, t))
        except TargetError as e:
            raise TraceError(str(e)) from None
    fns = [resolve_function(network, f) for f in functions] if functions else list(network.functions)
    paths = _PathCache(network, parsed)
    keyed = [(fn, path_key(fn), fn.subnet_ids or (None,)) for fn in fns]
    for _fn, settings, subnets in keyed:
        for sid in subnets:
            paths.expect((sid, settings))
    return _traces(parsed, keyed, paths)


def _traces(parsed: list[Target], keyed: list, paths: "_PathCache") -> Iterator[Trace]:
    with _no_cyclic_gc():
        for fn, settings, subnets in keyed:
            name, arn = fn.function_name, fn.arn
            rows = [paths.get((sid, settings), fn) for sid in subnets]
            for ti, t in enumerate(parsed):
                ps = tuple(row[ti].build(name, arn) for row in rows)
                yield Trace(name, t.text, combine([p.verdict for p in ps]), ps, t.description)
            for sid in subnets:
                paths.done((sid, settings))


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while the matrix is built.

    The matrix allocates a few million small acyclic objects (hops, path results, traces). Each
    allocation burst triggers a collection, and every full collection walks every live object,
    the whole network and the results so far included: on the N = 5,000 network that doubled the
    matrix time. Nothing built here forms a reference cycle, so reference counting frees whatever
    is dropped; the collector is restored (and catches up) as soon as the matrix is done.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def path_key(fn: LambdaFunction) -> tuple:
    """The function's settings that decide a path's result (all but the subnet and the target)."""
    return tuple(getattr(fn, f) for f in KEY_FIELDS) + (bool(fn.arn),)


def stand_in(fn: LambdaFunction, subnet_id: Optional[str]) -> LambdaFunction:
    """``fn`` reduced to one subnet, with sentinels for its name and ARN."""
    return dataclasses.replace(fn, function_name=NAME_SENTINEL, arn=ARN_SENTINEL if fn.arn else "",
                               subnet_ids=(subnet_id,) if subnet_id is not None else ())


class _PathCache:
    """Path results by (subnet, settings, target), each traced once.

    Paths that differ only in the role or the timeout have all but one or two hops in common, and
    the paths of one target through the subnets of one route table have most of theirs in common:
    the step cache hands out the same hop and finding objects for the same inputs, so those
    are shared between paths without copying.
    """

    def __init__(self, network: Network, targets: list[Target]):
        self.network = network
        self.cache = StepCache()  # this matrix's own: dropped with it
        self.targets = targets
        self.plans: dict[tuple, list[_Plan]] = {}  # (subnet, settings) -> one plan per target
        self.uses: dict[tuple, int] = {}  # functions still to come per key: a plan is dropped after its last

    def expect(self, key: tuple) -> None:
        self.uses[key] = self.uses.get(key, 0) + 1

    def get(self, key: tuple, fn: LambdaFunction) -> list["_Plan"]:
        row = self.plans.get(key)
        if row is None:
            one = stand_in(fn, key[0])
            # hops and findings are already shared between paths: the step cache replays
            # the same objects for the same inputs
            row = self.plans[key] = [_Plan(trace_target(self.network, one, t, self.cache).paths[0])
                                     for t in self.targets]
        return row

    def done(self, key: tuple) -> None:
        n = self.uses[key] = self.uses[key] - 1
        if n == 0:
            del self.plans[key]


# --------------------------------------------------------------------------------------------------
# Putting a function's name and ARN into a shared path result


def _has(s: str) -> bool:
    return NAME_SENTINEL in s or ARN_SENTINEL in s


# The only hop types whose texts the engine writes a function's name or ARN into (the function
# outside a VPC; an identity-policy hop of a function without a role). Other hops are not scanned;
# tests/unit/test_equivalence.py checks this on every scenario and generated network.
NAMED_HOP_TYPES = frozenset({"lambda", "identity-policy"})


def _hop_has(h: Hop) -> bool:
    return h.component_type in NAMED_HOP_TYPES and (
        _has(h.detail) or _has(h.component_id) or (h.highlight is not None and _has(h.highlight.owner_id)))


def _finding_has(f: Finding) -> bool:
    return _has(f.explanation) or _has(f.fix) or _has(f.component_id)


class _Plan:
    """A path result traced for the stand-in, and where it names the function.

    Most paths never name the function (only a few findings do: an AccessDenied message names the
    role session, which Lambda calls after the function; the fix for a public subnet names the
    function to move). Those paths are shared as they are; the others get a copy per function with
    the sentinels replaced in exactly the strings that hold them.
    """

    __slots__ = ("path", "hops", "msg", "drop", "blockers", "notes", "plain")

    def __init__(self, path: PathResult):
        self.path = path
        self.hops = tuple(i for i, h in enumerate(path.hops) if _hop_has(h))
        self.msg = _has(path.message)
        self.drop = path.drop is not None and _finding_has(path.drop)
        self.blockers = tuple(i for i, b in enumerate(path.blockers) if _finding_has(b))
        self.notes = any(_has(n) for n in path.notes)
        self.plain = not (self.hops or self.msg or self.drop or self.blockers or self.notes)

    def build(self, name: str, arn: str) -> PathResult:
        """This path for the function ``name`` (with ARN ``arn``)."""
        p = self.path
        if self.plain:
            return p

        def put(s: str) -> str:
            return s.replace(ARN_SENTINEL, arn).replace(NAME_SENTINEL, name)

        def fput(f: Finding) -> Finding:
            return Finding(f.hop, f.reason, put(f.component_id), put(f.explanation), put(f.fix), f.symptom)

        hops = p.hops
        if self.hops:
            hl = list(hops)
            for i in self.hops:
                h = hl[i]
                light = h.highlight
                if light is not None and _has(light.owner_id):
                    light = Highlight(light.kind, put(light.owner_id), light.key)
                hl[i] = Hop(h.hop, put(h.component_id), h.component_type, h.result, put(h.detail), light)
            hops = tuple(hl)
        blockers = p.blockers
        if self.blockers:
            bl = list(blockers)
            for i in self.blockers:
                bl[i] = fput(bl[i])
            blockers = tuple(bl)
        return PathResult(p.subnet_id, p.verdict, p.symptom, put(p.message) if self.msg else p.message, hops,
                          fput(p.drop) if self.drop else p.drop, blockers,
                          tuple(put(n) for n in p.notes) if self.notes else p.notes)
