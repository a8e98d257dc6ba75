"""Customer lifetime value: a count model's expected purchases × Gamma-Gamma's expected spend,
discounted.

    CLV_i = margin · E[Z_i | x_i, zbar_i]
            · Σ_{k=1..K} ( E[Y_i(τ_k)] - E[Y_i(τ_{k-1})] ) / (1 + d)^(τ_k / 52.18)

``E[Y_i(τ)]`` is the count model's conditional expectation of purchases in the next τ weeks
(BG/NBD or Pareto/NBD), ``τ_k = min(k·Δ, H)`` cuts the horizon H (weeks) into periods of Δ
weeks (default a month, 365.25/12/7 ≈ 4.35), and ``d`` is the *annual* discount rate. Each
period's purchases are discounted at the period's end (end-of-period convention: slightly
conservative), with 365.25/7 ≈ 52.18 weeks a year. Multiplying expected count and expected
spend assumes the two are independent — Gamma-Gamma's own assumption.

The result is money in the data's currency before margin unless ``margin`` < 1 is given;
:func:`cbec.analytics.transactions.money` rounds it to the cent for reports.
"""

from __future__ import annotations

import math
from typing import Protocol

import numpy as np
import polars as pl

from cbec.analytics.clv.gammagamma import GammaGamma

WEEKS_PER_YEAR = 365.25 / 7
MONTH_WEEKS = 365.25 / 12 / 7


class CountModel(Protocol):
    """BG/NBD or Pareto/NBD (anything predicting purchases in the next t weeks)."""

    def expected_purchases(self, t, x, t_x, T) -> np.ndarray: ...

    def p_alive(self, x, t_x, T) -> np.ndarray: ...


def discounted_purchases(
    model: CountModel,
    x,
    t_x,
    T,
    horizon_weeks: float,
    *,
    annual_discount: float = 0.10,
    period_weeks: float = MONTH_WEEKS,
) -> np.ndarray:
    """Σ_k (E[Y(τ_k)] - E[Y(τ_{k-1})]) / (1+d)^(τ_k/52.18): the discounted purchase count."""
    if horizon_weeks <= 0 or period_weeks <= 0:
        raise ValueError("horizon and period must be positive")
    if annual_discount <= -1:
        raise ValueError("annual discount rate must be > -100 %")
    x, t_x, T = (np.asarray(v, dtype=float) for v in (x, t_x, T))
    periods = math.ceil(horizon_weeks / period_weeks - 1e-12)
    total = np.zeros(np.broadcast(x, t_x, T).shape)
    before = np.zeros_like(total)
    for k in range(1, periods + 1):
        tau = min(k * period_weeks, horizon_weeks)
        now = model.expected_purchases(tau, x, t_x, T)
        total += (now - before) / (1 + annual_discount) ** (tau / WEEKS_PER_YEAR)
        before = now
    return total


def clv(
    model: CountModel,
    spend: GammaGamma,
    x,
    t_x,
    T,
    zbar,
    horizon_weeks: float,
    *,
    annual_discount: float = 0.10,
    period_weeks: float = MONTH_WEEKS,
    margin: float = 1.0,
) -> np.ndarray:
    """Per-customer CLV over ``horizon_weeks`` (formula in the module docstring)."""
    count = discounted_purchases(
        model,
        x,
        t_x,
        T,
        horizon_weeks,
        annual_discount=annual_discount,
        period_weeks=period_weeks,
    )
    return margin * spend.expected_spend(x, zbar) * count


def predictions(
    summary: pl.DataFrame,
    model: CountModel,
    spend: GammaGamma,
    weeks: float,
    *,
    annual_discount: float = 0.10,
    period_weeks: float = MONTH_WEEKS,
    margin: float = 1.0,
) -> pl.DataFrame:
    """Per-customer predictions for a summary frame (:func:`~cbec.analytics.transactions.summary`):
    ``p_alive``, ``expected_purchases`` in the next ``weeks``, ``expected_spend`` per
    purchase, and ``clv`` over the same ``weeks``. Money columns (``zbar``,
    ``expected_spend``, ``clv``, ``amount_holdout``) are rounded to the cent; counts and
    probabilities to 6 decimals."""
    x, t_x, T, zbar = (summary[c].to_numpy().astype(float) for c in ("x", "t_x", "T", "zbar"))
    p_alive = np.asarray(model.p_alive(x, t_x, T))
    expected = model.expected_purchases(weeks, x, t_x, T)
    spend_each = spend.expected_spend(x, zbar)
    value = clv(
        model,
        spend,
        x,
        t_x,
        T,
        zbar,
        weeks,
        annual_discount=annual_discount,
        period_weeks=period_weeks,
        margin=margin,
    )
    cols = {
        "customer": summary["customer"],
        "x": summary["x"],
        "t_x": summary["t_x"].round(4),
        "T": summary["T"].round(4),
        "zbar": summary["zbar"].round(2),
        "p_alive": pl.Series(p_alive).round(6),
        "expected_purchases": pl.Series(expected).round(6),
        "expected_spend": pl.Series(spend_each).round(2),
        "clv": pl.Series(value).round(2),
    }
    for extra in ("x_holdout", "amount_holdout"):
        if extra in summary.columns:
            cols[extra] = summary[extra].round(2) if extra == "amount_holdout" else summary[extra]
    return pl.DataFrame(cols)
