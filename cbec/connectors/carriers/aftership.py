"""AfterShip's tracking webhook payload (event ``tracking_update``): one tracking with its
checkpoints, each tagged with AfterShip's delivery status and sub-status.

Fields (AfterShip Tracking API, "Webhook specifications" and the Checkpoint model:
https://www.aftership.com/docs/tracking/2025-01/webhook/webhook-specifications,
https://www.aftership.com/docs/tracking/model/checkpoint; the tags and sub-tags from
https://www.aftership.com/docs/tracking/enum/delivery_sub_statuses):

- ``msg.tracking_number``: the tracking number — cbec's ``waybill_no``;
- ``msg.checkpoints[]``: the scans, oldest first, with ``checkpoint_time`` (the carrier's
  local time, with its UTC offset when the carrier gives one — AfterShip documents times
  without it: they need the file's time zone), ``tag`` and ``subtag``, ``location`` (free
  text), ``city`` and ``country_iso3`` (``country_region`` in later API versions), used for
  the place when ``location`` is empty.

A checkpoint's milestone is read from its ``subtag`` where :data:`SUBTAG` names it, else
from its ``tag`` (:data:`TAG`). ``Pending`` (no checkpoint yet) and any tag the table does not
hold are refused naming the value.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from cbec.connectors.carriers.core import CarrierEvent, Collector, number_of, place, read_time

NAME = "aftership"

# AfterShip tag -> cbec milestone
TAG: dict[str, str] = {
    "InfoReceived": "info_received",
    "InTransit": "in_transit",
    "OutForDelivery": "out_for_delivery",
    "AvailableForPickup": "out_for_delivery",  # last mile: waits at a pickup point
    "AttemptFail": "failed_attempt",
    "Delivered": "delivered",
    "Exception": "exception",
    "Expired": "exception",  # no news for 30 days: the parcel's state is unknown
}

# AfterShip sub-tags that say more than their tag -> cbec milestone
SUBTAG: dict[str, str] = {
    "InTransit_002": "picked_up",  # acceptance scan: the carrier took the parcel
    "InTransit_005": "customs_released",  # customs clearance completed
    "InTransit_006": "customs_declared",  # handed over to customs for clearance
    "Exception_010": "returned",  # returned to the original sender
    "Exception_011": "returned",  # returned to the sender
}


def is_payload(doc: Any) -> bool:
    return isinstance(doc, dict) and isinstance(doc.get("msg"), dict)


def read(doc: Any, prefix: str, zone: ZoneInfo | None, bad: Collector) -> list[CarrierEvent]:
    """The checkpoints of one payload (``prefix`` names it in a file of several)."""
    msg = doc.get("msg") if isinstance(doc, dict) else None
    if not isinstance(msg, dict):
        bad.add(f"{prefix}msg", "missing")
        return []
    number = number_of(msg.get("tracking_number"), f"{prefix}msg.tracking_number", bad)
    checkpoints = msg.get("checkpoints")
    if not isinstance(checkpoints, list):
        bad.add(f"{prefix}msg.checkpoints", "missing")
        return []
    out = []
    for i, cp in enumerate(checkpoints):
        where = f"{prefix}msg.checkpoints[{i}]"
        if not isinstance(cp, dict):
            bad.add(where, "dict_type")
            continue
        milestone = _milestone(cp, where, bad)
        when = read_time(cp.get("checkpoint_time"), f"{where}.checkpoint_time", bad, zone)
        if when is None or milestone is None or number is None:
            continue
        out.append(
            CarrierEvent(
                number=number,
                where=where,
                number_field=f"{prefix}msg.tracking_number",
                time=when[0],
                time_zone_offset=when[1],
                milestone=milestone,
                location=place(_location(cp)),
            )
        )
    return out


def _milestone(cp: dict[str, Any], where: str, bad: Collector) -> str | None:
    sub, tag = cp.get("subtag"), cp.get("tag")
    if sub and str(sub) in SUBTAG:
        return SUBTAG[str(sub)]
    if not tag:
        bad.add(f"{where}.tag", "missing")
        return None
    milestone = TAG.get(str(tag))
    if milestone is None:
        bad.add(f"{where}.tag", "carrier_status_unknown", {"value": str(tag)[:40]})
    return milestone


def _location(cp: dict[str, Any]) -> str | None:
    if isinstance(cp.get("location"), str) and cp["location"].strip():
        return cp["location"]
    country = cp.get("country_iso3") or cp.get("country_region")
    parts = [p for p in (cp.get("city"), country) if isinstance(p, str) and p.strip()]
    return ", ".join(parts) or None
