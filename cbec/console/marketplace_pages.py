"""The marketplace file page (an adapter over :mod:`cbec.services.marketplace_import`): a
seller uploads an order export from Amazon, Shopify, TikTok Shop, AliExpress, Shopee or
Lazada, or AliExpress Open Platform order details saved as JSON, its format told by the
header row (a JSON file's by its fields), and sees what was filed — orders created and
unchanged, the columns not read and those whose meaning was assumed, the cancelled orders
skipped, each rejected row with the file's column and the reason in the page's language.

The upload is posted to ``/console/marketplace/import`` so that the body limit for imports
applies to it (:mod:`cbec.api.body`). The tenant's marketplace profiles are listed on the
page, and one is saved with ``/console/marketplace/profile``: an upload's fields left empty
are then taken from the profile of the marketplace its file is read as
(:mod:`cbec.services.marketplace_profiles`). A profile is deleted with
``/console/marketplace/profile/delete``, which first asks for confirmation (nothing changed)
and deletes only when confirmed.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError

from cbec.connectors import marketplaces
from cbec.console import auth, uploads
from cbec.console.forms import problems_of
from cbec.console.pages import N_, Lang, page_language, render
from cbec.errors import CbecError, Forbidden, NotFound
from cbec.services import import_desk as desk
from cbec.services import marketplace_import as svc
from cbec.services import marketplace_profiles as profiles

router = APIRouter(include_in_schema=False)

# every name ``--from`` takes (cbec.connectors.marketplaces.NAMES), as the console says it
SOURCES = {
    "auto": N_("Told by the header row"),
    "amazon": N_("Amazon Seller Central order report"),
    "shopify": N_("Shopify orders export"),
    "tiktok": N_("TikTok Shop order export"),
    "aliexpress": N_("AliExpress order export"),
    "shopee": N_("Shopee order export"),
    "lazada": N_("Lazada order export"),
    "aliexpress-api": N_("AliExpress Open Platform order details (JSON)"),
}
assert tuple(SOURCES) == marketplaces.NAMES, "a marketplace without a label"


def _page(request: Request, user, lang: str, status: int = 200, **extra):
    extra.setdefault("profile_form", {})
    listed = profiles.list_profiles(request.app.state.rt.uow(), user.viewer).profiles
    return render(
        request,
        "marketplace.html",
        lang,
        status=status,
        user=user,
        may=("order" in desk.importable(user)),
        sources=SOURCES,
        profiles=listed,
        **extra,
    )


@router.get("/console/marketplace")
def marketplace_page(request: Request, user: auth.Signed, lang: Lang = None):
    return _page(request, user, page_language(request, lang), form={})


@router.post("/console/marketplace/import")
async def marketplace_import(
    request: Request,
    user: auth.SignedForm,
    source: Annotated[str, Form(max_length=32)] = "auto",
    platform: Annotated[str, Form(max_length=64)] = "",
    currency: Annotated[str, Form(max_length=3)] = "",
    timezone: Annotated[str, Form(max_length=64)] = "",
    origin_country: Annotated[str, Form(max_length=2)] = "",
    continue_on_error: Annotated[str, Form(max_length=8)] = "",
    file: Annotated[UploadFile | None, File()] = None,
    lang: Lang = None,
):
    language = page_language(request, lang)
    form = {
        "source": source,
        "platform": platform,
        "currency": currency,
        "timezone": timezone,
        "origin_country": origin_country,
    }
    try:
        req = svc.MarketplaceRequest(
            source=source,
            platform=platform or None,
            currency=currency.upper() or None,
            timezone=timezone or None,
            origin_country=origin_country.upper() or None,
            file_format=uploads.file_format(file),
        )
    except ValidationError as exc:
        return _page(request, user, language, 422, form=form, problems=problems_of(exc, language))
    return await uploads.run_import(
        request, user, language, _page, svc.import_for_user, req, file, continue_on_error, form
    )


@router.post("/console/marketplace/profile")
async def marketplace_profile(
    request: Request,
    user: auth.SignedForm,
    marketplace: Annotated[str, Form(max_length=32)] = "",
    platform: Annotated[str, Form(max_length=64)] = "",
    currency: Annotated[str, Form(max_length=3)] = "",
    timezone: Annotated[str, Form(max_length=64)] = "",
    origin_country: Annotated[str, Form(max_length=2)] = "",
    incoterm: Annotated[str, Form(max_length=3)] = "",
    lang: Lang = None,
):
    language = page_language(request, lang)
    form = {
        "marketplace": marketplace,
        "platform": platform,
        "currency": currency,
        "timezone": timezone,
        "origin_country": origin_country,
        "incoterm": incoterm,
    }
    try:
        req = profiles.ProfileRequest(
            platform=platform.strip() or None,
            currency=currency.strip().upper() or None,
            timezone=timezone.strip() or None,
            origin_country=origin_country.strip().upper() or None,
            incoterm=incoterm or None,
        )
    except ValidationError as exc:
        problems = problems_of(exc, language)
        return _page(request, user, language, 422, form={}, profile_form=form, problems=problems)
    try:
        saved = await run_in_threadpool(
            profiles.set_for_user, request.app.state.rt.uow(), user, marketplace, req
        )
    except CbecError as exc:
        status = 403 if exc.rule in ("role_cannot_file", "role_forbidden") else 422
        return _page(
            request,
            user,
            language,
            status,
            form={},
            profile_form=form,
            problem=exc.message(language),
            problems=exc.details(language),
        )
    return _page(request, user, language, form={}, profile_saved=saved.marketplace)


@router.post("/console/marketplace/profile/delete")
async def marketplace_profile_delete(
    request: Request,
    user: auth.SignedForm,
    marketplace: Annotated[str, Form(max_length=32)] = "",
    confirm: Annotated[str, Form(max_length=8)] = "",
    lang: Lang = None,
):
    """First the confirmation (nothing changed), then — confirmed — the deletion."""
    language = page_language(request, lang)
    uow = request.app.state.rt.uow
    try:
        if confirm != "yes":
            shown = profiles.get_profile(uow(), user.viewer, marketplace)
            return _page(request, user, language, form={}, confirm_delete=shown)
        done = await run_in_threadpool(profiles.delete_for_user, uow(), user, marketplace)
    except (NotFound, Forbidden) as exc:
        status = 404 if isinstance(exc, NotFound) else 403
        return _page(request, user, language, status, form={}, refusal=exc.message(language))
    return _page(request, user, language, form={}, profile_deleted=done.marketplace)
