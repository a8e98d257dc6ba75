"""Reading an EPCIS 2.0 JSON-LD event into the fields of :class:`~cbec.logistics.epcis.TrackEvent`.

The JSON-LD of EPCIS 2.0 §10 may write a CBV term by its bare name (``shipping``), its web URI
(``https://ref.gs1.org/cbv/BizStep-shipping``) or, carried over from EPCIS 1.x, its URN
(``urn:epcglobal:cbv:bizstep:shipping``); a sensor measurement type by its bare name, its
CURIE (``gs1:Temperature``) or its URI (``https://gs1.org/voc/Temperature``). This module
brings each to the one form cbec keeps (bare CBV names, ``gs1:`` CURIEs) and lists, naming
the JSON field, every member cbec does not keep. The values themselves are then checked by
the model.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from cbec.errors import Violation
from cbec.logistics import cbv

# JSON member -> model field, per event type; '@context' and 'recordTime' (set by the
# repository that captured the event, EPCIS 2.0 §7.4.1) are read past.
_COMMON = {
    "type": "event_type",
    "eventID": "event_id",
    "eventTime": "event_time",
    "eventTimeZoneOffset": "event_time_zone_offset",
    "action": "action",
    "bizStep": "biz_step",
    "disposition": "disposition",
    "readPoint": "read_point",
    "bizLocation": "biz_location",
    "bizTransactionList": "biz_transaction_list",
    "sensorElementList": "sensor_element_list",
}
_MEMBERS = {
    "ObjectEvent": {**_COMMON, "epcList": "epc_list", "quantityList": "quantity_list"},
    "AggregationEvent": {
        **_COMMON,
        "parentID": "parent_id",
        "childEPCs": "child_epcs",
        "childQuantityList": "child_quantity_list",
    },
}
_SKIPPED = {"@context", "recordTime"}


def read_event(obj: Mapping[str, Any]) -> tuple[dict[str, Any], list[Violation]]:
    """The model fields of the JSON-LD event ``obj`` and the violations found reading it."""
    problems: list[Violation] = []
    if not isinstance(obj, Mapping):
        return {}, [Violation("(document)", "model_type")]
    kind = obj.get("type")
    if kind not in _MEMBERS:
        return {}, [Violation("type", "epcis_unsupported")]
    members = _MEMBERS[kind]
    fields: dict[str, Any] = {}
    for key, value in obj.items():
        if key in _SKIPPED:
            continue
        if key not in members:
            problems.append(Violation(key, "epcis_unsupported"))
            continue
        fields[members[key]] = value
    for name, web, urn in (
        ("biz_step", cbv.BIZ_STEP_URI, cbv.BIZ_STEP_URN),
        ("disposition", cbv.DISPOSITION_URI, cbv.DISPOSITION_URN),
    ):
        fields[name] = _bare(fields.get(name), web, urn)
    for name, key in (("read_point", "readPoint"), ("biz_location", "bizLocation")):
        if name in fields:
            fields[name] = _id(fields[name], key, problems)
    if isinstance(fields.get("biz_transaction_list"), list):
        fields["biz_transaction_list"] = [
            _transaction(t, f"bizTransactionList[{i}]", problems)
            for i, t in enumerate(fields["biz_transaction_list"])
        ]
    for name, key in (
        ("quantity_list", "quantityList"),
        ("child_quantity_list", "childQuantityList"),
    ):
        if isinstance(fields.get(name), list):
            fields[name] = [
                _quantity(q, f"{key}[{i}]", problems) for i, q in enumerate(fields[name])
            ]
    if isinstance(fields.get("sensor_element_list"), list):
        fields["sensor_element_list"] = [
            _sensor(s, f"sensorElementList[{i}]", problems)
            for i, s in enumerate(fields["sensor_element_list"])
        ]
    return fields, problems


def _bare(term: Any, web: str, urn: str) -> Any:
    if isinstance(term, str):
        for prefix in (web, urn):
            if term.startswith(prefix):
                return term[len(prefix) :]
    return term


def _members(obj: Any, allowed: dict[str, str], at: str, problems: list[Violation]) -> Any:
    """``obj``'s members renamed to model fields; an unknown member is a violation."""
    if not isinstance(obj, Mapping):
        return obj  # the model names the wrong type
    out = {}
    for key, value in obj.items():
        if key in allowed:
            out[allowed[key]] = value
        else:
            problems.append(Violation(f"{at}.{key}", "epcis_unsupported"))
    return out


def _id(obj: Any, at: str, problems: list[Violation]) -> Any:
    found = _members(obj, {"id": "id"}, at, problems)
    return found.get("id") if isinstance(found, dict) else found


def _number(value: Any) -> Any:
    """A JSON number as the Decimal it writes (a float by its shortest repr)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return value


def _transaction(obj: Any, at: str, problems: list[Violation]) -> Any:
    found = _members(obj, {"type": "type", "bizTransaction": "uri"}, at, problems)
    if isinstance(found, dict):
        found["type"] = _bare(found.get("type"), cbv.BTT_URI, cbv.BTT_URN)
        if found["type"] is None:
            del found["type"]
    return found


def _quantity(obj: Any, at: str, problems: list[Violation]) -> Any:
    names = {"epcClass": "epc_class", "quantity": "quantity", "uom": "uom"}
    found = _members(obj, names, at, problems)
    if isinstance(found, dict) and "quantity" in found:
        found["quantity"] = _number(found["quantity"])
    return found


def _sensor(obj: Any, at: str, problems: list[Violation]) -> Any:
    found = _members(obj, {"sensorMetadata": "meta", "sensorReport": "readings"}, at, problems)
    if not isinstance(found, dict):
        return found
    meta = _members(
        found.pop("meta", {}),
        {"time": "time", "deviceID": "device_id"},
        f"{at}.sensorMetadata",
        problems,
    )
    if isinstance(meta, dict):
        found.update(meta)
    if isinstance(found.get("readings"), list):
        found["readings"] = [
            _reading(r, f"{at}.sensorReport[{j}]", problems)
            for j, r in enumerate(found["readings"])
        ]
    return found


def _reading(obj: Any, at: str, problems: list[Violation]) -> Any:
    found = _members(obj, {"type": "type", "value": "value", "uom": "uom"}, at, problems)
    if not isinstance(found, dict):
        return found
    kind = found.get("type")
    if isinstance(kind, str):
        if kind.startswith(cbv.GS1_VOC):
            kind = "gs1:" + kind[len(cbv.GS1_VOC) :]
        elif ":" not in kind:
            kind = "gs1:" + kind
        found["type"] = kind
    if "value" in found:
        found["value"] = _number(found["value"])
    return found
