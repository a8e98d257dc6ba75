"""CLV models against the published CDNOW estimates, fitted from the raw transactions.

The expectations are read from ``tests/data/cdnow/published_estimates.json`` (Fader, Hardie
& Lee 2005 and Hardie's spreadsheets); the fits start from ``CDNOW_sample.txt`` through our
own summary builder, so the data rules (same-day merge, inclusive calibration end, weeks =
days / 7, zbar of repeat purchases only) are tested along with the likelihoods.
"""

from __future__ import annotations

import csv
import gzip
import json
import math
import warnings
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import typer
from typer.testing import CliRunner

from cbec.analytics import clv
from cbec.analytics import transactions as tr
from cbec.analytics.clv import bgnbd, paretonbd
from cbec.cli.analytics_cli import analytics
from tests.conftest import DATA, SHARED, needs_shared
from tests.retail_data import FILES, FULL, purchase_days

CDNOW = DATA / "cdnow"
CDNOW_MASTER = SHARED / "data" / "cdnow" / "CDNOW_master.txt"
CAL_END = date(1997, 9, 30)
PUBLISHED = json.loads((CDNOW / "published_estimates.json").read_text())


@pytest.fixture(scope="module")
def sample() -> pl.DataFrame:
    return tr.summary(tr.read_cdnow(CDNOW / "CDNOW_sample.txt"), CAL_END)


@pytest.fixture(scope="module")
def arrays(sample):
    return tuple(sample[c].to_numpy().astype(float) for c in ("x", "t_x", "T", "zbar"))


@pytest.fixture(scope="module")
def bg(arrays) -> clv.BGNBD:
    x, t_x, T, _ = arrays
    return clv.fit_bgnbd(x, t_x, T)


@pytest.fixture(scope="module")
def pnbd(arrays) -> clv.ParetoNBD:
    x, t_x, T, _ = arrays
    return clv.fit_paretonbd(x, t_x, T)


@pytest.fixture(scope="module")
def gg(arrays) -> clv.GammaGamma:
    x, _, _, zbar = arrays
    return clv.fit_gammagamma(x, zbar)


# --- the summary -----------------------------------------------------------------------------


def test_summary_from_raw_sample_equals_the_shipped_summary(sample):
    shipped = pl.read_csv(CDNOW / "cdnow_customers_summary_with_transactions.csv")
    mine = sample.with_columns(pl.col("customer").cast(pl.Int64).alias("ID"))
    both = shipped.join(mine, on="ID", suffix="_mine")
    assert shipped.height == sample.height == both.height == 2357
    assert (both["x"] == both["x_mine"]).all()
    assert (both["t_x"] == both["t_x_mine"].round(2)).all()
    assert (both["T"] == both["T_mine"].round(2)).all()
    assert (both["zbar"] - both["zbar_mine"]).abs().max() <= 0.01 + 1e-9
    # holdout 1997-10-01..1998-06-30: 1,882 customer-days (README "Checked here")
    assert sample["x_holdout"].sum() == 1882
    assert sample["holdout_weeks"][0] == pytest.approx(273 / 7)
    # customers in file order: IDs 1..2357
    assert sample["customer"].head(3).to_list() == ["1", "2", "3"]


def test_cdnow_readers():
    raw = tr.read_cdnow(CDNOW / "CDNOW_sample.txt")
    assert raw.height == 6919 and raw["customer"].n_unique() == 2357
    assert tr.purchase_days(raw).height == 6696  # same-day purchases merged
    assert raw.schema == pl.Schema(tr.SCHEMA)
    assert tr.is_cdnow(CDNOW / "CDNOW_sample.txt")
    assert not tr.is_cdnow(CDNOW / "cdnow_customers_summary.csv")


