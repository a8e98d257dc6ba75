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

The same middleware is the one place requests are measured: it gives each request its id
(:mod:`cbec.logs`: the client's ``X-Request-ID`` when sane, else a new one, echoed in the
answer's ``X-Request-ID``), writes it in the line, and feeds the app's Prometheus metrics
(:mod:`cbec.api.metrics`) with the same route template, so the log and the metrics agree.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cbec.logs import REQUEST_ID, StderrHandler, request_id_from

if TYPE_CHECKING:
    from cbec.api.metrics import Metrics

log = logging.getLogger("cbec.access")
TENANT = "cbec_tenant"  # the key under request.state where the authenticated tenant is noted
RELEASE = "cbec_release"  # under request.state: what to release once the request has ended


def note_tenant(state: object, tenant_id: str) -> None:
    """Called by authentication (API key or console session) so the line names the tenant."""
    setattr(state, TENANT, tenant_id)


def release_when_ended(state: object, release: Callable[[], None]) -> None:
    """Have ``release`` called once the request has ended — answered, failed or cancelled
    (the throttle's concurrency slot, :meth:`cbec.api.throttle.TenantThrottle.hold`)."""
    setattr(state, RELEASE, release)


class AccessLog:
    """ASGI middleware: the request id, the metrics and, after the response is sent (or the
    request fails), the line. ``metrics`` is read from the app's state when it is built."""

    def __init__(self, app: ASGIApp, metrics: Metrics | None = None) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        rid = request_id_from(Headers(scope=scope).get("x-request-id"))
        token = REQUEST_ID.set(rid)
        sent = {"status": 500, "bytes": 0}

        async def counting(message: Message) -> None:
            if message["type"] == "http.response.start":
                sent["status"] = message["status"]
                MutableHeaders(scope=message)["X-Request-ID"] = rid
            elif message["type"] == "http.response.body":
                sent["bytes"] += len(message.get("body", b""))
            await send(message)

        metrics = self.metrics
        if metrics is not None:
            metrics.in_flight.inc()
        failed = False
        try:
            await self.app(scope, receive, counting)
        except BaseException:
            # the id stays set for the server's error handler (cbec.api.errors), which logs
            # the failure and answers the 500 outside this middleware; the request's task
            # ends with it, so it reaches no other request
            failed = True
            raise
        finally:
            release = (scope.get("state") or {}).get(RELEASE)
            if release is not None:
                release()
            if metrics is not None:
                metrics.in_flight.dec()
                metrics.answered(
                    template_of(scope),
                    scope.get("method", "-"),
                    sent["status"],
                    time.perf_counter() - started,
                )
            if log.isEnabledFor(logging.INFO):
                log.info(line(scope, sent["status"], sent["bytes"], started))
            if not failed:
                REQUEST_ID.reset(token)


def template_of(scope: Scope) -> str:
    """The route template the request matched; a mounted app (the static files) by its mount
    point; ``-`` for an address that matched nothing."""
    template = getattr(scope.get("route"), "path", None)
    if template is None:
        template = scope["root_path"] + "/*" if scope.get("root_path") else "-"
    return template


def line(scope: Scope, status: int, size: int, started: float) -> str:
    state = scope.get("state") or {}
    return json.dumps(
        {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "method": scope.get("method", "-"),
            "route": template_of(scope),
            "status": status,
            "ms": round((time.perf_counter() - started) * 1000, 1),
            "bytes": size,
            "tenant": state.get(TENANT, "-"),
            "request_id": REQUEST_ID.get(),
        },
        separators=(",", ":"),
    )


def to_stderr() -> None:
    """``cbec serve``'s access log: the lines on standard error, for the process manager."""
    if any(getattr(h, "cbec_access", False) for h in log.handlers):
        return
    handler = StderrHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.cbec_access = True  # type: ignore[attr-defined]
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


def off() -> None:
    """``cbec serve --no-access-log``: no access lines, even with application logging on."""
    log.setLevel(logging.WARNING)
    log.propagate = False
