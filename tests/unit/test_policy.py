"""Policy evaluation as AWS documents it (docs/aws-behaviour.md POL-1..POL-8, SDK-6), on engine.policy."""

from __future__ import annotations

from vpctui.engine.policy import Request, direct_call_keys, evaluate
from vpctui.model.policy import Policy

ACCT = "111122223333"
ROLE = f"arn:aws:iam::{ACCT}:role/fn-role"
SESSION = f"arn:aws:sts::{ACCT}:assumed-role/fn-role/fn"


def req(action="s3:GetObject", resource="arn:aws:s3:::bucket/k", service="s3", alts=(), boundary=False, **keys):
    k = {"aws:principalarn": ROLE, "aws:principalaccount": ACCT, **direct_call_keys(service)}
    k.update({a.lower(): b for a, b in keys.items()})
    return Request(action, resource, ROLE, ACCT, k, session_arn=SESSION, resource_alternatives=alts,
                   has_permissions_boundary=boundary)


def pol(*stmts):
    return Policy.from_document({"Version": "2012-10-17", "Statement": list(stmts)})


def deny(cond=None, **kw):
    s = {"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "*", **kw}
    if cond:
        s["Condition"] = cond
    return s


def test_pol5_not_principal_exempts_only_the_listed_session():
    for listed in ([ROLE], [f"arn:aws:iam::{ACCT}:root"], [ROLE, f"arn:aws:iam::{ACCT}:root"]):
        p = pol({"Effect": "Deny", "NotPrincipal": {"AWS": listed}, "Action": "s3:*", "Resource": "*"})
        assert evaluate(p, req(), resource_policy=True).decision == "deny", listed
    p = pol({"Effect": "Deny", "NotPrincipal": {"AWS": [SESSION, ROLE, f"arn:aws:iam::{ACCT}:root"]},
             "Action": "s3:*", "Resource": "*"})
    assert evaluate(p, req(), resource_policy=True).decision == "none"
    # ... but never for a principal with a permissions boundary
    assert evaluate(p, req(boundary=True), resource_policy=True).decision == "deny"


def test_pol3_keys_of_service_to_service_requests_are_absent_from_direct_calls():
    for op, want in (("ArnNotEquals", "deny"), ("StringNotEquals", "deny"), ("ArnEquals", "none"),
                     ("ArnEqualsIfExists", "deny")):
        p = pol(deny({op: {"aws:SourceArn": "arn:aws:lambda:us-east-1:111122223333:function:other"}}))
        assert evaluate(p, req(), resource_policy=True).decision == want, op
    p = pol(deny({"StringNotEquals": {"aws:SourceAccount": ACCT}}))
    assert evaluate(p, req(), resource_policy=True).decision == "deny"


def test_sdk6_keys_every_sdk_call_carries_are_known():
    assert evaluate(pol(deny({"Bool": {"aws:SecureTransport": "false"}})), req(), True).decision == "none"
    assert evaluate(pol(deny({"NumericLessThan": {"s3:TlsVersion": "1.2"}})), req(), True).decision == "none"
    assert evaluate(pol(deny({"StringNotEquals": {"s3:signatureversion": "AWS4-HMAC-SHA256"}})), req(), True).decision == "none"
    # 1.2 or 1.3 is negotiated: a policy that tells them apart is honestly unknown
    o = evaluate(pol(deny({"NumericLessThan": {"s3:TlsVersion": "1.3"}})), req(), True)
    assert o.decision == "unknown" and "1.2, 1.3" in o.why_unknown


def test_pol6_numeric_operators():
    for op, val, want in (("NumericLessThan", "1.0", "none"), ("NumericGreaterThanEquals", "1.2", "deny"),
                          ("NumericEquals", "1.0", "none"), ("NumericNotEquals", "1.0", "deny")):
        assert evaluate(pol(deny({op: {"s3:TlsVersion": val}})), req(), True).decision == want, (op, val)


def test_other_services_keys_are_absent():
    p = pol(deny({"StringEquals": {"s3:prefix": "x"}}))
    r = req(action="ssm:GetParameter", resource="arn:aws:ssm:us-east-1:111122223333:parameter/p", service="ssm")
    p = Policy.from_document({"Statement": [{**deny({"StringNotEquals": {"s3:prefix": "x"}}), "Action": "ssm:*"}]})
    assert evaluate(p, r, True).decision == "deny"


def test_pol4_an_undecidable_allow_is_not_an_undecidable_deny():
    unknown_cond = {"StringEquals": {"aws:PrincipalTag/team": "x"}}
    o = evaluate(pol({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*",
                      "Condition": unknown_cond}), req(), True)
    assert (o.decision, o.undecided) == ("unknown", "allow")
    o = evaluate(pol(deny(unknown_cond)), req(), True)
    assert (o.decision, o.undecided) == ("unknown", "deny")


def test_pol7_secret_arn_ends_in_six_random_characters():
    base = "arn:aws:secretsmanager:us-east-1:111122223333:secret:db"
    r = req(action="secretsmanager:GetSecretValue", resource=base + "-a1B2c3", service="secretsmanager",
            alts=(base + "-Zz9Yy8",))

    def allow(res):
        return evaluate(pol({"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": res}), r).decision

    assert allow(base) == "none"  # the name without the suffix is not the secret's ARN
    assert allow(base + "-??????") == "allow"  # AWS's documented form
    assert allow(base + "*") == "allow"
    assert allow(base + "-a1B2c3") == "unknown"  # a specific suffix the input does not give


def test_pol8_account_principal_delegates_and_grants_nothing_by_itself():
    o = evaluate(pol({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCT}:root"}, "Action": "s3:GetObject",
                      "Resource": "*"}), req(), True)
    assert o.decision == "allow" and o.via_account
    o = evaluate(pol({"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "s3:GetObject", "Resource": "*"}), req(), True)
    assert o.decision == "allow" and not o.via_account
