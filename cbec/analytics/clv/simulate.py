"""Customers drawn from the BG/NBD process with known parameters: the ground truth for
checking that a fit recovers what generated the data (tests, ``bench/analytics.py``)."""

from __future__ import annotations

import numpy as np


def bgnbd(
    n: int,
    r: float,
    alpha: float,
    a: float,
    b: float,
    T: float | np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(x, t_x, T)`` of ``n`` customers observed for ``T`` weeks after their first purchase.

    Each customer gets λ ~ Gamma(r, rate α) and p ~ Beta(a, b); repeat purchases arrive with
    exponential gaps of mean 1/λ, and after each one the customer drops out with
    probability p (none at the first purchase, as in the model). Vectorised over the
    customers still buying, so a million customers take about a second."""
    T = np.broadcast_to(np.asarray(T, dtype=float), (n,)).copy()
    lam = rng.gamma(r, 1.0 / alpha, n)
    p = rng.beta(a, b, n)
    x = np.zeros(n, dtype=np.int64)
    t_x = np.zeros(n)
    now = np.zeros(n)
    live = np.flatnonzero(lam > 0)
    while live.size:
        now[live] += rng.exponential(1.0, live.size) / lam[live]
        live = live[now[live] <= T[live]]
        x[live] += 1
        t_x[live] = now[live]
        live = live[rng.random(live.size) >= p[live]]
    return x, t_x, T


def paretonbd(
    n: int,
    r: float,
    alpha: float,
    s: float,
    beta: float,
    T: float | np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(x, t_x, T)`` from the Pareto/NBD process: λ ~ Gamma(r, rate α), μ ~ Gamma(s,
    rate β), an exponential lifetime τ with rate μ; purchases are Poisson(λ) over
    min(τ, T), so x ~ Poisson(λ·min(τ, T)) and t_x is the largest of x uniform times on
    that span (min(τ,T) · U^(1/x))."""
    T = np.broadcast_to(np.asarray(T, dtype=float), (n,)).copy()
    lam = rng.gamma(r, 1.0 / alpha, n)
    mu = rng.gamma(s, 1.0 / beta, n)
    with np.errstate(divide="ignore"):
        life = rng.exponential(1.0, n) / mu
    span = np.minimum(life, T)
    x = rng.poisson(lam * span)
    t_x = np.where(x > 0, span * rng.random(n) ** (1.0 / np.maximum(x, 1)), 0.0)
    return x.astype(np.int64), t_x, T


def spend(x: np.ndarray, p: float, q: float, gamma: float, rng: np.random.Generator) -> np.ndarray:
    """Mean repeat spend ``zbar`` under Gamma-Gamma: ν ~ Gamma(q, rate γ) per customer, each
    purchase Gamma(p, rate ν), so the mean of x purchases is Gamma(p·x, rate ν·x); 0 when
    x = 0."""
    x = np.asarray(x)
    nu = rng.gamma(q, 1.0 / gamma, x.size)
    k = np.maximum(x, 1)
    return np.where(x > 0, rng.gamma(p * k, 1.0 / (nu * k)), 0.0)
