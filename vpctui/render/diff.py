"""A diff of two networks as plain text or Markdown (a pull-request comment)."""

from __future__ import annotations

from typing import Optional

from ..engine.diff import Change, Diff
from ..engine.result import Trace

_TITLES = {"broken": "Broken", "fixed": "Fixed", "changed": "Changed"}
_GLYPH = {"broken": "✗", "fixed": "✓", "changed": "~"}


def _state(t: Optional[Trace]) -> str:
    if t is None:
        return "absent"
    if t.verdict == "reachable":
        return "reachable"
    d = t.drop
    why = f" ({d.reason} at {d.component_id})" if d else ""
    return f"{t.verdict}, {t.symptom}{why}"


def _why(c: Change) -> str:
    t = c.after if c.group != "fixed" else None
    if t is None or t.verdict == "reachable":
        return ""
    p = next((p for p in t.paths if p.verdict != "reachable"), None)
    return p.message if p else ""


def _summary(d: Diff) -> str:
    n = {g: len(d.group(g)) for g in _TITLES}
    return (f"{n['broken']} broken, {n['fixed']} fixed, {n['changed']} changed "
            f"({d.functions} functions × {len(d.targets)} targets)")


def diff_text(d: Diff, before_name: str, after_name: str) -> str:
    out = [f"{before_name} → {after_name}: {_summary(d)}"]
    for g, title in _TITLES.items():
        rows = d.group(g)
        if not rows:
            continue
        out.append("")
        out.append(f"{title}:")
        for c in rows:
            out.append(f"  {_GLYPH[g]} {c.source} → {c.target}: {_state(c.before)} → {_state(c.after)}")
            why = _why(c)
            if why:
                out.append(f"      {why}")
    if not d.changes:
        out.append("no function × target changed its verdict or symptom")
    return "\n".join(out) + "\n"


def _md(s: str) -> str:
    """Text for a Markdown table cell: no markup, no table breaks."""
    out = s.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    for ch in "`*_[]<>#":
        out = out.replace(ch, "\\" + ch)
    return out


def diff_markdown(d: Diff, before_name: str, after_name: str) -> str:
    head = "❌" if d.broken else "✅"
    out = [f"### {head} vpctui: {_md(before_name)} → {_md(after_name)}", "", f"**{_summary(d)}**", ""]
    if d.broken:
        first = d.broken[0]
        why = _why(first)
        out += [f"This change breaks {_md(first.source)} → {_md(first.target)}" + (f" ({_md(why)})" if why else "") + ".", ""]
    for g, title in _TITLES.items():
        rows = d.group(g)
        if not rows:
            continue
        out += [f"#### {_GLYPH[g]} {title} ({len(rows)})", "", "| function | target | before | after | what the function sees |",
                "|---|---|---|---|---|"]
        for c in rows:
            out.append(f"| {_md(c.source)} | {_md(c.target)} | {_md(_state(c.before))} | {_md(_state(c.after))} | {_md(_why(c))} |")
        out.append("")
    if not d.changes:
        out.append("No function × target changed its verdict or symptom.")
    return "\n".join(out).rstrip() + "\n"
