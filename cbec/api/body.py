"""Request bodies: size limits (413 before the body is read), a read timeout (408), and JSON
with ``Decimal`` numbers.

FastAPI reads a model body with ``json.loads`` — ``0.1`` reaches a money field as a binary
float (Pydantic's own ``model_validate_json`` goes through ``float`` for ``Decimal`` too) — and
inside a ``try`` that turns *every* failure into one bare "error parsing the body": a body over
the size limit, nesting past the parser's recursion limit, an integer literal too long to
convert. :class:`JsonBodyRoute` reads and parses the body first with :func:`cbec.jsonio.loads`
— numbers as ``Decimal`` (RFC 8259 §6 leaves their precision to the reader), each malformed
input a :class:`~cbec.errors.BadRequest` naming its rule, the size limit a
:class:`~cbec.errors.PayloadTooLarge` — and hands the parsed value to FastAPI, which validates
it against the route's model (422 naming each field) and shows the model in OpenAPI. Every
router is built with ``APIRouter(route_class=JsonBodyRoute)``; routes without a JSON body are
unaffected.
"""

from __future__ import annotations

import email.message
from collections.abc import Callable, Coroutine
from typing import Any

import anyio
from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cbec.errors import PayloadTooLarge, RequestTimeout
from cbec.jsonio import loads


def parse_json(data: bytes) -> Any:
    return loads(data)


# Routes that take files (bulk imports, marketplace order exports, screening lists such as
# OFAC's sdn.xml, tens of MB)
# get the import limit; every other body the default one.
UPLOAD_PATHS = frozenset(
    {
        "/screening/lists",
        "/logistics/tracking/events",
        "/logistics/tracking/files",
        "/imports/marketplace",
    }
)


def _is_upload(path: str) -> bool:
    return path.endswith("/import") or path in UPLOAD_PATHS


class BodyLimit:
    """ASGI middleware: refuse bodies over the limit (413) before reading them into memory,
    and bodies that stall (408).

    A server's keep-alive timeout covers the wait *between* requests, not a client that sends
    headers and half a body and then nothing: it would hold a worker and its memory for as
    long as it likes. Each wait for the next piece of a body is bounded by ``read_timeout``
    seconds (0: unbounded); past it the route sees :class:`~cbec.errors.RequestTimeout`,
    answered ``408 Request Timeout`` with ``Connection: close`` (RFC 9110 §15.5.9).
    """

    def __init__(self, app: ASGIApp, default: int, imports: int, read_timeout: float = 0) -> None:
        self.app = app
        self.default = default
        self.imports = imports
        self.read_timeout = read_timeout

    def _timed(self, receive: Receive) -> Receive:
        """``receive`` with each wait for a body piece bounded; once the body is complete,
        waits (for ``http.disconnect``) are the server's business and not bounded."""
        if not self.read_timeout:
            return receive
        complete = False

        async def timed() -> Message:
            nonlocal complete
            if complete:
                return await receive()
            try:
                with anyio.fail_after(self.read_timeout):
                    message = await receive()
            except TimeoutError:
                raise RequestTimeout("request_timeout", {"seconds": self.read_timeout}) from None
            if message["type"] != "http.request" or not message.get("more_body", False):
                complete = True
            return message

        return timed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.imports if _is_upload(scope["path"]) else self.default
        receive = self._timed(receive)
        for name, value in scope.get("headers", ()):
            if name == b"content-length" and value.isdigit() and int(value) > limit:
                received = 0

                async def refuse() -> Message:
                    raise PayloadTooLarge("payload_too_large", {"limit": limit})

                await self.app(scope, refuse, send)
                return
        received = 0

        async def counting() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise PayloadTooLarge("payload_too_large", {"limit": limit})
            return message

        await self.app(scope, counting, send)


def _is_json(content_type: str | None) -> bool:
    """The media types FastAPI parses as JSON (``application/json``, ``*/*+json``, or none)."""
    if not content_type:
        return True
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


class JsonBodyRequest(Request):
    """A request whose ``json()`` is :func:`cbec.jsonio.loads` of its body."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = loads(await self.body())
        return self._json


class JsonBodyRoute(APIRoute):
    """An :class:`APIRoute` that parses a JSON body with :func:`cbec.jsonio.loads` before
    FastAPI's own body handling, so its errors keep their status and rule (see module doc)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        wants_body = self.body_field is not None

        async def route(request: Request) -> Response:
            request = JsonBodyRequest(request.scope, request.receive)
            if wants_body and request.method in ("POST", "PUT", "PATCH"):
                body = await request.body()  # PayloadTooLarge propagates as itself
                if body and _is_json(request.headers.get("content-type")):
                    await request.json()  # BadRequest (depth, garbage) propagates as itself
            return await handler(request)

        return route
