"""IAM-style policy documents as frozen values (parsed from the JSON/YAML dict form)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Optional


MAX_POLICY_DEPTH = 32  # nested JSON levels in a policy given as a string (IAM's own use about 6)


def _depth(doc: Any) -> int:
    """How deeply a decoded JSON value nests (without recursion)."""
    deepest, stack = 0, [(doc, 1)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, (dict, list)):
            deepest = max(deepest, d)
            if d > MAX_POLICY_DEPTH:
                return d
            stack.extend((x, d + 1) for x in (v.values() if isinstance(v, dict) else v))
    return deepest


class PolicyError(ValueError):
    """A policy document that is not of IAM's shape. ``path`` names the offending key."""

    def __init__(self, message: str, path: str = ""):
        super().__init__(message)
        self.path = path


@dataclass(frozen=True)
class Condition:
    operator: str  # e.g. StringNotEquals, ArnLikeIfExists, ForAnyValue:StringEquals, Null
    key: str  # e.g. aws:SourceVpce
    values: tuple[str, ...]


@dataclass(frozen=True)
class Statement:
    effect: str  # Allow | Deny
    actions: tuple[str, ...] = ()
    not_actions: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    not_resources: tuple[str, ...] = ()
    principals: Optional[tuple[str, ...]] = None  # None: no Principal element (identity policy)
    not_principals: Optional[tuple[str, ...]] = None
    conditions: tuple[Condition, ...] = ()
    sid: str = ""


@dataclass(frozen=True)
class Policy:
    statements: tuple[Statement, ...]
    name: str = ""
    text: str = ""  # the document as JSON, for display

    @classmethod
    def from_document(cls, doc: Any, name: str = "") -> "Policy":
        if isinstance(doc, str):
            try:
                doc = json.loads(doc)
            except json.JSONDecodeError as e:
                raise PolicyError(f"policy is not valid JSON: {e.msg}") from None
            except RecursionError:
                raise PolicyError(f"policy JSON nests deeper than {MAX_POLICY_DEPTH} levels (the limit)") from None
            if _depth(doc) > MAX_POLICY_DEPTH:
                raise PolicyError(f"policy JSON nests deeper than {MAX_POLICY_DEPTH} levels (the limit)")
        if not isinstance(doc, dict):
            raise PolicyError("policy must be a mapping with a Statement list")
        stmts = doc.get("Statement")
        if stmts is None:
            raise PolicyError("policy has no Statement", "Statement")
        if isinstance(stmts, dict):
            stmts = [stmts]
        if not isinstance(stmts, list):
            raise PolicyError("Statement must be a list", "Statement")
        out = []
        for i, s in enumerate(stmts):
            out.append(_statement(s, f"Statement[{i}]"))
        return cls(tuple(out), name=name, text=json.dumps(doc, indent=2, sort_keys=False))

    def to_document(self) -> dict:
        return json.loads(self.text) if self.text else {"Version": "2012-10-17", "Statement": []}


_STMT_KEYS = {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal",
              "NotPrincipal", "Condition"}


def _strs(value: Any, path: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, int, bool)):
        return (_scalar(value),)
    if isinstance(value, list) and all(isinstance(v, (str, int, bool)) for v in value):
        return tuple(_scalar(v) for v in value)
    raise PolicyError("must be a string or a list of strings", path)


def _scalar(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _principals(value: Any, path: str) -> Optional[tuple[str, ...]]:
    if value is None:
        return None
    if value == "*":
        return ("*",)
    if isinstance(value, dict):
        out: list[str] = []
        for k, v in value.items():
            out.extend(_strs(v, f"{path}.{k}"))
        return tuple(out)
    raise PolicyError("must be \"*\" or a mapping such as {AWS: ARN}", path)


def _statement(s: Any, path: str) -> Statement:
    if not isinstance(s, dict):
        raise PolicyError("each statement must be a mapping", path)
    for k in s:
        if k not in _STMT_KEYS:
            raise PolicyError(f"unknown statement key {k!r}", f"{path}.{k}")
    effect = s.get("Effect")
    if effect not in ("Allow", "Deny"):
        raise PolicyError("Effect must be Allow or Deny", f"{path}.Effect")
    if "Action" not in s and "NotAction" not in s:
        raise PolicyError("statement needs Action or NotAction", path)
    conds: list[Condition] = []
    cond = s.get("Condition") or {}
    if not isinstance(cond, dict):
        raise PolicyError("Condition must be a mapping", f"{path}.Condition")
    for op, kv in cond.items():
        if not isinstance(kv, dict):
            raise PolicyError("condition operator must map keys to values", f"{path}.Condition.{op}")
        for key, vals in kv.items():
            conds.append(Condition(op, key, _strs(vals, f"{path}.Condition.{op}.{key}")))
    return Statement(
        effect=effect,
        actions=_strs(s.get("Action"), f"{path}.Action"),
        not_actions=_strs(s.get("NotAction"), f"{path}.NotAction"),
        resources=_strs(s.get("Resource"), f"{path}.Resource"),
        not_resources=_strs(s.get("NotResource"), f"{path}.NotResource"),
        principals=_principals(s.get("Principal"), f"{path}.Principal"),
        not_principals=_principals(s.get("NotPrincipal"), f"{path}.NotPrincipal"),
        conditions=tuple(conds),
        sid=str(s.get("Sid", "")),
    )
