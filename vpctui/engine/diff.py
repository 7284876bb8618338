"""What changed between two networks: every function x target whose verdict or symptom differs.

``diff(before, after, targets)`` traces the matrix on both networks (targets: both networks' own plus
``targets``; functions: both networks') and returns the pairs whose verdict or symptom changed,
grouped: ``broken`` (was reachable, is not), ``fixed`` (was not, is reachable), ``changed`` (any
other change: a different symptom, blocked ↔ unknown, a function or target only one side has,
which never counts as broken).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

from ..model.network import Network
from .matrix import matrix
from .result import REACHABLE, Trace
from .targets import default_targets


@dataclass(frozen=True)
class Change:
    source: str
    target: str
    group: str  # broken | fixed | changed
    before: Optional[Trace]  # None: the function or target is not in BEFORE
    after: Optional[Trace]

    @staticmethod
    def _side(t: Optional[Trace]) -> dict:
        if t is None:
            return {"verdict": "absent", "symptom": None, "reason": None, "component_id": None, "message": None}
        d = t.drop
        p = next((p for p in t.paths if p.verdict != REACHABLE), t.paths[0] if t.paths else None)
        return {"verdict": t.verdict, "symptom": t.symptom, "reason": d.reason if d else None,
                "component_id": d.component_id if d else None, "message": p.message if p else None,
                "explanation": d.explanation if d else None}

    def to_dict(self) -> dict:
        return {"from": self.source, "to": self.target, "group": self.group,
                "before": self._side(self.before), "after": self._side(self.after)}


@dataclass(frozen=True)
class Diff:
    changes: tuple[Change, ...]
    functions: int
    targets: tuple[str, ...]

    def group(self, name: str) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.group == name)

    @property
    def broken(self) -> tuple[Change, ...]:
        return self.group("broken")

    def to_dict(self) -> dict:
        return {"targets": list(self.targets), "functions": self.functions,
                "broken": [c.to_dict() for c in self.group("broken")],
                "fixed": [c.to_dict() for c in self.group("fixed")],
                "changed": [c.to_dict() for c in self.group("changed")]}


def _targets(before: Network, after: Network, extra: Iterable[str]) -> list[str]:
    out: list[str] = []
    for t in list(before.targets) + list(after.targets) + list(extra):
        if t not in out:
            out.append(t)
    if not out:
        for t in default_targets(before) + default_targets(after):
            if t not in out:
                out.append(t)
    return out


def _traces(net: Network, targets: list[str]) -> dict[tuple[str, str], Trace]:
    from .targets import TargetError, parse_target

    ok = []
    for t in targets:
        try:
            parse_target(net, t)
            ok.append(t)
        except TargetError:
            continue  # a target this side cannot name (a host only the other side has)
    if not ok or not net.functions:
        return {}
    return {(t.source, t.target): t for t in matrix(net, ok)}


def classify(before: Optional[Trace], after: Optional[Trace]) -> Optional[str]:
    if before is not None and after is not None:
        if before.verdict == after.verdict and before.symptom == after.symptom:
            return None
    if before is None or after is None:
        return "changed"  # a function or target only one side has: not a break
    was = before.verdict == REACHABLE
    now = after.verdict == REACHABLE
    if was and not now:
        return "broken"
    if now and not was:
        return "fixed"
    return "changed"


def diff_traces(before: dict, after: dict, order: list[tuple[str, str]]) -> list[Change]:
    out = []
    for key in order:
        b, a = before.get(key), after.get(key)
        g = classify(b, a)
        if g is not None:
            out.append(Change(key[0], key[1], g, b, a))
    return out


def diff(before: Network, after: Network, targets: Iterable[str] = ()) -> Diff:
    tl = _targets(before, after, targets)
    tb, ta = _traces(before, tl), _traces(after, tl)
    fns = [f.function_name for f in before.functions]
    fns += [f.function_name for f in after.functions if f.function_name not in set(fns)]
    order = [(f, t) for f in fns for t in tl if (f, t) in tb or (f, t) in ta]
    return Diff(tuple(diff_traces(tb, ta, order)), len(fns), tuple(tl))


@dataclass(frozen=True)
class HopChange:
    """Where one trace differs from another: the first path that changed and its first hop that did."""

    subnet_id: Optional[str]
    before: Optional[object]  # the Hop before (None: the path had no hop there)
    after: Optional[object]  # the Hop after


def hop_change(before: Trace, after: Trace) -> Optional[HopChange]:
    """The first hop that differs between two traces of the same function and target (the path of
    the same subnet; a path only one side has counts from its first hop). None when they agree."""
    by_subnet = {p.subnet_id: p for p in before.paths}
    seen = set()
    for p in after.paths:
        seen.add(p.subnet_id)
        q = by_subnet.get(p.subnet_id)
        if q is None:
            return HopChange(p.subnet_id, None, p.hops[0] if p.hops else None)
        if (q.verdict, q.symptom, q.drop) == (p.verdict, p.symptom, p.drop) and q.hops == p.hops:
            continue
        for i in range(max(len(q.hops), len(p.hops))):
            a = q.hops[i] if i < len(q.hops) else None
            b = p.hops[i] if i < len(p.hops) else None
            if a is None or b is None or (a.hop, a.component_id, a.result) != (b.hop, b.component_id, b.result):
                return HopChange(p.subnet_id, a, b)
        for i, (a, b) in enumerate(zip(q.hops, p.hops)):
            if a != b:
                return HopChange(p.subnet_id, a, b)
        return HopChange(p.subnet_id, None, None)
    for q in before.paths:
        if q.subnet_id not in seen:
            return HopChange(q.subnet_id, q.hops[0] if q.hops else None, None)
    return None
