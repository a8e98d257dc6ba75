"""``cbec tax …``: China CBEC import tax and destination landed cost, from JSON on stdin.

Each command builds the request model of :mod:`cbec.services.tax_models` from its input and
calls the same use case as the HTTP API (:mod:`cbec.services.tax`), so both answer alike; JSON
is read with ``Decimal`` numbers (:func:`cbec.jsonio.loads`). A refused input exits 2 naming
the field and the rule.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from cbec.cli.common import die, fail, read_stdin_json, write_json

tax = typer.Typer(help="Import tax and landed cost (rule data with sources).", no_args_is_help=True)


def refuse(exc: Exception) -> NoReturn:
    """Print a refused input (a cbec error, or a request model's validation error) by field
    and rule in the caller's language, and exit 2."""
    from pydantic import ValidationError

    from cbec.errors import CbecError, DocumentInvalid
    from cbec.trade.validation import violations_from_pydantic

    if isinstance(exc, ValidationError):
        exc = DocumentInvalid(violations_from_pydantic(exc))
    if isinstance(exc, CbecError):
        fail(exc)
    die(str(exc))


def _stdin_json() -> dict[str, Any]:
    doc = read_stdin_json()
    if not isinstance(doc, dict):
        die("stdin must be a JSON object")
    return doc


def _emit(result: Any, indent: int | None = 2) -> None:
    write_json(result.model_dump(mode="json"), indent=indent)


@tax.command("cn-import")
def cn_import() -> None:
    """China CBEC retail-import tax of the order on stdin (JSON; amounts as strings, RMB).

    Prints regime (cbec / general_trade), duty, vat, consumption_tax, total_tax and per-line
    figures, rounded to the fen per line (totals are sums of the lines)."""
    from pydantic import ValidationError

    from cbec.errors import CbecError
    from cbec.services import tax as svc
    from cbec.services.tax_models import CnImportRequest

    try:
        result = svc.assess_cn_import(CnImportRequest.model_validate(_stdin_json()))
    except (CbecError, ValidationError) as exc:
        refuse(exc)
    _emit(result)


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
    from pydantic import ValidationError

    from cbec.errors import CbecError
    from cbec.services import tax as svc
    from cbec.services.tax_models import PositiveListQuery

    try:
        queries = [
            PositiveListQuery.model_validate(
                {"hs_code": c, "date": on or None, "channel": channel, "qty": qty}
            )
            for c in codes
        ]
        findings = [svc.check_positive_list(q, table) for q in queries]
    except (CbecError, ValidationError) as exc:
        refuse(exc)
    for f in findings:
        _emit(f, indent=None)
    bad = any(
        f.status == "not_on_list" or any(c.met is False for c in f.conditions) for f in findings
    )
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
    from pydantic import ValidationError

    from cbec.errors import CbecError
    from cbec.services import tax as svc
    from cbec.services.tax_models import QuoteRequest
    from cbec.tax.landed import load_fx, load_mfn

    try:
        req = QuoteRequest.model_validate(_stdin_json() | {"destination": dest, "date": on})
        rates = load_fx(fx_table) if fx_table else None
        result = svc.quote_landed_cost(req, mfn=load_mfn(mfn) if mfn else None, fx=rates)
    except (CbecError, ValidationError) as exc:
        refuse(exc)
    _emit(result)
