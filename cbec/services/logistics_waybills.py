"""Use cases of waybills' emissions: a waybill's CO2e over the route it names, and a
caller's monthly report by month and lane (ISO 14083, :mod:`cbec.services.logistics`).

A waybill names its route in ``route`` (network legs, or legs by mode and vehicle); its mass
is its gross weight; the factors are those in force on its first tracking event's day (else
the day it was filed). Only waybills the caller may read are counted, as every list of
documents reads them (:func:`cbec.store.visibility.visible`); one without a route counts
in the month's waybills but adds no CO2e, and the report says how many named theirs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from cbec.errors import CbecError, DocumentInvalid, NotFound
from cbec.logistics.emissions import Intensity
from cbec.services.logistics import (
    _network,
    route_intensity,
    route_tiers,
    same_data_from,
    shipment_emissions,
)
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
    if events and isinstance(t := events[0].get("time"), str):
        if t[10:11] == "T":  # the day as written, which is what fromisoformat(t).date() gives
            return _date(t[:10])
        return datetime.fromisoformat(t.replace("Z", "+00:00")).date()
    return created.astimezone(UTC).date()


@lru_cache(maxsize=4096)
def _date(text: str) -> date:
    return date.fromisoformat(text)


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
    """The caller's readable waybills of ``year`` (by first tracking event) by month and
    lane."""
    return co2e_report(year, _readable(uow, caller, year), extra)


def _readable(uow: UnitOfWork, caller: Viewer, year: int) -> Iterator[tuple[date, dict[str, Any]]]:
    """The waybills of ``year`` the caller may read, a page at a time, with their day."""
    after = 0
    start = datetime(year - 1, 12, 1, tzinfo=UTC)  # a waybill filed before its first event
    while True:
        with uow:
            page = uow.repo.list_documents(
                caller, "waybill", after_seq=after, limit=PAGE, created_from=start
            )
        for stored in page:
            day = _day(stored.body, stored.created_at)
            if day.year == year:
                yield day, stored.body
        if len(page) < PAGE:
            return
        after = page[-1].seq


def co2e_report(
    year: int, waybills: Iterable[tuple[date, dict[str, Any]]], extra: Path | None = None
) -> MonthlyCo2e:
    """The report by month and lane over ``waybills`` (each with the day that dates its
    factors), computed in bulk (:mod:`cbec.logistics.bulk`): each distinct route and day is
    resolved once through the single waybill's legs (:func:`route_intensity`), and each
    waybill's figure is exactly what :func:`waybill_co2e` gives it — legs to the gram, half
    to even — so the sums are those of the waybills one by one."""
    from cbec.logistics import bulk  # with numpy: loaded for a report, not with every start

    ends = {g.id: (g.origin, g.destination) for g in _network(extra)[0].legs}
    span_of = same_data_from(extra)
    resolved: dict[tuple[date, Any], tuple[str, tuple[Intensity, ...] | None, frozenset[str]]] = {}
    seen: dict[tuple[date, Any], int] = {}
    groups: list[bulk.Shipments] = []
    masses: list[str] = []
    index: list[int] = []
    for day, body in waybills:
        route = body.get("route")
        # the route as a key: a leg named by network id alone by that id, any other by all
        # its fields (flat strings hash fast, and a million waybills share a few routes)
        legs = (
            tuple([g["leg"] if len(g) == 1 and "leg" in g else tuple(g.items()) for g in route])
            if route
            else None
        )
        i = seen.get((day, legs))
        if i is None:
            i = seen[day, legs] = len(groups)
            start = span_of(day)  # the route is resolved once for all the days of a span
            if (start, legs) not in resolved:
                resolved[start, legs] = _resolve(start, route, ends, extra)
            lane, per_kg, tiers = resolved[start, legs]
            groups.append(bulk.Shipments(f"{day:%Y-%m}", lane, per_kg, tiers))
        index.append(i)
        masses.append(str(body["gross_weight_kg"]))
    report = bulk.by_month_and_lane(masses, index, groups)
    return MonthlyCo2e(
        year=year,
        months=[
            MonthCo2e(
                month=m.month,
                waybills=m.waybills,
                with_route=m.with_route,
                co2e_wtw_kg=_kg(m.wtw_g, m.with_route),
                co2e_ttw_kg=_kg(m.ttw_g, m.with_route),
                tonne_km=_kg(m.tkm_milli, m.with_route),
                tiers=sorted(m.tiers),
            )
            for m in report.months
        ],
        lanes=[
            LaneCo2e(lane=g.lane, waybills=g.waybills, co2e_wtw_kg=_kg(g.wtw_g, g.waybills))
            for g in report.lanes
        ],
        by_month_lane=[
            MonthLaneCo2e(
                month=c.month,
                lane=c.lane,
                waybills=c.waybills,
                co2e_wtw_kg=_kg(c.wtw_g, c.waybills),
                tonne_km=_kg(c.tkm_milli, c.waybills),
                tiers=sorted(c.tiers),
            )
            for c in report.cells
        ],
        co2e_wtw_kg=_kg(
            sum(m.wtw_g for m in report.months), sum(m.with_route for m in report.months)
        ),
        tiers=sorted({t for m in report.months for t in m.tiers}),
    )


def _resolve(
    on: date,
    route: list[dict[str, Any]] | None,
    ends: dict[str, tuple[str, str]],
    extra: Path | None,
) -> tuple[str, tuple[Intensity, ...] | None, frozenset[str]]:
    """A route's lane, its legs' intensities on ``on`` and its factors' tiers (None and no
    tiers: no route, or a leg the network or the factors do not hold on that day)."""
    if not route:
        return "", None, frozenset()
    lane = f"{_end(route[0], 'origin', ends)} → {_end(route[-1], 'destination', ends)}"
    legs = [EmissionLegIn(**{k: v for k, v in leg.items() if v is not None}) for leg in route]
    try:
        return lane, route_intensity(legs, on, extra), route_tiers(legs, on, extra)
    except CbecError:
        return lane, None, frozenset()


def _kg(grams: int, counted: int) -> Decimal:
    """Grams as kg to the gram, as the legs' sum reads (0 where no waybill was counted)."""
    return Decimal(grams).scaleb(-3) if counted else Decimal(0)


