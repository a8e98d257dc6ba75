"""Typed requests and answers of logistics planning (:mod:`cbec.services.logistics`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Criterion = Literal["cost", "transit_p90", "co2e"]
Tier = Literal["default", "modelled", "primary"]


class RouteRequest(BaseModel):
    """A shipment to route: where from and to, its weight and volume, its deadline and what
    it carries that restricts the modes it may take."""

    model_config = ConfigDict(extra="forbid")

    origin: str = Field(
        min_length=2,
        max_length=32,
        description="A location id (`GET /logistics/locations`) or an ISO 3166-1 country code "
        "(any place of that country)",
        examples=["CN"],
    )
    destination: str = Field(min_length=2, max_length=32, examples=["DE"])
    weight_kg: Decimal = Field(gt=0, le=Decimal(30000), max_digits=12, decimal_places=3)
    volume_m3: Decimal = Field(
        default=Decimal(0), ge=0, le=Decimal(100), max_digits=10, decimal_places=4
    )
    deadline_days: Decimal | None = Field(
        default=None,
        gt=0,
        le=Decimal(365),
        max_digits=6,
        decimal_places=2,
        description="Routes whose 90th-percentile transit time exceeds it are infeasible",
    )
    lithium: Literal["none", "contained", "packed_with", "standalone"] = Field(
        default="none",
        description="Lithium batteries: none; contained in or packed with equipment "
        "(UN3481); standalone (UN3480, kept off air and drone legs)",
    )
    on: date | None = Field(default=None, description="Plan on the network of this day (today)")


class EmissionFactorUsed(BaseModel):
    wtw_g_per_tkm: Decimal
    ttw_g_per_tkm: Decimal
    tier: Literal["default", "modelled", "primary"]
    source: str


class RouteLeg(BaseModel):
    id: str
    mode: str
    vehicle: str
    origin: str
    origin_name: str
    destination: str
    destination_name: str
    distance_km: Decimal = Field(description="Planned: shortest feasible or great-circle")
    emission_distance_km: Decimal = Field(description="Adjusted per ISO 14083 Table 3")
    cost: Decimal
    transit_p50_days: Decimal
    transit_p90_days: Decimal
    co2e_wtw_kg: Decimal
    co2e_ttw_kg: Decimal
    hub_co2e_wtw_kg: Decimal = Field(description="At the leg's destination, when a hub")
    factor: EmissionFactorUsed
    source: str


class RouteOption(BaseModel):
    legs: list[RouteLeg]
    cost: Decimal
    currency: str
    transit_p50_days: Decimal
    transit_p90_days: Decimal
    co2e_wtw_kg: Decimal = Field(description="Well-to-wheel, legs and hubs (ISO 14083)")
    co2e_ttw_kg: Decimal
    pareto: bool = Field(description="No other route is as good on all three and better on one")
    best: list[Criterion] = Field(description="The criteria it is best on among feasible routes")
    explanation: str


class ExcludedLeg(BaseModel):
    id: str
    reason: str


class RoutePlan(BaseModel):
    """The feasible routes (the Pareto front first, each by cost), the legs the goods may not
    take and the routes found that miss the deadline."""

    on: date
    options: list[RouteOption]
    late: list[RouteOption]
    excluded: list[ExcludedLeg]
    hub_emissions: Literal["counted", "no_factors"] = Field(
        description="`no_factors`: the network's data holds no hub intensity, so hubs add 0"
    )
    network: str = Field(description="What the network is: the shipped starter data, or more")


class LocationOut(BaseModel):
    id: str
    name: str
    name_zh: str
    kind: str
    country: str
    lat: float
    lon: float
    source: str


class LocationList(BaseModel):
    items: list[LocationOut]
    network: str


class EmissionLegIn(BaseModel):
    """One leg of a shipment whose emissions are asked: a leg of the network by ``leg``, or
    one described by its mode, vehicle class and either its distance or its two places."""

    model_config = ConfigDict(extra="forbid")

    leg: str | None = Field(default=None, max_length=64, description="A network leg's id")
    mode: str | None = Field(default=None, max_length=16)
    vehicle: str | None = Field(default=None, max_length=32)
    carrier: str = Field(default="", max_length=64, description="Whose own factor applies")
    distance_km: Decimal | None = Field(
        default=None,
        gt=0,
        le=Decimal(40000),
        max_digits=9,
        decimal_places=3,
        description="Planned distance; else computed from `origin` and `destination`",
    )
    origin: str | None = Field(default=None, max_length=32, description="A location id")
    destination: str | None = Field(default=None, max_length=32)


class EmissionsRequest(BaseModel):
    """A shipment's mass and the legs it travels (ISO 14083 transport chain elements)."""

    model_config = ConfigDict(extra="forbid")

    # as a waybill's gross weight may be (cbec.trade.types.Weight), so any waybill's CO2e
    # can be asked for
    weight_kg: Decimal = Field(gt=0, le=Decimal(100000), max_digits=12, decimal_places=5)
    legs: list[EmissionLegIn] = Field(min_length=1, max_length=20)
    on: date | None = None


class EmissionLegOut(BaseModel):
    mode: str
    vehicle: str
    distance_km: Decimal
    emission_distance_km: Decimal
    tonne_km: Decimal
    co2e_wtw_kg: Decimal
    co2e_ttw_kg: Decimal
    factor: EmissionFactorUsed


