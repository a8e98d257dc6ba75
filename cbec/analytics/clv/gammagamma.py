"""Gamma-Gamma: how much a customer spends per purchase, given what they spent so far.

Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves for Customer Base
Analysis", JMR 42(4); Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary Value".
Each purchase's value is Gamma(p, ν) around the customer's own mean p/ν; ν varies across
customers as Gamma(q, γ). It is fitted on customers with at least one repeat purchase, from
``x`` (repeat purchases) and ``zbar`` (their mean value). Per customer:

    log L = lnΓ(px+q) - lnΓ(px) - lnΓ(q) + q ln γ + (px-1) ln zbar + px ln x
            - (px+q) ln(γ + x·zbar)

The model assumes spend is independent of purchase frequency: check
:func:`frequency_spend_correlation` (near 0 on CDNOW) before trusting it on other data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import digamma, gammaln

from cbec.analytics.clv._fit import Progress, as_arrays, maximise, wdot

NAMES = ("p", "q", "gamma")


def log_likelihood(p, q, gamma, x, zbar) -> np.ndarray:
    """Per-customer Gamma-Gamma log-likelihood of the mean repeat spend (x ≥ 1, zbar > 0)."""
    x, zbar = (np.asarray(v, dtype=float) for v in (x, zbar))
    px = p * x
    return (
        gammaln(px + q)
        - gammaln(px)
        - gammaln(q)
        + q * np.log(gamma)
        + (px - 1) * np.log(zbar)
        + px * np.log(x)
        - (px + q) * np.log(gamma + x * zbar)
    )


@dataclass(frozen=True)
class GammaGamma:
    """Fitted (or given) Gamma-Gamma parameters and what they predict."""

    p: float
    q: float
    gamma: float
    log_likelihood: float = math.nan
    n: int = 0
    converged: bool = True
    iterations: int = 0

    def params(self) -> dict[str, float]:
        return {"p": self.p, "q": self.q, "gamma": self.gamma}

    def population_mean(self) -> float:
        """E[Z] of a customer we know nothing about: pγ / (q-1) (infinite when q ≤ 1)."""
        return self.p * self.gamma / (self.q - 1) if self.q > 1 else math.inf

    def expected_spend(self, x, zbar) -> np.ndarray:
        """E[Z | x, zbar] = (pγ + p·x·zbar) / (px + q - 1): a weighted average of the
        population mean and the customer's own mean, the weight on their own mean growing
        with x. Customers with x = 0 get the population mean."""
        x, zbar = (np.asarray(v, dtype=float) for v in (x, zbar))
        zbar = np.where(x > 0, zbar, 0.0)
        return (self.p * self.gamma + self.p * x * zbar) / (self.p * x + self.q - 1)


def _objective(x: np.ndarray, z: np.ndarray, w: np.ndarray):
    """Mean negative log-likelihood and gradient in log θ; the lnΓ and digamma terms depend
    on x alone and are computed once per distinct x."""
    wn = w / w.sum()
    ux, inv = np.unique(x, return_inverse=True)
    wux = np.bincount(inv, weights=wn, minlength=ux.size)
    lx, lz = np.log(x), np.log(z)
    xz = x * z
    sum_wx_lz_lx = wdot(wn, x * (lz + lx))
    sum_w_lz = wdot(wn, lz)

    def f(theta_log: np.ndarray) -> tuple[float, np.ndarray]:
        p, q, g = np.exp(theta_log)
        upx = p * ux
        lg = np.log(g + xz)
        px_q = p * x + q
        total = (
            wdot(wux, gammaln(upx + q) - gammaln(upx))
            - gammaln(q)
            + q * math.log(g)
            + p * sum_wx_lz_lx
            - sum_w_lz
            - wdot(wn, px_q * lg)
        )
        if not np.isfinite(total):
            return 1e300, np.zeros(3)
        psi = digamma(upx + q)
        d_p = wdot(wux, ux * (psi - digamma(upx))) + sum_wx_lz_lx - wdot(wn, x * lg)
        d_q = wdot(wux, psi) - digamma(q) + math.log(g) - wdot(wn, lg)
        d_g = q / g - wdot(wn, px_q / (g + xz))
        return -float(total), -np.array([d_p * p, d_q * q, d_g * g])

    return f


def fit(
    x,
    zbar,
    *,
    weights=None,
    start: tuple[float, float, float] | None = None,
    progress: Progress | None = None,
) -> GammaGamma:
    """Maximum-likelihood Gamma-Gamma on customers with x ≥ 1 and zbar > 0 (others are
    left out here, as in the papers: without a repeat purchase there is no repeat spend).

    Start: p = q = 2 and γ chosen so that the population mean pγ/(q-1) equals the data's
    mean spend."""
    (x, zbar), w = as_arrays(x, zbar, weights=weights)
    keep = (x >= 1) & (zbar > 0)
    x, zbar, w = x[keep], zbar[keep], w[keep]
    if x.size == 0:
        raise ValueError("no customer with a repeat purchase and positive spend")
    if start is None:
        start = (2.0, 2.0, max(float(wdot(w, zbar) / w.sum()), 1e-6) / 2.0)
    res = maximise(_objective(x, zbar, w), start, float(w.sum()), progress=progress)
    p, q, g = (float(v) for v in res.params)
    return GammaGamma(p, q, g, res.log_likelihood, int(w.sum()), res.converged, res.iterations)


def frequency_spend_correlation(x, zbar) -> float:
    """Pearson correlation of x and zbar among repeat customers: the model assumes ~0."""
    x, zbar = (np.asarray(v, dtype=float) for v in (x, zbar))
    keep = (x >= 1) & (zbar > 0)
    if keep.sum() < 3:
        return math.nan
    return float(np.corrcoef(x[keep], zbar[keep])[0, 1])