@needs_shared
def test_cdnow_master_reader():
    """The master file (1.9 MB, not in tests/data): a header line, 4 fields, zero-padded IDs."""
    master = tr.read_cdnow(CDNOW_MASTER)
    assert master.height == 69659 and master["customer"].n_unique() == 23570
    assert master.schema == pl.Schema(tr.SCHEMA)
    assert tr.is_cdnow(CDNOW_MASTER)


def test_summary_rules_on_a_hand_checked_table():
    tx = tr.from_records(
        [
            ("a", date(2024, 1, 1), Decimal("10.00")),
            ("a", datetime(2024, 1, 1, 18, 30), Decimal("5.00")),  # same day: one purchase
            ("a", "2024-01-15", Decimal("30.00")),
            ("a", "20240129", "20.50"),  # on the calibration end: inside
            ("a", "2024-02-05", 7),  # holdout
            ("b", "2024-01-22", 12.5),  # no repeat
            ("c", "2024-02-01", 3),  # first purchase after calibration: not a customer yet
        ]
    )
    s = tr.summary(tx, date(2024, 1, 29), date(2024, 2, 12))
    assert s["customer"].to_list() == ["a", "b"]
    a, b = s.row(0, named=True), s.row(1, named=True)
    assert a["x"] == 2 and a["t_x"] == pytest.approx(28 / 7) and a["T"] == pytest.approx(28 / 7)
    assert a["zbar"] == pytest.approx((30 + 20.5) / 2)  # repeats only, first day excluded
    assert a["x_holdout"] == 1 and a["amount_holdout"] == pytest.approx(7)
    assert b["x"] == 0 and b["t_x"] == 0 and b["zbar"] == 0 and b["T"] == pytest.approx(1)
    assert a["holdout_weeks"] == pytest.approx(2)
    with pytest.raises(tr.TransactionError):
        tr.summary(tx, date(2024, 3, 1), date(2024, 2, 1))
    with pytest.raises(tr.TransactionError):
        tr.from_records([("a", "01/02/2024", 1)])


def test_read_csv_dates_products_gzip_and_returns(tmp_path):
    rows = [
        ("Invoice", "Cust", "When", "Qty", "Price"),
        ("1", "007", "2024-03-01 10:00:00", "2", "1.50"),
        ("2", "007", "2024-03-05", "1", "4"),
        ("C3", "007", "2024-03-06", "-1", "4"),  # a return: not a purchase
        ("4", "", "2024-03-06", "1", "4"),  # no customer: dropped
        ("5", "9", "2024-03-07", "3", "0"),  # free: dropped
    ]
    path = tmp_path / "t.csv.gz"
    with gzip.open(path, "wt", newline="") as fh:
        csv.writer(fh).writerows(rows)
    tx = tr.read_csv(path, "Cust", "When", "Qty*Price")
    assert tx["customer"].to_list() == ["007", "007"]  # leading zeros kept
    assert tx["date"].to_list() == [date(2024, 3, 1), date(2024, 3, 5)]
    assert tx["amount"].to_list() == [3.0, 4.0]
    plain = tmp_path / "p.csv"
    plain.write_text("c,d,v\nx,20240102,5.25\nx,20240110,1\n")
    got = tr.read_any(plain, "c", "d", "v")["date"].to_list()
    assert got == [date(2024, 1, 2), date(2024, 1, 10)]
    bad = tmp_path / "bad.csv"
    bad.write_text("c,d,v\nx,2nd of May,5\n")
    with pytest.raises(tr.TransactionError, match="unreadable date"):
        tr.read_csv(bad, "c", "d", "v")
    with pytest.raises(tr.TransactionError, match="not in the file"):
        tr.read_csv(plain, "c", "d", "amount")


def test_money_is_decimal_rounded_half_up():
    assert tr.money(24.654) == Decimal("24.65") and tr.money(0.125) == Decimal("0.13")


# --- BG/NBD ----------------------------------------------------------------------------------


