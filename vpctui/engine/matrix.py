"""Every function x every target, tracing each distinct path once.

A function attached to a VPC gets one Hyperplane ENI per (subnet, security-group set), shared by
every function that uses the same subnet and security groups (LAMBDA-1). What a path through
that ENI does to a request depends on nothing else of the function but a few settings (its role, its
timeout for the message, whether it may send IPv6, how its SDK names STS, its state). So the matrix
traces once per distinct

    (subnet, security groups, role, the other settings in ``KEY_FIELDS``, target)

and gives every function that shares that key the same path. The engine records a path as a
template (engine/path.py ``PathTemplate``) whose few texts that name the function (an AccessDenied
message names the role session, a fix names the function to move) hold slots; each function's path
is the template with its own name and ARN filled in. The result equals, field for field, what
``trace_target`` returns for each (function, target) one at a time; ``tests/unit/test_equivalence.py``
checks that on generated networks.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterable, Iterator, Optional

from ..model.network import LambdaFunction, Network
from .cache import StepCache
from .path import PathTemplate
from .result import Trace
from .targets import Target, TargetError, default_targets, parse_target
from .trace import TraceError, combine, resolve_function, trace_path

# The LambdaFunction fields a path's result depends on (besides the subnet). Every other field is
# either filled into the texts that name the function (function_name, arn), split into paths
# (subnet_ids) or not read by the engine (runtime). tests/unit/test_equivalence.py fails when a
# field is added to LambdaFunction without deciding which group it belongs to.
KEY_FIELDS: tuple[str, ...] = (
    "security_group_ids", "role", "ipv6_allowed_for_dual_stack", "timeout",
    "sts_regional_endpoints", "state", "state_reason_code", "runtime", "sdk", "environment",
)
NAMED_FIELDS: tuple[str, ...] = ("function_name", "arn")
PER_PATH_FIELDS: tuple[str, ...] = ("subnet_ids",)
UNUSED_FIELDS: tuple[str, ...] = ()


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
    return tuple(getattr(fn, f) for f in KEY_FIELDS)


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
        self.plans: dict[tuple, list[PathTemplate]] = {}  # (subnet, settings) -> one plan per target
        self.uses: dict[tuple, int] = {}  # functions still to come per key: a plan is dropped after its last

    def expect(self, key: tuple) -> None:
        self.uses[key] = self.uses.get(key, 0) + 1

    def get(self, key: tuple, fn: LambdaFunction) -> list[PathTemplate]:
        row = self.plans.get(key)
        if row is None:
            # traced for the first function with this key: the template holds nothing of the
            # function but its settings (its name and ARN are slots)
            row = self.plans[key] = [trace_path(self.network, fn, key[0], t, self.cache) for t in self.targets]
        return row

    def done(self, key: tuple) -> None:
        n = self.uses[key] = self.uses[key] - 1
        if n == 0:
            del self.plans[key]
