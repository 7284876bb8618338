"""YAML with line numbers: safe loading (libyaml's C loader when present) into dicts and lists
that remember where each key and item stood, with limits that bound the work on any input.

Limits (docs/scenario-format.md, "Limits"): each one, when exceeded, is one error naming it.
"""

from __future__ import annotations

import math

import yaml
from yaml.nodes import MappingNode, ScalarNode

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 32 * 2**20  # a scenario file (the 5,000-function benchmark network is 2.3 MB)
MAX_DEPTH = 64  # nested collections (a scenario needs about 10, a policy condition included)
MAX_ALIAS_NODES = 100_000  # nodes that YAML aliases and merge keys may add to the document
MAX_STRING = 100_000  # characters in one string (AWS's largest policy documents are 20 KB)
MAX_INT_DIGITS = 20  # digits in one integer (every number AWS uses fits in 64 bits)


class LineDict(dict):
    """A mapping that knows its own line and the line of each key (1-based)."""

    line: int = 0

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.key_lines: dict = {}

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    line: int = 0

    def __init__(self, *a):
        super().__init__(*a)
        self.item_lines: list[int] = []

    def line_of(self, i: int) -> int:
        return self.item_lines[i] if 0 <= i < len(self.item_lines) else self.line


class YamlProblem(yaml.YAMLError):
    """A problem found while reading YAML, with its 1-based line (and 0-based column when known)."""

    def __init__(self, message: str, line: int, column: int = 0, path: str | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.path = path  # None: find it from the text


class DuplicateKey(YamlProblem):
    def __init__(self, key, line, column, first_line):
        super().__init__(f"duplicate key (first at line {first_line})", line, column)
        self.key = key


def _mark_problem(node, message: str) -> YamlProblem:
    m = node.start_mark
    return YamlProblem(message, m.line + 1, m.column)


class _Loader(_Base):  # type: ignore[misc, valid-type]
    _depth = 0
    alias_sizes: dict | None = None
    alias_added = 0

    # libyaml's composer recurses in C for each nested collection (100,000 levels crash the
    # process); it asks the resolver for every node, which is where the depth limit stops it.
    def descend_resolver(self, current_node, current_index):
        d = self._depth = self._depth + 1
        if d > MAX_DEPTH:
            m = current_node.start_mark if current_node is not None else None
            raise YamlProblem(f"nested deeper than {MAX_DEPTH} levels (the limit)",
                              m.line + 1 if m else 1, m.column if m else 0)

    def ascend_resolver(self):
        self._depth -= 1


# Plain scalars that look like dates stay strings (a policy's `Version: 2012-10-17` means the
# string), and `=` is a plain string too: scenario files have no timestamps or value keys.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:value")]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}


_STR_TAG = "tag:yaml.org,2002:str"


def _plain_str(node, done):
    """A string scalar's value (what ``_str`` returns) without PyYAML's per-node bookkeeping, or
    None when the node is anything else. ``done``: the loader's constructed nodes when the
    document has anchors (the node is recorded there, so an alias to it is counted as before)."""
    if node.tag == _STR_TAG and type(node) is ScalarNode and len(node.value) <= MAX_STRING:
        if done is not None:
            done[node] = node.value
        return node.value
    return None


def _mapping(loader, node):
    loader.flatten_mapping(node)
    d = LineDict()
    d.line = node.start_mark.line + 1
    key_lines = d.key_lines
    done = loader.constructed_objects if loader.alias_sizes is not None else None
    for k_node, v_node in node.value:
        key = _plain_str(k_node, done)
        if key is None:
            key = loader.construct_object(k_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise _mark_problem(k_node, "a key must be a string, not a " + ("list" if isinstance(key, list) else "mapping"))
        if key in d:
            m = k_node.start_mark
            raise DuplicateKey(key, m.line + 1, m.column, key_lines[key])
        if done is not None and v_node in done:  # an alias (or a merged value) used again
            _count_alias(loader, v_node, k_node)
        v = _plain_str(v_node, done)
        d[key] = v if v is not None else loader.construct_object(v_node, deep=True)
        key_lines[key] = k_node.start_mark.line + 1
    return d


def _sequence(loader, node):
    lst = LineList()
    lst.line = node.start_mark.line + 1
    done = loader.constructed_objects if loader.alias_sizes is not None else None
    for item in node.value:
        if done is not None and item in done:
            _count_alias(loader, item, node)
        v = _plain_str(item, done)
        lst.append(v if v is not None else loader.construct_object(item, deep=True))
        lst.item_lines.append(item.start_mark.line + 1)
    return lst


def _count_alias(loader, node, where) -> None:
    """An alias repeats a collection built already: count the nodes it adds (its expanded size,
    each collection's size computed once), and stop at MAX_ALIAS_NODES."""
    sizes = loader.alias_sizes
    stack = [(node, False)]
    while stack:
        n, ready = stack.pop()
        nid = id(n)
        if nid in sizes:
            continue
        if isinstance(n, ScalarNode):
            sizes[nid] = 1
            continue
        kids = [c for pair in n.value for c in pair] if isinstance(n, MappingNode) else n.value
        if ready:
            sizes[nid] = 1 + sum(sizes[id(c)] for c in kids)
        else:
            stack.append((n, True))
            stack.extend((c, False) for c in kids if id(c) not in sizes)
    loader.alias_added += sizes[id(node)]
    if loader.alias_added > MAX_ALIAS_NODES:
        raise _mark_problem(where, f"YAML aliases expand the document by more than {MAX_ALIAS_NODES:,} nodes (the limit)")


def _str(loader, node):
    if not isinstance(node, ScalarNode):
        raise _mark_problem(node, "!!str must tag a string")
    v = node.value
    if len(v) > MAX_STRING:
        raise _mark_problem(node, f"a string of {len(v):,} characters is longer than {MAX_STRING:,} (the limit)")
    return v


def _number_text(loader, node) -> str:
    if not isinstance(node, ScalarNode):
        raise _mark_problem(node, "a number tag must tag a scalar")
    v = node.value
    digits = sum(c.isdigit() for c in v) if len(v) > MAX_INT_DIGITS else 0
    if digits > MAX_INT_DIGITS:
        raise _mark_problem(node, f"a number of {digits:,} digits is longer than {MAX_INT_DIGITS} digits (the limit)")
    return v


def _int(loader, node):
    v = _number_text(loader, node)
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)
    except (ValueError, IndexError):
        raise _mark_problem(node, f"{v!r} is not a whole number") from None


def _float(loader, node):
    v = _number_text(loader, node)
    try:
        f = yaml.constructor.SafeConstructor.construct_yaml_float(loader, node)
    except (ValueError, IndexError):
        raise _mark_problem(node, f"{v!r} is not a number") from None
    if not math.isfinite(f):
        raise _mark_problem(node, f"{v!r} is not a finite number")
    return f


def _unsupported(loader, node):
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    raise _mark_problem(node, f"the YAML tag {tag} is not supported in a scenario (write a string)")


_Loader.add_constructor("tag:yaml.org,2002:map", _mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _sequence)
_Loader.add_constructor("tag:yaml.org,2002:str", _str)
_Loader.add_constructor("tag:yaml.org,2002:int", _int)
_Loader.add_constructor("tag:yaml.org,2002:float", _float)
for _t in ("binary", "timestamp", "omap", "pairs", "set", "value", "yaml"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_t}", _unsupported)
_Loader.add_constructor(None, _unsupported)


def load_yaml(text: str):
    """Parse YAML text. Raises yaml.YAMLError: YamlProblem (a limit, a duplicate key, a bad value)
    or one of PyYAML's errors (with problem_mark)."""
    if len(text) > MAX_FILE_BYTES:
        raise YamlProblem(f"the file is larger than {MAX_FILE_BYTES // 2**20} MiB (the limit)", 1, 0, "(top)")
    loader = _Loader(text)
    loader.alias_sizes = {} if "&" in text else None  # no anchor, no alias: no counting
    loader.alias_added = 0
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        return loader.construct_document(node)
    finally:
        loader.dispose()


def yaml_error_line(e: Exception, text: str = "") -> int:
    if isinstance(e, YamlProblem):
        return e.line
    mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
    if mark is not None:
        return mark.line + 1
    pos = getattr(e, "position", None)  # a ReaderError: a character position in the text
    if isinstance(pos, int) and text:
        return text.count("\n", 0, pos) + 1
    return 1


def _error_position(e: Exception, text: str) -> tuple[int, int]:
    if isinstance(e, YamlProblem):
        return e.line - 1, e.column
    mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
    if mark is not None:
        return mark.line, mark.column
    pos = getattr(e, "position", None)
    if isinstance(pos, int) and text:
        line = text.count("\n", 0, pos)
        return line, pos - (text.rfind("\n", 0, pos) + 1)
    return 0, 0


def yaml_error_text(e: Exception) -> str:
    if isinstance(e, YamlProblem):
        return e.message
    if isinstance(e, yaml.reader.ReaderError):
        ch = e.character
        code = ord(ch) if isinstance(ch, str) else ch
        if isinstance(code, int) and "control characters" in str(e.reason):
            return (f"the control character U+{code:04X} is not allowed in YAML "
                    "(write it as an escape in a double-quoted string, e.g. \\u0007)")
        return " ".join(f"cannot decode the file: {e.reason}".split())
    problem = getattr(e, "problem", None)
    ctx = getattr(e, "context", None)
    if problem == "found unconstructable recursive node":
        return "a YAML alias refers to a collection that contains it"
    if problem:
        return " ".join((f"YAML syntax error: {problem}" + (f" ({ctx})" if ctx else "")).split())
    return " ".join(f"YAML syntax error: {e}".split())


def show_key(key) -> str:
    """A key as it may appear in a KEY.PATH: one line, bounded, control characters escaped."""
    s = key if isinstance(key, str) else str(key)
    if len(s) > 60:
        s = s[:57] + "…"
    if not s.isprintable() or s == "" or any(c in s for c in " .[]:'\""):
        return repr(s).replace(" ", "\\x20")  # no space: a KEY.PATH ends at the first space
    return s


def format_path(parts: list) -> str:
    if not parts:
        return "(top)"
    if len(parts) > 8:
        parts = parts[:4] + [f"…{len(parts) - 7}-more…"] + parts[-3:]
    out = ""
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        elif p.startswith("…"):
            out += p
        else:
            out += ("." if out and not out.endswith("…") else "") + show_key(p)
    if out.startswith("["):
        out = "(top)" + out
    return out


def path_at(text: str, line0: int, column: int) -> str:
    """The KEY.PATH of what stands at a position (0-based line and column) of a YAML text, found
    from the parser's events up to there (on the error path only: it costs a parse)."""
    frames: list[list] = []  # [kind 'm'|'s', component, expecting_key]
    target = (line0, column)
    try:
        for ev in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            starts = isinstance(ev, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent, yaml.AliasEvent))
            m = ev.start_mark
            if starts and ((m.line, m.column) >= target or (ev.end_mark.line, ev.end_mark.column) > target):
                if frames:
                    f = frames[-1]
                    if f[0] == "s":
                        f[1] = f[1] + 1
                    elif f[2] and isinstance(ev, yaml.ScalarEvent):
                        f[1] = ev.value
                break
            if starts:
                if frames:
                    f = frames[-1]
                    if f[0] == "s":
                        f[1] += 1
                    elif f[2]:
                        f[1] = ev.value if isinstance(ev, yaml.ScalarEvent) else "?"
                        f[2] = False
                    else:
                        f[2] = True
                if isinstance(ev, yaml.SequenceStartEvent):
                    frames.append(["s", -1, False])
                elif isinstance(ev, yaml.MappingStartEvent):
                    frames.append(["m", None, True])
            elif isinstance(ev, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                if frames:
                    frames.pop()
            if len(frames) > MAX_DEPTH + 1:
                break
    except yaml.YAMLError:
        pass
    parts = []
    for kind, comp, _ in frames:
        if comp is None or comp == -1:
            break
        parts.append(comp)
    return format_path(parts)


def yaml_error_path(e: Exception, text: str) -> str:
    if isinstance(e, YamlProblem) and e.path is not None:
        return e.path
    line0, col = _error_position(e, text)
    pos = getattr(e, "position", None)
    if isinstance(e, yaml.reader.ReaderError) and isinstance(pos, int):
        end = text.find("\n", pos)  # the text up to the bad character's line, without it
        text = text[:pos] + " " + text[pos + 1:end if end >= 0 else len(text)]
    return path_at(text, line0, col)
