"""``cbec privacy transfer …``: the cross-border transfer register from the command line;
``cbec privacy report``: the year's compliance report (:mod:`cbec.services.privacy_report`),
as Markdown, HTML or JSON.

The same use cases as ``/privacy/transfers`` (:mod:`cbec.services.transfers`): the request
is the API's body (``{"profile": {...}, "transfer": {...}}``) as JSON on standard input, the
answer the API's, as JSON. A refused input exits 2 naming the field and the rule.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from cbec.cli.common import die, read_stdin_json, tenant_caller, text_arg, write_json

privacy = typer.Typer(
    help="Data protection: the data inventory, the cross-border transfer register, data "
    "subject requests and the compliance report.",
    no_args_is_help=True,
)
transfer = typer.Typer(
    help="Cross-border transfers: the route one needs, recording one, the register.",
    no_args_is_help=True,
)
privacy.add_typer(transfer, name="transfer")
dsr = typer.Typer(
    help="Data subject requests (PIPL Arts. 45, 47; GDPR Arts. 15, 17): access, erasure, "
    "the register. The person, as JSON on stdin: "
    '{"id_type": "resident_id", "id_number": "…"} or {"phone": "…"} — never on the '
    "command line, where the shell's history would keep it.",
    no_args_is_help=True,
)
privacy.add_typer(dsr, name="dsr")

AsTenant = Annotated[str, typer.Option("--as", help="The exporting tenant (or the regulator).")]


def _run(as_tenant: str, call: Any, needs_body: bool = True, model: Any = None) -> None:
    from pydantic import ValidationError

    from cbec.cli.tax_cli import refuse
    from cbec.errors import CbecError
    from cbec.services.transfer_models import TransferRequest

    rt, caller = tenant_caller(as_tenant)
    try:
        body = None
        if needs_body:
            doc = read_stdin_json()
            if not isinstance(doc, dict):
                die("stdin must be a JSON object")
            body = (model or TransferRequest).model_validate(doc)
        result = call(rt.uow(), caller, body)
    except (CbecError, ValidationError) as exc:
        refuse(exc)
    write_json(result.model_dump(mode="json"), indent=2)


@transfer.command("route")
def route(as_tenant: AsTenant) -> None:
    """The route the transfer on stdin would need (nothing is recorded).

    Decided on the register as it stands: prints the decision with the provisions it cites
    and the yearly counts it used."""
    from cbec.services import transfers as svc

    _run(as_tenant, lambda uow, caller, body: svc.plan_transfer(uow, caller, body))


@transfer.command("record")
def record(as_tenant: AsTenant) -> None:
    """Record the transfer on stdin as made, with its route.

    The record is logged in the evidence ledger without personal data."""
    from cbec.services import transfers as svc

    _run(as_tenant, lambda uow, caller, body: svc.record_transfer(uow, caller, body))


@transfer.command("list")
def register(
    as_tenant: AsTenant,
    year: Annotated[
        int | None, typer.Option(help="Calendar year (default: this year in China).")
    ] = None,
) -> None:
    """The register of a year, newest first.

    The tenant's own transfers, or every tenant's for the regulator."""
    from cbec.services import transfers as svc

    _run(as_tenant, lambda uow, caller, _: svc.list_transfers(uow, caller, year), needs_body=False)


def _subject_query() -> Any:
    from cbec.services.dsr_models import SubjectQuery

    return SubjectQuery


@dsr.command("access")
def dsr_access(as_tenant: AsTenant) -> None:
    """Everything the tenant filed on the person on stdin, in clear, as JSON.

    Every version of every document, the records derived from them and the retention
    periods that apply; recorded in the register (never the identifier)."""
    from cbec.services import dsr as svc

    _run(as_tenant, svc.subject_access, model=_subject_query())


@dsr.command("erase")
def dsr_erase(as_tenant: AsTenant) -> None:
    """Erase what the tenant filed on the person on stdin (crypto-shredding).

    The person's key is deleted; the ledger keeps its commitments, so every earlier proof
    still verifies. Repeated, it answers already_erased."""
    from cbec.services import dsr_erasure as svc

    _run(as_tenant, svc.subject_erasure, model=_subject_query())


@dsr.command("list")
def dsr_list(as_tenant: AsTenant) -> None:
    """The register of requests, newest first (every tenant's for the regulator)."""
    from cbec.services import dsr as svc

    _run(as_tenant, lambda uow, caller, _: svc.list_requests(uow, caller), needs_body=False)


@privacy.command("retention")
def retention_cmd(
    as_tenant: AsTenant,
    apply: Annotated[
        bool, typer.Option("--apply", help="Erase them (else only count them).")
    ] = False,
    on: Annotated[
        str | None, typer.Option("--on", help="The day, YYYY-MM-DD (default: today, UTC).")
    ] = None,
) -> None:
    """The tenant's documents past their retention period (PIPL Arts. 19, 47(1)), as JSON.

    Per kind, the inventory's period (3y: three years from completion; product: while
    sold) and how many documents are past it. With --apply their personal fields are
    erased in place and the erasure logged in the ledger. The same as GET
    /privacy/retention and POST /privacy/retention/apply."""
    from datetime import date

    from cbec.services import retention as svc

    day = None
    if on is not None:
        try:
            day = date.fromisoformat(text_arg(on, "--on"))
        except ValueError:
            die("--on must be a date, YYYY-MM-DD")
    call = svc.apply_retention if apply else svc.retention_due
    _run(as_tenant, lambda uow, caller, _: call(uow, caller, day), needs_body=False)


class InventoryFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


@privacy.command("inventory")
def inventory(
    kind: Annotated[str | None, typer.Option(help="Only this document kind (e.g. order).")] = None,
    output: Annotated[
        InventoryFormat, typer.Option("--format", help="table, json or csv.")
    ] = InventoryFormat.table,
) -> None:
    """Every stored document field: category, grade, personal information, protection.

    Categories: user, transaction, supply_chain; grades after GB/T 43697-2024; personal
    information after PIPL Arts. 4 and 28 (none, linked, possible, personal, sensitive);
    retention and each tag's source. The same table as GET /privacy/inventory."""
    import csv
    import sys

    from rich.table import Table

    from cbec.cli.common import fail, out
    from cbec.errors import CbecError
    from cbec.services import inventory as svc

    try:
        found = svc.data_inventory()
    except CbecError as exc:
        fail(exc)
    fields = [f for f in found.fields if kind is None or f.kind == kind]
    if kind is not None and not fields:
        die(f"no document kind named {kind}")
    if output is InventoryFormat.json:
        write_json([f.model_dump(mode="json") for f in fields], indent=2)
        return
    columns = ["kind", "field", "category", "grade", "pi", "protection", "mask", "retention"]
    if output is InventoryFormat.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow([*columns, "source"])
        for f in fields:
            writer.writerow([getattr(f, c) for c in columns] + [f.source])
        return
    table = Table(title=f"cbec data inventory, {found.on}")
    for column in columns:
        table.add_column(column, overflow="fold")
    for f in fields:
        table.add_row(*(getattr(f, c) for c in columns))
    out.print(table)


class ReportFormat(StrEnum):
    md = "md"
    html = "html"
    json = "json"


class ReportLang(StrEnum):
    en = "en"
    zh = "zh"


@privacy.command("report")
def report(
    as_tenant: AsTenant,
    year: Annotated[int, typer.Option(help="Calendar year in China (Asia/Shanghai).")],
    output: Annotated[
        ReportFormat, typer.Option("--format", help="md, html (printable to PDF) or json.")
    ] = ReportFormat.md,
    lang: Annotated[ReportLang, typer.Option("--lang", help="en or zh.")] = ReportLang.en,
    out_file: Annotated[
        str | None, typer.Option("--out", help="Write to this file (default: standard output).")
    ] = None,
) -> None:
    """The year's compliance report: the PIPL Arts. 55-56 impact assessment draft and the
    audit pack (inventory, transfers by route and destination, key rotations, access by role).

    The same report as GET /privacy/report: the tenant's own data, or every tenant's for the
    regulator. HTML is one self-contained page with its charts inline, printable to PDF."""
    import sys
    from pathlib import Path

    from cbec.cli.tax_cli import refuse
    from cbec.errors import CbecError
    from cbec.privacy import report_render
    from cbec.services import privacy_report

    rt, caller = tenant_caller(as_tenant)
    try:
        found = privacy_report.privacy_report(rt.uow(), caller, year)
    except CbecError as exc:
        refuse(exc)
    if output is ReportFormat.json:
        text = found.model_dump_json(indent=2) + "\n"
    elif output is ReportFormat.md:
        text = report_render.markdown(found, lang.value)
    else:
        text = report_render.html_document(found, lang.value)
    if out_file is None:
        sys.stdout.write(text)
        return
    try:
        Path(out_file).write_text(text, encoding="utf-8")
    except OSError as exc:
        die(f"cannot write {out_file}: {exc.strerror}")
