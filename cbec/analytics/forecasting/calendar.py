"""Holiday calendars per market, as a *reported* calendar feature of each forecast period.

How holidays are used — honestly: the models cbec chooses from (Croston family, ADIDA,
IMAPA, TSB, AutoETS, the naive baselines) are univariate: statsforecast hands exogenous
regressors (``X_df``) only to models that take them (ARIMA-type, MFLES), and none of those
is in the menu. So holidays do **not** change a forecast number. They are reported next to
it, per market and period:

* ``holiday_days`` — holidays of the market's country falling in the period (a week
  counts each holiday date once), and ``holidays`` — their names;
* :func:`holiday_lift` — per market, the mean demand in holiday periods over the mean in
  other periods of the history, so a planner can see whether a market's holiday weeks
  historically sell more or less, and override the suggestion by hand.

Markets are resolved to ISO 3166 alpha-2 codes the ``holidays`` package knows: a code
(``DE``), an English country name (``Germany``), the Online Retail spellings (``EIRE``,
``RSA``, ``USA``, ``Channel Islands`` → Jersey), or an explicit ``country_map`` entry for
warehouse names (``{"FRA-1": "DE"}``). Markets with no country (``Unspecified``,
``European Community``) get no calendar (``holiday_days = 0``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import lru_cache

import holidays as hol
import pandas as pd
import pycountry

ALIASES = {
    "EIRE": "IE",
    "RSA": "ZA",
    "USA": "US",
    "UK": "GB",
    "CHANNEL ISLANDS": "JE",
    "EUROPEAN COMMUNITY": None,
    "UNSPECIFIED": None,
}


@lru_cache(maxsize=1024)
def country_of(market: str) -> str | None:
    """ISO alpha-2 code of the market's country for ``holidays``, or None if it has none."""
    key = market.strip().upper()
    if key in ALIASES:
        return ALIASES[key]
    supported = hol.list_supported_countries()
    if len(key) == 2 and key in supported:
        return key
    try:
        code = pycountry.countries.lookup(market.strip()).alpha_2
    except LookupError:
        return None
    return code if code in supported else None


@lru_cache(maxsize=4096)
def _country_holidays(code: str, year: int) -> tuple[tuple[date, str], ...]:
    return tuple(sorted(hol.country_holidays(code, years=year).items()))


def holidays_between(code: str, start: date, end: date) -> list[tuple[date, str]]:
    """``(date, name)`` of the country's public holidays in ``[start, end]``."""
    out = []
    for year in range(start.year, end.year + 1):
        out += [(d, n) for d, n in _country_holidays(code, year) if start <= d <= end]
    return out


def holiday_table(
    markets: Iterable[str],
    periods: Iterable[date | pd.Timestamp],
    period_days: int,
    country_map: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """``market, ds, country, holiday_days, holidays`` for every market × period start.

    A period covers ``[ds, ds + period_days)``.
    """
    country_map = dict(country_map or {})
    starts = sorted({pd.Timestamp(p).date() for p in periods})
    rows = []
    for market in sorted(set(markets)):
        code = country_map.get(market) or country_of(market)
        found: dict[date, list[str]] = {}
        if code and starts:
            span_end = starts[-1] + timedelta(days=period_days - 1)
            for d, name in holidays_between(code, starts[0], span_end):
                found.setdefault(d, []).append(name)
        for s in starts:
            names = [n for k in range(period_days) for n in found.get(s + timedelta(days=k), [])]
            days = sum(1 for k in range(period_days) if s + timedelta(days=k) in found)
            rows.append((market, pd.Timestamp(s), code, days, "; ".join(names)))
    return pd.DataFrame(rows, columns=["market", "ds", "country", "holiday_days", "holidays"])


def holiday_lift(
    history: pd.DataFrame, period_days: int, country_map: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Per market: mean demand per series-period in holiday periods ÷ in other periods.

    ``history`` has ``market, ds, y`` (one row per series-period). A lift of 1.3 means the
    market's holiday weeks sold 30 % more on average; NaN where the market has no calendar
    or no holiday period in the history. Descriptive only — no model uses it.
    """
    cal = holiday_table(
        history["market"].unique(), history["ds"].unique(), period_days, country_map
    )
    joined = history[["market", "ds", "y"]].merge(cal, on=["market", "ds"], how="left")
    joined["is_holiday"] = joined["holiday_days"].fillna(0) > 0
    g = joined.groupby(["market", "is_holiday"])["y"].mean().unstack()
    out = pd.DataFrame(index=g.index)
    out["country"] = joined.groupby("market")["country"].first()
    holiday_mean = g[True] if True in g.columns else pd.Series(float("nan"), index=g.index)
    other_mean = g[False] if False in g.columns else pd.Series(float("nan"), index=g.index)
    out["holiday_periods"] = (
        joined[joined["is_holiday"]].groupby("market")["ds"].nunique().reindex(g.index).fillna(0)
    ).astype(int)
    out["lift"] = holiday_mean / other_mean.where(other_mean > 0)
    return out.reset_index()
