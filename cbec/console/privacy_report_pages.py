"""The compliance report's page (an adapter over :mod:`cbec.services.privacy_report`): a year
chosen, the report rendered in the page's language — the impact assessment draft and the
audit pack, as ``GET /privacy/report`` gives them — and the Markdown and HTML downloads of it.

The report's body is :func:`cbec.privacy.report_render.html_fragment`, every value escaped
there; its charts are ``data:`` SVG images, which the console's Content-Security-Policy
allows (``img-src 'self' data:``) where an inline SVG's styles would be refused."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from markupsafe import Markup

from cbec.console import auth
from cbec.console.pages import Lang, page_language, render
from cbec.privacy import report_render
from cbec.privacy.report_models import MAX_YEAR, MIN_YEAR
from cbec.services import privacy_report

router = APIRouter(include_in_schema=False)
Year = Annotated[int | None, Query(ge=MIN_YEAR, le=MAX_YEAR)]
TYPES = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8"}


def _year(year: int | None) -> int:
    return year or privacy_report.this_year()


@router.get("/console/privacy-report")
def report_page(request: Request, user: auth.Signed, year: Year = None, lang: Lang = None):
    language = page_language(request, lang)
    chosen = _year(year)
    found = privacy_report.privacy_report(request.app.state.rt.uow(), user, chosen)
    body = report_render.html_fragment(found, language, inline_svg=False, title=False)
    return render(
        request,
        "privacy_report.html",
        language,
        user=user,
        year=chosen,
        report=found,
        body=Markup(body),  # built escaped by report_render
        min_year=MIN_YEAR,
        max_year=MAX_YEAR,
    )


@router.get("/console/privacy-report.{fmt}")
def report_download(
    request: Request, user: auth.Signed, fmt: str, year: Year = None, lang: Lang = None
):
    if fmt not in TYPES:
        return Response(status_code=404)
    language = page_language(request, lang)
    chosen = _year(year)
    found = privacy_report.privacy_report(request.app.state.rt.uow(), user, chosen)
    if fmt == "md":
        text = report_render.markdown(found, language)
    else:
        text = report_render.html_document(found, language)
    name = f"privacy-report-{chosen}-{language}.{fmt}"
    return Response(
        text,
        media_type=TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
