"""Authorization across policy types as AWS evaluates it (docs/aws-behaviour.md POL-4..POL-12)."""

from __future__ import annotations

from netbuild import base, drop, fn, run

OBJ = "s3://bucket/k.txt"
ALLOW_S3 = {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
ALLOW_SSM = {"Statement": [{"Effect": "Allow", "Action": "ssm:*", "Resource": "*"}]}
ROLE = "arn:aws:iam::111122223333:role/fn-role"
SESSION = "arn:aws:sts::111122223333:assumed-role/fn-role/fn"


def _with_role(d, *policies, **kw):
    d["roles"] = [{"role_name": "fn-role", "policies": list(policies), **kw}]
    fn(d)["role"] = "fn-role"
    return d


def test_pol4_undecidable_resource_allow_with_identity_allow_is_reachable():
    d = _with_role(base(), ALLOW_S3)
    d["buckets"] = [{"name": "bucket", "policy": {"Statement": [{
        "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*",
        "Condition": {"StringEquals": {"aws:PrincipalTag/team": "data"}}}]}}]
    assert run(d, OBJ).verdict == "reachable"
    d["roles"][0]["policies"] = [ALLOW_SSM]  # now only the undecidable Allow could grant
    assert run(d, OBJ).verdict == "unknown"


def test_pol5_not_principal_needs_the_session_arn_through_a_trace():
    def pol(listed):
        return {"Statement": [{"Effect": "Deny", "NotPrincipal": {"AWS": listed}, "Action": "s3:*", "Resource": "*"}]}
    d = _with_role(base(), ALLOW_S3)
    d["buckets"] = [{"name": "bucket", "policy": pol([ROLE, "arn:aws:iam::111122223333:root"])}]
    assert drop(run(d, OBJ)).reason == "RESOURCE_POLICY_DENY"
    d["buckets"] = [{"name": "bucket", "policy": pol([SESSION, ROLE, "arn:aws:iam::111122223333:root"])}]
    assert run(d, OBJ).verdict == "reachable"


def test_pol9_permissions_boundary_cuts_the_identity_allow():
    d = _with_role(base(), ALLOW_S3, permissions_boundary=ALLOW_SSM)
    tr = run(d, OBJ)
    f = drop(tr)
    assert (f.reason, tr.paths[0].symptom) == ("PERMISSIONS_BOUNDARY_NO_ALLOW", "access-denied")
    assert "because no permissions boundary allows the s3:GetObject action" in f.explanation
    d["roles"][0]["permissions_boundary"] = ALLOW_S3
    assert run(d, OBJ).verdict == "reachable"


def test_pol10_cross_account_needs_both_sides():
    d = _with_role(base(), ALLOW_S3)
    d["buckets"] = [{"name": "bucket", "account_id": "444455556666"}]
    f = drop(run(d, OBJ))
    assert f.reason == "RESOURCE_POLICY_NO_ALLOW"
    d["buckets"][0]["policy"] = {"Statement": [{"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "s3:GetObject",
                                                "Resource": "arn:aws:s3:::bucket/*"}]}
    assert run(d, OBJ).verdict == "reachable"
    d["roles"][0]["policies"] = [ALLOW_SSM]  # the other side alone is not enough
    assert drop(run(d, OBJ)).reason == "IDENTITY_POLICY_NO_ALLOW"


def test_pol11_scp_and_rcp():
    d = _with_role(base(), ALLOW_S3)
    d["service_control_policies"] = [{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"},
                                                    {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}]}]
    f = drop(run(d, OBJ))
    assert f.reason == "SCP_DENY" and "service control policy" in f.explanation
    d["service_control_policies"] = [{"Statement": [{"Effect": "Allow", "Action": "ssm:*", "Resource": "*"}]}]
    assert drop(run(d, OBJ)).reason == "SCP_DENY"
    d["service_control_policies"] = []
    d["resource_control_policies"] = [{"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*",
                                                      "Resource": "*", "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}}}]}]
    assert run(d, OBJ).verdict == "reachable"  # HTTPS: the RCP's Deny does not apply
    d["resource_control_policies"][0]["Statement"][0]["Condition"] = {"StringNotEquals": {"aws:PrincipalAccount": "999999999999"}}
    assert drop(run(d, OBJ)).reason == "RCP_DENY"


def test_pol12_session_policy_limits_the_session():
    d = _with_role(base(), ALLOW_S3, session_policy=ALLOW_SSM)
    assert drop(run(d, OBJ)).reason == "SESSION_POLICY_NO_ALLOW"


def test_pol7_identity_policy_naming_a_secret_without_its_suffix_does_not_allow():
    d = _with_role(base(), {"Statement": [{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
                                           "Resource": "arn:aws:secretsmanager:us-east-1:111122223333:secret:db"}]})
    d["secrets"] = [{"name": "db"}]
    assert drop(run(d, "secretsmanager:db")).reason == "IDENTITY_POLICY_NO_ALLOW"
    d["roles"][0]["policies"][0]["Statement"][0]["Resource"] += "-??????"
    assert run(d, "secretsmanager:db").verdict == "reachable"
