"""The transfer register's page (adapters over :mod:`cbec.services.transfers`): the year's
cross-border transfers with the route of each and the provisions it cites, a what-if form
that asks the route a transfer would need on the register as it stands, and — for an
exporter's admins and operators — the same form to record a transfer made.

The form's fields are gathered into the API's request model
(:class:`~cbec.services.transfer_models.TransferRequest`) and handed to the same use cases,
so a route here is the API's; a refused field is named in the page's language. Forms are
POSTed with the session's CSRF token, so recipients and document ids stay out of addresses
and logs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import ValidationError

from cbec.console import auth
from cbec.console.forms import problems_of
from cbec.console.pages import N_, Lang, page_language, render
from cbec.errors import BadRequest, CbecError, DocumentInvalid
from cbec.services import inventory, key_history, privacy_anonymize, privacy_scan, transfers
from cbec.services.transfer_models import TransferRequest

router = APIRouter(include_in_schema=False)
TEXT_FIELDS = (
    "origin",
    "destination",
    "recipient",
    "purpose",
    "transferred_on",
    "individuals",
    "sensitive_individuals",
    "annual_turnover",
    "exporter_role",
    "importer_role",
)
FLAGS = ("important_data", "collected_abroad", "is_ciio", "documents_sensitive")
CATEGORIES = ("user", "transaction", "supply_chain")
PURPOSES = (
    "cross_border_shopping",
    "cross_border_delivery",
    "cross_border_payment",
    "cross_border_remittance",
    "hr_management",
    "marketing",
    "analytics",
    "customer_service",
    "other",
)
MAX_FIELD = 200
MAX_IDS = 20_000  # characters of the document-id box (the model bounds the ids)


def _raw(form: Any) -> dict[str, Any]:
    """Every field as submitted, to show the form again."""
    raw: dict[str, Any] = {n: str(form.get(n) or "")[:MAX_FIELD].strip() for n in TEXT_FIELDS}
    raw["document_ids"] = str(form.get("document_ids") or "")[:MAX_IDS]
    raw["categories"] = [c for c in form.getlist("categories") if c in CATEGORIES]
    for flag in FLAGS:
        raw[flag] = form.get(flag) == "on"
    return raw


def _request(raw: dict[str, Any]) -> TransferRequest:
    """The API's request from the form: empty fields left out (the model's defaults)."""
    transfer: dict[str, Any] = {
        k: raw[k]
        for k in ("origin", "destination", "recipient", "purpose", "transferred_on")
        if raw[k]
    }
    for k in ("individuals", "sensitive_individuals"):
        if raw[k]:
            transfer[k] = raw[k]
    for k in ("exporter_role", "importer_role"):
        if raw[k]:
            transfer[k] = raw[k]
    transfer["data_categories"] = raw["categories"]
    transfer["document_ids"] = raw["document_ids"].split()
    for flag in ("important_data", "collected_abroad", "documents_sensitive"):
        transfer[flag] = raw[flag]
    profile: dict[str, Any] = {"is_ciio": raw["is_ciio"]}
    if raw["annual_turnover"]:
        profile["annual_turnover"] = raw["annual_turnover"]
    return TransferRequest.model_validate({"profile": profile, "transfer": transfer})


def _page(
    request: Request, user: Any, lang: str, year: int | None, status: int = 200, **context: Any
):
    context.setdefault(
        "form",
        {
            "origin": "CN",
            "purpose": "marketing",
            "categories": ["user"],
            "documents_sensitive": True,
        },
    )
    return render(
        request,
        "transfers.html",
        lang,
        status=status,
        user=user,
        register=transfers.list_transfers(request.app.state.rt.uow(), user, year),
        may_record=transfers.may_record(user),
        purposes=PURPOSES,
        categories=CATEGORIES,
        **context,
    )


@router.get("/console/transfers")
def transfers_page(
    request: Request,
    user: auth.Signed,
    year: Annotated[int | None, Query(ge=2000, le=9999)] = None,
    lang: Lang = None,
):
    return _page(request, user, page_language(request, lang), year)


def _refused(exc: ValidationError | CbecError, lang: str) -> list[dict[str, Any]]:
    if isinstance(exc, ValidationError | DocumentInvalid):
        return problems_of(exc, lang)
    field = str(exc.params.get("field") or "")
    return [{"field": field, "rule": exc.rule, "message": exc.message(lang)}]


async def _submit(request: Request, user: Any, lang: str | None, record: bool):
    language = page_language(request, lang)
    raw = _raw(await request.form())
    uow = request.app.state.rt.uow
    try:
        req = _request(raw)
        use_case = transfers.record_transfer if record else transfers.plan_transfer
        result = use_case(uow(), user, req)
    except (ValidationError, DocumentInvalid, BadRequest) as exc:  # a field refused
        problems = _refused(exc, language)
        return _page(request, user, language, None, 422, form=raw, problems=problems)
    return _page(request, user, language, None, form=raw, result=result, recorded=record)


@router.post("/console/transfers/route")
async def route(request: Request, user: auth.SignedForm, lang: Lang = None):
    return await _submit(request, user, lang, record=False)


@router.post("/console/transfers")
async def record(request: Request, user: auth.SignedForm, lang: Lang = None):
    return await _submit(request, user, lang, record=True)


@router.get("/console/inventory")
def inventory_page(request: Request, user: auth.Signed, lang: Lang = None):
    """The data inventory: every stored field with its category, grade, kind of personal
    information, protection, mask and retention, and the source of each tag."""
    return render(
        request,
        "inventory.html",
        page_language(request, lang),
        user=user,
        inventory=inventory.data_inventory(),
    )


@router.get("/console/keys")
def keys_page(request: Request, user: auth.Signed, lang: Lang = None):
    """The deployment's keys and their rotations, for the regulator's auditors."""
    history = key_history.key_history(request.app.state.rt.uow(), user)
    return render(request, "keys.html", page_language(request, lang), user=user, history=history)


@router.get("/console/scan")
def scan_page(request: Request, user: auth.Signed, lang: Lang = None):
    """Scan a text for personal information, as ``POST /privacy/scan`` does."""
    return render(
        request,
        "scan.html",
        page_language(request, lang),
        user=user,
        text="",
        operator="partial",
        operators=SCAN_OPERATORS,
    )


# The operators the page offers, as ``POST /privacy/anonymize`` takes them.
SCAN_OPERATORS = {
    "partial": N_("Partial: head and tail kept"),
    "full": N_("Full: every character masked"),
    "hash": N_("Hash: a keyed pseudonym"),
    "redact": N_("Redact: removed"),
}


@router.post("/console/scan")
async def scan(request: Request, user: auth.SignedForm, lang: Lang = None):
    """The spans found (``POST /privacy/scan``) and, next to them, the text masked with the
    chosen operator (``POST /privacy/anonymize``)."""
    language = page_language(request, lang)
    form = await request.form()
    text = str(form.get("text") or "")
    operator = str(form.get("operator") or "partial")
    rt = request.app.state.rt
    try:
        found = privacy_scan.scan_texts(privacy_scan.ScanRequest(texts=[text]))
        masked = privacy_anonymize.anonymize_texts(
            rt.uow(), privacy_anonymize.AnonymizeRequest(texts=[text], operator=operator)
        )
    except (ValidationError, DocumentInvalid, BadRequest) as exc:
        problems = _refused(exc, language)
        return render(
            request,
            "scan.html",
            language,
            status=422,
            user=user,
            text="",
            problems=problems,
            operator="partial",
            operators=SCAN_OPERATORS,
        )
    spans = found.results[0].spans
    shown = {r.start: r.shown for r in masked.results[0].replaced}
    return render(
        request,
        "scan.html",
        language,
        user=user,
        text=text,
        spans=spans,
        shown=shown,
        masked=masked.results[0].text,
        operator=operator,
        operators=SCAN_OPERATORS,
        pieces=privacy_scan.segments(text, spans),
    )
