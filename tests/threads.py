"""Running a test's requests at once, each in a thread of its own."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

JOIN_S = 120.0


def in_threads(target: Callable[[Any], object], args: Iterable[Any]) -> None:
    """``target(a)`` for each ``a`` of ``args``, all started before any is joined; fails if
    one has not ended within :data:`JOIN_S` (a wait for the threads' end, not a timing)."""
    threads = [threading.Thread(target=target, args=(a,)) for a in args]
    for t in threads:
        t.start()
    for t in threads:
        t.join(JOIN_S)
        assert not t.is_alive(), "a thread did not end"
