"""The logistics network's types: places, legs between them and the factors that price and
weigh a shipment on each (see :mod:`cbec.logistics.network` for where they come from)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

LocationKind = Literal["seaport", "airport", "rail_terminal", "warehouse", "zone"]
LOCATION_KINDS: tuple[LocationKind, ...] = (
    "seaport",
    "airport",
    "rail_terminal",
    "warehouse",
    "zone",
)

# Transport modes (ISO 14083 speaks of transport chain elements by mode): deep-sea container,
# short-sea/feeder container, air cargo, rail (China–Europe Railway Express), road truck,
# last-mile van, drone hop, and the inter-island ferry of archipelago last miles.
Mode = Literal["sea", "feeder", "air", "rail", "road", "van", "drone", "ferry"]
MODES: tuple[Mode, ...] = ("sea", "feeder", "air", "rail", "road", "van", "drone", "ferry")

# How a leg's distance is known: over searoute's maritime network, the great-circle distance
# plus the air adjustment (see cbec.logistics.distance), or a figure in the data file.
DistanceMethod = Literal["searoute", "gcd_air", "data"]


@dataclass(frozen=True)
class Location:
    """A place goods pass through: a seaport or airport (its UN/LOCODE or IATA code), a rail
    terminal, an overseas warehouse or a last-mile delivery zone."""

    id: str
    name: str
    name_zh: str
    kind: LocationKind
    country: str  # ISO 3166-1 alpha-2
    lat: float
    lon: float
    source: str


@dataclass(frozen=True)
class CostModel:
    """What a carrier charges a shipment on a leg: ``fixed`` plus ``rate_per_kg`` times the
    chargeable weight — the greater of the actual weight and the volume times
    ``volumetric_kg_per_m3`` (the carrier's dimensional divisor) — at least ``minimum``, then
    the fuel surcharge on top. ``currency`` is ISO 4217."""

    currency: str
    rate_per_kg: Decimal
    volumetric_kg_per_m3: Decimal
    minimum: Decimal
    fixed: Decimal
    fuel_surcharge_pct: Decimal


@dataclass(frozen=True)
class Leg:
    """One carrier service from ``origin`` to ``destination`` by ``mode``: its distance, its
    transit time (median and 90th percentile, in days), its cost model and the vehicle class
    its emission intensity is looked up by."""

    id: str
    origin: str
    destination: str
    mode: Mode
    vehicle: str
    distance_km: float
    distance_method: DistanceMethod
    transit_p50_days: float
    transit_p90_days: float
    cost: CostModel
    carrier: str
    effective_from: date
    effective_to: date | None
    source: str


@dataclass(frozen=True)
class EmissionFactor:
    """The emission intensity of a mode and vehicle class, in grams CO2e per tonne-kilometre:
    tank-to-wheel (the vehicle's own) and well-to-wheel (with the fuel's or electricity's
    production), and the data-quality tier ISO 14083 asks to report (default values from a
    published table, modelled, or the carrier's primary data)."""

    mode: Mode
    vehicle: str
    ttw_g_per_tkm: Decimal
    wtw_g_per_tkm: Decimal
    tier: Literal["default", "modelled", "primary"]
    carrier: str  # empty for a default; a carrier's own figure overrides it
    source: str


@dataclass(frozen=True)
class HubFactor:
    """What a hub emits per tonne it handles (kg CO2e, well-to-wheel), by kind of place."""

    kind: LocationKind
    wtw_kg_per_t: Decimal
    source: str
