"""Rolling-origin backtest and per-series model choice.

Why a backtest per series: SKU × market series differ — a pallet item sold every week to
one French wholesaler, a gift sold twice a year in Japan — and no single method wins them
all (M5: per-series ETS is within 3-5 % of the winners at the item × store level). So every
candidate model is fitted at several forecast origins (*cutoffs*) on the data before each
cutoff and scored on the ``horizon`` periods after it; each series gets the model with the
lowest MASE over its windows (:mod:`.metrics` defines MASE exactly).

Windows: ``n_windows`` cutoffs, ``step_size`` periods apart (default: ``horizon``, so test
windows do not overlap), the last one ``horizon`` periods before the end of the data. A
series must have ``min_train`` periods before its first cutoff; shorter series are not
backtested and get the *default model*: the candidate that works on any length (not
AutoETS) with the lowest mean MASE over the panel — also used for series none of whose
windows could be scored (zero scale, see :mod:`.metrics`).

Two accuracy figures come out, and they answer different questions:

* **in-sample selection** — MASE of the chosen model on the same windows it was chosen on.
  This is the per-series backtest table; it is *optimistic*, because picking the minimum
  of several noisy scores biases it down.
* **held-out (nested)** — for each window *k*, the model is chosen on the earlier windows
  whose test periods end by cutoff *k* and scored on window *k* only, then averaged. This
  is what a seller would have seen by following the procedure, and the honest number.
  It needs a window whose test periods end by a later cutoff: ``n_windows >= 2`` when
  ``step_size >= horizon``, more when windows overlap.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
import polars as pl
from statsforecast import StatsForecast

from cbec.analytics.demand import PANDAS_FREQ, PERIOD_DAYS, to_statsforecast
from cbec.analytics.forecasting import models as menu
from cbec.analytics.forecasting.distributed import Engine, collect, distribute
from cbec.analytics.forecasting.metrics import relative_summary, window_mase

Progress = Callable[[str, int, int], None]
SEASON_WARNING = r"Historical data .* shorter than season_length"


@dataclass(frozen=True)
class ForecastConfig:
    """Everything that decides a forecast run; printed with every result."""

    freq: Literal["W", "D"] = "W"
    horizon: int = 8
    n_windows: int = 3
    step_size: int | None = None  # periods between cutoffs; None = horizon
    levels: tuple[int, ...] = (80, 95)
    models: tuple[str, ...] = menu.ALL_MODELS
    select_baselines: bool = False
    min_train: int = 8
    n_jobs: int = 1  # local worker processes; -1 = all CPUs
    # Series per local backtest call: the progress bar's step. Each call starts a worker
    # pool (≈ 0.2 s with n_jobs=2), so not much smaller; forecasts run one call per model.
    chunk_size: int = 2_500

    def __post_init__(self) -> None:
        if self.freq not in PANDAS_FREQ:
            raise ValueError(f"freq must be W or D, not {self.freq!r}")
        if self.horizon < 1 or self.n_windows < 1 or self.step < 1 or self.min_train < 2:
            raise ValueError("horizon, n_windows, step_size ≥ 1 and min_train ≥ 2 required")
        unknown = set(self.models) - set(menu.ALL_MODELS)
        if unknown:
            raise ValueError(f"unknown model(s) {sorted(unknown)}; known: {menu.ALL_MODELS}")
        if "Naive" not in self.models:
            raise ValueError("Naive must stay in the menu: MASE is reported against it")
        if not menu.selectable(self.models, self.select_baselines):
            raise ValueError("no selectable model: add a non-baseline model")

    @property
    def step(self) -> int:
        return self.step_size or self.horizon

    @property
    def pandas_freq(self) -> str:
        return PANDAS_FREQ[self.freq]

    @property
    def period_days(self) -> int:
        return PERIOD_DAYS[self.freq]

    @property
    def min_length(self) -> int:
        """Shortest series that can be backtested with these settings."""
        return self.min_train + self.horizon + self.step * (self.n_windows - 1)

    def as_dict(self) -> dict[str, Any]:
        return {
            "freq": self.freq,
            "horizon": self.horizon,
            "n_windows": self.n_windows,
            "step_size": self.step,
            "levels": list(self.levels),
            "models": list(self.models),
            "select_baselines": self.select_baselines,
            "min_train": self.min_train,
        }


@dataclass
class Backtest:
    """Scores of every model on every window, the per-series choice, and the summaries."""

    config: ForecastConfig
    scored: tuple[str, ...]  # models run in the backtest
    candidates: tuple[str, ...]  # models a series may be assigned
    default_model: str
    windows: pd.DataFrame  # unique_id, cutoff, scale, <model> MASE per window
    table: pd.DataFrame  # one row per series (see backtest())
    dropped_models: dict[str, str] = field(default_factory=dict)  # model -> why not run
    seconds: float = 0.0

    def summary(self) -> dict[str, Any]:
        """Overall figures: mean MASE per model, choices, in-sample and held-out vs Naive."""
        t = self.table
        scored = t[t["chosen_by"] == "backtest"]
        mase_cols = [f"mase_{m}" for m in self.scored]
        held = t.dropna(subset=["heldout_chosen", "heldout_naive"])
        return {
            "config": self.config.as_dict(),
            "series": len(t),
            "series_backtested": int((t["n_windows"] > 0).sum()),
            "series_scored": len(scored),
            "default_model": self.default_model,
            "dropped_models": self.dropped_models,
            "mean_mase": {c.removeprefix("mase_"): _num(scored[c].mean()) for c in mase_cols},
            "chosen_counts": {str(k): int(v) for k, v in t["chosen"].value_counts().items()},
            "in_sample_selection": _clean(
                relative_summary(scored["mase_chosen"], scored["mase_Naive"])
            ),
            "held_out": _clean(relative_summary(held["heldout_chosen"], held["heldout_naive"])),
            "seconds": round(self.seconds, 3),
        }


def _num(x: float) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else round(float(x), 4)


def _clean(d: dict[str, Any]) -> dict[str, Any]:
    return {k: _num(v) if isinstance(v, float) else v for k, v in d.items()}


def history_frame(series: pl.DataFrame | pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(``unique_id, ds, y`` pandas for statsforecast, ``unique_id, sku, market`` keys).

    Accepts :func:`cbec.analytics.demand.demand_series` output (polars) or any pandas frame
    with ``unique_id, ds, y``; without ``sku``/``market`` columns the id is split at its last
    ``|``.
    """
    if isinstance(series, pl.DataFrame):
        cols = [c for c in ("unique_id", "sku", "market") if c in series.columns]
        keys = series.select(cols).unique("unique_id", maintain_order=True).to_pandas()
        hist = to_statsforecast(series)
    else:
        hist = series[["unique_id", "ds", "y"]].copy()
        hist["unique_id"] = hist["unique_id"].astype(str)
        hist["ds"] = pd.to_datetime(hist["ds"]).astype("datetime64[ns]")
        hist["y"] = hist["y"].astype("float64")
        cols = [c for c in ("unique_id", "sku", "market") if c in series.columns]
        keys = series[cols].drop_duplicates("unique_id").copy()
    if "sku" not in keys.columns or "market" not in keys.columns:
        parts = keys["unique_id"].str.rsplit("|", n=1, expand=True)
        keys["sku"] = parts[0]
        keys["market"] = parts[1] if parts.shape[1] > 1 else ""
    keys = keys[["unique_id", "sku", "market"]].reset_index(drop=True)
    hist = hist.sort_values(["unique_id", "ds"], kind="stable").reset_index(drop=True)
    return hist, keys


