"""`vpctui serve`: the TUI in a browser, through textual-serve.

Each browser visit runs `vpctui [the TUI's flags]` in a subprocess that textual-serve drives over a
websocket, so the page shows exactly the TUI. The server binds to loopback unless told otherwise: a
served session can read whatever this process can read (with --aws, the account).
"""

from __future__ import annotations

import ipaddress
import re
import shlex
import sys
import tempfile
from pathlib import Path
from typing import Sequence

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
# textual-serve's page asks Google Fonts for a font; vpctui's page uses local monospace fonts only,
# so opening it contacts nothing but this server.
_REMOTE_FONT_LINK = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>\s*")


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def app_command(tui_args: Sequence[str]) -> str:
    """The shell command each visit runs: this Python, this vpctui, the TUI's own flags."""
    return shlex.join([sys.executable, "-m", "vpctui", *tui_args])


def _local_templates(dest: Path) -> Path:
    """textual-serve's page template without the remote font stylesheet."""
    import textual_serve

    src = Path(textual_serve.__file__).parent / "templates"
    dest.mkdir(parents=True, exist_ok=True)
    for tpl in src.glob("*.html"):
        text = _REMOTE_FONT_LINK.sub("", tpl.read_text(encoding="utf-8"))
        (dest / tpl.name).write_text(text, encoding="utf-8")
    return dest


def serve(tui_args: Sequence[str], host: str, port: int, title: str = "vpctui") -> int:
    """Serve the TUI until Ctrl-C. Returns the exit code."""
    from textual_serve.server import Server

    import textual_serve

    statics = Path(textual_serve.__file__).parent / "static"
    with tempfile.TemporaryDirectory(prefix="vpctui-serve-") as tmp:
        templates = _local_templates(Path(tmp) / "templates")
        url_host = f"[{host}]" if ":" in host and not host.startswith("[") else host
        server = Server(app_command(tui_args), host=host, port=port, title=title,
                        public_url=f"http://{url_host}:{port}", statics_path=statics, templates_path=templates)
        print(f"vpctui: serving the TUI at http://{url_host}:{port}/ (Ctrl-C to stop)", file=sys.stderr, flush=True)
        server.serve()
    return 0
