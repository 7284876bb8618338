"""Messages shared by several widgets. Facts are past tense, requests end in Requested.

A message that only one widget emits is nested in that widget (``FilterBar.Changed`` ...).
"""

from __future__ import annotations

from typing import Optional

from textual.message import Message

from ..engine.result import Trace
from ..model.network import Network


class LoadProgress(Message):
    """The loader reported a step (the live loader reports many)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class ScenarioLoaded(Message):
    def __init__(self, network: Network) -> None:
        super().__init__()
        self.network = network


class PartialLoaded(Message):
    """A live load's first part: the panes' parts are read, the rest (policies, DNS attributes,
    resource policies, ...) is still loading and is unknown in this network."""

    def __init__(self, network: Network) -> None:
        super().__init__()
        self.network = network


class ScenarioFailed(Message):
    def __init__(self, errors: list[str]) -> None:
        super().__init__()
        self.errors = errors


class ResourceSelected(Message):
    """The cursor of a pane moved onto a resource (a component id or a function name)."""

    def __init__(self, resource_id: str, kind: str) -> None:
        super().__init__()
        self.resource_id = resource_id
        self.kind = kind  # vpc | subnet | route | endpoint | function | ...


class TraceRequested(Message):
    def __init__(self, function_name: str, target: str) -> None:
        super().__init__()
        self.function_name = function_name
        self.target = target


class TraceComputed(Message):
    """A trace run in a worker (a large network) is done: ``trace`` or ``error``."""

    def __init__(self, network: Network, trace: Optional[Trace], error: str = "", hop: int = 0,
                 compare: Optional[tuple[Trace, str]] = None) -> None:
        super().__init__()
        self.network = network
        self.trace = trace
        self.error = error
        self.hop = hop
        self.compare = compare  # the trace before a what-if change, and the change


class MatrixComputed(Message):
    """The matrix, computed in a worker, is done: ``traces`` or ``error``."""

    def __init__(self, network: Network, traces: list[Trace], error: str = "") -> None:
        super().__init__()
        self.network = network
        self.traces = traces
        self.error = error
        self.layout = None  # the table's MatrixLayout, when the worker has made it
