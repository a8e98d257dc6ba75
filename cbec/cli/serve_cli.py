"""``cbec serve``: the HTTP API (FastAPI on uvicorn, both loaded only when it starts)."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from cbec.cli.common import die, err, runtime


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
    workers: Annotated[
        int,
        typer.Option(help="Server processes; the integrator runs in one of them (the leader)."),
    ] = 1,
) -> None:
    """Run the HTTP API (OpenAPI at /openapi.json, docs at /docs) and the console (/).

    --workers N runs N processes (uvicorn's supervisor: the parent binds the port, spawns
    the workers, and starts a new one when one dies). uvicorn with its C parser and loop
    (httptools, uvloop) rather than granian, measured by bench/http_orders.py with 16
    clients on one core (2026-12-06): server CPU per POST /orders 4.5 ms on uvicorn +
    httptools + uvloop, 5.3 ms on granian 2.8 (ASGI, uvloop), 5.8 ms on uvicorn's pure
    Python h11 + asyncio. The rest of a request's time goes to checking and filing the
    document; N processes are what buy cores.
    Each worker builds its own app (cbec.api.workers) from the environment; the parent
    migrates the schema and checks the keys first, once.

    The integrator (ledger integration, checkpoints, sweeps) runs in one process only,
    unless CBEC_INTEGRATOR=off: the workers elect a leader through a lock (PostgreSQL
    advisory lock, a file lock beside a SQLite file), and when it dies another takes over.
    Several servers on one database may run with it off and leave the work to one
    `cbec ledger integrate --follow` (README, Several hosts).

    Metrics: each process has its own Prometheus registry, so with --workers each scrape of
    /metrics answers one worker — the data gauges (ledger, lag, queues) are the database's
    and whole from any worker; the HTTP counters are that worker's only. To count requests
    exactly, run one worker per server and scrape each server."""
    import uvicorn

    from cbec.api import workers as worker_app

    if workers < 1:
        die("--workers must be at least 1")
    worker_app.configure_logging(log_format, access_log)
    rt = runtime()  # migrates the schema and checks the keys, or refuses on one line
    h, p = host or rt.settings.host, port or rt.settings.port
    err.print(
        f"cbec API on http://{h}:{p}  (docs: http://{h}:{p}/docs)"
        + (f", {workers} workers" if workers > 1 else ""),
        soft_wrap=True,
    )
    # No "server: uvicorn" banner: it tells a scanner which exploits to try, and no client
    # needs it (RFC 9110 §10.2.4 leaves the field optional).
    if workers == 1:
        from cbec.api.app import create_app

        uvicorn.run(create_app(rt), host=h, port=p, log_level="warning", server_header=False)
        return
    rt.engine.dispose()  # the workers open their own; the parent only supervises
    worker_app.hand_down(log_format, access_log)
    uvicorn.run(
        worker_app.FACTORY,
        factory=True,
        workers=workers,
        host=h,
        port=p,
        log_level="warning",
        server_header=False,
    )
