"""The settlement report page (an adapter over :mod:`cbec.services.settlement_import`): a
payment firm uploads a Stripe or PayPal settlement report, or cbec's generic settlement CSV,
and sees what was filed — payments created and unchanged, rows skipped by category, each
rejected row with the file's column and the reason in the page's language.

The upload is posted to ``/console/settlements/import`` so that the body limit for imports
applies to it (:mod:`cbec.api.body`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from pydantic import ValidationError

from cbec.console import auth, uploads
from cbec.console.forms import problems_of
from cbec.console.pages import N_, Lang, page_language, render
from cbec.services import import_desk as desk
from cbec.services import settlement_import as svc

router = APIRouter(include_in_schema=False)

SOURCES = {
    "auto": N_("Told by the header row"),
    "stripe": N_("Stripe balance or payout reconciliation report"),
    "paypal": N_("PayPal activity download"),
    "generic": N_("cbec generic settlement CSV"),
}


def _page(request: Request, user, lang: str, status: int = 200, **extra):
    return render(
        request,
        "settlements.html",
        lang,
        status=status,
        user=user,
        may=("payment" in desk.importable(user)),
        sources=SOURCES,
        **extra,
    )


@router.get("/console/settlements")
def settlements_page(request: Request, user: auth.Signed, lang: Lang = None):
    return _page(request, user, page_language(request, lang), form={})


@router.post("/console/settlements/import")
async def settlements_import(
    request: Request,
    user: auth.SignedForm,
    source: Annotated[str, Form(max_length=32)] = "auto",
    platform: Annotated[str, Form(max_length=64)] = "",
    timezone: Annotated[str, Form(max_length=64)] = "",
    continue_on_error: Annotated[str, Form(max_length=8)] = "",
    file: Annotated[UploadFile | None, File()] = None,
    lang: Lang = None,
):
    language = page_language(request, lang)
    form = {"source": source, "platform": platform, "timezone": timezone}
    try:
        req = svc.SettlementRequest(
            source=source,
            platform=platform,
            timezone=timezone or None,
            file_format=uploads.file_format(file),
        )
    except ValidationError as exc:
        return _page(request, user, language, 422, form=form, problems=problems_of(exc, language))
    return await uploads.run_import(
        request, user, language, _page, svc.import_for_user, req, file, continue_on_error, form
    )
