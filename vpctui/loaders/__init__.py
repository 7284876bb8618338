"""Loaders: the only code that touches files or the network.

Every input kind is a ``Source`` (vpctui/loaders/source.py): ``label``, ``loads_fast``,
``load(progress)`` and ``title(network)``. The CLI builds one from its flags
(``ScenarioSource`` for a file or the built-in demo, ``AwsSource`` for a live account, read-only)
and the TUI loads whatever it is given. A new input kind is one module with a ``Source`` class plus
a CLI flag (docs/architecture.md, "How to add an input kind").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from ..model.network import Network
from .source import Progress, Source

__all__ = ["AwsOptions", "LoadError", "Progress", "Source", "load_source"]


@dataclass(frozen=True)
class AwsOptions:
    profile: Optional[str] = None
    region: Optional[str] = None
    vpc_ids: tuple[str, ...] = ()
    redact: bool = False
    targets: tuple[str, ...] = ()  # targets asked about: their resource policies are read
    deadline: Optional[float] = None  # seconds for the whole load; None: VPCTUI_AWS_DEADLINE or 60
    # several accounts/regions in one network: (profile, role ARN to assume, region) each, loaded
    # at once and merged (loaders/aws_multi.py); empty: the one account of profile/region
    accounts: tuple[tuple[Optional[str], Optional[str], Optional[str]], ...] = ()


class LoadError(Exception):
    """A load that failed, with one line per problem (never a traceback)."""

    def __init__(self, errors: list[str]):
        super().__init__(errors[0] if errors else "load failed")
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(self.errors)


class LoadCancelled(LoadError):
    """The load was cancelled (the TUI quit or reloaded while a live load ran)."""


def read_text_file(path: str) -> str:
    """A UTF-8 text file's content; a missing or unreadable file is one LoadError line."""
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except FileNotFoundError:
        raise LoadError([f"{path}: no such file"]) from None
    except (OSError, UnicodeDecodeError) as e:
        raise LoadError([f"{path}: cannot read: {getattr(e, 'strerror', None) or e}"]) from None


def load_source(source: Source, progress: Optional[Progress] = None, *,
                cancelled: Optional[Callable[[], bool]] = None) -> Network:
    """Load a network. Raises LoadError (ScenarioError is a LoadError too).

    ``cancelled`` is polled by a slow load (a live account) while calls are pending: True stops
    the load at once with LoadCancelled. A source whose load is bounded ignores it."""
    if cancelled is not None and getattr(source, "cancellable", False):
        return source.load(progress, cancelled=cancelled)
    return source.load(progress)
