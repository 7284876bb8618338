"""H9, authorization: every policy type AWS evaluates for the target's action, with the request
context the network path gives (docs/aws-behaviour.md POL-1..POL-15, EP-5).

The VPC endpoint policy, service control policies (the caller's account) and resource control
policies (the resource's account), the resource policy, the execution role's identity policies,
its permissions boundary and a session policy. An explicit Deny anywhere decides (POL-1). Otherwise
within one account an Allow in the identity policies (within the boundary and the session policy)
or in a resource policy that names the role is enough; across accounts both sides must allow
(POL-10). A statement vpctui cannot decide leaves the answer unknown only where it could change it
(POL-4).
"""

from __future__ import annotations

from typing import Optional

from ..model.network import Network
from . import policy as pol
from .kms import kms_decrypt_step
from .index import addr_text
from .path import FN_NAME, Arrival, Named, PathLog
from .result import ACCESS_DENIED, DROP, INFO, PASS, Highlight

# random six-character suffixes standing in for the one AWS appends to a secret's ARN (POL-7)
_SECRET_SUFFIXES = ("-a1B2c3", "-Zz9Yy8")


def _and(*xs: Optional[bool]) -> Optional[bool]:
    if any(x is False for x in xs):
        return False
    return None if any(x is None for x in xs) else True


def _or(*xs: Optional[bool]) -> Optional[bool]:
    if any(x is True for x in xs):
        return True
    return None if any(x is None for x in xs) else False


