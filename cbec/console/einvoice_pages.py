"""The e-invoice pages (adapters over :mod:`cbec.services.einvoice`): an order's commercial
invoice (EN 16931 UBL 2.1, Peppol BIS Billing 3.0) built from the terms an order does not
carry, typed into a form, with the XML to download, the validation report and the evidence
ledger's reference; and the validation of any UBL invoice uploaded.

The form's fields are named as the API's request (:class:`~cbec.services.einvoice.
InvoiceRequest`: ``seller.name``, ``seller.endpoint.scheme`` …), so a refused term is named
exactly as ``POST /orders/{id}/invoice`` names it, in the page's language. Only a party to
the order may open its form, as through the API: for anyone else it is "not found".

The same form issues the credit note of the invoice its terms name (``POST
…/credit-note``, :func:`~cbec.services.einvoice.credit_note_for_user`): all of it, chosen
lines and quantities, or an amount, with its reason; the page lists the credit notes already
issued for each invoice of the order and what each invoice has left, and a credit note
beyond that is refused naming the field and what remains.
"""

from __future__ import annotations

import base64
import re
from typing import Annotated, Any

from fastapi import APIRouter, File, Path, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError

from cbec.console import auth
from cbec.console.forms import problems_of
from cbec.console.i18n import translations
from cbec.console.pages import N_, Lang, page_language, render
from cbec.errors import DocumentInvalid, Forbidden, Violation
from cbec.services import documents as docs
from cbec.services import einvoice

router = APIRouter(include_in_schema=False)
DocId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
MAX_FIELD = 300

# The form's fields: the request's paths, with the business term (BT) each one fills.
LABELS = {
    "seller.name": N_("Seller's legal name (BT-27)"),
    "seller.vat_id": N_("Seller's VAT identifier (BT-31)"),
    "seller.company_id": N_("Seller's legal registration identifier (BT-30)"),
    "seller.street": N_("Street (BT-35)"),
    "seller.city": N_("City (BT-37)"),
    "seller.postal_zone": N_("Post code (BT-38)"),
    "seller.country": N_("Country code (BT-40)"),
    "seller.endpoint.scheme": N_("Seller's electronic address scheme (BT-34-1)"),
    "seller.endpoint.id": N_("Seller's electronic address (BT-34)"),
    "buyer_endpoint.scheme": N_("Buyer's electronic address scheme (BT-49-1)"),
    "buyer_endpoint.id": N_("Buyer's electronic address (BT-49)"),
    "invoice_number": N_("Invoice number (BT-1)"),
    "issue_date": N_("Issue date (BT-2)"),
    "due_date": N_("Payment due date (BT-9)"),
    "vat_category": N_("VAT category (BT-151)"),
    "vat_rate": N_("VAT rate, per cent (BT-152)"),
    "exemption_reason": N_("VAT exemption reason (BT-120)"),
    "unit_code": N_("Unit of measure (BT-130)"),
}
# Paths a refusal may name that are groups of the form's fields.
GROUPS = {
    "seller": N_("Seller"),
    "seller.endpoint": N_("Seller's electronic address (BT-34)"),
    "buyer_endpoint": N_("Buyer's electronic address (BT-49)"),
    "paid": N_("Paid already"),
}
# The VAT categories the request takes (UNCL5305, as EN 16931 restricts them).
CATEGORIES = {
    "": N_("As the order says: standard rate under IOSS, else export (G)"),
    "S": N_("S: standard rate"),
    "Z": N_("Z: zero rated"),
    "E": N_("E: exempt from VAT"),
    "G": N_("G: export outside the EU"),
    "O": N_("O: not subject to VAT"),
}
# The credit note's own fields (the invoice's terms are the form's other fields).
CREDIT_LABELS = {
    "reason": N_("Reason for the credit (BT-22)"),
    "credit_note_number": N_("Credit note number (BT-1)"),
    "credit_note_date": N_("Credit note date (BT-2)"),
    "amount": N_("Amount credited, before VAT"),
    "lines": N_("Lines credited"),
}
# What a credit note credits (the request's ``lines`` and ``amount``, or neither).
MODES = {
    "whole": N_("All of the invoice, with its freight and discount"),
    "lines": N_("Chosen lines and quantities, at their unit price"),
    "amount": N_("An amount before VAT, in the invoice's VAT category"),
}
FLAGS = {"fatal": N_("fatal"), "warning": N_("warning")}
SOURCES = {
    "xml": N_("XML syntax"),
    "xsd": N_("OASIS UBL 2.1 schema"),
    "cen": N_("CEN EN 16931 rules"),
    "peppol": N_("Peppol BIS Billing 3.0 rules"),
}


