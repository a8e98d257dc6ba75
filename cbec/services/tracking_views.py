"""Use cases reading tracking: a shipment's timeline with its alerts, and the traceability
query — the verified history of an order or a batch (:mod:`cbec.services.tracking`).

What a caller sees follows what it may read: the events of a waybill it may read (whoever
recorded them), the events it recorded itself, and — for a regulator — every event. A trace
walks the identifiers events name (lot → parcel packed with it → waybill carrying the parcel
→ its scans) and keeps only readable events at every step, so the path never reveals an
event, a parcel or a waybill the caller could not ask for directly. Each event comes with
its ledger bundle: the file is checkable offline (``cbec-verify --trace``)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from cbec.errors import NotFound
from cbec.logistics import alerts as alerting
from cbec.logistics import cbv, epcis
from cbec.logistics.transit import Transit
from cbec.services.logistics import _network
from cbec.services.tracking import keys_of, lot_uri, place_of, waybill_uri
from cbec.services.tracking_models import (
    AlertOut,
    PlannedLegOut,
    ReadingOut,
    ShipmentTrack,
    Trace,
    TraceEvidence,
    TrackedEvent,
)
from cbec.store.repository import UnitOfWork
from cbec.store.tracking_store import StoredEvent, TrackingStore
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.trade.ports import StoredDocument, now

STORAGE_CLASSES = frozenset({"chilled", "frozen", "refrigerated"})
MAX_TRACE_EVENTS = 5000
MAX_TRACE_STEPS = 6


def aware(moment: datetime | None) -> datetime | None:
    """A moment asked for in a query: one without a zone is UTC, as the lists read theirs."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.utcoffset() is None else moment.astimezone(UTC)


def _folder(extra: Path | None, name: str) -> Path:
    return extra if extra is not None and (extra / name).exists() else alerting.DATA


def _readings(event: dict[str, Any]) -> list[ReadingOut]:
    return [
        ReadingOut(measurement=r["type"], value=Decimal(str(r["value"])), uom=r.get("uom"))
        for el in event.get("sensorElementList", [])
        for r in el.get("sensorReport", [])
        if "type" in r and "value" in r
    ]


def _tracked(e: StoredEvent, places: dict[str, Any]) -> TrackedEvent:
    body = json.loads(e.body)
    where = (body.get("readPoint") or body.get("bizLocation") or {}).get("id")
    place = place_of(where)
    known = places.get(place) if place else None
    return TrackedEvent(
        event_id=e.event_id,
        event_type=e.event_type,
        event_time=e.event_time,
        time_zone_offset=body.get("eventTimeZoneOffset", "+00:00"),
        recorded_at=e.recorded_at,
        milestone=cbv.milestone_of(body.get("bizStep"), body.get("disposition")),
        biz_step=body.get("bizStep"),
        disposition=body.get("disposition"),
        location=place,
        location_name=known.name if known else None,
        lat=known.lat if known else None,
        lon=known.lon if known else None,
        readings=_readings(body),
        ledger_index=e.ledger_index,
        epcis=body,
    )


def _planned(body: dict[str, Any], extra: Path | None) -> list[alerting.PlannedLeg]:
    network, _ = _network(extra)
    legs = {g.id: g for g in network.legs}
    out = []
    for leg in body.get("route") or []:
        g = legs.get(leg.get("leg") or "")
        if g is not None:
            transit = Transit.of(g.transit_p50_days, g.transit_p90_days)
            out.append(alerting.PlannedLeg(g.origin, g.destination, g.mode, transit))
        else:
            out.append(
                alerting.PlannedLeg(
                    leg.get("origin"), leg.get("destination"), leg.get("mode") or "road", None
                )
            )
    return out