class EmissionsResult(BaseModel):
    """Well-to-wheel and tank-to-wheel CO2e per leg and in all, with each factor's tier and
    source, as ISO 14083 asks them reported."""

    on: date
    legs: list[EmissionLegOut]
    co2e_wtw_kg: Decimal
    co2e_ttw_kg: Decimal
    tiers: list[Literal["default", "modelled", "primary"]]


class ParcelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=64)
    seller: str = Field(min_length=1, max_length=64)
    weight_kg: Decimal = Field(gt=0, le=Decimal(30000), max_digits=12, decimal_places=3)
    volume_m3: Decimal = Field(gt=0, le=Decimal(100), max_digits=10, decimal_places=4)
    ready_on: date
    deadline: date


class ConsolidationRequest(BaseModel):
    """Parcels of many sellers to pack into shared containers on one leg of the network."""

    model_config = ConfigDict(extra="forbid")

    leg: str = Field(min_length=1, max_length=64, description="The network leg, e.g. SEA-SHA-RTM")
    departure: date
    container: str = Field(default="40ft_dry", max_length=32)
    parcels: list[ParcelIn] = Field(min_length=1, max_length=20000)


class ContainerLoad(BaseModel):
    index: int
    parcels: list[str]
    weight_kg: Decimal
    volume_m3: Decimal
    weight_fill_pct: Decimal
    volume_fill_pct: Decimal
    rate: Decimal


class SellerSaving(BaseModel):
    seller: str
    parcels: int
    cost_alone: Decimal = Field(
        description="Each parcel by its cheapest route meeting its deadline"
    )
    cost_shared: Decimal
    cost_saved: Decimal
    co2e_alone_kg: Decimal
    co2e_shared_kg: Decimal
    co2e_saved_kg: Decimal


class LeftOut(BaseModel):
    id: str
    reason: str


class ConsolidationPlan(BaseModel):
    leg: str
    departure: date
    container: str
    currency: str
    containers: list[ContainerLoad]
    optimal: bool = Field(description="The container count is proven the least (CP-SAT)")
    lower_bound: int = Field(description="No packing needs fewer containers")
    sellers: list[SellerSaving]
    left_out: list[LeftOut]
    cost_saved: Decimal
    co2e_saved_kg: Decimal


class WarehouseLayout(BaseModel):
    """A single-block warehouse: parallel aisles between a front and a back cross aisle."""

    model_config = ConfigDict(extra="forbid")

    aisles: int = Field(ge=1, le=200)
    aisle_length_m: Decimal = Field(gt=0, le=Decimal(500), max_digits=6, decimal_places=2)
    aisle_spacing_m: Decimal = Field(gt=0, le=Decimal(50), max_digits=5, decimal_places=2)


class PickLine(BaseModel):
    model_config = ConfigDict(extra="forbid")

    aisle: int = Field(ge=0, description="0-based; the depot is at the front of aisle 0")
    depth_m: Decimal = Field(ge=0, max_digits=6, decimal_places=2)


class PickOrder(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=64)
    lines: list[PickLine] = Field(min_length=1, max_length=200)


class PickingRequest(BaseModel):
    """A day's orders in a warehouse, in the order they came, and the lines a cart holds."""

    model_config = ConfigDict(extra="forbid")

    layout: WarehouseLayout
    cart_lines: int = Field(ge=1, le=200)
    orders: list[PickOrder] = Field(min_length=1, max_length=2000)


class PickWave(BaseModel):
    index: int
    orders: list[str]
    lines: int
    distance_m: Decimal
    route: list[tuple[int, Decimal]] = Field(description="Stops in walking order: aisle, depth")


class PickingPlan(BaseModel):
    waves: list[PickWave]
    distance_m: Decimal
    first_come_waves: int
    first_come_distance_m: Decimal = Field(
        description="Orders as they came, a cart at a time, each wave walked S-shape"
    )
    saved_m: Decimal
    saved_pct: Decimal


class WaybillCo2e(BaseModel):
    """A waybill's emissions over the route it names; null with the reason when it names
    none."""

    waybill_id: str
    waybill_no: str
    weight_kg: Decimal
    emissions: EmissionsResult | None
    reason: str | None = None


class MonthCo2e(BaseModel):
    month: str = Field(description="YYYY-MM, by the waybill's first tracking event")
    waybills: int
    with_route: int = Field(description="Waybills naming their route, whose CO2e is counted")
    co2e_wtw_kg: Decimal
    co2e_ttw_kg: Decimal
    tonne_km: Decimal = Field(description="Mass × emission distance over the counted waybills")
    tiers: list[Tier] = Field(description="The data-quality tiers of the factors used")


class LaneCo2e(BaseModel):
    lane: str = Field(description="First leg's origin → last leg's destination")
    waybills: int
    co2e_wtw_kg: Decimal


class MonthLaneCo2e(BaseModel):
    """One lane's waybills naming their route in one month."""

    month: str
    lane: str
    waybills: int
    co2e_wtw_kg: Decimal
    tonne_km: Decimal
    tiers: list[Tier]


class MonthlyCo2e(BaseModel):
    """The CO2e of the waybills the caller may read, by month, by lane and by both, in a
    year."""

    year: int
    months: list[MonthCo2e]
    lanes: list[LaneCo2e]
    by_month_lane: list[MonthLaneCo2e] = Field(description="Each month's lanes, largest first")
    co2e_wtw_kg: Decimal
    tiers: list[Tier] = Field(description="The data-quality tiers of every factor used")
