"""The webhooks page (adapters over :mod:`cbec.services.webhooks`): the tenant's
subscriptions, a form to subscribe an endpoint to events of the catalogue
(:data:`cbec.webhooks.catalogue.EVENTS`) whose signing secret is shown once, a switch-off
that asks for confirmation first, and the deliveries — the dead-letter list among them —
with a replay of a dead or delivered one.

A tenant sees and changes only its own, exactly as through ``/webhooks/*``: another tenant's
subscription or delivery is the "not found" page. Every change is a POSTed form carrying the
session's CSRF token.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import ValidationError

from cbec.console import auth
from cbec.console.forms import problems_of
from cbec.console.i18n import translations
from cbec.console.pages import N_, Lang, page_language, render
from cbec.errors import Conflict, DocumentInvalid
from cbec.services import webhooks
from cbec.services.webhook_models import SubscriptionRequest
from cbec.webhooks import catalogue

router = APIRouter(include_in_schema=False)
Id = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
MAX_URL = 2000

# The catalogue's events as the console describes them: the English is the catalogue's
# own description (tests/console/test_console_webhooks.py holds them equal), so the
# zh_CN catalogue can translate it.
EVENT_TEXTS = {
    catalogue.DOCUMENT_FILED: N_(
        "An order, payment, waybill or product the tenant filed — or an order, payment "
        "or waybill naming the tenant as its platform — was stored (a bulk import's "
        "documents when the import completes)."
    ),
    catalogue.COMPLIANCE_DECIDED: N_(
        "A compliance decision was made on a document the tenant filed."
    ),
    catalogue.SCREENING_HIT: N_(
        "A party of a document the tenant filed matched a screening list (the score "
        "reached the threshold); the payload names the role, never the person."
    ),
    catalogue.DECLARATION_STATE_CHANGED: N_(
        "A customs declaration the tenant made moved to another state: declared, or "
        "answered by a receipt (CEB311/411/511/621… and their withdrawals)."
    ),
    catalogue.TRACKING_ALERT_RAISED: N_(
        "An alert was raised on a waybill the tenant may read: late against the planned "
        "transit or a sensor reading outside its limits (as events are recorded), or no "
        "scan for longer than the current leg allows (found by the alert sweep)."
    ),
}

# The deliveries' statuses (cbec.store.webhook_store.STATUSES), as the console names them.
STATUSES = {
    "pending": N_("pending"),
    "delivered": N_("delivered (2xx)"),
    "dead": N_("dead (given up)"),
}
REPLAYABLE = ("delivered", "dead")


def _filter(raw: str | None) -> str | None:
    return (raw.strip() or None) if raw else None


def _page(
    request: Request,
    user: Any,
    lang: str,
    shown: str | None = None,
    status: int = 200,
    **context: Any,
):
    """The page: subscriptions, the form, the deliveries (``shown``: one status only)."""
    uow = request.app.state.rt.uow
    gettext = translations(lang).gettext
    context.setdefault("form", {"url": "", "event_types": [catalogue.DOCUMENT_FILED]})
    try:
        deliveries = webhooks.list_deliveries(uow(), user.viewer, shown).deliveries
    except DocumentInvalid as exc:  # a status the list does not know
        context["filter_problems"] = problems_of(exc, lang)
        deliveries, status = [], 422
    subscriptions = webhooks.list_subscriptions(uow(), user.viewer).subscriptions
    return render(
        request,
        "webhooks.html",
        lang,
        status=status,
        user=user,
        subscriptions=subscriptions,
        urls={s.id: s.url for s in subscriptions},
        deliveries=deliveries,
        shown=shown,
        events={name: gettext(text) for name, text in EVENT_TEXTS.items()},
        statuses={k: gettext(v) for k, v in STATUSES.items()},
        replayable=REPLAYABLE,
        **context,
    )


@router.get("/console/webhooks")
def webhooks_page(
    request: Request,
    user: auth.Signed,
    status: Annotated[str | None, Query(max_length=12)] = None,
    lang: Lang = None,
):
    """``status=dead`` is the dead-letter list."""
    return _page(request, user, page_language(request, lang), _filter(status))


@router.post("/console/webhooks/subscriptions")
async def subscribe(request: Request, user: auth.SignedForm, lang: Lang = None):
    """A new subscription; its secret is on the answer's page, and nowhere else ever."""
    language = page_language(request, lang)
    form = await request.form()
    raw = {
        "url": str(form.get("url") or "")[:MAX_URL].strip(),
        "event_types": [str(e)[:64] for e in form.getlist("event_types")][:20],
    }
    try:
        req = SubscriptionRequest.model_validate(raw)
        created = webhooks.subscribe(request.app.state.rt.uow(), user.viewer, req)
    except (ValidationError, DocumentInvalid) as exc:
        problems = problems_of(exc, language)
        return _page(request, user, language, status=422, form=raw, problems=problems)
    return _page(request, user, language, created=created)


@router.post("/console/webhooks/subscriptions/{sub_id}/off")
async def switch_off(request: Request, user: auth.SignedForm, sub_id: Id, lang: Lang = None):
    """First the confirmation (nothing changed), then — confirmed — the switch-off."""
    language = page_language(request, lang)
    form = await request.form()
    uow = request.app.state.rt.uow
    if form.get("confirm") != "yes":
        sub = webhooks.get_subscription(uow(), user.viewer, sub_id)
        return _page(request, user, language, confirm_off=sub)
    done = webhooks.unsubscribe(uow(), user.viewer, sub_id)
    return _page(request, user, language, switched_off=done)


@router.post("/console/webhooks/deliveries/{delivery_id}/replay")
def replay(request: Request, user: auth.SignedForm, delivery_id: Id, lang: Lang = None):
    """A dead or delivered delivery due again at once; one still pending is refused (409)
    with the reason on the page, another tenant's is the "not found" page."""
    language = page_language(request, lang)
    try:
        again = webhooks.replay(request.app.state.rt.uow(), user.viewer, delivery_id)
    except Conflict as exc:
        return _page(request, user, language, status=409, refusal=exc.message(language))
    return _page(request, user, language, replayed=again)
