"""H9, authorization: the VPC endpoint policy, the resource policy and the execution role's identity
policies for the target's action, with the request context the network path gives."""

from __future__ import annotations

from ..model.network import Network
from . import policy as pol
from .kms import kms_decrypt_step
from .path import FN_NAME, Arrival, Named, PathLog
from .result import ACCESS_DENIED, DROP, INFO, PASS, Highlight


class AuthzSteps(PathLog):
    def _authorize(self, arrival: Arrival) -> None:
        t, net, fn = self.t, self.net, self.fn
        if t.kind != "service" or not t.action:
            if t.kind == "service":
                self.hop("H9", t.service.name if t.service else "service", "authorization", PASS, "network reachability only: no action checked")
            return
        role = net.role_of(fn)
        role_arn = role.arn if role else (fn.role if fn.role.startswith("arn:") else f"arn:aws:iam::{net.account_id}:role/{fn.role or 'unknown'}")
        keys = {"aws:principalarn": role_arn, "aws:principalaccount": net.account_id,
                "aws:securetransport": "true", "aws:requestedregion": t.region, "aws:principaltype": "AssumedRole"}
        if arrival.endpoint is not None:
            keys["aws:sourcevpce"] = arrival.endpoint.vpc_endpoint_id
            keys["aws:sourcevpc"] = arrival.endpoint.vpc_id
            if self.src_ip is not None:
                keys["aws:vpcsourceip"] = str(self.src_ip)
        elif arrival.source_public_ip:
            keys["aws:sourceip"] = arrival.source_public_ip
        req = pol.Request(t.action, t.resource_arn or "*", role_arn, net.account_id, keys)
        via = (f"through {arrival.endpoint.vpc_endpoint_id}" if arrival.endpoint else
               f"from {arrival.source_public_ip}" if arrival.source_public_ip else "")
        svc = t.service
        status = f"{svc.authz_code} ({svc.authz_status})"
        # the role session Lambda opens is named after the function: the message names it
        who = Named(f"arn:aws:sts::{net.account_id}:assumed-role/{role_arn.rsplit('/', 1)[-1]}/", FN_NAME)
        base = Named("User: ", who, f" is not authorized to perform: {t.action} on resource: {t.resource_arn}")
        ok = True
        # endpoint policy (R4.8)
        ep = arrival.endpoint
        if ep is not None and net.unknown(ep.vpc_endpoint_id):
            ok = False
            self.unknown("H9", ep.vpc_endpoint_id, "endpoint-policy", f"{ep.label}'s policy: {net.unknown(ep.vpc_endpoint_id)}", "POLICY_UNKNOWN")
        elif ep is not None:
            if ep.policy is None:
                self.hop("H9", ep.vpc_endpoint_id, "endpoint-policy", PASS, f"{ep.label}: default policy (full access)", Highlight("policy", ep.vpc_endpoint_id))
            else:
                o = pol.evaluate(ep.policy, req, resource_policy=True)
                if o.decision == "unknown":
                    ok = False
                    self.unknown("H9", ep.vpc_endpoint_id, "endpoint-policy", f"{ep.label}'s policy: {o.why_unknown}", "POLICY_UNKNOWN")
                elif o.decision != "allow":
                    ok = False
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
        # resource policy (R7.1, R7.2, R7.7)
        res = t.resource
        resource_allows = False
        if res is not None and res.policy_error:
            ok = False
            self.unknown("H9", res.arn, "resource-policy", f"the policy of {res.name} could not be read ({res.policy_error})", "POLICY_UNKNOWN")
        elif res is not None and res.policy is not None:
            o = pol.evaluate(res.policy, req, resource_policy=True)
            if o.decision == "unknown":
                ok = False
                self.unknown("H9", res.arn, "resource-policy", f"the policy of {res.name}: {o.why_unknown}", "POLICY_UNKNOWN")
            elif o.decision == "deny":
                ok = False
                cond = _cond_text(o.statement, keys)
                self.hop("H9", res.arn, "resource-policy", DROP, f"{res.name}'s policy denies {t.action} {via}{cond}", Highlight("policy", res.arn))
                self.block("H9", "RESOURCE_POLICY_DENY", res.arn,
                           Named(f"{status}: ", base, f" with an explicit deny in a resource-based policy{cond}"),
                           _resource_fix(o.statement, res.name, keys, net), ACCESS_DENIED)
            else:
                resource_allows = o.decision == "allow"
                self.hop("H9", res.arn, "resource-policy", PASS,
                         f"{res.name}'s policy {'allows' if resource_allows else 'does not deny'} {t.action} {via}".rstrip(), Highlight("policy", res.arn))
        elif res is None and t.resource_arn and t.service and t.service.name in ("s3", "dynamodb", "sqs", "secretsmanager"):
            u = net.unknown("resource_policies")
            if u:
                ok = False
                self.unknown("H9", t.resource_arn, "resource-policy", f"the resource policy of {t.resource_arn} was not read ({u})",
                             "POLICY_UNKNOWN")
            else:
                self.notes.append(f"{t.resource_arn} is not described in the scenario; its resource policy is not checked")
        # identity policy (R1.13, R7.4)
        if role is None:
            self.hop("H9", fn.role or Named(FN_NAME), "identity-policy", INFO,
                     f"role {fn.role or '(none)'} is not described: its policies are assumed to allow {t.action}")
            self.notes.append(f"the execution role's policies are not in the scenario; vpctui assumed they allow {t.action}")
        elif role.error:
            ok = False
            self.unknown("H9", role.arn, "identity-policy", f"the policies of {role.role_name} could not be read ({role.error})", "POLICY_UNKNOWN")
        else:
            decisions = [pol.evaluate(p, req) for p in role.policies]
            deny = next((d for d in decisions if d.decision == "deny"), None)
            unk = next((d for d in decisions if d.decision == "unknown"), None)
            allow = any(d.decision == "allow" for d in decisions)
            if deny:
                ok = False
                self.hop("H9", role.arn, "identity-policy", DROP, f"{role.role_name} explicitly denies {t.action}", Highlight("policy", role.arn))
                self.block("H9", "IDENTITY_POLICY_DENY", role.arn, Named(f"{status}: ", base, " with an explicit deny in an identity-based policy"),
                           f"remove the Deny for {t.action} from {role.role_name}'s policies", ACCESS_DENIED)
            elif unk and not allow and not resource_allows:
                ok = False
                self.unknown("H9", role.arn, "identity-policy", f"{role.role_name}: {unk.why_unknown}", "POLICY_UNKNOWN")
            elif not allow and not resource_allows and res is not None and not res.arn_known:
                ok = False
                self.unknown("H9", role.arn, "identity-policy",
                             f"the ARN of {res.name} is not known ({res.policy_error or 'not read'}), so whether a policy of "
                             f"{role.role_name} allows {t.action} on it cannot be decided", "POLICY_UNKNOWN")
            elif not allow and not resource_allows:
                ok = False
                self.hop("H9", role.arn, "identity-policy", DROP, f"no policy of {role.role_name} allows {t.action}", Highlight("policy", role.arn))
                self.block("H9", "IDENTITY_POLICY_NO_ALLOW", role.arn, Named(f"{status}: ", base, f" because no identity-based policy allows the {t.action} action"),
                           f"allow {t.action} on {t.resource_arn} in a policy of {role.role_name}", ACCESS_DENIED)
            else:
                self.hop("H9", role.arn, "identity-policy", PASS,
                         f"{role.role_name} allows {t.action}" if allow else f"the resource policy allows {t.action}", Highlight("policy", role.arn))
        if ok and res is not None and res.kms_key_arn and t.service and t.service.name in ("ssm", "secretsmanager"):
            # the service decrypts with the customer managed key on the role's behalf (engine/kms.py)
            kms_decrypt_step(self, net, res, role, role_arn, keys, status, who)
        elif ok and t.service and t.service.name in ("ssm", "secretsmanager"):
            self.notes.append("a SecureString parameter or secret under a customer-managed KMS key also needs kms:Decrypt "
                              "and a route to KMS (an interface endpoint or NAT); vpctui flags, does not assert, this (R7.8)")


def _cond_text(stmt, keys: dict) -> str:
    if stmt is None or not stmt.conditions:
        return ""
    parts = []
    for c in stmt.conditions:
        have = keys.get(c.key.lower())
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

