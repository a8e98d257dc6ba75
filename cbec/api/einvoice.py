"""HTTP routes of e-invoices (use cases in :mod:`cbec.services.einvoice`): build a stored
order's EN 16931 / Peppol BIS Billing 3.0 invoice or the credit note that corrects it, and
validate any UBL invoice or credit note by the official schema and rules."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from cbec.api.body import JsonBodyRoute
from cbec.api.contract import problems
from cbec.api.customs import DocId
from cbec.api.deps import Caller, Uow
from cbec.services import einvoice as svc

router = APIRouter(tags=["einvoice"], route_class=JsonBodyRoute)


@router.post(
    "/orders/{doc_id}/invoice",
    summary="Build a stored order's e-invoice (EN 16931 UBL 2.1, Peppol BIS Billing 3.0)",
    description=(
        "The commercial invoice of the order (a party to it only; 404 otherwise), completed "
        "by the terms an order does not carry: the seller's legal name, address, VAT "
        "identifier and electronic address, the buyer's electronic address, the VAT category "
        "and rate (by default the destination's standard rate under IOSS, else an export, "
        "category G). Validated by the OASIS UBL 2.1 schema and the CEN EN 16931 and "
        "OpenPeppol rules as published; each finding names its rule id. A valid invoice's "
        "SHA-256 is logged in the evidence ledger (`ledger_index`). The buyer's name and "
        "address are in clear for the order's filer only, masked for another party "
        "(`personal_data`). 422 names a term the invoice needs and the request lacks; 409 "
        "for an order whose personal data was erased."
    ),
    response_model=svc.BuiltInvoice,
    responses=problems(404, 409),
)
def build(doc_id: DocId, body: svc.InvoiceRequest, caller: Caller, uow: Uow) -> svc.BuiltInvoice:
    return svc.build_invoice(uow, caller, doc_id, body)


@router.post(
    "/orders/{doc_id}/credit-note",
    summary="Build the credit note of a stored order's e-invoice (Peppol BIS Billing 3.0)",
    description=(
        "A UBL 2.1 CreditNote (type code 381) correcting the order's invoice (a party to the "
        "order only; 404 otherwise), built from the same terms as the invoice: "
        "`invoice_number` and `issue_date` name the invoice corrected (BT-25, BT-26; by "
        "default the invoice's own defaults). `reason` is the credit note's note; `lines` "
        "credits chosen order lines (`line_no`) and quantities at their unit price, `amount` "
        "one line of that net amount in the invoice's VAT category, neither the whole invoice "
        "with its freight and discount. Validated like the invoice, each finding naming its "
        "rule id; a valid credit note's SHA-256 is logged in the evidence ledger and it is "
        "recorded against the invoice (same order, same invoice number): `remaining` is what "
        "the invoice has left to credit after it. Left unnumbered it is `CN-<invoice number>`, "
        "then `-2`, `-3` …. 422 names a term that is missing, credits more than was invoiced "
        "or more than the credit notes already issued left (`einvoice_credit_exceeds_remaining`"
        ", saying what remains), or a number already used; 409 for an order whose personal "
        "data was erased."
    ),
    response_model=svc.BuiltCreditNote,
    responses=problems(404, 409),
)
def credit_note(
    doc_id: DocId, body: svc.CreditNoteRequest, caller: Caller, uow: Uow
) -> svc.BuiltCreditNote:
    return svc.build_credit_note(uow, caller, doc_id, body)


@router.get(
    "/orders/{doc_id}/credit-notes",
    summary="The credit notes issued for a stored order's e-invoices and what each has left",
    description=(
        "Per invoice number of the order: the credit notes issued (number, date, net amount "
        "credited before VAT, line quantities, SHA-256, ledger index) and what the invoice "
        "has left to credit — its net amount and each order line's quantity. A party to the "
        "order only; 404 otherwise."
    ),
    response_model=svc.CreditNoteList,
    responses=problems(404),
)
def credit_notes(doc_id: DocId, caller: Caller, uow: Uow) -> svc.CreditNoteList:
    return svc.credit_notes(uow, caller, doc_id)


@router.post(
    "/einvoices/validate",
    summary="Validate a UBL 2.1 invoice or credit note by the official schema and rules",
    description=(
        "The body is the invoice's or credit note's XML (`application/xml`). Every finding of"
        " the OASIS UBL 2.1 schema of its root, Invoice or CreditNote (rule `XSD`), the CEN "
        "EN 16931 rules (`BR-…`, `UBL-…`) and the Peppol BIS Billing 3.0 rules (`PEPPOL-…`) "
        "with its flag (fatal or warning), location and text; `valid` is true when none is "
        "fatal."
    ),
    response_model=svc.Validation,
    responses=problems(),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/xml": {"schema": {"type": "string"}}},
        }
    },
)
async def validate(request: Request, caller: Caller) -> svc.Validation:
    xml = await request.body()
    return await run_in_threadpool(svc.validate_invoice, xml)
