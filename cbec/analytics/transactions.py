"""Transaction tables and the calibration/holdout summary that buy-till-you-die models take.

Every reader returns the same polars frame, ``customer`` (str), ``date`` (pl.Date) and
``amount`` (Float64), so the models never care where the data came from: a CSV export (any
column names, dates ISO or ``YYYYMMDD``, gzip fine), CDNOW's whitespace files, or cbec's own
orders through :func:`from_records`.

Amounts are floats inside this module on purpose: they feed a maximum-likelihood fit, where
Decimal would only be converted again; cents survive float64 sums of millions of rows to far
below a cent. Callers get money back as Decimal rounded to the cent (:func:`money`).

The summary follows the data rules of the papers whose estimates we reproduce (Fader, Hardie
& Lee 2005), because the published CDNOW numbers only come out with exactly these rules:
purchases on the same day are one purchase (amounts summed), the calibration end date is
inclusive, time is in weeks = days / 7, ``x`` counts *repeat* purchase days, and ``zbar`` is
the mean of the repeat purchases only (the first purchase is excluded: it is what made the
customer a customer, and the Gamma-Gamma model describes what they spend afterwards).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import polars as pl

from cbec.analytics.errors import TransactionError

SCHEMA = {"customer": pl.Utf8, "date": pl.Date, "amount": pl.Float64}
CENT = Decimal("0.01")
_CDNOW_LINE = re.compile(r"^\s*\d+(\s+[\d.]+){3,4}\s*$")


def money(value: float | Decimal) -> Decimal:
    """A model's float output as money: Decimal rounded half-up to the cent."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


# --- reading ---------------------------------------------------------------------------------


def _as_date(col: pl.Expr, dtype: pl.DataType, fmt: str | None) -> pl.Expr:
    """Dates given as Date, Datetime, ``YYYYMMDD`` (int or text) or ISO text (time dropped)."""
    if dtype == pl.Date:
        return col
    if isinstance(dtype, pl.Datetime):
        return col.dt.date()
    text = col.cast(pl.Utf8).str.strip_chars()
    if fmt:
        return text.str.strptime(pl.Date, fmt, strict=True)
    return (
        pl.when(text.str.contains(r"^\d{8}$"))
        .then(text.str.strptime(pl.Date, "%Y%m%d", strict=False))
        .otherwise(text.str.slice(0, 10).str.strptime(pl.Date, "%Y-%m-%d", strict=False))
    )


def _amount(spec: str, columns: list[str]) -> pl.Expr:
    """``"col"`` or a product ``"Quantity*UnitPrice"`` (line exports carry no line total)."""
    parts = [p.strip() for p in spec.split("*")]
    for p in parts:
        if p not in columns:
            raise TransactionError(f"amount column {p!r} not in the file (columns: {columns})")
    expr = pl.col(parts[0]).cast(pl.Float64)
    for p in parts[1:]:
        expr = expr * pl.col(p).cast(pl.Float64)
    return expr


def normalise(
    frame: pl.DataFrame,
    customer: str,
    date_col: str,
    amount: str,
    *,
    date_format: str | None = None,
    positive_only: bool = True,
) -> pl.DataFrame:
    """Any table with a customer, a date and an amount (or ``A*B``) → the standard frame.

    Rows without a customer cannot be attributed to anyone and are dropped. With
    ``positive_only`` (the default) rows whose amount is ≤ 0 are dropped too: returns,
    cancellations and bad-debt adjustments are not purchases in these models (on Online
    Retail this is exactly the usual "clean" subset). An unreadable date is an error, not a
    silent drop, since it would shift every customer's recency."""
    for c in (customer, date_col):
        if c not in frame.columns:
            raise TransactionError(f"column {c!r} not in the file (columns: {frame.columns})")
    out = frame.select(
        pl.col(customer).cast(pl.Utf8).str.strip_chars().alias("customer"),
        _as_date(pl.col(date_col), frame.schema[date_col], date_format).alias("date"),
        _amount(amount, frame.columns).alias("amount"),
        pl.col(date_col).cast(pl.Utf8).alias("_raw_date"),
    ).filter(pl.col("customer").is_not_null() & (pl.col("customer") != ""))
    bad = out.filter(pl.col("date").is_null() | pl.col("amount").is_null())
    if bad.height:
        row = bad.row(0, named=True)
        raise TransactionError(
            f"{bad.height} rows with an unreadable date or amount, e.g. customer "
            f"{row['customer']!r} date {row['_raw_date']!r}"
        )
    if positive_only:
        out = out.filter(pl.col("amount") > 0)
    return out.drop("_raw_date")


