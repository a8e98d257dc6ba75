"""Headers every response carries, whatever produced it (a route, an error handler, a 404).

- ``Cache-Control: no-store`` (RFC 9111 §5.2.2.5): answers carry personal information and
  tenants' documents; no shared or private cache may keep them.
- ``X-Content-Type-Options: nosniff`` (WHATWG Fetch §3.5): a browser must not guess a JSON
  or text answer to be HTML or script.
- ``WWW-Authenticate: Bearer realm="cbec"`` on every 401 (RFC 9110 §11.6.1 requires the
  challenge; RFC 6750 §3 defines the Bearer one).

The server banner is left out where the server writes it (``cbec serve`` runs uvicorn with
``server_header=False``).
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CHALLENGE = 'Bearer realm="cbec"'


class SecurityHeaders:
    """ASGI middleware adding the headers above to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("cache-control", "no-store")
                headers["x-content-type-options"] = "nosniff"
                if message["status"] == 401:
                    headers.setdefault("www-authenticate", CHALLENGE)
            await send(message)

        await self.app(scope, receive, send_with_headers)
