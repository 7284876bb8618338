"""What a trace returns: plain data, never formatted for a screen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

# Verdicts
REACHABLE = "reachable"
BLOCKED = "blocked"
INTERMITTENT = "intermittent"
UNKNOWN = "unknown"

# Symptoms: what the caller sees (LAMBDA-6, POL-14 in docs/aws-behaviour.md)
OK = "ok"
TIMEOUT = "timeout"
DNS_FAILURE = "dns-failure"
ACCESS_DENIED = "access-denied"
CONNECTION_REFUSED = "connection-refused"
INVOKE_ERROR = "invoke-error"
SYMPTOM_UNKNOWN = "unknown"

# Hop results
PASS = "pass"
DROP = "drop"
HOP_UNKNOWN = "unknown"
INFO = "info"  # a note on the path that decides nothing (a header rewrite, an assumption)


@dataclass(frozen=True, slots=True)
class Highlight:
    """What to point at in the other panes when this hop is selected."""

    kind: str  # route | sg_rule | nacl_entry | endpoint | subnet | policy | host | gateway
    owner_id: str  # rtb-, sg-, acl-, vpce-, subnet-, arn
    key: str = ""  # route destination, "egress:2" (rule index), NACL rule number "egress:100"


@dataclass(frozen=True, slots=True)
class Hop:
    hop: str  # H0..H10
    component_id: str
    component_type: str  # lambda-eni, dns, security-group, network-acl, route-table, ...
    result: str  # pass | drop | unknown | info
    detail: str
    highlight: Optional[Highlight] = None

    def to_dict(self) -> dict:
        return {"hop": self.hop, "component_id": self.component_id,
                "component_type": self.component_type, "result": self.result,
                "detail": self.detail}


@dataclass(frozen=True, slots=True)
class Finding:
    """A setting that blocks the path (or makes it unknown), with what to change."""

    hop: str
    reason: str  # reason code (engine/reasons.py)
    component_id: str
    explanation: str
    fix: str
    symptom: str = TIMEOUT

    def to_dict(self) -> dict:
        return {"hop": self.hop, "reason": self.reason, "component_id": self.component_id,
                "explanation": self.explanation, "fix": self.fix}


@dataclass(frozen=True, slots=True)
class PathResult:
    subnet_id: Optional[str]  # None for a function outside any VPC
    verdict: str  # reachable | blocked | unknown
    symptom: str
    message: str  # what the user sees, e.g. "Task timed out after 3.00 seconds"
    hops: tuple[Hop, ...]
    drop: Optional[Finding] = None
    blockers: tuple[Finding, ...] = ()  # every blocker after the first drop
    notes: tuple[str, ...] = ()

    def to_dict(self, hops: bool = True) -> dict:
        d = {
            "subnet_id": self.subnet_id,
            "verdict": self.verdict,
            "symptom": self.symptom,
            "message": self.message,
            "drop": self.drop.to_dict() if self.drop else None,
            "blockers": [b.to_dict() for b in self.blockers],
            "hops": [h.to_dict() for h in self.hops],
            "notes": list(self.notes),
        }
        if not hops:
            del d["hops"]
        return d


@dataclass(frozen=True, slots=True)
class Trace:
    source: str
    target: str
    verdict: str
    paths: tuple[PathResult, ...]
    target_description: str = ""
    error: Optional[str] = None  # the source or target could not be understood

    @property
    def symptom(self) -> str:
        """The symptom the user most likely reports: the first failing path's."""
        for p in self.paths:
            if p.verdict != REACHABLE:
                return p.symptom
        return OK if self.paths else SYMPTOM_UNKNOWN

    @property
    def drop(self) -> Optional[Finding]:
        for p in self.paths:
            if p.drop:
                return p.drop
        return None

    def to_dict(self, hops: bool = True) -> dict:
        """As JSON data; ``hops=False`` leaves each path's hop list out (matrix --json's default)."""
        d = {"source": self.source, "target": self.target, "verdict": self.verdict,
             "symptom": self.symptom, "paths": [p.to_dict(hops) for p in self.paths]}
        if self.error:
            d["error"] = self.error
        return d
