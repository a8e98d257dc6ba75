"""The algorithm registry's pages (adapters over :mod:`cbec.services.algorithms` and
:mod:`cbec.services.algorithm_desk`): the tenant's records (a regulator's: every tenant's)
with their filing state and deadline, a new record written as its JSON, a record's page —
its state, refiling deadline, change log, the change form and the filing-number form — and
the public transparency page of a platform, which needs no sign-in and shows only the public
part of what it has filed."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response

from cbec.console import auth
from cbec.console.pages import N_, Lang, page_language, render
from cbec.errors import DocumentInvalid
from cbec.governance import rules
from cbec.services import algorithm_desk as desk
from cbec.services import algorithms as svc

router = APIRouter(include_in_schema=False)
RecordId = Annotated[str, Path(max_length=64)]
Text = Annotated[str, Form(max_length=desk.MAX_TEXT)]

# A record's state (cbec.governance.filing.State) as the console names it.
STATES = {
    "draft": N_("Draft (not filed)"),
    "filed": N_("Filed"),
    "refiling_due": N_("Changed: refiling due"),
}

# A new record's text to start from: every required field, empty where the writer must say.
DRAFT = {
    "name": "",
    "algorithm_type": "personalised_push",
    "provider": {"legal_name": "", "uscc": None, "security_owner": ""},
    "application_domain": "",
    "service_form": "",
    "launch_date": None,
    "product": {"name": "", "urls": [], "access_path": None},
    "purpose": "",
    "self_assessment": {"summary": "", "report_ref": None, "assessed_on": None},
    "model": {"model_type": "", "training_data": "", "input_modalities": []},
    "data_sources": [],
    "risks": [{"risk": "", "mitigation": ""}],
    "main_parameters": [{"name": "", "description": "", "rank": 1, "reason_for_importance": ""}],
    "user_controls": [],
    "non_profiling_option": {"available": False, "description": ""},
    "tag_management": False,
    "public_text": {"zh": "", "en": ""},
}


def _types(lang: str) -> dict[str, str]:
    return {c: t.label(lang) for c, t in rules.algorithm_types(svc.today_in_china()).items()}


def _list_page(request: Request, user, lang: str, status: int = 200, **extra):
    listed = svc.list_records(request.app.state.rt.uow(), user.viewer).algorithms
    extra.setdefault("text", json.dumps(DRAFT, ensure_ascii=False, indent=2))
    return render(
        request,
        "algorithms.html",
        lang,
        status=status,
        user=user,
        records=listed,
        states=STATES,
        types=_types(lang),
        may=user.tenant_role in svc.FILERS and user.role.value != "viewer",
        **extra,
    )


@router.get("/console/algorithms")
def algorithms_page(request: Request, user: auth.Signed, lang: Lang = None):
    return _list_page(request, user, page_language(request, lang))


@router.post("/console/algorithms")
async def create(request: Request, user: auth.SignedForm, text: Text = "", lang: Lang = None):
    language = page_language(request, lang)
    try:
        made = await run_in_threadpool(desk.create, request.app.state.rt.uow(), user, text)
    except DocumentInvalid as exc:
        return _list_page(request, user, language, 422, text=text, problems=exc.details(language))
    return RedirectResponse(f"/console/algorithms/{made.id}", status_code=303)


def _record_page(request: Request, user, record_id: str, lang: str, status: int = 200, **extra):
    uow = request.app.state.rt.uow
    view = svc.get(uow(), user.viewer, record_id)
    log = svc.versions(uow(), user.viewer, record_id).versions
    extra.setdefault("text", desk.text_of(view))
    return render(
        request,
        "algorithm.html",
        lang,
        status=status,
        user=user,
        record=view,
        versions=list(reversed(log)),
        states=STATES,
        types=_types(lang),
        may=view.owner == user.tenant_name and user.role.value != "viewer",
        **extra,
    )


@router.get("/console/algorithms/{record_id}")
def record_page(request: Request, user: auth.Signed, record_id: RecordId, lang: Lang = None):
    return _record_page(request, user, record_id, page_language(request, lang))


@router.get("/console/algorithms/{record_id}/export")
def export(request: Request, user: auth.Signed, record_id: RecordId):
    """The filing-ready JSON, as a download."""
    out = svc.export(request.app.state.rt.uow(), user.viewer, record_id)
    name = f"algorithm-{record_id}-v{out['version']}.json"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return JSONResponse(out, headers=headers)


@router.get("/console/algorithms/{record_id}/export.pdf")
def export_pdf(request: Request, user: auth.Signed, record_id: RecordId):
    """The filing-ready export as a PDF download."""
    out, document = svc.export_pdf(request.app.state.rt.uow(), user.viewer, record_id)
    name = f"algorithm-{record_id}-v{out['version']}.pdf"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(document, media_type="application/pdf", headers=headers)


@router.post("/console/algorithms/{record_id}")
async def change(
    request: Request,
    user: auth.SignedForm,
    record_id: RecordId,
    text: Text = "",
    summary: Annotated[str, Form(max_length=500)] = "",
    lang: Lang = None,
):
    language = page_language(request, lang)
    uow = request.app.state.rt.uow()
    try:
        await run_in_threadpool(desk.change, uow, user, record_id, text, summary)
    except DocumentInvalid as exc:
        problems = exc.details(language)
        return _record_page(
            request, user, record_id, language, 422, text=text, summary=summary, problems=problems
        )
    return RedirectResponse(f"/console/algorithms/{record_id}#versions", status_code=303)


@router.post("/console/algorithms/{record_id}/filing")
async def file(
    request: Request,
    user: auth.SignedForm,
    record_id: RecordId,
    filing_number: Annotated[str, Form(max_length=64)] = "",
    lang: Lang = None,
):
    language = page_language(request, lang)
    uow = request.app.state.rt.uow()
    try:
        await run_in_threadpool(desk.file, uow, user, record_id, filing_number)
    except DocumentInvalid as exc:
        problems = exc.details(language)
        return _record_page(request, user, record_id, language, 422, filing_problems=problems)
    return RedirectResponse(f"/console/algorithms/{record_id}", status_code=303)


@router.get("/console/transparency/{platform}")
def transparency(
    request: Request,
    platform: Annotated[str, Path(max_length=64)],
    user: auth.MaybeSigned,
    lang: Lang = None,
):
    """Public: no sign-in; the filed records' public part only."""
    language = page_language(request, lang)
    registry = svc.public_registry(request.app.state.rt.uow(), platform)
    return render(
        request, "transparency.html", language, user=user, registry=registry, types=_types(language)
    )
