"""The first round of calls starts together with the credentials check (sts:GetCallerIdentity),
one round trip earlier, and a credentials problem still ends the load with exactly one line.

The calls started in parallel with the check fail too when the credentials are bad, each with its
own service's error code (EC2 says AuthFailure where STS says ExpiredToken): their errors are
folded into the one credentials line, and no progress line of theirs is shown. The line is the
check's own when it fails; when only another call says the credentials are bad, that call's line.

Order is made certain with botocore ``before-send`` hooks on the session (a hold on one call until
another has been sent or has failed), never with timing."""

from __future__ import annotations

import threading

import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import EndpointConnectionError

from vpctui.loaders import AwsOptions, LoadCancelled, LoadError
from vpctui.loaders import aws as aws_loader
from vpctui.loaders.aws import load_account

from . import envs

pytestmark = pytest.mark.live

HOLD = 10  # seconds a held call waits at most (a loader that never sends the awaited call)

EC2_AUTH = ('<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>AuthFailure</Code>'
            '<Message>AWS was not able to validate the provided access credentials</Message></Error></Errors>'
            '<RequestID>first-1</RequestID></Response>')
STS_EXPIRED = ('<ErrorResponse><Error><Type>Sender</Type><Code>ExpiredToken</Code>'
               '<Message>The security token included in the request is expired</Message></Error>'
               '<RequestId>first-2</RequestId></ErrorResponse>')


class _Raw:
    def __init__(self, body: bytes):
        self.body = body

    def stream(self, **_kw):
        yield self.body


def _error(request, status: int, body: str, headers: dict) -> AWSResponse:
    return AWSResponse(request.url, status, headers, _Raw(body.encode()))


def _reject_all_but_sts(session) -> threading.Event:
    """Every EC2, Lambda and Network Firewall call answered "credentials rejected" in its own
    protocol; returns an event set once such an answer has been given."""
    rejected = threading.Event()

    def handler(request, event_name, **_kw):
        svc = event_name.split(".")[1]
        if svc == "sts":
            return None
        rejected_resp = (_error(request, 401, EC2_AUTH, {"Content-Type": "text/xml"}) if svc == "ec2" else
                         _error(request, 403, '{"__type": "UnrecognizedClientException", '
                                '"message": "The security token included in the request is invalid."}',
                                {"Content-Type": "application/x-amz-json-1.1",
                                 "x-amzn-ErrorType": "UnrecognizedClientException"}))
        rejected.set()
        return rejected_resp

    session.events.register("before-send", handler)
    return rejected


def test_the_first_round_starts_with_the_credentials_check(session):
    """The panes' calls go out while sts:GetCallerIdentity is still out (held here until
    DescribeSubnets has been sent); the resources that need the account id come after it."""
    envs.build_seed(session)
    envs.build_targets(session)
    subnets_sent = threading.Event()
    seen_while_held: list[bool] = []

    def hold_ident(**_kw):
        subnets_sent.wait(HOLD)
        seen_while_held.append(subnets_sent.is_set())

    session.events.register("before-send.sts.GetCallerIdentity", hold_ident)
    session.events.register("before-send.ec2.DescribeSubnets", lambda **_kw: subnets_sent.set())
    net = load_account(AwsOptions(region="us-east-1", targets=envs.EXTRA_TARGETS), session=session)
    assert seen_while_held == [True], "DescribeSubnets was not sent before the credentials check answered"
    assert net.account_id == "123456789012" and net.subnets and len(net.functions) == 4
    table = next(r for r in net.resources if r.service == "dynamodb")
    assert table.arn == f"arn:aws:dynamodb:us-east-1:123456789012:table/{envs.TABLE}"  # needs the account id
    assert envs.failed(net) == []


