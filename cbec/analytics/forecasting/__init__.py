"""Demand forecasting per SKU × market: rolling-origin backtest, per-series model choice
(intermittent models, AutoETS; Naive baselines), forecasts with intervals where the model
gives them, holiday calendars reported per market, and the same code on a Dask cluster.

Entry points: :func:`backtest`, :func:`forecast` with a :class:`ForecastConfig`; series
come from :mod:`cbec.analytics.demand`. MASE is defined in :mod:`.metrics`.
"""

from cbec.analytics.forecasting.backtest import Backtest, ForecastConfig, backtest
from cbec.analytics.forecasting.calendar import country_of, holiday_lift, holiday_table
from cbec.analytics.forecasting.predict import ForecastResult, forecast

__all__ = [
    "Backtest",
    "ForecastConfig",
    "ForecastResult",
    "backtest",
    "country_of",
    "forecast",
    "holiday_lift",
    "holiday_table",
]
