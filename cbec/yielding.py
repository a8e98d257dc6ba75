"""CPU-bound loops that let other threads run: the GIL's convoy effect, avoided.

CPython hands the GIL to a waiting thread only when the holder blocks or has run for the
switch interval (5 ms). A thread that makes many short blocking calls — a request's SQLite
transaction holding the write lock, the ledger integrator, the event loop — waits up to that
long to get the GIL back after *each* call while another thread validates a bulk import, so
a 10 ms write can take seconds, and every writer queued behind its lock with it (the
"convoy effect", https://bugs.python.org/issue7946). Measured: during a 100 MB import's
validation another tenant's single order waited 7.3 s (``bench/abuse.py``).

``time.sleep(0)`` releases the GIL at once; called every millisecond of such a loop, a
waiting thread gets the GIL within a millisecond instead of 5. (Called after every item it
costs the loop a thread switch per item: the 100 MB import took 60 s instead of 8.)
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


SLICE_S = 0.001
"""How long a loop runs before it lets a waiting thread in: a fifth of CPython's switch
interval, so a thread holding a lock waits at most this long per blocking call, while the
loop itself — which then waits for the GIL in turn — is slowed only when others have work."""


def yielding(items: Iterable[T], slice_s: float = SLICE_S) -> Iterator[T]:
    """``items``, releasing the GIL whenever ``slice_s`` seconds of them have run."""
    clock = time.perf_counter
    due = clock() + slice_s
    for item in items:
        # before the next item, not after the last: a one-item loop (a single order) never
        # gives up the CPU — on a loaded machine sleep(0) may not return for milliseconds
        if clock() >= due:
            time.sleep(0)
            due = clock() + slice_s
        yield item