def test_expired_credentials_with_the_first_round_out_give_the_check_s_one_line(session):
    """STS says ExpiredToken after EC2 and Lambda have already said AuthFailure and
    UnrecognizedClientException: one line, the check's."""
    rejected = _reject_all_but_sts(session)

    def expired(request, **_kw):
        rejected.wait(HOLD)
        return _error(request, 403, STS_EXPIRED, {"Content-Type": "text/xml"})

    session.events.register("before-send.sts.GetCallerIdentity", expired)
    msgs: list[str] = []
    with pytest.raises(LoadError) as e:
        load_account(AwsOptions(region="us-east-1"), progress=msgs.append, session=session)
    assert rejected.is_set(), "no call went out with the credentials check"
    assert e.value.errors == ["the AWS credentials have expired (ExpiredToken): refresh them, e.g. `aws sso login`"]
    assert not [m for m in msgs if "AuthFailure" in m or "could not read" in m or "calls done" in m], msgs


def test_credentials_rejected_by_a_first_round_call_only_is_one_line(session):
    """The check answers, but EC2 rejected the credentials before it did: that one line."""
    envs.build_seed(session)
    rejected = _reject_all_but_sts(session)
    session.events.register("before-send.sts.GetCallerIdentity", lambda **_kw: (rejected.wait(HOLD), None)[1])
    msgs: list[str] = []
    with pytest.raises(LoadError) as e:
        load_account(AwsOptions(region="us-east-1"), progress=msgs.append, session=session)
    assert len(e.value.errors) == 1
    assert e.value.errors[0].startswith("the AWS credentials were rejected (")
    assert not [m for m in msgs if "could not read" in m], msgs


def test_network_down_gives_the_check_s_line_and_no_progress_of_the_other_calls(session, monkeypatch):
    monkeypatch.setattr(aws_loader, "RETRY_ATTEMPTS", 2)
    sent: list[str] = []

    def down(request, event_name, **_kw):
        sent.append(event_name)
        raise EndpointConnectionError(endpoint_url=request.url)

    session.events.register("before-send", down)
    msgs: list[str] = []
    with pytest.raises(LoadError) as e:
        load_account(AwsOptions(region="us-east-1"), progress=msgs.append, session=session)
    assert len(e.value.errors) == 1 and e.value.errors[0].startswith("cannot reach AWS (sts:GetCallerIdentity)")
    assert not [m for m in msgs if "could not read" in m], msgs


def test_missing_credentials_with_the_first_round_is_one_line(session, monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    import boto3

    msgs: list[str] = []
    with pytest.raises(LoadError) as e:
        load_account(AwsOptions(region="us-east-1"), progress=msgs.append, session=boto3.session.Session())
    assert e.value.errors == ["no AWS credentials found: set AWS_PROFILE (or use --profile), run `aws sso login`, "
                              "or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"]
    assert not [m for m in msgs if "could not read" in m], msgs


def test_deadline_while_the_check_is_held_is_its_one_line(session):
    """The first round answers, the check does not: at the deadline, one line naming it."""
    envs.build_seed(session)
    release = threading.Event()
    session.events.register("before-send.sts.GetCallerIdentity", lambda **_kw: (release.wait(30), None)[1])
    msgs: list[str] = []
    try:
        with pytest.raises(LoadError) as e:
            load_account(AwsOptions(region="us-east-1", deadline=3), progress=msgs.append, session=session)
    finally:
        release.set()
    assert e.value.errors == ["sts:GetCallerIdentity: no answer within the load deadline of 3 s "
                              "(raise it with --deadline or VPCTUI_AWS_DEADLINE)"]
    assert not [m for m in msgs if "calls done" in m], msgs  # nothing of a load that did not start


def test_cancel_while_the_check_is_held(session):
    envs.build_seed(session)
    release, subnets = threading.Event(), threading.Event()
    session.events.register("before-send.sts.GetCallerIdentity", lambda **_kw: (release.wait(30), None)[1])
    session.events.register("after-call.ec2.DescribeSubnets", lambda **_kw: subnets.set())
    try:
        with pytest.raises(LoadCancelled):
            load_account(AwsOptions(region="us-east-1"), session=session, cancelled=subnets.is_set)
    finally:
        release.set()
