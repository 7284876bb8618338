"""`vpctui serve`: what it refuses before it serves, and the page it serves (no remote fonts)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from vpctui.cli import main
from vpctui.serve import _local_templates, app_command, is_loopback


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.9.9.9", "[::1]"])
def test_loopback_hosts(host):
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "10.0.0.1", "::", "example.com", "192.168.1.2"])
def test_other_hosts_are_not_loopback(host):
    assert not is_loopback(host)


def test_a_non_loopback_host_needs_allow_remote(capsys):
    assert main(["serve", "--host", "0.0.0.0", "--port", "1"]) == 2
    err = capsys.readouterr().err
    assert "--allow-remote" in err and len(err.strip().splitlines()) == 1


def test_tui_flags_are_checked_before_serving(capsys):
    assert main(["serve", "no-such-file.yaml"]) == 2
    assert "no-such-file.yaml: no such file" in capsys.readouterr().err
    assert main(["serve", "--no-such-flag"]) == 2
    assert main(["serve", "--port", "0"]) == 2


def test_the_served_command_passes_the_tui_flags_through():
    cmd = app_command(["--demo", "--theme", "vpctui-contrast", "scenarios/lambda-vpc.yaml"])
    assert cmd.endswith("-m vpctui --demo --theme vpctui-contrast scenarios/lambda-vpc.yaml")


def test_the_page_asks_no_remote_host_for_fonts():
    d = _local_templates(Path(tempfile.mkdtemp()) / "t")
    page = (d / "app_index.html").read_text()
    assert "googleapis" not in page and "textual.js" in page
