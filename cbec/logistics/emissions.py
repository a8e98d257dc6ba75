"""Greenhouse-gas emissions of a shipment per ISO 14083:2023 and the GLEC Framework.

A transport chain element's emissions are its transport activity — the shipment's mass in
tonnes times the distance in km — times the emission intensity of its mode and vehicle class
(g CO2e per tonne-km), tank-to-wheel (the vehicle's operation) and well-to-wheel (with the
energy's provision, which ISO 14083 requires reported). A hub the goods pass through adds its
own intensity per tonne handled. The intensities are rows of dated data files
(``data/emission_factors.csv``, ``data/hub_factors.csv``); a carrier's own row (primary or
modelled data) overrides the default one for its legs, and the tier of the figure used is
reported with it, as the standard asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Context, Decimal
from functools import cache
from pathlib import Path

from cbec.logistics.model import MODES, EmissionFactor, HubFactor, LocationKind
from cbec.ruledata import Row, RuleDataError, in_force, load

DATA = Path(__file__).with_name("data")
FACTORS = DATA / "emission_factors.csv"
HUBS = DATA / "hub_factors.csv"
ADJUSTMENTS = DATA / "distance_adjustments.csv"
TIERS = ("default", "modelled", "primary")


@dataclass(frozen=True)
class Emissions:
    """Emissions in kg CO2e: tank-to-wheel and well-to-wheel, and the transport activity
    (tonne-km) they were computed on."""

    ttw_kg: float
    wtw_kg: float
    tonne_km: float = 0.0

    def __add__(self, other: Emissions) -> Emissions:
        return Emissions(
            self.ttw_kg + other.ttw_kg, self.wtw_kg + other.wtw_kg, self.tonne_km + other.tonne_km
        )


NONE = Emissions(0.0, 0.0, 0.0)


def leg(mass_kg: float, distance_km: float, factor: EmissionFactor) -> Emissions:
    """ISO 14083: emissions = mass × distance × intensity (tonne-km × g/tkm → kg)."""
    tkm = mass_kg / 1000.0 * distance_km
    return Emissions(
        tkm * float(factor.ttw_g_per_tkm) / 1000.0,
        tkm * float(factor.wtw_g_per_tkm) / 1000.0,
        tkm,
    )


# Exact decimal arithmetic for the per-kilogram path: an intensity has at most ~25
# significant digits (a float distance's 17 × a factor's few), a mass at most 11 (the
# waybill's ``Weight``: ≤ 100,000 kg to 5 places), so 60 digits never round.
EXACT = Context(prec=60, rounding=ROUND_HALF_EVEN)
GRAM = Decimal("0.001")
_MILLION = Decimal(1_000_000)


@dataclass(frozen=True)
class Intensity:
    """One leg's emissions per kilogram of goods carried (kg CO2e per kg — equally tonnes
    per tonne), exact: the emission distance (km, the float adjusted distance taken at its
    shortest repr) × the factor's g CO2e per tonne-km ÷ 10⁶. ISO 14083 allocates a leg's
    emissions to a consignment by its transport activity (mass × distance), so a leg's CO2e
    is linear in the mass: a route's intensity is computed once and multiplied by each
    shipment's mass (:mod:`cbec.logistics.bulk`)."""

    km: Decimal
    ttw: Decimal
    wtw: Decimal


def intensity(distance_km: float, factor: EmissionFactor) -> Intensity:
    """The per-kilogram intensity of a leg over ``distance_km`` (already adjusted per Table
    3, :func:`adjusted_km`) with ``factor``."""
    km = Decimal(repr(distance_km))
    return Intensity(
        km,
        EXACT.divide(EXACT.multiply(km, factor.ttw_g_per_tkm), _MILLION),
        EXACT.divide(EXACT.multiply(km, factor.wtw_g_per_tkm), _MILLION),
    )


def co2e_kg(mass_kg: Decimal, per_kg: Decimal) -> Decimal:
    """A leg's CO2e for ``mass_kg``: mass × intensity, exact, then to the gram, half to even
    (the rounding rule of every figure cbec reports per leg; a shipment's total is the sum
    of its legs' rounded figures, so the legs shown add up to it)."""
    return EXACT.quantize(EXACT.multiply(mass_kg, per_kg), GRAM)


