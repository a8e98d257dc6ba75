"""Use cases of e-invoices: build a stored order's invoice (EN 16931 UBL 2.1, Peppol BIS
Billing 3.0), validate it by the official rules and log its SHA-256 in the evidence ledger;
validate any UBL invoice (:mod:`cbec.einvoice`).

Only a party to the order — a tenant who may read it, by the rule every document read obeys
(:func:`cbec.store.visibility.visible`) — may build its invoice; anyone else gets the 404 of a
missing order. The ledger entry carries the invoice's number, order id and hash (no names):
the invoice a buyer received can later be proven unchanged by hashing it again. An invoice
with a fatal finding is returned with its findings and not logged — it is not one to send.

The buyer's name and address are personal data, stored encrypted: they are written in clear
only for the order's filer, who holds them anyway (as for the customs messages built from
an order, :mod:`cbec.services.customs_declare`); another party's invoice carries them masked
(``personal_data`` says which). An order whose personal data was erased (PIPL Art. 47) is
refused with 409: its invoice would name ``(erased)`` as the buyer.
"""

from __future__ import annotations

import hashlib

from pydantic import BaseModel

from cbec.einvoice import InvoiceTerms, invoice_of, validate, write
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
    pii = KINDS["order"].pii
    with uow:
        stored = uow.repo.get_document(caller, "order", doc_id)
        if stored is None:
            raise NotFound("not_found", {"kind": "order"})
        clear = stored.filer_tenant_id == caller.tenant_id
        body = uow.vault.open("order", doc_id, pii, stored.body, clear=clear)
    if erased_in(body, pii):
        raise Conflict("document_erased", {"kind": "order"})
    invoice = invoice_of(body, req)
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
                tenants=sorted({caller.name, body["platform"], body.get("seller") or caller.name}),
                body={"order": doc_id, "invoice": invoice.number, "sha256": digest},
            )
            uow.commit()
    return BuiltInvoice(
        **checked.model_dump(),
        order_id=doc_id,
        personal_data="clear" if clear else "masked",
        number=invoice.number,
        sha256=digest,
        xml=xml.decode("utf-8"),
        ledger_index=index,
    )
