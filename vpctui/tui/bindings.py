"""One table of keys: it feeds the app's bindings, the footer, the help screen and the palette.

Every key has an id, a description (the footer) and a tooltip (help and palette). Keys avoid
ctrl+m / ctrl+i / ctrl+h / ctrl+j, which legacy terminals cannot tell from Enter, Tab, Backspace.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Key:
    id: str
    keys: str  # Textual key names, comma-separated
    action: str
    description: str  # the footer's word
    tooltip: str  # one line for help and the palette
    command: str = ""  # palette name, "category: action" ("" = not in the palette)
    display: str = ""  # how help shows the keys
    show: bool = False  # in the footer
    priority: bool = False
    group: str = "general"


PANES = (
    # number, id, title
    (1, "network", "Network"),
    (2, "routes", "Routes"),
    (3, "endpoints", "Endpoints"),
    (4, "functions", "Functions"),
    (5, "details", "Details"),
    (6, "trace", "Trace"),
    (7, "matrix", "Matrix"),
)

KEYS: tuple[Key, ...] = (
    Key("help", "question_mark,f1", "help", "Help", "help for the focused pane and every key",
        "help: keys and the focused pane", "? f1", show=True),
    Key("palette", "colon", "command_palette", "Commands", "the command palette",
        "", ": ctrl+p"),
    # ctrl+p too (Textual adds it only when no key names the palette; ':' does)
    Key("palette-ctrl", "ctrl+p", "command_palette", "Commands", "the command palette", "", "", priority=True),
    Key("filter", "slash", "filter", "Filter", "filter the focused pane (ids, names, CIDRs, tags); esc clears",
        "pane: filter the focused pane", "/", show=True, group="panes"),
    Key("escape", "escape", "escape", "Clear", "clear the filter; close the trace or matrix",
        "pane: clear filter", "esc", group="panes"),
    *(Key(f"pane-{pid}", str(n), f"focus_pane('{pid}')", title, f"jump to pane {n}: {title}",
          f"view: {n} {title.lower()}", str(n), group="panes") for n, pid, title in PANES),
    Key("trace", "t", "trace", "Trace", "trace from the selected Lambda function (asks for the target)",
        "trace: from the selected function", "t", show=True, group="trace"),
    Key("next-hop", "space,l", "next_hop", "Next hop", "step to the next hop; the other panes follow",
        "trace: next hop", "space l pgdn", show=True, group="trace"),
    Key("prev-hop", "h", "prev_hop", "Prev hop", "step back one hop",
        "trace: previous hop", "h pgup", group="trace"),
    # clickers send PageDown/PageUp: priority so a focused table does not page instead
    Key("next-hop-clicker", "pagedown", "next_hop", "Next hop", "next hop (presentation clicker)",
        "", "", priority=True, group="trace"),
    Key("prev-hop-clicker", "pageup", "prev_hop", "Prev hop", "previous hop (presentation clicker)",
        "", "", priority=True, group="trace"),
    # presentation mode (--demo, --script): space and the arrows a clicker sends step the story even
    # when a pane (the network tree) would take them; outside presentation mode these fall through
    Key("clicker-next", "space,right", "clicker_next", "Next", "presentation mode: next hop or talk step",
        "", "", priority=True, group="trace"),
    Key("clicker-prev", "left", "clicker_prev", "Back", "presentation mode: previous hop or talk step",
        "", "", priority=True, group="trace"),
    Key("drop", "d", "jump_drop", "Drop", "jump to the hop where the path drops (or is unknown)",
        "trace: jump to the drop", "d", group="trace"),
    Key("next-path", "n", "next_path", "Next path", "the next path of the trace (one per subnet)",
        "trace: next path", "n", group="trace"),
    Key("prev-path", "N", "prev_path", "Prev path", "the previous path of the trace",
        "trace: previous path", "N", group="trace"),
    Key("save-trace", "s", "save_trace", "Save", "save the trace in view as Markdown (a table of hops, the drop, why and fix)",
        "trace: save as Markdown", "s", group="trace"),
    Key("add-target", "plus", "add_target", "Add target", "add a target column to the matrix (any TARGET)",
        "matrix: add a target", "+", group="trace"),
    Key("zoom", "z", "zoom", "Zoom", "zoom the focused pane to the whole screen; z again restores",
        "view: zoom the focused pane", "z", group="panes"),
    Key("unknown-parts", "exclamation_mark", "unknown_parts", "Unknown", "what the loader could not read, and why",
        "network: what could not be read", "!", group="general"),
    Key("matrix", "m", "matrix", "Matrix", "every function × every target; enter opens a cell's trace",
        "view: matrix of functions × targets", "m", show=True, group="trace"),
    Key("yaml", "y", "yaml", "YAML", "the resource in Details as scenario YAML",
        "resource: show as YAML", "y", show=True, group="resource"),
    Key("copy", "c", "copy_id", "Copy id", "copy the resource id (OSC 52: over SSH; in tmux needs set -g set-clipboard on)",
        "resource: copy id", "c", group="resource"),
    Key("apply-fix", "a", "apply_fix", "Apply fix", "apply the first fix of the dropped trace; the trace re-runs (before → after)",
        "what-if: apply the trace's fix", "a", group="whatif"),
    Key("pick-fix", "A", "pick_fix", "Pick fix", "pick one of the trace's fixes to apply",
        "what-if: pick a fix to apply", "A", group="whatif"),
    Key("edit", "e", "edit", "Edit", "edit the component in Details (rules, routes, endpoints, DNS, policies)",
        "what-if: edit the selected component", "e", group="whatif"),
    Key("undo", "u", "undo", "Undo", "undo the last change", "what-if: undo", "u", group="whatif"),
    Key("redo", "U,ctrl+r", "redo", "Redo", "redo the change undone last", "what-if: redo", "U ctrl+r", group="whatif"),
    Key("changes", "C", "changes", "Changes", "the change list, as AWS CLI commands and a snippet (never run)",
        "what-if: review the changes", "C", group="whatif"),
    Key("write", "w", "write", "Write", "write the edited network as a scenario file (asks before overwriting)",
        "what-if: write the edited network", "w", group="whatif"),
    Key("reload", "R", "reload", "Reload", "reload the file or the account",
        "file: reload", "R", group="general"),
    Key("screenshot", "f8", "screenshot", "Screenshot", "save an SVG screenshot in the current directory",
        "screenshot: save SVG", "f8", group="general"),
    Key("quit", "q", "quit", "Quit", "quit (typing q in a text field never quits)",
        "app: quit", "q ctrl+q", show=True, group="general"),
)


# keys handled by the panes themselves, listed in help
PANE_KEYS: tuple[tuple[str, str], ...] = (
    ("j k ↑ ↓", "move"),
    ("g G home end", "first / last"),
    ("enter", "details of the selected resource (matrix: open the cell's trace)"),
    ("tab shift+tab", "cycle panes"),
)

GROUP_TITLES = {"general": "General", "panes": "Panes", "trace": "Trace", "resource": "Resource",
                "whatif": "What-if"}


def app_bindings() -> list[Binding]:
    return [
        Binding(k.keys, k.action, k.description, show=k.show, key_display=(k.display.split()[0] if k.display else None),
                priority=k.priority, tooltip=k.tooltip, id=k.id)
        for k in KEYS
    ]


def vi_bindings() -> list[Binding]:
    """j/k/g/G for lists and tables (arrows and home/end already work)."""
    return [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]
