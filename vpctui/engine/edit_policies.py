"""What-if edits of policies: endpoint, resource and role policies, statement by statement (the edit
kinds; ``edits.py`` is the public API). A policy is named by its owner: a resource ARN or name, a VPC
endpoint id, or a role ARN or name with the index of one of its policies."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import ClassVar

from ..model.network import Network, Role, VpcEndpoint
from ..model.policy import Policy, PolicyError
from .edit_base import Edit, EditError, replace_component


def policy_owner(net: Network, owner: str, index: int = 0):
    """(collection, component, policy) for a policy named by its owner: a resource ARN or name, a
    VPC endpoint id, or a role ARN or name (``index`` picks among a role's policies)."""
    obj = net.get(owner)
    if isinstance(obj, VpcEndpoint):
        if obj.policy is None:
            raise EditError(f"{owner} has the default (full access) policy: nothing to remove")
        return "vpc_endpoints", obj, obj.policy
    for r in net.resources:
        if owner in (r.arn, r.name):
            if r.policy is None:
                raise EditError(f"{r.name} has no resource policy")
            return "resources", r, r.policy
    role = net.role_by_key.get(owner)
    if role is not None:
        if not 0 <= index < len(role.policies):
            raise EditError(f"{role.role_name} has no policy #{index}")
        return "roles", role, role.policies[index]
    raise EditError(f"no policy owner {owner} in the network (a resource, a VPC endpoint or a role)")


def _with_policy(net: Network, owner: str, index: int, doc: dict) -> Network:
    coll, comp, old = policy_owner(net, owner, index)
    try:
        pol = Policy.from_document(doc, name=old.name)
    except PolicyError as e:
        raise EditError(f"the edited policy is not valid: {e}") from None
    if isinstance(comp, Role):
        pols = tuple(pol if i == index else p for i, p in enumerate(comp.policies))
        new = replace(comp, policies=pols)
    else:
        new = replace(comp, policy=pol)
    return replace_component(net, coll, comp, new)


def _statements(doc: dict) -> list:
    st = doc.get("Statement")
    return [st] if isinstance(st, dict) else list(st or [])


def _find_statement(doc: dict, statement: str) -> int:
    stmts = _statements(doc)
    for i, s in enumerate(stmts):
        if isinstance(s, dict) and s.get("Sid") == statement and statement:
            return i
    if statement.isdigit() and int(statement) < len(stmts):
        return int(statement)
    raise EditError(f"the policy has no statement {statement!r} (a Sid or an index)")


def _owner_touch(net: Network, owner: str) -> frozenset[str]:
    obj = net.get(owner)
    out = {owner}
    if obj is None:
        for r in net.resources:
            if owner in (r.arn, r.name):
                out |= {r.arn, r.name}
        role = net.role_by_key.get(owner)
        if role is not None:
            out |= {role.arn, role.role_name}
    return frozenset(out)


@dataclass(frozen=True)
class _PolicyEdit(Edit):
    """An edit of the policy ``self.policy_index`` of ``self.owner``."""

    def _document(self, net: Network) -> dict:
        return policy_owner(net, self.owner, self.policy_index)[2].to_document()  # type: ignore[attr-defined]

    def _statement(self, net: Network) -> tuple[dict, list, int]:
        """The policy document, its statements (a copy) and the index of ``self.statement``."""
        doc = self._document(net)
        return doc, _statements(doc), _find_statement(doc, self.statement)  # type: ignore[attr-defined]

    def _write(self, net: Network, doc: dict, statements: list) -> Network:
        return _with_policy(net, self.owner, self.policy_index, dict(doc, Statement=statements))  # type: ignore[attr-defined]

    def touched(self, net: Network) -> frozenset[str]:
        return _owner_touch(net, self.owner)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class RemovePolicyStatement(_PolicyEdit):
    owner: str  # resource ARN/name, vpce id, role ARN/name
    statement: str  # Sid, or the statement's index as text
    policy_index: int = 0  # which of a role's policies
    kind: ClassVar[str] = "remove-policy-statement"

    def apply_to(self, net: Network) -> Network:
        doc, stmts, i = self._statement(net)
        del stmts[i]
        return self._write(net, doc, stmts)

    def describe(self) -> str:
        what = f"statement {self.statement}" if not self.statement.isdigit() else f"statement #{self.statement}"
        return f"remove {what} from the policy of {self.owner}"


def _conditions(s: dict) -> dict:
    """A statement's conditions, copied two levels deep (operator → key → values)."""
    return {op: dict(kv) for op, kv in (s.get("Condition") or {}).items()}


@dataclass(frozen=True)
class RemovePolicyCondition(_PolicyEdit):
    owner: str
    statement: str
    key: str  # condition key, e.g. aws:SourceVpce
    operator: str = ""  # "" = every operator on that key
    policy_index: int = 0
    kind: ClassVar[str] = "remove-policy-condition"

    def apply_to(self, net: Network) -> Network:
        doc, stmts, i = self._statement(net)
        s = dict(stmts[i])
        cond = _conditions(s)
        found = False
        for op in list(cond):
            if self.operator and op != self.operator:
                continue
            for k in list(cond[op]):
                if k.lower() == self.key.lower():
                    del cond[op][k]
                    found = True
            if not cond[op]:
                del cond[op]
        if not found:
            raise EditError(f"statement {self.statement} of {self.owner}'s policy has no condition on {self.key}")
        if cond:
            s["Condition"] = cond
        else:
            s.pop("Condition", None)
        stmts[i] = s
        return self._write(net, doc, stmts)

    def describe(self) -> str:
        op = f"{self.operator} " if self.operator else ""
        return f"remove the condition {op}{self.key} from statement {self.statement} of {self.owner}'s policy"


@dataclass(frozen=True)
class AddPolicyConditionValue(_PolicyEdit):
    """Add a value to a condition (e.g. another VPC endpoint id to aws:SourceVpce)."""

    owner: str
    statement: str
    key: str
    value: str
    operator: str = ""
    policy_index: int = 0
    kind: ClassVar[str] = "add-policy-condition-value"
    text: ClassVar[str] = "add {value} to the {key} values of statement {statement} in {owner}'s policy"

    def apply_to(self, net: Network) -> Network:
        doc, stmts, i = self._statement(net)
        s = dict(stmts[i])
        cond = _conditions(s)
        for op, kv in cond.items():
            if self.operator and op != self.operator:
                continue
            for k, v in kv.items():
                if k.lower() == self.key.lower():
                    vals = [v] if isinstance(v, str) else list(v)
                    if self.value in vals:
                        raise EditError(f"{self.key} already lists {self.value}")
                    kv[k] = vals + [self.value]
                    s["Condition"] = cond
                    stmts[i] = s
                    return self._write(net, doc, stmts)
        raise EditError(f"statement {self.statement} of {self.owner}'s policy has no condition on {self.key}")


@dataclass(frozen=True)
class AddPolicyStatement(_PolicyEdit):
    """Append a statement (a JSON-able mapping) to a policy: an Allow the role lacks."""

    owner: str
    statement_json: str  # the statement as JSON text (kept as text so the edit stays hashable)
    policy_index: int = 0
    kind: ClassVar[str] = "add-policy-statement"

    def apply_to(self, net: Network) -> Network:
        doc = self._document(net)
        return self._write(net, doc, _statements(doc) + [json.loads(self.statement_json)])

    def describe(self) -> str:
        s = json.loads(self.statement_json)
        return f"add a statement ({s.get('Effect')} {s.get('Action')} on {s.get('Resource')}) to the policy of {self.owner}"
