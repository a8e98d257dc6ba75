"""The CO2e of many shipments at once — a monthly report over a million waybills — equal to
computing each one alone (ISO 14083:2023, :mod:`cbec.logistics.emissions`).

ISO 14083 allocates a leg's emissions to a consignment by its transport activity, mass ×
distance, so a leg's CO2e is its mass × the leg's intensity per kilogram
(:class:`~cbec.logistics.emissions.Intensity`). Waybills share few routes, and a route's legs
and factors change only on the few days the data files date, so the caller resolves each
distinct (route, day) once, exactly, with the same per-leg function a single shipment uses
(:func:`~cbec.logistics.emissions.intensity`); only the multiplication by each mass is done
per waybill.

The rounding rule is the single path's (:func:`~cbec.logistics.emissions.co2e_kg`): each
leg's CO2e is mass × intensity, exact, rounded to the gram half to even, and a shipment's
figure is the sum of its legs'. Here that product is taken in binary floating point, whose
error is below 2⁻⁵⁰ of the value (three roundings of 2⁻⁵³: the mass, the intensity, the
product), so the nearest gram it rounds to is the exact one unless the product lies within
that margin of a half gram; those few waybills (ties, like 2.5 kg × 1.2522 kg/kg) and any
product too large for the margin to hold are computed again in decimal. The totals are sums
of integer grams, so they are exact too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np

from cbec.logistics.emissions import Intensity, co2e_kg

# A product within this fraction of its value from a half gram is recomputed in decimal:
# 2⁻⁵⁰ is 8× the float product's worst error (3 × 2⁻⁵³).
_MARGIN = 2.0**-50
# Beyond 2⁵⁰ grams a float no longer holds the fraction the test needs.
_LARGEST = 2.0**50


@dataclass(frozen=True)
class Shipments:
    """Waybills that share a route and a day: the month and lane they are reported under and
    their route's per-kilogram intensities, None when they name no route or one that
    cannot be computed on that day (counted, with no CO2e)."""

    month: str
    lane: str
    legs: tuple[Intensity, ...] | None
    tiers: frozenset[str] = frozenset()  # the data-quality tiers of the route's factors


@dataclass(frozen=True)
class MonthTotal:
    month: str
    waybills: int
    with_route: int
    wtw_g: int
    ttw_g: int
    tkm_milli: int = 0  # tonne-km in thousandths, each leg's to three places as one waybill's
    tiers: frozenset[str] = frozenset()


@dataclass(frozen=True)
class LaneTotal:
    lane: str
    waybills: int
    wtw_g: int


@dataclass(frozen=True)
class CellTotal:
    """One lane's waybills naming their route in one month."""

    month: str
    lane: str
    waybills: int
    wtw_g: int
    tkm_milli: int
    tiers: frozenset[str]


@dataclass(frozen=True)
class Report:
    """Totals in grams: months in calendar order; lanes by CO2e, the greatest first (equal
    ones in the order their first waybill came); each month's lanes, the greatest first."""

    months: list[MonthTotal]
    lanes: list[LaneTotal]
    cells: list[CellTotal] = field(default_factory=list)


def leg_grams(
    mass_kg: np.ndarray,
    masses: Sequence[str | Decimal],
    group: np.ndarray,
    per_kg: Sequence[Decimal | None],
) -> np.ndarray:
    """Each waybill's CO2e on one leg, in grams: ``mass_kg[i]`` (the float of ``masses[i]``)
    × ``per_kg[group[i]]`` (kg CO2e per kg; None for a group without this leg: 0), rounded
    half to even as :func:`co2e_kg` does — to which the waybills near a half gram go."""
    g_per_kg = np.array([0.0 if p is None else float(p.scaleb(3)) for p in per_kg])
    x = mass_kg * g_per_kg[group]
    grams = np.rint(x)
    doubtful = np.flatnonzero(
        (np.abs(x - np.floor(x) - 0.5) <= x * _MARGIN) | ~(np.abs(x) < _LARGEST)
    )
    for i in doubtful.tolist():
        p = per_kg[group[i]]
        exact = co2e_kg(Decimal(masses[i]), p) if p is not None else Decimal(0)
        grams[i] = float(int(exact.scaleb(3)))
    if doubtful.size and not (np.abs(grams[doubtful]) < _LARGEST).all():
        raise OverflowError("a leg's CO2e beyond 2^50 g")
    return grams.astype(np.int64)