def _storage_classes(uow: UnitOfWork, caller: Viewer, body: dict[str, Any]) -> list[str]:
    """The storage classes of the goods on the waybill's order, as far as the caller may
    read them: the order's lines and the seller's products for their SKUs."""
    orders = [
        o
        for o in uow.repo.list_documents(caller, "order", order_no=body["order_no"], limit=5)
        if o.body.get("platform") == body.get("platform")
    ]
    if len(orders) != 1:  # none readable, or ambiguous: no goods to speak of
        return []
    order = orders[0]
    found: set[str] = set()
    skus = set()
    for line in order.body.get("lines", []):
        found.update(line.get("attributes") or [])
        if line.get("sku"):
            skus.add(str(line["sku"]))
    seller = uow.repo.tenant_by_name(str(order.body.get("seller")))
    if seller is not None and skus:
        products = uow.repo.find_by_keys("product", (seller.id, seller.id), sorted(skus))
        readable = uow.repo.visible_ids(caller, "product", [p.id for p in products.values()])
        for p in products.values():
            if p.id in readable:
                found.update(p.body.get("attributes") or [])
    return sorted(found & STORAGE_CLASSES)


def _waybill(uow: UnitOfWork, caller: Viewer, doc_id: str) -> StoredDocument:
    stored = uow.repo.get_document(caller, "waybill", doc_id)
    if stored is None:
        raise NotFound("not_found", {"kind": "waybill"})
    return stored


def _scan(t: TrackedEvent) -> alerting.Scan:
    readings = tuple(
        alerting.Reading(r.measurement, r.value, r.uom, t.event_time) for r in t.readings
    )
    return alerting.Scan(t.event_time, t.location, t.milestone, readings)


def shipment_track(
    uow: UnitOfWork,
    caller: Viewer,
    doc_id: str,
    as_of: datetime | None = None,
    extra: Path | None = None,
) -> ShipmentTrack:
    """A waybill's events, its planned legs and the alerts as of ``as_of`` (now)."""
    moment = as_of or now()
    with uow:
        stored = _waybill(uow, caller, doc_id)
        rows = TrackingStore(uow.conn).of_waybill(stored.id)
        classes = _storage_classes(uow, caller, stored.body)
    network, _ = _network(extra)
    events = [_tracked(e, network.locations) for e in rows if e.event_time <= moment]
    planned = _planned(stored.body, extra)
    found = _alerts(planned, events, classes, moment, extra)
    notes = []
    if not planned:
        notes.append("the waybill names no route: no delay or no-scan alerts")
    elif any(p.transit is None for p in planned):
        notes.append("a leg is named by mode only: its transit time is unknown")
    places = network.locations

    def coords(place: str | None) -> dict[str, float | None]:
        p = places.get(place or "")
        return {"lat": p.lat if p else None, "lon": p.lon if p else None}

    legs = [
        PlannedLegOut(
            origin=p.origin,
            destination=p.destination,
            mode=p.mode,
            transit_p50_days=round(p.transit.p50, 2) if p.transit else None,
            transit_p90_days=round(p.transit.p90, 2) if p.transit else None,
            origin_lat=coords(p.origin)["lat"],
            origin_lon=coords(p.origin)["lon"],
            destination_lat=coords(p.destination)["lat"],
            destination_lon=coords(p.destination)["lon"],
        )
        for p in planned
    ]
    return ShipmentTrack(
        waybill_id=stored.id,
        waybill_no=stored.natural_key,
        as_of=moment,
        events=events,
        legs=legs,
        alerts=[AlertOut(**vars(a)) for a in found],
        storage_classes=classes,
        notes=notes,
    )


def _alerts(
    planned: list[alerting.PlannedLeg],
    events: list[TrackedEvent],
    classes: list[str],
    moment: datetime,
    extra: Path | None,
) -> list[alerting.Alert]:
    on = moment.date()
    pol = alerting.policy(on, _folder(extra, "alert_policy.csv"))
    bounds = alerting.limits(classes, on, _folder(extra, "sensor_thresholds.csv"))
    return alerting.alerts(planned, [_scan(t) for t in events], moment, pol, bounds)


