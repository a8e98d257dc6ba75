"""The rule desk (adapters over :mod:`cbec.services.rule_desk`): the rules a tenant may read,
a rule with its history and what each revision changed, and a change written as the rule's
JSON — replayed first against recent orders (what-if: which orders would be decided
differently, and by which rules), then saved by a second, confirming form. Both forms carry
the session's CSRF token; the use cases decide who may change what (a seller gets the 403
page, as ``PUT /compliance/rules/{id}`` answers 403)."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse

from cbec.console import auth, sandbox_pages, supervision_pages
from cbec.console.i18n import translations
from cbec.console.pages import N_, Lang, page_language, render
from cbec.errors import DocumentInvalid
from cbec.services import rule_desk
from cbec.services.compliance_models import RULE_ID_PATTERN

router = APIRouter(include_in_schema=False)
RuleId = Annotated[str, Path(min_length=1, max_length=100, pattern=RULE_ID_PATTERN)]
RuleText = Annotated[str, Form(max_length=rule_desk.MAX_RULE_TEXT)]
Days = Annotated[int, Form(ge=1, le=366)]

# A rule's kind and a revision's action (cbec.compliance.model.KINDS, RuleRevision.action)
# as the console names them.
NAMES = {
    "deny": N_("deny (negative list)"),
    "allow": N_("allow (whitelist)"),
    "require": N_("require a document"),
    "flag": N_("flag for review"),
    "put": N_("saved"),
    "retire": N_("retired"),
}


def _names(lang: str) -> dict[str, str]:
    gettext = translations(lang).gettext
    return {code: gettext(name) for code, name in NAMES.items()}


@router.get("/console/rules")
def rules(request: Request, user: auth.Signed, lang: Lang = None):
    listed = rule_desk.rule_list(request.app.state.rt.uow(), user.viewer)
    language = page_language(request, lang)
    return render(request, "rules.html", language, user=user, rules=listed, names=_names(language))


def _rule_page(request: Request, user, rule_id: str, lang: str, status: int = 200, **extra):
    detail = rule_desk.rule_detail(request.app.state.rt.uow(), user, rule_id)
    if "text" not in extra:
        body = detail.rule.as_core() if detail.rule else {"id": rule_id}
        extra["text"] = json.dumps(body, ensure_ascii=False, indent=2)
    return render(
        request,
        "rule.html",
        lang,
        status=status,
        user=user,
        detail=detail,
        names=_names(lang),
        **{"days": 30} | extra,
    )


@router.get("/console/rules/{rule_id}")
def rule(request: Request, user: auth.Signed, rule_id: RuleId, lang: Lang = None):
    return _rule_page(request, user, rule_id, page_language(request, lang))


@router.post("/console/rules/{rule_id}/what-if")
def what_if(
    request: Request,
    user: auth.SignedForm,
    rule_id: RuleId,
    text: RuleText,
    days: Days = 30,
    lang: Lang = None,
):
    """The proposed change replayed (nothing stored): the confirming form follows it."""
    language = page_language(request, lang)
    try:
        found = rule_desk.preview(request.app.state.rt.uow(), user, rule_id, text, days)
    except DocumentInvalid as exc:
        return _rule_page(
            request,
            user,
            rule_id,
            language,
            422,
            text=text,
            days=days,
            problems=exc.details(language),
        )
    return _rule_page(request, user, rule_id, language, text=text, days=days, preview=found)


@router.post("/console/rules/{rule_id}")
def save(
    request: Request, user: auth.SignedForm, rule_id: RuleId, text: RuleText, lang: Lang = None
):
    language = page_language(request, lang)
    try:
        rule_desk.save(request.app.state.rt.uow(), user, rule_id, text)
    except DocumentInvalid as exc:
        return _rule_page(
            request, user, rule_id, language, 422, text=text, problems=exc.details(language)
        )
    return RedirectResponse(f"/console/rules/{rule_id}#history", status_code=303)


# A new rule's text to start from: every required field, empty where the writer must choose.
DRAFT = {
    "id": "",
    "title": {"zh": "", "en": ""},
    "kind": "flag",
    "scope": {},
    "match": [{"hs": [""]}],
    "effective_from": "",
    "source": "",
}


def _draft_page(request: Request, user, lang: str, status: int = 200, **extra):
    extra.setdefault("text", json.dumps(DRAFT, ensure_ascii=False, indent=2))
    return render(
        request, "rule_draft.html", lang, status=status, user=user, **{"days": 30} | extra
    )


@router.get("/console/rule-drafts")
def draft(request: Request, user: auth.Signed, lang: Lang = None):
    return _draft_page(request, user, page_language(request, lang))


@router.post("/console/rule-drafts/what-if")
def draft_what_if(
    request: Request, user: auth.SignedForm, text: RuleText, days: Days = 30, lang: Lang = None
):
    language = page_language(request, lang)
    try:
        found = rule_desk.preview_new(request.app.state.rt.uow(), user, text, days)
    except DocumentInvalid as exc:
        problems = exc.details(language)
        return _draft_page(request, user, language, 422, text=text, days=days, problems=problems)
    return _draft_page(request, user, language, text=text, days=days, preview=found)


@router.post("/console/rule-drafts")
def draft_save(request: Request, user: auth.SignedForm, text: RuleText, lang: Lang = None):
    language = page_language(request, lang)
    try:
        saved = rule_desk.save_new(request.app.state.rt.uow(), user, text)
    except DocumentInvalid as exc:
        problems = exc.details(language)
        return _draft_page(request, user, language, 422, text=text, problems=problems)
    return RedirectResponse(f"/console/rules/{saved.rule_id}#history", status_code=303)


# The rule desk's other pages, served under the same router (one line in cbec.api.app).
router.include_router(sandbox_pages.router)
router.include_router(supervision_pages.router)
