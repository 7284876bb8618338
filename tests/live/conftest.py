"""Live tests: a real AWS-compatible HTTP API (moto's standalone server) on 127.0.0.1.

One server per test session on a free port; every test starts from a clean state
(``POST /moto-api/reset``) with fake credentials and ``AWS_ENDPOINT_URL`` pointing at it, so the
loader finds the server through boto3's own configuration chain, as a user's shell would.
"""

from __future__ import annotations

import socket
import urllib.request

import pytest

pytest.importorskip("moto.server")

REGION = "us-east-1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def moto_url():
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def aws(moto_url, monkeypatch, tmp_path):
    """A clean moto account reachable through the environment; returns the endpoint URL."""
    req = urllib.request.Request(f"{moto_url}/moto-api/reset", method="POST")
    urllib.request.urlopen(req, timeout=30).read()
    for var in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
                "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"):
        monkeypatch.delenv(var, raising=False)
    # no user config or credentials files: only what the test sets
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    # AWS_REGION only, as the AWS CLI v2 and the SDKs document it (botocore itself reads only
    # AWS_DEFAULT_REGION: setting both here once hid that vpctui ignored AWS_REGION)
    monkeypatch.setenv("AWS_REGION", REGION)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_url)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    return moto_url


@pytest.fixture
def session(aws):
    import boto3

    return boto3.session.Session(region_name=REGION)  # the test's own calls building the account
