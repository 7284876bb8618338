"""Loaders: the only code that touches files or the network.

``load_source(Source, progress)`` is the one entry point the CLI and the TUI use: a scenario file,
the built-in demo, or a live AWS account (read-only).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from ..model.network import Network

Progress = Callable[[str], None]


@dataclass(frozen=True)
class AwsOptions:
    profile: Optional[str] = None
    region: Optional[str] = None
    vpc_ids: tuple[str, ...] = ()
    redact: bool = False
    targets: tuple[str, ...] = ()  # targets asked about: their bucket region/policy is read


@dataclass(frozen=True)
class Source:
    """Where a network comes from: a scenario file (None: the built-in demo) or an AWS account."""

    path: Optional[str] = None
    aws: Optional[AwsOptions] = None

    @property
    def label(self) -> str:
        if self.aws is not None:
            return "aws"
        return self.path or "demo"


class LoadError(Exception):
    """A load that failed, with one line per problem (never a traceback)."""

    def __init__(self, errors: list[str]):
        super().__init__(errors[0] if errors else "load failed")
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(self.errors)


def load_source(source: Source, progress: Optional[Progress] = None) -> Network:
    """Load a network. Raises LoadError (ScenarioError is a LoadError too)."""
    if source.aws is not None:
        from .aws import load_account

        net = load_account(source.aws, progress=progress)
        if source.aws.redact:
            from .redact import redact_network

            net = redact_network(net)
        return net
    from .scenario import demo_path, load_scenario

    if progress:
        progress(f"reading {source.path or 'the built-in demo'}")
    return load_scenario(source.path or demo_path())