def read_csv(
    path: str | Path,
    customer: str,
    date_col: str,
    amount: str,
    *,
    date_format: str | None = None,
    positive_only: bool = True,
    separator: str = ",",
) -> pl.DataFrame:
    """A CSV file (``.gz`` fine) with the named columns → the standard frame (see
    :func:`normalise`). All columns are read as text first so that IDs keep their leading
    zeros and ``YYYYMMDD`` dates are not mistaken for numbers."""
    try:
        raw = pl.read_csv(path, infer_schema=False, separator=separator)
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise TransactionError(f"{path}: {exc}") from None
    raw = raw.with_columns(
        pl.col(c.strip("* ")).cast(pl.Float64, strict=False)
        for c in amount.split("*")
        if c.strip() in raw.columns
    )
    return normalise(
        raw, customer, date_col, amount, date_format=date_format, positive_only=positive_only
    )


def is_cdnow(path: str | Path) -> bool:
    """True when the first data line looks like CDNOW's whitespace format (4 or 5 numeric
    fields separated by spaces, optionally after the master file's header line)."""
    with open(path, "rb") as fh:
        head = [fh.readline().decode("latin-1") for _ in range(2)]
    first = head[0]
    if first.split()[:2] == ["customer_id", "date"]:
        first = head[1]
    return bool(_CDNOW_LINE.match(first))


def read_cdnow(path: str | Path) -> pl.DataFrame:
    """``CDNOW_master.txt`` (header ``customer_id date number_of_cds dollar_value``) or
    ``CDNOW_sample.txt`` (no header; ``master_id sample_id date number_of_cds dollar_value``,
    the customer being ``sample_id`` so IDs run 1..2357 as in the published summary).

    IDs lose their zero padding (``00004`` → ``4``) to match the published summaries."""
    lines = pl.read_csv(
        path, has_header=False, new_columns=["line"], separator="\x1f", infer_schema=False
    )
    parts = lines.select(pl.col("line").str.extract_all(r"\S+")).to_series()
    if parts.len() and parts[0][0] == "customer_id":
        parts = parts.slice(1)
    width = parts.list.len()
    if width.n_unique() != 1 or width[0] not in (4, 5):
        raise TransactionError(f"{path}: not a CDNOW file (expected 4 or 5 fields per line)")
    off = int(width[0]) - 4  # the sample has master_id in front
    frame = pl.DataFrame({"p": parts}).select(
        pl.col("p").list.get(off).cast(pl.Int64).cast(pl.Utf8).alias("customer"),
        pl.col("p").list.get(off + 1).str.strptime(pl.Date, "%Y%m%d").alias("date"),
        pl.col("p").list.get(off + 3).cast(pl.Float64).alias("amount"),
    )
    return frame


def read_any(
    path: str | Path,
    customer: str = "customer",
    date_col: str = "date",
    amount: str = "amount",
    *,
    cdnow: bool | None = None,
    date_format: str | None = None,
) -> pl.DataFrame:
    """CDNOW whitespace format (``cdnow=True``, or detected when ``None``) or CSV."""
    if cdnow is None:
        cdnow = not str(path).endswith(".gz") and is_cdnow(path)
    if cdnow:
        return read_cdnow(path)
    return read_csv(path, customer, date_col, amount, date_format=date_format)


def from_records(records: Iterable[tuple[object, date | datetime | str, Decimal | float | str]]):
    """``(customer, date, amount)`` tuples — e.g. cbec orders (buyer, order date, total as
    Decimal) — → the standard frame. Datetimes keep their date; strings are ISO or
    ``YYYYMMDD``. Non-positive amounts are kept here: the caller chose the records."""
    customers: list[str] = []
    dates: list[date] = []
    amounts: list[float] = []
    for i, (cust, when, amt) in enumerate(records):
        if isinstance(when, datetime):
            when = when.date()
        elif isinstance(when, str):
            s = when.strip()
            try:
                if len(s) == 8 and s.isdigit():
                    when = datetime.strptime(s, "%Y%m%d").date()
                else:
                    when = date.fromisoformat(s[:10])
            except ValueError:
                raise TransactionError(f"record {i}: unreadable date {when!r}") from None
        elif not isinstance(when, date):
            raise TransactionError(f"record {i}: date {when!r} is not a date")
        try:
            value = float(Decimal(str(amt)))
        except ArithmeticError:
            raise TransactionError(f"record {i}: unreadable amount {amt!r}") from None
        customers.append(str(cust))
        dates.append(when)
        amounts.append(value)
    return pl.DataFrame({"customer": customers, "date": dates, "amount": amounts}, schema=SCHEMA)


