"""The layers (house style §1): the model and the engine are plain Python.

Every module of ``vpctui.model`` and ``vpctui.engine`` is imported in a fresh interpreter, which must
then hold none of textual, rich, boto3, botocore or yaml, and none of vpctui's upper layers (loaders,
render, tui, cli). The model must not import the engine either.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import vpctui.engine
import vpctui.model

ROOT = Path(__file__).resolve().parents[2]
THIRD_PARTY = ("textual", "rich", "boto3", "botocore", "yaml")
UPPER = ("vpctui.loaders", "vpctui.render", "vpctui.tui", "vpctui.cli")


def modules(pkg) -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(pkg.__path__, pkg.__name__ + "."))


def imported_after(mods: list[str]) -> set[str]:
    """The names in sys.modules after importing ``mods`` in a fresh interpreter."""
    code = ("import importlib, json, sys\n"
            f"for m in {mods!r}: importlib.import_module(m)\n"
            "print(json.dumps(sorted(sys.modules)))")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert p.returncode == 0, p.stderr
    return set(json.loads(p.stdout))


def offending(loaded: set[str], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(m for m in loaded if any(m == f or m.startswith(f + ".") for f in forbidden))


def test_every_engine_and_model_module_is_found():
    found = modules(vpctui.engine) + modules(vpctui.model)
    assert {"vpctui.engine.trace", "vpctui.engine.gateways", "vpctui.model.network"} <= set(found)


@pytest.mark.parametrize("pkg", [vpctui.model, vpctui.engine], ids=["model", "engine"])
def test_model_and_engine_import_no_ui_aws_or_yaml(pkg):
    loaded = imported_after([pkg.__name__] + modules(pkg))
    assert offending(loaded, THIRD_PARTY) == []
    assert offending(loaded, UPPER) == []


def test_model_does_not_import_the_engine():
    loaded = imported_after(modules(vpctui.model))
    assert offending(loaded, ("vpctui.engine",)) == []


def test_the_check_can_fail():
    """The same check on a module that does import yaml finds it."""
    assert "yaml" in offending(imported_after(["vpctui.loaders.yamlsrc"]), THIRD_PARTY)