class AuthzSteps(PathLog):
    def _authorize(self, arrival: Arrival) -> None:
        t, net, fn = self.t, self.net, self.fn
        if t.kind != "service" or not t.action:
            if t.kind == "service":
                self.hop("H9", t.service.name if t.service else "service", "authorization", PASS, "network reachability only: no action checked")
            return
        role = net.role_of(fn)
        role_arn = role.arn if role else (fn.role if fn.role.startswith("arn:") else f"arn:aws:iam::{net.account_id}:role/{fn.role or 'unknown'}")
        role_name = role_arn.rsplit("/", 1)[-1]
        caller_account = (role.account_id if role is not None else "") or net.account_id
        session = f"arn:aws:sts::{caller_account}:assumed-role/{role_name}/{fn.function_name}"
        # the role session Lambda opens is named after the function: messages name it through a slot
        who = Named(f"arn:aws:sts::{caller_account}:assumed-role/{role_name}/", FN_NAME)
        svc = t.service
        keys = {"aws:principalarn": role_arn, "aws:principalaccount": caller_account,
                "aws:requestedregion": t.region, "aws:principaltype": "AssumedRole"}
        keys.update(pol.direct_call_keys(svc.name))
        unknown_keys: frozenset = frozenset()
        if arrival.endpoint is not None:
            keys["aws:sourcevpce"] = arrival.endpoint.vpc_endpoint_id
            keys["aws:sourcevpc"] = arrival.endpoint.vpc_id
            if self.src_ip is not None:
                keys["aws:vpcsourceip"] = addr_text(self.src_ip)
        elif arrival.source_public_ip:
            keys["aws:sourceip"] = arrival.source_public_ip
        elif arrival.source_unknown:
            keys["aws:sourceip"] = ""
            unknown_keys = frozenset({"aws:sourceip"})
        res = t.resource
        resource_arn = t.resource_arn or "*"
        partial = bool(res.arn_partial) if res is not None else (svc.name == "secretsmanager" and ":secret:" in resource_arn)
        req = pol.Request(t.action, resource_arn + (_SECRET_SUFFIXES[0] if partial else ""), role_arn, caller_account, keys,
                          session_arn=session,
                          resource_alternatives=(resource_arn + _SECRET_SUFFIXES[1],) if partial else (),
                          has_permissions_boundary=bool(role is not None and role.permissions_boundary is not None),
                          resource_partial_base=resource_arn if partial else "", unknown_keys=unknown_keys)
        via = (f"through {arrival.endpoint.vpc_endpoint_id}" if arrival.endpoint else
               f"from {arrival.source_label or arrival.source_public_ip}" if (arrival.source_public_ip or arrival.source_label) else "")
        status = f"{svc.authz_code} ({svc.authz_status})"
        base = Named("User: ", who, f" is not authorized to perform: {t.action} on resource: {t.resource_arn}")
        self._status, self._base = status, base
        undecided_deny = False  # a statement vpctui cannot decide could deny (POL-4)
        denied = False
        # endpoint policy (EP-5)
        ep = arrival.endpoint
        if ep is not None and net.unknown(ep.vpc_endpoint_id):
            undecided_deny = True
            self.unknown("H9", ep.vpc_endpoint_id, "endpoint-policy", f"{ep.label}'s policy: {net.unknown(ep.vpc_endpoint_id)}", "POLICY_UNKNOWN")
        elif ep is not None:
            if ep.policy is None:
                self.hop("H9", ep.vpc_endpoint_id, "endpoint-policy", PASS, f"{ep.label}: default policy (full access)", Highlight("policy", ep.vpc_endpoint_id))
            else:
                o = pol.evaluate(ep.policy, req, resource_policy=True)
                if o.decision == "unknown":
                    undecided_deny = True
                    self.unknown("H9", ep.vpc_endpoint_id, "endpoint-policy", f"{ep.label}'s policy: {o.why_unknown}", "POLICY_UNKNOWN")
                elif o.decision != "allow":
                    denied = True
                    explicit = o.decision == "deny"
                    self.hop("H9", ep.vpc_endpoint_id, "endpoint-policy", DROP,
                             f"{ep.label}'s policy {'explicitly denies' if explicit else 'does not allow'} {t.action}", Highlight("policy", ep.vpc_endpoint_id))
                    self.block("H9", "VPCE_POLICY_DENY", ep.vpc_endpoint_id,
                               Named(f"{status}: ", base, " " + ("with an explicit deny in a VPC endpoint policy" if explicit
                                                                 else f"because no VPC endpoint policy allows the {t.action} action")),
                               f"allow {t.action} on {t.resource_arn} in the policy of {ep.vpc_endpoint_id}"
                               + (f" (statement {o.statement.sid})" if o.statement and o.statement.sid else ""), ACCESS_DENIED)
                else:
                    self.hop("H9", ep.vpc_endpoint_id, "endpoint-policy", PASS, f"{ep.label}'s policy allows {t.action}", Highlight("policy", ep.vpc_endpoint_id))
        # service control policies over the caller's account, resource control policies over the
        # resource's (POL-11)
        res_account = (res.account_id if res is not None and res.account_id else net.account_id)
        if caller_account == net.account_id:
            d, u = self._org_policies("service control policy", "SCP_DENY", "service-control-policies",
                                      net.service_control_policies, req, resource_policy=False, need_allow=True)
            denied, undecided_deny = denied or d, undecided_deny or u
        if res_account == net.account_id:
            d, u = self._org_policies("resource control policy", "RCP_DENY", "resource-control-policies",
                                      net.resource_control_policies, req, resource_policy=True, need_allow=False)
            denied, undecided_deny = denied or d, undecided_deny or u
        # resource policy (POL-2, POL-8, POL-13)
        res_direct: Optional[bool] = False  # a statement naming the role, its session or everyone allows
        res_any: Optional[bool] = False  # ... or one naming the caller's account (delegation)
        res_session = False  # ... naming the session ARN itself (not limited by a boundary)
        res_policy_known = True
        if res is not None and res.policy_error:
            res_policy_known = False
            undecided_deny = True
            self.unknown("H9", res.arn, "resource-policy", f"the policy of {res.name} is not known ({res.policy_error})", "POLICY_UNKNOWN")
        elif res is not None and res.policy is not None:
            o = pol.evaluate(res.policy, req, resource_policy=True)
            if o.decision == "unknown" and o.undecided == "deny":
                undecided_deny = True
                self.unknown("H9", res.arn, "resource-policy", f"the policy of {res.name}: {o.why_unknown}", "POLICY_UNKNOWN")
            elif o.decision == "unknown":
                res_direct = res_any = None
                self._why_allow_unknown = f"the policy of {res.name}: {o.why_unknown}"
                self.hop("H9", res.arn, "resource-policy", INFO,
                         f"{res.name}'s policy does not deny {t.action}; whether its Allow applies is not known ({o.why_unknown})",
                         Highlight("policy", res.arn))
            elif o.decision == "deny":
                denied = True
                cond = _cond_text(o.statement, keys, self._shown_keys(arrival))
                self.hop("H9", res.arn, "resource-policy", DROP, f"{res.name}'s policy denies {t.action} {via}{cond}", Highlight("policy", res.arn))
                self.block("H9", "RESOURCE_POLICY_DENY", res.arn,
                           Named(f"{status}: ", base, f" with an explicit deny in a resource-based policy{cond}"),
                           _resource_fix(o.statement, res.name, keys, net), ACCESS_DENIED)
            else:
                allows = o.decision == "allow"
                res_any = allows
                res_direct = allows and not o.via_account
                res_session = allows and o.via_session
                self.hop("H9", res.arn, "resource-policy", PASS,
                         f"{res.name}'s policy {'allows' if allows else 'does not deny'} {t.action} {via}".rstrip()
                         + (" (it names the account: the role still needs an identity Allow)" if allows and o.via_account else ""),
                         Highlight("policy", res.arn))
        elif res is None and t.resource_arn and svc.name in ("s3", "dynamodb", "sqs", "secretsmanager"):
            u = net.unknown("resource_policies")
            if u:
                res_policy_known = False
                undecided_deny = True
                self.unknown("H9", t.resource_arn, "resource-policy", f"the resource policy of {t.resource_arn} was not read ({u})",
                             "POLICY_UNKNOWN")
            else:
                self.notes.append(f"{t.resource_arn} is not described in the scenario; its resource policy is not checked")
        elif res is not None and res_account != caller_account:
            self.hop("H9", res.arn, "resource-policy", INFO, f"{res.name} has no resource policy: it grants nothing to another account")
        # identity policies, the permissions boundary and a session policy (LAMBDA-8, POL-9, POL-12)
        id_allow: Optional[bool] = True
        boundary_ok: Optional[bool] = True
        session_ok: Optional[bool] = True
        if role is None:
            self.hop("H9", fn.role or Named(FN_NAME), "identity-policy", INFO,
                     f"role {fn.role or '(none)'} is not described: its policies are assumed to allow {t.action}")
            self.notes.append(f"the execution role's policies are not in the scenario; vpctui assumed they allow {t.action}")
        elif role.error:
            id_allow = None
            undecided_deny = True
            self.unknown("H9", role.arn, "identity-policy", f"the policies of {role.role_name} are not known ({role.error})", "POLICY_UNKNOWN")
        else:
            decisions = [pol.evaluate(p, req) for p in role.policies]
            deny = next((d for d in decisions if d.decision == "deny"), None)
            unk_deny = next((d for d in decisions if d.decision == "unknown" and d.undecided == "deny"), None)
            unk_allow = next((d for d in decisions if d.decision == "unknown"), None)
            if deny:
                denied = True
                self.hop("H9", role.arn, "identity-policy", DROP, f"{role.role_name} explicitly denies {t.action}", Highlight("policy", role.arn))
                self.block("H9", "IDENTITY_POLICY_DENY", role.arn, Named(f"{status}: ", base, " with an explicit deny in an identity-based policy"),
                           f"remove the Deny for {t.action} from {role.role_name}'s policies", ACCESS_DENIED)
            elif unk_deny:
                undecided_deny = True
                self.unknown("H9", role.arn, "identity-policy", f"{role.role_name}: {unk_deny.why_unknown}", "POLICY_UNKNOWN")
            id_allow = True if any(d.decision == "allow" for d in decisions) else (None if unk_allow else False)
            if id_allow is None:
                self._why_allow_unknown = f"{role.role_name}: {unk_allow.why_unknown}"
            if id_allow is False and res is not None and not res.arn_known:
                id_allow = None
                self._why_allow_unknown = (f"the ARN of {res.name} is not known ({res.policy_error or 'not read'}), so "
                                           f"whether a policy of {role.role_name} allows {t.action} on it cannot be decided")
            if role.boundary_error:
                boundary_ok = None
                undecided_deny = True
                self.unknown("H9", role.arn, "permissions-boundary", f"the permissions boundary of {role.role_name} could not be read ({role.boundary_error})", "POLICY_UNKNOWN")
            for kind, p in (("permissions boundary", role.permissions_boundary), ("session policy", role.session_policy)):
                if p is None:
                    continue
                o = pol.evaluate(p, req)
                ok_: Optional[bool] = {"allow": True, "none": False, "deny": False}.get(o.decision)
                if o.decision == "deny":
                    denied = True
                    self.hop("H9", role.arn, kind.replace(" ", "-"), DROP, f"{role.role_name}'s {kind} explicitly denies {t.action}")
                    self.block("H9", "PERMISSIONS_BOUNDARY_NO_ALLOW" if kind == "permissions boundary" else "SESSION_POLICY_NO_ALLOW",
                               role.arn, Named(f"{status}: ", base, f" with an explicit deny in a {kind}"),
                               f"remove the Deny for {t.action} from the {kind} of {role.role_name}", ACCESS_DENIED)
                elif o.decision == "unknown":
                    if o.undecided == "deny":
                        undecided_deny = True
                        self.unknown("H9", role.arn, kind.replace(" ", "-"), f"{role.role_name}'s {kind}: {o.why_unknown}", "POLICY_UNKNOWN")
                    else:
                        self._why_allow_unknown = f"{role.role_name}'s {kind}: {o.why_unknown}"
                if kind == "permissions boundary":
                    boundary_ok = ok_
                else:
                    session_ok = ok_
        if denied:
            return
        identity = _and(id_allow, boundary_ok, session_ok)
        cross = res_account != caller_account
        if cross:
            allowed = _and(identity, res_any if res_policy_known else None)
        else:
            # a resource policy naming the role is limited by the boundary and session policy unless
            # it names the session itself (POL-9)
            resource_grant = res_direct if res_session else _and(res_direct, boundary_ok, session_ok)
            allowed = _or(identity, resource_grant)
        if undecided_deny:
            return  # recorded as unknown above
        if allowed is True:
            rname = role.role_name if role is not None else (fn.role or "the role")
            what = (f"{rname} allows {t.action}" if id_allow else f"the resource policy allows {t.action}")
            if cross:
                what = f"both sides allow {t.action}: {rname}'s policies and {res.name}'s policy (account {res_account})"
            self.hop("H9", role.arn if role is not None else (fn.role or Named(FN_NAME)), "identity-policy", PASS, what,
                     Highlight("policy", role.arn) if role is not None else None)
            if res is not None and res.kms_key_arn and t.service and t.service.name in ("ssm", "secretsmanager"):
                # the service decrypts with the customer managed key on the role's behalf (engine/kms.py)
                kms_decrypt_step(self, net, res, role, role_arn, keys, status, who)
            elif t.service and t.service.name in ("ssm", "secretsmanager"):
                self.notes.append("a SecureString parameter or secret under a customer-managed KMS key also needs kms:Decrypt "
                                  "and a route to KMS (an interface endpoint or NAT); vpctui flags, does not assert, this (POL-15)")
            return
        if allowed is None:
            comp = role.arn if role is not None else (res.arn if res is not None else t.resource_arn)
            self.unknown("H9", comp, "identity-policy",
                         f"whether anything allows {t.action} is not known: {getattr(self, '_why_allow_unknown', 'a policy could not be evaluated')}",
                         "POLICY_UNKNOWN")
            return
        # an implicit deny: name the policy type that leaves the action out (POL-14)
        if cross and identity is True:
            self._no_allow("RESOURCE_POLICY_NO_ALLOW", res.arn if res is not None else t.resource_arn, "resource-based policy",
                           f"allow {session} (or {role_arn}) {t.action} on {t.resource_arn} in {res.name if res else 'the resource'}'s "
                           f"policy (account {res_account}): across accounts both sides must allow (POL-10)")
        elif id_allow is False or role is None:
            self._no_allow("IDENTITY_POLICY_NO_ALLOW", role.arn if role is not None else fn.role, "identity-based policy",
                           f"allow {t.action} on {t.resource_arn} in a policy of {role_name}")
        elif boundary_ok is False:
            self._no_allow("PERMISSIONS_BOUNDARY_NO_ALLOW", role.arn, "permissions boundary",
                           f"allow {t.action} in the permissions boundary of {role_name} (the boundary caps its identity policies)")
        else:
            self._no_allow("SESSION_POLICY_NO_ALLOW", role.arn, "session policy",
                           f"allow {t.action} in the session policy used when {role_name} is assumed")

    def _no_allow(self, reason: str, comp: str, kind: str, fix: str) -> None:
        self.hop("H9", comp, "identity-policy" if "identity" in kind else kind.replace(" ", "-"), DROP,
                 f"no {kind} allows {self.t.action}", Highlight("policy", comp))
        self.block("H9", reason, comp, Named(f"{self._status}: ", self._base, f" because no {kind} allows the {self.t.action} action"),
                   fix, ACCESS_DENIED)

    def _org_policies(self, kind: str, reason: str, comp: str, policies, req, resource_policy: bool,
                      need_allow: bool) -> tuple[bool, bool]:
        """SCPs or RCPs: (denied, undecided). An SCP must allow and not deny; for RCPs only their Deny
        statements are evaluated (AWS attaches RCPFullAWSAccess by default)."""
        t = self.t
        if policies is None:
            self.unknown("H9", comp, kind.replace(" ", "-"), f"the {kind}s of the account could not be read", "POLICY_UNKNOWN")
            return False, True
        for i, p in enumerate(policies):
            o = pol.evaluate(p, req, resource_policy=resource_policy)
            if o.decision == "deny" or (need_allow and o.decision == "none"):
                explicit = o.decision == "deny"
                self.hop("H9", comp, kind.replace(" ", "-"), DROP,
                         f"{kind} {i + 1} {'denies' if explicit else 'does not allow'} {t.action}")
                self.block("H9", reason, comp,
                           Named(f"{self._status}: ", self._base, " " + (f"with an explicit deny in a {kind}" if explicit
                                                                         else f"because no {kind} allows the {t.action} action")),
                           f"{'remove the Deny for' if explicit else 'allow'} {t.action} in {kind} {i + 1} "
                           "(AWS Organizations)", ACCESS_DENIED)
                return True, False
            if o.decision == "unknown" and (o.undecided == "deny" or need_allow):
                self.unknown("H9", comp, kind.replace(" ", "-"), f"{kind} {i + 1}: {o.why_unknown}", "POLICY_UNKNOWN")
                return False, True
        if policies:
            self.hop("H9", comp, kind.replace(" ", "-"), PASS, f"the {kind}s allow {t.action}")
        return False, False

    def _shown_keys(self, arrival: Arrival) -> dict:
        """Request values as output may show them (an address vpctui does not know is described)."""
        shown = {}
        if self.src_ip is not None:
            shown["aws:vpcsourceip"] = str(self.src_ip)
        if arrival.source_label:
            shown["aws:sourceip"] = arrival.source_label
        return shown


