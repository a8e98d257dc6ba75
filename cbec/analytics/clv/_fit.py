"""Maximum likelihood in log-parameter space, shared by the three models.

All parameters of these models are positive, so the optimiser works on ``log θ``: the search
is unconstrained, no bound is ever hit, and the steps are scale-free (alpha is ~10 while r is
~0.2 on CDNOW). The objective is the *mean* negative log-likelihood per customer, so the
stopping tolerances mean the same on 2,000 customers as on 1,000,000.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import minimize
from threadpoolctl import ThreadpoolController

# (log θ) -> (mean negative log-likelihood, its gradient w.r.t. log θ)
Objective = Callable[[np.ndarray], tuple[float, np.ndarray]]
Progress = Callable[[int], None]
LOG_BOUND = 20.0  # parameters kept in [e^-20, e^20] ≈ [2e-9, 5e8]: beyond, the model is degenerate
GRAD_TOL = 1e-5  # max |d mean-LL / d log θ| accepted as an optimum


_serial_lock = threading.Lock()
_serial_depth = 0
_serial_limiter: Any = None
_controller: ThreadpoolController | None = None


@contextmanager
def _blas_serial() -> Iterator[None]:
    """BLAS on one thread while any fit runs. L-BFGS-B's few tiny BLAS calls per iteration
    (a Cholesky of a ≤ 2m x 2m matrix) wake OpenBLAS's worker threads; with the other CPU
    busy, waking them cost ~3 ms per iteration against ~0.1 ms single-threaded (measured on
    a 2-CPU machine: 30-100 ms of optimiser for a 4-parameter problem, more than a CDNOW
    fit's likelihood evaluations). The limit is process-wide, so concurrent fits share one
    limiter, set by the first to enter and lifted by the last to leave. The libraries are
    looked up once (a lookup walks every loaded library: ~1 ms, as much as a CDNOW
    likelihood evaluation); scipy's BLAS is loaded by then, as this module imports scipy."""
    global _serial_depth, _serial_limiter, _controller
    with _serial_lock:
        if _serial_depth == 0:
            if _controller is None:
                _controller = ThreadpoolController()
            _serial_limiter = _controller.limit(limits=1, user_api="blas")
        _serial_depth += 1
    try:
        yield
    finally:
        with _serial_lock:
            _serial_depth -= 1
            if _serial_depth == 0 and _serial_limiter is not None:
                _serial_limiter.restore_original_limits()
                _serial_limiter = None


@dataclass(frozen=True)
class Fit:
    params: np.ndarray  # θ, not log θ
    log_likelihood: float  # total (not mean), as the papers report it
    converged: bool
    iterations: int
    evaluations: int
    message: str


def maximise(
    objective: Objective,
    start: Sequence[float],
    total_weight: float,
    *,
    progress: Progress | None = None,
    max_iter: int = 1000,
) -> Fit:
    """Maximise the likelihood from ``start`` (θ) with L-BFGS-B on log θ.

    ``objective`` returns the mean negative log-likelihood and its gradient in log θ;
    ``total_weight`` (number of customers) turns the mean back into the total.
    ``progress`` is called with the iteration number after every iteration (the CLI
    draws its progress bar with it; the domain code stays free of any UI library)."""
    it = 0

    def step(_xk: np.ndarray) -> None:
        nonlocal it
        it += 1
        if progress is not None:
            progress(it)

    with _blas_serial():
        res = minimize(
            objective,
            np.log(np.asarray(start, dtype=float)),
            jac=True,
            method="L-BFGS-B",
            bounds=[(-LOG_BOUND, LOG_BOUND)] * len(start),
            callback=step,
            options={"maxiter": max_iter, "ftol": 1e-14, "gtol": 1e-9, "maxcor": 20},
        )
    theta = np.exp(res.x)
    # The tolerances above are deliberately at float precision, so L-BFGS-B often ends with
    # "ABNORMAL" (no further decrease possible) at an optimum: judge by the gradient, with
    # components pushing against a bound (a parameter running off to 0 or infinity, e.g. no
    # dropout at all in the data) counted as satisfied.
    g = np.asarray(res.jac, dtype=float)
    g = np.where((res.x <= -LOG_BOUND + 1e-9) & (g > 0), 0.0, g)
    g = np.where((res.x >= LOG_BOUND - 1e-9) & (g < 0), 0.0, g)
    stationary = bool(np.all(np.isfinite(g))) and float(np.max(np.abs(g))) < GRAD_TOL
    return Fit(
        params=theta,
        log_likelihood=-float(res.fun) * total_weight,
        converged=(bool(res.success) or stationary) and bool(np.all(np.isfinite(theta))),
        iterations=int(res.nit),
        evaluations=int(res.nfev),
        message=str(res.message),
    )


def as_arrays(*cols: object, weights: object = None) -> tuple[list[np.ndarray], np.ndarray]:
    """The model inputs as float arrays of one length, and weights (1 each by default).

    Weights let identical customers be given once with a count (large synthetic or
    bucketed data); every likelihood sum is weighted by them."""
    arrays = [np.asarray(c, dtype=float).ravel() for c in cols]
    n = arrays[0].size
    if any(a.size != n for a in arrays):
        raise ValueError("inputs differ in length")
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float).ravel()
    if w.size != n:
        raise ValueError("weights differ in length from the inputs")
    if n == 0 or w.sum() <= 0:
        raise ValueError("no customers to fit")
    for a in arrays:
        if not np.all(np.isfinite(a)):
            raise ValueError("inputs contain NaN or infinity")
    return arrays, w


def wdot(w: np.ndarray, v: np.ndarray) -> float:
    """Σ w·v without BLAS. ``w @ v`` goes to OpenBLAS, whose threads were measured to make a
    1M-customer BG/NBD fit 3x slower (4.3 s against 1.4 s) on a 2-CPU machine whose other CPU
    was busy; einsum's own loop is single-threaded and costs ~0.5 ms per million."""
    return float(np.einsum("i,i->", w, v))