def _words(lang: str) -> dict[str, dict[str, str]]:
    gettext = translations(lang).gettext
    return {
        "labels": {k: gettext(v) for k, v in (LABELS | GROUPS | CREDIT_LABELS).items()},
        "modes": {k: gettext(v) for k, v in MODES.items()},
        "categories": {k: gettext(v) for k, v in CATEGORIES.items()},
        "flags": {k: gettext(v) for k, v in FLAGS.items()},
        "sources": {k: gettext(v) for k, v in SOURCES.items()},
    }


def _raw(form: Any) -> dict[str, Any]:
    """Every field as submitted, to show the form again."""
    raw: dict[str, Any] = {n: str(form.get(n) or "")[:MAX_FIELD].strip() for n in LABELS}
    raw["paid"] = form.get("paid") == "on"
    return raw


def _terms(raw: dict[str, Any]) -> dict[str, Any]:
    """The invoice's terms from the form: empty fields left out (the request's defaults)."""
    terms: dict[str, Any] = {"paid": raw["paid"]}
    for path in LABELS:
        if raw[path]:
            *groups, leaf = path.split(".")
            node = terms
            for g in groups:
                node = node.setdefault(g, {})
            node[leaf] = raw[path]
    terms.setdefault("seller", {})
    return terms


def _request(raw: dict[str, Any]) -> einvoice.InvoiceRequest:
    """The API's request from the form."""
    return einvoice.InvoiceRequest.model_validate(_terms(raw))


def _order_page(
    request: Request,
    user: Any,
    lang: str,
    doc_id: str,
    status: int = 200,
    line_labels: dict[str, str] | None = None,
    **context: Any,
):
    uow = request.app.state.rt.uow
    found = docs.get_document(uow(), user.viewer, "order", doc_id)
    context.setdefault("form", {n: "" for n in LABELS} | {"paid": True, "unit_code": "H87"})
    context.setdefault("credit_form", {"credit": "whole", "qty": {}})
    words = _words(lang)
    words["labels"] |= line_labels or {}
    return render(
        request,
        "einvoice.html",
        lang,
        status=status,
        user=user,
        order=found,
        doc=found["document"],
        credits=einvoice.credit_notes(uow(), user.viewer, doc_id),
        **words,
        **context,
    )


@router.get("/console/einvoices/orders/{doc_id}")
def invoice_form(request: Request, user: auth.Signed, doc_id: DocId, lang: Lang = None):
    return _order_page(request, user, page_language(request, lang), doc_id)


def _download(built: einvoice.BuiltInvoice) -> dict[str, str]:
    """The invoice as a link that downloads it (a data: URL: the XML built is on the page
    and nowhere else, so downloading it does not build and log it a second time)."""
    name = re.sub(r"[^A-Za-z0-9._-]", "_", built.number)[:100] or "invoice"
    data = base64.b64encode(built.xml.encode("utf-8")).decode("ascii")
    return {"href": f"data:application/xml;base64,{data}", "name": f"{name}.xml"}


@router.post("/console/einvoices/orders/{doc_id}")
async def build(request: Request, user: auth.SignedForm, doc_id: DocId, lang: Lang = None):
    """Build, validate and (when valid) log the order's invoice, as the API does."""
    language = page_language(request, lang)
    raw = _raw(await request.form())
    rt = request.app.state.rt
    docs.get_document(rt.uow(), user.viewer, "order", doc_id)  # "not found" before the form
    try:
        req = _request(raw)
        built = einvoice.build_invoice(rt.uow(), user.viewer, doc_id, req)
    except (ValidationError, DocumentInvalid) as exc:
        problems = problems_of(exc, language)
        return _order_page(request, user, language, doc_id, 422, form=raw, problems=problems)
    return _order_page(
        request, user, language, doc_id, form=raw, built=built, download=_download(built)
    )


