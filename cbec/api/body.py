"""Request bodies: size limits (413 before the body is read), and JSON with ``Decimal`` numbers.

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

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cbec.errors import PayloadTooLarge
from cbec.jsonio import loads


def parse_json(data: bytes) -> Any:
    return loads(data)


# Routes that take files (bulk imports, screening lists such as OFAC's sdn.xml, tens of MB)
# get the import limit; every other body the default one.
UPLOAD_PATHS = frozenset({"/screening/lists"})


def _is_upload(path: str) -> bool:
    return path.endswith("/import") or path in UPLOAD_PATHS


class BodyLimit:
    """ASGI middleware: refuse bodies over the limit (413) before reading them into memory."""

    def __init__(self, app: ASGIApp, default: int, imports: int) -> None:
        self.app = app
        self.default = default
        self.imports = imports

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.imports if _is_upload(scope["path"]) else self.default
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