# --- the summary -----------------------------------------------------------------------------


def purchase_days(tx: pl.DataFrame) -> pl.DataFrame:
    """One row per customer and day, amounts summed: the papers' unit of a "purchase"
    (several orders on one day are one shopping occasion, not several repeat purchases)."""
    return tx.group_by("customer", "date", maintain_order=True).agg(pl.col("amount").sum())


def summary(
    tx: pl.DataFrame,
    calibration_end: date,
    observation_end: date | None = None,
) -> pl.DataFrame:
    """Per customer: ``x, t_x, T, zbar`` over the calibration period and holdout counts.

    * ``x`` — repeat purchase days up to and including ``calibration_end``;
    * ``t_x`` — weeks (days / 7) from the first to the last purchase day in calibration
      (0 when ``x`` = 0);
    * ``T`` — weeks from the first purchase to ``calibration_end``;
    * ``zbar`` — mean amount of the repeat purchase days (0 when ``x`` = 0);
    * ``first`` — date of the first purchase;
    * ``x_holdout``, ``amount_holdout`` — purchase days and their total amount after
      ``calibration_end`` up to ``observation_end`` (default: the last date in ``tx``);
    * ``holdout_weeks`` — length of the holdout period, the same for everybody.

    Customers whose first purchase falls after ``calibration_end`` are not in the summary:
    the models condition on being acquired in calibration. Rows keep the order in which
    customers first appear in ``tx``. Weeks are not rounded (the published files round to
    2 decimals)."""
    obs_end = observation_end or tx["date"].max()
    if obs_end is None:
        raise TransactionError("no transactions")
    if obs_end < calibration_end:
        raise TransactionError(
            f"observation end {obs_end} is before the calibration end {calibration_end}"
        )
    days = purchase_days(tx.filter(pl.col("date") <= obs_end))
    cal_end = pl.lit(calibration_end)
    in_cal = pl.col("date") <= cal_end
    weeks = 1 / 7
    per = days.group_by("customer", maintain_order=True).agg(
        pl.col("date").min().alias("first"),
        pl.col("date").filter(in_cal).max().alias("_last"),
        (in_cal.sum() - 1).alias("x"),
        pl.col("amount").filter(in_cal).sum().alias("_cal_total"),
        pl.col("amount")
        .filter(pl.col("date") == pl.col("date").min())
        .first()
        .alias("_first_amount"),
        (~in_cal).sum().alias("x_holdout"),
        pl.col("amount").filter(~in_cal).sum().alias("amount_holdout"),
    )
    per = per.filter(pl.col("first") <= cal_end)
    return per.select(
        "customer",
        pl.col("x").cast(pl.Int64),
        ((pl.col("_last") - pl.col("first")).dt.total_days() * weeks).alias("t_x"),
        ((cal_end - pl.col("first")).dt.total_days() * weeks).alias("T"),
        pl.when(pl.col("x") > 0)
        .then((pl.col("_cal_total") - pl.col("_first_amount")) / pl.col("x"))
        .otherwise(0.0)
        .alias("zbar"),
        "first",
        pl.col("x_holdout").cast(pl.Int64),
        "amount_holdout",
        pl.lit((obs_end - calibration_end).days * weeks).alias("holdout_weeks"),
    )


def date_range(tx: pl.DataFrame) -> tuple[date, date]:
    """First and last transaction date (for picking a calibration end)."""
    lo, hi = tx["date"].min(), tx["date"].max()
    if lo is None or hi is None:
        raise TransactionError("no transactions")
    return lo, hi


def split_date(tx: pl.DataFrame, holdout_share: float = 0.5) -> date:
    """A calibration end leaving ``holdout_share`` of the observed span for the holdout,
    for data sets without a conventional split."""
    lo, hi = date_range(tx)
    return lo + timedelta(days=int((hi - lo).days * (1 - holdout_share)))
