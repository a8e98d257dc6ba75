"""Use case: record tracking events — carrier milestones, sensor readings, China customs
CEB513 waybill status, a supplier's batch events — as GS1 EPCIS 2.0 events, each logged in
the evidence ledger in the same transaction it is stored in.

Every event is kept in its EPCIS 2.0 JSON-LD form (the form traceability systems exchange,
:mod:`cbec.logistics.epcis`) under its event hash ID (CBV 2.0 §8.9): the same event sent
twice, in whatever serialisation, is recorded once. The ledger entry names the event ID and
the SHA-256 of the event's RFC 8785 form, so anyone holding the event and its bundle can
check offline that it was logged, unchanged (``cbec-verify --trace``). Events carry no
personal data: parcels, lots and places by their identifiers.

An event about a waybill is recorded only by a tenant who may read that waybill (404 as
for a missing one otherwise); events naming no waybill (a supplier's commissioning of a lot,
say) belong to their recorder.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC
from typing import Any

from lxml import etree

from cbec import collector
from cbec.customs.xml import MessageError, parse
from cbec.errors import DocumentInvalid, NotFound, Violation
from cbec.ledger.entry import CONTENT_TYPE, canonical_json, event_entry
from cbec.logistics import cbv, epcis
from cbec.logistics.epcis_hash import pre_hash_of
from cbec.services.tracking_models import (
    RecordedEvents,
    TrackingEventIn,
    TrackingEventsRequest,
)
from cbec.store.repository import UnitOfWork
from cbec.store.tracking_store import NewEvent, TrackingStore
from cbec.tenancy.access import Viewer
from cbec.trade.ports import now

ENTRY_TYPE = "cbec.epcis-event/v1"
WAYBILL_URN = "urn:cbec:waybill:"
PLACE_URN = "urn:cbec:loc:"
MAX_EVENTS = 10_000
GS1_DL = "https://id.gs1.org"

# the default unit of each short measurement name (UN/CEFACT Rec. 20)
MEASUREMENTS = {
    "temperature": ("gs1:Temperature", "CEL"),
    "humidity": ("gs1:RelativeHumidity", "P1"),
    "shock": ("gs1:Acceleration", "K40"),  # K40: g, standard acceleration of free fall
}


def waybill_uri(waybill_id: str) -> str:
    return WAYBILL_URN + waybill_id


def place_uri(place: str) -> str:
    """A network place id as a URI; a URI (SGLN, a carrier's) is kept as given."""
    return place if ":" in place else PLACE_URN + place


def place_of(uri: str | None) -> str | None:
    """The network place id a location URI names, else the URI itself."""
    if uri is None:
        return None
    return uri[len(PLACE_URN) :] if uri.startswith(PLACE_URN) else uri


def lot_uri(gtin: str, lot: str) -> str:
    """GS1 Digital Link of a lot (LGTIN): GTIN as 14 digits, then AI 10."""
    from urllib.parse import quote

    return f"{GS1_DL}/01/{gtin.zfill(14)}/10/{quote(lot, safe='')}"


def _sensor_elements(readings: Sequence[Any], at: str) -> list[dict[str, Any]]:
    """Readings as EPCIS sensor elements, one per reading time (``sensorMetadata.time``)."""
    by_time: dict[str, list[dict[str, Any]]] = {}
    for r in readings:
        kind, unit = MEASUREMENTS.get(r.measurement, (r.measurement, None))
        report: dict[str, Any] = {"type": kind, "value": r.value}
        if r.uom or unit:
            report["uom"] = r.uom or unit
        when = r.time.isoformat().replace("+00:00", "Z") if r.time else at
        by_time.setdefault(when, []).append(report)
    return [{"sensorMetadata": {"time": t}, "sensorReport": rs} for t, rs in by_time.items()]


def short_to_jsonld(event: TrackingEventIn, waybill_id: str | None) -> dict[str, Any]:
    """The EPCIS 2.0 JSON-LD event a short-form event stands for."""
    at = event.time.isoformat().replace("+00:00", "Z")
    out: dict[str, Any] = {
        "type": "AggregationEvent" if event.parent else "ObjectEvent",
        "eventTime": at,
        "eventTimeZoneOffset": event.time_zone_offset,
        "action": "ADD" if event.parent else "OBSERVE",
    }
    step, disposition = cbv.MILESTONE_CBV[event.milestone] if event.milestone else (None, None)
    step, disposition = event.biz_step or step, event.disposition or disposition
    if step:
        out["bizStep"] = step
    if disposition:
        out["disposition"] = disposition
    lots = [
        {
            k: v
            for k, v in (
                ("epcClass", lot_uri(b.gtin, b.lot)),
                ("quantity", b.quantity),
                ("uom", b.uom),
            )
            if v is not None
        }
        for b in event.batches
    ]
    if event.parent:
        out["parentID"] = event.parent
        if event.epcs:
            out["childEPCs"] = list(event.epcs)
        if lots:
            out["childQuantityList"] = lots
    else:
        epcs = list(event.epcs) or ([waybill_uri(waybill_id)] if waybill_id and not lots else [])
        if epcs:
            out["epcList"] = epcs
        if lots:
            out["quantityList"] = lots
    if event.location:
        out["readPoint"] = {"id": place_uri(event.location)}
    if waybill_id:
        out["bizTransactionList"] = [{"type": "bol", "bizTransaction": waybill_uri(waybill_id)}]
    if event.readings:
        out["sensorElementList"] = _sensor_elements(event.readings, at)
    return out


def _from_epcis_document(doc: dict[str, Any]) -> list[dict[str, Any]]:
    body = doc.get("epcisBody")
    events = body.get("eventList") if isinstance(body, dict) else None
    if not isinstance(events, list):
        raise DocumentInvalid([Violation("epcis.epcisBody.eventList", "missing")])
    if len(events) > MAX_EVENTS:
        raise DocumentInvalid(
            [Violation("epcis.epcisBody.eventList", "too_long", {"max": MAX_EVENTS})]
        )
    return events


def _with_waybill(event: dict[str, Any], waybill_id: str) -> dict[str, Any]:
    """An EPCIS event given for a waybill, naming it as its bill of lading."""
    uri = waybill_uri(waybill_id)
    txs = list(event.get("bizTransactionList") or [])
    if not any(t.get("bizTransaction") == uri for t in txs if isinstance(t, dict)):
        txs.append({"type": "bol", "bizTransaction": uri})
    return event | {"bizTransactionList": txs}


def keys_of(event: dict[str, Any]) -> tuple[str, ...]:
    """The identifiers a traceability query follows through ``event``."""
    keys: list[str] = [*event.get("epcList", []), *event.get("childEPCs", [])]
    if event.get("parentID"):
        keys.append(event["parentID"])
    for name in ("quantityList", "childQuantityList"):
        keys += [q["epcClass"] for q in event.get(name, [])]
    keys += [t["bizTransaction"] for t in event.get("bizTransactionList", [])]
    return tuple(k for k in keys if len(k) <= 300)


# An EPCIS field as the short form names it, for errors in events given in that form.
SHORT_NAMES = {
    "eventTime": "time",
    "eventTimeZoneOffset": "time_zone_offset",
    "bizStep": "biz_step",
    "disposition": "disposition",
    "epcList": "epcs",
    "childEPCs": "epcs",
    "quantityList": "batches",
    "childQuantityList": "batches",
    "parentID": "parent",
    "readPoint": "location",
    "sensorElementList": "readings",
}


def _short_field(field: str) -> str:
    head, _, rest = field.partition(".")
    name, bracket, index = head.partition("[")
    short = SHORT_NAMES.get(name)
    if short is None:
        return field
    if name in ("readPoint", "sensorElementList"):
        return short  # their inner structure has no counterpart in the short form
    return short + (bracket + index if bracket else "") + ("." + rest if rest else "")


Read = tuple[epcis.TrackEvent, dict[str, Any], str | None]  # the event, its JSON-LD, its waybill


def _normalised(
    raw: Sequence[tuple[dict[str, Any], str | None]], prefix: str, short: bool = False
) -> list[Read]:
    """Each event read once (checked, normalised) with the waybill it is about."""
    out: list[Read] = []
    bad = []
    for i, (item, waybill_id) in enumerate(raw):
        try:
            model = epcis.from_jsonld(item)
        except DocumentInvalid as e:
            for v in e.violations:
                name = _short_field(v.field) if short else v.field
                bad.append(Violation(f"{prefix}[{i}].{name}", v.rule, v.params))
            continue
        out.append((model, epcis.to_jsonld(model), waybill_id))
    if bad:
        raise DocumentInvalid(bad)
    return out


def _check_waybills(events: list[Read], prefix: str) -> None:
    """An event may name a cbec waybill only as the one it is recorded for: the waybill is
    what decides who reads the event, and it was checked for the caller."""
    bad = []
    for i, (_, event, waybill_id) in enumerate(events):
        own = waybill_uri(waybill_id) if waybill_id else None
        bad += [
            Violation(f"{prefix}[{i}].bizTransactionList", "waybill_mismatch", {"expected": own})
            for t in event.get("bizTransactionList", [])
            if t.get("bizTransaction", "").startswith(WAYBILL_URN) and t["bizTransaction"] != own
        ]
    if bad:
        raise DocumentInvalid(bad)


def _waybills(uow: UnitOfWork, caller: Viewer, ids: set[str]) -> None:
    """404 unless the caller may read every waybill named (as for a missing one)."""
    if ids and uow.repo.visible_ids(caller, "waybill", ids) != ids:
        raise NotFound("not_found", {"kind": "waybill"})


def record_events(uow: UnitOfWork, caller: Viewer, req: TrackingEventsRequest) -> RecordedEvents:
    """Store and log ``req``'s events, all or none; events already recorded by the caller
    are counted, not written again. A carrier's feed may name a waybill per event."""
    if req.epcis is not None and req.events:
        raise DocumentInvalid([Violation("epcis", "one_of", {"other": "events"})])
    with collector.paused(), uow.writing():
        named = {e.waybill_id or req.waybill_id for e in req.events} | {req.waybill_id}
        _waybills(uow, caller, {w for w in named if w is not None})
        if req.epcis is not None:
            raw = _from_epcis_document(req.epcis)
            if req.waybill_id:
                raw = [_with_waybill(e, req.waybill_id) if isinstance(e, dict) else e for e in raw]
            prefix = "epcis.epcisBody.eventList"
            events = _normalised([(e, req.waybill_id) for e in raw], prefix)
        else:
            prefix = "events"
            pairs = []
            for e in req.events:
                waybill_id = e.waybill_id or req.waybill_id
                pairs.append((short_to_jsonld(e, waybill_id), waybill_id))
            events = _normalised(pairs, prefix, short=True)
        _check_waybills(events, prefix)
        result, fresh = _store(uow, caller, events)
        _announce_alerts(uow, events, fresh)
        uow.commit()
    return result


def _announce_alerts(uow: UnitOfWork, events: list[Read], ids: set[str]) -> None:
    """``tracking.alert_raised`` into the webhooks' outbox, in this transaction, for each
    alert the new events raise on their waybills, to every tenant subscribed to it that may
    read the waybill — the recorder and the others — and recorded as announced, so the
    alert sweep (:mod:`cbec.services.tracking_sweep`) does not tell it again. Worked out
    only when someone subscribes (one read of the subscriptions)."""
    from cbec.services.tracking_sweep import announce_raised  # it reads this module's helpers

    waybills = {w for _, _, w in events if w is not None}
    announce_raised(uow, waybills, ids, getattr(uow.settings, "logistics_dir", None))


def _event_id(model: epcis.TrackEvent) -> str:
    """The CBV 2.0 §8.9 event hash ID (:func:`cbec.logistics.epcis_hash.event_hash`) of an
    event already read."""
    digest = hashlib.sha256(pre_hash_of(model).encode("utf-8")).hexdigest()
    return f"ni:///sha-256;{digest}?ver=CBV2.0"


def _store(uow: UnitOfWork, caller: Viewer, events: list[Read]) -> tuple[RecordedEvents, set[str]]:
    """Write the events the caller does not hold yet; the answer, and the ids written."""
    ids = [_event_id(model) for model, _, _ in events]
    store = TrackingStore(uow.conn)
    held = store.held(caller.tenant_id, ids)
    at = now()
    fresh: dict[str, Read] = {}
    for event_id, (model, event, waybill_id) in zip(ids, events, strict=True):
        if event_id not in held and event_id not in fresh:
            event = event | {"eventID": event.get("eventID") or event_id}
            fresh[event_id] = (model, event, waybill_id)
    entries, rows = [], []
    for event_id, (model, event, waybill_id) in fresh.items():
        text = canonical_json(event)
        entries.append(
            (
                CONTENT_TYPE,
                event_entry(
                    ENTRY_TYPE,
                    at=at,
                    tenants=[caller.name],
                    body={
                        "event_id": event_id,
                        "event_type": event["type"],
                        "event_time": event["eventTime"],
                        "content_sha256": hashlib.sha256(text).hexdigest(),
                    },
                ),
            )
        )
        rows.append(
            NewEvent(
                event_id=event_id,
                event_type=event["type"],
                event_time=model.event_time,
                biz_step=event.get("bizStep"),
                body=text.decode(),
                waybill_id=waybill_id,
                keys=keys_of(event),
            )
        )
    indexes = uow.repo.append_evidence(entries)
    store.add(
        caller.tenant_id,
        at,
        [replace(row, ledger_index=index) for row, index in zip(rows, indexes, strict=True)],
    )
    result = RecordedEvents(recorded=len(fresh), already_held=len(ids) - len(fresh), event_ids=ids)
    return result, set(fresh)


CEB513_DELIVERED = "S"  # 签收 — the only status the 202205 schema allows (限定S)


def _ceb_time(text: str, field: str) -> str:
    from datetime import datetime, timedelta, timezone

    try:
        t = datetime.strptime(text, "%Y%m%d%H%M%S")
    except ValueError:
        raise DocumentInvalid([Violation(field, "datetime_parsing")]) from None
    china = timezone(timedelta(hours=8))  # customs messages are in Beijing time
    return t.replace(tzinfo=china).astimezone(UTC).isoformat().replace("+00:00", "Z")


def record_ceb513(uow: UnitOfWork, caller: Viewer, xml: bytes) -> RecordedEvents:
    """A CEB513 waybill-status message (物流运单状态) from the logistics firm that filed the
    waybills: each ``LogisticsStatus`` becomes a *delivered* event of its waybill. A status
    other than S, or a waybill number the caller did not file, is refused naming it."""
    try:
        root = parse(xml)
    except MessageError as e:
        raise DocumentInvalid([Violation("body", "xml_invalid", {"detail": str(e)})]) from None
    if etree.QName(root).localname != "CEB513Message":
        raise DocumentInvalid([Violation("body", "message_type", {"expected": "CEB513Message"})])
    ns = {"ceb": etree.QName(root).namespace or ""}
    statuses = root.findall("ceb:LogisticsStatus", ns)
    items: list[tuple[str, str, str]] = []
    bad: list[Violation] = []
    for i, el in enumerate(statuses):
        field = f"LogisticsStatus[{i}]"
        no = (el.findtext("ceb:logisticsNo", "", ns)).strip()
        status = (el.findtext("ceb:logisticsStatus", "", ns)).strip()
        when = (el.findtext("ceb:logisticsTime", "", ns)).strip()
        if status != CEB513_DELIVERED:
            bad.append(Violation(f"{field}.logisticsStatus", "ceb513_status", {"value": status}))
            continue
        try:
            items.append((no, _ceb_time(when, f"{field}.logisticsTime"), field))
        except DocumentInvalid as e:
            bad += e.violations
    if not statuses:
        bad.append(Violation("LogisticsStatus", "missing"))
    if bad:
        raise DocumentInvalid(bad)
    with uow.writing():
        me = (caller.tenant_id, caller.tenant_id)
        found = uow.repo.find_by_keys("waybill", me, sorted({no for no, _, _ in items}))
        missing = [
            Violation(f"{f}.logisticsNo", "not_found", {"kind": "waybill"})
            for no, _, f in items
            if no not in found
        ]
        if missing:
            raise DocumentInvalid(missing)
        pairs = []
        for no, when, _ in items:
            waybill_id = found[no].id
            short = TrackingEventIn(time=when, time_zone_offset="+08:00", milestone="delivered")
            pairs.append((short_to_jsonld(short, waybill_id), waybill_id))
        result, _ = _store(uow, caller, _normalised(pairs, "LogisticsStatus"))
        uow.commit()
    return result