def test_bgnbd_reproduces_the_published_estimates(bg):
    pub = PUBLISHED["bgnbd"]["published"]
    assert bg.converged
    for k in ("r", "alpha", "a", "b"):
        assert getattr(bg, k) == pytest.approx(pub[k], abs=0.01), k
    assert bg.log_likelihood == pytest.approx(pub["log_likelihood"], abs=0.1)
    # and the independent reproduction to its printed 4 decimals
    rep = PUBLISHED["bgnbd"]["reproduced_here"]
    for k in ("r", "alpha", "a", "b"):
        assert getattr(bg, k) == pytest.approx(rep[k], abs=2e-4), k


def test_bgnbd_conditional_and_unconditional_expectations(bg):
    check = PUBLISHED["bgnbd"]["conditional_expectation_check"]
    got = bg.expected_purchases(check["t"], check["x"], check["t_x"], check["T"])
    assert float(got) == pytest.approx(check["expected"], abs=0.01)
    unc = PUBLISHED["bgnbd"]["unconditional_expectation_check"]
    assert bg.unconditional_expected(unc["t"]) == pytest.approx(unc["expected"], abs=0.01)
    # P(alive) of the same customer (reference 0.7266); x = 0 is alive for sure in BG/NBD
    assert float(bg.p_alive(2, 30.43, 38.86)) == pytest.approx(0.7266, abs=1e-3)
    assert float(bg.p_alive(0, 0, 38.86)) == 1.0


def test_bgnbd_holdout_checks(bg, sample, arrays):
    x, t_x, T, _ = arrays
    ref = PUBLISHED["bgnbd"]["holdout_checks_reproduced_here"]
    pred = bg.expected_purchases(39, x, t_x, T)
    actual = sample["x_holdout"].to_numpy()
    assert np.corrcoef(pred, actual)[0, 1] == pytest.approx(
        ref["corr_cond_exp_vs_actual_weeks40_78"], abs=1e-3
    )
    zero = x == 0
    assert zero.sum() == ref["zero_class_n"]
    assert actual[zero].sum() == ref["zero_class_actual_holdout_total"]
    assert pred[zero].mean() == pytest.approx(ref["zero_class_mean_pred"], abs=1e-3)


def test_bgnbd_from_the_shipped_summary():
    shipped = pl.read_csv(CDNOW / "cdnow_customers_summary_with_transactions.csv")
    m = clv.fit_bgnbd(shipped["x"], shipped["t_x"], shipped["T"])
    rep = PUBLISHED["bgnbd"]["reproduced_here"]
    assert [m.r, m.alpha, m.a, m.b] == pytest.approx([rep[k] for k in bgnbd.NAMES], abs=2e-4)
    assert m.log_likelihood == pytest.approx(rep["log_likelihood"], abs=0.01)


def test_bgnbd_gradient_and_weights(arrays):
    x, t_x, T, _ = arrays
    obj = bgnbd._Objective(x, t_x, T, np.ones(x.size))
    z = np.log([0.3, 5.0, 0.7, 2.0])
    num = [(obj(z + e)[0] - obj(z - e)[0]) / 2e-6 for e in np.eye(4) * 1e-6]
    assert obj(z)[1] == pytest.approx(num, abs=1e-6)
    # the same customers twice = each once with weight 2
    base = bgnbd.log_likelihood(0.3, 5.0, 0.7, 2.0, x, t_x, T).sum()
    assert obj(z)[0] == pytest.approx(-base / x.size)
    one = clv.fit_bgnbd(x[:500], t_x[:500], T[:500], weights=np.full(500, 2.0))
    two = clv.fit_bgnbd(np.tile(x[:500], 2), np.tile(t_x[:500], 2), np.tile(T[:500], 2))
    assert [one.r, one.alpha, one.a, one.b] == pytest.approx(
        [two.r, two.alpha, two.a, two.b], rel=1e-4
    )


