"""Traces, matrices and check results as Markdown (to paste into a ticket or a pull request) and
as TSV (for scripts): what ``--format md`` and ``--format tsv`` print, and what the TUI's ``s``
saves.

Plain strings, no Rich: a Markdown cell escapes what Markdown would read as markup, a TSV field
has its tabs and newlines replaced by spaces (a field never splits a row).
"""

from __future__ import annotations

from typing import Iterable, Optional, Sequence

from ..engine.result import REACHABLE, PathResult, Trace
from ..model.network import Network
from . import glyphs


def md(s: object) -> str:
    """Text for Markdown (a table cell or a line): no markup, no table breaks."""
    out = str(s).replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")
    for ch in "`*_[]<>#":
        out = out.replace(ch, "\\" + ch)
    return out


def tsv(s: object) -> str:
    return "" if s is None else str(s).replace("\t", " ").replace("\r", " ").replace("\n", " ")


def hop_label(h) -> str:
    """The hop's category (``H5``) and what it is (``nat-gateway``): the label of a numbered step."""
    return f"{h.hop} {h.component_type}" if h.component_type else h.hop


def why_text(f, message: str) -> str:
    """A finding's explanation, unless it only repeats what the function sees (an AccessDenied
    message): then the reason in words, so that the message is printed once."""
    from ..engine.reasons import REASONS

    exp = f.explanation
    if message and exp.strip() and (exp.strip() == message.strip() or exp.strip() in message):
        known = REASONS.get(f.reason)
        return known[2] if known else ""
    return exp


def _subnet(network: Optional[Network], subnet_id: Optional[str]) -> str:
    if subnet_id is None:
        return "no VPC"
    s = network.get(subnet_id) if network else None
    if s is None or not getattr(s, "name", ""):
        return subnet_id
    return f"{s.name} ({subnet_id})"


def _verdict(v: str) -> str:
    g = glyphs.verdict(v)
    return f"{g.glyph} {g.word}"


def path_markdown(network: Optional[Network], p: PathResult, n: int, of: int) -> list[str]:
    head = f"### Path {n}/{of}: {md(_subnet(network, p.subnet_id))}: {_verdict(p.verdict)}" if of > 1 else \
        f"### {md(_subnet(network, p.subnet_id))}: {_verdict(p.verdict)}"
    out = [head, "", "| step | hop | component | result | decision |", "|---:|---|---|---|---|"]
    for i, h in enumerate(p.hops, 1):
        g = glyphs.hop_result(h.result)
        out.append(f"| {i} | {md(hop_label(h))} | {md(h.component_id)} | {md(g.text.strip())} | {md(h.detail)} |")
    out.append("")
    out.append(f"**User sees:** {md(p.message)}")
    out.append("")
    findings = ((("Drop" if p.verdict != "unknown" else "Unknown"), p.drop),) if p.drop else ()
    findings += tuple(("Also", b) for b in p.blockers)
    for title, f in findings:
        step = next((i for i, h in enumerate(p.hops, 1) if h.hop == f.hop and h.component_id == f.component_id
                     and h.result != "pass"), None)
        at = f" (step {step})" if step else ""
        out += [f"- **{title}:** `{f.reason}` at {md(f.hop)} {md(f.component_id)}{at}",
                f"  - **Why:** {md(why_text(f, p.message))}", f"  - **Fix:** {md(f.fix)}"]
    for note in p.notes:
        out.append(f"- note: {md(note)}")
    if findings or p.notes:
        out.append("")
    return out


def trace_markdown(network: Optional[Network], tr: Trace, title: str = "") -> str:
    """A trace as Markdown: the verdict, then each path's hops as a table, its drop, why and fix."""
    out = [f"## vpctui: {md(tr.source)} → {md(tr.target)}: {_verdict(tr.verdict)}", ""]
    if title:
        out += [f"Network: {md(title)}", ""]
    if tr.error:
        out += [md(tr.error), ""]
    if tr.target_description:
        out += [md(tr.target_description), ""]
    if tr.verdict == "intermittent":
        ok = [_subnet(network, p.subnet_id) for p in tr.paths if p.verdict == REACHABLE]
        bad = [_subnet(network, p.subnet_id) for p in tr.paths if p.verdict != REACHABLE]
        out += [md(f"Intermittent: works from {', '.join(ok)}; fails from {', '.join(bad)} "
                   "(depends on which subnet the execution environment lands in)"), ""]
    for n, p in enumerate(tr.paths, 1):
        out += path_markdown(network, p, n, len(tr.paths))
    return "\n".join(out).rstrip("\n") + "\n"


