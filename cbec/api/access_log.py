"""The server's access log: one JSON line per HTTP request, with nothing personal in it.

An access log is kept so an operator can see load, errors and slow routes and answer an
incident; under PIPL Art. 4 and GDPR Art. 4(1) an IP address, a login, a search term or an
order number in a query string can identify a person, and logs are copied, shipped and kept
far longer than the data they describe. So a line holds only: the time (UTC), the method, the
**route template** the request matched (``/orders/{doc_id}``, never the address as sent —
an unmatched address is logged as ``-``), the status, the duration, the bytes sent, and the
tenant id when the caller signed in (a tenant is a business, not a person). No query string,
no client address, no header, no body. ``tests/system/test_access_log.py`` sends personal
data every way a client can and checks none of it reaches the log.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from datetime import UTC, datetime

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("cbec.access")
TENANT = "cbec_tenant"  # the key under request.state where the authenticated tenant is noted


def note_tenant(state: object, tenant_id: str) -> None:
    """Called by authentication (API key or console session) so the line names the tenant."""
    setattr(state, TENANT, tenant_id)


class AccessLog:
    """ASGI middleware writing the line after the response is sent (or the request fails)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not log.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        sent = {"status": 500, "bytes": 0}

        async def counting(message: Message) -> None:
            if message["type"] == "http.response.start":
                sent["status"] = message["status"]
            elif message["type"] == "http.response.body":
                sent["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, counting)
        finally:
            log.info(line(scope, sent["status"], sent["bytes"], started))


def line(scope: Scope, status: int, size: int, started: float) -> str:
    template = getattr(scope.get("route"), "path", None)
    if template is None:  # a mounted app (the static files) is logged by its mount point
        template = scope["root_path"] + "/*" if scope.get("root_path") else "-"
    state = scope.get("state") or {}
    return json.dumps(
        {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "method": scope.get("method", "-"),
            "route": template,
            "status": status,
            "ms": round((time.perf_counter() - started) * 1000, 1),
            "bytes": size,
            "tenant": state.get(TENANT, "-"),
        },
        separators=(",", ":"),
    )


def to_stderr() -> None:
    """``cbec serve``'s access log: the lines on standard error, for the process manager."""
    if any(getattr(h, "cbec_access", False) for h in log.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.cbec_access = True  # type: ignore[attr-defined]
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
