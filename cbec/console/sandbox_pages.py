"""Regulatory sandboxes (adapters over :mod:`cbec.services.sandboxes`): the enrolments, open
and ended, what each enrolled firm did under them, and the forms to enrol a firm and to end
an enrolment. The use cases admit regulators only; anyone else gets the 403 page, as the
API answers 403."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from cbec.console import auth
from cbec.console.pages import Lang, page_language, render
from cbec.errors import DocumentInvalid, path_of
from cbec.services import rule_desk, sandboxes
from cbec.services.compliance_models import MAX_SQL_INT, EnrolmentRequest

router = APIRouter(include_in_schema=False)
ReportDays = Annotated[int, Query(ge=1, le=3660)]


def _page(request: Request, user, lang: str, days: int = 365, status: int = 200, **extra):
    uow = request.app.state.rt.uow
    listed = sandboxes.list_enrolments(uow(), user.viewer)
    report = sandboxes.sandbox_activity(uow(), user.viewer, days)
    rules = rule_desk.rule_list(uow(), user.viewer)
    return render(
        request,
        "sandboxes.html",
        lang,
        status=status,
        user=user,
        enrolments=listed,
        report=report,
        rules=rules,
        **extra,
    )


@router.get("/console/sandboxes")
def enrolments(request: Request, user: auth.Signed, days: ReportDays = 365, lang: Lang = None):
    return _page(request, user, page_language(request, lang), days)


@router.post("/console/sandboxes")
def enrol(
    request: Request,
    user: auth.SignedForm,
    firm: Annotated[str, Form(max_length=64)],
    period_start: Annotated[str, Form(max_length=10)],
    period_end: Annotated[str, Form(max_length=10)],
    firm_role: Annotated[str, Form(max_length=16)] = "seller",
    relaxed_rules: Annotated[list[str] | None, Form(max_length=1000)] = None,
    relaxed_kinds: Annotated[list[str] | None, Form(max_length=2)] = None,
    max_orders: Annotated[str | None, Form(max_length=13)] = None,
    source: Annotated[str | None, Form(max_length=2000)] = None,
    lang: Lang = None,
):
    language = page_language(request, lang)
    fields = {
        "firm": firm,
        "firm_role": firm_role,
        "period_start": period_start,
        "period_end": period_end,
        "relaxed_rules": relaxed_rules or [],
        "relaxed_kinds": relaxed_kinds or [],
        "max_orders": max_orders or None,
        "source": source or None,
    }
    try:
        done = rule_desk.enrol(
            request.app.state.rt.uow(), user, EnrolmentRequest.model_validate(fields)
        )
    except (DocumentInvalid, ValidationError) as exc:
        problems = (
            exc.details(language)
            if isinstance(exc, DocumentInvalid)
            else [{"field": path_of(e["loc"]), "message": e["msg"]} for e in exc.errors()]
        )
        return _page(request, user, language, status=422, problems=problems, form=fields)
    return _page(request, user, language, enrolled=done)


@router.post("/console/sandboxes/{enrolment_id}/end")
def end(
    request: Request,
    user: auth.SignedForm,
    enrolment_id: Annotated[int, Path(ge=1, le=MAX_SQL_INT)],
):
    rule_desk.end_enrolment(request.app.state.rt.uow(), user, enrolment_id)
    return RedirectResponse("/console/sandboxes", status_code=303)
