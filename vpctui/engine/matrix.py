"""Every function x every target."""

from __future__ import annotations

from typing import Iterable, Optional

from ..model.network import Network
from .result import Trace
from .targets import TargetError, default_targets, parse_target
from .trace import TraceError, resolve_function, trace_target


def matrix(network: Network, targets: Optional[Iterable[str]] = None,
           functions: Optional[Iterable[str]] = None) -> list[Trace]:
    """One Trace per (function, target), functions in scenario order. Raises TraceError."""
    tlist = list(targets) if targets else default_targets(network)
    parsed = []
    for t in tlist:
        try:
            parsed.append(parse_target(network, t))
        except TargetError as e:
            raise TraceError(str(e)) from None
    fns = [resolve_function(network, f) for f in functions] if functions else list(network.functions)
    return [trace_target(network, fn, t) for fn in fns for t in parsed]
