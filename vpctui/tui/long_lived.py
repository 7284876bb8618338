"""Objects a worker builds that live as long as the app shows them: the network, the matrix.

They are millions of small objects. CPython's cyclic garbage collector, when an allocation burst
triggers it, walks every tracked object while holding the GIL; in a worker thread that froze the
event loop for half a second and more at a time (measured after the 5,000-function matrix: a
catch-up collection of each generation, 0.4-0.5 s each). So while such objects are built the
collector is paused, and when they are done they are frozen (moved out of the generations the
collector walks): later collections skip them. Reference counting still frees whatever is dropped;
only reference cycles among frozen objects would stay, and these structures are acyclic.

Several workers may build at once: the collector comes back (and the freeze happens) when the last
one is done. Only large builds are frozen (``FREEZE_ABOVE``).
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import Iterator

# Freeze only when the builders left this many new tracked objects (the collector's count of
# allocations, which grows while it is paused): a small network costs a collection nothing, and
# what is frozen is never examined again, so a reference cycle frozen by mistake (a discarded
# widget) would stay for the life of the process.
FREEZE_ABOVE = 200_000

_lock = threading.Lock()
_building = 0
_was_enabled = True


@contextmanager
def built_to_last() -> Iterator[None]:
    global _building, _was_enabled
    with _lock:
        if _building == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _building += 1
    try:
        yield
    finally:
        with _lock:
            _building -= 1
            if _building == 0:
                if gc.get_count()[0] >= FREEZE_ABOVE:
                    gc.freeze()
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