def _credit_raw(form: Any, lines: list[dict[str, Any]]) -> dict[str, Any]:
    """The credit note's fields as submitted: its own, what it credits and the quantity
    typed for each order line."""
    raw: dict[str, Any] = {
        n: str(form.get(n) or "")[:MAX_FIELD].strip() for n in CREDIT_LABELS if n != "lines"
    }
    raw["credit"] = form.get("credit") if form.get("credit") in MODES else "whole"
    raw["qty"] = {
        line["line_no"]: str(form.get(f"qty.{line['line_no']}") or "")[:32].strip()
        for line in lines
    }
    return raw


def _credit_request(raw: dict[str, Any], credit: dict[str, Any]) -> einvoice.CreditNoteRequest:
    """The API's credit note request from the form: the invoice's terms and the credit's."""
    terms = _terms(raw)
    for name in ("reason", "credit_note_number", "credit_note_date"):
        if credit[name]:
            terms[name] = credit[name]
    if credit["credit"] == "lines":
        chosen = [(n, q) for n, q in credit["qty"].items() if q]
        terms["lines"] = [{"line_no": n, "quantity": q} for n, q in chosen]
    elif credit["credit"] == "amount":
        if not credit["amount"]:
            raise DocumentInvalid([Violation("amount", "missing")])
        terms["amount"] = credit["amount"]
    return einvoice.CreditNoteRequest.model_validate(terms)


def _line_labels(credit: dict[str, Any], lang: str) -> dict[str, str]:
    """The labels of ``lines.<i>.quantity`` (the request's paths) for the lines chosen."""
    if credit["credit"] != "lines":
        return {}
    gettext = translations(lang).gettext
    chosen = [n for n, q in credit["qty"].items() if q]
    label = gettext("Quantity credited of line %(line_no)s")
    return {f"lines.{i}.quantity": label % {"line_no": n} for i, n in enumerate(chosen)}


@router.post("/console/einvoices/orders/{doc_id}/credit-note")
async def credit_note(request: Request, user: auth.SignedForm, doc_id: DocId, lang: Lang = None):
    """Build, validate and (when valid) log and record the credit note of the invoice the
    form's terms name, as the API does; refused beyond what the invoice has left."""
    language = page_language(request, lang)
    form = await request.form()
    rt = request.app.state.rt
    found = docs.get_document(rt.uow(), user.viewer, "order", doc_id)  # "not found" first
    raw = _raw(form)
    credit = _credit_raw(form, found["document"]["lines"])
    page = {"form": raw, "credit_form": credit, "line_labels": _line_labels(credit, language)}
    try:
        req = _credit_request(raw, credit)
        built = await run_in_threadpool(einvoice.credit_note_for_user, rt.uow(), user, doc_id, req)
    except (ValidationError, DocumentInvalid) as exc:
        problems = problems_of(exc, language)
        return _order_page(request, user, language, doc_id, 422, problems=problems, **page)
    except Forbidden as exc:
        refusal = exc.message(language)
        return _order_page(request, user, language, doc_id, 403, refusal=refusal, **page)
    return _order_page(
        request, user, language, doc_id, built=built, download=_download(built), **page
    )


def _validate_page(request: Request, user: Any, lang: str, **context: Any):
    return render(request, "einvoices.html", lang, user=user, **_words(lang), **context)


@router.get("/console/einvoices")
def einvoices_page(request: Request, user: auth.Signed, lang: Lang = None):
    return _validate_page(request, user, page_language(request, lang))


@router.post("/console/einvoices/validate")
def validate(
    request: Request,
    user: auth.SignedForm,
    file: Annotated[UploadFile, File()],
    lang: Lang = None,
):
    """The report of the OASIS schema and the CEN and Peppol rules on the uploaded file."""
    report = einvoice.validate_invoice(file.file.read())
    name = (file.filename or "")[:200]
    return _validate_page(request, user, page_language(request, lang), report=report, filename=name)
