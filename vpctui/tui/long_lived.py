"""Objects a worker builds that live as long as the app shows them: the network, the matrix.

They are millions of small objects. CPython's cyclic garbage collector, when an allocation burst
triggers it, walks every tracked object while holding the GIL; in a worker thread that froze the
event loop for half a second and more at a time (measured after the 5,000-function matrix: a
catch-up collection of each generation, 0.4-0.5 s each). So while such objects are built the
collector is paused, and when they are done they are frozen (moved out of the generations the
collector walks): later collections skip them. Reference counting still frees whatever is dropped;
only reference cycles among frozen objects would stay, and these structures are acyclic.

Several workers may build at once: the collector comes back (and the freeze happens) when the last
one is done. Only large builds are frozen (``Build.large``).
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import Iterator

_lock = threading.Lock()
_building = 0
_was_enabled = True
_freeze = False  # a builder said what it built is large


class Build:
    """What ``built_to_last`` yields: set ``large`` when what was built is large enough to be
    worth freezing (the caller knows: a network of many functions, a matrix). A small build is
    not frozen: what is frozen is never examined again, so a reference cycle frozen with it (a
    discarded widget) would stay for the life of the process."""

    large = False


@contextmanager
def built_to_last() -> Iterator[Build]:
    global _building, _was_enabled, _freeze
    with _lock:
        if _building == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _building += 1
    build = Build()
    try:
        yield build
    finally:
        with _lock:
            _building -= 1
            _freeze = _freeze or build.large
            if _building == 0:
                if _freeze:
                    gc.freeze()
                _freeze = False
                if _was_enabled:
                    gc.enable()


def freeze_built() -> None:
    """Freeze what is alive now (the event loop's side of a large loaded network: the panes' rows,
    labels and caches), unless a builder is still at work (it freezes when done). ``gc.freeze`` moves
    the lists, it does not walk them: free to call. Full collections on the event loop then walk
    only what is made afterwards (12-15 ms each on the 5,000-function network before)."""
    with _lock:
        if _building == 0:
            gc.freeze()