def test_bgnbd_large_purchase_counts_stay_finite():
    m = clv.BGNBD(0.243, 4.414, 0.793, 2.426)
    e = m.expected_purchases(52, [0, 5, 500, 5000], [0, 30, 50, 51.9], [52, 52, 52, 52])
    assert np.all(np.isfinite(e)) and np.all(e >= 0)


def test_bgnbd_expected_purchases_with_nearly_fixed_dropout_and_infinite_horizon():
    """a and b in the millions (a fit on a small shop: p nearly fixed at a/(a+b)) made the
    Euler form 0 · ∞ — NaN and "invalid value encountered in multiply". The value must be
    the fixed-p limit, (1/p)[1 - (1-z)^(r+x) (1-(1-p)z)^-(r+x)] · P(alive), to O(x²/b); an
    infinite horizon gives E[1/p] = (a+b-1)/(a-1) for a > 1 and ∞ for a ≤ 1."""
    r, alpha, a, b = 0.716, 7.71, 617_696.7, 4_617_275.0
    m = clv.BGNBD(r, alpha, a, b)
    x = np.array([0, 1, 3, 5, 8.0])
    t_x = np.array([0, 0.14, 15.4, 10, 40])
    T = np.array([49, 0.86, 49.6, 50, 47])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = m.expected_purchases(52, x, t_x, T)
        at_infinity = clv.BGNBD(0.243, 4.414, 1.5, 2.426).unconditional_expected([np.inf])
        diverges = clv.BGNBD(0.243, 4.414, 0.793, 2.426).unconditional_expected([np.inf])
    p = a / (a + b)
    z = 52 / (alpha + T + 52)
    limit = (1 - (1 - z) ** (r + x) * (1 - (1 - p) * z) ** -(r + x)) / p * m.p_alive(x, t_x, T)
    assert got == pytest.approx(limit, rel=1e-5)
    assert at_infinity[0] == pytest.approx((1.5 + 2.426 - 1) / 0.5)
    assert diverges[0] == np.inf


def test_fit_recovers_simulated_parameters():
    rng = np.random.default_rng(20260101)
    truth = (0.243, 4.414, 0.793, 2.426)
    n = 100_000
    x, t_x, T = clv.simulate.bgnbd(n, *truth, rng.uniform(27, 39, n), rng)
    m = clv.fit_bgnbd(x, t_x, T)
    assert m.converged
    assert [m.r, m.alpha] == pytest.approx(truth[:2], rel=0.05)
    assert [m.a, m.b] == pytest.approx(truth[2:], rel=0.10)


# --- Pareto/NBD ------------------------------------------------------------------------------


def test_paretonbd_reproduces_the_published_estimates(pnbd):
    pub = PUBLISHED["pareto_nbd"]["published"]
    assert pnbd.converged
    for k in ("r", "alpha", "s", "beta"):
        assert getattr(pnbd, k) == pytest.approx(pub[k], abs=0.01), k
    assert pnbd.log_likelihood == pytest.approx(pub["log_likelihood"], abs=0.1)


def _integral_sizes(monkeypatch) -> list[int]:
    """The rows of each quadrature the Pareto/NBD objective runs from now on."""
    sizes: list[int] = []
    integral = paretonbd._log_integral

    def counted(*args, **kwargs):
        sizes.append(args[4].size)
        return integral(*args, **kwargs)

    monkeypatch.setattr(paretonbd, "_log_integral", counted)
    return sizes


def test_paretonbd_fit_integrates_once_per_distinct_customer_and_time(arrays, monkeypatch):
    """The fit's quadrature runs on distinct (x, t) among the t_x and T of CDNOW's 1,016
    distinct histories (2,357 customers), not per customer — and its log-likelihood is still
    the sum over every customer of the per-customer likelihood (the closed form, another
    implementation)."""
    x, t_x, T, _ = arrays
    sizes = _integral_sizes(monkeypatch)
    model = clv.fit_paretonbd(x, t_x, T)
    distinct = len(set(zip(x, t_x, T, strict=True)))
    live = t_x < T
    pairs = len(set(zip(x[live], t_x[live], strict=True)) | set(zip(x[live], T[live], strict=True)))
    assert distinct < len(x) and pairs < distinct
    assert max(sizes) == pairs  # the anchored integrals; a few rows near t_x = T on their own
    each = paretonbd.log_likelihood_hyp2f1(model.r, model.alpha, model.s, model.beta, x, t_x, T)
    assert model.log_likelihood == pytest.approx(each.sum(), abs=1e-6)
    assert model.n == len(x)


