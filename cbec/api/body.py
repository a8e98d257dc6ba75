"""Request bodies: size limits (413 before the body is read), and JSON with ``Decimal`` numbers.

FastAPI's own body parsing goes through ``json.loads`` and turns ``0.1`` into a binary float
before any model sees it; for money that is the wrong first step. Bodies are read with
:func:`cbec.jsonio.loads` and validated with the request models, which OpenAPI declares.
"""

from __future__ import annotations

from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cbec.errors import PayloadTooLarge
from cbec.jsonio import loads


def parse_json(data: bytes) -> Any:
    return loads(data)


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
        limit = self.imports if scope["path"].endswith("/import") else self.default
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
