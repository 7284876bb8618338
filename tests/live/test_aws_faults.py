"""Faults moto cannot make. Two tools:

- ``Stubber`` for ordered, deterministic conversations with one client (ListFunctions over several
  pages; AccessDenied on a bucket's policy). It answers at ``before-call``, above botocore's retry
  layer.
- a ``before-send`` hook returning a real HTTP error (or raising a connection error) where the
  retry layer must see it (throttling, network errors), or where the client is called from several
  threads at once and a Stubber's fixed order cannot hold (AccessDenied on DescribeNetworkAcls).
"""

from __future__ import annotations

import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import EndpointConnectionError
from botocore.stub import Stubber

from vpctui.engine import matrix
from vpctui.loaders import AwsOptions, LoadError, load_source
from vpctui.loaders.aws import AwsSource
from vpctui.loaders import aws as aws_loader
from vpctui.loaders.aws import load_account

from . import envs

pytestmark = pytest.mark.live

EC2_ERROR = ('<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>{code}</Code>'
             '<Message>{msg}</Message></Error></Errors><RequestID>fault-1</RequestID></Response>')
QUERY_ERROR = ('<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{msg}</Message></Error>'
               '<RequestId>fault-1</RequestId></ErrorResponse>')


class _Raw:
    def __init__(self, body: bytes):
        self.body = body

    def stream(self, **_kw):
        yield self.body


def fail(session, event: str, status: int, body: str, times: int = 1) -> dict:
    """Answer the first ``times`` HTTP attempts of ``event`` (e.g. ``ec2.DescribeSubnets``) with
    an error response; later attempts go to the server. Returns the attempt counter."""
    seen = {"attempts": 0}

    def handler(request, **_kw):
        seen["attempts"] += 1
        if seen["attempts"] <= times:
            return AWSResponse(request.url, status, {"Content-Type": "text/xml"}, _Raw(body.encode()))
        return None

    session.events.register(f"before-send.{event}", handler)
    return seen


def count_calls(session) -> dict:
    calls: dict[str, int] = {}

    def before_call(model, **_kw):
        calls[model.name] = calls.get(model.name, 0) + 1

    session.events.register("before-call", before_call)
    return calls


class StubbingSession:
    """A boto3 session whose clients for some services are stubbed (the others are real)."""

    def __init__(self, session, stub: dict):
        self._s = session
        self._stub = stub  # service -> function(client, stubber) queueing responses
        self.stubbers: list[Stubber] = []

    def __getattr__(self, name):
        return getattr(self._s, name)

    def client(self, name, **kw):
        c = self._s.client(name, **kw)
        if name in self._stub:
            st = Stubber(c)
            self._stub[name](c, st)
            st.activate()
            self.stubbers.append(st)
        return c


# --------------------------------------------------------------------------------------------------


def test_throttling_then_success(session, monkeypatch):
    """botocore's adaptive retries absorb throttling. The backoff sleep and the adaptive client-side
    rate limiter's wait are set to zero so the test does not wait (nor depend on timing); the
    retry decisions are botocore's own."""
    import botocore.retries.bucket as bucket
    import botocore.retries.standard as standard

    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", lambda self, context: 0)
    monkeypatch.setattr(bucket.TokenBucket, "acquire", lambda self, amount=1, block=True: True)
    envs.build_seed(session)
    seen = fail(session, "ec2.DescribeSubnets", 400,
                EC2_ERROR.format(code="RequestLimitExceeded", msg="Request limit exceeded."), times=2)
    calls = count_calls(session)
    net = load_account(AwsOptions(targets=envs.TARGETS), session=session)
    assert seen["attempts"] == 3  # two throttled, the third answered by the server
    assert calls["DescribeSubnets"] == 1  # one API call; the retries are botocore's
    assert envs.failed(net) == []
    assert len(net.subnets) >= 4


