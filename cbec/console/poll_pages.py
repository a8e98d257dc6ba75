"""The poll pages (adapters over :mod:`cbec.services.polls`): a seller's polls and a form to
open one; a poll with its results per option, market and segment, and a button to close it.
Votes do not come through the console: the platforms relay their buyers' votes through
``POST /polls/{id}/votes``.

A poll is shown to its seller only, exactly as through ``/polls/*``: anyone else gets the
"not found" page. Every change is a POSTed form carrying the session's CSRF token, made by
an admin or operator (a viewer reads)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from pydantic import ValidationError

from cbec.console import auth
from cbec.console.forms import refusal
from cbec.console.pages import N_, Lang, page_language, render
from cbec.errors import CbecError
from cbec.growth.polls import TOPICS
from cbec.services import disputes
from cbec.services import polls as svc

router = APIRouter(include_in_schema=False)
Id = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]

TOPIC_LABELS = {
    "colour": N_("Colour"),
    "size": N_("Size"),
    "feature": N_("Feature"),
    "other": N_("Other"),
}
assert tuple(TOPIC_LABELS) == TOPICS, "a topic without a label"
SEGMENT_LABELS = {
    "new": N_("First order with you"),
    "repeat": N_("Repeat buyers"),
    "unknown": N_("Buyer not identified"),
}


def _labels(lang: str) -> dict[str, Any]:
    from cbec.console.i18n import translations

    gettext = translations(lang).gettext
    return {
        "topics": {k: gettext(v) for k, v in TOPIC_LABELS.items()},
        "segments": {k: gettext(v) for k, v in SEGMENT_LABELS.items()},
    }


def _list(request: Request, user: Any, lang: str, status: int = 200, **context: Any):
    polls = svc.list_polls(request.app.state.rt.uow(), user.viewer).polls
    context.setdefault("form", {})
    return render(
        request,
        "polls.html",
        lang,
        status=status,
        user=user,
        polls=polls,
        **_labels(lang),
        **context,
    )


def _poll(request: Request, user: Any, lang: str, poll_id: str, status: int = 200, **context):
    poll = svc.show_poll(request.app.state.rt.uow(), user.viewer, poll_id)
    return render(
        request, "poll.html", lang, status=status, user=user, poll=poll, **_labels(lang), **context
    )


@router.get("/console/polls")
def polls_page(request: Request, user: auth.Signed, lang: Lang = None):
    return _list(request, user, page_language(request, lang))


@router.post("/console/polls")
def open_poll(
    request: Request,
    user: auth.SignedForm,
    topic: Annotated[str, Form(max_length=16)] = "",
    question: Annotated[str, Form(max_length=500)] = "",
    sku: Annotated[str, Form(max_length=64)] = "",
    options: Annotated[str, Form(max_length=2000)] = "",
    lang: Lang = None,
):
    language = page_language(request, lang)
    form = {"topic": topic, "question": question, "sku": sku, "options": options}
    try:
        disputes.may_act(user)
        req = svc.OpenRequest.model_validate(
            {
                "topic": topic,
                "question": question.strip(),
                "sku": sku.strip() or None,
                "options": [o.strip() for o in options.splitlines() if o.strip()],
            }
        )
        poll = svc.open_poll(request.app.state.rt.uow(), user.viewer, req)
    except (CbecError, ValidationError) as exc:
        status, shown = refusal(exc, language)
        return _list(request, user, language, status, form=form, **shown)
    return _poll(request, user, language, poll.id, status=201, opened=True)


@router.get("/console/polls/{poll_id}")
def poll_page(request: Request, user: auth.Signed, poll_id: Id, lang: Lang = None):
    return _poll(request, user, page_language(request, lang), poll_id)


@router.post("/console/polls/{poll_id}/close")
def close_poll(request: Request, user: auth.SignedForm, poll_id: Id, lang: Lang = None):
    language = page_language(request, lang)
    uow = request.app.state.rt.uow
    try:
        svc.show_poll(uow(), user.viewer, poll_id)  # not the seller's: the "not found" page
        disputes.may_act(user)
        svc.close_poll(uow(), user.viewer, poll_id)
    except CbecError as exc:
        if type(exc).code == "not_found":
            raise
        status, shown = refusal(exc, language)
        return _poll(request, user, language, poll_id, status, **shown)
    return _poll(request, user, language, poll_id, closed=True)
