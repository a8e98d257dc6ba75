"""``cbec tax …``: China CBEC import tax and destination landed cost, from JSON on stdin."""

from __future__ import annotations

import json
import sys

import typer
from rich.console import Console

tax = typer.Typer(help="Import tax and landed cost (rule data with sources).", no_args_is_help=True)
err = Console(stderr=True)


def _stdin_json() -> dict:
    try:
        doc = json.loads(sys.stdin.read())
    except json.JSONDecodeError as exc:
        err.print(f"[red]error:[/red] stdin is not JSON: {exc}")
        raise typer.Exit(2) from None
    if not isinstance(doc, dict):
        err.print("[red]error:[/red] stdin must be a JSON object")
        raise typer.Exit(2)
    return doc


@tax.command("cn-import")
def cn_import() -> None:
    """China CBEC retail-import tax of the order on stdin (JSON; amounts as strings, RMB).

    Prints regime (cbec / general_trade), duty, vat, consumption_tax, total_tax and per-line
    figures, rounded to the fen per line (totals are sums of the lines)."""
    from cbec.tax.cn_import import assess, order_from_json

    try:
        result = assess(order_from_json(_stdin_json()))
    except (ValueError, LookupError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    sys.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n")