def test_access_denied_on_one_describe_call(session):
    built = envs.build_seed(session)
    fail(session, "ec2.DescribeNetworkAcls", 403,
         EC2_ERROR.format(code="UnauthorizedOperation", msg="You are not authorized to perform this operation."),
         times=99)
    msgs: list[str] = []
    net = load_account(AwsOptions(targets=envs.TARGETS), progress=msgs.append, session=session)
    assert envs.failed(net) == ["network_acls"]
    assert [u for u in net.unknowns if u.kind != "resource_policies"][0].reason.startswith("ec2:DescribeNetworkAcls: UnauthorizedOperation")
    assert net.network_acls == ()
    assert len(net.subnets) >= 4 and len(net.functions) == 4  # the rest loaded
    assert any("ec2:DescribeNetworkAcls" in m for m in msgs)
    t = {x.source: x for x in matrix(net, [envs.S3_TARGET])}
    # never a confident answer through an unread NACL: unknown, naming the missing permission
    for fn in ("lambda-2-nat", "lambda-4-endpoints"):
        assert t[fn].verdict == "unknown"
        assert "ec2:DescribeNetworkAcls" in t[fn].paths[0].drop.explanation
    assert built["subnet2"] in {p.subnet_id for p in t["lambda-2-nat"].paths}


def test_access_denied_on_bucket_policy_with_stubber(session):
    envs.build_seed(session)

    def s3(client, st: Stubber):
        st.add_response("get_bucket_location", {"LocationConstraint": "eu-west-1"}, {"Bucket": envs.BUCKET})
        st.add_client_error("get_bucket_policy", "AccessDenied", "Access Denied", 403, expected_params={"Bucket": envs.BUCKET})

    stubbed = StubbingSession(session, {"s3": s3})
    net = load_account(AwsOptions(targets=envs.TARGETS), session=stubbed)
    for st in stubbed.stubbers:
        st.assert_no_pending_responses()
    bucket = net.resource("s3", envs.BUCKET)
    assert bucket.region == "eu-west-1"
    assert bucket.policy is None and bucket.policy_error.startswith("s3:GetBucketPolicy: AccessDenied")
    t = {x.source: x for x in matrix(net, [envs.S3_TARGET])}
    assert t["lambda-2-nat"].verdict == "unknown"
    assert "s3:GetBucketPolicy" in t["lambda-2-nat"].paths[0].drop.explanation


def test_pagination_over_several_pages_with_stubber(session):
    built = envs.build_seed(session)
    role = built["role"]

    def fn(name, subnet):
        return {"FunctionName": name, "FunctionArn": f"arn:aws:lambda:us-east-1:123456789012:function:{name}",
                "Role": role, "Runtime": "python3.12", "Timeout": 3,
                "VpcConfig": {"SubnetIds": [subnet], "SecurityGroupIds": [built["sg-lambda"]], "VpcId": "vpc-123abc"}}

    def lam(client, st: Stubber):
        st.add_response("list_functions", {"Functions": [fn("page-1-a", built["subnet2"]), fn("page-1-b", built["subnet4"])],
                                           "NextMarker": "m1"}, {"MaxItems": 50})
        st.add_response("list_functions", {"Functions": [fn("page-2", built["subnet3"])], "NextMarker": "m2"},
                        {"MaxItems": 50, "Marker": "m1"})
        st.add_response("list_functions", {"Functions": [fn("page-3", built["subnet1"])]},
                        {"MaxItems": 50, "Marker": "m2"})

    stubbed = StubbingSession(session, {"lambda": lam})
    net = load_account(AwsOptions(targets=envs.TARGETS), session=stubbed)
    for st in stubbed.stubbers:
        st.assert_no_pending_responses()
    assert [f.function_name for f in net.functions] == ["page-1-a", "page-1-b", "page-2", "page-3"]
    assert net.vpc_of_subnet(net.function_by_name["page-2"].subnet_ids[0]).vpc_id == built["vpc"]
    verdicts = {t.source: t.verdict for t in matrix(net, [envs.S3_TARGET])}
    assert verdicts == {"page-1-a": "reachable", "page-1-b": "reachable", "page-2": "blocked", "page-3": "blocked"}


def test_network_error_is_retried(session):
    envs.build_seed(session)
    seen = {"n": 0}

    def drop_first(request, **_kw):
        seen["n"] += 1
        if seen["n"] == 1:
            raise EndpointConnectionError(endpoint_url=request.url)

    session.events.register("before-send.lambda.ListFunctions", drop_first)
    net = load_account(AwsOptions(targets=envs.TARGETS), session=session)
    assert seen["n"] == 2
    assert len(net.functions) == 4 and envs.failed(net) == []