def _day_sample(n: int, truth, weeks: tuple[float, float], seed: int):
    """Pareto/NBD customers with times in whole days (in weeks), as a store records them."""
    rng = np.random.default_rng(seed)
    T = np.round(rng.uniform(*weeks, n) * 7) / 7
    x, t_x, T = clv.simulate.paretonbd(n, *truth, T, rng)
    return x.astype(float), np.minimum(np.round(t_x * 7) / 7, T), T


@pytest.mark.parametrize("days", [True, False], ids=["days", "continuous"])
def test_paretonbd_grouped_likelihood_equals_the_per_customer_sum(days, monkeypatch):
    """The fit's objective — distinct rows weighted, integrals as differences of anchored
    integrals over distinct (x, t) (days) or a quadrature per row (continuous times) —
    against the plain per-customer quadrature summed over every customer, and its gradient
    against central differences of that sum."""
    truth = (0.553, 10.578, 0.606, 11.669)
    x, t_x, T = _day_sample(6000, truth, (27, 39), 7)
    if not days:
        rng = np.random.default_rng(8)
        T = T + rng.uniform(0, 0.1, T.size)
        t_x = np.where(x > 0, t_x * rng.uniform(0.98, 1.0, T.size), 0.0)
    # customers who bought just before their end, which is before the latest (the anchor):
    # J(t_x) - J(T) would cancel, so these rows take their own quadrature
    x = np.concatenate([x, [1, 4, 40]])
    t_x = np.concatenate([t_x, [29.99, 29.999, 29.9999]])
    T = np.concatenate([T, [30.0, 30.0, 30.0]])
    (gx, gt, gT), w = paretonbd._grouped(x, t_x, T, np.ones_like(x))
    assert (gx.size < x.size) == days and w.sum() == x.size
    objective = paretonbd._Objective(gx, gt, gT, w)
    assert (objective.pairs is not None) == days
    sizes = _integral_sizes(monkeypatch)
    objective(np.log(truth))
    assert len(sizes) == (2 if days else 1)  # days: the pairs, then the near rows
    monkeypatch.undo()
    for params in [truth, (0.2, 3.0, 1.5, 40.0), (2.5, 30.0, 0.05, 2.0)]:
        z = np.log(params)
        f, grad = objective(z)

        def total(zz):
            return paretonbd.log_likelihood(*np.exp(zz), x, t_x, T).sum()

        assert -f * x.size == pytest.approx(total(z), rel=1e-12, abs=1e-8), params
        eps = 1e-6
        numeric = [
            (total(z + eps * e) - total(z - eps * e)) / (2 * eps) / x.size for e in np.eye(4)
        ]
        assert -grad == pytest.approx(numeric, abs=1e-6), params


def test_paretonbd_fit_recovers_simulated_parameters():
    """100,000 customers drawn from Pareto/NBD, observed 1-2 years in days: sampling error is
    ~0.5 % on r and α, ~2 % on s and ~4 % on β (measured over seeds); the bounds are 4-6 of it."""
    truth = (0.553, 10.578, 0.606, 11.669)
    x, t_x, T = _day_sample(100_000, truth, (52, 104), 20260101)
    m = clv.fit_paretonbd(x, t_x, T)
    assert m.converged and m.n == 100_000
    assert [m.r, m.alpha] == pytest.approx(truth[:2], rel=0.03)
    assert m.s == pytest.approx(truth[2], rel=0.08)
    assert m.beta == pytest.approx(truth[3], rel=0.15)