def _cond_text(stmt, keys: dict, shown: Optional[dict] = None) -> str:
    if stmt is None or not stmt.conditions:
        return ""
    parts = []
    for c in stmt.conditions:
        k = c.key.lower()
        have = (shown or {}).get(k, keys.get(k)) if k in keys else None
        if isinstance(have, tuple):
            have = " or ".join(have)
        parts.append(f"{c.operator} {c.key} {list(c.values)} (request: {have if have is not None else 'key absent'})")
    return " [" + "; ".join(parts) + "]"


def _resource_fix(stmt, name: str, keys: dict, net: Network) -> str:
    if stmt is not None:
        for c in stmt.conditions:
            k = c.key.lower()
            if k in ("aws:sourcevpce", "aws:sourcevpc") and k not in keys:
                return (f"the request does not come through a VPC endpoint, so {c.key} is absent and the Deny applies: "
                        f"route the function's subnet through {', '.join(c.values)} (gateway endpoint on its route table)")
            if k == "aws:sourceip" and "aws:sourcevpce" in keys:
                return (f"aws:SourceIp is absent through a VPC endpoint: use aws:VpcSourceIp or aws:SourceVpce in "
                        f"{name}'s policy instead")
            if k in ("aws:sourcevpce", "aws:sourcevpc"):
                return f"add {keys.get(k)} to the {c.key} values in {name}'s policy"
    return f"change the Deny in {name}'s policy{(' (' + stmt.sid + ')') if stmt is not None and stmt.sid else ''}"
