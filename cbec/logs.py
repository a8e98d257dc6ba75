"""Structured logs: one JSON object per line, each naming the request it belongs to.

A request id ties together every line one request caused — the access log line
(:mod:`cbec.api.access_log`) and any application line logged while it ran — so an operator
can follow one failing call through a busy log, and a client that sent ``X-Request-ID`` (or
read it from the answer) can quote it in a support ticket. The id lives in a context
variable: Starlette runs synchronous routes in a thread pool with a copy of the context, so
lines logged there carry it too.

Nothing personal (PIPL Art. 4, GDPR Art. 4(1)): a line has the time (UTC, ISO 8601), the
level, the logger, the message, the request id and, for an error, the exception's type and
where it was raised — never the exception's message or a traceback's values, which can quote
the data that caused them. Messages themselves are cbec's own and name route templates,
never addresses with ids or query strings.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import sys
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Literal, TextIO

REQUEST_ID: ContextVar[str] = ContextVar("cbec_request_id", default="-")
_SANE = re.compile(r"[A-Za-z0-9._-]{1,64}")

LogFormat = Literal["json", "text"]


def request_id_from(sent: str | None) -> str:
    """The client's ``X-Request-ID`` when it is a short plain token (so it can be logged and
    echoed without escaping or log injection), else a new random one (128 bits, hex)."""
    if sent is not None and _SANE.fullmatch(sent):
        return sent
    return secrets.token_hex(16)


class RequestIdFilter(logging.Filter):
    """Stamps each record with the current request's id (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


class JsonFormatter(logging.Formatter):
    """A record as one JSON object: time, level, logger, message, request_id, and for an
    exception its type and innermost frame (file, line, function) — not its message."""

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", REQUEST_ID.get()),
        }
        if record.exc_info and record.exc_info[0] is not None:
            out["exc_type"] = record.exc_info[0].__qualname__
            frames = traceback.extract_tb(record.exc_info[2])
            if frames:
                last = frames[-1]
                out["exc_where"] = f"{last.filename}:{last.lineno} in {last.name}"
        return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


class StderrHandler(logging.StreamHandler):
    """A stream handler writing each record to whatever ``sys.stderr`` is at that moment, as
    the standard library's last-resort handler does, instead of the stream it was made with:
    a process that swaps ``sys.stderr`` (a test runner capturing output, an application
    embedding cbec) never leaves a handler writing to a closed stream."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property  # type: ignore[override]
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass  # always the current sys.stderr


def configure(fmt: LogFormat = "json", level: int = logging.INFO) -> None:
    """Send cbec's application logs (logger ``cbec``) to standard error, once per process:
    JSON lines, or plain text for a developer's terminal. The access log has its own handler
    (:func:`cbec.api.access_log.to_stderr`)."""
    root = logging.getLogger("cbec")
    if any(getattr(h, "cbec_app", False) for h in root.handlers):
        return
    handler = StderrHandler()
    handler.addFilter(RequestIdFilter())
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
        )
    handler.cbec_app = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
