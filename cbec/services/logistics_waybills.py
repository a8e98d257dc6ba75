"""Use cases of waybills' emissions: a waybill's CO2e over the route it names, and a
caller's monthly report by month and lane (ISO 14083, :mod:`cbec.services.logistics`).

A waybill names its route in ``route`` (network legs, or legs by mode and vehicle); its mass
is its gross weight; the factors are those in force on its first tracking event's day (else
the day it was filed). Only waybills the caller may read are counted, as every list of
documents reads them (:func:`cbec.store.visibility.visible`); one without a route counts
in the month's waybills but adds no CO2e, and the report says how many named theirs."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from cbec.errors import CbecError, DocumentInvalid, NotFound
from cbec.services.logistics import _network, shipment_emissions
from cbec.services.logistics_models import (
    EmissionLegIn,
    EmissionsRequest,
    LaneCo2e,
    MonthCo2e,
    MonthLaneCo2e,
    MonthlyCo2e,
    WaybillCo2e,
)
from cbec.store.repository import UnitOfWork
from cbec.tenancy.access import Viewer

PAGE = 500


def _day(body: dict[str, Any], created: datetime) -> date:
    events = body.get("events") or []
    if events and isinstance(events[0].get("time"), str):
        return datetime.fromisoformat(events[0]["time"].replace("Z", "+00:00")).date()
    return created.astimezone(UTC).date()


def _emissions(body: dict[str, Any], on: date, extra: Path | None) -> Any:
    route = body.get("route")
    if not route:
        return None
    legs = [EmissionLegIn(**{k: v for k, v in leg.items() if v is not None}) for leg in route]
    req = EmissionsRequest(weight_kg=Decimal(str(body["gross_weight_kg"])), legs=legs, on=on)
    return shipment_emissions(req, extra)


def waybill_co2e(
    uow: UnitOfWork, caller: Viewer, doc_id: str, extra: Path | None = None
) -> WaybillCo2e:
    """The CO2e of waybill ``doc_id`` (404 for one the caller may not read, as for a missing
    one) over its route."""
    with uow:
        stored = uow.repo.get_document(caller, "waybill", doc_id)
    if stored is None:
        raise NotFound("not_found", {"kind": "waybill"})
    body = stored.body
    weight = Decimal(str(body["gross_weight_kg"]))
    if not body.get("route"):
        return WaybillCo2e(
            waybill_id=stored.id,
            waybill_no=stored.natural_key,
            weight_kg=weight,
            emissions=None,
            reason="the waybill names no route (its `route` legs)",
        )
    try:
        result = _emissions(body, _day(body, stored.created_at), extra)
    except DocumentInvalid as e:  # a leg the network or the factors no longer hold
        return WaybillCo2e(
            waybill_id=stored.id,
            waybill_no=stored.natural_key,
            weight_kg=weight,
            emissions=None,
            reason="; ".join(str(v) for v in e.violations),
        )
    return WaybillCo2e(
        waybill_id=stored.id, waybill_no=stored.natural_key, weight_kg=weight, emissions=result
    )


def monthly_co2e(
    uow: UnitOfWork, caller: Viewer, year: int, extra: Path | None = None
) -> MonthlyCo2e:
    """The caller's readable waybills of ``year`` (by first tracking event) by month, by lane
    and by both, with the tonne-km behind the CO2e and the data-quality tiers of the factors
    used (ISO 14083 §12 asks a report to state both)."""
    months: dict[str, _Sum] = defaultdict(_Sum)
    lanes: dict[str, _Sum] = defaultdict(_Sum)
    cells: dict[tuple[str, str], _Sum] = defaultdict(_Sum)
    ends = {g.id: (g.origin, g.destination) for g in _network(extra)[0].legs}
    after = 0
    start = datetime(year - 1, 12, 1, tzinfo=UTC)  # a waybill filed before its first event
    while True:
        with uow:
            page = uow.repo.list_documents(
                caller, "waybill", after_seq=after, limit=PAGE, created_from=start
            )
        for stored in page:
            day = _day(stored.body, stored.created_at)
            if day.year != year:
                continue
            month = f"{day:%Y-%m}"
            months[month].waybills += 1
            try:
                result = _emissions(stored.body, day, extra)
            except CbecError:
                result = None
            if result is None:
                continue
            route = stored.body["route"]
            lane = f"{_end(route[0], 'origin', ends)} → {_end(route[-1], 'destination', ends)}"
            lanes[lane].waybills += 1
            cells[(month, lane)].waybills += 1
            for total in (months[month], lanes[lane], cells[(month, lane)]):
                total.add(result)
        if len(page) < PAGE:
            break
        after = page[-1].seq
    return MonthlyCo2e(
        year=year,
        months=[
            MonthCo2e(
                month=k,
                waybills=v.waybills,
                with_route=v.with_route,
                co2e_wtw_kg=v.wtw,
                co2e_ttw_kg=v.ttw,
                tonne_km=v.tonne_km,
                tiers=sorted(v.tiers),
            )
            for k, v in sorted(months.items())
        ],
        lanes=[
            LaneCo2e(lane=k, waybills=v.waybills, co2e_wtw_kg=v.wtw)
            for k, v in sorted(lanes.items(), key=lambda kv: -kv[1].wtw)
        ],
        by_month_lane=[
            MonthLaneCo2e(
                month=month,
                lane=lane,
                waybills=v.waybills,
                co2e_wtw_kg=v.wtw,
                tonne_km=v.tonne_km,
                tiers=sorted(v.tiers),
            )
            for (month, lane), v in sorted(cells.items(), key=lambda kv: (kv[0][0], -kv[1].wtw))
        ],
        co2e_wtw_kg=sum((v.wtw for v in months.values()), Decimal(0)),
        tiers=sorted({t for v in months.values() for t in v.tiers}),
    )


class _Sum:
    """What a month, a lane or a month's lane adds up: its waybills, those whose CO2e is
    counted, the CO2e, the tonne-km and the factors' tiers."""

    def __init__(self) -> None:
        self.waybills = 0
        self.with_route = 0
        self.wtw = Decimal(0)
        self.ttw = Decimal(0)
        self.tonne_km = Decimal(0)
        self.tiers: set[str] = set()

    def add(self, result: Any) -> None:
        self.with_route += 1
        self.wtw += result.co2e_wtw_kg
        self.ttw += result.co2e_ttw_kg
        self.tonne_km += sum((g.tonne_km for g in result.legs), Decimal(0))
        self.tiers.update(result.tiers)


def _end(leg: dict[str, Any], side: str, ends: dict[str, tuple[str, str]]) -> str:
    """A leg's origin or destination as the report names it: the network leg's place when
    it is one, else the place given, else its mode."""
    if leg.get("leg") in ends:
        return ends[leg["leg"]][0 if side == "origin" else 1]
    return str(leg.get(side) or leg.get("mode") or "?")
