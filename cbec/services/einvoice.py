"""Use cases of e-invoices: build a stored order's invoice (EN 16931 UBL 2.1, Peppol BIS
Billing 3.0), validate it by the official rules and log its SHA-256 in the evidence ledger;
build the credit note that corrects that invoice, in full or in part, validated and logged
the same way; validate any UBL invoice or credit note (:mod:`cbec.einvoice`).

Only a party to the order — a tenant who may read it, by the rule every document read obeys
(:func:`cbec.store.visibility.visible`) — may build its invoice; anyone else gets the 404 of a
missing order. The ledger entry carries the invoice's number, order id and hash (no names):
the invoice a buyer received can later be proven unchanged by hashing it again. A credit
note's entry carries its own number and the number of the invoice it corrects. An invoice
with a fatal finding is returned with its findings and not logged — it is not one to send.

The buyer's name and address are personal data, stored encrypted: they are written in clear
only for the order's filer, who holds them anyway (as for the customs messages built from
an order, :mod:`cbec.services.customs_declare`); another party's invoice carries them masked
(``personal_data`` says which). An order whose personal data was erased (PIPL Art. 47) is
refused with 409: its invoice would name ``(erased)`` as the buyer.
"""

from __future__ import annotations

import hashlib
from typing import Any

from pydantic import BaseModel

from cbec.einvoice import CreditTerms, InvoiceTerms, credit_note_of, invoice_of, validate, write
from cbec.einvoice.model import Invoice
from cbec.einvoice.validate import Report
from cbec.errors import Conflict, NotFound
from cbec.privacy.vault import erased_in
from cbec.services.evidence import log_event
from cbec.store.repository import UnitOfWork
from cbec.tenancy.access import Viewer
from cbec.trade.kinds import KINDS
from cbec.trade.ports import now

ENTRY_TYPE = "cbec.einvoice/v1"


class InvoiceRequest(InvoiceTerms):
    """The terms of the invoice that the order does not carry (see :class:`InvoiceTerms`)."""


class CreditNoteRequest(CreditTerms):
    """The invoice's terms, the invoice it corrects, the reason and what it credits (lines
    and quantities, an amount, or all of it; see :class:`CreditTerms`)."""


class FindingView(BaseModel):
    rule: str
    flag: str
    location: str
    text: str
    source: str


class Validation(BaseModel):
    valid: bool
    findings: list[FindingView]


class BuiltInvoice(Validation):
    order_id: str
    personal_data: str  # "clear" for the order's filer, "masked" for another party
    number: str
    sha256: str
    xml: str
    ledger_index: int | None


class BuiltCreditNote(BuiltInvoice):
    invoice_number: str  # BT-25, the invoice the credit note corrects


def _view(report: Report) -> Validation:
    findings = [FindingView(**f.__dict__) for f in report.findings]
    return Validation(valid=report.valid, findings=findings)


def validate_invoice(xml: bytes) -> Validation:
    """The findings of the OASIS schema (Invoice or CreditNote, by the document's root) and
    the CEN and Peppol rules on ``xml``."""
    return _view(validate(xml))


def _order(uow: UnitOfWork, caller: Viewer, doc_id: str) -> tuple[dict[str, Any], bool]:
    """The order's body as ``caller`` may see it, and whether in clear (its filer)."""
    pii = KINDS["order"].pii
    with uow:
        stored = uow.repo.get_document(caller, "order", doc_id)
        if stored is None:
            raise NotFound("not_found", {"kind": "order"})
        clear = stored.filer_tenant_id == caller.tenant_id
        body = uow.vault.open("order", doc_id, pii, stored.body, clear=clear)
    if erased_in(body, pii):
        raise Conflict("document_erased", {"kind": "order"})
    return body, clear


def _checked_and_logged(
    uow: UnitOfWork,
    caller: Viewer,
    doc_id: str,
    body: dict[str, Any],
    doc: Invoice,
    clear: bool,
) -> dict[str, Any]:
    """Write, validate and (when valid) log ``doc``; the fields of a :class:`BuiltInvoice`."""
    xml = write(doc)
    checked = _view(validate(xml))
    digest = hashlib.sha256(xml).hexdigest()
    index = None
    if checked.valid:
        entry = {"order": doc_id, "invoice": doc.number, "sha256": digest}
        if doc.credit_note and doc.preceding is not None:
            entry |= {"credit_note": doc.number, "invoice": doc.preceding.number}
        with uow.writing():
            index = log_event(
                uow,
                ENTRY_TYPE,
                at=now(),
                tenants=sorted({caller.name, body["platform"], body.get("seller") or caller.name}),
                body=entry,
            )
            uow.commit()
    return {
        **checked.model_dump(),
        "order_id": doc_id,
        "personal_data": "clear" if clear else "masked",
        "number": doc.number,
        "sha256": digest,
        "xml": xml.decode("utf-8"),
        "ledger_index": index,
    }


def build_invoice(
    uow: UnitOfWork, caller: Viewer, doc_id: str, req: InvoiceRequest
) -> BuiltInvoice:
    """Build, validate and (when valid) log the invoice of order ``doc_id``."""
    body, clear = _order(uow, caller, doc_id)
    invoice = invoice_of(body, req)
    return BuiltInvoice(**_checked_and_logged(uow, caller, doc_id, body, invoice, clear))


def build_credit_note(
    uow: UnitOfWork, caller: Viewer, doc_id: str, req: CreditNoteRequest
) -> BuiltCreditNote:
    """Build, validate and (when valid) log the credit note of order ``doc_id``'s invoice."""
    body, clear = _order(uow, caller, doc_id)
    note = credit_note_of(body, req, now().date())
    fields = _checked_and_logged(uow, caller, doc_id, body, note, clear)
    invoice_number = note.preceding.number if note.preceding is not None else ""
    return BuiltCreditNote(**fields, invoice_number=invoice_number)
