"""Replenishment: safety stock, reorder point and order quantity per SKU × warehouse.

Inputs per SKU × warehouse, all in *periods* of the forecast (weeks for weekly forecasts):

* ``d`` — mean demand per period: the mean of the point forecasts over the horizon (for
  intermittent models the level estimate — the demand rate);
* ``σ_d`` — standard deviation of one period's demand around the forecast: the backtest
  RMSE of the chosen model (``sigma`` in the forecast output; see
  :func:`cbec.analytics.forecasting.backtest.backtest`), *not* the width of the intervals
  (intermittent models have none, and the backtest error is measured out of sample);
* ``L``, ``σ_L`` — lead time and its standard deviation (periods);
* ``R`` — review period (periods between two orders);
* cycle service level ``CSL`` — probability of no stock-out in a replenishment cycle;
  ``z = Φ⁻¹(CSL)`` (:class:`statistics.NormalDist`, e.g. 0.95 → 1.6449);
* stock on hand, on order, MOQ, pack size.

Formulas (demand per period independent, lead time independent of demand)::

    SS  = z · √(L · σ_d² + d² · σ_L²)                 safety stock, continuous review
    ROP = d · L + SS                                  reorder point
    S   = d · (R + L) + z · √((R + L) · σ_d² + d² · σ_L²)   order-up-to level, periodic review
    IP  = on_hand + on_order                          inventory position
    raw = max(0, S − IP)
    qty = 0 if raw = 0, else ⌈max(raw, MOQ) / pack⌉ · pack

With σ_L = 0 the order-up-to level is the textbook ``S = d·(R+L) + z·σ_d·√(R+L)``; the
σ_L term generalises it the same way as SS. ``reorder_now`` is IP ≤ ROP (a continuous-review
trigger, useful between reviews). Demand here is normal-approximated, which understates
the tail of very lumpy SKUs; the explanation of every suggestion shows the numbers so a
planner can see what was assumed.

Demand of several markets shipped from one warehouse is summed (:func:`aggregate`): means
add, variances add (markets assumed independent).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from statistics import NormalDist
from typing import Any

from cbec.analytics.errors import ReplenishmentError

PERIOD_WORD = {1: ("day", "天"), 7: ("week", "周")}
# Quantities, lead times and forecasts beyond this are refused: no stock plan holds them, and
# the formulas square them (a float overflows near 1e154).
MAX_QUANTITY = 1e12


@dataclass(frozen=True)
class Demand:
    """Forecast demand of one SKU at one warehouse (or market), per period."""

    sku: str
    location: str
    mean: float  # d
    std: float  # σ_d
    period_days: int = 7


@dataclass(frozen=True)
class StockPosition:
    """What the warehouse has and how it is resupplied; lead time and review in periods."""

    sku: str
    warehouse: str
    on_hand: float
    on_order: float = 0.0
    lead_time: float = 1.0  # L
    lead_time_std: float = 0.0  # σ_L
    review_period: float = 1.0  # R
    moq: float = 0.0
    pack_size: float = 1.0
    service_level: float | None = None  # overrides the run's CSL for this SKU


@dataclass(frozen=True)
class Suggestion:
    sku: str
    warehouse: str
    mean_demand: float
    demand_std: float
    lead_time: float
    lead_time_std: float
    review_period: float
    service_level: float
    z: float
    safety_stock: float
    reorder_point: float
    order_up_to: float
    inventory_position: float
    raw_quantity: float
    order_quantity: int
    reorder_now: bool
    explanation: str
    explanation_zh: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def z_value(service_level: float) -> float:
    """Standard normal quantile of the cycle service level (0 < CSL < 1)."""
    if not 0 < service_level < 1:  # False for NaN too
        raise ReplenishmentError(
            f"service level must be between 0 and 1, not {service_level}", "service_level"
        )
    return NormalDist().inv_cdf(service_level)


def round_order(raw: float, moq: float, pack: float) -> int:
    """0 if nothing is needed; else at least the MOQ, rounded up to whole packs."""
    if raw <= 0:
        return 0
    pack = pack if pack and pack > 0 else 1.0
    packs = math.ceil(round(max(raw, moq) / pack, 9))  # round(): 3.0000000001 packs is 3
    return int(packs * pack)


def _checked(stock: StockPosition, demand: Demand) -> None:
    """Every figure a formula uses is a finite number, and the ones that cannot be negative
    are not; named as ``<field>`` of ``sku@warehouse``."""
    where = f"{stock.sku}@{stock.warehouse}"
    figures = {
        "mean": demand.mean,
        "std": demand.std,
        "on_hand": stock.on_hand,
        "on_order": stock.on_order,
        "lead_time": stock.lead_time,
        "lead_time_std": stock.lead_time_std,
        "review_period": stock.review_period,
        "moq": stock.moq,
        "pack_size": stock.pack_size,
    }
    for name, value in figures.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ReplenishmentError(f"{where}: {name} must be a number", name)
        if not math.isfinite(value):
            raise ReplenishmentError(f"{where}: {name} must be a finite number", name)
    if stock.lead_time < 0 or stock.lead_time_std < 0 or stock.review_period < 0:
        raise ReplenishmentError(f"{where}: lead time and review must be ≥ 0", "lead_time")


def suggest(demand: Demand, stock: StockPosition, service_level: float = 0.95) -> Suggestion:
    """The replenishment suggestion for one SKU × warehouse (formulas in the module doc).

    Figures so large that a formula overflows a float (IEEE 754 binary64, about 1.8e308) are
    refused as a :class:`ReplenishmentError` rather than answered with infinity."""
    _checked(stock, demand)
    try:
        return _suggest(demand, stock, service_level)
    except OverflowError:
        where = f"{stock.sku}@{stock.warehouse}"
        raise ReplenishmentError(f"{where}: the figures are too large to compute") from None


def _suggest(demand: Demand, stock: StockPosition, service_level: float) -> Suggestion:
    csl = stock.service_level or service_level
    z = z_value(csl)
    d, sd = max(demand.mean, 0.0), max(demand.std, 0.0)
    lt, slt, r = stock.lead_time, stock.lead_time_std, stock.review_period
    ss = z * math.sqrt(lt * sd**2 + d**2 * slt**2)
    rop = d * lt + ss
    cover = r + lt
    s_level = d * cover + z * math.sqrt(cover * sd**2 + d**2 * slt**2)
    ip = stock.on_hand + stock.on_order
    raw = max(0.0, s_level - ip)
    qty = round_order(raw, stock.moq, stock.pack_size)
    if not all(math.isfinite(x) for x in (ss, rop, s_level, ip, raw)):
        raise OverflowError("a replenishment figure is not finite")
    base = Suggestion(
        sku=stock.sku,
        warehouse=stock.warehouse,
        mean_demand=d,
        demand_std=sd,
        lead_time=lt,
        lead_time_std=slt,
        review_period=r,
        service_level=csl,
        z=z,
        safety_stock=ss,
        reorder_point=rop,
        order_up_to=s_level,
        inventory_position=ip,
        raw_quantity=raw,
        order_quantity=qty,
        reorder_now=ip <= rop,
        explanation="",
        explanation_zh="",
    )
    en, zh = explain(base, stock, demand.period_days)
    return replace(base, explanation=en, explanation_zh=zh)


def _f(x: float) -> str:
    """Numbers as a person writes them: 10, 26.06, 1,250."""
    text = f"{x:,.2f}"
    return text[:-3] if text.endswith(".00") else text.rstrip("0")


def _plural(word: str, n: float) -> str:
    return word if n == 1 else f"{word}s"


def explain(s: Suggestion, stock: StockPosition, period_days: int = 7) -> tuple[str, str]:
    """The formulas with this suggestion's numbers substituted, in English and Chinese."""
    unit_en, unit_zh = PERIOD_WORD.get(
        period_days, (f"{period_days}-day period", f"{period_days}天期")
    )
    d, sd, lt, slt, r = s.mean_demand, s.demand_std, s.lead_time, s.lead_time_std, s.review_period
    z = f"{s.z:.4f}"
    root = f"√({_f(lt)}·{_f(sd)}² + {_f(d)}²·{_f(slt)}²)"
    root_s = f"√({_f(r + lt)}·{_f(sd)}² + {_f(d)}²·{_f(slt)}²)"
    gap = s.order_up_to - s.inventory_position
    if s.order_quantity == 0:
        rounding_en, rounding_zh = "nothing to order", "无需订货"
    else:
        rounding_en = (
            f"max({_f(s.raw_quantity)}, MOQ {_f(stock.moq)}) rounded up to whole packs of "
            f"{_f(stock.pack_size)} = {s.order_quantity}"
        )
        rounding_zh = (
            f"max({_f(s.raw_quantity)}, 最小起订量 {_f(stock.moq)}) 向上取整为每箱 "
            f"{_f(stock.pack_size)} 件的整箱 = {s.order_quantity}"
        )
    en = (
        f"Demand d = {_f(d)} per {unit_en} (σ_d = {_f(sd)}); lead time L = {_f(lt)} "
        f"{_plural(unit_en, lt)} (σ_L = {_f(slt)}); review period R = {_f(r)} "
        f"{_plural(unit_en, r)}; cycle service level {s.service_level:.1%} → z = {z}. "
        f"Safety stock SS = z·√(L·σ_d² + d²·σ_L²) = {z}·{root} = {_f(s.safety_stock)}. "
        f"Reorder point ROP = d·L + SS = {_f(d)}·{_f(lt)} + {_f(s.safety_stock)} = "
        f"{_f(s.reorder_point)}. "
        f"Order-up-to S = d·(R+L) + z·√((R+L)·σ_d² + d²·σ_L²) = {_f(d)}·{_f(r + lt)} + "
        f"{z}·{root_s} = {_f(s.order_up_to)}. "
        f"Inventory position = on hand {_f(stock.on_hand)} + on order {_f(stock.on_order)} = "
        f"{_f(s.inventory_position)}; max(0, S − position) = max(0, {_f(gap)}) = "
        f"{_f(s.raw_quantity)}; {rounding_en}."
    )
    zh = (
        f"需求 d = 每{unit_zh} {_f(d)}（σ_d = {_f(sd)}）；提前期 L = {_f(lt)} {unit_zh}"
        f"（σ_L = {_f(slt)}）；盘点周期 R = {_f(r)} {unit_zh}；周期服务水平 "
        f"{s.service_level:.1%} → z = {z}。"
        f"安全库存 SS = z·√(L·σ_d² + d²·σ_L²) = {z}·{root} = {_f(s.safety_stock)}。"
        f"再订货点 ROP = d·L + SS = {_f(d)}·{_f(lt)} + {_f(s.safety_stock)} = "
        f"{_f(s.reorder_point)}。"
        f"最高库存 S = d·(R+L) + z·√((R+L)·σ_d² + d²·σ_L²) = {_f(d)}·{_f(r + lt)} + "
        f"{z}·{root_s} = {_f(s.order_up_to)}。"
        f"库存位置 = 在库 {_f(stock.on_hand)} + 在途 {_f(stock.on_order)} = "
        f"{_f(s.inventory_position)}；max(0, S − 库存位置) = max(0, {_f(gap)}) = "
        f"{_f(s.raw_quantity)}；{rounding_zh}。"
    )
    return en, zh


