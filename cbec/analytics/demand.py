"""Demand series: transactions → one zero-filled demand series per SKU × market.

Forecasting models see a *series*, not sales lines: the quantity sold of one SKU in one
market (a destination country, or the warehouse that ships it) per week or per day. A period
with no sale is a real observation of zero demand — intermittent-demand models (Croston,
TSB, ADIDA …) need those zeros to estimate how often demand occurs — so every gap between a
series' first period and the end of the data is filled with ``y = 0``.

The output is statsforecast's long format — ``unique_id, ds, y`` — plus ``sku`` and
``market`` kept as their own columns (``unique_id`` is ``"{sku}|{market}"``, but a SKU may
itself contain ``|``, so nothing downstream splits it).

Three sources feed the same builder, :func:`demand_series`:

* any table (polars, or a CSV / CSV.gz / Parquet file via :func:`read_transactions`) with
  sku, market, date and quantity columns;
* records of cbec orders (:func:`order_records`: one record per order line, market =
  destination country by default);
* the UCI Online Retail data set (:func:`load_online_retail`), cleaned as documented there.

Weekly periods start on Monday (polars ``truncate("1w")``; pandas frequency ``W-MON``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import polars as pl

Freq = Literal["W", "D"]
FillFrom = Literal["series", "panel"]

#: polars truncation interval and pandas frequency alias of each period length.
POLARS_INTERVAL: dict[str, str] = {"W": "1w", "D": "1d"}
PANDAS_FREQ: dict[str, str] = {"W": "W-MON", "D": "D"}
PERIOD_DAYS: dict[str, int] = {"W": 7, "D": 1}

#: Online Retail lines that are fees, postage or adjustments, not goods (case-insensitive):
#: the codes listed in the data set's README plus CRUK (charity commission) and PADS (a
#: 0.001 GBP placeholder); gift vouchers (``gift_0001_…``) are dropped by prefix.
NON_PRODUCT_CODES = frozenset(
    {"POST", "DOT", "M", "C2", "D", "S", "BANK CHARGES", "AMAZONFEE", "B", "CRUK", "PADS"}
)
SERIES_COLUMNS = ("unique_id", "sku", "market", "ds", "y")


def read_transactions(path: Path | str, **read_options: Any) -> pl.DataFrame:
    """A transaction table from CSV, gzip-compressed CSV or Parquet (by file name).

    Every column is read as text for CSV (``infer_schema=False``) so SKU codes such as
    ``"00123"`` keep their leading zeros; :func:`demand_series` parses dates and quantities.
    """
    path = Path(path)
    if path.suffix == ".parquet":
        return pl.read_parquet(path, **read_options)
    options = {"infer_schema": False, **read_options}
    return pl.read_csv(path, **options)  # polars reads .gz transparently


def order_records(
    orders: Iterable[Any], *, market: str = "destination_country"
) -> list[dict[str, Any]]:
    """One ``{sku, market, date, qty}`` record per line of cbec orders.

    ``orders`` are :class:`cbec.trade.order.Order` objects or their dicts; ``market`` names
    the order field that says where the demand is (``destination_country`` by default, or
    e.g. ``seller`` / a warehouse field of the caller's own records). Kept free of the
    pydantic model so callers can pass rows straight from the store's JSON.
    """
    out = []
    for order in orders:
        doc = order if isinstance(order, Mapping) else order.model_dump()
        day = doc["ordered_at"]
        if isinstance(day, str):
            day = datetime.fromisoformat(day.replace("Z", "+00:00"))
        for line in doc["lines"]:
            out.append({"sku": line["sku"], "market": doc[market], "date": day, "qty": line["qty"]})
    return out


def _as_frame(table: pl.DataFrame | pl.LazyFrame | Iterable[Mapping[str, Any]]) -> pl.DataFrame:
    if isinstance(table, pl.LazyFrame):
        return table.collect()
    if isinstance(table, pl.DataFrame):
        return table
    rows = [{k: _plain(v) for k, v in row.items()} for row in table]
    if not rows:
        return pl.DataFrame({"sku": [], "market": [], "date": [], "qty": []})
    return pl.DataFrame(rows, infer_schema_length=None)


def _plain(value: Any) -> Any:
    """Record values polars can put in one column whatever mix arrives: dates and times as
    ISO text (an aware time keeps its offset), Decimals as text."""
    if isinstance(value, date):  # datetime is a date too
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _date_expr(frame: pl.DataFrame, col: str) -> pl.Expr:
    """The date column as ``pl.Date`` whatever it arrived as (text, datetime, date)."""
    dtype = frame.schema[col]
    if dtype == pl.Date:
        return pl.col(col)
    if isinstance(dtype, pl.Datetime):  # aware times are bucketed by their UTC date
        if dtype.time_zone is not None:
            return pl.col(col).dt.convert_time_zone("UTC").dt.date()
        return pl.col(col).dt.date()
    # Text: ISO date or date-time, formats may mix row by row (orders from several systems);
    # one with an offset (or Z) is converted to its UTC date. Unparsed text stays null and
    # demand_series() refuses it rather than dropping sales silently.
    text = (
        pl.col(col)
        .cast(pl.Utf8)
        .str.strip_chars()
        .str.replace("T", " ")
        .str.replace("Z$", "+00:00")
    )
    return pl.coalesce(
        text.str.to_datetime("%Y-%m-%d %H:%M:%S%.f%:z", strict=False, time_zone="UTC").dt.date(),
        text.str.to_datetime("%Y-%m-%d %H:%M:%S%.f", strict=False).dt.date(),
        text.str.to_datetime("%Y-%m-%d %H:%M", strict=False).dt.date(),
        text.str.to_date("%Y-%m-%d", strict=False),
    )


def demand_series(
    table: pl.DataFrame | pl.LazyFrame | Iterable[Mapping[str, Any]],
    *,
    sku_col: str = "sku",
    market_col: str = "market",
    date_col: str = "date",
    qty_col: str = "qty",
    freq: Freq = "W",
    fill_from: FillFrom = "series",
    trim_partial: bool = False,
    end: date | None = None,
) -> pl.DataFrame:
    """Per-period demand per SKU × market, zero-filled: ``unique_id, sku, market, ds, y``.

    ``fill_from="series"`` starts each series at its first sale (before launch the product
    had no demand to observe, and leading zeros would make every model look better than it
    is); ``"panel"`` starts all series at the first period of the data. All series end at the
    last period of the data (or the period containing ``end``): a SKU that stopped selling
    is forecast from its trailing zeros.

    ``trim_partial`` drops the first and last period when the data does not cover them
    completely (Online Retail starts on a Wednesday and ends on a Friday) — a half week
    looks like a demand drop and would bias both the naive baseline and the test windows.

    Rows with a missing key or date, or quantity ≤ 0 (returns, cancellations) are ignored:
    this is *demand*, and returns are a separate flow.
    """
    if freq not in POLARS_INTERVAL:
        raise ValueError(f"freq must be one of {sorted(POLARS_INTERVAL)}, not {freq!r}")
    frame = _as_frame(table)
    missing = [c for c in (sku_col, market_col, date_col, qty_col) if c not in frame.columns]
    if missing:
        raise ValueError(f"transaction table lacks column(s) {missing}; has {frame.columns}")
    every = POLARS_INTERVAL[freq]
    try:
        lines = frame.select(
            pl.col(sku_col).cast(pl.Utf8).str.strip_chars().alias("sku"),
            pl.col(market_col).cast(pl.Utf8).str.strip_chars().alias("market"),
            _date_expr(frame, date_col).alias("day"),
            pl.col(qty_col).cast(pl.Float64, strict=True).alias("qty"),
        )
    except pl.exceptions.InvalidOperationError as exc:  # e.g. a quantity that is not a number
        raise ValueError(f"{qty_col}: {str(exc).splitlines()[0]}") from None
    bad = frame.filter(pl.col(date_col).is_not_null() & lines["day"].is_null())
    if bad.height:
        shown = bad[date_col].cast(pl.Utf8).head(3).to_list()
        raise ValueError(f"{date_col}: {bad.height} value(s) are not ISO dates, e.g. {shown}")
    lines = lines.drop_nulls().filter(
        (pl.col("qty") > 0) & (pl.col("sku") != "") & (pl.col("market") != "")
    )
    if lines.is_empty():
        return _empty_series()
    first_day, last_day = lines["day"].min(), lines["day"].max()
    if end is not None:
        last_day = max(last_day, end)
    lines = lines.with_columns(pl.col("day").dt.truncate(every).alias("ds"))
    sums = lines.group_by("sku", "market", "ds").agg(pl.col("qty").sum().alias("y"))

    panel_start = _bucket(first_day, every)
    panel_end = _bucket(last_day, every)
    step = timedelta(days=PERIOD_DAYS[freq])
    if trim_partial:
        if first_day > panel_start:
            panel_start += step
        if last_day < panel_end + step - timedelta(days=1):
            panel_end -= step
        if panel_end < panel_start:
            return _empty_series()
        sums = sums.filter(pl.col("ds").is_between(panel_start, panel_end))

    starts = sums.group_by("sku", "market").agg(pl.col("ds").min().alias("start"))
    if fill_from == "panel":
        starts = starts.with_columns(pl.lit(panel_start).alias("start"))
    grid = starts.select(
        "sku",
        "market",
        pl.date_ranges(pl.col("start"), pl.lit(panel_end), interval=every).alias("ds"),
    ).explode("ds")
    out = (
        grid.join(sums, on=["sku", "market", "ds"], how="left")
        .with_columns(
            pl.col("y").fill_null(0.0),
            pl.concat_str("sku", pl.lit("|"), "market").alias("unique_id"),
        )
        .select(SERIES_COLUMNS)
        .sort("unique_id", "ds")
    )
    return out


def _bucket(day: date, every: str) -> date:
    return pl.Series([day]).dt.truncate(every).item()


def _empty_series() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "unique_id": pl.Utf8,
            "sku": pl.Utf8,
            "market": pl.Utf8,
            "ds": pl.Date,
            "y": pl.Float64,
        }
    )


def load_online_retail(path: Path | str, *, include_uk: bool = False) -> pl.DataFrame:
    """Online Retail sales lines as ``sku, market, date, qty`` (market = Country), from the
    data set's CSV (``.gz`` fine; columns ``InvoiceNo, StockCode, Quantity, InvoiceDate,
    Country`` used). The file does not ship with cbec; ``tests/data/online_retail`` has a
    10 % extract in the same format.

    Cleaning (why each rule): drop cancellations (InvoiceNo starting with ``C`` — they
    reverse earlier sales, not demand), the non-product codes in :data:`NON_PRODUCT_CODES`
    and gift vouchers (fees and postage are not stock), and quantity ≤ 0 (adjustments).
    UK rows are dropped by default: the retailer's home market is 91 % of rows and behaves
    like one big domestic channel; the cross-border question is the other 37 countries.
    """
    raw = pl.read_csv(
        path,
        schema_overrides={"InvoiceNo": pl.Utf8, "StockCode": pl.Utf8, "Quantity": pl.Int64},
        columns=["InvoiceNo", "StockCode", "Quantity", "InvoiceDate", "Country"],
    )
    code = pl.col("StockCode").str.strip_chars()
    keep = (
        ~pl.col("InvoiceNo").str.starts_with("C")
        & ~code.str.to_uppercase().is_in(list(NON_PRODUCT_CODES))
        & ~code.str.to_lowercase().str.starts_with("gift_")
        & (pl.col("Quantity") > 0)
    )
    if not include_uk:
        keep = keep & (pl.col("Country") != "United Kingdom")
    return raw.filter(keep).select(
        code.alias("sku"),
        pl.col("Country").alias("market"),
        pl.col("InvoiceDate").str.to_datetime("%Y-%m-%d %H:%M:%S").alias("date"),
        pl.col("Quantity").cast(pl.Float64).alias("qty"),
    )


def online_retail_series(
    path: Path | str, *, freq: Freq = "W", include_uk: bool = False
) -> pl.DataFrame:
    """Weekly (or daily) zero-filled demand per StockCode × Country, partial edge periods
    dropped (the data runs Wed 2010-12-01 to Fri 2011-12-09)."""
    return demand_series(
        load_online_retail(path, include_uk=include_uk), freq=freq, trim_partial=True
    )


def most_active(series: pl.DataFrame, n: int) -> pl.DataFrame:
    """The ``n`` series with the most periods of non-zero demand (ties: larger total, then id).

    "Active" means *often sold*, not *large*: a series with three huge wholesale orders says
    little about forecasting, one sold most weeks is what replenishment runs on.
    """
    ranked = (
        series.group_by("unique_id")
        .agg((pl.col("y") > 0).sum().alias("nonzero"), pl.col("y").sum().alias("total"))
        .sort(["nonzero", "total", "unique_id"], descending=[True, True, False])
        .head(n)
    )
    return series.filter(pl.col("unique_id").is_in(ranked["unique_id"].implode())).sort(
        "unique_id", "ds"
    )


def to_statsforecast(series: pl.DataFrame) -> Any:
    """pandas ``unique_id, ds, y`` (``ds`` as datetime64) — what statsforecast's pandas path
    and its fugue (Dask / Spark / Ray) path both take."""
    pdf = series.select("unique_id", "ds", "y").to_pandas()
    pdf["ds"] = pdf["ds"].astype("datetime64[ns]")
    return pdf
