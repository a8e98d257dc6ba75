"""``forecast`` / ``replenish``: demand forecasts and stock suggestions from CSV files.

``forecast`` reads a transaction table (CSV, CSV.gz or Parquet; one row per sale line),
builds weekly or daily demand per SKU × market, backtests every model per series, forecasts
each with the model its backtest chose and prints the backtest summary and the per-series
table (``--format table``) or all of it as JSON. ``--out`` writes the forecasts as CSV —
the input ``replenish`` takes.

``replenish`` joins those forecasts with a stock file and prints one suggestion per SKU ×
warehouse, each with its formula and numbers in English and Chinese. Stock CSV columns
(header names; optional ones fall back to the command's options)::

    sku, warehouse, on_hand               required
    on_order                              default 0
    lead_time_weeks, lead_time_std_weeks  default --lead-time-weeks / --lead-time-std-weeks
    review_weeks                          default --review-weeks
    moq, pack_size                        default 0 / 1
    service_level                         default --service-level

Forecast markets must equal the stock file's warehouses, or ``--market-map`` (CSV
``market, warehouse``) says which warehouse serves which market; demand of the markets a
warehouse serves is summed. Progress bars go to stderr; results to stdout.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cbec.cli.common import die, err, printable

forecast_app = typer.Typer(
    help="Demand forecasting and replenishment (per SKU × market).", no_args_is_help=True
)


#: Column headers for the per-series table, so eight models fit a terminal.
SHORT = {"CrostonSBA": "SBA", "CrostonClassic": "Croston", "SeasonalNaive": "SNaive"}


class Freq(StrEnum):
    W = "W"
    D = "D"


class Fmt(StrEnum):
    json = "json"
    table = "table"


@contextmanager
def _progress() -> Iterator[Callable[[str, int, int], None]]:
    """A rich progress bar on stderr; yields the callback the analytics code reports to."""
    bars = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    )
    tasks: dict[str, Any] = {}

    def report(step: str, done: int, total: int) -> None:
        if step not in tasks:
            tasks[step] = bars.add_task(step, total=total)
        bars.update(tasks[step], completed=done, total=total)

    with bars:
        yield report


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if hasattr(value, "item"):  # numpy scalars
        return _jsonable(value.item())
    return value


def _records(frame: Any) -> list[dict[str, Any]]:
    return [{k: _jsonable(v) for k, v in row.items()} for row in frame.to_dict("records")]


@forecast_app.command("forecast")
def forecast_cmd(
    transactions: Annotated[
        Path,
        typer.Option(exists=True, dir_okay=False, help="Sale lines: CSV, CSV.gz or Parquet."),
    ],
    sku_col: Annotated[str, typer.Option(help="Column with the SKU.")] = "sku",
    market_col: Annotated[
        str, typer.Option(help="Column with the market (country or warehouse).")
    ] = "market",
    date_col: Annotated[str, typer.Option(help="Column with the sale date (ISO).")] = "date",
    qty_col: Annotated[str, typer.Option(help="Column with the quantity sold.")] = "qty",
    freq: Annotated[Freq, typer.Option(help="Period: W (weeks from Monday) or D.")] = Freq.W,
    horizon: Annotated[int, typer.Option(min=1, help="Periods to forecast.")] = 8,
    top: Annotated[
        int, typer.Option(min=0, help="Only the N most often sold series (0 = all).")
    ] = 0,
    backtest_windows: Annotated[int, typer.Option(min=1, help="Backtest cutoffs.")] = 3,
    step: Annotated[int, typer.Option(min=0, help="Periods between cutoffs (0 = horizon).")] = 0,
    trim_partial: Annotated[
        bool, typer.Option(help="Drop a first/last period the data covers only in part.")
    ] = False,
    jobs: Annotated[int, typer.Option(help="Worker processes (-1 = all CPUs).")] = 1,
    fmt: Annotated[Fmt, typer.Option("--format", help="table or json on stdout.")] = Fmt.table,
    out: Annotated[
        Path | None, typer.Option(dir_okay=False, help="Write the forecasts as CSV.")
    ] = None,
    backtest_out: Annotated[
        Path | None, typer.Option(dir_okay=False, help="Write the per-series backtest as CSV.")
    ] = None,
    rows: Annotated[int, typer.Option(min=0, help="Series rows shown by --format table.")] = 30,
    plot: Annotated[
        Path | None,
        typer.Option(dir_okay=False, help="Draw one series' forecast: .png or .svg (+ .json)."),
    ] = None,
    plot_series: Annotated[
        str | None, typer.Option(help="The sku|market to draw (default: the most active).")
    ] = None,
) -> None:
    """Backtest, choose a model per SKU × market, forecast; print the backtest."""
    from cbec.analytics.demand import demand_series, most_active, read_transactions
    from cbec.analytics.forecasting import ForecastConfig, forecast

    try:
        config = ForecastConfig(
            freq=freq.value,
            horizon=horizon,
            n_windows=backtest_windows,
            step_size=step or None,
            n_jobs=jobs,
        )
        table = read_transactions(transactions)
        series = demand_series(
            table,
            sku_col=sku_col,
            market_col=market_col,
            date_col=date_col,
            qty_col=qty_col,
            freq=freq.value,
            trim_partial=trim_partial,
        )
    except (ValueError, OSError) as exc:
        die(str(exc))
    except Exception as exc:  # polars parse errors carry their own types
        die(f"{transactions}: {exc}")
    if series.is_empty():
        die(f"{transactions}: no sale with a positive quantity")
    if top:
        series = most_active(series, top)
    n_series = series["unique_id"].n_unique()
    err.print(f"{n_series:,} series × up to {series['ds'].n_unique()} periods ({freq.value})")
    with _progress() as report:
        result = forecast(series, config, progress=report)
    summary = result.backtest.summary()
    if out:
        result.forecasts.to_csv(out, index=False, date_format="%Y-%m-%d")
    if backtest_out:
        result.backtest.table.to_csv(backtest_out, index=False)
    if plot is not None:
        _plot(series, result.forecasts, plot_series, plot)
    if fmt is Fmt.json:
        doc: dict[str, Any] = {
            "summary": summary,
            "backtest": _records(result.backtest.table),
        }
        if out is None:
            doc["forecasts"] = _records(result.forecasts)
        else:
            doc["forecasts_file"] = str(out)
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        return
    _print_backtest(result, summary, rows)


def _plot(series: Any, forecasts: Any, wanted: str | None, path: Path) -> None:
    """The history and forecast (with its intervals, where the model gives them) of one
    series, as a picture and its JSON spec."""
    from cbec.analytics import plots

    sid = wanted or str(series.group_by("unique_id").agg(_y_sum()).sort("y", descending=True)[0, 0])
    hist = series.filter(series["unique_id"] == sid).sort("ds")
    fc = forecasts[forecasts["unique_id"] == sid].sort_values("ds")
    if hist.is_empty() or fc.empty:
        die(f"--plot-series: no series {sid!r}")
    rows = []
    for r in fc.to_dict("records"):
        row = {"ds": str(r["ds"])[:10], "mean": r["forecast"]}
        for level in ("80", "95"):
            for side in ("lo", "hi"):
                value = r.get(f"{side}_{level}")
                row[f"{side}-{level}"] = None if value is None or value != value else value
        rows.append(row)
    history = [(str(d)[:10], float(y)) for d, y in hist.select("ds", "y").iter_rows()]
    spec = plots.forecast_spec(sid, history, rows)
    try:
        plots.save(plots.forecast_plot(spec), path)
    except ValueError as exc:
        die(str(exc))
    path.with_suffix(".json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")


def _y_sum() -> Any:
    import polars as pl

    return pl.col("y").sum()


def _print_backtest(result: Any, summary: dict[str, Any], rows: int) -> None:
    out = Console(width=max(Console().width, 132))
    bt = result.backtest
    models = list(bt.scored)
    t = Table(title="Backtest per series (MASE; lower is better; rel = chosen ÷ Naive)")
    t.add_column("series", no_wrap=True)
    for m in models:
        t.add_column(SHORT.get(m, m), justify="right")
    t.add_column("chosen", no_wrap=True)
    t.add_column("rel", justify="right")
    for row in bt.table.head(rows).to_dict("records"):
        cells = [escape(str(row["unique_id"]))]
        cells += [_fmt(row[f"mase_{m}"]) for m in models]
        cells += [escape(str(row["chosen"])), _fmt(row["relative"])]
        t.add_row(*cells)
    out.print(t)
    if len(bt.table) > rows:
        out.print(f"… {len(bt.table) - rows:,} more series (--rows, --backtest-out, --format json)")
    t2 = Table(title="Overall (mean MASE over series with a backtest)")
    t2.add_column("model")
    t2.add_column("mean MASE", justify="right")
    t2.add_column("chosen for", justify="right")
    for m, v in summary["mean_mase"].items():
        t2.add_row(m, _fmt(v), str(summary["chosen_counts"].get(m, 0)))
    out.print(t2)
    for label, key in (("in-sample selection", "in_sample_selection"), ("held-out", "held_out")):
        r = summary[key]
        out.print(
            f"{label}: chosen ÷ Naive mean MASE = {_fmt(r['ratio_of_means'])} "
            f"({_pct(r['improvement_vs_naive'])} lower); relative MASE per series mean "
            f"{_fmt(r['relative_mean'])}, median {_fmt(r['relative_median'])}, geometric mean "
            f"{_fmt(r['relative_geomean'])} ({r['series']} series)"
        )
    if summary["dropped_models"]:
        for m, why in summary["dropped_models"].items():
            out.print(f"[dim]{m} not run: {why}[/dim]")
    out.print(
        f"default model {summary['default_model']} for "
        f"{summary['series'] - summary['series_scored']} series without a scored backtest; "
        f"{len(result.forecasts):,} forecast rows in {result.seconds:.1f} s"
    )


def _fmt(v: Any) -> str:
    return "-" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.3f}"


def _pct(v: Any) -> str:
    return "-" if v is None else f"{v:.1%}"


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [
            {k.strip(): (v or "").strip() for k, v in r.items() if k} for r in csv.DictReader(fh)
        ]


def _number(row: dict[str, str], key: str, default: float, where: str) -> float:
    from cbec.analytics.replenish import quantity

    text = row.get(key, "")
    if text == "":
        return default
    return quantity(text, f"{where}: {key}")


def _model(model: Any, where: str, **values: Any) -> Any:
    """``model(**values)``; a value out of its bounds is refused naming the row and field."""
    from pydantic import ValidationError

    try:
        return model(**values)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise ValueError(f"{where}: {field}: {first['msg']}") from None


@forecast_app.command("replenish")
def replenish_cmd(
    forecasts: Annotated[
        Path, typer.Option(exists=True, dir_okay=False, help="CSV from `forecast --out`.")
    ],
    stock: Annotated[
        Path, typer.Option(exists=True, dir_okay=False, help="Stock per SKU × warehouse (CSV).")
    ],
    lead_time_weeks: Annotated[
        float, typer.Option(min=0, help="Lead time where the stock file has none.")
    ] = 2.0,
    lead_time_std_weeks: Annotated[
        float, typer.Option(min=0, help="Lead time standard deviation (default column value).")
    ] = 0.0,
    review_weeks: Annotated[float, typer.Option(min=0, help="Review period R.")] = 1.0,
    service_level: Annotated[
        float, typer.Option(min=0.5, max=0.9999, help="Cycle service level.")
    ] = 0.95,
    market_map: Annotated[
        Path | None,
        typer.Option(exists=True, dir_okay=False, help="CSV market,warehouse."),
    ] = None,
    fmt: Annotated[Fmt, typer.Option("--format", help="table or json on stdout.")] = Fmt.table,
    out: Annotated[
        Path | None, typer.Option(dir_okay=False, help="Write the suggestions as CSV.")
    ] = None,
) -> None:
    """Safety stock, reorder point and order quantity per SKU × warehouse, explained.

    Builds the same request as ``POST /analytics/replenishment`` (market demand summed per
    warehouse, times converted to forecast periods) and calls the same use case."""
    from pydantic import ValidationError

    from cbec.analytics.replenish import aggregate, demands_from_forecasts
    from cbec.errors import CbecError
    from cbec.services import analytics as svc
    from cbec.services.analytics_models import DemandIn, ReplenishmentRequest, StockIn

    try:
        demand_rows = _read_csv(forecasts)
        need = {"sku", "market", "forecast", "sigma"}
        if demand_rows and not need <= set(demand_rows[0]):
            raise ValueError(f"{forecasts}: needs columns {sorted(need)}")
        demands = demands_from_forecasts(demand_rows)
        period_days = demands[0].period_days if demands else 7
        per_week = 7 / period_days
        mapping = {r["market"]: r["warehouse"] for r in _read_csv(market_map)} if market_map else {}
        demand = [
            _model(
                DemandIn,
                f"{forecasts}: {d.sku}@{d.location}",
                sku=d.sku,
                warehouse=d.location,
                mean=d.mean,
                std=d.std,
                period_days=d.period_days,
            )
            for d in aggregate(demands, mapping).values()
        ]
        positions = []
        for i, row in enumerate(_read_csv(stock), start=2):
            where = f"{stock}:{i}"
            if not row.get("sku") or not row.get("warehouse") or row.get("on_hand", "") == "":
                raise ValueError(f"{where}: sku, warehouse and on_hand are required")
            csl = _number(row, "service_level", 0.0, where)
            positions.append(
                _model(
                    StockIn,
                    where,
                    sku=row["sku"],
                    warehouse=row["warehouse"],
                    on_hand=_number(row, "on_hand", 0.0, where),
                    on_order=_number(row, "on_order", 0.0, where),
                    lead_time=_number(row, "lead_time_weeks", lead_time_weeks, where) * per_week,
                    lead_time_std=_number(row, "lead_time_std_weeks", lead_time_std_weeks, where)
                    * per_week,
                    review_period=_number(row, "review_weeks", review_weeks, where) * per_week,
                    moq=_number(row, "moq", 0.0, where),
                    pack_size=_number(row, "pack_size", 1.0, where) or 1.0,
                    service_level=csl or None,
                )
            )
        if not positions:
            raise ValueError(f"{stock}: no stock rows")
        req = ReplenishmentRequest(service_level=service_level, demand=demand, stock=positions)
        result = svc.replenishment(req)
    except (ValueError, KeyError, OSError, CbecError, ValidationError) as exc:
        die(str(exc))
    suggestions, missing = result.suggestions, result.without_forecast
    for pos in missing:
        where = escape(printable(f"{pos.sku} @ {pos.warehouse}"))
        err.print(f"[yellow]no forecast[/yellow] for {where}: skipped")
    dicts = [s.as_dict() for s in suggestions]
    if out:
        with out.open("w", encoding="utf-8", newline="") as fh:
            fields = list(dicts[0]) if dicts else ["sku", "warehouse"]
            writer = csv.DictWriter(fh, fieldnames=fields)
            writer.writeheader()
            writer.writerows(dicts)
    if fmt is Fmt.json:
        doc = {
            "service_level": service_level,
            "period_days": period_days,
            "suggestions": dicts,
            "missing_forecast": [p.model_dump() for p in missing],
        }
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        return
    console = Console()
    t = Table(title=f"Replenishment (cycle service level {service_level:.0%})")
    for col in ("sku", "warehouse", "d", "σ_d", "L", "SS", "ROP", "S", "position", "order"):
        t.add_column(col, justify="left" if col in ("sku", "warehouse") else "right")
    for s in suggestions:
        t.add_row(
            escape(printable(s.sku)),
            escape(printable(s.warehouse)),
            f"{s.mean_demand:.2f}",
            f"{s.demand_std:.2f}",
            f"{s.lead_time:g}",
            f"{s.safety_stock:.1f}",
            f"{s.reorder_point:.1f}",
            f"{s.order_up_to:.1f}",
            f"{s.inventory_position:g}",
            str(s.order_quantity),
        )
    console.print(t)
    for s in suggestions:
        if s.order_quantity:
            where = escape(printable(f"{s.sku} @ {s.warehouse}"))
            console.print(f"[bold]{where}[/bold]: {escape(printable(s.explanation))}")
            console.print(f"  {escape(printable(s.explanation_zh))}")
