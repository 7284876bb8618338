"""What-if in the TUI: apply a fix (a / A), edit a component (e), undo (u) and redo (U), review the
changes as AWS CLI commands and a snippet (C), write the edited network as a scenario file (w).

The app keeps a ``ChangeList`` (the loaded network and the edits since); every change gives a new
frozen network. The trace on screen re-runs on it and shows before → after (the verdict and the hop
that changed); the matrix is re-traced incrementally (only the traces whose components the change
touched) and marks every cell whose verdict or symptom changed, the broken ones included.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional, Sequence

from ..engine.edits import ChangeList, Edit, EditError, touched
from ..engine.result import REACHABLE, Trace
from ..model.network import Network
from .format import esc

# past this many cells the matrix is not computed just to mark what a change did (it is when the
# user opens it; until then there is nothing on screen to mark)
MARK_MATRIX_UP_TO = 4000


def _changed_hop_index(before: Trace, after: Trace) -> Optional[int]:
    """The position (over all paths) of the first hop of ``after`` that differs from ``before``."""
    from ..engine.diff import hop_change

    ch = hop_change(before, after)
    if ch is None or ch.after is None:
        return None
    n = 0
    for p in after.paths:
        for h in p.hops:
            if h is ch.after:
                return n
            n += 1
    return None


WHATIF_ACTIONS = {"apply_fix", "pick_fix", "edit", "undo", "redo", "changes", "write"}

class WhatIfMixin:
    """Actions of the app (VpcTuiApp) for what-if changes."""

    changes: Optional[ChangeList] = None
    compare: Optional[tuple[Trace, str]] = None  # the trace before the last change, and the change
    matrix_marks: dict = {}
    _incremental = None
    _written: tuple = ()  # the changes in effect when `w` last wrote a file

    # ---- state ----------------------------------------------------------------------------------

    def check_whatif(self, action: str) -> Optional[bool]:
        """check_action for the what-if keys: None (greyed out) when they make no sense now."""
        if self.screen is not self.screen_stack[0] or self.network is None or self.partial:
            return None  # (while a live load is still reading, a change would be dropped when it ends)
        if action in ("apply_fix", "pick_fix") and (self.trace is None or self.trace.verdict == "reachable"):
            return None
        if action in ("undo", "changes") and not (self.changes and self.changes.done):
            return None
        if action == "redo" and not (self.changes and self.changes.undone):
            return None
        return True

    def unsaved_changes(self) -> int:
        """How many changes are in effect that no `w` has written since they were made."""
        if self.changes is None:
            return 0
        done = tuple(self.changes.done)
        return 0 if done == self._written else len(done)

    def quit_or_ask(self) -> bool:
        """q: False when there are unsaved changes (then this asks: write first, quit anyway or stay)."""
        n = self.unsaved_changes()
        if not n:
            return True
        from .screens.whatif import QuitScreen

        def chosen(choice: Optional[str]) -> None:
            if choice == "quit":
                self.exit(return_code=0)
            elif choice == "write":
                self.action_write()

        self.push_screen(QuitScreen(n), chosen)
        return False

    def whatif_reset(self, network: Network) -> None:
        """A (re)load starts a new change list on the loaded network."""
        if self.changes is not None and self.changes.done:
            self.notify(f"{len(self.changes.done)} unsaved change(s) dropped by the reload", severity="warning")
        self.changes = ChangeList(network)
        self._written = ()
        self.compare = None
        self.matrix_marks = {}
        self._incremental = None

    def _whatif_title(self) -> None:
        base = self.source.title(self.network) if self.network is not None else ""
        n = len(self.changes.done) if self.changes is not None else 0
        self.sub_title = f"{base} · ✎ {n} change{'s' if n != 1 else ''} (C review, u undo, w write)" if n else base

    # ---- a / A: fixes ---------------------------------------------------------------------------

    def _trace_fixes(self) -> list[tuple[str, object]]:
        from ..engine.fixes import trace_fixes

        out = []
        for p, f, fxs in trace_fixes(self.network, self.trace):
            where = f"{f.hop} {f.reason} at {f.component_id}" + (f" ({p.subnet_id})" if len(self.trace.paths) > 1 else "")
            for fx in fxs:
                out.append((where, fx))
        return out

    def action_apply_fix(self) -> None:
        from ..engine.fixes import first_fix

        tr = self.trace
        if self.network is None or tr is None:
            self.notify("Trace first (t), then a applies the fix.", severity="warning")
            return
        if tr.verdict == REACHABLE:
            self.notify("This trace is reachable: nothing to fix.")
            return
        found = first_fix(self.network, tr)
        if found is None:
            texts = "; ".join(fx.why_text_only for _, fx in self._trace_fixes() if fx.why_text_only)[:300]
            self.notify(f"No fix vpctui can apply here: {texts or 'no fix known'}", title="✗ Text-only fixes",
                        severity="warning", timeout=8)
            return
        _p, _f, fx = found
        self.apply_edits(fx.edits, fx.text)

    def action_pick_fix(self) -> None:
        from .screens.whatif import FixPickerScreen

        tr = self.trace
        if self.network is None or tr is None or tr.verdict == REACHABLE:
            self.notify("A dropped trace first (t).", severity="warning")
            return
        fixes = self._trace_fixes()

        def picked(i: Optional[int]) -> None:
            if i is not None:
                fx = fixes[i][1]
                self.apply_edits(fx.edits, fx.text)

        self.push_screen(FixPickerScreen(f"{tr.source} → {tr.target}", fixes), picked)

    # ---- e: edit the selected component ---------------------------------------------------------

    def action_edit(self) -> None:
        from .edit_forms import operations
        from .screens.whatif import EditScreen
        from .widgets.details import DetailsPane

        details = self.query_one(DetailsPane)
        obj = details.component
        if self.network is None or obj is None:
            self.notify("Select a component first (its details show in pane 5).", severity="warning")
            return
        ops = operations(self.network, obj)
        if not ops:
            self.notify(f"vpctui has no edit for {details.component_id}.", severity="warning")
            return

        def done(edit) -> None:
            if edit is not None:
                self.apply_edits([edit], edit.describe())

        self.push_screen(EditScreen(details.component_id or "", ops, self.network), done)

    # ---- applying, undo, redo -------------------------------------------------------------------

    def apply_edits(self, edits: Sequence[Edit], label: str) -> bool:
        if self.network is None:
            return False
        if self.changes is None or self.changes.network is not self.network:
            self.changes = ChangeList(self.network)
        old = self.network
        try:
            self.changes = self.changes.add(list(edits), label)
        except EditError as e:
            self.notify(str(e), title="✗ Cannot apply", severity="error", timeout=8)
            return False
        new = self.changes.network
        self._move_to(old, new, touched(old, edits) | touched(new, edits), label)
        return True

    def action_undo(self) -> None:
        cl = self.changes
        if cl is None or not cl.done:
            self.notify("Nothing to undo.")
            return
        change = cl.done[-1]
        old = cl.network
        self.changes = cl.undo()
        new = self.changes.network
        self._move_to(old, new, touched(new, change.edits) | touched(old, change.edits), f"undo: {change.label}")

    def action_redo(self) -> None:
        cl = self.changes
        if cl is None or not cl.undone:
            self.notify("Nothing to redo.")
            return
        change = cl.undone[-1]
        old = cl.network
        self.changes = cl.redo()
        new = self.changes.network
        self._move_to(old, new, touched(old, change.edits) | touched(new, change.edits), f"redo: {change.label}")

    def _move_to(self, old: Network, new: Network, ids, label: str) -> None:
        before = self.trace
        self.network = new  # the panes follow (widgets/base.py)
        self._mark_matrix(old, new, ids)
        self._whatif_title()
        if before is not None:
            self.run_trace(before.source, before.target, hop=max(0, self.hop_index), compare=(before, label),
                           in_worker=False)  # the result is read just below
            after = self.trace
            idx = _changed_hop_index(before, after) if after is not None else None
            if idx is not None:
                self.hop_index = idx
            if after is not None:
                word = "✓ reachable" if after.verdict == REACHABLE else f"✗ {after.verdict} ({after.symptom})"
                self.notify(f"{label}\n{before.source} → {before.target}: {word}", title="✎ Applied")
        else:
            self.notify(label, title="✎ Applied")
        if self.mode == "matrix":
            self._fill_matrix()

    def _mark_matrix(self, old: Network, new: Network, ids) -> None:
        """Re-trace the matrix cells the change touched and remember which changed."""
        from ..engine.incremental import IncrementalMatrix

        inc = self._incremental
        if inc is None or inc.network is not old:
            if self.matrix_traces:
                inc = IncrementalMatrix.from_traces(old, list(dict.fromkeys(t.target for t in self.matrix_traces)),
                                                    list(self.matrix_traces))
            elif len(old.functions) * max(1, len(old.targets) or 4) <= MARK_MATRIX_UP_TO:
                inc = IncrementalMatrix.build(old)
            else:
                self._incremental = None
                self.matrix_marks = {}
                self.matrix_traces = []
                return
        before = list(inc.traces)
        changed = inc.retrace(new, ids)
        self._incremental = inc
        self.matrix_marks = {(before[i].source, before[i].target): before[i] for i in changed
                             if (before[i].verdict, before[i].symptom) != (inc.traces[i].verdict, inc.traces[i].symptom)}
        self.matrix_traces = list(inc.traces)

    # ---- C: review, w: write --------------------------------------------------------------------

    def action_changes(self) -> None:
        from ..render.changes import aws_cli, snippet
        from .screens.whatif import ChangesScreen

        cl = self.changes
        if cl is None or not cl.done:
            self.notify("No changes yet: a applies a fix, e edits a component.")
            return
        edits = list(cl.edits)
        try:
            cmds = aws_cli(cl.base, edits)
            kind, snip = snippet(cl.base, edits)
        except EditError as e:  # pragma: no cover - the list applied once already
            self.notify(str(e), severity="error")
            return
        lines = ["[b]Changes[/] (u undoes the last, U redoes):"]
        for i, c in enumerate(cl.done, 1):
            lines.append(f"  {i}. {esc(c.label)}")
            for e in c.edits:
                lines.append(f"     [dim]{esc(e.describe())}[/]")
        if cl.undone:
            lines.append(f"[dim]  ({len(cl.undone)} undone, U redoes)[/]")
        lines += ["", "[b]AWS CLI[/] (review, then run them yourself; vpctui never changes an account):"]
        lines += [f"  $ {esc(c)}" for c in cmds]
        lines += ["", f"[b]{'Scenario YAML' if kind == 'scenario' else kind.title()}[/]:"]
        lines += [f"  {esc(x)}" for x in snip.rstrip().splitlines()]
        self.push_screen(ChangesScreen("\n".join(lines), "\n".join(cmds)))

    def _default_write_path(self) -> str:
        src = getattr(self.source, "path", None) or (self.network.source if self.network is not None else "")
        stem = Path(src).stem if src and not src.startswith("aws:") else "network"
        return f"{stem}-edited.yaml"

    def action_write(self) -> None:
        from .screens.whatif import WriteScreen

        if self.network is None:
            return

        def chosen(path: Optional[str]) -> None:
            if path:
                self.write_network(path)

        self.push_screen(WriteScreen(self._default_write_path()), chosen)

    def write_network(self, path: str) -> bool:
        from ..loaders.dump import network_to_yaml

        try:
            text = network_to_yaml(self.network, before=self.changes.base if self.changes is not None else None)
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as e:
            self.notify(f"{path}: {e.strerror or e}", title="✗ Not written", severity="error", timeout=8)
            return False
        n = len(self.changes.done) if self.changes is not None else 0
        self._written = tuple(self.changes.done) if self.changes is not None else ()
        self.notify(f"wrote {os.path.abspath(path)} ({n} change{'s' if n != 1 else ''})", title="✎ Written")
        return True
