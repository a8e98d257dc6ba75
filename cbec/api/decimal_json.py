"""JSON request bodies read with ``Decimal`` numbers, validated by the route's own model.

FastAPI reads a JSON body with ``json.loads`` and hands Pydantic binary floats: ``0.1`` would
reach a money field as ``0.1000000000000000055…`` rounded back, and a long amount such as
``99999999999999.12345`` would lose its cents. Pydantic's own JSON reader
(``model_validate_json``) goes through ``float`` for ``Decimal`` fields too. A router built
with ``route_class=DecimalJsonRoute`` reads the body once with :func:`cbec.jsonio.loads`
(RFC 8259 numbers as ``Decimal``, never ``float``) before FastAPI validates it against the
route's body model — so the model stays a plain FastAPI body parameter, visible in OpenAPI
with all its bounds, and money arrives exact. Reading the body here, outside FastAPI's own
body handler, also lets a malformed, too-deep or over-limit body answer with its own rule
(``invalid_json``, ``json_too_deep``, ``payload_too_large``) instead of a generic 400.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from cbec.jsonio import loads

_UNSET = object()


class DecimalJsonRequest(Request):
    """A request whose ``json()`` parses numbers as ``Decimal`` (and caches the result)."""

    _decimal_json: Any = _UNSET

    async def json(self) -> Any:
        if self._decimal_json is _UNSET:
            self._decimal_json = loads(await self.body())
        return self._decimal_json


def _is_json(content_type: str | None) -> bool:
    if not content_type:
        return True  # FastAPI reads a body without a content type as JSON
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


class DecimalJsonRoute(APIRoute):
    """A route whose JSON body is parsed by :class:`DecimalJsonRequest` (see module doc)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        takes_body = self.body_field is not None

        async def decimal_json_handler(request: Request) -> Response:
            request = DecimalJsonRequest(request.scope, request.receive)
            json_body = takes_body and _is_json(request.headers.get("content-type"))
            if json_body and await request.body():
                await request.json()  # a bad body raises its own BadRequest here
            return await handler(request)

        return decimal_json_handler