def _chunks(ids: np.ndarray, size: int) -> list[np.ndarray]:
    return [ids[i : i + size] for i in range(0, len(ids), size)] or [ids]


def run_statsforecast(
    hist: pd.DataFrame,
    model_names: tuple[str, ...],
    config: ForecastConfig,
    *,
    mode: Literal["cv", "forecast"],
    levels: list[int] | None = None,
    engine: Engine = None,
    partitions: int | None = None,
    progress: Progress | None = None,
    label: str = "",
) -> pd.DataFrame:
    """One statsforecast run (cross-validation or forecast) as a local pandas frame.

    Locally a cross-validation is split into calls of ``chunk_size`` series (progress), a
    forecast is one call; with an ``engine`` the whole frame goes to the cluster at once."""
    models = [menu.build(m, config.freq) for m in model_names]

    def call(frame: Any) -> Any:
        sf = StatsForecast(models=models, freq=config.pandas_freq, n_jobs=config.n_jobs)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=SEASON_WARNING)
            if mode == "cv":
                return sf.cross_validation(
                    df=frame, h=config.horizon, n_windows=config.n_windows, step_size=config.step
                )
            return sf.forecast(df=frame, h=config.horizon, level=levels)

    if engine is not None:
        if progress:
            progress(label, 0, 1)
        out = collect(call(distribute(hist, engine, partitions)))
        if progress:
            progress(label, 1, 1)
        return out
    ids = hist["unique_id"].unique()
    parts = _chunks(ids, config.chunk_size) if mode == "cv" else [ids]
    outs = []
    for i, chunk in enumerate(parts):
        frame = hist[hist["unique_id"].isin(set(chunk))] if len(parts) > 1 else hist
        outs.append(collect(call(frame)))
        if progress:
            progress(label, i + 1, len(parts))
    return pd.concat(outs, ignore_index=True)


