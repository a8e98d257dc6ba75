"""``cbec logistics track|ceb513|tracking|trace|alerts-sweep``: tracking events in, a
shipment's timeline and alerts, the verifiable history of an order or a lot, and the sweep
that tells subscribers of alerts arising with time.

Each command calls the same use case as the HTTP API (:mod:`cbec.services.tracking`,
:mod:`cbec.services.tracking_views`); a refused input exits 2 naming the field and rule.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from cbec.cli.common import die, write_json
from cbec.cli.logistics_cli import logistics
from cbec.cli.tax_cli import _stdin_json, refuse

CHUNK = 2000  # events per transaction when a file is recorded in parts


def _parts(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """A request of more events than one transaction should hold, cut into requests of
    ``CHUNK`` events (each all-or-nothing; the whole file is idempotent by event ID)."""
    if isinstance(doc.get("epcis"), dict):
        body = doc["epcis"].get("epcisBody")
        events = body.get("eventList") if isinstance(body, dict) else None
        if isinstance(events, list) and len(events) > CHUNK:
            head = {k: v for k, v in doc["epcis"].items() if k != "epcisBody"}
            return [
                doc | {"epcis": head | {"epcisBody": {"eventList": events[i : i + CHUNK]}}}
                for i in range(0, len(events), CHUNK)
            ]
    elif isinstance(doc.get("events"), list) and len(doc["events"]) > CHUNK:
        events = doc["events"]
        return [doc | {"events": events[i : i + CHUNK]} for i in range(0, len(events), CHUNK)]
    return [doc]


@logistics.command("track")
def track(
    as_tenant: Annotated[str, typer.Option("--as", help="The tenant recording.")],
    file: Annotated[
        Path | None,
        typer.Argument(exists=True, dir_okay=False, help="A carrier's tracking file (else stdin)."),
    ] = None,
    source: Annotated[
        str,
        typer.Option("--from", help="The file's format: generic, 17track, aftership, auto."),
    ] = "auto",
    tz: Annotated[
        str | None, typer.Option("--tz", help="IANA time zone of times without an offset.")
    ] = None,
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="The CSV's encoding (detected).")
    ] = None,
    waybill: Annotated[
        str | None, typer.Option("--waybill", help="The waybill the events are about.")
    ] = None,
) -> None:
    """Record tracking events from stdin: {"events": [...]} in cbec's short form, an EPCIS
    2.0 document (JSON-LD, "type": "EPCISDocument"), or {"epcis": <document>}. Large files
    go in parts of 2,000 events with a progress bar; re-running a file adds nothing twice.
    With FILE: a carrier's file (cbec's generic CSV, 17TRACK or AfterShip webhook payloads,
    --from), its tracking numbers the waybill numbers of the firm's waybills."""
    if file is not None:
        from cbec.cli.carrier_cli import record_carrier_file

        if waybill is not None:
            die("--waybill is for events from stdin: a carrier file names its waybills")
        record_carrier_file(file, as_tenant, source, tz, encoding)
        return
    from pydantic import ValidationError
    from rich.progress import Progress

    from cbec import collector
    from cbec.cli.common import tenant_caller
    from cbec.errors import CbecError
    from cbec.services.tracking import record_events
    from cbec.services.tracking_models import TrackingEventsRequest

    doc = _stdin_json()
    if doc.get("type") == "EPCISDocument":
        doc = {"epcis": doc}
    if waybill is not None:
        doc["waybill_id"] = waybill
    rt, caller = tenant_caller(as_tenant)
    parts = _parts(doc)
    total = {"recorded": 0, "already_held": 0, "event_ids": []}
    with Progress(transient=True, disable=len(parts) == 1) as bar:
        task = bar.add_task("recording", total=len(parts))
        for part in parts:
            try:
                with collector.paused():  # a part is many short-lived objects, no cycles
                    req = TrackingEventsRequest.model_validate(part)
                result = record_events(rt.uow(), caller, req)
            except (CbecError, ValidationError) as exc:
                refuse(exc)
            total["recorded"] += result.recorded
            total["already_held"] += result.already_held
            total["event_ids"] += result.event_ids
            bar.advance(task)
    write_json(total, 2)


