"""The hostname the caller's SDK actually uses (docs/aws-behaviour.md SDK-1..SDK-5)."""

from __future__ import annotations

from netbuild import add_interface_endpoint, base, drop, fn, isolated, reasons, run

OBJ = "s3://bucket/k.txt"


def _s3_interface_only(runtime="python3.12", **env):
    d = isolated(base())
    add_interface_endpoint(d, "s3", private_dns_enabled=True, private_dns_only_for_inbound_resolver_endpoint=False)
    fn(d)["runtime"] = runtime
    if env:
        fn(d)["environment"] = env
    return d


def _h1(tr):
    return " ".join(h.detail for h in tr.paths[0].hops if h.hop == "H1")


def test_sdk1_boto3_s3_in_us_east_1_uses_the_global_name():
    tr = run(_s3_interface_only(), OBJ)
    assert "bucket.s3.amazonaws.com" in _h1(tr) and "boto3" in _h1(tr)
    assert tr.verdict == "blocked"
    assert "HOSTNAME_NOT_COVERED_BY_PRIVATE_DNS" in reasons(tr)
    tr = run(_s3_interface_only(AWS_S3_US_EAST_1_REGIONAL_ENDPOINT="regional"), OBJ)
    assert tr.verdict == "reachable"
    assert "bucket.s3.us-east-1.amazonaws.com" in _h1(tr) and "AWS_S3_US_EAST_1_REGIONAL_ENDPOINT" in _h1(tr)


def test_sdk1_node_runtimes_bundle_javascript_v3_which_calls_the_regional_name():
    tr = run(_s3_interface_only(runtime="nodejs20.x"), OBJ)
    assert tr.verdict == "reachable"
    assert "bucket.s3.us-east-1.amazonaws.com" in _h1(tr)


def test_sdk1_the_scenario_can_name_the_sdk():
    d = _s3_interface_only(runtime="java21")
    fn(d)["sdk"] = "js-v3"
    assert run(d, OBJ).verdict == "reachable"


def test_sdk2_sts_name_follows_the_runtime_sdk_and_setting():
    d = isolated(base())
    add_interface_endpoint(d, "sts")
    fn(d)["runtime"] = "nodejs16.x"  # bundles the JavaScript SDK v2: the legacy global name
    tr = run(d, "sts")
    assert "sts.amazonaws.com" in _h1(tr) and tr.verdict == "blocked"
    fn(d)["environment"] = {"AWS_STS_REGIONAL_ENDPOINTS": "regional"}
    assert run(d, "sts").verdict == "reachable"


def test_sdk3_dual_stack_setting_changes_the_name():
    d = isolated(base())
    add_interface_endpoint(d, "kms")
    fn(d)["environment"] = {"AWS_USE_DUALSTACK_ENDPOINT": "true"}
    tr = run(d, "kms")
    assert "kms.us-east-1.api.aws" in _h1(tr) and "AWS_USE_DUALSTACK_ENDPOINT" in _h1(tr)


def test_sdk5_endpoint_url_overrides_the_name():
    d = isolated(base())
    add_interface_endpoint(d, "dynamodb")
    assert run(d, "dynamodb:orders").verdict == "blocked"  # no private DNS for DynamoDB
    fn(d)["environment"] = {"AWS_ENDPOINT_URL_DYNAMODB": "https://vpce-dynamodb-x1y2.dynamodb.us-east-1.vpce.amazonaws.com"}
    tr = run(d, "dynamodb:orders")
    assert tr.verdict == "reachable"
    assert "AWS_ENDPOINT_URL_DYNAMODB" in _h1(tr)
