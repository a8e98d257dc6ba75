"""The seller's and platform's desk: unmatched 三单 (adapter over
:func:`cbec.services.customs.unmatched_orders`) and compliance decisions (adapter over
:func:`cbec.services.decisions.list_decisions`), each a page and a CSV or XLSX export of
exactly what the page lists, for the same caller."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import ValidationError

from cbec.compliance.model import OUTCOMES
from cbec.console import auth
from cbec.console.export import Format, all_pages, export_response
from cbec.console.forms import problems_of
from cbec.console.i18n import translations
from cbec.console.pages import N_, Lang, outcome_label, page_language, render
from cbec.services import customs, decisions

router = APIRouter(include_in_schema=False)
PAGE = 50
UNMATCHED_CHECKED = 1000  # the newest orders the page checks (the use case's default)


def _unmatched(request: Request, user: Any, platform: str | None) -> customs.Unmatched:
    query = customs.UnmatchedQuery(platform=platform or None, limit=UNMATCHED_CHECKED)
    return customs.unmatched_orders(request.app.state.rt.uow(), user.viewer, query)


@router.get("/console/reconciliation")
def reconciliation(
    request: Request,
    user: auth.Signed,
    platform: Annotated[str | None, Query(max_length=64)] = None,
    lang: Lang = None,
):
    """Orders whose order, payment and waybill would not pass 三单对碰, newest first."""
    found = _unmatched(request, user, platform)
    return render(
        request,
        "reconciliation.html",
        page_language(request, lang),
        user=user,
        found=found,
        platform=platform or "",
        checked_limit=UNMATCHED_CHECKED,
    )


UNMATCHED_COLUMNS = (
    N_("Order number"),
    N_("Platform"),
    N_("Code"),
    N_("Field"),
    N_("Why it does not match"),
)


@router.get("/console/reconciliation/export.{fmt}")
def export_unmatched(
    request: Request,
    user: auth.Signed,
    fmt: Format,
    platform: Annotated[str | None, Query(max_length=64)] = None,
    lang: Lang = None,
):
    """One row per reason, as the page lists them."""
    found = _unmatched(request, user, platform)
    rows = [
        [o.order_no, o.platform, i.code, i.field, i.message]
        for o in found.unmatched
        for i in o.issues
    ]
    gettext = translations(page_language(request, lang)).gettext
    return export_response(fmt, "unmatched", [gettext(c) for c in UNMATCHED_COLUMNS], rows)


def _decisions_query(
    outcome: str | None, cursor: str | None, limit: int = PAGE
) -> decisions.DecisionsQuery:
    return decisions.DecisionsQuery(outcome=outcome or None, cursor=cursor, limit=limit)


@router.get("/console/decisions")
def decisions_page(
    request: Request,
    user: auth.Signed,
    outcome: Annotated[str | None, Query(max_length=32)] = None,
    cursor: Annotated[str | None, Query(max_length=64)] = None,
    lang: Lang = None,
):
    """The compliance decisions of the orders the caller may see, newest first."""
    language = page_language(request, lang)
    problems: list[dict[str, Any]] = []
    try:
        query = _decisions_query(outcome, cursor)
    except ValidationError as exc:
        problems = problems_of(exc, language)
        page = decisions.DecisionsPage(items=[], next_cursor=None)
    else:
        page = decisions.list_decisions(request.app.state.rt.uow(), user.viewer, query)
    return render(
        request,
        "decisions.html",
        language,
        status=422 if problems else 200,
        user=user,
        page=page,
        outcome=outcome if outcome in OUTCOMES else "",
        outcomes=OUTCOMES,
        problems=problems,
    )


DECISION_COLUMNS = (
    N_("Decided"),
    N_("Order number"),
    N_("Platform"),
    N_("Seller"),
    N_("Outcome"),
    N_("Rules fired"),
    N_("Rule set"),
)


@router.get("/console/decisions/export.{fmt}")
def export_decisions(
    request: Request,
    user: auth.Signed,
    fmt: Format,
    outcome: Annotated[str | None, Query(max_length=32)] = None,
    lang: Lang = None,
):
    """Every page of the decisions list (the page's filter), up to the export's limit."""
    language = page_language(request, lang)
    try:
        _decisions_query(outcome, None)
    except ValidationError:
        return decisions_page(request, user, outcome=outcome, lang=lang)
    rt = request.app.state.rt

    def fetch(cursor: str | None) -> tuple[list[list[object]], str | None]:
        query = _decisions_query(outcome, cursor, limit=500)
        page = decisions.list_decisions(rt.uow(), user.viewer, query)
        rows: list[list[object]] = [
            [
                d.decided_at,
                d.order_no,
                d.platform,
                d.seller,
                outcome_label(d.outcome, language),
                " ".join(d.rules),
                d.ruleset_version,
            ]
            for d in page.items
        ]
        return rows, page.next_cursor

    gettext = translations(language).gettext
    header = [gettext(c) for c in DECISION_COLUMNS]
    return export_response(fmt, "decisions", header, all_pages(fetch))