def tonne_km(mass_kg: Decimal, leg: Intensity) -> Decimal:
    """The leg's transport activity for ``mass_kg``, in tonne-km to three places."""
    return EXACT.quantize(EXACT.scaleb(EXACT.multiply(mass_kg, leg.km), -3), GRAM)


def hub(mass_kg: float, factor: HubFactor) -> Emissions:
    """A hub's emissions for the goods it handles: tonnes × kg CO2e per tonne (well-to-wheel;
    the published hub defaults give no separate tank-to-wheel figure, so it is counted in
    both)."""
    kg = mass_kg / 1000.0 * float(factor.wtw_kg_per_t)
    return Emissions(kg, kg, 0.0)


def _factor(row: Row) -> EmissionFactor:
    return EmissionFactor(
        mode=row["mode"],  # type: ignore[arg-type]
        vehicle=row["vehicle"],
        ttw_g_per_tkm=row.decimal("ttw_g_per_tkm") or Decimal(0),
        wtw_g_per_tkm=row.decimal("wtw_g_per_tkm") or Decimal(0),
        tier=row["tier"],  # type: ignore[arg-type]
        carrier=row.get("carrier"),
        source=row.source,
    )


@cache
def factor_rows(path: Path | None = None) -> tuple[Row, ...]:
    path = path or FACTORS
    rows = load(
        path,
        required=("mode", "vehicle", "tier", "wtw_g_per_tkm"),
        decimals=("ttw_g_per_tkm", "wtw_g_per_tkm"),
    )
    for r in rows:
        if r["mode"] not in MODES:
            raise RuleDataError(path, r.line, "mode", f"{r['mode']!r} is not one of {MODES}")
        if r["tier"] not in TIERS:
            raise RuleDataError(path, r.line, "tier", f"{r['tier']!r} is not one of {TIERS}")
        ttw, wtw = r.decimal("ttw_g_per_tkm"), r.decimal("wtw_g_per_tkm")
        if wtw is None or wtw < 0 or (ttw is not None and not 0 <= ttw <= wtw):
            raise RuleDataError(path, r.line, "ttw_g_per_tkm", "needs 0 ≤ TTW ≤ WTW")
    return tuple(rows)


@cache
def hub_rows(path: Path | None = None) -> tuple[Row, ...]:
    path = path or HUBS
    return tuple(load(path, required=("kind", "wtw_kg_per_t"), decimals=("wtw_kg_per_t",)))


@cache
def adjustment_rows(path: Path | None = None) -> tuple[Row, ...]:
    path = path or ADJUSTMENTS
    return tuple(load(path, required=("mode", "factor"), decimals=("factor", "add_km")))


def adjusted_km(mode: str, planned_km: float, on: date) -> float:
    """The distance a leg's emissions are counted on: the planned distance (shortest feasible
    or great-circle) adjusted as ISO 14083 Table 3 says for its mode on ``on``
    (``data/distance_adjustments.csv``); as planned for a mode without a row."""
    rows = in_force(adjustment_rows(), on, mode=mode)
    if not rows:
        return planned_km
    r = rows[0]
    return planned_km * float(r.decimal("factor") or 1) + float(r.decimal("add_km") or 0)


class UnknownFactor(LookupError):
    """No emission intensity in force for a mode and vehicle class on a day."""


def factor_for(mode: str, vehicle: str, on: date, carrier: str = "") -> EmissionFactor:
    """The intensity for ``mode`` and ``vehicle`` in force on ``on``: the carrier's own row
    when it has one, else the default."""
    rows = in_force(factor_rows(), on, mode=mode, vehicle=vehicle)
    own = [r for r in rows if carrier and r.get("carrier") == carrier]
    default = [r for r in rows if not r.get("carrier")]
    chosen = own or default
    if len(chosen) != 1:
        raise UnknownFactor(f"{mode}/{vehicle} on {on}: {len(chosen)} factor rows in force")
    return _factor(chosen[0])


def hub_factor(kind: LocationKind, on: date) -> HubFactor | None:
    """The hub intensity for places of ``kind`` on ``on``; None for kinds without one."""
    rows = in_force(hub_rows(), on, kind=kind)
    if not rows:
        return None
    r = rows[0]
    return HubFactor(kind, r.decimal("wtw_kg_per_t") or Decimal(0), r.source)  # type: ignore[arg-type]
