"""The cyclic garbage collector around bulk work: paused while a batch is transformed, and
the objects of a started process set aside from its full passes.

A bulk transform — a carrier's feed of thousands of tracking events read into EPCIS events,
hashed and logged — makes hundreds of thousands of short-lived objects (dicts, lists,
validated models) that hold no reference cycles, so reference counting frees each one as
soon as it is dropped. CPython's cyclic collector still counts them as allocations and runs
its generational passes, and a full pass walks every object the process holds (its
modules, the ORM's and the validators' structures): measured in ``bench/tracking.py``, those
passes cost more than a quarter of recording an event. :func:`paused` turns the collector
off for the span of such a batch — cycles made meanwhile wait for the next pass — and
:func:`settle` moves what a process built while starting into the permanent generation
(:func:`gc.freeze`), so later full passes no longer walk it.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0  # batches in progress in this process (the collector is one per process)
_was_enabled = True


@contextmanager
def paused() -> Iterator[None]:
    """The collector off while the block runs; back as it was when the last concurrent
    batch ends (threads of a server may be in several at once)."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()


_settled = False


def settle() -> None:
    """Once a process has started (imports done, app built): collect, then keep what is left
    out of later passes. Once per process: a process that builds several apps (a test run)
    would otherwise freeze each one's leftovers for good."""
    global _settled
    with _lock:
        if _settled:
            return
        _settled = True
    gc.collect()
    gc.freeze()
