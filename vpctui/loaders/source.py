"""The one protocol every input kind implements.

A ``Source`` says where a network comes from. The CLI turns its flags into one; the TUI and the
headless commands only call these four members, so a new input kind (Terraform, CloudFormation, ...)
is one module with a class like ``ScenarioSource`` plus a CLI flag.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Optional, Protocol, runtime_checkable

if TYPE_CHECKING:
    from ..model.network import Network

Progress = Callable[[str], None]


@runtime_checkable
class Source(Protocol):
    @property
    def label(self) -> str:
        """A short name for messages: the file path, "demo", "aws"."""
        ...

    @property
    def loads_fast(self) -> bool:
        """True when a load is quick enough to run before the first frame (a small local file).
        False sends the TUI to a thread worker with the loading panel, and makes the CLI print
        ``progress`` lines on stderr."""
        ...

    def load(self, progress: Optional[Progress] = None) -> "Network":
        """Read the network. Raises LoadError (one line per problem), never anything else on bad
        input. ``progress`` receives short lines while a slow load runs."""
        ...

    def title(self, network: "Network") -> str:
        """The TUI header once loaded: where the network comes from."""
        ...
