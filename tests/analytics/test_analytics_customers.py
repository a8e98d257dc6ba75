"""RFM scores and segments, cohort retention and repurchase rate: tiny tables checked by
hand, then Online Retail (the extract in tests/data, and the full file in ../shared when it is
there) against a plain csv-module reading of the same file and, for the full file, the
figures its README publishes."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from cbec.analytics import customers as cu
from cbec.analytics import transactions as tr
from cbec.cli.analytics_cli import analytics
from tests.retail_data import FILES, FULL, clean_purchases, purchase_days

AS_OF = date(2024, 4, 1)


def _tx(rows: list[tuple[str, str, float]]) -> pl.DataFrame:
    return tr.from_records(rows)


@pytest.fixture
def five() -> pl.DataFrame:
    """Five customers whose R, F and M each rank 1..5 (M in another order)."""
    rows = [("v", d, 100.0) for d in ("2024-03-31", "2024-03-20", "2024-03-10", "2024-03-01")]
    rows += [("v", "2024-02-20", 50.0), ("v", "2024-02-20", 50.0)]  # same day: one purchase
    rows += [("w", d, 50.0) for d in ("2024-03-25", "2024-03-01", "2024-02-01", "2024-01-15")]
    rows += [("x", d, 10.0) for d in ("2024-03-15", "2024-02-15", "2024-01-15")]
    rows += [("y", d, 1000.0) for d in ("2024-02-01", "2024-01-01")]
    rows += [("z", "2024-01-02", 5.0)]
    return _tx(rows)


def test_rfm_by_hand(five):
    s = cu.rfm(five, AS_OF)
    got = {r["customer"]: r for r in s.iter_rows(named=True)}
    assert [got[c]["recency_days"] for c in "vwxyz"] == [1, 7, 17, 60, 90]
    assert [got[c]["frequency"] for c in "vwxyz"] == [5, 4, 3, 2, 1]
    assert [got[c]["monetary"] for c in "vwxyz"] == [500, 200, 30, 2000, 5]
    assert [got[c]["rfm"] for c in "vwxyz"] == ["554", "443", "332", "225", "111"]
    assert [got[c]["segment"] for c in "vwxyz"] == [
        "champions",
        "loyal",
        "need_attention",
        "hibernating",
        "hibernating",
    ]
    # default as_of: the day after the last purchase (2024-03-31)
    assert cu.rfm(five)["recency_days"].to_list() == [1, 7, 17, 60, 90]
    # purchases after as_of are ignored
    early = cu.rfm(five, date(2024, 2, 2))
    assert "v" not in early["customer"].to_list()
    assert early.filter(pl.col("customer") == "w")["frequency"].item() == 2


def test_rfm_ties_share_the_lowest_score():
    freq = [1, 1, 1, 1, 1, 1, 2, 2, 3, 4]
    rows = []
    for i, f in enumerate(freq):
        rows += [(f"c{i}", f"2024-01-{d + 1:02d}", 10.0) for d in range(f)]
    s = cu.rfm(_tx(rows), AS_OF).sort("customer")
    f_scores = dict(zip(s["customer"], s["F"], strict=True))
    # 1 + floor(5 · #strictly-lower / n): six 1s → 1; the 2s have 6 below → 4; 3 → 5; 4 → 5
    assert [f_scores[f"c{i}"] for i in range(10)] == [1, 1, 1, 1, 1, 1, 4, 4, 5, 5]
    # fewer than five customers: the best cannot reach 5 (documented)
    two = cu.rfm(_tx([("a", "2024-01-01", 1.0), ("b", "2024-01-02", 2.0)]), AS_OF)
    assert two["M"].to_list() == [1, 3]


def test_every_score_pair_has_exactly_one_segment():
    for r in range(1, 6):
        for f in range(1, 6):
            hits = [name for name, rs, fs in cu.SEGMENTS if r in rs and f in fs]
            assert len(hits) == 1, (r, f, hits)
    assert cu.segment_of(5, 1) == "new_customers" and cu.segment_of(1, 5) == "cant_lose"
    assert cu.segment_of(2, 3) == "at_risk" and cu.segment_of(4, 1) == "promising"
    with pytest.raises(ValueError):
        cu.segment_of(0, 3)


def test_segment_summary(five):
    summ = cu.segment_summary(cu.rfm(five, AS_OF))
    assert summ["segment"].to_list() == [name for name, _, _ in cu.SEGMENTS]
    hib = summ.filter(pl.col("segment") == "hibernating").row(0, named=True)
    assert hib["customers"] == 2 and hib["share"] == pytest.approx(0.4)
    assert hib["monetary_total"] == 2005 and hib["mean_frequency"] == 1.5
    assert summ["customers"].sum() == 5


def test_cohort_retention_by_hand():
    tx = _tx(
        [
            ("a", "2024-01-05", 1),
            ("a", "2024-02-10", 1),
            ("a", "2024-04-01", 1),
            ("b", "2024-01-20", 1),
            ("b", "2024-01-25", 1),  # same month: still only month 0
            ("c", "2024-02-01", 1),
            ("c", "2024-03-15", 1),
            ("d", "2024-03-01", 1),
        ]
    )
    long = cu.cohort_retention(tx)
    assert long.filter(pl.col("period") == 0)["size"].to_list() == [2, 1, 1]
    assert cu.cohort_matrix(long) == {
        "2024-01": [1.0, 0.5, 0.0, 0.5],
        "2024-02": [1.0, 1.0, 0.0],
        "2024-03": [1.0, 0.0],
    }
    dec = cu.cohort_matrix(
        cu.cohort_retention(_tx([("a", "2023-12-31", 1), ("a", "2024-01-01", 1)]))
    )
    assert dec == {"2023-12": [1.0, 1.0]}  # months roll over the year


def test_repurchase_rate_by_hand():
    tx = _tx(
        [
            ("a", "2024-01-01", 1),
            ("a", "2024-01-01", 1),  # same day: not a repurchase
            ("b", "2024-01-01", 1),
            ("b", "2024-03-01", 1),  # 60 days later
            ("c", "2024-01-10", 1),
            ("c", "2024-01-20", 1),  # 10 days later
            ("d", "2024-05-25", 1),  # too recent for a 30-day window
            ("e", "2024-06-01", 1),
        ]
    )
    ever = cu.repurchase_rate(tx)
    assert (ever.customers, ever.repeaters, ever.rate) == (5, 2, pytest.approx(0.4))
    month = cu.repurchase_rate(tx, within_days=30)
    assert (month.customers, month.repeaters) == (3, 1)  # d, e not yet 30 days old
    assert month.as_dict()["within_days"] == 30


# --- Online Retail ---------------------------------------------------------------------------


@pytest.fixture(scope="module", params=FILES)
def retail(request) -> tuple[Path, pl.DataFrame]:
    path = request.param
    return path, tr.read_csv(path, "CustomerID", "InvoiceDate", "Quantity*UnitPrice")


def test_online_retail_clean_subset_facts(retail):
    path, tx = retail
    rows = clean_purchases(path)
    customers = {c for c, _, _ in rows}
    revenue = sum(amount for _, _, amount in rows)
    days = [d for _, d, _ in rows]
    if path == FULL:  # README: clean subset (qty > 0, price > 0, customer present, not C…)
        assert (len(rows), len(customers), round(revenue, 2)) == (
            397_884,
            4_338,
            Decimal("8911407.90"),
        )
        assert (min(days), max(days)) == (date(2010, 12, 1), date(2011, 12, 9))
    assert tx.height == len(rows) and tx["customer"].n_unique() == len(customers)
    assert tx["amount"].sum() == pytest.approx(float(revenue), abs=0.005)
    assert (tx["date"].min(), tx["date"].max()) == (min(days), max(days))
    s = cu.rfm(tx)
    assert s.height == len(customers)
    assert s["monetary"].sum() == pytest.approx(float(revenue), abs=0.01)
    assert set(s["R"].unique()) == {1, 2, 3, 4, 5}
    assert s["frequency"].sum() == sum(len(d) for d in purchase_days(path).values())


def test_online_retail_cohorts(retail):
    path, tx = retail
    # the oracle: months counted as year * 12 + month, cohort = the first month bought in
    months = {c: {d.year * 12 + d.month - 1 for d in ds} for c, ds in purchase_days(path).items()}
    first = {c: min(m) for c, m in months.items()}
    size: dict[int, int] = {}
    for c0 in first.values():
        size[c0] = size.get(c0, 0) + 1
    active: dict[tuple[int, int], int] = {}
    for c, ms in months.items():
        for m in ms:
            active[first[c], m - first[c]] = active.get((first[c], m - first[c]), 0) + 1
    last = max(m for ms in months.values() for m in ms)
    expected = {
        f"{c0 // 12}-{c0 % 12 + 1:02d}": [active.get((c0, k), 0) / n for k in range(last - c0 + 1)]
        for c0, n in size.items()
    }
    long = cu.cohort_retention(tx)
    sizes = long.filter(pl.col("period") == 0)
    assert sizes["size"].sum() == len(first) and (sizes["share"] == 1.0).all()
    matrix = cu.cohort_matrix(long)
    assert list(matrix) == sorted(expected)
    for cohort, shares in expected.items():
        assert matrix[cohort] == pytest.approx(shares, abs=1e-12), cohort
    assert min(matrix) == "2010-12" and max(matrix) == "2011-12" and len(matrix) == 13
    if path == FULL:  # the December 2010 cohort: 885 customers, 36.6 % back in January
        assert sizes["size"][0] == 885 and matrix["2010-12"][1] == pytest.approx(0.3661, abs=1e-4)
    repeaters = sum(len(d) > 1 for d in purchase_days(path).values())
    assert cu.repurchase_rate(tx).rate == pytest.approx(repeaters / len(first))


def test_cli_rfm_and_cohorts(tmp_path, five):
    path = tmp_path / "five.csv"
    five.write_csv(path)
    runner = CliRunner()
    res = runner.invoke(analytics, ["rfm", "--transactions", str(path), "--as-of", "2024-04-01"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["customers"] == 5 and doc["monetary_total"] == "2735.00"
    seg = {s["segment"]: s for s in doc["segments"]}
    assert seg["champions"]["customers"] == 1 and seg["hibernating"]["monetary_total"] == "2005.00"
    out = tmp_path / "scores.csv"
    res = runner.invoke(analytics, ["rfm", "--transactions", str(path), "--out", str(out)])
    assert res.exit_code == 0 and pl.read_csv(out).height == 5
    res = runner.invoke(analytics, ["cohorts", "--transactions", str(path), "--within-days", "30"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["customers"] == 5 and doc["cohorts"]["2024-01"]["size"] == 4
    assert doc["cohorts"]["2024-01"]["retention"][0] == 1.0
    assert doc["repurchase"]["window"]["within_days"] == 30
