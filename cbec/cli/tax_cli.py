"""``cbec tax …``: China CBEC import tax and destination landed cost, from JSON on stdin."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cbec.cli.common import die, read_stdin_json, write_json

tax = typer.Typer(help="Import tax and landed cost (rule data with sources).", no_args_is_help=True)


def _stdin_json() -> dict:
    doc = read_stdin_json()
    if not isinstance(doc, dict):
        die("stdin must be a JSON object")
    return doc


@tax.command("cn-import")
def cn_import() -> None:
    """China CBEC retail-import tax of the order on stdin (JSON; amounts as strings, RMB).

    Prints regime (cbec / general_trade), duty, vat, consumption_tax, total_tax and per-line
    figures, rounded to the fen per line (totals are sums of the lines)."""
    from cbec.tax.cn_import import assess, order_from_json

    try:
        result = assess(order_from_json(_stdin_json()))
    except (ValueError, LookupError, ArithmeticError) as exc:
        die(str(exc))
    write_json(result.as_dict(), indent=2)


@tax.command("positive-list")
def positive_list(
    codes: Annotated[list[str], typer.Argument(help="8- or 10-digit Chinese tariff codes.")],
    on: Annotated[str, typer.Option("--date", help="YYYY-MM-DD (default: today).")] = "",
    channel: Annotated[str, typer.Option(help="bonded (1210) or direct (9610).")] = "direct",
    qty: Annotated[str, typer.Option(help="Quantity in the order.")] = "1",
    table: Annotated[
        Path | None,
        typer.Option("--list", exists=True, dir_okay=False, help="Full list as CSV."),
    ] = None,
) -> None:
    """Is each code on the CBEC retail-import positive list (跨境电子商务零售进口商品清单)?

    Prints one JSON object per code; exits 1 if any is not on the list or breaks a condition.
    Without --list the shipped SAMPLE is used, and the answers say so."""
    from datetime import date
    from decimal import Decimal, InvalidOperation

    from cbec.tax.positive_list import NotCovered, PositiveList

    try:
        day = date.fromisoformat(on) if on else date.today()
        amount = Decimal(qty)
        plist = PositiveList.load_csv(table) if table else PositiveList.load_sample()
        findings = [plist.check(c, day, channel=channel, qty=amount) for c in codes]
    except (ValueError, InvalidOperation, NotCovered) as exc:
        die(str(exc))
    for f in findings:
        write_json(f.as_dict())
    bad = any(f.status == "not_on_list" or f.unmet for f in findings)
    raise typer.Exit(1 if bad else 0)


@tax.command("quote")
def quote(
    dest: Annotated[str, typer.Option(help="Destination country (ISO 3166 alpha-2).")],
    on: Annotated[str, typer.Option("--date", help="Date of import, YYYY-MM-DD.")],
    mfn: Annotated[
        Path | None,
        typer.Option(exists=True, dir_okay=False, help="Full MFN rate table (CSV)."),
    ] = None,
    fx_table: Annotated[
        Path | None,
        typer.Option("--fx", exists=True, dir_okay=False, help="Dated FX rate table (CSV)."),
    ] = None,
) -> None:
    """Landed cost (DDP) of the order on stdin delivered to DEST on DATE.

    The order: {"currency", "freight", "insurance", "lines": [{"sku", "qty", "unit_price",
    "hs_code", "origin", "description"}], "channel"?, "ioss_number"?, "fx_rates"?}. Prints
    goods, freight, duty, vat, fees, total, de_minimis_applied, rules, lines and decisions."""
    from datetime import date

    from cbec.ruledata import RuleDataError
    from cbec.tax.landed import QuoteError, load_fx, load_mfn, order_from_json
    from cbec.tax.landed import quote as landed_quote

    try:
        day = date.fromisoformat(on)
    except ValueError:
        die(f"--date: {on!r} is not YYYY-MM-DD")
    try:
        order, fx = order_from_json(_stdin_json())
        fx = fx if fx is not None else (load_fx(fx_table) if fx_table else None)
        rates = load_mfn(mfn) if mfn else None
        result = landed_quote(order, dest.upper(), day, mfn=rates, fx=fx)
    except (QuoteError, RuleDataError) as exc:
        die(str(exc))
    write_json(result.as_dict(), indent=2)
