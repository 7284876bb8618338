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
