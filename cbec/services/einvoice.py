"""Use cases of e-invoices: build a stored order's invoice (EN 16931 UBL 2.1, Peppol BIS
Billing 3.0), validate it by the official rules and log its SHA-256 in the evidence ledger;
validate any UBL invoice (:mod:`cbec.einvoice`).

Only a party to the order — a tenant who may read it, by the rule every document read obeys
(:func:`cbec.store.visibility.visible`) — may build its invoice; anyone else gets the 404 of a
missing order. The ledger entry carries the invoice's number, order id and hash (no names):
the invoice a buyer received can later be proven unchanged by hashing it again. An invoice
with a fatal finding is returned with its findings and not logged — it is not one to send.
"""

from __future__ import annotations

import hashlib

from pydantic import BaseModel

from cbec.einvoice import InvoiceTerms, invoice_of, validate, write
from cbec.einvoice.validate import Report
from cbec.errors import NotFound
from cbec.services.evidence import log_event
from cbec.store.repository import UnitOfWork
from cbec.tenancy.access import Viewer
from cbec.trade.ports import now

ENTRY_TYPE = "cbec.einvoice/v1"


class InvoiceRequest(InvoiceTerms):
    """The terms of the invoice that the order does not carry (see :class:`InvoiceTerms`)."""


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
    number: str
    sha256: str
    xml: str
    ledger_index: int | None


def _view(report: Report) -> Validation:
    findings = [FindingView(**f.__dict__) for f in report.findings]
    return Validation(valid=report.valid, findings=findings)


def validate_invoice(xml: bytes) -> Validation:
    """The findings of the OASIS schema and the CEN and Peppol rules on ``xml``."""
    return _view(validate(xml))


def build_invoice(
    uow: UnitOfWork, caller: Viewer, doc_id: str, req: InvoiceRequest
) -> BuiltInvoice:
    """Build, validate and (when valid) log the invoice of order ``doc_id``."""
    with uow:
        stored = uow.repo.get_document(caller, "order", doc_id)
    if stored is None:
        raise NotFound("not_found", {"kind": "order"})
    invoice = invoice_of(stored.body, req)
    xml = write(invoice)
    checked = _view(validate(xml))
    digest = hashlib.sha256(xml).hexdigest()
    index = None
    if checked.valid:
        with uow.writing():
            index = log_event(
                uow,
                ENTRY_TYPE,
                at=now(),
                tenants=[caller.name],
                body={"order": doc_id, "invoice": invoice.number, "sha256": digest},
            )
            uow.commit()
    return BuiltInvoice(
        **checked.model_dump(),
        order_id=doc_id,
        number=invoice.number,
        sha256=digest,
        xml=xml.decode("utf-8"),
        ledger_index=index,
    )
