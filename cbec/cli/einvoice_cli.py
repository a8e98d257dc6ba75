"""``cbec einvoice …``: build a stored order's EN 16931 / Peppol BIS Billing 3.0 invoice or the
credit note that corrects it, and validate a UBL invoice or credit note file, by the same use
cases as the HTTP API (:mod:`cbec.services.einvoice`); a refused input exits 2 naming the
field and the rule, a document with a fatal finding exits 1."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cbec.cli.common import EXIT_NO, die, write_json

einvoice = typer.Typer(
    help="E-invoices: EN 16931 UBL 2.1 (Peppol BIS Billing 3.0), built and validated.",
    no_args_is_help=True,
)


@einvoice.command("build")
def build(
    doc_id: Annotated[str, typer.Argument(help="The order's id.")],
    as_tenant: Annotated[str, typer.Option("--as", help="The tenant asking.")],
    xml_out: Annotated[
        Path | None, typer.Option("--xml", dir_okay=False, help="Also write the XML here.")
    ] = None,
) -> None:
    """The order's invoice, its findings and ledger index as JSON; the invoice terms (seller,
    buyer endpoint, VAT) as JSON on stdin."""
    from cbec.services.einvoice import InvoiceRequest, build_invoice

    _build(InvoiceRequest, build_invoice, doc_id, as_tenant, xml_out)


@einvoice.command("credit-note")
def credit_note(
    doc_id: Annotated[str, typer.Argument(help="The order's id.")],
    as_tenant: Annotated[str, typer.Option("--as", help="The tenant asking.")],
    xml_out: Annotated[
        Path | None, typer.Option("--xml", dir_okay=False, help="Also write the XML here.")
    ] = None,
) -> None:
    """The credit note of the order's invoice, its findings and ledger index as JSON; the
    invoice terms plus the reason and the lines or amount credited as JSON on stdin."""
    from cbec.services.einvoice import CreditNoteRequest, build_credit_note

    _build(CreditNoteRequest, build_credit_note, doc_id, as_tenant, xml_out)


@einvoice.command("credit-notes")
def credit_notes(
    doc_id: Annotated[str, typer.Argument(help="The order's id.")],
    as_tenant: Annotated[str, typer.Option("--as", help="The tenant asking.")],
) -> None:
    """The credit notes issued for the order's invoices and what each invoice has left to
    credit, as JSON (a party to the order only)."""
    from cbec.cli.common import fail, tenant_caller
    from cbec.errors import CbecError
    from cbec.services.einvoice import credit_notes as listed

    rt, caller = tenant_caller(as_tenant)
    try:
        result = listed(rt.uow(), caller, doc_id)
    except CbecError as exc:
        fail(exc)
    write_json(result.model_dump(mode="json"), 2)


def _build(model, use_case, doc_id: str, as_tenant: str, xml_out: Path | None) -> None:
    """The terms read from stdin as ``model``, ``use_case`` run on the order, the XML
    written where asked and the result printed as JSON; exit 1 when a rule is broken."""
    from pydantic import ValidationError

    from cbec.cli.common import fail, tenant_caller
    from cbec.cli.tax_cli import _stdin_json, refuse
    from cbec.errors import CbecError

    rt, caller = tenant_caller(as_tenant)
    try:
        req = model.model_validate(_stdin_json())
    except ValidationError as exc:
        refuse(exc)
    try:
        result = use_case(rt.uow(), caller, doc_id, req)
    except CbecError as exc:
        fail(exc)
    if xml_out is not None:
        xml_out.write_text(result.xml, "utf-8")
    write_json(result.model_dump(mode="json"), 2)
    if not result.valid:
        raise typer.Exit(EXIT_NO)


@einvoice.command("validate")
def validate(
    file: Annotated[Path, typer.Argument(dir_okay=False, help="A UBL 2.1 invoice or credit note.")],
) -> None:
    """The document's findings (schema, CEN and Peppol rules) as JSON; exit 1 if any is fatal."""
    from cbec.services.einvoice import validate_invoice

    try:
        xml = file.read_bytes()
    except OSError as exc:
        die(f"cannot read {file}: {exc.strerror}")
    result = validate_invoice(xml)
    write_json(result.model_dump(mode="json"), 2)
    if not result.valid:
        raise typer.Exit(EXIT_NO)
