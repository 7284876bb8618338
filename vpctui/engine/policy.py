"""IAM-style policy evaluation, reduced to what decides a Lambda's call (rule book §7).

Three-valued: a statement matches (True), does not (False), or cannot be decided from what vpctui
knows (None: a condition key or operator it does not model). Explicit Deny wins (R7.4); missing keys
make negated operators true and positive ones false, ``...IfExists`` makes a missing key true (R7.1).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Optional

from ..model.policy import Condition, Policy, Statement

# Keys whose presence or absence vpctui knows for every request it traces.
KNOWN_KEYS = {"aws:sourcevpce", "aws:sourcevpc", "aws:sourceip", "aws:vpcsourceip",
              "aws:principalarn", "aws:principalaccount", "aws:securetransport",
              "aws:requestedregion", "aws:principaltype"}


@dataclass(frozen=True)
class Request:
    action: str
    resource: str
    principal_arn: str  # the role ARN
    account_id: str
    keys: dict  # lower-case key -> value (absent keys are simply missing)


@dataclass(frozen=True)
class Outcome:
    decision: str  # "deny" (explicit), "allow", "none" (no statement applies), "unknown"
    statement: Optional[Statement] = None
    why_unknown: str = ""


def iam_like(value: str, pattern: str) -> bool:
    """IAM's wildcards are ``*`` and ``?`` only: ``[`` in a policy is a character, not a set."""
    return fnmatchcase(value, pattern.replace("[", "[[]"))


def _match_any(patterns: tuple[str, ...], value: str, ci: bool) -> bool:
    for p in patterns:
        if ci:
            if iam_like(value.lower(), p.lower()):
                return True
        elif iam_like(value, p):
            return True
    return False


def _principal_matches(principals: tuple[str, ...], req: Request) -> bool:
    for p in principals:
        if p == "*" or p == req.principal_arn or p == req.account_id:
            return True
        if p == f"arn:aws:iam::{req.account_id}:root":
            return True
        if iam_like(req.principal_arn, p):
            return True
    return False


def _cond(c: Condition, req: Request) -> Optional[bool]:
    op = c.operator
    if_exists = op.endswith("IfExists")
    if if_exists:
        op = op[: -len("IfExists")]
    set_op = ""
    if ":" in op:
        set_op, op = op.split(":", 1)
    key = c.key.lower()
    if key not in KNOWN_KEYS:
        return None
    present = key in req.keys
    value = req.keys.get(key)
    if op == "Null":
        want_null = c.values and c.values[0].lower() == "true"
        return (not present) if want_null else present
    negated = "Not" in op
    if not present:
        if if_exists:
            return True
        if set_op == "ForAllValues":
            return True
        return negated
    v = str(value)
    if op in ("StringEquals", "StringNotEquals", "ArnEquals", "ArnNotEquals"):
        hit = v in c.values
    elif op in ("StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase"):
        hit = v.lower() in (x.lower() for x in c.values)
    elif op in ("StringLike", "StringNotLike", "ArnLike", "ArnNotLike"):
        hit = any(iam_like(v, x) for x in c.values)
    elif op in ("IpAddress", "NotIpAddress"):
        try:
            ip = ipaddress.ip_address(v)
            hit = any(ip in ipaddress.ip_network(x, strict=False) for x in c.values
                      if ipaddress.ip_network(x, strict=False).version == ip.version)
        except ValueError:
            return None
    elif op == "Bool":
        return v.lower() in (x.lower() for x in c.values)
    else:
        return None
    return (not hit) if negated else hit


def _statement(s: Statement, req: Request, resource_policy: bool) -> Optional[bool]:
    if s.actions and not _match_any(s.actions, req.action, ci=True):
        return False
    if s.not_actions and _match_any(s.not_actions, req.action, ci=True):
        return False
    if s.resources and not _match_any(s.resources, req.resource, ci=False):
        return False
    if s.not_resources and _match_any(s.not_resources, req.resource, ci=False):
        return False
    if resource_policy:
        if s.principals is not None and not _principal_matches(s.principals, req):
            return False
        if s.not_principals is not None and _principal_matches(s.not_principals, req):
            return False
    result: Optional[bool] = True
    for c in s.conditions:
        r = _cond(c, req)
        if r is False:
            return False
        if r is None:
            result = None
    return result


def evaluate(policy: Policy, req: Request, resource_policy: bool = False) -> Outcome:
    allow: Optional[Statement] = None
    unknown_deny = unknown_allow = ""
    for s in policy.statements:
        r = _statement(s, req, resource_policy)
        if r is None:
            if s.effect == "Deny":
                unknown_deny = unknown_deny or _unknown_reason(s)
            else:
                unknown_allow = unknown_allow or _unknown_reason(s)
            continue
        if r and s.effect == "Deny":
            return Outcome("deny", s)
        if r and s.effect == "Allow" and allow is None:
            allow = s
    if unknown_deny:  # an undecidable Deny could still deny
        return Outcome("unknown", None, unknown_deny)
    if allow:
        return Outcome("allow", allow)
    if unknown_allow:  # an undecidable Allow could still allow
        return Outcome("unknown", None, unknown_allow)
    return Outcome("none")


_OPERATORS = {"StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
              "StringLike", "StringNotLike", "ArnEquals", "ArnNotEquals", "ArnLike", "ArnNotLike",
              "IpAddress", "NotIpAddress", "Bool", "Null"}


def _unknown_reason(s: Statement) -> str:
    """Why a statement could not be decided: the first condition vpctui cannot evaluate."""
    for c in s.conditions:
        if c.key.lower() not in KNOWN_KEYS:
            return f"condition key {c.key} is not modelled by vpctui"
        if c.operator.removesuffix("IfExists").split(":")[-1] not in _OPERATORS:
            return f"condition operator {c.operator} is not modelled by vpctui"
    return "a statement could not be evaluated"