def _end(leg: dict[str, Any], side: str, ends: dict[str, tuple[str, str]]) -> str:
    """A leg's origin or destination as the report names it: the network leg's place when
    it is one, else the place given, else its mode."""
    if leg.get("leg") in ends:
        return ends[leg["leg"]][0 if side == "origin" else 1]
    return str(leg.get(side) or leg.get("mode") or "?")


def report_one_by_one(
    year: int, waybills: Iterable[tuple[date, dict[str, Any]]], extra: Path | None = None
) -> dict[str, Any]:
    """The report as the waybills add up one by one, each through
    :func:`cbec.services.logistics.shipment_emissions` in decimal — the reference the bulk
    path (:func:`co2e_report`) is checked against, in the tests and in
    ``bench/logistics.py``; the same JSON as ``co2e_report(...).model_dump(mode="json")``."""
    ends = {g.id: (g.origin, g.destination) for g in _network(extra)[0].legs}
    months: dict[str, Any] = defaultdict(lambda: [0, 0, Decimal(0), Decimal(0), Decimal(0), set()])
    lanes: dict[str, Any] = defaultdict(lambda: [0, Decimal(0)])
    cells: dict[tuple[str, str], Any] = defaultdict(lambda: [0, Decimal(0), Decimal(0), set()])
    for day, body in waybills:
        m = months[f"{day:%Y-%m}"]
        m[0] += 1
        route = body.get("route")
        if not route:
            continue
        legs = [EmissionLegIn(**{k: v for k, v in g.items() if v is not None}) for g in route]
        weight = Decimal(str(body["gross_weight_kg"]))
        try:
            req = EmissionsRequest(weight_kg=weight, legs=legs, on=day)
            result = shipment_emissions(req, extra)
        except CbecError:
            continue
        tkm = sum((g.tonne_km for g in result.legs), Decimal(0))
        m[1] += 1
        m[2] += result.co2e_wtw_kg
        m[3] += result.co2e_ttw_kg
        m[4] += tkm
        m[5] |= set(result.tiers)
        lane = f"{_end(route[0], 'origin', ends)} → {_end(route[-1], 'destination', ends)}"
        lanes[lane][0] += 1
        lanes[lane][1] += result.co2e_wtw_kg
        cell = cells[(f"{day:%Y-%m}", lane)]
        cell[0] += 1
        cell[1] += result.co2e_wtw_kg
        cell[2] += tkm
        cell[3] |= set(result.tiers)
    return {
        "year": year,
        "months": [
            {
                "month": k,
                "waybills": v[0],
                "with_route": v[1],
                "co2e_wtw_kg": str(v[2]),
                "co2e_ttw_kg": str(v[3]),
                "tonne_km": str(v[4]),
                "tiers": sorted(v[5]),
            }
            for k, v in sorted(months.items())
        ],
        "lanes": [
            {"lane": k, "waybills": v[0], "co2e_wtw_kg": str(v[1])}
            for k, v in sorted(lanes.items(), key=lambda kv: -kv[1][1])
        ],
        "by_month_lane": [
            {
                "month": month,
                "lane": lane,
                "waybills": v[0],
                "co2e_wtw_kg": str(v[1]),
                "tonne_km": str(v[2]),
                "tiers": sorted(v[3]),
            }
            for (month, lane), v in sorted(cells.items(), key=lambda kv: (kv[0][0], -kv[1][1]))
        ],
        "co2e_wtw_kg": str(sum((v[2] for v in months.values()), Decimal(0))),
        "tiers": sorted({t for v in months.values() for t in v[5]}),
    }
