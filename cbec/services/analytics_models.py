"""Requests and results of the analytics use cases (:mod:`cbec.services.analytics`).

Inventory figures are floats (the replenishment formulas are statistical; see
:mod:`cbec.analytics.replenish`), bounded so that no formula can overflow IEEE 754 binary64:
quantities up to 10⁹ units, lead times and review periods up to 520 periods (ten years of
weeks), and never NaN or infinite — JSON has neither (RFC 8259 §6), and a string such as
``"NaN"`` is refused like any other non-number. Chart specs are the JSON the web console draws
(:mod:`cbec.analytics.plots`): their ``chart`` kind and ``title`` are fixed, the rest depends
on the kind.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from cbec.analytics.replenish import Suggestion
from cbec.trade.types import Text

MAX_UNITS = 1e9  # units per period, on hand, MOQ, pack size
MAX_PERIODS = 520.0  # ten years of weekly periods
MAX_ROWS = 10_000  # demand or stock rows in one request

Units = Annotated[float, Field(ge=0, le=MAX_UNITS, allow_inf_nan=False)]
Periods = Annotated[float, Field(ge=0, le=MAX_PERIODS, allow_inf_nan=False)]
ServiceLevel = Annotated[
    float, Field(ge=0.5, lt=1, allow_inf_nan=False, description="Cycle service level")
]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CustomersQuery(_Body):
    weeks: float = Field(52, gt=0, le=520, allow_inf_nan=False, description="CLV horizon")


SeriesId = Annotated[
    str,
    Field(
        min_length=3,
        max_length=200,
        pattern=r"^[^|]+(\|[^|]+)*\|[A-Z]{2}$",
        description="One series, `sku|market` (as listed in `series`)",
        examples=["SZ-EB-01|CN"],
    ),
]


class DemandQuery(_Body):
    horizon: int = Field(8, ge=1, le=52, description="Weeks ahead")
    top: int = Field(200, ge=1, le=2000, description="The most active SKU × market series")
    series: SeriesId | None = Field(None, description="Forecast this series only")


class StockTargetsQuery(_Body):
    """How a seller restocks, for the stock targets of every forecast series."""

    lead_time: Periods = Field(2.0, description="Lead time L, in weeks")
    review_period: Periods = Field(1.0, description="Review period R, in weeks")
    service_level: ServiceLevel = 0.95


class DemandIn(_Body):
    """Forecast demand of a SKU at a warehouse, per period (e.g. a week)."""

    sku: Text(64)
    warehouse: Text(64)
    mean: Units = Field(description="d: mean demand per period")
    std: Units = Field(description="σ_d: standard deviation of one period's demand")
    period_days: int = Field(7, ge=1, le=366, description="Days in one period (7: weekly)")


class StockIn(_Body):
    """What a warehouse has of a SKU and how it is resupplied (times in periods)."""

    sku: Text(64)
    warehouse: Text(64)
    on_hand: float = Field(ge=-MAX_UNITS, le=MAX_UNITS, allow_inf_nan=False)
    on_order: Units = 0.0
    lead_time: Periods = 1.0
    lead_time_std: Periods = 0.0
    review_period: Periods = 1.0
    moq: Units = 0.0
    pack_size: float = Field(1.0, ge=0.001, le=MAX_UNITS, allow_inf_nan=False)
    service_level: ServiceLevel | None = None


class ReplenishmentRequest(_Body):
    service_level: ServiceLevel = 0.95
    demand: list[DemandIn] = Field(default_factory=list, max_length=MAX_ROWS)
    stock: list[StockIn] = Field(min_length=1, max_length=MAX_ROWS)


class ChartSpec(BaseModel):
    """A chart the web console draws; the fields beyond ``chart`` and ``title`` depend on it."""

    model_config = ConfigDict(extra="allow")

    chart: Literal["heatmap", "histogram", "forecast", "lines"]
    title: str


class FigureCheck(BaseModel):
    metric: str
    scope: str
    period: str
    figure: str
    stated_percent: str
    recomputed_percent: str | None
    difference_points: str | None
    agrees: bool | None
    basis: str
    source: str


class MarketView(BaseModel):
    metric: str
    unit: str
    series: dict[str, dict[str, str]]
    growth_percent: dict[str, dict[str, str]]


class MarketReport(BaseModel):
    """Published China CBEC figures, every stated derived figure recomputed."""

    figures: int
    checks: list[FigureCheck]
    disagreements: list[FigureCheck]
    direction: list[MarketView]
    regions: list[MarketView]
    sources: list[str]
    charts: list[ChartSpec]


class ClvEstimate(BaseModel):
    """Customer lifetime value over ``weeks`` (BG/NBD × Gamma-Gamma), or why it is missing."""

    error: str | None = None
    reason: Literal["fit_failed", "not_finite"] | None = Field(
        None,
        description="Why there is no estimate: the fit failed (too few repeat buyers, or it "
        "diverged), or it gave no finite figures (a sample with no dropout to separate)",
    )
    weeks: float | None = None
    bgnbd: dict[str, float] | None = None
    gammagamma: dict[str, float] | None = None
    converged: bool | None = None
    expected_purchases_total: float | None = None
    clv_total: str | None = None
    chart: ChartSpec | None = None


class CustomersReport(BaseModel):
    customers: int
    orders: int
    currency: str | None = Field(
        None, description="ISO 4217 currency of every amount: the one most orders are in"
    )
    other_currency_orders: int = Field(0, description="Orders in other currencies, left out")
    segments: list[dict[str, Any]]
    repurchase_rate: float
    cohort_chart: ChartSpec
    clv: ClvEstimate


class SeriesInfo(BaseModel):
    """One SKU × market demand series of the caller's orders."""

    id: str = Field(description="`sku|market`")
    sku: str
    market: str
    weeks: int = Field(description="Weeks from the first sale to the end of the data")
    weeks_sold: int = Field(description="Weeks with a sale")
    units: float = Field(description="Units sold in all")


class DemandReport(BaseModel):
    summary: dict[str, Any] = Field(description="Backtest scores and the model choices")
    forecasts: list[dict[str, Any]] = Field(description="One row per series and step ahead")
    series: list[SeriesInfo] = Field(
        default_factory=list, description="Every series of your orders, most active first"
    )
    chart: ChartSpec | None = Field(
        None,
        description="History and forecast (with intervals) of the series asked for, "
        "else of the most active one",
    )


class StockKey(BaseModel):
    sku: str
    warehouse: str


class Replenishment(BaseModel):
    suggestions: list[Suggestion] = Field(description="Explained in English and Chinese")
    without_forecast: list[StockKey] = Field(description="Stock rows with no demand given")
