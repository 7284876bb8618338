"""The step cache: trace steps' recorded outcomes, owned by whoever runs traces.

A trace step (H0, DNS, the network path, a security-group or NACL hop, authorization) records hops,
findings, notes and DNS causes, and returns a value. On the same (immutable) network the same inputs
always record the same things, so a ``StepCache`` keeps each step's record under a key holding every
input the step reads, and a later step with the same key replays the record instead of recomputing
it. Route lookups are cached the same way.

The cache belongs to the caller, never to the ``Network``: ``matrix()`` makes one per matrix, the TUI
or the CLI may keep one per loaded network and pass it to ``trace(..., cache=)``; a trace without a
cache gets a fresh one and reuses nothing. A cache must only be used with the network it was filled
from. It is bounded: past ``limit`` steps it starts afresh (a long TUI session).
"""

from __future__ import annotations


class StepCache:
    __slots__ = ("steps", "lookups", "limit")

    def __init__(self, limit: int = 500_000):
        self.steps: dict[tuple, tuple] = {}
        self.lookups: dict[tuple, object] = {}
        self.limit = limit

    def steps_for_trace(self) -> dict[tuple, tuple]:
        """The step records, emptied first when they have grown past the limit."""
        if len(self.steps) > self.limit:
            self.steps = {}
            self.lookups = {}
        return self.steps

    def __len__(self) -> int:
        return len(self.steps)
