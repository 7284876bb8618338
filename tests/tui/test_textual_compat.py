"""The private Textual names vpctui relies on (vpctui/tui/_textual_compat.py) still exist, and no
other module uses a private textual name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.widgets import Tree

from vpctui.tui._textual_compat import PRIVATE_NAMES

def _instance(cls):
    from rich.console import Console
    from textual._compositor import ChopsUpdate, LayoutUpdate
    from textual.app import App
    from textual.geometry import Region

    return {Tree: lambda: Tree("t"), App: App, Console: Console,
            LayoutUpdate: lambda: LayoutUpdate([], Region()), ChopsUpdate: lambda: ChopsUpdate([], [], [])}[cls]()


ROOT = Path(__file__).resolve().parents[2] / "vpctui"


@pytest.mark.parametrize("cls,name", PRIVATE_NAMES, ids=[f"{c.__name__}.{n}" for c, n in PRIVATE_NAMES])
def test_private_textual_names_still_exist(cls, name):
    where = _instance(cls) if not hasattr(cls, name) else cls  # an instance attribute
    assert hasattr(where, name), (
        f"textual no longer has {cls.__name__}.{name}: vpctui/tui/_textual_compat.py needs updating "
        "for this Textual version (or the mixin using it removed)")


def test_no_private_textual_import_outside_the_compat_module():
    private = re.compile(r"from textual(\.\w+)*\._\w+ import|import textual(\.\w+)*\._\w+")
    offenders = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*.py")
                 if p.name != "_textual_compat.py" and private.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
