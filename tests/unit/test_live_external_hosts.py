"""On a live account, the internet names the user asks about (--to https://NAME) are declared
external hosts (an account does not say which names exist); AWS names and addresses are not."""

from vpctui.loaders.aws import _external_hosts


def test_internet_names_asked_about_are_declared():
    got = _external_hosts(("https://api.stripe.com/v1", "http://Example.org:8080", "https://api.stripe.com",
                           "https://ssm.us-east-1.amazonaws.com", "https://10.0.0.5", "s3://bucket/key", "ssm:/x"))
    assert [e.name for e in got] == ["api.stripe.com", "example.org"]