def test_paretonbd_quadrature_equals_the_closed_form(arrays):
    x, t_x, T, _ = arrays
    for params in [(0.553, 10.578, 0.606, 11.669), (0.5, 14.0, 0.9, 8.0), (1.2, 3.0, 2.0, 30.0)]:
        quad = paretonbd.log_likelihood(*params, x, t_x, T)
        closed = paretonbd.log_likelihood_hyp2f1(*params, x, t_x, T)
        assert np.max(np.abs(quad - closed)) < 1e-9, params
    assert paretonbd.log_likelihood(0.553, 10.578, 0.606, 11.669, x, t_x, T).sum() == pytest.approx(
        -9594.97, abs=0.01
    )


def test_paretonbd_predictions(pnbd, sample, arrays):
    x, t_x, T, _ = arrays
    pred = pnbd.expected_purchases(39, x, t_x, T)
    actual = sample["x_holdout"].to_numpy()
    # reference: corr 0.630, zero class mean 0.138 (analytics.md §1)
    assert np.corrcoef(pred, actual)[0, 1] == pytest.approx(0.630, abs=1e-3)
    assert pred[x == 0].mean() == pytest.approx(0.138, abs=1e-3)
    alive = pnbd.p_alive(x, t_x, T)
    assert np.all((alive > 0) & (alive <= 1))
    assert float(pnbd.p_alive(0, 0, 0)) == 1.0  # just acquired
    assert pnbd.unconditional_expected([0.0, 39.0])[0] == 0
    assert pnbd.unconditional_expected(1e-6) == pytest.approx(pnbd.r / pnbd.alpha * 1e-6)


def test_paretonbd_extreme_customers_stay_finite():
    m = clv.ParetoNBD(0.72, 9.4, 1e-6, 2e6)  # no dropout: Online Retail's optimum
    ll = paretonbd.log_likelihood(
        m.r, m.alpha, m.s, m.beta, [0, 3, 300, 3000], [0, 10, 38, 38.9], [39] * 4
    )
    assert np.all(np.isfinite(ll))
    assert np.all(
        np.isfinite(m.expected_purchases(13, [0, 3, 300, 3000], [0, 10, 38, 38.9], [39] * 4))
    )


# --- Gamma-Gamma and CLV ---------------------------------------------------------------------


def test_gamma_gamma_reproduces_the_published_estimates(gg, arrays):
    pub = PUBLISHED["gamma_gamma"]["published"]
    assert gg.converged and gg.n == 946
    for k in ("p", "q", "gamma"):
        assert getattr(gg, k) == pytest.approx(pub[k], abs=0.01), k
    x, _, _, zbar = arrays
    spend = gg.expected_spend(x[:10], zbar[:10])
    want = PUBLISHED["gamma_gamma"]["conditional_expected_spend_first10_customers"]["expected"]
    assert spend == pytest.approx(want, abs=0.01)
    assert abs(clv.frequency_spend_correlation(x, zbar)) < 0.2  # the model's assumption


def test_gamma_gamma_on_the_shipped_summary_gives_gamma_15_448():
    shipped = pl.read_csv(CDNOW / "cdnow_customers_summary_with_transactions.csv")
    m = clv.fit_gammagamma(shipped["x"], shipped["zbar"])
    rep = PUBLISHED["gamma_gamma"]["reproduced_here"]
    assert [m.p, m.q, m.gamma] == pytest.approx([rep["p"], rep["q"], rep["gamma"]], abs=2e-4)
    assert m.gamma == pytest.approx(15.44, abs=0.01)
    assert m.log_likelihood == pytest.approx(rep["log_likelihood"], abs=0.01)


