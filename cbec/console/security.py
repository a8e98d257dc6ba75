"""Headers of the console's pages, on top of those every answer carries (cbec.api.headers).

- ``Content-Security-Policy`` (CSP Level 3): scripts, styles, images, fonts and connections
  from this origin only, no inline script or style, no ``eval``; forms post here only; no
  ``<base>`` rewriting; and ``frame-ancestors 'none'`` so no other site can frame a page to
  trick a click (clickjacking; ``X-Frame-Options: DENY`` for older browsers, RFC 7034).
- ``Referrer-Policy: no-referrer``: a page address never travels to another site.

Swagger UI and ReDoc (``/docs``, ``/redoc``) keep their own inline bootstrap scripts, so the
policy applies to the console's paths only.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def is_console(path: str) -> bool:
    return path == "/" or path == "/console" or path.startswith("/console/")


class ConsoleHeaders:
    """ASGI middleware adding the headers above to the console's answers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_console(scope["path"]):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["content-security-policy"] = CSP
                headers["x-frame-options"] = "DENY"
                headers["referrer-policy"] = "no-referrer"
            await send(message)

        await self.app(scope, receive, send_with_headers)
