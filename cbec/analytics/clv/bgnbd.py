"""BG/NBD: how many repeat purchases a customer will make, and whether they are still around.

Fader, Hardie & Lee (2005), "'Counting Your Customers' the Easy Way: An Alternative to the
Pareto/NBD Model", Marketing Science 24(2) 275-284. While alive a customer buys as a Poisson
process with rate λ ~ Gamma(r, α); after each *repeat* purchase they drop out for good with
probability p ~ Beta(a, b). Inputs per customer are the summary of
:func:`cbec.analytics.transactions.summary`: ``x`` repeat purchases, ``t_x`` the time of the
last one, ``T`` the time observed (weeks).

Likelihood of one customer (paper eq. 6, here in log form so that customers with hundreds of
purchases do not underflow):

    L = Γ(r+x) α^r / Γ(r) · B(a, b+x) / B(a, b)
        · [ (α+T)^-(r+x) + 1{x>0} · a/(b+x-1) · (α+t_x)^-(r+x) ]

The gradient is in closed form (digamma), so a million customers fit in seconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import digamma, expit, gammaln, hyp2f1

from cbec.analytics.clv._fit import Progress, as_arrays, maximise, wdot

NAMES = ("r", "alpha", "a", "b")


@dataclass(frozen=True)
class BGNBD:
    """Fitted (or given) BG/NBD parameters and what they predict."""

    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float = math.nan
    n: int = 0
    converged: bool = True
    iterations: int = 0

    def params(self) -> dict[str, float]:
        return {"r": self.r, "alpha": self.alpha, "a": self.a, "b": self.b}

    def customer_log_likelihood(self, x, t_x, T) -> np.ndarray:
        """Log-likelihood of each customer (sum it for the model's)."""
        return log_likelihood(self.r, self.alpha, self.a, self.b, x, t_x, T)

    def p_alive(self, x, t_x, T) -> np.ndarray:
        """P(still active at T | x, t_x, T) = 1 / (1 + 1{x>0} a/(b+x-1) ((α+T)/(α+t_x))^(r+x)).

        A customer who never came back (x = 0) is alive with certainty in BG/NBD — dropout
        only happens right after a repeat purchase; the paper notes this as the model's
        known quirk (Pareto/NBD differs here)."""
        x, t_x, T = (np.asarray(v, dtype=float) for v in (x, t_x, T))
        has = x > 0
        bx1 = np.where(has, self.b + x - 1, 1.0)
        odds = (
            np.log(self.a)
            - np.log(bx1)
            + (self.r + x) * (np.log(self.alpha + T) - np.log(self.alpha + t_x))
        )
        return np.where(has, expit(-odds), 1.0)

    def expected_purchases(self, t, x, t_x, T) -> np.ndarray:
        """E[purchases in (T, T+t] | x, t_x, T] (paper eq. 10).

            (a+b+x-1)/(a-1) · [1 - ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z)]
            / [1 + 1{x>0} a/(b+x-1) ((α+T)/(α+t_x))^(r+x)],    z = t/(α+T+t)

        The bracket is evaluated after Euler's transformation, ((1-z)^(r+x) 2F1(r+x, b+x;
        c; z) = (1-z)^(a-1) 2F1(a+b-1-r, a-1; c; z)), whose parameters stay small however
        large x is: the direct form overflows for wholesale-like customers. See
        :func:`_decay` for where the transformed form fails instead."""
        x, t_x, T, t = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (x, t_x, T, t)))
        a = self.a if abs(self.a - 1) > 1e-7 else 1 + 1e-7  # the formula's 0/0 at a = 1
        c = a + self.b + x - 1
        z = np.ones_like(t)  # t = ∞: z = 1
        np.divide(t, self.alpha + T + t, out=z, where=np.isfinite(t))
        bracket = 1 - _decay(self.r, a, self.b, x, c, z)
        return c / (a - 1) * bracket * self.p_alive(x, t_x, T)

    def unconditional_expected(self, t) -> np.ndarray:
        """E[X(t)]: expected repeat purchases by time t of a customer just acquired (eq. 9)."""
        t = np.asarray(t, dtype=float)
        zero = np.zeros_like(t)
        return self.expected_purchases(t, zero, zero, zero)


def _decay(r, a, b, x, c, z) -> np.ndarray:
    """(1-z)^(r+x) 2F1(r+x, b+x; c; z), c = a+b+x-1, by Euler's form (1-z)^(a-1)
    2F1(a+b-1-r, a-1; c; z) where that is a finite product, else by the direct form.

    The Euler form is 0 · ∞ when a is large (p nearly fixed: a fit on a small shop gave
    a = 6e5, b = 5e6): (1-z)^(a-1) underflows to 0 while its 2F1, whose parameters are then
    of the order of a+b, overflows — the product came out NaN ("invalid value encountered in
    multiply"). The direct form's parameters are small there. At z = 1 (an infinite horizon)
    the product tends to 0 for a > 1 whichever form overflows: 2F1 grows like
    (1-z)^(c-A-B) at most, and (1-z)^(a-1) · (1-z)^(x+r-a+1) = (1-z)^(x+r) → 0. For a < 1 it
    is +∞ (no finite expectation), which the Euler form gives as is."""
    with np.errstate(divide="ignore"):  # 0^(a-1) = ∞ for a < 1 at z = 1: the value meant
        f = (1 - z) ** (a - 1)
    g = hyp2f1(a + b - 1 - r, a - 1, c, z)
    zero_inf = ((f == 0) & np.isinf(g)) | (np.isinf(f) & (g == 0))
    out = np.zeros(np.shape(z))
    np.multiply(f, g, out=out, where=~zero_inf)
    direct = zero_inf & (z < 1)  # at z = 1 (then a > 1) the limit 0 stays
    if np.any(direct):
        zd, rx = z[direct], r + x[direct]
        out[direct] = (1 - zd) ** rx * hyp2f1(rx, b + x[direct], c[direct], zd)
    return out