def aggregate(
    demands: Iterable[Demand], warehouse_of: Mapping[str, str] | None = None
) -> dict[tuple[str, str], Demand]:
    """Demand per (sku, warehouse): markets mapped to their warehouse (identity if not in
    ``warehouse_of``); means add, variances add."""
    warehouse_of = warehouse_of or {}
    acc: dict[tuple[str, str], list[Demand]] = {}
    for dem in demands:
        key = (dem.sku, warehouse_of.get(dem.location, dem.location))
        acc.setdefault(key, []).append(dem)
    out = {}
    for (sku, wh), items in acc.items():
        days = {i.period_days for i in items}
        if len(days) > 1:
            raise ReplenishmentError(f"{sku}@{wh}: demand in mixed periods {sorted(days)}")
        out[(sku, wh)] = Demand(
            sku=sku,
            location=wh,
            mean=sum(i.mean for i in items),
            std=math.sqrt(sum(i.std**2 for i in items)),
            period_days=days.pop(),
        )
    return out


def demands_from_forecasts(rows: Iterable[Mapping[str, Any]]) -> list[Demand]:
    """One :class:`Demand` per series of forecast rows (``sku, market, forecast, sigma,
    period_days`` — the forecast CSV): d = mean forecast over the horizon, σ_d = sigma."""
    acc: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for row in rows:
        acc.setdefault((str(row["sku"]), str(row["market"])), []).append(row)
    out = []
    for (sku, market), items in acc.items():
        where = f"{sku}@{market}"
        values = [quantity(i["forecast"], f"{where} forecast") for i in items]
        sigma = quantity(items[0].get("sigma") or 0.0, f"{where} sigma")
        days = quantity(items[0].get("period_days") or 7, f"{where} period_days")
        if days != int(days) or not 1 <= days <= 366:
            raise ValueError(f"{where}: period_days must be a whole number of days, 1 to 366")
        out.append(Demand(sku, market, sum(values) / len(values), sigma, int(days)))
    return out


def quantity(value: Any, what: str) -> float:
    """``value`` as a float that the formulas can take: finite and at most
    :data:`MAX_QUANTITY` in size; ValueError naming ``what`` otherwise."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{what} = {str(value)[:40]!r} is not a number") from None
    if not math.isfinite(number) or abs(number) > MAX_QUANTITY:
        raise ValueError(f"{what} = {str(value)[:40]!r} is not a quantity (finite, ≤ 1e12)")
    return number


def replenish(
    demands: Mapping[tuple[str, str], Demand],
    stock: Iterable[StockPosition],
    service_level: float = 0.95,
) -> tuple[list[Suggestion], list[StockPosition]]:
    """Suggestions for every stock row with a forecast; and the rows without one (reported,
    not guessed: no forecast means no basis for a safety stock)."""
    done, missing = [], []
    for pos in stock:
        dem = demands.get((pos.sku, pos.warehouse))
        if dem is None:
            missing.append(pos)
        else:
            done.append(suggest(dem, pos, service_level))
    return done, missing
