"""IAM-style policy evaluation, reduced to what decides a Lambda's call (docs/aws-behaviour.md POL-*).

Three-valued: a statement matches (True), does not (False), or cannot be decided from what vpctui
knows (None: a condition key or operator it does not model, or a value it does not know). Explicit
Deny wins (POL-1). A key absent from the request makes negated operators true and positive ones
false; ``...IfExists`` makes an absent key true (POL-2). Keys that exist only on service-to-service
requests (``aws:SourceArn``, ``aws:SourceAccount``, ...) are absent from the direct SDK calls vpctui
traces (POL-3); the keys every SDK call carries (``aws:SecureTransport``, ``s3:TlsVersion``,
``s3:signatureversion``) are known (SDK-6). A key or a resource with several possible values (TLS 1.2
or 1.3; a secret ARN's random suffix) is decided only when every value gives the same answer.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fnmatch import fnmatchcase
from typing import Optional

from ..model.policy import Condition, Policy, Statement

# Keys whose presence or absence vpctui knows for every request it traces.
KNOWN_KEYS = {"aws:sourcevpce", "aws:sourcevpc", "aws:sourceip", "aws:vpcsourceip",
              "aws:principalarn", "aws:principalaccount", "aws:securetransport",
              "aws:requestedregion", "aws:principaltype", "aws:viaawsservice"}

# Keys that exist only when an AWS service calls another on a principal's behalf (POL-3): a function's
# own SDK call never carries them.
ABSENT_ON_DIRECT_CALLS = {"aws:sourcearn", "aws:sourceaccount", "aws:sourceorgid", "aws:sourceorgpaths",
                          "aws:calledvia", "aws:calledviafirst", "aws:calledvialast", "aws:sourceowner"}


def iam_like(value: str, pattern: str) -> bool:
    """IAM's wildcards are ``*`` and ``?`` only: ``[`` in a policy is a character, not a set."""
    return fnmatchcase(value, pattern.replace("[", "[[]"))


@dataclass(frozen=True)
class Request:
    action: str
    resource: str
    principal_arn: str  # the role ARN
    account_id: str  # the caller's account
    keys: dict  # lower-case key -> value, or a tuple of possible values (absent keys are simply missing)
    session_arn: str = ""  # arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION
    # other ARNs the resource may have (a secret's ARN ends in six random characters vpctui may not know)
    resource_alternatives: tuple[str, ...] = ()
    has_permissions_boundary: bool = False
    # the resource ARN without the random suffix AWS appends (secrets, POL-7); a policy naming one
    # specific suffix cannot be decided without it
    resource_partial_base: str = ""
    # keys the request carries with a value vpctui does not know (aws:SourceIp outside a VPC)
    unknown_keys: frozenset = frozenset()


@dataclass(frozen=True)
class Outcome:
    decision: str  # "deny" (explicit), "allow", "none" (no statement applies), "unknown"
    statement: Optional[Statement] = None
    why_unknown: str = ""
    # for "unknown": "deny" when an undecidable Deny could deny, "allow" when only an undecidable
    # Allow could allow (POL-4: only the first can overturn an Allow found elsewhere)
    undecided: str = ""
    # for "allow" from a resource policy: the statement names the caller's account only (Principal
    # ACCOUNT or arn:aws:iam::ACCOUNT:root), which delegates to IAM and grants nothing by itself
    via_account: bool = False
    via_session: bool = False  # ... or names the role session's own ARN (not limited by a boundary)


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


def _resource_match(patterns: tuple[str, ...], req: Request) -> Optional[bool]:
    got = {_match_any(patterns, r, ci=False) for r in (req.resource,) + req.resource_alternatives}
    if True not in got and req.resource_partial_base:
        base = req.resource_partial_base + "-"
        if any(p.startswith(base) and len(p) == len(base) + 6 and not any(ch in p[len(base):] for ch in "*?")
               for p in patterns):
            return None  # names one specific suffix: depends on the secret's real ARN
    return got.pop() if len(got) == 1 else None