def log_likelihood(r, alpha, a, b, x, t_x, T) -> np.ndarray:
    """Per-customer BG/NBD log-likelihood (see the module docstring)."""
    x, t_x, T = (np.asarray(v, dtype=float) for v in (x, t_x, T))
    has = x > 0
    bx1 = np.where(has, b + x - 1, 1.0)
    l3 = -(r + x) * np.log(alpha + T)
    l4 = np.where(has, np.log(a) - np.log(bx1) - (r + x) * np.log(alpha + t_x), -np.inf)
    return (
        gammaln(r + x)
        - gammaln(r)
        + r * np.log(alpha)
        + gammaln(a + b)
        + gammaln(b + x)
        - gammaln(b)
        - gammaln(a + b + x)
        + np.logaddexp(l3, l4)
    )


class _Objective:
    """Mean negative log-likelihood and gradient in log θ. Terms that depend on x alone are
    computed once per distinct x (a few hundred values even for a million customers)."""

    def __init__(self, x: np.ndarray, t_x: np.ndarray, T: np.ndarray, w: np.ndarray) -> None:
        self.ux, self.inv = np.unique(x, return_inverse=True)
        self.x, self.t_x, self.T = x, t_x, T
        self.w = w / w.sum()
        self.has = x > 0
        self.wux = np.bincount(self.inv, weights=self.w, minlength=self.ux.size)

    def __call__(self, z: np.ndarray) -> tuple[float, np.ndarray]:
        r, alpha, a, b = np.exp(z)
        ux, inv, x, w, has = self.ux, self.inv, self.x, self.w, self.has
        uhas = ux > 0
        ubx1 = np.where(uhas, b + ux - 1, 1.0)
        # x-only terms, on the distinct values
        lg = gammaln(r + ux) + gammaln(b + ux) - gammaln(a + b + ux)
        lnb = np.where(uhas, np.log(a) - np.log(ubx1), -np.inf)
        ln_at = np.log(alpha + self.T)
        ln_ax = np.log(alpha + self.t_x)
        rx = r + x
        l3 = -rx * ln_at
        l4 = np.where(has, lnb[inv] - rx * ln_ax, -np.inf)
        m = np.maximum(l3, l4)
        e3 = np.exp(l3 - m)
        e4 = np.exp(l4 - m)
        s = e3 + e4
        p4 = e4 / s
        p3 = 1 - p4
        const = -gammaln(r) + r * np.log(alpha) + gammaln(a + b) - gammaln(b)
        ll = const + wdot(self.wux, lg) + wdot(w, m + np.log(s))
        # gradient in θ
        d_r = (
            -digamma(r)
            + np.log(alpha)
            + wdot(self.wux, digamma(r + ux))
            - wdot(w, p3 * ln_at + p4 * ln_ax)
        )
        d_alpha = r / alpha - wdot(w, rx * (p3 / (alpha + self.T) + p4 / (alpha + self.t_x)))
        wp4 = np.bincount(inv, weights=w * p4, minlength=ux.size)
        d_a = digamma(a + b) - wdot(self.wux, digamma(a + b + ux)) + wp4.sum() / a
        d_b = (
            digamma(a + b)
            - digamma(b)
            + wdot(self.wux, digamma(b + ux) - digamma(a + b + ux))
            - wdot(wp4[uhas], 1 / ubx1[uhas])
        )
        grad = np.array([d_r * r, d_alpha * alpha, d_a * a, d_b * b])
        if not np.isfinite(ll):
            return 1e300, np.zeros(4)
        return -float(ll), -grad


def fit(
    x,
    t_x,
    T,
    *,
    weights=None,
    start: tuple[float, float, float, float] | None = None,
    progress: Progress | None = None,
) -> BGNBD:
    """Maximum-likelihood BG/NBD on per-customer (x, t_x, T).

    Start: r = 1, α set so that the mean purchase rate r/α matches the data's (repeat
    purchases per week observed), a = b = 1 (p uniform). From there L-BFGS-B reaches the
    CDNOW optimum in ~30 iterations."""
    (x, t_x, T), w = as_arrays(x, t_x, T, weights=weights)
    if np.any(x < 0) or np.any(t_x < 0) or np.any(t_x > T + 1e-9) or np.any(T < 0):
        raise ValueError("need x ≥ 0 and 0 ≤ t_x ≤ T")
    if start is None:
        rate = max(float(wdot(w, x)) / float(wdot(w, T)), 1e-6)
        start = (1.0, 1.0 / rate, 1.0, 1.0)
    res = maximise(_Objective(x, t_x, T, w), start, float(w.sum()), progress=progress)
    r, alpha, a, b = (float(v) for v in res.params)
    return BGNBD(r, alpha, a, b, res.log_likelihood, int(w.sum()), res.converged, res.iterations)
