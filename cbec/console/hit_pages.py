"""The screening-hit review queue (adapters over :mod:`cbec.services.hit_review`): the queue
with its status filter (open first: the default view) and keyset pages, a hit with its
candidates and the review form, and the decided ones as history. A hit is masked exactly as
the API masks it for the same caller; who may review is the use case's decision."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from cbec.console import auth
from cbec.console.export import Format, all_pages, export_response
from cbec.console.i18n import translations
from cbec.console.pages import N_, Lang, page_language, render
from cbec.errors import Conflict
from cbec.i18n import KIND_NAMES, translate
from cbec.i18n import render as message
from cbec.services import hit_review

router = APIRouter(include_in_schema=False)
PAGE = 50
HitId = Annotated[int, Path(ge=1, le=2**63 - 1)]
Filter = Literal["open", "confirmed", "dismissed", "all"]

# The queue's filters and a hit's status, as the console names them.
STATUSES = {
    "open": N_("Open"),
    "confirmed": N_("Confirmed"),
    "dismissed": N_("Dismissed"),
    "all": N_("All"),
}
# The party of a document a hit is about (cbec.screening.match.Role).
PARTIES = {
    "buyer": N_("Buyer"),
    "consignee": N_("Consignee"),
    "payer": N_("Payer"),
    "seller": N_("Seller"),
    "supplier": N_("Supplier"),
}


@router.get("/console/hits")
def hits(
    request: Request,
    user: auth.Signed,
    status: Filter = "open",
    before: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
    lang: Lang = None,
):
    query = hit_review.HitQuery(
        status=None if status == "all" else status, limit=PAGE + 1, before=before
    )
    found = hit_review.list_hits(request.app.state.rt.uow(), user, query)
    more = len(found) > PAGE
    items = found[:PAGE]
    return render(
        request,
        "hits.html",
        page_language(request, lang),
        user=user,
        hits=items,
        current=status,
        statuses=STATUSES,
        parties=PARTIES,
        next_before=items[-1].id if more else None,
    )


HIT_COLUMNS = (
    N_("Hit"),
    N_("Screened"),
    N_("Order"),
    N_("Platform"),
    N_("Party"),
    N_("Score"),
    N_("Listed entity"),
    N_("Status"),
    N_("Reviewed by"),
    N_("Reviewed"),
)


def hit_row(h: hit_review.HitView, lang: str) -> list[object]:
    """One hit as the export writes it: the queue's columns, masked as the queue shows them;
    dates ISO 8601 and the score a plain number."""
    gettext = translations(lang).gettext
    kind = translate(f"kind:{h.kind}", KIND_NAMES.get(h.kind, h.kind), lang)
    return [
        h.id,
        h.screened_at,
        h.order_no if h.kind == "order" else f"{kind} · {h.order_no}",
        h.platform or "",
        gettext(PARTIES.get(h.role, h.role)),
        h.score,
        h.entity_id or gettext("(not shown to you)"),
        gettext(STATUSES[h.status]),
        h.review.reviewed_by if h.review else "",
        h.review.reviewed_at if h.review else "",
    ]


@router.get("/console/hits/export.{fmt}")
def export_hits(
    request: Request, user: auth.Signed, fmt: Format, status: Filter = "open", lang: Lang = None
):
    """Every page of the queue under its status filter (see :mod:`cbec.console.export`)."""
    language = page_language(request, lang)
    rt = request.app.state.rt

    def fetch(cursor: str | None) -> tuple[list[list[object]], str | None]:
        query = hit_review.HitQuery(
            status=None if status == "all" else status,
            limit=500,
            before=int(cursor) if cursor else None,
        )
        found = hit_review.list_hits(rt.uow(), user, query)
        more = str(found[-1].id) if len(found) == query.limit else None
        return [hit_row(h, language) for h in found], more

    gettext = translations(language).gettext
    header = [gettext(c) for c in HIT_COLUMNS]
    return export_response(fmt, "screening-hits", header, all_pages(fetch))


def _hit_page(request: Request, user, hit_id: int, lang: str, status: int = 200, **extra):
    hit = hit_review.get_hit(request.app.state.rt.uow(), user, hit_id)
    return render(
        request,
        "hit.html",
        lang,
        status=status,
        user=user,
        hit=hit,
        statuses=STATUSES,
        parties=PARTIES,
        **extra,
    )


@router.get("/console/hits/{hit_id}")
def hit(request: Request, user: auth.Signed, hit_id: HitId, lang: Lang = None):
    return _hit_page(request, user, hit_id, page_language(request, lang))


@router.post("/console/hits/{hit_id}/review")
def review(
    request: Request,
    user: auth.SignedForm,
    hit_id: HitId,
    decision: Annotated[str, Form(max_length=16)] = "",
    reason: Annotated[str, Form(max_length=4000)] = "",
    lang: Lang = None,
):
    language = page_language(request, lang)
    try:
        req = hit_review.ReviewRequest.model_validate({"decision": decision, "reason": reason})
        hit_review.review_hit(request.app.state.rt.uow(), user, hit_id, req)
    except ValidationError as exc:
        problems = {
            str(e["loc"][0]): message(e["type"], language, dict(e.get("ctx") or {}))
            for e in exc.errors()
        }
        return _hit_page(
            request,
            user,
            hit_id,
            language,
            422,
            problems=problems,
            decision=decision,
            reason=reason,
        )
    except Conflict as exc:
        return _hit_page(request, user, hit_id, language, 409, conflict=exc.message(language))
    return RedirectResponse(f"/console/hits/{hit_id}", status_code=303)
