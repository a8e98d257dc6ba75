"""Tracking events as GS1 EPCIS 2.0 events: the typed subset cbec stores (ObjectEvent and
AggregationEvent with what, when, where, why and sensor readings) and its JSON-LD form.

EPCIS 2.0 (GS1, 2022) §7.4 defines the events; §10 and the EPCIS 2.0 JSON Schema their JSON
form, whose ``@context`` (https://ref.gs1.org/standards/epcis/epcis-context.jsonld) lets
standard vocabulary be written by bare name (``"bizStep": "shipping"``). cbec writes bare
names and reads bare names, CBV web URIs and CBV 1.x URNs (EPCIS 2.0 §7.3, §10.2). Terms are
checked against CBV 2.0 (:mod:`cbec.logistics.cbv`), GS1 keys by check digit
(:mod:`cbec.logistics.gs1_uri`).

Times are stored in UTC at millisecond precision — the precision of the event hash ID
(CBV 2.0 §8.9), rounded half up as it rounds — and the offset the event happened in is kept
in ``event_time_zone_offset`` as EPCIS requires. Quantities and readings are Decimals of at
most 15 significant digits and 6 decimal places; JSON-LD carries them as JSON numbers (the
schema's ``decimal`` is a JSON number), integral values as integers, so each one survives an
IEEE double and reads back as the same Decimal.

Errors are :class:`cbec.errors.DocumentInvalid` with one :class:`~cbec.errors.Violation` per
broken rule, naming the field: ``epc_list[0]`` when built from fields, ``epcList[0]`` when
read from JSON-LD.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from cbec.errors import DocumentInvalid, Violation, path_of
from cbec.logistics import cbv, gs1_uri
from cbec.logistics.epcis_read import read_event

CONTEXT = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld"
EventType = Literal["ObjectEvent", "AggregationEvent"]
Action = Literal["ADD", "OBSERVE", "DELETE"]


def _utc_ms(t: datetime) -> datetime:
    """UTC, rounded half up to the millisecond (CBV 2.0 §8.9 hashes milliseconds)."""
    t = t.astimezone(UTC)
    return t.replace(microsecond=0) + timedelta(milliseconds=(t.microsecond + 500) // 1000)


def _decimal(d: Decimal) -> Decimal:
    if not d.is_finite():
        raise PydanticCustomError("finite_number", "must be a finite number")
    shape = d.normalize().as_tuple()
    if len(shape.digits) > 15 or int(shape.exponent) < -6:
        raise PydanticCustomError("epcis_decimal", "has too many digits")
    return d


def _term(vocabulary: frozenset[str], name: str) -> Any:
    def check(value: str) -> str:
        if value not in vocabulary:
            raise PydanticCustomError(
                "epcis_vocabulary", "is not a {vocabulary} term", {"vocabulary": name}
            )
        return value

    return AfterValidator(check)


def _uri(role: gs1_uri.Role) -> Any:
    def check(value: str) -> str:
        gs1_uri.parse(value, role)
        return value

    return AfterValidator(check)


def _measurement(value: str) -> str:
    if not value.startswith("gs1:") or value[4:] not in cbv.MEASUREMENT_TYPES:
        raise PydanticCustomError(
            "epcis_vocabulary", "is not a {vocabulary} term", {"vocabulary": "gs1:MeasurementType"}
        )
    return value


Amount = Annotated[Decimal, AfterValidator(_decimal)]
Time = Annotated[AwareDatetime, AfterValidator(_utc_ms)]
ObjectURI = Annotated[str, _uri("object")]
ClassURI = Annotated[str, _uri("class")]
PlaceURI = Annotated[str, _uri("place")]
OtherURI = Annotated[str, _uri("other")]
UOM = Annotated[str, Field(pattern=r"^[A-Z0-9]{2,3}$")]  # UN/CEFACT Recommendation 20 code
Offset = Annotated[str, Field(pattern=r"^[+-](0\d|1[0-4]):[0-5]\d$")]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SensorReading(_Model):
    """One ``sensorReport`` (EPCIS 2.0 §7.3.7.4): a measurement type of the GS1 Web
    Vocabulary as a CURIE (``gs1:Temperature``, ``gs1:RelativeHumidity``; shock is
    ``gs1:Acceleration``), its value, and its UN/CEFACT Rec 20 unit (``CEL``, ``P1``, ``MSK``)."""

    type: Annotated[str, AfterValidator(_measurement)]
    value: Amount
    uom: UOM


class SensorElement(_Model):
    """One ``sensorElement``: the device and time of its ``sensorMetadata`` and its reports."""

    device_id: OtherURI | None = None
    time: Time | None = None
    readings: list[SensorReading] = Field(min_length=1)


class QuantityElement(_Model):
    """A quantity of a class of objects (EPCIS 2.0 §7.3.3.3), e.g. 12 cartons of a GTIN."""

    epc_class: ClassURI
    quantity: Annotated[Amount, Field(ge=0)]
    uom: UOM | None = None


class BizTransaction(_Model):
    """A business transaction the event belongs to: its CBV 2.0 type (``bol``, ``po``,
    ``inv`` …) and its identifier URI."""

    type: Annotated[str, _term(cbv.BIZ_TRANSACTION_TYPES, "CBV 2.0 business transaction type")]
    uri: OtherURI


class TrackEvent(_Model):
    """An EPCIS 2.0 ObjectEvent or AggregationEvent as cbec keeps it.

    Fields are declared so that each rule between fields is checked on the field it names,
    after the fields it depends on (Pydantic validates in declaration order)."""

    event_type: EventType
    event_time: Time
    event_time_zone_offset: Offset
    action: Action
    biz_step: Annotated[str, _term(cbv.BIZ_STEPS, "CBV 2.0 business step")] | None = None
    disposition: Annotated[str, _term(cbv.DISPOSITIONS, "CBV 2.0 disposition")] | None = None
    read_point: PlaceURI | None = None
    biz_location: PlaceURI | None = None
    biz_transaction_list: list[BizTransaction] = Field(default_factory=list)
    sensor_element_list: list[SensorElement] = Field(default_factory=list)
    quantity_list: list[QuantityElement] = Field(default_factory=list, validate_default=True)
    child_quantity_list: list[QuantityElement] = Field(default_factory=list, validate_default=True)
    child_epcs: list[ObjectURI] = Field(default_factory=list, validate_default=True)
    parent_id: ObjectURI | None = Field(default=None, validate_default=True)
    epc_list: list[ObjectURI] = Field(default_factory=list, validate_default=True)
    event_id: OtherURI | None = None

    @field_validator("child_epcs", "epc_list")
    @classmethod
    def _each_object_once(cls, value: list[str]) -> list[str]:
        seen: set[str] = set()
        for i, uri in enumerate(value):
            same = gs1_uri.canonical(uri)  # one object in two forms (URN, Digital Link) is one
            if same in seen:
                raise PydanticCustomError(
                    "epcis_duplicate", "names an object twice (item {index})", {"index": i}
                )
            seen.add(same)
        return value

    @field_validator("quantity_list", "epc_list")
    @classmethod
    def _object_event_only(cls, value: Any, info: ValidationInfo) -> Any:
        kind = info.data.get("event_type")
        if value and kind == "AggregationEvent":
            raise PydanticCustomError(
                "epcis_not_in_event", "is not a field of an {event_type}", {"event_type": kind}
            )
        if info.field_name == "epc_list" and kind == "ObjectEvent" and not value:
            sensed = info.data.get("sensor_element_list") and info.data.get("read_point")
            if not info.data.get("quantity_list") and not sensed:
                raise PydanticCustomError("epcis_what_missing", "names no objects")
        return value

    @field_validator("child_quantity_list", "child_epcs", "parent_id")
    @classmethod
    def _aggregation_only(cls, value: Any, info: ValidationInfo) -> Any:
        kind = info.data.get("event_type")
        if value and kind == "ObjectEvent":
            raise PydanticCustomError(
                "epcis_not_in_event", "is not a field of an {event_type}", {"event_type": kind}
            )
        action = info.data.get("action")
        childless = not value and not info.data.get("child_quantity_list")
        adds = kind == "AggregationEvent" and action in ("ADD", "OBSERVE")
        if info.field_name == "child_epcs" and adds and childless:
            raise PydanticCustomError("epcis_children_missing", "names no children")
        needs_parent = kind == "AggregationEvent" and action in ("ADD", "DELETE")
        if info.field_name == "parent_id" and value is None and needs_parent:
            raise PydanticCustomError("epcis_parent_required", "is required")
        return value


def make_event(**fields: Any) -> TrackEvent:
    """A :class:`TrackEvent` from its fields, or :class:`DocumentInvalid` naming each field
    that breaks a rule."""
    try:
        return TrackEvent(**fields)
    except ValidationError as exc:
        raise DocumentInvalid(_violations(exc, {})) from None


# --- JSON-LD ---------------------------------------------------------------------------

_JSON_NAMES = {
    "event_type": "type",
    "event_time": "eventTime",
    "event_time_zone_offset": "eventTimeZoneOffset",
    "biz_step": "bizStep",
    "read_point": "readPoint.id",
    "biz_location": "bizLocation.id",
    "biz_transaction_list": "bizTransactionList",
    "sensor_element_list": "sensorElementList",
    "quantity_list": "quantityList",
    "child_quantity_list": "childQuantityList",
    "child_epcs": "childEPCs",
    "parent_id": "parentID",
    "epc_list": "epcList",
    "event_id": "eventID",
    "epc_class": "epcClass",
    "device_id": "sensorMetadata.deviceID",
    "time": "sensorMetadata.time",
    "readings": "sensorReport",
    "uri": "bizTransaction",
}


def to_jsonld(event: TrackEvent) -> dict[str, Any]:
    """The EPCIS 2.0 JSON-LD form of ``event``, as it stands in an EPCISDocument's
    ``eventList`` (the document carries the ``@context``)."""
    out: dict[str, Any] = {"type": event.event_type}
    if event.event_id:
        out["eventID"] = event.event_id
    out["eventTime"] = _time(event.event_time)
    out["eventTimeZoneOffset"] = event.event_time_zone_offset
    if event.parent_id:
        out["parentID"] = event.parent_id
    for name in ("epc_list", "child_epcs"):
        if values := getattr(event, name):
            out[_JSON_NAMES[name]] = list(values)
    for name in ("quantity_list", "child_quantity_list"):
        if values := getattr(event, name):
            out[_JSON_NAMES[name]] = [_quantity(q) for q in values]
    out["action"] = event.action
    if event.biz_step:
        out["bizStep"] = event.biz_step
    if event.disposition:
        out["disposition"] = event.disposition
    if event.read_point:
        out["readPoint"] = {"id": event.read_point}
    if event.biz_location:
        out["bizLocation"] = {"id": event.biz_location}
    if event.biz_transaction_list:
        out["bizTransactionList"] = [
            {"type": t.type, "bizTransaction": t.uri} for t in event.biz_transaction_list
        ]
    if event.sensor_element_list:
        out["sensorElementList"] = [_sensor(s) for s in event.sensor_element_list]
    return out


def epcis_document(events: list[TrackEvent], created: datetime) -> dict[str, Any]:
    """An EPCISDocument (EPCIS 2.0 §9.3) holding ``events`` in order."""
    if created.tzinfo is None:
        raise DocumentInvalid([Violation("created", "timezone_aware")])
    return {
        "@context": CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": _time(_utc_ms(created)),
        "epcisBody": {"eventList": [to_jsonld(e) for e in events]},
    }


def from_jsonld(obj: Mapping[str, Any]) -> TrackEvent:
    """The :class:`TrackEvent` an EPCIS 2.0 JSON-LD event stands for. Accepts bare CBV
    names, CBV web URIs and CBV 1.x URNs; refuses, naming the field, what cbec does not keep
    (other event types, ``sourceList``, ILMD, extensions …) and what breaks a rule."""
    fields, problems = read_event(obj)
    if problems:
        raise DocumentInvalid(problems)
    try:
        return TrackEvent(**fields)
    except ValidationError as exc:
        raise DocumentInvalid(_violations(exc, _JSON_NAMES)) from None


def _time(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def _number(d: Decimal) -> int | float:
    """A JSON number for ``d`` (at most 15 significant digits, so the double is exact to
    the digit): an integer when ``d`` is whole."""
    return int(d) if d == d.to_integral_value() else float(d)


def _quantity(q: QuantityElement) -> dict[str, Any]:
    out: dict[str, Any] = {"epcClass": q.epc_class, "quantity": _number(q.quantity)}
    if q.uom:
        out["uom"] = q.uom
    return out


def _sensor(s: SensorElement) -> dict[str, Any]:
    out: dict[str, Any] = {}
    meta: dict[str, Any] = {}
    if s.time:
        meta["time"] = _time(s.time)
    if s.device_id:
        meta["deviceID"] = s.device_id
    if meta:
        out["sensorMetadata"] = meta
    out["sensorReport"] = [
        {"type": r.type, "value": _number(r.value), "uom": r.uom} for r in s.readings
    ]
    return out


def _violations(exc: ValidationError, names: Mapping[str, str]) -> list[Violation]:
    """Pydantic's errors as cbec violations, the path in the caller's field names."""
    out = []
    for err in exc.errors(include_url=False, include_input=False):
        loc = [names.get(p, p) if isinstance(p, str) else p for p in err["loc"]]
        loc = [p for p in loc if not (isinstance(p, str) and "[" in p)]  # union branch tags
        params = {k: str(v) for k, v in (err.get("ctx") or {}).items()}
        params.setdefault("error", err.get("msg", ""))
        out.append(Violation(path_of(loc), err["type"], params))
    return out
