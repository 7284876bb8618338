"""YAML with line numbers: safe loading (libyaml's C loader when present) into dicts and lists
that remember where each key and item stood."""

from __future__ import annotations

import yaml

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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


class DuplicateKey(yaml.YAMLError):
    def __init__(self, key, line):
        super().__init__(f"duplicate key {key!r}")
        self.key = key
        self.line = line


class _Loader(_Base):  # type: ignore[misc, valid-type]
    pass


def _mapping(loader, node):
    loader.flatten_mapping(node)
    d = LineDict()
    d.line = node.start_mark.line + 1
    for k_node, v_node in node.value:
        key = loader.construct_object(k_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            key = str(key)
        if key in d:
            raise DuplicateKey(key, k_node.start_mark.line + 1)
        d[key] = loader.construct_object(v_node, deep=True)
        d.key_lines[key] = k_node.start_mark.line + 1
    return d


def _sequence(loader, node):
    lst = LineList()
    lst.line = node.start_mark.line + 1
    for item in node.value:
        lst.append(loader.construct_object(item, deep=True))
        lst.item_lines.append(item.start_mark.line + 1)
    return lst


_Loader.add_constructor("tag:yaml.org,2002:map", _mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _sequence)


def load_yaml(text: str):
    """Parse YAML text. Raises yaml.YAMLError (with problem_mark) or DuplicateKey."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass


def yaml_error_line(e: Exception) -> int:
    if isinstance(e, DuplicateKey):
        return e.line
    mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
    return mark.line + 1 if mark is not None else 0


def yaml_error_text(e: Exception) -> str:
    if isinstance(e, DuplicateKey):
        return str(e)
    problem = getattr(e, "problem", None)
    ctx = getattr(e, "context", None)
    if problem:
        return f"YAML syntax error: {problem}" + (f" ({ctx})" if ctx else "")
    return f"YAML syntax error: {e}"