def test_clv_formula(bg, gg):
    x, t_x, T, zbar = 2, 30.43, 38.86, 22.35
    # no discount: telescoping sum = expected purchases over the horizon
    flat = clv.clv(bg, gg, x, t_x, T, zbar, 52, annual_discount=0.0)
    assert float(flat) == pytest.approx(
        float(bg.expected_purchases(52, x, t_x, T) * gg.expected_spend(x, zbar))
    )
    # by hand: 13 four-week periods, each discounted at its end at 10 % a year
    by_hand = 0.0
    for k in range(1, 14):
        step = bg.expected_purchases(4 * k, x, t_x, T) - bg.expected_purchases(
            4 * (k - 1), x, t_x, T
        )
        by_hand += float(step) / 1.1 ** (4 * k / (365.25 / 7))
    got = clv.clv(bg, gg, x, t_x, T, zbar, 52, period_weeks=4, margin=0.3)
    assert float(got) == pytest.approx(0.3 * by_hand * float(gg.expected_spend(x, zbar)))
    assert float(got) < 0.3 * float(flat)
    with pytest.raises(ValueError):
        clv.clv(bg, gg, x, t_x, T, zbar, 0)


def test_predictions_frame(bg, gg, sample):
    p = clv.predictions(sample, bg, gg, 39)
    assert p.height == 2357
    assert {"customer", "p_alive", "expected_purchases", "expected_spend", "clv"} <= set(p.columns)
    first = p.row(0, named=True)
    assert first["expected_purchases"] == pytest.approx(1.226, abs=0.001)
    assert first["expected_spend"] == pytest.approx(24.65, abs=0.01)
    assert p["expected_purchases"].sum() == pytest.approx(1653, abs=1)  # analytics.md §1


# --- Online Retail ---------------------------------------------------------------------------


RETAIL_CAL_END = date(2011, 9, 9)


@pytest.fixture(scope="module", params=FILES)
def retail(request) -> tuple[Path, pl.DataFrame]:
    path = request.param
    tx = tr.read_csv(path, "CustomerID", "InvoiceDate", "Quantity*UnitPrice")
    return path, tr.summary(tx, RETAIL_CAL_END)


def test_online_retail_summary_equals_a_plain_reading(retail):
    """x, t_x, T and the holdout days of every customer acquired by 2011-09-09, recomputed
    from a csv-module reading of the same file."""
    path, summ = retail
    expected = {}
    for customer, days in purchase_days(path).items():
        if days[0] > RETAIL_CAL_END:
            continue
        cal = [d for d in days if d <= RETAIL_CAL_END]
        expected[customer] = (
            len(cal) - 1,
            (cal[-1] - cal[0]).days / 7,
            (RETAIL_CAL_END - cal[0]).days / 7,
            len(days) - len(cal),
        )
    got = {
        r["customer"]: (r["x"], r["t_x"], r["T"], r["x_holdout"])
        for r in summ.iter_rows(named=True)
    }
    assert got.keys() == expected.keys()
    for customer, row in expected.items():
        assert got[customer] == pytest.approx(row), customer


def test_online_retail_fits_converge_and_predict_finite_values(retail):
    path, summ = retail
    x, t_x, T, zbar = (summ[c].to_numpy().astype(float) for c in ("x", "t_x", "T", "zbar"))
    gg = clv.fit_gammagamma(x, zbar)
    assert gg.converged and gg.q > 1
    for fit in (clv.fit_bgnbd, clv.fit_paretonbd):
        m = fit(x, t_x, T)
        assert m.converged and math.isfinite(m.log_likelihood)
        pred = m.expected_purchases(13, x, t_x, T)
        alive = m.p_alive(x, t_x, T)
        value = clv.clv(m, gg, x, t_x, T, zbar, 13)
        for arr in (pred, alive, value):
            assert np.all(np.isfinite(arr))
        assert np.all((alive >= 0) & (alive <= 1)) and np.all(pred >= 0)
        # holdout 2011-09-10..2011-12-09: the ranking carries information (the extract has
        # a tenth of the customers, so its correlation is the noisier one)
        corr = np.corrcoef(pred, summ["x_holdout"].to_numpy())[0, 1]
        assert corr > (0.6 if path == FULL else 0.4)


