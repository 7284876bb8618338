"""H9, the KMS key behind a SecureString parameter or a secret: may the role decrypt with it?

Reading a SecureString parameter (with decryption) or a secret makes Systems Manager or Secrets
Manager call ``kms:Decrypt`` on the caller's behalf, with the caller's permissions: no network path
from the function to KMS is needed, but the key must let the role decrypt. A KMS key policy is the
primary control: a statement must allow the role, either naming it (enough on its own), or naming
the account (``arn:aws:iam::ACCOUNT:root``: the key policy then delegates to IAM, and an identity
policy of the role must allow ``kms:Decrypt`` on the key as well). An explicit Deny in either wins.
An AWS managed key (``aws/ssm``, ``aws/secretsmanager``) allows every principal of the account that
may use the service, so only customer managed keys are checked; the live loader records the key's
ARN on the resource (``Resource.kms_key_arn``) and the key's policy as ``Resource(service="kms")``.

AWS: https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html and
https://docs.aws.amazon.com/kms/latest/developerguide/control-access.html.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Optional

from ..model.network import Network, Resource, Role
from . import policy as pol
from .path import Named
from .result import ACCESS_DENIED, DROP, PASS, Highlight


def kms_decrypt_step(log, net: Network, res: Resource, role: Optional[Role], role_arn: str, base_keys: dict,
                     status: str, who: str) -> bool:
    """Add the key-policy hop to ``log`` (a PathLog); True when decryption is allowed."""
    key_arn = res.kms_key_arn
    key = net.resource("kms", key_arn)
    name = key_arn.rsplit("/", 1)[-1]
    if key is None or key.policy_error or key.policy is None:
        why = (key.policy_error if key is not None and key.policy_error else "it was not read")
        log.unknown("H9", key_arn, "key-policy",
                    f"{res.name} is encrypted with the customer managed KMS key {name}, whose key policy could not be "
                    f"read ({why}): whether {role_arn.rsplit('/', 1)[-1]} may decrypt with it is not known", "POLICY_UNKNOWN")
        return False
    keys = {k: v for k, v in base_keys.items() if not k.startswith(("aws:sourcevpc", "aws:vpcsourceip", "aws:sourceip"))}
    req = pol.Request("kms:Decrypt", key_arn, role_arn, net.account_id, keys)
    hl = Highlight("policy", key_arn)
    base = Named("User: ", who, f" is not authorized to perform: kms:Decrypt on resource: {key_arn}")
    o = pol.evaluate(key.policy, req, resource_policy=True)
    if o.decision == "unknown":
        log.unknown("H9", key_arn, "key-policy", f"the key policy of {name}: {o.why_unknown}", "POLICY_UNKNOWN")
        return False
    if o.decision == "deny":
        log.hop("H9", key_arn, "key-policy", DROP, f"the key policy of {name} denies kms:Decrypt", hl)
        log.block("H9", "RESOURCE_POLICY_DENY", key_arn, Named(f"{status}: ", base, " with an explicit deny in the key policy"),
                  f"remove the Deny for kms:Decrypt from the key policy of {name}", ACCESS_DENIED)
        return False
    if o.decision == "none":
        log.hop("H9", key_arn, "key-policy", DROP, f"the key policy of {name} does not allow kms:Decrypt", hl)
        log.block("H9", "RESOURCE_POLICY_DENY", key_arn,
                  Named(f"{status}: ", base, " because the key policy does not allow it (a KMS key policy must allow every use of the key)"),
                  f"allow kms:Decrypt for {role_arn} in the key policy of {name}", ACCESS_DENIED)
        return False
    principals = (o.statement.principals or ()) if o.statement else ()
    account_names = (net.account_id, f"arn:aws:iam::{net.account_id}:root")
    # a statement naming the role (or any principal) allows on its own; one naming the account delegates
    direct = any(p == "*" or (p not in account_names and fnmatchcase(role_arn, p)) for p in principals)
    if direct:
        log.hop("H9", key_arn, "key-policy", PASS, f"the key policy of {name} allows kms:Decrypt for the role", hl)
        return True
    # the key policy names the account: it delegates to IAM, so an identity policy must allow it too
    if role is None:
        log.hop("H9", key_arn, "key-policy", PASS,
                f"the key policy of {name} delegates to IAM; the role is not described: assumed to allow kms:Decrypt", hl)
        return True
    if role.error:
        log.unknown("H9", role.arn, "identity-policy", f"the policies of {role.role_name} could not be read ({role.error})",
                    "POLICY_UNKNOWN")
        return False
    decisions = [pol.evaluate(p, req) for p in role.policies]
    if any(d.decision == "deny" for d in decisions):
        log.hop("H9", role.arn, "identity-policy", DROP, f"{role.role_name} explicitly denies kms:Decrypt on {name}", hl)
        log.block("H9", "IDENTITY_POLICY_DENY", role.arn, Named(f"{status}: ", base, " with an explicit deny in an identity-based policy"),
                  f"remove the Deny for kms:Decrypt on {key_arn} from {role.role_name}'s policies", ACCESS_DENIED)
        return False
    if any(d.decision == "allow" for d in decisions):
        log.hop("H9", key_arn, "key-policy", PASS,
                f"the key policy of {name} delegates to IAM, and {role.role_name} allows kms:Decrypt on it", hl)
        return True
    unk = next((d for d in decisions if d.decision == "unknown"), None)
    if unk is not None:
        log.unknown("H9", role.arn, "identity-policy", f"{role.role_name}, kms:Decrypt: {unk.why_unknown}", "POLICY_UNKNOWN")
        return False
    log.hop("H9", role.arn, "identity-policy", DROP,
            f"the key policy of {name} delegates to IAM, and no policy of {role.role_name} allows kms:Decrypt on it", hl)
    log.block("H9", "IDENTITY_POLICY_NO_ALLOW", role.arn,
              Named(f"{status}: ", base, " because no identity-based policy allows the kms:Decrypt action"),
              f"allow kms:Decrypt on {key_arn} in a policy of {role.role_name}", ACCESS_DENIED)
    return False
