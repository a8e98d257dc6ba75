"""``cbec serve``: the HTTP API (FastAPI on uvicorn, both loaded only when it starts)."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from cbec.cli.common import err, runtime


def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind.")] = None,
    port: Annotated[int | None, typer.Option(help="TCP port.")] = None,
    access_log: Annotated[
        bool,
        typer.Option(help="One JSON line per request on standard error, nothing personal."),
    ] = True,
    log_format: Annotated[
        Literal["json", "text"],
        typer.Option(help="Application logs on standard error: JSON lines or plain text."),
    ] = "json",
) -> None:
    """Run the HTTP API (OpenAPI at /openapi.json, docs at /docs) and the console (/).

    One process (no workers): its Prometheus registry (/metrics) is the whole server's; run
    more servers behind a balancer and scrape each one. It integrates the evidence ledger in
    a thread unless CBEC_INTEGRATOR=off: several servers on one database run with it off and
    leave that to one `cbec ledger integrate --follow` (README, Several hosts)."""
    import uvicorn

    from cbec import logs
    from cbec.api import access_log as access
    from cbec.api.app import create_app

    logs.configure(log_format)  # application lines, each with its request id
    if access_log:
        access.to_stderr()
    else:
        access.off()
    rt = runtime()
    h, p = host or rt.settings.host, port or rt.settings.port
    err.print(f"cbec API on http://{h}:{p}  (docs: http://{h}:{p}/docs)")
    # No "server: uvicorn" banner: it tells a scanner which exploits to try, and no client
    # needs it (RFC 9110 §10.2.4 leaves the field optional).
    uvicorn.run(create_app(rt), host=h, port=p, log_level="warning", server_header=False)
