"""Progressive loading: ``load_account(on_partial=...)`` hands over a partial network once the
panes' parts are read, and that network says `unknown` ("still loading") wherever it needs a part
not read yet, never a verdict the full load contradicts.

To make "not read yet" certain rather than a race, a botocore ``before-call`` hook on the session
holds every IAM, S3, SSM and DescribeVpcAttribute call until the partial network has been handed
over (the calls then go on to moto's server as usual)."""

from __future__ import annotations

import dataclasses
import json
import threading

import pytest

from vpctui.engine import matrix
from vpctui.loaders import AwsOptions
from vpctui.loaders.aws import AwsSource, load_account

from . import envs

pytestmark = pytest.mark.live

HELD_SERVICES = {"iam", "s3", "ssm"}


def _hold_until(session, released: threading.Event) -> list[str]:
    held: list[str] = []

    def before_call(model, **_kw):
        svc = model.service_model.service_name
        if svc in HELD_SERVICES or model.name == "DescribeVpcAttribute":
            if not released.is_set():
                held.append(f"{svc}:{model.name}")
            released.wait(30)
        return None

    session.events.register("before-call", before_call)
    return held


def test_on_partial_gives_the_panes_first_and_unknown_where_a_part_is_still_loading(session):
    envs.build_seed(session)
    released = threading.Event()
    held = _hold_until(session, released)
    partials = []
    caller = threading.current_thread()
    threads = []

    def on_partial(net):
        partials.append(net)
        threads.append(threading.current_thread())
        released.set()

    full = load_account(AwsOptions(region="us-east-1", targets=envs.TARGETS), session=session, on_partial=on_partial)
    assert len(partials) == 1, "on_partial is called once"
    assert threads == [caller], "in the thread that called load_account"
    assert held, "the held calls had not answered when the partial network was made"
    part = partials[0]

    # the panes' parts are all there
    for attr in ("vpcs", "subnets", "route_tables", "security_groups", "network_acls", "vpc_endpoints", "functions"):
        ids = [lambda xs: {getattr(x, dataclasses.fields(x)[0].name) for x in xs}][0]
        assert ids(getattr(part, attr)) == ids(getattr(full, attr)), attr
    # the same values, but for what the VPCs' DNS attributes (still loading) set
    for attr in ("subnets", "route_tables", "security_groups", "network_acls", "vpc_endpoints", "functions"):
        assert getattr(part, attr) == getattr(full, attr), attr
    assert part.subnets

    # what is still loading is named, with the call, as unknown; none of it is left in the full network
    loading = {u.kind: u for u in part.unknowns if "still loading" in u.reason}
    role_arns = {f.role for f in full.functions}
    assert role_arns <= set(loading), loading.keys()
    assert any(k.endswith(":enableDnsSupport") for k in loading)
    assert [u for u in loading.values() if not u.action] == []
    assert not [u for u in full.unknowns if "still loading" in u.reason]
    assert envs.failed(full) == []

    # a trace that needs a part still loading is unknown, saying so; no verdict differs otherwise
    got = {(t.source, t.target): t for t in matrix(part, list(envs.TARGETS))}
    want = {(t.source, t.target): t for t in matrix(full, list(envs.TARGETS))}
    assert got.keys() == want.keys()
    for key, t in got.items():
        assert t.verdict in (want[key].verdict, "unknown"), (key, t.verdict, want[key].verdict)
    reachable = [k for k, t in want.items() if t.verdict == "reachable"]
    assert reachable, "the seed has a function that reaches a target"
    for key in reachable:
        assert got[key].verdict == "unknown"
        assert "still loading" in json.dumps(got[key].to_dict()), key


def test_partial_network_is_redacted_as_the_full_one(session):
    """With --redact the partial network masks the account id as the full network does."""
    envs.build_seed(session)
    released = threading.Event()
    _hold_until(session, released)
    partials = []

    def on_partial(net):
        partials.append(net)
        released.set()

    full = load_account(AwsOptions(region="us-east-1", redact=True), session=session, on_partial=on_partial)
    assert len(partials) == 1
    assert full.account_id != "123456789012"
    assert partials[0].account_id == full.account_id
    assert "123456789012" not in repr(partials[0])


def test_aws_source_passes_on_partial_through(session, monkeypatch):
    """What the TUI calls: AwsSource.load(..., on_partial=...) reaches the loader."""
    envs.build_seed(session)
    released = threading.Event()
    _hold_until(session, released)
    partials = []

    def on_partial(net):
        partials.append(net)
        released.set()

    import vpctui.loaders.aws as aws_mod

    monkeypatch.setattr(aws_mod, "make_session", lambda _o: session)  # the session holding the calls
    full = AwsSource(AwsOptions(region="us-east-1")).load(None, on_partial=on_partial)
    assert len(partials) == 1 and partials[0].subnets and full.subnets
