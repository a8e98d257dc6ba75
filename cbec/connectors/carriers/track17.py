"""17TRACK's Tracking API v2 webhook payload, event ``TRACKING_UPDATED``: the whole track of
one tracking number as 17TRACK normalises the carriers it follows.

Fields (17TRACK Tracking API v2.2 documentation, "Webhook" and "Status" sections:
https://asset.17track.net/api/document/v2.2_en/index.html):

- ``event``: ``TRACKING_UPDATED`` (``TRACKING_STOPPED`` carries no events and is refused);
- ``data.number``: the tracking number — cbec's ``waybill_no``;
- ``data.track_info.tracking.providers[].events[]``: each carrier's scans, newest first,
  with ``time_iso`` (local time with its UTC offset; the short form's ``time`` and
  ``time_zone_offset``), ``time_utc`` (used when ``time_iso`` is null), ``location``
  (free text), ``stage`` (a key stage, often null) and ``sub_status``; a payload that
  carries only ``data.track_info.latest_event`` (the same fields) gives that one scan.

An event's milestone is read from its ``sub_status`` (:data:`SUB_STATUS`), else from its
``stage`` (:data:`STAGE`); an event with neither, or with a value the tables do not hold
(``NotFound_*``: no event at all), is refused naming the value.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from cbec.connectors.carriers.core import CarrierEvent, Collector, number_of, place, read_time

NAME = "17track"
EVENT = "TRACKING_UPDATED"

# 17TRACK sub-status -> cbec milestone
SUB_STATUS: dict[str, str] = {
    "InfoReceived": "info_received",
    "InTransit_PickedUp": "picked_up",
    "InTransit_Departure": "in_transit",  # left the origin country's port
    "InTransit_Arrival": "in_transit",  # reached the destination country's port
    "InTransit_Other": "in_transit",
    "InTransit_CustomsProcessing": "customs_declared",
    "InTransit_CustomsReleased": "customs_released",
    "InTransit_CustomsRequiringInformation": "customs_held",  # customs wants documents
    "AvailableForPickup_Other": "out_for_delivery",  # last mile: waits at a pickup point
    "OutForDelivery_Other": "out_for_delivery",
    "DeliveryFailure_Other": "failed_attempt",
    "DeliveryFailure_NoBody": "failed_attempt",
    "DeliveryFailure_Security": "failed_attempt",
    "DeliveryFailure_Rejected": "failed_attempt",
    "DeliveryFailure_InvalidAddress": "failed_attempt",
    "Delivered_Other": "delivered",
    "Exception_Returned": "returned",  # the sender received it back
    "Exception_Returning": "exception",  # on its way back: not yet returned
    "Exception_Other": "exception",
    "Exception_NoBody": "exception",
    "Exception_Security": "exception",
    "Exception_Damage": "exception",
    "Exception_Rejected": "exception",
    "Exception_Delayed": "exception",
    "Exception_Lost": "exception",
    "Exception_Destroyed": "exception",
    "Exception_Cancel": "exception",
    "Expired_Other": "exception",  # no news for too long: the parcel's state is unknown
}

# 17TRACK key stage -> cbec milestone (when an event has no sub_status)
STAGE: dict[str, str] = {
    "InfoReceived": "info_received",
    "PickedUp": "picked_up",
    "Departure": "in_transit",
    "Arrival": "in_transit",
    "AvailableForPickup": "out_for_delivery",
    "OutForDelivery": "out_for_delivery",
    "Delivered": "delivered",
    "Returning": "exception",
    "Returned": "returned",
}


def is_payload(doc: Any) -> bool:
    return isinstance(doc, dict) and (
        doc.get("event") == EVENT or isinstance((doc.get("data") or {}).get("track_info"), dict)
    )


def read(doc: Any, prefix: str, zone: ZoneInfo | None, bad: Collector) -> list[CarrierEvent]:
    """The events of one payload (``prefix`` names it in a file of several)."""
    if not isinstance(doc, dict):
        bad.add(prefix or "(document)", "dict_type")
        return []
    if doc.get("event") != EVENT:
        bad.add(f"{prefix}event", "carrier_payload_event", {"value": str(doc.get("event"))[:40]})
        return []
    data = doc.get("data") if isinstance(doc.get("data"), dict) else {}
    number = number_of(data.get("number"), f"{prefix}data.number", bad)
    info = data.get("track_info") if isinstance(data.get("track_info"), dict) else {}
    tracking = info.get("tracking")
    providers = tracking.get("providers") if isinstance(tracking, dict) else None
    if not isinstance(providers, list):
        if isinstance(info.get("latest_event"), dict):  # a payload trimmed to its last scan
            where = f"{prefix}data.track_info.latest_event"
            return _events([(where, info["latest_event"])], number, prefix, zone, bad)
        bad.add(f"{prefix}data.track_info.tracking.providers", "missing")
        return []
    found = []
    for pi, provider in enumerate(providers):
        events = provider.get("events") if isinstance(provider, dict) else None
        if not isinstance(events, list):
            bad.add(f"{prefix}data.track_info.tracking.providers[{pi}].events", "missing")
            continue
        path = f"{prefix}data.track_info.tracking.providers[{pi}].events"
        found += [(f"{path}[{ei}]", event) for ei, event in enumerate(events)]
    return _events(found, number, prefix, zone, bad)


def _events(
    found: list[tuple[str, Any]],
    number: str | None,
    prefix: str,
    zone: ZoneInfo | None,
    bad: Collector,
) -> list[CarrierEvent]:
    out = []
    for where, event in found:
        read = _event(event, where, zone, bad)
        if read is not None and number is not None:
            when, milestone = read
            out.append(
                CarrierEvent(
                    number=number,
                    where=where,
                    number_field=f"{prefix}data.number",
                    time=when[0],
                    time_zone_offset=when[1],
                    milestone=milestone,
                    location=place(event.get("location")),
                )
            )
    return out


def _event(event: Any, where: str, zone: ZoneInfo | None, bad: Collector):
    if not isinstance(event, dict):
        bad.add(where, "dict_type")
        return None
    sub, stage = event.get("sub_status"), event.get("stage")
    if sub:
        milestone = SUB_STATUS.get(str(sub))
        if milestone is None:
            bad.add(f"{where}.sub_status", "carrier_status_unknown", {"value": str(sub)[:40]})
    elif stage:
        milestone = STAGE.get(str(stage))
        if milestone is None:
            bad.add(f"{where}.stage", "carrier_status_unknown", {"value": str(stage)[:40]})
    else:
        milestone = None
        bad.add(f"{where}.sub_status", "missing")
    if event.get("time_iso"):
        when = read_time(event["time_iso"], f"{where}.time_iso", bad, zone)
    else:
        # UTC by its name, whether or not it ends in Z
        when = read_time(event.get("time_utc"), f"{where}.time_utc", bad, None, "+00:00")
    if when is None or milestone is None:
        return None
    return when, milestone
