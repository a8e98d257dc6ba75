"""The EPCIS event hash ID of CBV 2.0 §8.9: a name for an event that any party computes
alike from the event's content, whatever syntax (XML, JSON-LD) or vocabulary form carried it.

The pre-hash string (§8.9.2) is the event's fields in the canonical property order, each
``name=value`` without separators, each list's elements sorted by their code points, with
values normalised: times in UTC at millisecond precision with ``Z``; numbers without
leading or trailing zeros, in plain decimal notation; CBV terms as web URIs
(``https://ref.gs1.org/cbv/BizStep-shipping``); ``gs1:`` CURIEs expanded
(``https://gs1.org/voc/Temperature``); GS1 keys as constrained canonical GS1 Digital Link
URIs on id.gs1.org (EPC URNs converted); ``eventID`` and ``recordTime`` left out. The ID is
``ni:///sha-256;<hex>?ver=CBV2.0`` (RFC 6920).

The order, for the fields cbec's events have: eventType, eventTime, eventTimeZoneOffset,
epcList, parentID, childEPCs, quantityList, childQuantityList, action, bizStep,
disposition, readPoint, bizLocation, bizTransactionList, sensorElementList. Within a
``bizTransaction`` the identifier comes first and its ``type`` follows (§8.9.2 rule 13);
a ``sensorElement`` is its ``sensorMetadata`` (time, deviceID) then its sorted
``sensorReport`` s (type, value, uom). cbec emits no user extensions or ILMD, so the
extension rules have nothing to add.

Where GS1's reference implementation (epcis-event-hash-generator 1.9) departs from this text,
cbec follows the text: the reference puts ``bizTransactionList`` after every ordered field
and writes ``type`` before the identifier (so its elements sort by type); it writes
numbers below 10⁻⁴ in exponent notation (``5e-05``); and it rounds milliseconds half to
even. ``tests/logistics/test_epcis.py`` compares the two on everything else and shows each
departure.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from cbec.logistics import cbv
from cbec.logistics.epcis import QuantityElement, SensorElement, TrackEvent, from_jsonld
from cbec.logistics.gs1_uri import canonical


def event_hash(jsonld_event: Mapping[str, Any]) -> str:
    """The CBV 2.0 §8.9 event hash ID (SHA-256) of an EPCIS 2.0 JSON-LD event cbec reads
    (:func:`cbec.logistics.epcis.from_jsonld`; refused as it refuses)."""
    digest = hashlib.sha256(pre_hash(jsonld_event).encode("utf-8")).hexdigest()
    return f"ni:///sha-256;{digest}?ver=CBV2.0"


def pre_hash(jsonld_event: Mapping[str, Any]) -> str:
    """The canonical pre-hash string of CBV 2.0 §8.9.2 for ``jsonld_event``."""
    return pre_hash_of(from_jsonld(jsonld_event))


def pre_hash_of(e: TrackEvent) -> str:
    """The pre-hash string of an event already read."""
    out = [f"eventType={e.event_type}", f"eventTime={_time(e.event_time)}"]
    out.append(f"eventTimeZoneOffset={e.event_time_zone_offset}")
    out.append(_list("epcList", [f"epc={canonical(u)}" for u in e.epc_list]))
    if e.parent_id:
        out.append(f"parentID={canonical(e.parent_id)}")
    out.append(_list("childEPCs", [f"epc={canonical(u)}" for u in e.child_epcs]))
    out.append(_list("quantityList", [_quantity(q) for q in e.quantity_list]))
    out.append(_list("childQuantityList", [_quantity(q) for q in e.child_quantity_list]))
    out.append(f"action={e.action}")
    if e.biz_step:
        out.append(f"bizStep={cbv.BIZ_STEP_URI}{e.biz_step}")
    if e.disposition:
        out.append(f"disposition={cbv.DISPOSITION_URI}{e.disposition}")
    if e.read_point:
        out.append(f"readPointid={canonical(e.read_point)}")
    if e.biz_location:
        out.append(f"bizLocationid={canonical(e.biz_location)}")
    transactions = [
        f"bizTransaction={canonical(t.uri)}type={cbv.BTT_URI}{t.type}"
        for t in e.biz_transaction_list
    ]
    out.append(_list("bizTransactionList", transactions))
    out.append(_list("sensorElementList", [_sensor(s) for s in e.sensor_element_list]))
    return "".join(out)


def _list(name: str, elements: list[str]) -> str:
    """A list's name once, then its elements in code-point order; nothing when empty."""
    return name + "".join(sorted(elements)) if elements else ""


def _time(t: Any) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def number(d: Decimal) -> str:
    """A decimal as §8.9.2 rule 6 writes it: no leading or trailing zeros, no exponent."""
    if d == 0:
        return "0"
    return format(d.normalize(), "f")


def _quantity(q: QuantityElement) -> str:
    text = f"quantityElementepcClass={canonical(q.epc_class)}quantity={number(q.quantity)}"
    return text + (f"uom={q.uom}" if q.uom else "")


def _sensor(s: SensorElement) -> str:
    meta = ""
    if s.time:
        meta += f"time={_time(s.time)}"
    if s.device_id:
        meta += f"deviceID={canonical(s.device_id)}"
    reports = sorted(
        f"sensorReporttype={cbv.GS1_VOC}{r.type[4:]}value={number(r.value)}uom={r.uom}"
        for r in s.readings
    )
    return "sensorElement" + (f"sensorMetadata{meta}" if meta else "") + "".join(reports)
