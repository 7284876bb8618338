"""Default targets on a live account: what the functions are allowed to call, and what the VPC has
endpoints for.

A live account has no ``targets:`` list, and a matrix without targets is empty. The targets a user
cares about are the ones the functions' execution roles name: an identity policy that allows
``s3:GetObject`` on ``arn:aws:s3:::reports/*`` says the function reads objects of ``reports``. So:

- for each function's role, each ``Allow`` statement with a ``Resource`` ARN naming one bucket,
  parameter, table, secret or queue, where the statement's actions cover the action vpctui traces
  for that kind of target (``s3:GetObject`` for objects, ``s3:ListBucket`` for a bucket,
  ``ssm:GetParameter``, ``dynamodb:GetItem``, ``secretsmanager:GetSecretValue``,
  ``sqs:SendMessage``), one target. ``Resource: "*"`` names nothing and gives none; a statement
  with ``NotAction`` or ``NotResource`` gives none. An S3 key pattern and an SSM parameter path
  pattern are kept (``s3://reports/*``, ``ssm:/app/*``): the trace evaluates the policies for
  that pattern. A pattern in a table, queue or secret name gives none (no single resource). A
  Secrets Manager ARN ends in ``-`` and six random characters (AWS adds them; policies write
  ``-??????``): the target is the secret's name without them.
- for each VPC that holds a function, each VPC endpoint of a service in the catalog whose service
  no resource target covers already: the bare service (``ssm``, ``sts``, ...).

Each target comes with its origin, in words, so a user can see why a column is there. Pure: the
network in, a list out.
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from typing import NamedTuple, Optional

from ..model.network import Network
from ..model.policy import Statement
from ..model.services import CATALOG


class DefaultTarget(NamedTuple):
    target: str  # a TARGET string (s3://BUCKET/KEY, ssm:NAME, dynamodb:TABLE, ..., a service)
    origin: str  # where it came from: a role's policy statement, or a VPC endpoint


# target kind -> the action the trace evaluates for it (engine/targets.py)
_ACTIONS = {"s3-object": "s3:GetObject", "s3-bucket": "s3:ListBucket", "ssm": "ssm:GetParameter",
            "dynamodb": "dynamodb:GetItem", "secretsmanager": "secretsmanager:GetSecretValue",
            "sqs": "sqs:SendMessage"}

_WILD = re.compile(r"[*?]")
# the random suffix AWS adds to a secret's name in its ARN, as written in ARNs and policies
_SECRET_SUFFIX = re.compile(r"-(\?{6}|\*|[A-Za-z0-9]{6})$|\*$")


def _covers(stmt: Statement, action: str) -> bool:
    return any(fnmatchcase(action.lower(), a.lower()) for a in stmt.actions)


def _same(part: str, want: str) -> bool:
    """An ARN's region or account field names ``want`` (empty and ``*`` name any)."""
    return part in ("", "*") or part == want or not want


def target_of_arn(arn: str, region: str = "", account: str = "") -> Optional[tuple[str, str]]:
    """(target kind, TARGET string) for one Resource ARN of an identity policy, or None."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        return None
    _arn, _part, svc, reg, acct, rest = parts
    if svc == "s3":
        bucket, slash, key = rest.partition("/")
        if not bucket or _WILD.search(bucket):
            return None
        if slash:
            return ("s3-object", f"s3://{bucket}/{key}") if key else None
        return "s3-bucket", f"s3://{bucket}"
    if not _same(reg, region) or not _same(acct, account):
        return None  # another region or account: not reachable as a target of this network
    if svc == "ssm" and rest.startswith("parameter/"):
        name = rest[len("parameter/"):]
        if not name or name == "*":
            return None
        return "ssm", ("ssm:" + (name if name.startswith("/") else "/" + name)) if "/" in name else f"ssm:{name}"
    if svc == "dynamodb" and rest.startswith("table/"):
        name = rest[len("table/"):].split("/", 1)[0]
        return None if not name or _WILD.search(name) else ("dynamodb", f"dynamodb:{name}")
    if svc == "secretsmanager" and rest.startswith("secret:"):
        name = _SECRET_SUFFIX.sub("", rest[len("secret:"):])
        return None if not name or _WILD.search(name) else ("secretsmanager", f"secretsmanager:{name}")
    if svc == "sqs":
        return None if not rest or _WILD.search(rest) else ("sqs", f"sqs:{rest}")
    return None


def default_targets(network: Network) -> list[DefaultTarget]:
    """The targets a live account offers when none were asked for, each with its origin."""
    out: list[DefaultTarget] = []
    seen: dict[str, int] = {}
    services: set[str] = set()
    buckets_with_objects: set[str] = set()

    def add(target: str, origin: str, service: str) -> None:
        services.add(service)
        if target in seen:
            return
        seen[target] = len(out)
        out.append(DefaultTarget(target, origin))

    roles_done: set[str] = set()
    pending_buckets: list[tuple[str, str]] = []  # bucket targets, added after the object targets
    for fn in network.functions:
        role = network.role_of(fn)
        if role is None or role.arn in roles_done:
            continue
        roles_done.add(role.arn)
        for policy in role.policies:
            for stmt in policy.statements:
                if stmt.effect != "Allow" or stmt.not_actions or stmt.not_resources:
                    continue
                for arn in stmt.resources:
                    got = target_of_arn(arn, network.region, network.account_id)
                    if got is None:
                        continue
                    kind, target = got
                    action = _ACTIONS[kind]
                    if not _covers(stmt, action):
                        continue
                    origin = (f"role {role.role_name} may call {action} on {arn}"
                              + (f" (policy {policy.name})" if policy.name else ""))
                    if kind == "s3-bucket":
                        pending_buckets.append((target, origin))
                        continue
                    if kind == "s3-object":
                        buckets_with_objects.add(target[5:].split("/", 1)[0])
                    add(target, origin, "s3" if kind.startswith("s3") else kind)
    # a bucket whose objects are a target already needs no ListBucket column of its own
    for target, origin in pending_buckets:
        if target[5:] not in buckets_with_objects:
            add(target, origin, "s3")

    vpcs = {network.vpc_of_subnet(s).vpc_id for fn in network.functions for s in fn.subnet_ids
            if network.vpc_of_subnet(s) is not None}
    for ep in network.vpc_endpoints:
        if ep.vpc_id not in vpcs or ep.service not in CATALOG or ep.service in services:
            continue
        kind = "gateway" if ep.is_gateway else (ep.vpc_endpoint_type or "interface").lower()
        add(ep.service, f"{kind} endpoint {ep.vpc_endpoint_id} for {ep.service} in {ep.vpc_id}", ep.service)
    return out
