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
from .result import PathResult, Trace
from .targets import Target, TargetError, default_targets, parse_target
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
    out: list[Trace] = []
    append = out.append
    with _no_cyclic_gc():
        for fn, settings, subnets in keyed:
            name, arn = fn.function_name, fn.arn
            rows = [paths.get((sid, settings), fn) for sid in subnets]
            memo: dict = {}
            for ti, t in enumerate(parsed):
                ps = tuple(row[ti].build(name, arn, memo) for row in rows)
                append(Trace(name, t.text, combine([p.verdict for p in ps]), ps, t.description))
            for sid in subnets:
                paths.done((sid, settings))
    return out


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
    the engine's step memos hand out the same hop and finding objects for the same inputs, so those
    are shared between paths without copying.
    """

    def __init__(self, network: Network, targets: list[Target]):
        self.network = network
        self.targets = targets
        self.plans: dict[tuple, list[_Plan]] = {}  # (subnet, settings) -> one plan per target
        self.uses: dict[tuple, int] = {}  # functions still to come per key: a plan is dropped after its last
        self.compiled: dict = {}  # id of a shared value -> its _compile result

    def expect(self, key: tuple) -> None:
        self.uses[key] = self.uses.get(key, 0) + 1

    def get(self, key: tuple, fn: LambdaFunction) -> list["_Plan"]:
        row = self.plans.get(key)
        if row is None:
            one = stand_in(fn, key[0])
            # hops and findings are already shared between paths: the engine's step memos replay
            # the same objects for the same inputs
            row = self.plans[key] = [_Plan(trace_target(self.network, one, t).paths[0], self.compiled)
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


def _put(s: str, name: str, arn: str) -> str:
    return s.replace(ARN_SENTINEL, arn).replace(NAME_SENTINEL, name)


_FIELDS: dict[type, Optional[tuple[str, ...]]] = {}
_LEAVES = (int, float, bool, type(None))
_MISSING = object()


def _fields(cls: type) -> Optional[tuple[str, ...]]:
    """The field names of a dataclass type, None for any other type (cached)."""
    try:
        return _FIELDS[cls]
    except KeyError:
        got = _FIELDS[cls] = (tuple(f.name for f in dataclasses.fields(cls))
                              if dataclasses.is_dataclass(cls) else None)
        return got


def _compile_str(value: str):
    return lambda name, arn, memo: _put(value, name, arn)


def _compile(value, cache: Optional[dict] = None, top: bool = False):
    """None if ``value`` holds no sentinel, else a function (name, arn, memo) -> the value with them
    put in.

    Walks strings, tuples and (frozen) dataclasses; the leaves that cannot hold a name are skipped
    without a call, since a path result has a few hundred of them and most hold no sentinel.
    ``cache`` (by id) compiles each dataclass value below ``value`` once: _PathCache shares equal
    hops and findings between paths and keeps them alive while the matrix is built.
    """
    cls = type(value)
    if cls is str:
        return _compile_str(value) if (NAME_SENTINEL in value or ARN_SENTINEL in value) else None
    if cls is tuple:
        subs = []
        for i, v in enumerate(value):
            t = type(v)
            if t is str:
                f = _compile_str(v) if (NAME_SENTINEL in v or ARN_SENTINEL in v) else None
            elif t in _LEAVES:
                continue
            else:
                f = _compile(v, cache)
            if f is not None:
                subs.append((i, f))
        if not subs:
            return None
        base = list(value)

        def build_tuple(name, arn, memo):
            items = base.copy()
            for i, f in subs:
                items[i] = f(name, arn, memo)
            return tuple(items)
        return build_tuple
    if _fields(cls) is None:
        return None
    if cache is not None and not top:
        got = cache.get(id(value), _MISSING)
        if got is _MISSING:
            got = cache[id(value)] = _compile(value, cache, top=True)
        return got
    subs = []
    for k in _fields(cls):
        v = getattr(value, k)
        t = type(v)
        if t is str:
            f = _compile_str(v) if (NAME_SENTINEL in v or ARN_SENTINEL in v) else None
        elif t in _LEAVES:
            continue
        else:
            f = _compile(v, cache)
        if f is not None:
            subs.append((k, f))
    if not subs:
        return None
    kwargs = {k: getattr(value, k) for k in _fields(cls)}

    def build_dataclass(name, arn, memo):
        # one copy per function: its H0 hop is the same for every target
        got = memo.get(id(value))  # the closure keeps value alive, so its id stays its own
        if got is None:
            kw = kwargs.copy()
            for k, f in subs:
                kw[k] = f(name, arn, memo)
            got = memo[id(value)] = cls(**kw)
        return got
    return build_dataclass


def _mentions_function(p: PathResult) -> bool:
    if _has(p.message):
        return True
    for h in p.hops:
        if _has(h.detail) or _has(h.component_id):
            return True
    for f in ((p.drop,) if p.drop is not None else ()) + p.blockers:
        if _has(f.explanation) or _has(f.fix) or _has(f.component_id):
            return True
    return any(_has(n) for n in p.notes)


class _Plan:
    """A path result traced for the stand-in, and how to make any function's copy of it."""

    __slots__ = ("path", "_build")

    def __init__(self, path: PathResult, cache: Optional[dict] = None):
        self.path = path
        # most paths never name the function: a flat scan of their strings is far cheaper than
        # compiling a builder for them
        self._build = _compile(path, cache, top=True) if _mentions_function(path) else None

    def build(self, name: str, arn: str, memo: dict) -> PathResult:
        """This path for the function ``name``; ``memo`` holds that function's copies so far."""
        return self.path if self._build is None else self._build(name, arn, memo)