def _principal_match(principals: tuple[str, ...], req: Request) -> str:
    """How a Principal list names the caller: "session" (its session ARN), "direct" (the role or
    everyone), "account" (the caller's account only), or "" (not at all)."""
    how = ""
    if req.session_arn and req.session_arn in principals:
        return "session"
    for p in principals:
        if p == "*" or p in (req.principal_arn, req.session_arn) or (
                "*" in p and (iam_like(req.principal_arn, p) or iam_like(req.session_arn, p))):
            return "direct"
        if p in (req.account_id, f"arn:aws:iam::{req.account_id}:root"):
            how = "account"
    return how


def _not_principal_exempts(principals: tuple[str, ...], req: Request) -> bool:
    """NotPrincipal with Deny exempts a role's session only when the session ARN itself is listed:
    the role ARN or the account alone does not exempt it, and a principal with a permissions
    boundary is never exempt (POL-5)."""
    if req.has_permissions_boundary:
        return False
    return "*" in principals or (bool(req.session_arn) and req.session_arn in principals)


def _num(x: str) -> Optional[Decimal]:
    try:
        return Decimal(str(x))
    except (InvalidOperation, ValueError):
        return None


def _one(op: str, v: str, values: tuple[str, ...]) -> Optional[bool]:
    """Does value ``v`` satisfy the positive form of ``op`` against ``values``? None: undecidable."""
    if op in ("StringEquals", "StringNotEquals", "ArnEquals", "ArnNotEquals"):
        return v in values
    if op in ("StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase"):
        return v.lower() in (x.lower() for x in values)
    if op in ("StringLike", "StringNotLike", "ArnLike", "ArnNotLike"):
        return any(iam_like(v, x) for x in values)
    if op in ("IpAddress", "NotIpAddress"):
        try:
            ip = ipaddress.ip_address(v)
            return any(ip in ipaddress.ip_network(x, strict=False) for x in values
                       if ipaddress.ip_network(x, strict=False).version == ip.version)
        except ValueError:
            return None
    if op == "Bool":
        return v.lower() in (x.lower() for x in values)
    if op.startswith("Numeric"):
        a = _num(v)
        bs = [_num(x) for x in values]
        if a is None or any(b is None for b in bs):
            return None
        cmp = {"NumericEquals": lambda b: a == b, "NumericNotEquals": lambda b: a == b,
               "NumericLessThan": lambda b: a < b, "NumericLessThanEquals": lambda b: a <= b,
               "NumericGreaterThan": lambda b: a > b, "NumericGreaterThanEquals": lambda b: a >= b}.get(op)
        if cmp is None:
            return None
        return any(cmp(b) for b in bs)
    return None


_NEGATED = {"StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike", "ArnNotEquals", "ArnNotLike",
            "NotIpAddress", "NumericNotEquals"}


def _key_known(key: str, req: Request) -> bool:
    if key in KNOWN_KEYS or key in req.keys or key in ABSENT_ON_DIRECT_CALLS:
        return True
    # a service's own keys (s3:..., kms:...) exist only on requests to that service; vpctui knows
    # the ones it puts in req.keys, and that other services' keys are absent
    prefix = key.split(":", 1)[0]
    return ":" in key and prefix != "aws" and prefix != req.action.split(":", 1)[0].lower()


def _cond(c: Condition, req: Request) -> Optional[bool]:
    op = c.operator
    if_exists = op.endswith("IfExists")
    if if_exists:
        op = op[: -len("IfExists")]
    set_op = ""
    if ":" in op:
        set_op, op = op.split(":", 1)
    key = c.key.lower()
    if not _key_known(key, req) or key in req.unknown_keys:
        return None
    present = key in req.keys
    if op == "Null":
        want_null = c.values and c.values[0].lower() == "true"
        return (not present) if want_null else present
    if op not in _OPERATORS:
        return None
    negated = op in _NEGATED
    if not present:
        if if_exists:
            return True
        if set_op == "ForAllValues":
            return True
        return negated
    value = req.keys.get(key)
    candidates = value if isinstance(value, tuple) else (value,)
    results = set()
    for v in candidates:
        hit = _one(op, str(v), c.values)
        if hit is None:
            return None
        results.add((not hit) if negated else hit)
    return results.pop() if len(results) == 1 else None