def raised_alerts(
    uow: UnitOfWork,
    caller: Viewer,
    waybill_ids: set[str],
    fresh: set[str],
    extra: Path | None = None,
) -> list[tuple[StoredDocument, alerting.Alert]]:
    """The alerts that the ``fresh`` events (ids just recorded, in ``uow``'s transaction)
    raise on the caller's waybills, as of now: those on the waybill with them and not
    without them — a late arrival, a reading out of its limits. An alert the new scans
    clear (no scan for too long) is not one raised."""
    moment = now()
    network, _ = _network(extra)
    out: list[tuple[StoredDocument, alerting.Alert]] = []
    for waybill_id in sorted(waybill_ids):
        stored = uow.repo.get_document(caller, "waybill", waybill_id)
        if stored is None:
            continue
        rows = [e for e in TrackingStore(uow.conn).of_waybill(stored.id) if e.event_time <= moment]
        if not any(e.event_id in fresh for e in rows):
            continue
        classes = _storage_classes(uow, caller, stored.body)
        planned = _planned(stored.body, extra)
        after = [_tracked(e, network.locations) for e in rows]
        before = [t for t, e in zip(after, rows, strict=True) if e.event_id not in fresh]
        known = {(a.rule, a.at, a.reason) for a in _alerts(planned, before, classes, moment, extra)}
        out += [
            (stored, a)
            for a in _alerts(planned, after, classes, moment, extra)
            if (a.rule, a.at, a.reason) not in known
        ]
    return out


def _readable(uow: UnitOfWork, caller: Viewer, events: list[StoredEvent]) -> list[StoredEvent]:
    if caller.role == Role.REGULATOR:
        return events
    seen: dict[str, bool] = {}
    out = []
    for e in events:
        if e.recorder_tenant_id == caller.tenant_id:
            out.append(e)
        elif e.waybill_id is not None:
            if e.waybill_id not in seen:
                seen[e.waybill_id] = (
                    uow.repo.get_document(caller, "waybill", e.waybill_id) is not None
                )
            if seen[e.waybill_id]:
                out.append(e)
    return out


def _document(bodies: list[dict[str, Any]]) -> dict[str, Any]:
    """An EPCISDocument (EPCIS 2.0 §9.3) holding the events exactly as they were logged, so
    each one hashes to its ledger entry's content hash."""
    created = now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    return {
        "@context": epcis.CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": created,
        "epcisBody": {"eventList": bodies},
    }


def trace(
    uow: UnitOfWork,
    caller: Viewer,
    *,
    order_id: str | None = None,
    gtin: str | None = None,
    lot: str | None = None,
) -> Trace:
    """The verified history of an order (``order_id``) or a lot (``gtin`` + ``lot``)."""
    with uow:
        if order_id is not None:
            order = uow.repo.get_document(caller, "order", order_id)
            if order is None:
                raise NotFound("not_found", {"kind": "order"})
            waybills = [
                w
                for w in uow.repo.list_documents(
                    caller, "waybill", order_no=order.body["order_no"], limit=50
                )
                if w.body.get("platform") == order.body.get("platform")
            ]
            start = {waybill_uri(w.id) for w in waybills}
            query = {"order_id": order_id}
        else:
            assert gtin is not None and lot is not None
            start = {lot_uri(gtin, lot)}
            query = {"gtin": gtin, "lot": lot}
        store = TrackingStore(uow.conn)
        found: dict[int, StoredEvent] = {}
        frontier, followed = set(start), set()
        for _ in range(MAX_TRACE_STEPS):
            todo = frontier - followed
            if not todo or len(found) >= MAX_TRACE_EVENTS:
                break
            followed |= todo
            fresh = [e for e in store.by_keys(todo) if e.pk not in found]
            frontier = set()
            for e in _readable(uow, caller, fresh):
                found[e.pk] = e
                frontier.update(keys_of(json.loads(e.body)))
    events = sorted(found.values(), key=lambda e: (e.event_time, e.pk))[:MAX_TRACE_EVENTS]
    if order_id is None and not events:  # a lot is known to a caller only by its events
        raise NotFound("not_found", {"kind": "batch"})
    bodies = [json.loads(e.body) for e in events]
    evidence = [
        TraceEvidence(
            event_id=e.event_id,
            ledger_index=e.ledger_index,
            bundle=uow.ledger.bundle(e.ledger_index),
        )
        for e in events
        if e.ledger_index is not None and uow.ledger is not None
    ]
    keys = {k for b in bodies for k in keys_of(b)}
    return Trace(
        query=query,
        epcis=_document(bodies),
        evidence=evidence,
        waybills=sorted({e.waybill_id for e in events if e.waybill_id}),
        batches=sorted(k for k in keys if "/10/" in k and k.startswith("https://id.gs1.org/01/")),
        parcels=sorted(k for k in keys if k.startswith("https://id.gs1.org/00/")),
    )
