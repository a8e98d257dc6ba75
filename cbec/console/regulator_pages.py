"""The regulator's pages (adapters over :mod:`cbec.services.documents` and
:mod:`cbec.services.desk`): the reveal of an order's personal data, the audit trail of
reveals with its CSV and XLSX exports, and the ledger explorer.

A reveal's reason travels in the POSTed form only — never in an address — and the page that
shows the clear fields is never cached (``Cache-Control: no-store``, RFC 9111 §5.2.2.5).
"""

from __future__ import annotations

import csv
import io
from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response
from pydantic import ValidationError

from cbec.console import auth, hit_pages
from cbec.console.i18n import translations
from cbec.console.pages import N_, Lang, page_language, render
from cbec.errors import DocumentInvalid, NotFound
from cbec.i18n import render as message
from cbec.services import desk
from cbec.services import documents as docs
from cbec.trade.kinds import KINDS

router = APIRouter(include_in_schema=False)
router.include_router(hit_pages.router)
DocId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
# The personal fields of an order (cbec.trade.kinds: the kind's PII annotation), as named here.
PII_LABELS = {
    "buyer.name": N_("Buyer's name"),
    "buyer.id_number": N_("Buyer's ID number"),
    "buyer.phone": N_("Buyer's phone"),
    "buyer.account_id": N_("Buyer's account"),
    "consignee.name": N_("Consignee's name"),
    "consignee.phone": N_("Consignee's phone"),
    "consignee.address": N_("Consignee's address"),
}
AUDIT_PAGE = 50
CSV_COLUMNS = ["id", "at", "tenant", "user", "key_id", "kind", "document_id", "fields", "reason"]


@router.get("/console/orders/{doc_id}/reveal")
def reveal_form(request: Request, user: auth.Signed, doc_id: DocId, lang: Lang = None):
    found = desk.reveal_target(request.app.state.rt.uow(), user.viewer, "order", doc_id)
    return render(request, "reveal.html", page_language(request, lang), user=user, order=found)


@router.post("/console/orders/{doc_id}/reveal")
def reveal(
    request: Request,
    user: auth.SignedForm,
    doc_id: DocId,
    reason: Annotated[str, Form(max_length=4000)] = "",
    lang: Lang = None,
):
    language = page_language(request, lang)
    uow = request.app.state.rt.uow
    try:
        req = docs.RevealRequest.model_validate({"reason": reason})
        shown = docs.reveal_document(uow(), user.viewer, "order", doc_id, req)
    except (ValidationError, DocumentInvalid) as exc:
        if isinstance(exc, DocumentInvalid):
            problem = "; ".join(d["message"] for d in exc.details(language))
        else:
            e = exc.errors()[0]
            problem = message(e["type"], language, dict(e.get("ctx") or {}))
        found = desk.reveal_target(uow(), user.viewer, "order", doc_id)
        page = render(
            request, "reveal.html", language, 422, user=user, order=found, problem=problem
        )
        page.headers.update(NO_STORE)
        return page
    doc = shown["document"]
    fields = [(PII_LABELS.get(path, path), _at(doc, path)) for path in KINDS["order"].pii]
    page = render(
        request, "revealed.html", language, user=user, order=shown, doc=doc, fields=fields
    )
    page.headers.update(NO_STORE)
    return page


def _at(doc: dict, path: str) -> str:
    value: object = doc
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return "" if value is None else str(value)


@router.get("/console/audit")
def audit(
    request: Request,
    user: auth.Signed,
    before: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
    lang: Lang = None,
):
    page = desk.reveal_page(request.app.state.rt.uow(), user.viewer, before, AUDIT_PAGE)
    return render(request, "audit.html", page_language(request, lang), user=user, page=page)


def _cell(value: str) -> str:
    """A cell no spreadsheet runs as a formula (OWASP "CSV Injection"): text starting with
    ``= + - @``, a tab or a carriage return gets a leading apostrophe."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _rows(rows: list[desk.RevealRow]) -> list[list[str | int]]:
    return [
        [
            r.id,
            r.at,
            _cell(r.tenant),
            _cell(r.user or ""),
            r.key_id or "",
            r.kind,
            r.document_id,
            " ".join(r.fields),
            _cell(r.reason),
        ]
        for r in rows
    ]


@router.get("/console/audit/reveals.csv")
def audit_csv(request: Request, user: auth.Signed):
    """The reveal audit trail as CSV (RFC 4180), newest first, UTF-8 with a BOM so that
    spreadsheet programs read Chinese text right."""
    rows = desk.reveal_export(request.app.state.rt.uow(), user.viewer)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_rows(rows))
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="reveals.csv"', **NO_STORE},
    )


@router.get("/console/audit/reveals.xlsx")
def audit_xlsx(request: Request, user: auth.Signed):
    """The same rows as an Office Open XML workbook (ECMA-376), one sheet."""
    from openpyxl import Workbook

    rows = desk.reveal_export(request.app.state.rt.uow(), user.viewer)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("reveals")
    sheet.append(CSV_COLUMNS)
    for row in _rows(rows):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return Response(
        out.getvalue(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="reveals.xlsx"', **NO_STORE},
    )


@router.get("/console/ledger")
def ledger(
    request: Request,
    user: auth.Signed,
    index: Annotated[int | None, Query(ge=0, le=2**63 - 1)] = None,
    document: Annotated[str | None, Query(max_length=64)] = None,
    lang: Lang = None,
):
    language = page_language(request, lang)
    uow = request.app.state.rt.uow
    view = desk.ledger_desk(uow(), user)
    found, missing = None, False
    try:
        if index is not None:
            found = desk.entry_by_index(uow(), user.viewer, index)
        elif document:
            found = desk.entry_of_document(uow(), user.viewer, document.strip().lower())
    except NotFound:
        missing = True
    gettext = translations(language).gettext
    chart = {
        "checkpoints": {
            "type": "line",
            "title": gettext("Tree size by time"),
            "labels": [p.signed_at.strftime("%Y-%m-%d %H:%M") for p in view.history],
            "values": [p.size for p in view.history],
        }
    }
    return render(
        request,
        "ledger.html",
        language,
        user=user,
        desk=view,
        found=found,
        missing=missing,
        index=index,
        document=document or "",
        charts=chart,
    )


@router.post("/console/ledger/accept")
def ledger_accept(
    request: Request, user: auth.SignedForm, size: Annotated[int, Form(ge=1, le=2**63 - 1)]
):
    """After a fork alarm: remember the checkpoint shown as the one this user saw."""
    desk.accept_checkpoint(request.app.state.rt.uow(), user, size)
    return RedirectResponse("/console/ledger", status_code=303)


@router.get("/console/ledger/entries/{index}/bundle")
def ledger_bundle(
    request: Request, user: auth.Signed, index: Annotated[int, Path(ge=0, le=2**63 - 1)]
):
    """Entry ``index``'s c2sp.org/tlog-proof bundle, to check with ``cbec-verify``."""
    text = desk.entry_bundle(request.app.state.rt.uow(), user.viewer, index)
    return PlainTextResponse(
        text, headers={"Content-Disposition": f'attachment; filename="entry-{index}.tlog-proof"'}
    )
