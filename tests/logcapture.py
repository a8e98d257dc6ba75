"""Lines logged while a test runs, read off the loggers themselves (a handler of the test's
own), as ``cbec serve`` would write them: the access log's JSON lines, the application's."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


class Lines(logging.Handler):
    """Every record at INFO and above, formatted (by default: its message) and passed through
    ``parse`` (``json.loads`` for the JSON lines), in the order logged."""

    def __init__(self, parse: Callable[[str], Any] = str) -> None:
        super().__init__(logging.INFO)
        self.parse = parse
        self.lines: list[Any] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.parse(self.format(record)))


@contextmanager
def log_lines(*names: str, handler: Lines | None = None) -> Iterator[list[Any]]:
    """The lines the loggers ``names`` log at INFO and above while the block runs (each
    logger set to INFO for it, then put back as it was)."""
    handler = handler or Lines()
    loggers = [logging.getLogger(name) for name in names]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.INFO)
    try:
        yield handler.lines
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.removeHandler(handler)
            lg.setLevel(level)
