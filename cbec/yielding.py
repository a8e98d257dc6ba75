"""CPU-bound loops that let other threads run: the GIL's convoy effect, avoided.

CPython hands the GIL to a waiting thread only when the holder blocks or has run for the
switch interval (5 ms by default). A thread that makes many short blocking calls — a
request's SQLite transaction holding the write lock, the ledger integrator, the event loop —
waits up to that long to get the GIL back after *each* call while another thread validates a
bulk import, so a 10 ms write can take seconds, and every writer queued behind its lock with
it (the "convoy effect", https://bugs.python.org/issue7946). Measured: during a 100 MB
import's validation another tenant's single order waited 7.3 s (``bench/abuse.py``).

The remedy is a shorter switch interval (:func:`short_switches`, set by every process that
opens the database): a thread waiting for the GIL asks for it after :data:`SLICE_S` and gets
it at the holder's next bytecode boundary, so a thread holding a lock waits at most that long
per blocking call. The interval costs nothing when no thread waits — only a waiting thread's
request makes the holder switch. (An earlier remedy, ``time.sleep(0)`` every millisecond of
such a loop, gave the CPU away to other processes too: on a loaded machine each call could
take milliseconds to return, a fifth of a bulk import's time.)
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


SLICE_S = 0.001
"""The switch interval: a fifth of CPython's default, so a thread that blocks briefly and
often (a writer holding the lock) is not held for 5 ms after each call by a loop that does
not block."""


def short_switches(interval_s: float = SLICE_S) -> None:
    """Make the interpreter hand the GIL to a waiting thread within ``interval_s`` (never
    lengthens a shorter interval set by the embedding program)."""
    if sys.getswitchinterval() > interval_s:
        sys.setswitchinterval(interval_s)


def yielding(items: Iterable[T]) -> Iterator[T]:
    """``items``, in a loop that other threads may interrupt within :data:`SLICE_S` (marks a
    CPU-bound loop as one; the interval itself does the work). The iterator of ``items``
    itself, not a generator around it: a loop that stops early (a chunk of rows) leaves the
    rest of ``items`` to the next loop instead of closing it."""
    short_switches()
    return iter(items)
