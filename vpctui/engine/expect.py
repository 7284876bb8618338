"""Network intent tests: evaluate a scenario's ``expect:`` blocks."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable, Optional

from ..model.network import Expectation, Network
from .reasons import REASONS
from .result import Trace
from .trace import TraceError, trace


@dataclass(frozen=True)
class Outcome:
    expectation: Expectation
    trace: Optional[Trace]
    problems: tuple[str, ...]  # empty: the expectation holds

    @property
    def ok(self) -> bool:
        return not self.problems


def check(network: Network, expectations: Iterable[Expectation]) -> list[Outcome]:
    out = []
    for e in expectations:
        try:
            tr = trace(network, e.source, e.target)
        except TraceError as err:
            out.append(Outcome(e, None, (str(err),)))
            continue
        out.append(Outcome(e, tr, tuple(_problems(e, tr))))
    return out


def outcome_problems(e: Expectation, tr: Trace) -> list[str]:
    """Where the trace's verdict or symptom differs from the expectation (what a matrix cell
    shows; ``check`` adds the reason and the component)."""
    probs = []
    if e.verdict and tr.verdict != e.verdict:
        probs.append(f"verdict is {tr.verdict}, expected {e.verdict}")
    if e.symptom and tr.symptom != e.symptom:
        probs.append(f"symptom is {tr.symptom}, expected {e.symptom}")
    return probs


def _problems(e: Expectation, tr: Trace) -> list[str]:
    probs = []
    if e.reason and e.reason not in REASONS:
        close = difflib.get_close_matches(e.reason, list(REASONS), n=1)
        probs.append(f"{e.reason} is not a reason code" + (f" (did you mean {close[0]}?)" if close else ""))
    probs += outcome_problems(e, tr)
    failing = [p for p in tr.paths if p.drop is not None]
    if e.reason:
        reasons = [p.drop.reason for p in failing] + [b.reason for p in failing for b in p.blockers]
        if e.reason not in reasons:
            probs.append(f"reason {e.reason} not found (got {', '.join(dict.fromkeys(reasons)) or 'none'})")
    if e.component_id:
        comps = [p.drop.component_id for p in failing]
        if e.component_id not in comps:
            probs.append(f"drop component is {', '.join(comps) or 'none'}, expected {e.component_id}")
    return probs


def _fields(e: Expectation) -> str:
    parts = [f"{k} {v}" for k, v in (("verdict", e.verdict), ("symptom", e.symptom), ("reason", e.reason),
                                     ("component", e.component_id)) if v is not None]
    return ", ".join(parts) or "no fields"


def restate(before: Network, after: Network) -> tuple[tuple[Expectation, ...], list[str]]:
    """``after``'s expectations (copied from ``before``) for a file that writes ``after``: each one
    that held on ``before`` and fails on ``after`` is restated from ``after``'s trace, with the
    same fields given (verdict always; symptom, reason and component where a drop has them);
    the others are copied as they were (an expectation that was already wrong stays wrong, for
    ``check`` to report). Returns them and one note per restated line."""
    out: list[Expectation] = []
    notes: list[str] = []
    for was, now in zip(check(before, before.expectations), check(after, before.expectations)):
        e = was.expectation
        if not was.ok or now.ok or now.trace is None:
            out.append(e)
            continue
        tr = now.trace
        drops = [p.drop for p in tr.paths if p.drop is not None]
        bad = tr.verdict != "reachable" and drops
        new = Expectation(
            e.source, e.target, verdict=tr.verdict,
            symptom=tr.symptom if (e.symptom and tr.verdict != "reachable") else None,
            reason=drops[0].reason if (e.reason and bad) else None,
            component_id=drops[0].component_id if (e.component_id and bad) else None,
            line=e.line)
        out.append(new)
        notes.append(f"expect: {e.source} → {e.target} restated: was {_fields(e)}; now {_fields(new)}")
    return tuple(out), notes
