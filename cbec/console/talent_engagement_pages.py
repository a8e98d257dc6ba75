"""The engagement pages of talent sharing (adapters over
:mod:`cbec.services.talent_engagements`): an engagement with its deliverables, rating and
cost against a full-time hire, and the forms to move a deliverable and to rate it.

An engagement is shown to its two sides only, exactly as through ``/talent/engagements/*``:
anyone else gets the "not found" page. Every change is a POSTed form carrying the session's
CSRF token, made by an admin or operator (a viewer reads). Included by
:mod:`cbec.console.talent_pages`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from pydantic import ValidationError

from cbec.console import auth
from cbec.console.forms import refusal
from cbec.console.pages import N_, Lang, page_language, render
from cbec.errors import CbecError
from cbec.services import talent as svc
from cbec.services import talent_engagements as eng
from cbec.services import talent_models as m

router = APIRouter(include_in_schema=False)
Id = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]

STATE_LABELS = {
    "planned": N_("planned"),
    "submitted": N_("submitted"),
    "accepted": N_("accepted by the seller"),
    "rejected": N_("sent back for rework"),
}


def _labels(lang: str) -> dict[str, Any]:
    from cbec.console.i18n import translations

    gettext = translations(lang).gettext
    return {"dstates": {k: gettext(v) for k, v in STATE_LABELS.items()}}


def _engagement(request, user, lang, engagement_id, status=200, **context):
    found = eng.show(request.app.state.rt.uow(), user.viewer, engagement_id)
    return render(
        request,
        "talent_engagement.html",
        lang,
        status=status,
        user=user,
        e=found,
        **_labels(lang),
        **context,
    )


@router.get("/console/talent/engagements/{engagement_id}")
def engagement_page(request: Request, user: auth.Signed, engagement_id: Id, lang: Lang = None):
    return _engagement(request, user, page_language(request, lang), engagement_id)


def _change(request, user, lang, engagement_id, work) -> Any:
    uow = request.app.state.rt.uow
    eng.show(uow(), user.viewer, engagement_id)  # not a side: the "not found" page
    try:
        svc.may_act(user)
        work(uow())
    except (CbecError, ValidationError) as exc:
        if isinstance(exc, CbecError) and type(exc).code == "not_found":
            raise
        status, shown = refusal(exc, lang)
        return _engagement(request, user, lang, engagement_id, status, **shown)
    return _engagement(request, user, lang, engagement_id, changed=True)


@router.post("/console/talent/engagements/{engagement_id}/steps")
def step(
    request: Request,
    user: auth.SignedForm,
    engagement_id: Id,
    number: Annotated[str, Form(max_length=6)] = "",
    to: Annotated[str, Form(max_length=16)] = "",
    lang: Lang = None,
):
    def work(uow):
        req = m.StepRequest.model_validate({"number": number.strip() or "0", "to": to})
        eng.step(uow, user.viewer, engagement_id, req)

    return _change(request, user, page_language(request, lang), engagement_id, work)


@router.post("/console/talent/engagements/{engagement_id}/rating")
def rate(
    request: Request,
    user: auth.SignedForm,
    engagement_id: Id,
    rating: Annotated[str, Form(max_length=2)] = "",
    lang: Lang = None,
):
    def work(uow):
        req = m.RatingRequest.model_validate({"rating": rating.strip() or "0"})
        eng.rate(uow, user.viewer, engagement_id, req)

    return _change(request, user, page_language(request, lang), engagement_id, work)
