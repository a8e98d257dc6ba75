"""``cbec serve``: the HTTP API (FastAPI on uvicorn, both loaded only when it starts)."""

from __future__ import annotations

from typing import Annotated

import typer

from cbec.cli.common import err, runtime


def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind.")] = None,
    port: Annotated[int | None, typer.Option(help="TCP port.")] = None,
    access_log: Annotated[
        bool,
        typer.Option(help="One JSON line per request on standard error, nothing personal."),
    ] = True,
) -> None:
    """Run the HTTP API (OpenAPI at /openapi.json, docs at /docs) and the console (/)."""
    import uvicorn

    from cbec.api import access_log as access
    from cbec.api.app import create_app

    if access_log:
        access.to_stderr()
    rt = runtime()
    h, p = host or rt.settings.host, port or rt.settings.port
    err.print(f"cbec API on http://{h}:{p}  (docs: http://{h}:{p}/docs)")
    # No "server: uvicorn" banner: it tells a scanner which exploits to try, and no client
    # needs it (RFC 9110 §10.2.4 leaves the field optional).
    uvicorn.run(create_app(rt), host=h, port=p, log_level="warning", server_header=False)
