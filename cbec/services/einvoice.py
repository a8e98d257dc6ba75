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

An invoice's credit notes together credit at most what it states: each valid credit note is
recorded (:mod:`cbec.store.einvoice_store`) with its net amount and line quantities, in the
transaction that logs it, after checking — under the order's lock — that it credits no more
than the invoice (same order, same invoice number) has left; beyond that it is refused with
422 naming the field and what remains (``einvoice_credit_exceeds_remaining``). What was
credited and what remains is read by the parties to the order only (:func:`credit_notes`).
A credit note left unnumbered is ``CN-<invoice number>``, then ``-2``, ``-3`` … for the next.
"""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from cbec.accounts import UserRole
from cbec.einvoice import (
    Credited,
    CreditTerms,
    InvoiceTerms,
    beyond,
    credit_note_of,
    credited_by,
    invoice_of,
    remainder,
    validate,
    write,
)
from cbec.einvoice.model import Invoice
from cbec.einvoice.validate import Report
from cbec.errors import Conflict, DocumentInvalid, Forbidden, NotFound, Violation
from cbec.privacy.vault import erased_in
from cbec.services.evidence import log_event
from cbec.store.einvoice_store import CreditNoteRow, CreditNoteStore
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


class Remaining(BaseModel):
    """What an invoice has left to credit: its net amount (before VAT) less its credit
    notes', and each order line's quantity (by ``line_no``) less the quantities credited."""

    currency: str
    net: Decimal
    lines: dict[int, Decimal]


class BuiltCreditNote(BuiltInvoice):
    invoice_number: str  # BT-25, the invoice the credit note corrects
    remaining: Remaining  # what the invoice has left, this credit note's amounts deducted


class IssuedCreditNote(BaseModel):
    number: str
    issue_date: date
    net: Decimal  # the amount credited before VAT, in ``currency``
    currency: str
    lines: dict[int, Decimal]  # line_no -> quantity credited; none for an amount
    sha256: str
    ledger_index: int | None


class InvoiceCredits(BaseModel):
    invoice_number: str
    invoiced_net: Decimal  # the invoice's net amount when last credited
    credit_notes: list[IssuedCreditNote]
    remaining: Remaining


class CreditNoteList(BaseModel):
    order_id: str
    invoices: list[InvoiceCredits]


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
    record: Any = None,
) -> dict[str, Any]:
    """Write, validate and (when valid) log ``doc``; the fields of a :class:`BuiltInvoice`.
    ``record(digest)``, when given, runs first in the transaction that logs it and returns a
    function of the ledger index that records the credit note (it refuses what it must)."""
    xml = write(doc)
    checked = _view(validate(xml))
    digest = hashlib.sha256(xml).hexdigest()
    index = None
    if checked.valid:
        entry = {"order": doc_id, "invoice": doc.number, "sha256": digest}
        if doc.credit_note and doc.preceding is not None:
            entry |= {"credit_note": doc.number, "invoice": doc.preceding.number}
        with uow.writing():
            recorded = record(digest) if record is not None else None
            index = log_event(
                uow,
                ENTRY_TYPE,
                at=now(),
                tenants=sorted({caller.name, body["platform"], body.get("seller") or caller.name}),
                body=entry,
            )
            if recorded is not None:
                recorded(index)
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


def _issued(row: CreditNoteRow) -> IssuedCreditNote:
    return IssuedCreditNote(
        number=row.number,
        issue_date=row.issue_date,
        net=row.net,
        currency=row.currency,
        lines=row.lines,
        sha256=row.sha256,
        ledger_index=row.ledger_index,
    )


def _refused(
    invoice: Invoice, note: Invoice, terms: CreditTerms, earlier: list[CreditNoteRow]
) -> Credited:
    """What ``note`` credits; refused (422) beyond what ``invoice`` has left after
    ``earlier``, or when another credit note of the invoice has its number."""
    new = credited_by(note, terms)
    left = remainder(invoice, [Credited(r.net, r.lines) for r in earlier])
    bad = beyond(new, terms, left)
    if any(r.number == note.number for r in earlier):
        bad.append(Violation("credit_note_number", "einvoice_credit_note_number_taken"))
    if bad:
        raise DocumentInvalid(bad)
    return new


def _numbered(req: CreditNoteRequest, invoice: Invoice, earlier: list[CreditNoteRow]):
    """``req`` with the credit note's default number: ``CN-<invoice>``, then ``-2`` …"""
    if req.credit_note_number is not None or not earlier:
        return req
    taken = {r.number for r in earlier}
    n = len(earlier) + 1
    while f"CN-{invoice.number}-{n}" in taken:
        n += 1
    return req.model_copy(update={"credit_note_number": f"CN-{invoice.number}-{n}"})


