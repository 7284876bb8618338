"""Fixes for the policy hop (H9): remove the Deny statement that matches, add the endpoint or VPC
the request comes through to a condition, send the request through the endpoint a policy names, or
add the Allow a role lacks. The request is built as the engine builds it (``authz.py``)."""

from __future__ import annotations

import json
from typing import Optional

from ..model.network import VpcEndpoint
from . import policy as pol
from .edit_policies import AddPolicyConditionValue, AddPolicyStatement, RemovePolicyStatement
from .edit_routes import AssociateGatewayEndpoint
from .edits import Fix
from .fix_context import Ctx, gateway_endpoints
from .result import Finding


def _request(c: Ctx, endpoint: Optional[VpcEndpoint]) -> pol.Request:
    """The request the service sees, as the engine builds it (H9)."""
    net, fn, t = c.net, c.fn, c.t
    role = net.role_of(fn)
    role_arn = role.arn if role else (fn.role if fn.role.startswith("arn:") else f"arn:aws:iam::{net.account_id}:role/{fn.role or 'unknown'}")
    keys = {"aws:principalarn": role_arn, "aws:principalaccount": net.account_id,
            "aws:securetransport": "true", "aws:requestedregion": t.region, "aws:principaltype": "AssumedRole"}
    if endpoint is not None:
        keys["aws:sourcevpce"] = endpoint.vpc_endpoint_id
        keys["aws:sourcevpc"] = endpoint.vpc_id
    return pol.Request(t.action, t.resource_arn or "*", role_arn, net.account_id, keys)


def _arrival_endpoint(c: Ctx) -> Optional[VpcEndpoint]:
    for h in c.path.hops:
        if h.hop == "H9" and h.component_type == "endpoint-policy":
            e = c.net.get(h.component_id)
            return e if isinstance(e, VpcEndpoint) else None
    return None


def _stmt_ref(policy, stmt) -> str:
    if stmt is None:
        return ""
    if stmt.sid:
        return stmt.sid
    for i, s in enumerate(policy.statements):
        if s is stmt:
            return str(i)
    return ""


def _allow_statement(c: Ctx) -> str:
    return json.dumps({"Effect": "Allow", "Action": c.t.action, "Resource": c.t.resource_arn or "*"})


def vpce_policy(c: Ctx, f: Finding):
    e = c.net.get(f.component_id)
    if not isinstance(e, VpcEndpoint) or e.policy is None:
        return []
    o = pol.evaluate(e.policy, _request(c, e), resource_policy=True)
    if o.decision == "deny":
        ref = _stmt_ref(e.policy, o.statement)
        return [Fix(f"remove the Deny statement {ref} from the policy of {e.vpc_endpoint_id}",
                    (RemovePolicyStatement(e.vpc_endpoint_id, ref),))] if ref else []
    stmt = json.dumps({"Effect": "Allow", "Principal": "*", "Action": c.t.action, "Resource": c.t.resource_arn or "*"})
    return [Fix(f.fix, (AddPolicyStatement(e.vpc_endpoint_id, stmt),))]


def resource_policy(c: Ctx, f: Finding):
    res = next((r for r in c.net.resources if r.arn == f.component_id), None)
    if res is None or res.policy is None:
        return []
    ep = _arrival_endpoint(c)
    o = pol.evaluate(res.policy, _request(c, ep), resource_policy=True)
    stmt = o.statement
    if o.decision != "deny" or stmt is None:
        return []
    ref = _stmt_ref(res.policy, stmt)
    out: list[Fix] = []
    for cond in stmt.conditions:
        k = cond.key.lower()
        if k in ("aws:sourcevpce", "aws:sourcevpc") and ep is None:
            # the request does not come through an endpoint: send it through the one the policy names
            rt = c.rt
            for v in cond.values:
                e = c.net.get(v) if k == "aws:sourcevpce" else None
                cands = [e] if isinstance(e, VpcEndpoint) else [
                    x for x in gateway_endpoints(c) if k == "aws:sourcevpc" and x.vpc_id in cond.values]
                for e in cands:
                    if (e.is_gateway and rt is not None and rt.route_table_id not in e.route_table_ids
                            and c.vpc is not None and e.vpc_id == c.vpc.vpc_id and e in gateway_endpoints(c)):
                        out.append(Fix(f"associate the gateway endpoint {e.vpc_endpoint_id} (named by {res.name}'s "
                                       f"policy) with {rt.route_table_id}",
                                       (AssociateGatewayEndpoint(e.vpc_endpoint_id, rt.route_table_id),)))
        elif k in ("aws:sourcevpce", "aws:sourcevpc") and ep is not None and ref:
            have = ep.vpc_endpoint_id if k == "aws:sourcevpce" else ep.vpc_id
            out.append(Fix(f"add {have} to the {cond.key} values in {res.name}'s policy",
                           (AddPolicyConditionValue(res.arn, ref, cond.key, have, cond.operator),)))
    if ref:
        out.append(Fix(f"remove the Deny statement {ref} from {res.name}'s policy",
                       (RemovePolicyStatement(res.arn, ref),)))
    return out


def identity_deny(c: Ctx, f: Finding):
    role = c.net.role_of(c.fn)
    if role is None:
        return []
    req = _request(c, _arrival_endpoint(c))
    for i, p in enumerate(role.policies):
        o = pol.evaluate(p, req)
        if o.decision == "deny":
            ref = _stmt_ref(p, o.statement)
            if ref:
                return [Fix(f.fix, (RemovePolicyStatement(role.arn, ref, i),))]
    return []


def identity_no_allow(c: Ctx, f: Finding):
    role = c.net.role_of(c.fn)
    if role is None or not role.policies:
        return []
    return [Fix(f.fix, (AddPolicyStatement(role.arn, _allow_statement(c), 0),))]
