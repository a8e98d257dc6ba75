"""Typed requests and answers of tracking and traceability (:mod:`cbec.services.tracking`,
:mod:`cbec.services.tracking_views`): events in, a shipment's timeline and alerts out, and a
product's verifiable path from supplier batch to buyer."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from cbec.trade.types import UtcDateTime
from cbec.trade.waybill import EventStatus

Measurement = Literal["temperature", "humidity", "shock"]


class SensorReadingIn(BaseModel):
    """One sensor reading (EPCIS 2.0 sensorReport): temperature in °C, relative humidity in
    %, shock (acceleration) in g — or the CBV type and UN/CEFACT unit given in full."""

    model_config = ConfigDict(extra="forbid")

    measurement: Measurement | str = Field(
        min_length=3,
        max_length=64,
        description="temperature, humidity, shock, or a CBV 2.0 type such as gs1:Temperature",
        examples=["temperature"],
    )
    value: Decimal = Field(ge=-100000, le=100000, max_digits=12, decimal_places=4)
    uom: str | None = Field(
        default=None,
        min_length=1,
        max_length=8,
        description="UN/CEFACT Rec. 20 code (CEL, P1, K86…); by default that of the measurement",
    )
    time: UtcDateTime | None = Field(default=None, description="When read (the event's time)")


class BatchIn(BaseModel):
    """A quantity of one product lot (GS1 LGTIN: GTIN + batch/lot), as EPCIS quantityList."""

    model_config = ConfigDict(extra="forbid")

    gtin: str = Field(pattern=r"^\d{8}$|^\d{12,14}$", examples=["06901234567892"])
    lot: str = Field(min_length=1, max_length=20, examples=["L2026-11"])
    quantity: Decimal = Field(gt=0, max_digits=12, decimal_places=3)
    uom: str | None = Field(default=None, min_length=1, max_length=8)


class TrackingEventIn(BaseModel):
    """A tracking event in cbec's short form; stored as the EPCIS 2.0 event it stands for.
    A carrier milestone (``milestone``) gives its CBV business step and disposition; a
    ``parent`` with ``batches`` or ``epcs`` is an aggregation (packing lots into a parcel)."""

    model_config = ConfigDict(extra="forbid")

    time: UtcDateTime
    time_zone_offset: str = Field(
        default="+00:00", pattern=r"^[+-](0\d|1[0-4]):[0-5]\d$", examples=["+08:00"]
    )
    milestone: EventStatus | None = None
    biz_step: str | None = Field(
        default=None, max_length=64, description="CBV 2.0 business step (short name)"
    )
    disposition: str | None = Field(default=None, max_length=64)
    location: str | None = Field(
        default=None,
        max_length=200,
        description="A network place id (GET /logistics/locations) or a location URI (SGLN)",
        examples=["CNSHA"],
    )
    epcs: list[str] = Field(
        default_factory=list,
        max_length=100,
        description="Instance identifiers (SSCC, SGTIN) as URIs",
    )
    batches: list[BatchIn] = Field(default_factory=list, max_length=100)
    parent: str | None = Field(
        default=None, max_length=200, description="The parcel or pallet packed (SSCC URI)"
    )
    readings: list[SensorReadingIn] = Field(default_factory=list, max_length=100)
    waybill_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=32,
        description="The waybill this event is about, when not the request's (a carrier's feed)",
    )


class TrackingEventsRequest(BaseModel):
    """Events to record, in cbec's short form (``events``) or as an EPCIS 2.0 document in
    JSON-LD (``epcis``), about one waybill (``waybill_id``) or none (a supplier's batch)."""

    model_config = ConfigDict(extra="forbid")

    waybill_id: str | None = Field(
        default=None, min_length=1, max_length=32, description="A waybill you may read"
    )
    events: list[TrackingEventIn] = Field(default_factory=list, max_length=10000)
    epcis: dict[str, Any] | None = Field(
        default=None, description="An EPCISDocument (EPCIS 2.0 JSON-LD), up to 10,000 events"
    )


class RecordedEvents(BaseModel):
    recorded: int = Field(description="Events written now")
    already_held: int = Field(description="Events you had recorded before (same event ID)")
    event_ids: list[str] = Field(description="EPCIS event hash IDs (CBV 2.0 §8.9), in order")


class ReadingOut(BaseModel):
    measurement: str
    value: Decimal
    uom: str | None


class TrackedEvent(BaseModel):
    """One event on a timeline: what it says and where it is in the evidence ledger."""

    event_id: str
    event_type: str
    event_time: datetime
    time_zone_offset: str
    recorded_at: datetime
    milestone: str | None
    biz_step: str | None
    disposition: str | None
    location: str | None
    location_name: str | None = None
    lat: float | None = None
    lon: float | None = None
    readings: list[ReadingOut] = []
    ledger_index: int | None
    epcis: dict[str, Any] = Field(description="The EPCIS 2.0 JSON-LD event as logged")


class AlertOut(BaseModel):
    rule: Literal["delay", "no_scan", "sensor"]
    severity: Literal["warning", "critical"]
    at: datetime
    reason: str
    params: dict[str, Any]
    source: str


class PlannedLegOut(BaseModel):
    origin: str | None
    destination: str | None
    mode: str
    transit_p50_days: float | None
    transit_p90_days: float | None
    origin_lat: float | None = None
    origin_lon: float | None = None
    destination_lat: float | None = None
    destination_lon: float | None = None


class ShipmentTrack(BaseModel):
    """A waybill's timeline, its planned legs and the alerts as of a moment."""

    waybill_id: str
    waybill_no: str
    as_of: datetime
    events: list[TrackedEvent]
    legs: list[PlannedLegOut]
    alerts: list[AlertOut]
    storage_classes: list[str] = Field(
        description="The goods' storage classes whose sensor limits were checked"
    )
    notes: list[str] = []


class TraceEvidence(BaseModel):
    event_id: str
    ledger_index: int
    bundle: str = Field(description="c2sp.org/tlog-proof bundle; cbec-verify checks it offline")


class Trace(BaseModel):
    """The verified history of an order or a batch: every event on its path the caller may
    read, as an EPCIS 2.0 document, with each event's ledger bundle — ``cbec-verify --trace``
    checks the whole file offline with the log's public key."""

    query: dict[str, str]
    epcis: dict[str, Any]
    evidence: list[TraceEvidence]
    waybills: list[str]
    batches: list[str]
    parcels: list[str]


class AlertSweep(BaseModel):
    """What one alert sweep (:func:`cbec.services.tracking_sweep.sweep_alerts`) did: as of
    ``at``, the waybills it looked at — those with a tracking event in the last
    ``window_days``, not delivered — for the tenants subscribed to ``tracking.alert_raised``,
    the alerts standing on them as each subscriber may read them, and the events it wrote
    into the webhooks' outbox (alerts not announced to that tenant before)."""

    at: datetime
    window_days: int
    subscribers: int = 0
    waybills: int = Field(default=0, description="waybills looked at")
    alerts: int = Field(default=0, description="alerts standing, one per subscriber told of it")
    emitted: int = Field(default=0, description="tracking.alert_raised events written")