def by_group(
    masses: Sequence[str | Decimal], group: Sequence[int], legs: Sequence[tuple[Intensity, ...]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per group of ``legs``: its waybills, their CO2e well-to-wheel and tank-to-wheel in
    grams, each waybill's the sum of its legs' rounded grams, and their tonne-km in
    thousandths, each leg's rounded as :func:`cbec.logistics.emissions.tonne_km` rounds it.
    Groups that share a route share its tuple of intensities, which is converted once."""
    index = np.asarray(group, dtype=np.int64)
    n = len(legs)
    count = np.bincount(index, minlength=n)
    wtw, ttw, tkm = np.zeros(n, np.int64), np.zeros(n, np.int64), np.zeros(n, np.int64)
    if not len(index):
        return count, wtw, ttw, tkm
    seen: dict[int, int] = {}  # by identity: ``legs`` holds every tuple for the whole call
    routes: list[tuple[Intensity, ...]] = []
    route_of = np.empty(n, np.int64)
    for k, route in enumerate(legs):
        r = seen.get(id(route))
        if r is None:
            r = seen[id(route)] = len(routes)
            routes.append(route)
        route_of[k] = r
    route = route_of[index]
    mass_kg = np.fromiter(map(float, masses), np.float64, len(index))
    each_wtw, each_ttw = np.zeros(len(index), np.int64), np.zeros(len(index), np.int64)
    each_tkm = np.zeros(len(index), np.int64)
    for j in range(max((len(r) for r in routes), default=0)):
        at = [r[j] if j < len(r) else None for r in routes]
        each_wtw += leg_grams(mass_kg, masses, route, [None if a is None else a.wtw for a in at])
        each_ttw += leg_grams(mass_kg, masses, route, [None if a is None else a.ttw for a in at])
        # tonne-km to three places is mass × km ÷ 1000 rounded as a gram of CO2e is
        kms = [None if a is None else a.km.scaleb(-3) for a in at]
        each_tkm += leg_grams(mass_kg, masses, route, kms)
    np.add.at(wtw, index, each_wtw)
    np.add.at(ttw, index, each_ttw)
    np.add.at(tkm, index, each_tkm)
    return count, wtw, ttw, tkm


def by_month_and_lane(
    masses: Sequence[str | Decimal], group: Sequence[int], groups: Sequence[Shipments]
) -> Report:
    """The report over waybills ``i`` of mass ``masses[i]`` kg in ``groups[group[i]]``,
    groups numbered in the order of their first waybill."""
    count, wtw, ttw, tkm = by_group(masses, group, [s.legs or () for s in groups])
    months: dict[str, list[Any]] = {}
    lanes: dict[str, list[int]] = {}
    cells: dict[tuple[str, str], list[Any]] = {}
    rows = zip(groups, count.tolist(), wtw.tolist(), ttw.tolist(), tkm.tolist(), strict=True)
    for s, n, w, t, k in rows:
        if not n:
            continue
        m = months.setdefault(s.month, [0, 0, 0, 0, 0, set()])
        m[0] += n
        if s.legs is None:
            continue
        m[1] += n
        m[2] += w
        m[3] += t
        m[4] += k
        m[5] |= s.tiers
        lane = lanes.setdefault(s.lane, [0, 0])
        lane[0] += n
        lane[1] += w
        cell = cells.setdefault((s.month, s.lane), [0, 0, 0, set()])
        cell[0] += n
        cell[1] += w
        cell[2] += k
        cell[3] |= s.tiers
    return Report(
        months=[MonthTotal(k, *v[:5], frozenset(v[5])) for k, v in sorted(months.items())],
        lanes=[LaneTotal(k, *v) for k, v in sorted(lanes.items(), key=lambda kv: -kv[1][1])],
        cells=[
            CellTotal(month, lane, v[0], v[1], v[2], frozenset(v[3]))
            for (month, lane), v in sorted(cells.items(), key=lambda kv: (kv[0][0], -kv[1][1]))
        ],
    )
