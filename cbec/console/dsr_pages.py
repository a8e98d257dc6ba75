"""The data subject requests page (adapters over :mod:`cbec.services.dsr`): the register of
requests with their status, and — for a controller's admins — a form to export everything
held on a person (a JSON download, the API's answer) and one to erase them, which asks for
confirmation first (PIPL Arts. 45, 47; GDPR Arts. 15, 17). The person's ID or phone travels
only in POSTed forms carrying the session's CSRF token, never in an address."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError

from cbec.console import auth
from cbec.console.forms import problems_of
from cbec.console.pages import Lang, page_language, render
from cbec.errors import BadRequest, CbecError, DocumentInvalid
from cbec.services import dsr, dsr_erasure
from cbec.services.dsr_models import SubjectQuery

router = APIRouter(include_in_schema=False)
FIELDS = ("id_type", "id_number", "phone", "email")
ID_TYPES = ("resident_id", "passport", "other")
MAX_FIELD = 254  # an e-mail address's longest (RFC 5321 §4.5.3.1.3); the model checks each


def _raw(form: Any) -> dict[str, str]:
    return {n: str(form.get(n) or "")[:MAX_FIELD].strip() for n in FIELDS}


def _query(raw: dict[str, str]) -> SubjectQuery:
    """The API's request: the phone, the e-mail, or the ID (the form sends the ID type
    either way)."""
    if not raw["id_number"]:
        given = {k: raw[k] for k in ("phone", "email") if raw[k]}
        if given:
            return SubjectQuery.model_validate(given)
    fields = {k: v for k, v in raw.items() if v}
    return SubjectQuery.model_validate(fields)


def _refused(exc: ValidationError | CbecError, lang: str) -> list[dict[str, Any]]:
    if isinstance(exc, ValidationError | DocumentInvalid):
        return problems_of(exc, lang)
    field = str(exc.params.get("field") or "")
    return [{"field": field, "rule": exc.rule, "message": exc.message(lang)}]


def _page(request: Request, user: Any, lang: str, status: int = 200, **context: Any):
    context.setdefault(
        "form", {"id_type": "resident_id", "id_number": "", "phone": "", "email": ""}
    )
    return render(
        request,
        "dsr.html",
        lang,
        status=status,
        user=user,
        register=dsr.list_requests(request.app.state.rt.uow(), user),
        may_request=dsr.may_request(user),
        id_types=ID_TYPES,
        **context,
    )


@router.get("/console/dsr")
def dsr_page(request: Request, user: auth.Signed, lang: Lang = None):
    return _page(request, user, page_language(request, lang))


@router.post("/console/dsr/access")
async def access(request: Request, user: auth.SignedForm, lang: Lang = None):
    """The access export as a download: the API's JSON answer."""
    language = page_language(request, lang)
    raw = _raw(await request.form())
    try:
        found = dsr.subject_access(request.app.state.rt.uow(), user, _query(raw))
    except (ValidationError, DocumentInvalid, BadRequest) as exc:
        problems = _refused(exc, language)
        return _page(request, user, language, 422, form=raw, problems=problems)
    return Response(
        found.model_dump_json(indent=2).encode(),
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="dsr-access-{found.request_id}.json"'
        },
    )


@router.post("/console/dsr/erasure")
async def erasure(request: Request, user: auth.SignedForm, lang: Lang = None):
    """First the confirmation (nothing erased), then — confirmed — the erasure."""
    language = page_language(request, lang)
    form = await request.form()
    raw = _raw(form)
    try:
        query = _query(raw)
        if form.get("confirm") != "yes":
            if not dsr.may_request(user):
                return _page(request, user, language, 403, form=raw)
            return _page(request, user, language, form=raw, confirm=query)
        done = dsr_erasure.subject_erasure(request.app.state.rt.uow(), user, query)
    except (ValidationError, DocumentInvalid, BadRequest) as exc:
        problems = _refused(exc, language)
        return _page(request, user, language, 422, form=raw, problems=problems)
    return _page(request, user, language, erased=done)
