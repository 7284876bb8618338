"""Talk scripts: a list of steps that `vpctui --demo --script FILE` plays one clicker press at a time.

    title: Lambda functions in a VPC          # optional
    scenario: lambda-vpc.yaml                 # optional, relative to this file (default: the TUI's input)
    steps:
      - say: Four functions, one VPC. Which of them can read the S3 object?
      - pane: network                         # 1..7 or a pane's name
      - trace: {from: lambda-3-isolated, to: s3://vpc-notes-bucket/hello.txt}
      - hop: next                             # next | prev | first | last | drop | a step number (1, 2, ...)
      - hop: drop
      - fix: apply                            # apply the trace's first fix (what-if; nothing is run on AWS)
      - matrix: open                          # open | close
      - close                                 # close the trace or the matrix

Every problem is one line ``FILE:LINE: steps[N].KEY: message``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Optional, Union

from . import LoadError
from .yamlsrc import LineDict, LineList, load_yaml, yaml_error_line, yaml_error_text

PANES = {"network": "1", "routes": "2", "endpoints": "3", "functions": "4", "details": "5", "trace": "6",
         "matrix": "7"}
HOP_MOVES = ("next", "prev", "first", "last", "drop")
FIX_ACTIONS = ("apply",)
MATRIX_ACTIONS = ("open", "close")
STEP_KINDS = ("say", "pane", "trace", "hop", "fix", "matrix", "close")
MAX_STEPS = 500


@dataclass(frozen=True, slots=True)
class Step:
    kind: str                       # one of STEP_KINDS
    value: Union[str, int, tuple] = ""   # say: text; pane: "1".."7"; trace: (from, to); hop: move or number
    line: int = 0

    def describe(self) -> str:
        if self.kind == "trace":
            return f"trace {self.value[0]} → {self.value[1]}"
        if self.kind == "close":
            return "close"
        return f"{self.kind}: {self.value}"


@dataclass(frozen=True, slots=True)
class Talk:
    path: str
    steps: tuple[Step, ...]
    title: str = ""
    scenario: Optional[str] = None  # an absolute path, or None: the TUI's own input


def _close(word: str, options) -> str:
    import difflib

    near = difflib.get_close_matches(word, list(options), n=1)
    return f" (did you mean {near[0]!r}?)" if near else ""


def load_talk(path: str) -> Talk:
    """Read and check a talk script; raises LoadError with one line per problem."""
    errors: list[str] = []

    def err(line: int, key: str, msg: str) -> None:
        errors.append(f"{path}:{line}: {key}: {msg}" if key else f"{path}:{line}: {msg}")

    try:
        with open(path, "rb") as fh:
            raw = fh.read(1_000_001)
    except OSError as e:
        raise LoadError([f"{path}: cannot read: {e.strerror or e}"]) from None
    if len(raw) > 1_000_000:
        raise LoadError([f"{path}:0: the script is over 1,000,000 bytes"])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise LoadError([f"{path}:0: not UTF-8 text ({e.reason} at byte {e.start})"]) from None
    try:
        doc = load_yaml(text)
    except Exception as e:  # yaml.YAMLError, DuplicateKey
        raise LoadError([f"{path}:{yaml_error_line(e)}: {yaml_error_text(e)}"]) from None
    if not isinstance(doc, LineDict):
        raise LoadError([f"{path}:1: a talk script is a mapping with a `steps:` list"])
    for key in doc:
        if key not in ("title", "scenario", "steps"):
            err(doc.line_of(key), str(key), "unknown key" + _close(str(key), ("title", "scenario", "steps")))
    title = doc.get("title", "")
    if not isinstance(title, str):
        err(doc.line_of("title"), "title", "must be text")
        title = ""
    scenario = doc.get("scenario")
    if scenario is not None:
        if not isinstance(scenario, str) or not scenario:
            err(doc.line_of("scenario"), "scenario", "must be a file path")
            scenario = None
        else:
            scenario = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(path)), scenario))
            if not os.path.isfile(scenario):
                err(doc.line_of("scenario"), "scenario", f"{doc['scenario']}: no such file")
    raw_steps = doc.get("steps")
    steps: list[Step] = []
    if not isinstance(raw_steps, LineList) or not raw_steps:
        err(doc.line_of("steps") if "steps" in doc else doc.line, "steps", "a non-empty list of steps is required")
        raw_steps = LineList()
    if len(raw_steps) > MAX_STEPS:
        err(raw_steps.line, "steps", f"at most {MAX_STEPS} steps")
        raw_steps = LineList()
    for i, item in enumerate(raw_steps):
        line = raw_steps.line_of(i)
        where = f"steps[{i}]"
        step = _step(item, line, where, err)
        if step is not None:
            steps.append(step)
    if errors:
        raise LoadError(errors)
    return Talk(path=path, steps=tuple(steps), title=title, scenario=scenario)


def _step(item, line: int, where: str, err) -> Optional[Step]:
    if item == "close":
        return Step("close", "", line)
    if not isinstance(item, LineDict) or len(item) != 1:
        err(line, where, f"a step is one of {', '.join(STEP_KINDS)} (one key a step)")
        return None
    kind, value = next(iter(item.items()))
    key = f"{where}.{kind}"
    if kind not in STEP_KINDS:
        err(line, key, "unknown step" + _close(str(kind), STEP_KINDS) + f"; steps: {', '.join(STEP_KINDS)}")
        return None
    if kind == "say":
        if not isinstance(value, str) or not value.strip():
            err(line, key, "must be text")
            return None
        return Step("say", value, line)
    if kind == "pane":
        v = str(value).strip().lower() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
        if v in PANES:
            v = PANES[v]
        if v not in PANES.values():
            err(line, key, f"a pane number 1-7 or one of {', '.join(PANES)}" + _close(v, PANES))
            return None
        return Step("pane", v, line)
    if kind == "trace":
        if not isinstance(value, LineDict) or set(value) != {"from", "to"} \
                or not all(isinstance(value[k], str) and value[k] for k in ("from", "to")):
            err(line, key, "give `{from: FUNCTION, to: TARGET}`")
            return None
        return Step("trace", (value["from"], value["to"]), line)
    if kind == "hop":
        if isinstance(value, int) and not isinstance(value, bool):
            if value < 1:
                err(line, key, "a step number counts from 1")
                return None
            return Step("hop", value, line)
        if value not in HOP_MOVES:
            err(line, key, f"one of {', '.join(HOP_MOVES)} or a step number" + _close(str(value), HOP_MOVES))
            return None
        return Step("hop", value, line)
    if kind == "fix":
        if value not in FIX_ACTIONS:
            err(line, key, f"one of {', '.join(FIX_ACTIONS)}")
            return None
        return Step("fix", value, line)
    if kind == "matrix":
        if value not in MATRIX_ACTIONS:
            err(line, key, f"one of {', '.join(MATRIX_ACTIONS)}")
            return None
        return Step("matrix", value, line)
    err(line, key, "takes no value: write `- close`")
    return None
