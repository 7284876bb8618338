"""The trace engine: pure functions over the network model (no textual, rich, boto3, yaml)."""

from .cache import StepCache
from .edits import Edit, EditError, Fix, apply
from .fixes import first_fix, fixes, trace_fixes
from .matrix import matrix
from .result import Finding, Hop, PathResult, Trace
from .targets import Target, TargetError, default_targets, parse_target, suggest_targets
from .trace import TraceError, resolve_function, trace, trace_target

__all__ = ["Edit", "EditError", "Fix", "apply", "first_fix", "fixes", "trace_fixes", "Finding", "Hop", "PathResult",
           "StepCache", "Target", "TargetError", "Trace", "TraceError",
           "default_targets", "matrix", "parse_target", "resolve_function", "suggest_targets",
           "trace", "trace_target"]