@logistics.command("ceb513")
def ceb513(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="A CEB513 file.")],
    as_tenant: Annotated[str, typer.Option("--as", help="The logistics firm sending it.")],
) -> None:
    """Record a CEB513 waybill-status message: each status S becomes a delivered event."""
    from cbec.cli.common import fail, tenant_caller
    from cbec.errors import CbecError
    from cbec.services.tracking import record_ceb513

    rt, caller = tenant_caller(as_tenant)
    try:
        result = record_ceb513(rt.uow(), caller, path.read_bytes())
    except CbecError as exc:
        fail(exc)
    write_json(result.model_dump(mode="json"), 2)


@logistics.command("tracking")
def tracking(
    doc_id: Annotated[str, typer.Argument(help="The waybill's id.")],
    as_tenant: Annotated[str, typer.Option("--as", help="The tenant asking.")],
    as_of: Annotated[
        datetime | None, typer.Option("--as-of", help="The moment (no zone: UTC); now.")
    ] = None,
) -> None:
    """A waybill's timeline, planned legs and alerts (with reasons), as JSON."""
    from cbec.cli.common import fail, tenant_caller
    from cbec.errors import CbecError
    from cbec.services.tracking_views import aware, shipment_track

    rt, caller = tenant_caller(as_tenant)
    try:
        result = shipment_track(rt.uow(), caller, doc_id, aware(as_of), rt.settings.logistics_dir)
    except CbecError as exc:
        fail(exc)
    write_json(result.model_dump(mode="json"), 2)


@logistics.command("trace")
def trace(
    as_tenant: Annotated[str, typer.Option("--as", help="The tenant asking.")],
    order: Annotated[str | None, typer.Option("--order", help="An order's id.")] = None,
    gtin: Annotated[str | None, typer.Option("--gtin", help="A lot's GTIN.")] = None,
    lot: Annotated[str | None, typer.Option("--lot", help="The lot (batch) number.")] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", dir_okay=False, help="Write it to this file.")
    ] = None,
) -> None:
    """The verified history of an order (--order) or a lot (--gtin and --lot): its events as
    an EPCIS 2.0 document with each event's ledger bundle. `cbec-verify --trace FILE` checks
    the file offline."""
    from cbec.cli.common import fail, tenant_caller
    from cbec.errors import CbecError
    from cbec.services.tracking_views import trace as run

    if (order is None) == (gtin is None or lot is None):
        die("give --order, or --gtin with --lot")
    rt, caller = tenant_caller(as_tenant)
    try:
        result = run(rt.uow(), caller, order_id=order, gtin=gtin, lot=lot)
    except CbecError as exc:
        fail(exc)
    if out is None:
        write_json(result.model_dump(mode="json"), 2)
        return
    from cbec.cli.common import json_text

    out.write_text(json_text(result.model_dump(mode="json"), 2) + "\n", encoding="utf-8")
    typer.echo(f"{len(result.evidence)} events written to {out}")


@logistics.command("alerts-sweep")
def alerts_sweep(
    at: Annotated[
        datetime | None,
        typer.Option("--at", help="Judge as of this moment (ISO 8601; no zone: UTC); now."),
    ] = None,
    follow: Annotated[
        bool,
        typer.Option(
            "--follow",
            help="Sweep every CBEC_ALERT_SWEEP_SECONDS until stopped (Ctrl-C, SIGTERM).",
        ),
    ] = False,
) -> None:
    """Tell the tenants subscribed to tracking.alert_raised of the alerts that arose with
    time (no scan past the current leg's limit, a place not reached in time) on the
    waybills they may read: once (prints its counts), or repeatedly with --follow. Each
    alert is announced once, however many sweeps run."""
    import signal
    import threading

    from cbec.cli.common import runtime
    from cbec.services import tracking_sweep
    from cbec.services.tracking_views import aware

    rt = runtime()
    if not follow:
        write_json(tracking_sweep.sweep_alerts(rt.uow(), aware(at)).model_dump(mode="json"), 2)
        return
    if at is not None:
        die("--at is for one sweep: --follow sweeps as of each moment it runs")
    every = rt.settings.alert_sweep_seconds
    if every <= 0:
        die("CBEC_ALERT_SWEEP_SECONDS is 0 (sweeps off): set a number of seconds to follow")
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    tracking_sweep.follow(
        rt.uow, stop, every, lambda done: write_json(done.model_dump(mode="json"))
    )
