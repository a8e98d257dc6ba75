"""The forecast itself: each series forecast by the model its backtest chose.

Series are grouped by chosen model and each group is fitted once on its full history (one
statsforecast call per model, so 10,000 series cost a few calls, not 10,000 fits).

Output, one row per series × future period (``forecasts``)::

    unique_id, sku, market, ds, step, model, forecast, lo_80, hi_80, lo_95, hi_95,
    sigma, sigma_source, period_days, country, holiday_days, holidays

* ``forecast`` — expected demand in the period. For the intermittent models it is their
  *level estimate* (the smoothed demand rate); they give no interval, so the ``lo``/``hi``
  columns are empty (NaN) for them. Naive, SeasonalNaive and AutoETS fill the intervals at
  the configured levels. Demand cannot be negative: forecasts and bounds are clipped at 0
  (AutoETS's normal intervals often reach below 0 on slow movers).
* ``sigma`` — per-period demand standard deviation for safety stock, from the backtest (see
  :func:`.backtest.backtest`), the same for every period of a series.
* ``holiday_days`` / ``holidays`` — the market's public holidays in the period, reported
  and not modelled (:mod:`.calendar`).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import polars as pl

from cbec.analytics.forecasting import models as menu
from cbec.analytics.forecasting.backtest import (
    Backtest,
    ForecastConfig,
    Progress,
    backtest,
    history_frame,
    run_statsforecast,
)
from cbec.analytics.forecasting.calendar import holiday_table
from cbec.analytics.forecasting.distributed import Engine

FORECAST_COLUMNS = [
    "unique_id",
    "sku",
    "market",
    "ds",
    "step",
    "model",
    "forecast",
    "sigma",
    "sigma_source",
    "period_days",
]


@dataclass
class ForecastResult:
    forecasts: pd.DataFrame
    backtest: Backtest
    seconds: float  # backtest + forecast wall time

    def interval_columns(self) -> list[str]:
        return [c for c in self.forecasts.columns if c.startswith(("lo_", "hi_"))]


def forecast(
    series: pl.DataFrame | pd.DataFrame,
    config: ForecastConfig | None = None,
    *,
    backtest_result: Backtest | None = None,
    engine: Engine = None,
    partitions: int | None = None,
    progress: Progress | None = None,
    calendar: bool = True,
    country_map: Mapping[str, str] | None = None,
) -> ForecastResult:
    """Backtest (unless ``backtest_result`` is given), then forecast ``config.horizon``
    periods of every series with its chosen model. ``engine`` as in :mod:`.distributed`."""
    t0 = time.perf_counter()
    config = config or ForecastConfig()
    bt = backtest_result or backtest(
        series, config, engine=engine, partitions=partitions, progress=progress
    )
    hist, keys = history_frame(series)
    chosen = bt.table.set_index("unique_id")["chosen"]
    groups = chosen.groupby(chosen).groups
    parts = []
    for i, (model, ids) in enumerate(sorted(groups.items())):
        frame = hist[hist["unique_id"].isin(set(ids))]
        levels = list(config.levels) if model in menu.INTERVAL_MODELS and config.levels else None
        raw = run_statsforecast(
            frame,
            (model,),
            config,
            mode="forecast",
            levels=levels,
            engine=engine,
            partitions=partitions,
            label=f"forecast {model} ({i + 1}/{len(groups)})",
            progress=progress,
        )
        parts.append(_tidy(raw, model, config))
    fc = pd.concat(parts, ignore_index=True) if parts else _tidy(pd.DataFrame(), "", config)
    info = bt.table.set_index("unique_id")[["sigma", "sigma_source"]]
    fc = fc.merge(keys, on="unique_id", how="left").join(info, on="unique_id")
    fc["period_days"] = config.period_days
    fc = fc.sort_values(["unique_id", "ds"], kind="stable").reset_index(drop=True)
    fc["step"] = fc.groupby("unique_id").cumcount() + 1
    bounds = [f"{side}_{lv}" for lv in config.levels for side in ("lo", "hi")]
    for col in bounds:
        if col not in fc:
            fc[col] = np.nan
    fc = fc[[*FORECAST_COLUMNS[:7], *bounds, *FORECAST_COLUMNS[7:]]]
    if calendar and len(fc):
        cal = holiday_table(
            fc["market"].unique(), fc["ds"].unique(), config.period_days, country_map
        )
        fc = fc.merge(cal, on=["market", "ds"], how="left")
    return ForecastResult(forecasts=fc, backtest=bt, seconds=time.perf_counter() - t0)


def _tidy(raw: pd.DataFrame, model: str, config: ForecastConfig) -> pd.DataFrame:
    """statsforecast's wide columns (``AutoETS``, ``AutoETS-lo-80`` …) → ours, clipped at 0."""
    out = pd.DataFrame(
        {
            "unique_id": raw.get("unique_id", pd.Series(dtype=str)),
            "ds": raw.get("ds", pd.Series(dtype="datetime64[ns]")),
            "model": model,
            "forecast": raw.get(model, pd.Series(dtype=float)).clip(lower=0.0),
        }
    )
    for lv in config.levels:
        for side in ("lo", "hi"):
            col = f"{model}-{side}-{lv}"
            if col in raw:
                out[f"{side}_{lv}"] = raw[col].clip(lower=0.0)
    return out