def _statement(s: Statement, req: Request, resource_policy: bool) -> tuple[Optional[bool], str]:
    """(match, how the principal matched: "direct" | "account" | "")."""
    if s.actions and not _match_any(s.actions, req.action, ci=True):
        return False, ""
    if s.not_actions and _match_any(s.not_actions, req.action, ci=True):
        return False, ""
    result: Optional[bool] = True
    if s.resources:
        r = _resource_match(s.resources, req)
        if r is False:
            return False, ""
        if r is None:
            result = None
    if s.not_resources:
        r = _resource_match(s.not_resources, req)
        if r is True:
            return False, ""
        if r is None:
            result = None
    how = "direct"
    if resource_policy:
        if s.principals is not None:
            how = _principal_match(s.principals, req)
            if not how:
                return False, ""
        if s.not_principals is not None and _not_principal_exempts(s.not_principals, req):
            return False, ""
    for c in s.conditions:
        r = _cond(c, req)
        if r is False:
            return False, ""
        if r is None:
            result = None
    return result, how


def evaluate(policy: Policy, req: Request, resource_policy: bool = False) -> Outcome:
    allow: Optional[Statement] = None
    allow_how = ""
    unknown_deny = unknown_allow = ""
    for s in policy.statements:
        r, how = _statement(s, req, resource_policy)
        if r is None:
            if s.effect == "Deny":
                unknown_deny = unknown_deny or _unknown_reason(s, req)
            else:
                unknown_allow = unknown_allow or _unknown_reason(s, req)
            continue
        if r and s.effect == "Deny":
            return Outcome("deny", s)
        rank = {"account": 0, "direct": 1, "session": 2}
        if r and s.effect == "Allow" and (allow is None or rank.get(how, 1) > rank.get(allow_how, 1)):
            allow, allow_how = s, how
    if unknown_deny:  # an undecidable Deny could still deny
        return Outcome("unknown", None, unknown_deny, undecided="deny")
    if allow:
        return Outcome("allow", allow, via_account=allow_how == "account", via_session=allow_how == "session")
    if unknown_allow:  # an undecidable Allow could still allow
        return Outcome("unknown", None, unknown_allow, undecided="allow")
    return Outcome("none")


_OPERATORS = {"StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
              "StringLike", "StringNotLike", "ArnEquals", "ArnNotEquals", "ArnLike", "ArnNotLike",
              "IpAddress", "NotIpAddress", "Bool", "Null", "NumericEquals", "NumericNotEquals",
              "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals"}


def _unknown_reason(s: Statement, req: Request) -> str:
    """Why a statement could not be decided: the condition (or resource) vpctui cannot evaluate."""
    for c in s.conditions:
        if c.key.lower() in req.unknown_keys:
            return f"the request's {c.key} is not known (the function is not in a VPC: its source address is Lambda's)"
        if not _key_known(c.key.lower(), req):
            return f"condition key {c.key} is not modelled by vpctui"
        if c.operator.removesuffix("IfExists").split(":")[-1] not in _OPERATORS:
            return f"condition operator {c.operator} is not modelled by vpctui"
    for c in s.conditions:
        if _cond(c, req) is None:
            v = req.keys.get(c.key.lower())
            if isinstance(v, tuple):
                return (f"{c.operator} {c.key} {list(c.values)} depends on which of {', '.join(map(str, v))} "
                        f"the request carries")
            return f"{c.operator} {c.key} {list(c.values)} cannot be evaluated against {v!r}"
    if (req.resource_alternatives or req.resource_partial_base) and (s.resources or s.not_resources):
        return (f"whether {', '.join(s.resources or s.not_resources)} matches {req.resource} depends on the "
                "resource ARN's random suffix, which the input does not give")
    return "a statement could not be evaluated"


def direct_call_keys(service: str, secure: bool = True) -> dict:
    """Keys every SDK call to ``service`` carries, as AWS documents them (SDK-6): HTTPS, SigV4; for S3
    the TLS version (1.2 or 1.3, negotiated) and the signature and auth types."""
    keys: dict = {"aws:securetransport": "true" if secure else "false", "aws:viaawsservice": "false"}
    if service == "s3":
        keys.update({"s3:tlsversion": ("1.2", "1.3"), "s3:signatureversion": "AWS4-HMAC-SHA256",
                     "s3:authtype": "REST-HEADER"})
    return keys


__all__ = ["ABSENT_ON_DIRECT_CALLS", "KNOWN_KEYS", "Outcome", "Request", "direct_call_keys", "evaluate",
           "iam_like"]