TRACE_TSV_HEADER = ("source", "target", "path", "subnet_id", "step", "hop", "component_id", "component_type",
                    "result", "detail")


def trace_tsv(tr: Trace) -> str:
    """One row per hop of every path (a header first)."""
    rows = ["\t".join(TRACE_TSV_HEADER)]
    for n, p in enumerate(tr.paths, 1):
        for i, h in enumerate(p.hops, 1):
            rows.append("\t".join(tsv(x) for x in (tr.source, tr.target, n, p.subnet_id or "", i, h.hop,
                                                   h.component_id, h.component_type, h.result, h.detail)))
    return "\n".join(rows) + "\n"


def matrix_cells(traces: Iterable[Trace]) -> tuple[list[str], dict[str, dict[str, Trace]]]:
    """The targets in order of appearance, and each function's trace per target (the matrix's
    columns and rows; the CLI's table, Markdown and the TUI's view lay them out)."""
    targets: list[str] = []
    rows: dict[str, dict[str, Trace]] = {}
    for t in traces:
        if t.target not in targets:
            targets.append(t.target)
        rows.setdefault(t.source, {})[t.target] = t
    return targets, rows


def matrix_markdown(traces: Sequence[Trace], title: str = "") -> str:
    targets, rows = matrix_cells(traces)
    out = [f"## vpctui matrix{': ' + md(title) if title else ''}", ""]
    if not rows:
        return "\n".join(out + ["no functions × targets to show"]) + "\n"
    out.append("| function | " + " | ".join(md(t) for t in targets) + " |")
    out.append("|---|" + "---|" * len(targets))
    for fn, cells in rows.items():
        out.append(f"| {md(fn)} | " + " | ".join(md(glyphs.cell_text(cells[t])) if t in cells else "" for t in targets) + " |")
    blocked = [t for t in traces if t.verdict != REACHABLE]
    if blocked:
        out += ["", "| function | target | verdict | reason | at |", "|---|---|---|---|---|"]
        for t in blocked:
            d = t.drop
            out.append(f"| {md(t.source)} | {md(t.target)} | {_verdict(t.verdict)} | "
                       f"{md(d.reason) if d else ''} | {md(d.component_id) if d else ''} |")
    return "\n".join(out) + "\n"


MATRIX_TSV_HEADER = ("source", "target", "verdict", "symptom", "reason", "hop", "component_id")


def matrix_tsv_rows(traces: Iterable[Trace]) -> Iterable[str]:
    """The header, then one row per function × target (streamed: a row as soon as its trace is done)."""
    yield "\t".join(MATRIX_TSV_HEADER)
    for t in traces:
        d = t.drop
        yield "\t".join(tsv(x) for x in (t.source, t.target, t.verdict, t.symptom, d.reason if d else "",
                                         d.hop if d else "", d.component_id if d else ""))


def check_markdown(results: Sequence[dict]) -> str:
    failed = sum(1 for r in results if not r["ok"])
    out = [f"## vpctui check: {len(results) - failed} passed, {failed} failed", ""]
    if results:
        out += ["| | file:line | function | target | verdict | problems |", "|---|---|---|---|---|---|"]
        for r in results:
            out.append(f"| {'✓' if r['ok'] else '✗'} | {md(r['file'])}:{r['line']} | {md(r['from'])} | {md(r['to'])} | "
                       f"{md(r['verdict'] or '')} | {md('; '.join(r['problems']))} |")
    return "\n".join(out) + "\n"


CHECK_TSV_HEADER = ("file", "line", "from", "to", "ok", "verdict", "problems")


def check_tsv(results: Sequence[dict]) -> str:
    rows = ["\t".join(CHECK_TSV_HEADER)]
    for r in results:
        rows.append("\t".join(tsv(x) for x in (r["file"], r["line"], r["from"], r["to"], "true" if r["ok"] else "false",
                                               r["verdict"] or "", "; ".join(r["problems"]))))
    return "\n".join(rows) + "\n"