def backtest(
    series: pl.DataFrame | pd.DataFrame,
    config: ForecastConfig | None = None,
    *,
    engine: Engine = None,
    partitions: int | None = None,
    progress: Progress | None = None,
) -> Backtest:
    """Rolling-origin backtest of every model on every long-enough series; choose per series.

    The per-series ``table`` has: ``unique_id, sku, market, length, n_windows, n_scored``,
    ``mase_<model>`` for each model run, ``chosen``, ``chosen_by`` (``backtest`` /
    ``default: too short`` / ``default: no scored window``), ``mase_chosen``, ``mase_naive``,
    ``relative`` (= mase_chosen / mase_naive), ``sigma`` and ``sigma_source`` (see below),
    ``heldout_chosen``, ``heldout_naive`` (nested evaluation, module doc).

    ``sigma`` — the standard deviation of one period's demand around the forecast, for
    safety stock: the root mean squared error of the chosen model over all its backtest
    forecasts (every window, every step 1…h; ``backtest_rmse``). Series without a backtest
    get the sample standard deviation of their history (``history_std``), which for a
    level-type forecast is the same quantity measured in-sample.
    """
    config = config or ForecastConfig()
    t0 = time.perf_counter()
    hist, keys = history_frame(series)
    lengths = hist.groupby("unique_id", sort=False).size()
    eligible = lengths[lengths >= config.min_length].index
    scored = tuple(config.models)
    dropped: dict[str, str] = {}
    if "SeasonalNaive" in scored:
        season = menu.season_length(config.freq)
        longest = int(lengths.max()) if len(lengths) else 0
        if longest - config.horizon < season:
            # Said in whole series lengths: "longest: -4" (4 periods less the horizon of 8)
            # told a reader nothing.
            scored = tuple(m for m in scored if m != "SeasonalNaive")
            dropped["SeasonalNaive"] = (
                f"needs a series of {season + config.horizon} periods (one season of "
                f"{season} before the last {config.horizon}); the longest has {longest}"
            )
    candidates = menu.selectable(scored, config.select_baselines)

    cv_hist = hist[hist["unique_id"].isin(set(eligible))]
    if len(cv_hist):
        cv = run_statsforecast(
            cv_hist,
            scored,
            config,
            mode="cv",
            engine=engine,
            partitions=partitions,
            progress=progress,
            label="backtest",
        )
        windows = window_mase(cv, cv_hist, list(scored))
    else:
        cv = pd.DataFrame(columns=["unique_id", "ds", "cutoff", "y", *scored])
        windows = pd.DataFrame(columns=["unique_id", "cutoff", "scale", *scored])

    table = _per_series(keys, lengths, windows, scored)
    default = _default_model(table, candidates)
    _choose(table, candidates, default, config)
    table["sigma"], table["sigma_source"] = _sigma(table, cv, hist)
    _nested(table, windows, candidates, naive="Naive", config=config)
    table["relative"] = table["mase_chosen"] / table["mase_naive"].where(table["mase_naive"] > 0)
    return Backtest(
        config=config,
        scored=scored,
        candidates=candidates,
        default_model=default,
        windows=windows,
        table=table,
        dropped_models=dropped,
        seconds=time.perf_counter() - t0,
    )


def _per_series(
    keys: pd.DataFrame, lengths: pd.Series, windows: pd.DataFrame, scored: tuple[str, ...]
) -> pd.DataFrame:
    table = keys.copy()
    table["length"] = table["unique_id"].map(lengths).astype(int)
    g = windows.groupby("unique_id")
    table["n_windows"] = table["unique_id"].map(g.size()).fillna(0).astype(int)
    table["n_scored"] = (
        table["unique_id"].map(g["scale"].apply(lambda s: int((s > 0).sum()))).fillna(0)
    ).astype(int)
    means = g[list(scored)].mean() if len(windows) else pd.DataFrame(columns=list(scored))
    for m in scored:
        table[f"mase_{m}"] = table["unique_id"].map(means[m]).astype(float)
    return table


