"""The waybill (运单) with its tracking events: who carries the parcel, to whom, what happened.

Mirrors CEB511 ``LogisticsHead`` plus a tracking history. ``platform`` and ``order_no`` tie the
waybill to its order (order numbers are unique per platform and seller, not globally; a number
two sellers have filed on one platform ties the waybill to neither seller's order). Event
status codes follow the common carrier-neutral milestones of tracking aggregators.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from cbec.errors import Violation
from cbec.trade import lenient
from cbec.trade.parties import Consignee, check_phone
from cbec.trade.types import (
    CountryCode,
    CurrencyCode,
    Document,
    Key,
    Money,
    Text,
    UtcDateTime,
    Weight,
)

EventStatus = Literal[
    "info_received",
    "picked_up",
    "in_transit",
    "customs_declared",
    "customs_released",
    "customs_held",
    "out_for_delivery",
    "delivered",
    "failed_attempt",
    "exception",
    "returned",
]


class TrackingEvent(Document):
    time: UtcDateTime
    place: Text(200)
    status: EventStatus
    note: Text(500) | None = None


TransportMode = Literal["sea", "feeder", "air", "rail", "road", "van", "drone", "ferry"]


class TransportLeg(Document):
    """One leg the parcel travels, for its emissions (ISO 14083 transport chain element): a
    leg of the logistics network by id (``GET /logistics/locations`` names its places), or a
    leg described by mode and vehicle class with its distance or its two places."""

    leg: Text(64) | None = None
    mode: TransportMode | None = None
    vehicle: Text(32) | None = None
    carrier: Text(64) | None = None
    distance_km: (
        Annotated[Decimal, Field(gt=0, le=40000, max_digits=9, decimal_places=3)] | None
    ) = None
    origin: Text(32) | None = None
    destination: Text(32) | None = None


class Waybill(Document):
    logistics_firm: Text(64) | None = None
    waybill_no: Key(60)
    order_no: Key(100)
    platform: Text(64)
    destination_country: CountryCode
    consignee: Consignee
    currency: CurrencyCode
    freight: Money
    insured_fee: Money
    gross_weight_kg: Weight
    packages: Annotated[int, Field(ge=1, le=9999)]
    events: Annotated[list[TrackingEvent], Field(max_length=500)] = []
    # the legs it travels, for its CO2e (cbec.services.logistics_waybills); optional
    route: Annotated[list[TransportLeg], Field(min_length=1, max_length=20)] | None = None


def _consignee_phone(waybill: Waybill) -> list[Violation]:
    return check_phone(waybill.consignee.phone, waybill.destination_country, "consignee.phone")


def _events_order(waybill: Waybill) -> list[Violation]:
    events = waybill.events

    def in_order(i: int, event: TrackingEvent) -> list[Violation]:
        if i and event.time < events[i - 1].time:
            return [Violation(f"events[{i}].time", "events_order")]
        return []

    return lenient.each(events, (in_order,))


RULES = (_consignee_phone, _events_order)


def check(waybill: Waybill) -> list[Violation]:
    """Business rules across fields (:mod:`cbec.trade.lenient`)."""
    return lenient.run(RULES, waybill)
