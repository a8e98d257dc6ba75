"""Who the customers are: RFM scores and segments, monthly cohort retention, repurchase rate.

Inputs are the standard transaction frame of :mod:`cbec.analytics.transactions`
(``customer, date, amount``). A "purchase" is a customer-day, as in the CLV models, so that
RFM frequency and the models' ``x`` count the same thing (several orders on one day are one
shopping occasion).

These are descriptive figures a seller reads directly; they assume nothing about the future
(for that, see :mod:`cbec.analytics.clv`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta

import polars as pl

from cbec.analytics.transactions import purchase_days

# (segment, R scores, F scores): the widely used 10-segment R x F grid (monetary is reported
# but not used to name the segment: M is largely explained by F and would split segments
# without changing what a seller does with them). Every (R, F) pair falls in exactly one.
SEGMENTS: tuple[tuple[str, frozenset[int], frozenset[int]], ...] = tuple(
    (name, frozenset(r), frozenset(f))
    for name, r, f in (
        ("champions", (5,), (4, 5)),
        ("loyal", (3, 4), (4, 5)),
        ("potential_loyalists", (4, 5), (2, 3)),
        ("new_customers", (5,), (1,)),
        ("promising", (4,), (1,)),
        ("need_attention", (3,), (3,)),
        ("about_to_sleep", (3,), (1, 2)),
        ("cant_lose", (1, 2), (5,)),
        ("at_risk", (1, 2), (3, 4)),
        ("hibernating", (1, 2), (1, 2)),
    )
)


def segment_of(r: int, f: int) -> str:
    """The segment of an (R, F) score pair (see :data:`SEGMENTS`)."""
    for name, rs, fs in SEGMENTS:
        if r in rs and f in fs:
            return name
    raise ValueError(f"scores out of range: R={r} F={f}")


def _score(col: str, n: int, *, higher_is_better: bool = True) -> pl.Expr:
    """Quintile score 1-5: 1 + floor(5 · (number of customers strictly worse) / n).

    Ties: equal values always get the same score — the score of the lowest rank in their
    tie group (polars ``rank("min")``). So the five groups are equal in size only when
    values are distinct; with heavy ties (most customers bought once) a whole tie group lands
    in one score and some scores can be empty. The alternative, breaking ties by row order,
    would give two customers with identical behaviour different scores. With fewer than five
    customers not every score can occur (the best of four scores 4)."""
    key = pl.col(col) if higher_is_better else -pl.col(col)
    worse = key.rank(method="min") - 1
    return (1 + (worse * 5) // n).cast(pl.Int8)


def rfm(tx: pl.DataFrame, as_of: date | None = None) -> pl.DataFrame:
    """Per customer: ``recency_days`` (days from the last purchase to ``as_of``),
    ``frequency`` (purchase days), ``monetary`` (total amount), scores ``R``, ``F``, ``M``
    (1-5, 5 best: most recent, most frequent, highest spend), ``rfm`` ("545") and
    ``segment``.

    ``as_of`` defaults to the day after the last transaction, so the most recent buyers have
    recency 1, not 0. Transactions after ``as_of`` are ignored. Sorted by customer."""
    if as_of is None:
        last = tx["date"].max()
        if last is None:
            raise ValueError("no transactions")
        as_of = last + timedelta(days=1)
    days = purchase_days(tx.filter(pl.col("date") <= as_of))
    per = days.group_by("customer").agg(
        (pl.lit(as_of) - pl.col("date").max()).dt.total_days().alias("recency_days"),
        pl.len().cast(pl.Int64).alias("frequency"),
        pl.col("amount").sum().alias("monetary"),
    )
    n = per.height
    if n == 0:
        raise ValueError("no transactions on or before as_of")
    scored = per.with_columns(
        _score("recency_days", n, higher_is_better=False).alias("R"),
        _score("frequency", n).alias("F"),
        _score("monetary", n).alias("M"),
    ).sort("customer")
    table = pl.DataFrame(
        [{"R": r, "F": f, "segment": segment_of(r, f)} for r in range(1, 6) for f in range(1, 6)],
        schema={"R": pl.Int8, "F": pl.Int8, "segment": pl.Utf8},
    )
    return scored.join(table, on=["R", "F"], how="left").select(
        "customer",
        "recency_days",
        "frequency",
        "monetary",
        "R",
        "F",
        "M",
        pl.concat_str(
            pl.col("R").cast(pl.Utf8), pl.col("F").cast(pl.Utf8), pl.col("M").cast(pl.Utf8)
        ).alias("rfm"),
        "segment",
    )


def segment_summary(scores: pl.DataFrame) -> pl.DataFrame:
    """Per segment: customers, share of customers, mean recency/frequency, total and mean
    monetary — in the order of :data:`SEGMENTS`, empty segments included (with zeros)."""
    n = scores.height
    agg = scores.group_by("segment").agg(
        pl.len().alias("customers"),
        pl.col("recency_days").mean().alias("mean_recency_days"),
        pl.col("frequency").mean().alias("mean_frequency"),
        pl.col("monetary").sum().alias("monetary_total"),
        pl.col("monetary").mean().alias("monetary_mean"),
    )
    order = pl.DataFrame({"segment": [s for s, _, _ in SEGMENTS]})
    return (
        order.join(agg, on="segment", how="left")
        .fill_null(0)
        .with_columns((pl.col("customers") / max(n, 1)).alias("share"))
    )


def _month_index(col: str) -> pl.Expr:
    return pl.col(col).dt.year().cast(pl.Int32) * 12 + pl.col(col).dt.month().cast(pl.Int32) - 1


def cohort_retention(tx: pl.DataFrame) -> pl.DataFrame:
    """Long table: ``cohort`` ("YYYY-MM" of the first purchase), ``size`` (customers in the
    cohort), ``period`` k (months since the cohort month, 0 = the cohort month itself),
    ``active`` (cohort customers with ≥ 1 purchase in month cohort+k) and ``share`` =
    active / size. Period 0 is 1.0 by construction. Months are calendar months; only
    periods with at least one active customer appear (see :func:`cohort_matrix`)."""
    months = tx.select("customer", _month_index("date").alias("m")).unique()
    first = months.group_by("customer").agg(pl.col("m").min().alias("c"))
    joined = months.join(first, on="customer").with_columns((pl.col("m") - pl.col("c")).alias("k"))
    sizes = first.group_by("c").agg(pl.len().alias("size"))
    active = joined.group_by("c", "k").agg(pl.len().alias("active"))
    return (
        active.join(sizes, on="c")
        .sort("c", "k")
        .select(
            pl.format(
                "{}-{}",
                (pl.col("c") // 12).cast(pl.Utf8),
                (pl.col("c") % 12 + 1).cast(pl.Utf8).str.zfill(2),
            ).alias("cohort"),
            pl.col("size").cast(pl.Int64),
            pl.col("k").cast(pl.Int64).alias("period"),
            pl.col("active").cast(pl.Int64),
            (pl.col("active") / pl.col("size")).alias("share"),
        )
    )


def cohort_matrix(long: pl.DataFrame) -> dict[str, list[float]]:
    """The retention matrix as ``{cohort: [share at k=0, k=1, ...]}``, each list running to
    the last month in the data (later cohorts are observed for fewer months, so the lists
    form a triangle); 0.0 where a cohort had no active customer in a month."""
    if long.height == 0:
        return {}
    cohorts = long["cohort"].unique().sort().to_list()
    last = max(_ym(c) + k for c, k in zip(long["cohort"], long["period"], strict=True))
    out: dict[str, list[float]] = {}
    for c in cohorts:
        rows = long.filter(pl.col("cohort") == c)
        shares = dict(zip(rows["period"].to_list(), rows["share"].to_list(), strict=True))
        span = last - _ym(c) + 1
        out[c] = [shares.get(k, 0.0) for k in range(span)]
    return out


def _ym(cohort: str) -> int:
    y, m = cohort.split("-")
    return int(y) * 12 + int(m) - 1


@dataclass(frozen=True)
class Repurchase:
    """Share of customers who came back for a second purchase day."""

    customers: int  # customers counted (eligible ones when a window is set)
    repeaters: int
    rate: float
    within_days: int | None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def repurchase_rate(tx: pl.DataFrame, within_days: int | None = None) -> Repurchase:
    """Share of customers with a second purchase day — ever in the data, or within
    ``within_days`` of their first.

    With a window, only customers whose first purchase is at least ``within_days`` before
    the last date in the data are counted: a customer acquired last week has not yet had the
    chance to come back within 90 days, and counting them would understate the rate."""
    days = purchase_days(tx).select("customer", "date").sort("customer", "date")
    per = days.group_by("customer").agg(
        pl.col("date").first().alias("first"),
        pl.col("date").slice(1, 1).first().alias("second"),  # null for one-time buyers
    )
    if within_days is not None:
        end = tx["date"].max()
        per = per.filter(pl.col("first") <= pl.lit(end - timedelta(days=within_days)))
        came_back = pl.col("second").is_not_null() & (
            (pl.col("second") - pl.col("first")).dt.total_days() <= within_days
        )
    else:
        came_back = pl.col("second").is_not_null()
    n = per.height
    k = int(per.select(came_back.sum()).item()) if n else 0
    return Repurchase(n, k, k / n if n else 0.0, within_days)
