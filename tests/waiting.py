"""Waiting for a condition, not for a time: poll until it holds, fail naming it after a limit
that only bounds a hang (the suite must pass on a loaded 2-core machine)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

WAIT_LIMIT = 180.0


def wait_for(
    what: str, probe: Callable[[], T], limit: float = WAIT_LIMIT, every: float = 0.05
) -> T:
    """Poll ``probe`` until it returns something truthy, and return that; fail naming
    ``what`` once ``limit`` seconds have passed."""
    deadline = time.monotonic() + limit
    while not (got := probe()):
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(every)
    return got