def test_network_down_is_one_line(session, monkeypatch):
    monkeypatch.setattr(aws_loader, "RETRY_ATTEMPTS", 2)

    def down(request, **_kw):
        raise EndpointConnectionError(endpoint_url=request.url)

    session.events.register("before-send", down)
    with pytest.raises(LoadError) as e:
        load_account(AwsOptions(), session=session)
    assert str(e.value).startswith("cannot reach AWS (sts:GetCallerIdentity)")
    assert "\n" not in str(e.value)


def test_network_error_on_one_call_marks_it_unknown(session, monkeypatch):
    envs.build_seed(session)
    monkeypatch.setattr(aws_loader, "RETRY_ATTEMPTS", 2)

    def down(request, **_kw):
        raise EndpointConnectionError(endpoint_url=request.url)

    session.events.register("before-send.ec2.DescribeSecurityGroups", down)
    net = load_account(AwsOptions(targets=envs.TARGETS), session=session)
    assert envs.failed(net) == ["security_groups"]
    assert "cannot reach AWS (ec2:DescribeSecurityGroups)" in [u for u in net.unknowns if u.kind != "resource_policies"][0].reason
    t = {x.source: x for x in matrix(net, [envs.S3_TARGET])}
    assert t["lambda-4-endpoints"].verdict == "unknown"


# ---- credentials, profile, region: one clear line ------------------------------------------------


def test_missing_credentials(aws, monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    with pytest.raises(LoadError) as e:
        load_source(AwsSource(AwsOptions()))
    assert str(e.value).startswith("no AWS credentials found")
    assert "\n" not in str(e.value)


def test_expired_credentials(session):
    fail(session, "sts.GetCallerIdentity", 403,
         QUERY_ERROR.format(code="ExpiredToken", msg="The security token included in the request is expired"), times=99)
    with pytest.raises(LoadError) as e:
        load_account(AwsOptions(), session=session)
    assert "expired" in str(e.value) and "\n" not in str(e.value)


def test_credentials_expiring_during_the_load(session):
    envs.build_seed(session)
    fail(session, "ec2.DescribeRouteTables", 400,
         EC2_ERROR.format(code="RequestExpired", msg="Request has expired."), times=99)
    with pytest.raises(LoadError) as e:
        load_account(AwsOptions(), session=session)
    assert "expired" in str(e.value) and len(e.value.errors) == 1


def test_unknown_profile(aws):
    with pytest.raises(LoadError) as e:
        load_source(AwsSource(AwsOptions(profile="no-such-profile")))
    assert "profile" in str(e.value) and "no-such-profile" in str(e.value)


def test_missing_region(aws, monkeypatch):
    monkeypatch.delenv("AWS_REGION")
    with pytest.raises(LoadError) as e:
        load_source(AwsSource(AwsOptions()))
    assert str(e.value).startswith("no AWS region")


def test_region_override(aws, session):
    """--region wins over AWS_REGION: the network is read from (and labelled with) that region."""
    envs.build_seed(session)
    net = load_source(AwsSource(AwsOptions(region="eu-west-1")))
    assert net.source == "aws:123456789012/eu-west-1"
    assert net.functions == ()


# ---- the region from the environment, as the AWS CLI v2 and the SDKs read it ---------------------


def test_aws_region_alone_is_honoured(session, monkeypatch):
    """AWS_REGION without AWS_DEFAULT_REGION (botocore 1.44 reads only the latter)."""
    import os

    envs.build_seed(session)
    assert os.environ["AWS_REGION"] == "us-east-1" and "AWS_DEFAULT_REGION" not in os.environ
    net = load_source(AwsSource(AwsOptions(targets=envs.TARGETS)))
    assert net.region == "us-east-1" and len(net.functions) == 4


def test_aws_default_region_alone_and_precedence(session, monkeypatch):
    envs.build_seed(session)
    monkeypatch.delenv("AWS_REGION")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    assert load_source(AwsSource(AwsOptions())).region == "us-east-1"
    # both set: AWS_REGION wins, as in the AWS CLI v2
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    net = load_source(AwsSource(AwsOptions()))
    assert net.region == "eu-west-1" and net.functions == ()