def build_credit_note(
    uow: UnitOfWork, caller: Viewer, doc_id: str, req: CreditNoteRequest
) -> BuiltCreditNote:
    """Build, validate and (when valid) log and record the credit note of order ``doc_id``'s
    invoice; refused (422) when it credits more than the invoice has left."""
    body, clear = _order(uow, caller, doc_id)
    invoice = invoice_of(body, req)
    with uow:  # refused early, before the rules run; checked again under the lock below
        earlier = CreditNoteStore(uow.conn).of_order(doc_id, invoice.number)
    req = _numbered(req, invoice, earlier)
    note = credit_note_of(body, req, now().date())
    new = _refused(invoice, note, req, earlier)
    after = remainder(invoice, [*(Credited(r.net, r.lines) for r in earlier), new])

    def record(digest: str) -> Any:
        nonlocal after
        store = CreditNoteStore(uow.conn)
        store.lock_order(doc_id)
        now_earlier = store.of_order(doc_id, invoice.number)
        _refused(invoice, note, req, now_earlier)
        after = remainder(invoice, [*(Credited(r.net, r.lines) for r in now_earlier), new])

        def add(index: int | None) -> None:
            row = CreditNoteRow(
                invoice_number=invoice.number,
                number=note.number,
                issue_date=note.issue_date,
                currency=invoice.currency,
                net=new.net,
                invoice_net=invoice.totals().tax_exclusive,
                lines=dict(new.lines),
                sha256=digest,
                ledger_index=index,
                created_at=now(),
            )
            store.add(doc_id, caller.tenant_id, row)

        return add

    fields = _checked_and_logged(uow, caller, doc_id, body, note, clear, record)
    if fields["ledger_index"] is None:  # not valid, not logged: nothing credited
        after = remainder(invoice, [Credited(r.net, r.lines) for r in earlier])
    remaining = Remaining(currency=after.currency, net=after.net, lines=dict(after.lines))
    return BuiltCreditNote(**fields, invoice_number=invoice.number, remaining=remaining)


def credit_note_for_user(
    uow: UnitOfWork, user: Any, doc_id: str, req: CreditNoteRequest
) -> BuiltCreditNote:
    """The console's credit note (a :class:`~cbec.services.users.SessionUser`): an admin or
    operator of a party to the order — a viewer only reads (403)."""
    if user.role is UserRole.VIEWER:
        raise Forbidden("role_forbidden", {"allowed": "admin, operator"})
    return build_credit_note(uow, user.viewer, doc_id, req)


def credit_notes(uow: UnitOfWork, caller: Viewer, doc_id: str) -> CreditNoteList:
    """The credit notes issued for order ``doc_id``'s invoices and what each invoice has left
    — for a party to the order only (anyone else: 404, as for the order)."""
    with uow:
        stored = uow.repo.get_document(caller, "order", doc_id)
        if stored is None:
            raise NotFound("not_found", {"kind": "order"})
        rows = CreditNoteStore(uow.conn).of_order(doc_id)
    quantities = {int(x["line_no"]): Decimal(str(x["qty"])) for x in stored.body["lines"]}
    by_invoice: dict[str, list[CreditNoteRow]] = {}
    for row in rows:
        by_invoice.setdefault(row.invoice_number, []).append(row)
    out = []
    for number, issued in by_invoice.items():
        invoiced = issued[-1].invoice_net
        lines = dict(quantities)
        for row in issued:
            for line_no, quantity in row.lines.items():
                lines[line_no] = lines.get(line_no, Decimal(0)) - quantity
        net = invoiced - sum((r.net for r in issued), Decimal(0))
        left = Remaining(
            currency=issued[-1].currency,
            net=max(net, Decimal("0.00")),
            lines={n: max(q, Decimal(0)) for n, q in lines.items()},
        )
        views = [_issued(r) for r in issued]
        out.append(
            InvoiceCredits(
                invoice_number=number, invoiced_net=invoiced, credit_notes=views, remaining=left
            )
        )
    return CreditNoteList(order_id=doc_id, invoices=out)
