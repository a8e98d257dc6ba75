"""MASE, exactly as cbec computes it, and the per-series relative figures built from it.

Definitions (series *i*, backtest window *w* with cutoff *c*, model *m*, horizon *h*)::

    scale(i, w)   = mean |y_t − y_{t−1}|            over the training part t ≤ c (n−1 diffs)
    MASE(i, w, m) = mean |y_{c+k} − ŷ_m(c+k)| / scale(i, w)      k = 1 … h
    MASE(i, m)    = mean of MASE(i, w, m) over the windows with scale(i, w) > 0

The scale is the in-sample MAE of the one-step naive forecast (Hyndman & Koehler 2006),
recomputed at each cutoff from the data the model saw — never from the test weeks.

**Zero scale.** A training history that is constant (all zeros, typically, when series are
filled from the start of the panel) has scale 0; every error would be infinite and any
tie meaningless, so such a window is *not scored*: its MASE is NaN, ``n_scored`` counts the
windows that were, and a series with none gets the panel's default model (see
:mod:`.backtest`). A model that cannot forecast a window (SeasonalNaive before one full
season of history) is NaN there too, and is never chosen on a window it did not score.

**Relative MASE** of series *i* = MASE(i, chosen) / MASE(i, Naive), defined where
MASE(i, Naive) > 0 (Naive can be exactly right on an all-zero test window). Summaries give
its mean, median and geometric mean, and the *ratio of means* mean_i MASE(i, chosen) /
mean_i MASE(i, Naive), which no single series can dominate by a near-zero denominator.
"1 − ratio" is the "% lower MASE than naive" the goals are stated in.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd


def naive_scales(history: pd.DataFrame, cutoffs: pd.DataFrame) -> pd.DataFrame:
    """``unique_id, cutoff, scale`` for every (series, cutoff) pair in ``cutoffs``.

    ``history`` is the long frame the backtest ran on (``unique_id, ds, y``). Cumulative sums
    give all cutoffs of all series in one pass instead of a groupby-apply per window.
    """
    h = history.sort_values(["unique_id", "ds"], kind="stable")
    diff = h.groupby("unique_id", sort=False)["y"].diff().abs()
    csum = diff.fillna(0.0).groupby(h["unique_id"], sort=False).cumsum()
    n_diffs = h.groupby("unique_id", sort=False).cumcount()
    scale = (csum / n_diffs.where(n_diffs > 0)).rename("scale")
    table = pd.DataFrame({"unique_id": h["unique_id"], "cutoff": h["ds"], "scale": scale})
    return cutoffs.merge(table, on=["unique_id", "cutoff"], how="left")


def window_mase(cv: pd.DataFrame, history: pd.DataFrame, models: list[str]) -> pd.DataFrame:
    """One row per (series, window): ``unique_id, cutoff, scale`` + MASE of each model.

    ``cv`` is statsforecast's cross-validation output (``unique_id, ds, cutoff, y`` and one
    column per model).
    """
    abs_err = cv[models].sub(cv["y"], axis=0).abs()
    abs_err[["unique_id", "cutoff"]] = cv[["unique_id", "cutoff"]]
    mae = abs_err.groupby(["unique_id", "cutoff"], sort=True).mean().reset_index()
    scales = naive_scales(history, mae[["unique_id", "cutoff"]])
    out = mae[["unique_id", "cutoff"]].copy()
    out["scale"] = scales["scale"].to_numpy()
    usable = out["scale"] > 0
    for m in models:
        out[m] = np.where(usable, mae[m] / out["scale"].where(usable), np.nan)
    return out


def relative_summary(chosen: pd.Series, naive: pd.Series) -> dict[str, float | int]:
    """Mean / median / geometric-mean relative MASE and the ratio of means (see module doc)."""
    both = pd.DataFrame({"c": chosen, "n": naive}).dropna()
    rel = both["c"][both["n"] > 0] / both["n"][both["n"] > 0]
    positive = rel[rel > 0]
    mean_c, mean_n = float(both["c"].mean()), float(both["n"].mean())
    ratio = mean_c / mean_n if mean_n > 0 else math.nan
    return {
        "series": len(both),
        "mase_chosen_mean": mean_c,
        "mase_naive_mean": mean_n,
        "ratio_of_means": ratio,
        "improvement_vs_naive": 1 - ratio,
        "relative_mean": float(rel.mean()) if len(rel) else math.nan,
        "relative_median": float(rel.median()) if len(rel) else math.nan,
        "relative_geomean": float(np.exp(np.log(positive).mean())) if len(positive) else math.nan,
        "series_better_than_naive": int((rel < 1).sum()),
        "series_relative_defined": len(rel),
    }