def _default_model(table: pd.DataFrame, candidates: tuple[str, ...]) -> str:
    robust = [m for m in candidates if m in menu.ANY_LENGTH] or ["ADIDA"]
    means = {m: table[f"mase_{m}"].mean() for m in robust if f"mase_{m}" in table}
    means = {m: v for m, v in means.items() if not math.isnan(v)}
    return min(means, key=lambda m: (means[m], robust.index(m))) if means else robust[0]


def _choose(
    table: pd.DataFrame, candidates: tuple[str, ...], default: str, config: ForecastConfig
) -> None:
    scores = table[[f"mase_{m}" for m in candidates]].to_numpy(dtype=float)
    has = ~np.isnan(scores).all(axis=1)
    best = np.argmin(np.where(np.isnan(scores), np.inf, scores), axis=1)  # first on ties
    chosen = np.array(candidates, dtype=object)[best]
    table["chosen"] = np.where(has, chosen, default)
    table["chosen_by"] = np.select(
        [has, table["n_windows"] == 0],
        ["backtest", f"default: too short (< {config.min_length} periods)"],
        "default: no scored window",
    )
    picked = [
        table.at[i, f"mase_{c}"] if f"mase_{c}" in table else np.nan
        for i, c in zip(table.index, table["chosen"], strict=True)
    ]
    table["mase_chosen"] = np.where(has, picked, np.nan)
    table["mase_naive"] = table["mase_Naive"]


def _sigma(table: pd.DataFrame, cv: pd.DataFrame, hist: pd.DataFrame) -> tuple[Any, Any]:
    chosen = table.set_index("unique_id")["chosen"]
    rmse = pd.Series(dtype=float)
    if len(cv):
        pred_cols = [c for c in cv.columns if c not in ("unique_id", "ds", "cutoff", "y")]
        which = cv["unique_id"].map(chosen)
        vals = cv[pred_cols].to_numpy(dtype=float)
        col_index = {c: i for i, c in enumerate(pred_cols)}
        idx = which.map(col_index).fillna(-1).astype(int).to_numpy()
        pred = np.where(idx >= 0, vals[np.arange(len(cv)), np.clip(idx, 0, None)], np.nan)
        sq = pd.Series((cv["y"].to_numpy(dtype=float) - pred) ** 2, index=cv.index)
        rmse = np.sqrt(sq.groupby(cv["unique_id"]).mean())
    hist_std = hist.groupby("unique_id")["y"].std(ddof=1).fillna(0.0)
    from_bt = table["unique_id"].map(rmse)
    use_bt = from_bt.notna() & (table["n_windows"] > 0)
    sigma = np.where(use_bt, from_bt, table["unique_id"].map(hist_std))
    source = np.where(use_bt, "backtest_rmse", "history_std")
    return sigma, source


def _nested(
    table: pd.DataFrame,
    windows: pd.DataFrame,
    candidates: tuple[str, ...],
    naive: str,
    config: ForecastConfig,
) -> None:
    """Held-out evaluation of the selection procedure (module doc), into ``table``."""
    table["heldout_chosen"] = np.nan
    table["heldout_naive"] = np.nan
    table["heldout_windows"] = 0
    if windows.empty:
        return
    span = pd.Timedelta(days=config.period_days * config.horizon)
    w = windows.dropna(subset=["scale"])
    w = w[w["scale"] > 0]
    chosen_scores, naive_scores = [], []
    for cut in sorted(w["cutoff"].unique()):
        earlier = w[w["cutoff"] + span <= cut]
        if earlier.empty:
            continue
        sel = earlier.groupby("unique_id")[list(candidates)].mean()
        sel = sel.dropna(how="all")
        pick = sel.fillna(np.inf).idxmin(axis=1)
        test = w[w["cutoff"] == cut].set_index("unique_id")
        test = test.loc[test.index.intersection(pick.index)]
        if test.empty:
            continue
        cols = pick.loc[test.index]
        score = test.to_numpy()[
            np.arange(len(test)), [test.columns.get_loc(c) for c in cols]
        ].astype(float)
        chosen_scores.append(pd.Series(score, index=test.index))
        naive_scores.append(test[naive].astype(float))
    if not chosen_scores:
        return
    c = pd.concat(chosen_scores).groupby(level=0)
    n = pd.concat(naive_scores).groupby(level=0)
    table["heldout_chosen"] = table["unique_id"].map(c.mean())
    table["heldout_naive"] = table["unique_id"].map(n.mean())
    table["heldout_windows"] = table["unique_id"].map(c.size()).fillna(0).astype(int)
