"""The talent pages (adapters over :mod:`cbec.services.talent` and
:mod:`cbec.services.talent_edits`): the published experts, the tenant's own profiles, its
projects and engagements, with the forms to publish a profile and to post a project; a
profile's page for its publisher, with the form to change it and the buttons to withdraw it
or publish it again; a project with its explainable match (every component with its weight,
share and contribution), the form to change it and the buttons to close or open it again.
The engagement pages: :mod:`cbec.console.talent_engagement_pages`.

A project is shown to its seller only, a profile's own page to its publisher only, exactly as
through ``/talent/*``: anyone else gets the "not found" page. Every change is a POSTed form
carrying the session's CSRF token, made by an admin or operator (a viewer reads); the form
is read into the same request model as the API's and refused the same way, field by field."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Request
from pydantic import ValidationError

from cbec.console import auth, talent_engagement_pages
from cbec.console.forms import refusal
from cbec.console.pages import N_, Lang, page_language, render
from cbec.errors import CbecError
from cbec.services import talent as svc
from cbec.services import talent_edits as edits
from cbec.services import talent_engagements as eng
from cbec.services import talent_matching as matching
from cbec.services import talent_models as m

router = APIRouter(include_in_schema=False)
router.include_router(talent_engagement_pages.router)
Id = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
Text = Annotated[str, Form(max_length=4000)]
Codes = Annotated[list[str], Form(max_length=64)]

COMPONENT_LABELS = {
    "skills": N_("Skills"),
    "languages": N_("Languages"),
    "certificates": N_("Certificates"),
    "rating": N_("Rating"),
    "budget": N_("Budget fit"),
    "availability": N_("Availability"),
}


def _labels(lang: str) -> dict[str, Any]:
    from cbec.console.i18n import translations

    gettext = translations(lang).gettext
    return {
        "components": {k: gettext(v) for k, v in COMPONENT_LABELS.items()},
        "choices": edits.choices(lang),
    }


# The forms, as typed (shown again when refused) and as the API's request body.
def expert_form(
    name: Text = "",
    contact: Text = "",
    headline: Text = "",
    skills: Codes = [],  # noqa: B006 (FastAPI copies a default)
    languages: Codes = [],  # noqa: B006
    certificates: Text = "",
    day_rate: Text = "",
    currency: Text = "",
    days_per_week: Text = "",
) -> dict[str, Any]:
    return dict(locals())


def project_form(
    title: Text = "",
    skills: Text = "",
    languages: Codes = [],  # noqa: B006
    certificates: Codes = [],  # noqa: B006
    day_budget: Text = "",
    currency: Text = "",
    days_per_week: Text = "",
    starts_on: Text = "",
    ends_on: Text = "",
) -> dict[str, Any]:
    return dict(locals())


ExpertForm = Annotated[dict[str, Any], Depends(expert_form)]
ProjectForm = Annotated[dict[str, Any], Depends(project_form)]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _expert_body(form: dict[str, Any]) -> dict[str, Any]:
    """A certificate per line: ``kind | issuer | number``."""
    return {
        "name": form["name"].strip(),
        "contact": form["contact"].strip(),
        "headline": form["headline"].strip(),
        "skills": form["skills"],
        "languages": form["languages"],
        "certificates": [
            dict(
                zip(
                    ("kind", "issuer", "number"), (p.strip() for p in line.split("|")), strict=False
                )
            )
            for line in _lines(form["certificates"])
        ],
        "day_rate": {"amount": form["day_rate"].strip(), "currency": form["currency"].strip()},
        "days_per_week": form["days_per_week"].strip() or "0",
    }


def _project_body(form: dict[str, Any]) -> dict[str, Any]:
    """A skill per line: its code and its weight (1 to 5; 3 if not given)."""
    return {
        "title": form["title"].strip(),
        "skills": [
            dict(zip(("code", "weight"), line.split()[:2], strict=False))
            for line in _lines(form["skills"])
        ],
        "languages": form["languages"],
        "certificates": form["certificates"],
        "day_budget": {"amount": form["day_budget"].strip(), "currency": form["currency"].strip()},
        "days_per_week": form["days_per_week"].strip() or "0",
        "starts_on": form["starts_on"].strip(),
        "ends_on": form["ends_on"].strip(),
    }


def _expert_shown(x: m.ExpertView) -> dict[str, Any]:
    """A profile as its form shows it to its publisher."""
    return {
        "name": x.name or "",
        "contact": x.contact or "",
        "headline": x.headline,
        "skills": x.skills,
        "languages": x.languages,
        "certificates": "\n".join(f"{c.kind} | {c.issuer} | {c.number}" for c in x.certificates),
        "day_rate": str(x.day_rate.amount),
        "currency": x.day_rate.currency,
        "days_per_week": str(x.days_per_week),
    }


def _project_shown(p: m.ProjectView) -> dict[str, Any]:
    return {
        "title": p.title,
        "skills": "\n".join(f"{s.code} {s.weight}" for s in p.skills),
        "languages": p.languages,
        "certificates": p.certificates,
        "day_budget": str(p.day_budget.amount),
        "currency": p.day_budget.currency,
        "days_per_week": str(p.days_per_week),
        "starts_on": p.starts_on.isoformat(),
        "ends_on": p.ends_on.isoformat(),
    }


# The talent page: listings and the forms to publish and to post
def _list(request: Request, user: Any, lang: str, status: int = 200, **context: Any):
    uow = request.app.state.rt.uow
    context.setdefault("expert_form", {"currency": "CNY"})
    context.setdefault("project_form", {"currency": "CNY"})
    return render(
        request,
        "talent.html",
        lang,
        status=status,
        user=user,
        experts=svc.list_experts(uow(), user.viewer).experts,
        mine=svc.list_experts(uow(), user.viewer, mine=True).experts,
        projects=svc.list_projects(uow(), user.viewer).projects,
        engagements=eng.list_engagements(uow(), user.viewer).engagements,
        **_labels(lang),
        **context,
    )


@router.get("/console/talent")
def talent_page(request: Request, user: auth.Signed, lang: Lang = None):
    return _list(request, user, page_language(request, lang))


@router.post("/console/talent/experts")
def publish(request: Request, user: auth.SignedForm, form: ExpertForm, lang: Lang = None):
    language = page_language(request, lang)
    try:
        svc.may_act(user)
        req = m.ExpertRequest.model_validate(_expert_body(form))
        x = svc.publish_expert(request.app.state.rt.uow(), user.viewer, req)
    except (CbecError, ValidationError) as exc:
        status, shown = refusal(exc, language)
        return _list(request, user, language, status, expert_form=form, **shown)
    return _expert(request, user, language, x.id, status=201, published=True)


@router.post("/console/talent/projects")
def post(request: Request, user: auth.SignedForm, form: ProjectForm, lang: Lang = None):
    language = page_language(request, lang)
    try:
        svc.may_act(user)
        req = m.ProjectRequest.model_validate(_project_body(form))
        p = svc.post_project(request.app.state.rt.uow(), user.viewer, req)
    except (CbecError, ValidationError) as exc:
        status, shown = refusal(exc, language)
        return _list(request, user, language, status, project_form=form, **shown)
    return _project(request, user, language, p.id, status=201, posted=True)


# A profile's page for its publisher
def _expert(request, user, lang, expert_id, status=200, form=None, **context):
    x = edits.show_own_expert(request.app.state.rt.uow(), user.viewer, expert_id)
    return render(
        request,
        "talent_expert.html",
        lang,
        status=status,
        user=user,
        x=x,
        form=form or _expert_shown(x),
        **_labels(lang),
        **context,
    )


def _edit_expert(request, user, lang, expert_id, body: dict[str, Any], form=None):
    uow = request.app.state.rt.uow
    edits.show_own_expert(uow(), user.viewer, expert_id)  # not its publisher: "not found"
    try:
        svc.may_act(user)
        req = m.ExpertChange.model_validate(body)
        edits.edit_expert(uow(), user.viewer, expert_id, req)
    except (CbecError, ValidationError) as exc:
        status, shown = refusal(exc, lang)
        return _expert(request, user, lang, expert_id, status, form, **shown)
    return _expert(request, user, lang, expert_id, changed=True)


@router.get("/console/talent/experts/{expert_id}")
def expert_page(request: Request, user: auth.Signed, expert_id: Id, lang: Lang = None):
    return _expert(request, user, page_language(request, lang), expert_id)


@router.post("/console/talent/experts/{expert_id}")
def edit_expert(
    request: Request, user: auth.SignedForm, expert_id: Id, form: ExpertForm, lang: Lang = None
):
    language = page_language(request, lang)
    return _edit_expert(request, user, language, expert_id, _expert_body(form), form)


@router.post("/console/talent/experts/{expert_id}/withdraw")
def withdraw(request: Request, user: auth.SignedForm, expert_id: Id, lang: Lang = None):
    language = page_language(request, lang)
    return _edit_expert(request, user, language, expert_id, {"withdrawn": True})


@router.post("/console/talent/experts/{expert_id}/republish")
def republish(request: Request, user: auth.SignedForm, expert_id: Id, lang: Lang = None):
    language = page_language(request, lang)
    return _edit_expert(request, user, language, expert_id, {"withdrawn": False})


# A project: its match, the form to change it, closing and opening it again
def _project(request, user, lang, project_id, status=200, form=None, **context):
    project = svc.show_project(request.app.state.rt.uow(), user.viewer, project_id)
    return render(
        request,
        "talent_project.html",
        lang,
        status=status,
        user=user,
        project=project,
        form=form or _project_shown(project),
        **_labels(lang),
        **context,
    )


@router.get("/console/talent/projects/{project_id}")
def project_page(request: Request, user: auth.Signed, project_id: Id, lang: Lang = None):
    return _project(request, user, page_language(request, lang), project_id)


@router.post("/console/talent/projects/{project_id}/matches")
def match(request: Request, user: auth.SignedForm, project_id: Id, lang: Lang = None):
    language = page_language(request, lang)
    uow = request.app.state.rt.uow
    svc.show_project(uow(), user.viewer, project_id)  # not the seller's: the "not found" page
    try:
        svc.may_act(user)
        found = matching.match_project(uow(), user.viewer, project_id)
    except CbecError as exc:
        status, shown = refusal(exc, language)
        return _project(request, user, language, project_id, status, **shown)
    return _project(request, user, language, project_id, matches=found)


def _edit_project(request, user, lang, project_id, body: dict[str, Any], form=None):
    uow = request.app.state.rt.uow
    svc.show_project(uow(), user.viewer, project_id)  # not the seller's: the "not found" page
    try:
        svc.may_act(user)
        req = m.ProjectChange.model_validate(body)
        edits.edit_project(uow(), user.viewer, project_id, req)
    except (CbecError, ValidationError) as exc:
        status, shown = refusal(exc, lang)
        return _project(request, user, lang, project_id, status, form, **shown)
    return _project(request, user, lang, project_id, changed=True)


@router.post("/console/talent/projects/{project_id}")
def edit_project(
    request: Request, user: auth.SignedForm, project_id: Id, form: ProjectForm, lang: Lang = None
):
    language = page_language(request, lang)
    return _edit_project(request, user, language, project_id, _project_body(form), form)


@router.post("/console/talent/projects/{project_id}/close")
def close(request: Request, user: auth.SignedForm, project_id: Id, lang: Lang = None):
    language = page_language(request, lang)
    return _edit_project(request, user, language, project_id, {"closed": True})


@router.post("/console/talent/projects/{project_id}/reopen")
def reopen(request: Request, user: auth.SignedForm, project_id: Id, lang: Lang = None):
    language = page_language(request, lang)
    return _edit_project(request, user, language, project_id, {"closed": False})
