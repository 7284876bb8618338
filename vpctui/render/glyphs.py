"""The one presentation vocabulary: each verdict, hop result, symptom and subnet kind as a glyph, a
word and a semantic role.

Meaning never rests on colour alone: the glyph and the word carry it, so a screen reads the same
with NO_COLOR, in 16 colours and on a washed-out projector. The role says what colour it may get:
the CLI maps roles to Rich styles (``RICH_STYLE`` here), the TUI to theme variables
(vpctui/tui/theme.py: ``$success``, ``$error``, ...). No Textual here, and no markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..engine.result import (
    ACCESS_DENIED, BLOCKED, CONNECTION_REFUSED, DNS_FAILURE, DROP, HOP_UNKNOWN, INFO, INTERMITTENT,
    INVOKE_ERROR, OK, PASS, REACHABLE, TIMEOUT, UNKNOWN, Trace,
)
from ..engine.subnets import (
    BLACKHOLE, EGRESS_ONLY, ISOLATED, PRIVATE_NAT, PRIVATE_OTHER, PUBLIC, SubnetClass,
)

# semantic roles
SUCCESS = "success"
ERROR = "error"
WARNING = "warning"
MUTED = "muted"


@dataclass(frozen=True, slots=True)
class Glyph:
    glyph: str
    word: str
    role: str
    strong: bool = False  # the CLI prints it bold

    @property
    def text(self) -> str:
        return f"{self.glyph} {self.word}"


VERDICTS: dict[str, Glyph] = {
    REACHABLE: Glyph("✓", "REACHABLE", SUCCESS, True),
    BLOCKED: Glyph("✗", "BLOCKED", ERROR, True),
    INTERMITTENT: Glyph("~", "INTERMITTENT", WARNING, True),
    UNKNOWN: Glyph("?", "UNKNOWN", WARNING, True),
}
HOP_RESULTS: dict[str, Glyph] = {
    PASS: Glyph("✓", "pass", SUCCESS),
    DROP: Glyph("✗", "DROP", ERROR, True),
    HOP_UNKNOWN: Glyph("?", "unknown", WARNING),
    INFO: Glyph("·", "note", MUTED),
}
# the word a matrix cell gives what the function sees (short: the cells are narrow)
SYMPTOMS: dict[str, Glyph] = {
    OK: Glyph("✓", "ok", SUCCESS),
    TIMEOUT: Glyph("✗", "timeout", ERROR),
    DNS_FAILURE: Glyph("✗", "dns", ERROR),
    ACCESS_DENIED: Glyph("✗", "denied", ERROR),
    CONNECTION_REFUSED: Glyph("✗", "refused", ERROR),
    INVOKE_ERROR: Glyph("✗", "invoke", ERROR),
    "unknown": Glyph("?", "unknown", WARNING),
}
SUBNET_KINDS: dict[str, Glyph] = {
    PRIVATE_NAT: Glyph("✓", "private via NAT", SUCCESS),
    PUBLIC: Glyph("⚠", "public", WARNING),
    PRIVATE_OTHER: Glyph("→", "private", MUTED),
    EGRESS_ONLY: Glyph("→", "IPv6 egress-only", MUTED),
    BLACKHOLE: Glyph("✗", "blackhole", ERROR),
    ISOLATED: Glyph("○", "isolated", MUTED),
}

# the CLI's colours for each role (the TUI's are theme variables: vpctui/tui/theme.py)
RICH_STYLE = {SUCCESS: "green", ERROR: "red", WARNING: "yellow", MUTED: "dim"}


def verdict(v: str) -> Glyph:
    return VERDICTS.get(v) or Glyph("?", v.upper(), WARNING, True)


def hop_result(r: str) -> Glyph:
    return HOP_RESULTS.get(r) or Glyph("?", r, WARNING)


def symptom(s: str) -> Glyph:
    return SYMPTOMS.get(s) or Glyph("?", s, WARNING)


def subnet_kind(kind: str) -> Glyph:
    return SUBNET_KINDS.get(kind) or Glyph("?", kind, WARNING)


def rich_style(g: Glyph) -> str:
    """The CLI's Rich style for a glyph's role."""
    colour = RICH_STYLE.get(g.role, "")
    return f"bold {colour}" if g.strong else colour


def cell_text(tr: Trace) -> str:
    """A matrix cell: the verdict's glyph and the word the function sees ('✓ ok', '✗ timeout',
    '~ timeout', '? unknown', '✗ dns'). Its role is the verdict's."""
    return f"{verdict(tr.verdict).glyph} {symptom(tr.symptom).word}"


def legend(table: dict[str, Glyph], lower: bool = False) -> str:
    """'✓ REACHABLE  ✗ BLOCKED  ...' for help and legends."""
    return "  ".join(f"{g.glyph} {g.word.lower() if lower else g.word}" for g in table.values())


def subnet_label(c: SubnetClass) -> str:
    """'⚠ public — no internet for Lambda', '○ isolated · has endpoints: s3, ssm'."""
    g = subnet_kind(c.kind)
    if c.endpoints:
        return f"{g.glyph} {c.word} · has endpoints: {', '.join(c.endpoint_services)}"
    return f"{g.glyph} {c.explanation}"


def subnet_long_label(c: SubnetClass) -> str:
    """'✓ private via NAT: internet OK · has endpoints: s3 (gateway), ssm (interface)'."""
    text = f"{subnet_kind(c.kind).glyph} {c.explanation}"
    if c.endpoints:
        text += " · has endpoints: " + ", ".join(f"{e.service} ({e.endpoint_type})" for e in c.endpoints)
    return text
