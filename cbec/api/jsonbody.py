"""Routes whose JSON body is a request model, read the way money needs it.

FastAPI reads a model body with ``json.loads`` inside a ``try`` that turns *every* failure into
one bare "error parsing the body": a body over the size limit (413), nesting past the parser's
recursion limit, an integer literal too long to convert. :class:`JsonBodyRoute` reads and parses
the body first, with :func:`cbec.jsonio.loads` — numbers as ``Decimal`` (RFC 8259 §6 leaves
their precision to the reader), each malformed input a :class:`~cbec.errors.BadRequest` naming
its rule, the size limit a :class:`~cbec.errors.PayloadTooLarge` — and hands the parsed value to
FastAPI, which validates it against the route's model (422 naming each field) and shows the
model in OpenAPI as the request body.

Use it as ``APIRouter(route_class=JsonBodyRoute)``; routes without a JSON body are unaffected.
"""

from __future__ import annotations

import email.message
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from cbec.jsonio import loads


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
