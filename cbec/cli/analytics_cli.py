"""``cbec analytics …``: customer value from a transaction file — CLV models, RFM, cohorts.

Reads CSV (``.gz`` fine; name the customer, date and amount columns, the amount may be a
product such as ``Quantity*UnitPrice``) or CDNOW's whitespace files (detected, or
``--cdnow``). Prints JSON (or a table) on stdout; progress goes to stderr. Model
parameters are printed as floats; money (spend, CLV, totals) as strings rounded to the cent.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from cbec.cli.common import die, err

analytics = typer.Typer(
    help="Customer analytics: CLV models (BG/NBD, Pareto/NBD, Gamma-Gamma), RFM, cohorts.",
    no_args_is_help=True,
)


class Model(StrEnum):
    bgnbd = "bgnbd"
    paretonbd = "paretonbd"
    gammagamma = "gammagamma"


class Format(StrEnum):
    json = "json"
    table = "table"


Transactions = Annotated[
    Path,
    typer.Option("--transactions", exists=True, dir_okay=False, help="CSV (.gz ok) or CDNOW."),
]
CustomerCol = Annotated[str, typer.Option("--customer-col", help="Customer column (CSV).")]
DateCol = Annotated[
    str, typer.Option("--date-col", help="Date column: ISO date/datetime or YYYYMMDD.")
]
AmountCol = Annotated[
    str, typer.Option("--amount-col", help="Amount column, or a product like Quantity*UnitPrice.")
]
Cdnow = Annotated[
    bool | None,
    typer.Option(
        "--cdnow/--csv", help="Force the CDNOW whitespace format or CSV (default: detect)."
    ),
]


PlotFile = Annotated[
    Path | None,
    typer.Option(
        "--plot", dir_okay=False, help="Also draw it: a .png or .svg file (+ .json spec)."
    ),
]


def _draw(spec: dict[str, Any], drawer: Callable[[dict[str, Any]], Any], path: Path) -> None:
    """Save the picture and, beside it, the JSON spec it was drawn from."""
    from cbec.analytics import plots

    try:
        plots.save(drawer(spec), path)
    except ValueError as exc:
        die(str(exc))
    path.with_suffix(".json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        die(f"{option}: not a date (YYYY-MM-DD): {value!r}")


@contextmanager
def _progress() -> Iterator[Progress]:
    bar = Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[note]}"),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    )
    with bar:
        yield bar


def _step(bar: Progress, description: str) -> Callable[[], None]:
    """A one-shot progress row: returns the function that marks it done."""
    task = bar.add_task(description, total=1, note="")
    return lambda: bar.update(task, completed=1)


def _fit_tracker(bar: Progress, description: str) -> tuple[Callable[[int], None], Callable]:
    """A progress row for an optimiser: advances with its iterations (total unknown)."""
    task = bar.add_task(description, total=None, note="")

    def on_iter(i: int) -> None:
        bar.update(task, note=f"iteration {i}")

    def done(note: str) -> None:
        bar.update(task, total=1, completed=1, note=note)

    return on_iter, done


def _read(path: Path, customer: str, date_col: str, amount: str, cdnow: bool | None):
    from cbec.analytics import transactions as tr

    try:
        return tr.read_any(path, customer, date_col, amount, cdnow=cdnow)
    except (tr.TransactionError, OSError) as exc:
        die(str(exc))


def _money(value: float) -> str:
    from cbec.analytics.transactions import money

    return str(money(value)) if math.isfinite(value) else str(value)


def _params(model: Any) -> dict[str, Any]:
    out: dict[str, Any] = {k: round(v, 6) for k, v in model.params().items()}
    out["log_likelihood"] = round(model.log_likelihood, 4)
    out["customers"] = model.n
    out["converged"] = model.converged
    out["iterations"] = model.iterations
    return out


def _emit(doc: dict[str, Any], fmt: Format, title: str) -> None:
    if fmt is Format.json:
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title=title)
    table.add_column("name")
    table.add_column("value", justify="right")

    def rows(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                rows(f"{prefix}.{k}" if prefix else k, v)
        else:
            table.add_row(escape(prefix), escape(str(value)))

    rows("", doc)
    Console().print(table)


@analytics.command("clv")
def clv_cmd(
    transactions: Transactions,
    calibration_end: Annotated[
        str, typer.Option("--calibration-end", help="Last day of calibration (YYYY-MM-DD).")
    ],
    customer_col: CustomerCol = "customer",
    date_col: DateCol = "date",
    amount_col: AmountCol = "amount",
    model: Annotated[Model, typer.Option("--model", help="Model to fit.")] = Model.bgnbd,
    fmt: Annotated[Format, typer.Option("--format", help="json or table.")] = Format.json,
    predict_weeks: Annotated[
        float | None,
        typer.Option("--predict-weeks", min=0.001, help="Predict purchases and CLV this far."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", dir_okay=False, help="Per-customer predictions CSV.")
    ] = None,
    observation_end: Annotated[
        str | None,
        typer.Option("--observation-end", help="End of the holdout (default: last date)."),
    ] = None,
    discount: Annotated[
        float, typer.Option("--discount", help="Annual discount rate for CLV.")
    ] = 0.10,
    margin: Annotated[float, typer.Option("--margin", help="Profit margin applied to CLV.")] = 1.0,
    plot: PlotFile = None,
    cdnow: Cdnow = None,
) -> None:
    """Fit a CLV model on the calibration period and print its parameters.

    BG/NBD prints r, alpha, a, b; Pareto/NBD r, alpha, s, beta; Gamma-Gamma p, q, gamma;
    each with log_likelihood. With --predict-weeks N, also fits the spend model (and, for
    --model gammagamma, BG/NBD as the count model), prints totals, and with --out writes
    per customer: P(alive), expected purchases and spend, and CLV discounted at --discount
    a year (end of each month)."""
    from cbec.analytics import clv
    from cbec.analytics import transactions as tr

    cal_end = _day(calibration_end, "--calibration-end")
    obs_end = _day(observation_end, "--observation-end") if observation_end else None
    if out is not None and predict_weeks is None:
        die("--out needs --predict-weeks")
    fitters = {
        Model.bgnbd: ("BG/NBD", clv.fit_bgnbd),
        Model.paretonbd: ("Pareto/NBD", clv.fit_paretonbd),
    }
    with _progress() as bar:
        done = _step(bar, f"reading {transactions.name}")
        tx = _read(transactions, customer_col, date_col, amount_col, cdnow)
        done()
        done = _step(bar, "calibration summary")
        try:
            summary = tr.summary(tx, cal_end, obs_end)
        except tr.TransactionError as exc:
            die(str(exc))
        if summary.height == 0:
            die(f"no customer made a first purchase on or before {cal_end}")
        done()
        x, t_x, T, zbar = (summary[c].to_numpy() for c in ("x", "t_x", "T", "zbar"))
        count_model = spend_model = None
        try:
            if model is not Model.gammagamma or predict_weeks is not None:
                label, fitter = fitters.get(model, fitters[Model.bgnbd])
                on_iter, finish = _fit_tracker(bar, f"fitting {label}")
                count_model = fitter(x, t_x, T, progress=on_iter)
                finish(f"LL {count_model.log_likelihood:.2f}")
            if model is Model.gammagamma or predict_weeks is not None:
                on_iter, finish = _fit_tracker(bar, "fitting Gamma-Gamma")
                spend_model = clv.fit_gammagamma(x, zbar, progress=on_iter)
                finish(f"LL {spend_model.log_likelihood:.2f}")
        except ValueError as exc:
            die(str(exc))
        preds = None
        if predict_weeks is not None:
            done = _step(bar, f"predicting {predict_weeks:g} weeks")
            preds = clv.predictions(
                summary,
                count_model,
                spend_model,
                predict_weeks,
                annual_discount=discount,
                margin=margin,
            )
            done()
    shown = spend_model if model is Model.gammagamma else count_model
    for fitted in (count_model, spend_model):
        if fitted is not None and not fitted.converged:
            err.print(
                f"[yellow]warning:[/yellow] the {type(fitted).__name__} fit did not converge "
                f"({fitted.params()}): parameters running off to 0 or infinity mean the data "
                "shows no heterogeneity or no dropout that this model can separate"
            )
    doc: dict[str, Any] = _params(shown)
    doc = {"model": model.value, **doc, "calibration_end": cal_end.isoformat()}
    if model is Model.gammagamma:
        doc["frequency_spend_correlation"] = round(clv.frequency_spend_correlation(x, zbar), 4)
    if preds is not None:
        assert count_model is not None and spend_model is not None
        doc["prediction"] = {
            "weeks": predict_weeks,
            "count_model": "bgnbd" if model is Model.gammagamma else model.value,
            "count_params": {k: round(v, 6) for k, v in count_model.params().items()},
            "spend_params": {k: round(v, 6) for k, v in spend_model.params().items()},
            "customers": preds.height,
            "expected_purchases_total": round(float(preds["expected_purchases"].sum()), 2),
            "clv_total": _money(float(preds["clv"].sum())),
            "annual_discount": discount,
            "margin": margin,
        }
        if out is not None:
            preds.write_csv(out)
            doc["prediction"]["out"] = str(out)
        if plot is not None:
            from cbec.analytics import plots

            spec = plots.distribution_spec(
                preds["clv"].to_list(), title=f"CLV over {predict_weeks:g} weeks", unit="CLV"
            )
            _draw(spec, plots.histogram, plot)
    elif plot is not None:
        die("--plot needs --predict-weeks (it draws the CLV distribution)")
    _emit(doc, fmt, f"{model.value} on {transactions.name}")


@analytics.command("rfm")
def rfm_cmd(
    transactions: Transactions,
    customer_col: CustomerCol = "customer",
    date_col: DateCol = "date",
    amount_col: AmountCol = "amount",
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Reference date (default: day after the last).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", dir_okay=False, help="Per-customer scores CSV.")
    ] = None,
    cdnow: Cdnow = None,
) -> None:
    """RFM quintile scores (1-5, 5 best) and named segments; prints per-segment JSON."""
    import polars as pl

    from cbec.analytics import customers as cu

    day = _day(as_of, "--as-of") if as_of else None
    with _progress() as bar:
        done = _step(bar, f"reading {transactions.name}")
        tx = _read(transactions, customer_col, date_col, amount_col, cdnow)
        done()
        done = _step(bar, "scoring")
        try:
            scores = cu.rfm(tx, day)
        except ValueError as exc:
            die(str(exc))
        seg = cu.segment_summary(scores)
        again = cu.repurchase_rate(tx)
        done()
    if out is not None:
        scores.with_columns(pl.col("monetary").round(2)).write_csv(out)
    doc = {
        "customers": scores.height,
        "as_of": (day or tx["date"].max() + timedelta(days=1)).isoformat(),
        "monetary_total": _money(float(scores["monetary"].sum())),
        "repurchase_rate": round(again.rate, 4),
        "segments": [
            {
                "segment": row["segment"],
                "customers": row["customers"],
                "share": round(row["share"], 4),
                "mean_recency_days": round(row["mean_recency_days"], 1),
                "mean_frequency": round(row["mean_frequency"], 2),
                "monetary_total": _money(row["monetary_total"]),
                "monetary_mean": _money(row["monetary_mean"]),
            }
            for row in seg.iter_rows(named=True)
        ],
    }
    if out is not None:
        doc["out"] = str(out)
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")


@analytics.command("cohorts")
def cohorts_cmd(
    transactions: Transactions,
    customer_col: CustomerCol = "customer",
    date_col: DateCol = "date",
    amount_col: AmountCol = "amount",
    within_days: Annotated[
        int, typer.Option("--within-days", min=1, help="Window for the repurchase rate.")
    ] = 90,
    cdnow: Cdnow = None,
    plot: PlotFile = None,
) -> None:
    """Monthly cohort retention (share of each first-purchase-month cohort active k months
    later; later cohorts have shorter lists) and repurchase rates, as JSON."""
    from cbec.analytics import customers as cu

    with _progress() as bar:
        done = _step(bar, f"reading {transactions.name}")
        tx = _read(transactions, customer_col, date_col, amount_col, cdnow)
        done()
        done = _step(bar, "cohorts")
        long = cu.cohort_retention(tx)
        matrix = cu.cohort_matrix(long)
        sizes = dict(long.select("cohort", "size").unique().iter_rows())
        ever = cu.repurchase_rate(tx)
        window = cu.repurchase_rate(tx, within_days)
        done()
    doc = {
        "customers": int(tx["customer"].n_unique()),
        "repurchase": {
            "ever": {**ever.as_dict(), "rate": round(ever.rate, 4)},
            "window": {**window.as_dict(), "rate": round(window.rate, 4)},
        },
        "cohorts": {
            c: {
                "size": sizes[c],
                "retention": [round(v, 4) for v in shares],
            }
            for c, shares in matrix.items()
        },
    }
    if plot is not None:
        from cbec.analytics import plots

        width = max(len(s) for s in matrix.values())
        rows = [list(s) + [None] * (width - len(s)) for s in matrix.values()]
        _draw(plots.cohort_spec(list(matrix), rows), plots.cohort_heatmap, plot)
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")


@analytics.command("market")
def market_cmd(
    figures: Annotated[
        list[Path] | None,
        typer.Option(
            "--figures", exists=True, dir_okay=False, help="More figures (CSV, same columns)."
        ),
    ] = None,
    metric: Annotated[str, typer.Option(help="Metric to plot.")] = "cbec_market_size",
    plot: PlotFile = None,
) -> None:
    """China CBEC market figures with their sources: every growth rate and share a source
    states recomputed, disagreements (over 0.1 point) listed, import/export and regional
    views. Exits 1 when a stated figure disagrees."""
    from cbec.analytics import plots
    from cbec.errors import CbecError
    from cbec.services import analytics as svc

    try:
        report = svc.market_view(figures or ())
    except (CbecError, OSError) as exc:
        die(str(exc))
    if plot is not None:
        view = next((v for v in report.direction if v.metric == metric), None)
        if view is None:
            die(f"--metric: no import/export figures for {metric}")
        _draw(plots.market_spec(view.model_dump()), plots.market_trend, plot)
    sys.stdout.write(json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2))
    sys.stdout.write("\n")
    raise typer.Exit(1 if report.disagreements else 0)


def _with_forecasting() -> None:
    """``cbec analytics forecast`` and ``… replenish`` live in their own module."""
    from cbec.cli.forecast_cli import forecast_app

    analytics.registered_commands.extend(forecast_app.registered_commands)


_with_forecasting()
