"""Traces as JSON text, fast: byte for byte ``json.dumps(trace.to_dict(hops))``.

``vpctui matrix --json`` writes one result a line; on a large network that is 10,000s of traces,
and building each trace's dict (``to_dict``) and encoding it again cost as much as the matrix
itself. ``TraceJson`` writes the same text directly from the result objects, with json's own
string encoder, and encodes a hop or a finding once however many paths share it (the engine's
step cache hands the same objects to every path that takes the step). The equality with
``json.dumps(to_dict())`` is tested on every scenario and on generated networks
(tests/unit/test_jsonlines.py).
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring_ascii as _enc_str
from typing import Any

from ..engine.result import Finding, Hop, PathResult, Trace


def _enc(v: Any) -> str:
    """One JSON value as json.dumps writes it (default separators, ensure_ascii)."""
    if type(v) is str:
        return _enc_str(v)
    return json.dumps(v)


# the hops and findings whose text is kept: a stream's memory stays bounded (the paths of one
# ENI key share them, and those come together)
KEEP = 50_000


class TraceJson:
    """Encodes traces; keeps the text of the hops and findings it met last (by identity, the
    objects held so that an id is never reused while kept): one per stream."""

    def __init__(self, hops: bool = False) -> None:
        self.hops = hops
        self._seen: dict[int, tuple[object, str]] = {}

    def _finding(self, f: Finding) -> str:
        got = self._seen.get(id(f))
        if got is not None and got[0] is f:
            return got[1]
        if len(self._seen) >= KEEP:
            self._seen.clear()
        s = ('{"hop": ' + _enc(f.hop) + ', "reason": ' + _enc(f.reason) + ', "component_id": '
             + _enc(f.component_id) + ', "explanation": ' + _enc(f.explanation) + ', "fix": ' + _enc(f.fix) + "}")
        self._seen[id(f)] = (f, s)
        return s

    def _hop(self, h: Hop) -> str:
        got = self._seen.get(id(h))
        if got is not None and got[0] is h:
            return got[1]
        if len(self._seen) >= KEEP:
            self._seen.clear()
        s = ('{"hop": ' + _enc(h.hop) + ', "component_id": ' + _enc(h.component_id) + ', "component_type": '
             + _enc(h.component_type) + ', "result": ' + _enc(h.result) + ', "detail": ' + _enc(h.detail) + "}")
        self._seen[id(h)] = (h, s)
        return s

    def _path(self, p: PathResult) -> str:
        f = self._finding
        s = ('{"subnet_id": ' + _enc(p.subnet_id) + ', "verdict": ' + _enc(p.verdict) + ', "symptom": '
             + _enc(p.symptom) + ', "message": ' + _enc(p.message) + ', "drop": '
             + (f(p.drop) if p.drop is not None else "null")
             + ', "blockers": [' + ", ".join([f(b) for b in p.blockers]) + "]")
        if self.hops:
            s += ', "hops": [' + ", ".join([self._hop(h) for h in p.hops]) + "]"
        return s + ', "notes": [' + ", ".join([_enc(n) for n in p.notes]) + "]}"

    def trace(self, t: Trace) -> str:
        """``json.dumps(t.to_dict(self.hops))``, the same text."""
        s = ('{"source": ' + _enc(t.source) + ', "target": ' + _enc(t.target) + ', "verdict": ' + _enc(t.verdict)
             + ', "symptom": ' + _enc(t.symptom) + ', "paths": [' + ", ".join([self._path(p) for p in t.paths]) + "]")
        if t.error:
            s += ', "error": ' + _enc(t.error)
        return s + "}"