# --- CLI -------------------------------------------------------------------------------------


def _app() -> typer.Typer:
    app = typer.Typer()
    app.add_typer(analytics, name="analytics")
    return app


def test_cli_clv_models_on_cdnow(tmp_path):
    runner = CliRunner()
    sample = str(CDNOW / "CDNOW_sample.txt")
    base = ["analytics", "clv", "--transactions", sample, "--calibration-end", "1997-09-30"]
    res = runner.invoke(_app(), [*base, "--model", "bgnbd", "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert {"r", "alpha", "a", "b", "log_likelihood"} <= set(doc)
    assert doc["r"] == pytest.approx(0.243, abs=0.01) and doc["log_likelihood"] == pytest.approx(
        -9582.4, abs=0.1
    )
    res = runner.invoke(analytics, ["clv", *base[2:], "--model", "paretonbd", "--cdnow"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert [doc[k] for k in ("r", "alpha", "s", "beta")] == pytest.approx(
        [0.553, 10.578, 0.606, 11.669], abs=0.01
    )
    out = tmp_path / "pred.csv"
    res = runner.invoke(
        analytics,
        ["clv", *base[2:], "--model", "gammagamma", "--predict-weeks", "39", "--out", str(out)],
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert [doc[k] for k in ("p", "q", "gamma")] == pytest.approx([6.25, 3.74, 15.44], abs=0.01)
    assert doc["prediction"]["count_model"] == "bgnbd"
    assert Decimal(doc["prediction"]["clv_total"]) > 0
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == 2357 and rows[0]["customer"] == "1"
    assert float(rows[0]["expected_purchases"]) == pytest.approx(1.226, abs=0.001)
    assert float(rows[0]["expected_spend"]) == pytest.approx(24.65, abs=0.01)
    table = runner.invoke(analytics, ["clv", *base[2:], "--format", "table"])
    assert table.exit_code == 0 and "alpha" in table.stdout


def test_cli_clv_on_csv_and_errors(tmp_path):
    # 400 customers drawn from BG/NBD, first purchases in January 2024, observed to July
    rng = np.random.default_rng(7)
    first = rng.integers(0, 31, 400)
    x, t_x, _ = clv.simulate.bgnbd(400, 0.5, 5.0, 0.8, 2.5, (212 - first) / 7, rng)
    lines = ["buyer,day,total"]
    for c in range(400):
        gaps = sorted(rng.uniform(0, t_x[c] * 7, max(int(x[c]) - 1, 0)))
        days = [0, *gaps, t_x[c] * 7] if x[c] else [0]
        for d in days:
            day = date.fromordinal(date(2024, 1, 1).toordinal() + int(first[c] + d))
            lines.append(f"c{c},{day},{rng.uniform(5, 50):.2f}")
    path = tmp_path / "orders.csv"
    path.write_text("\n".join(lines) + "\n")
    runner = CliRunner()
    args = ["clv", "--transactions", str(path), "--customer-col", "buyer", "--date-col", "day"]
    args += ["--amount-col", "total", "--calibration-end", "2024-05-31"]
    res = runner.invoke(analytics, args)
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["converged"] is True
    bad = runner.invoke(analytics, [*args[:-1], "31/05/2024"])
    assert bad.exit_code == 2 and "not a date" in bad.stderr
    wrong = runner.invoke(analytics, [*args[:3], "--customer-col", "nobody", *args[5:]])
    assert wrong.exit_code == 2 and "not in the file" in wrong.stderr
    lonely = runner.invoke(analytics, [*args, "--out", str(tmp_path / "x.csv")])
    assert lonely.exit_code == 2 and "--predict-weeks" in lonely.stderr
