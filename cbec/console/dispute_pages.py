"""The dispute pages (adapters over :mod:`cbec.services.disputes` and
:mod:`cbec.services.dispute_pack`): the tenant's cases with their deadlines and a form to
open one on an order; a case with its messages, deadlines, events and outcome, a form to
say something and one to resolve or withdraw it, and its evidence pack to download.

A case is shown to its parties only, exactly as through ``/disputes/*``: anyone else gets
the "not found" page. Every change is a POSTed form carrying the session's CSRF token, made
by an admin or operator (a viewer reads)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import ValidationError

from cbec.console import auth
from cbec.console.forms import refusal
from cbec.console.pages import N_, Lang, page_language, render
from cbec.disputes.model import REASONS, Outcome
from cbec.errors import CbecError
from cbec.services import dispute_pack
from cbec.services import disputes as svc

router = APIRouter(include_in_schema=False)
Id = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]

REASON_LABELS = {
    "not_received": N_("Not received"),
    "not_as_described": N_("Not as described"),
    "damaged": N_("Damaged"),
    "customs_refused": N_("Refused by customs"),
    "unauthorised_charge": N_("Charge not made by the buyer"),
    "other": N_("Other"),
}
assert tuple(REASON_LABELS) == REASONS, "a reason without a label"
STATE_LABELS = {
    "open": N_("open"),
    "responded": N_("responded"),
    "resolved": N_("resolved"),
    "closed": N_("closed"),
}
OUTCOME_LABELS = {
    "refund_full": N_("Full refund"),
    "refund_partial": N_("Partial refund"),
    "rejected": N_("Claim rejected"),
    "withdrawn": N_("Withdrawn"),
}
assert tuple(OUTCOME_LABELS) == tuple(o.value for o in Outcome), "an outcome without a label"


def _labels(lang: str) -> dict[str, Any]:
    from cbec.console.i18n import translations

    gettext = translations(lang).gettext
    return {
        "reasons": {k: gettext(v) for k, v in REASON_LABELS.items()},
        "states": {k: gettext(v) for k, v in STATE_LABELS.items()},
        "outcomes": {k: gettext(v) for k, v in OUTCOME_LABELS.items()},
    }


def _list(request: Request, user: Any, lang: str, status: int = 200, **context: Any):
    cases = svc.list_cases(request.app.state.rt.uow(), user.viewer).cases
    context.setdefault("form", {"currency": "CNY"})
    return render(
        request,
        "disputes.html",
        lang,
        status=status,
        user=user,
        cases=cases,
        **_labels(lang),
        **context,
    )


def _case(request: Request, user: Any, lang: str, case_id: str, status: int = 200, **context):
    case = svc.show_case(request.app.state.rt.uow(), user.viewer, case_id)
    return render(
        request,
        "dispute.html",
        lang,
        status=status,
        user=user,
        case=case,
        **_labels(lang),
        **context,
    )


@router.get("/console/disputes")
def disputes_page(request: Request, user: auth.Signed, lang: Lang = None):
    return _list(request, user, page_language(request, lang))


@router.post("/console/disputes")
async def open_case(
    request: Request,
    user: auth.SignedForm,
    order_id: Annotated[str, Form(max_length=64)] = "",
    reason: Annotated[str, Form(max_length=32)] = "",
    amount: Annotated[str, Form(max_length=40)] = "",
    currency: Annotated[str, Form(max_length=3)] = "",
    message: Annotated[str, Form(max_length=4000)] = "",
    lang: Lang = None,
):
    language = page_language(request, lang)
    form = {"order_id": order_id, "reason": reason, "amount": amount, "currency": currency}
    try:
        svc.may_act(user)
        req = svc.OpenRequest.model_validate(
            {
                "order_id": order_id.strip(),
                "reason": reason,
                "claim": {"amount": amount.strip() or "0", "currency": currency.strip().upper()},
                "message": message.strip() or None,
            }
        )
        case = await run_in_threadpool(svc.open_case, request.app.state.rt.uow(), user.viewer, req)
    except (CbecError, ValidationError) as exc:
        if isinstance(exc, CbecError) and type(exc).code == "not_found":
            raise
        status, shown = refusal(exc, language)
        return _list(request, user, language, status, form=form, **shown)
    return _case(request, user, language, case.id, status=201, opened=True)


@router.get("/console/disputes/{case_id}")
def case_page(request: Request, user: auth.Signed, case_id: Id, lang: Lang = None):
    return _case(request, user, page_language(request, lang), case_id)


@router.post("/console/disputes/{case_id}/messages")
def add_message(
    request: Request,
    user: auth.SignedForm,
    case_id: Id,
    text: Annotated[str, Form(max_length=4000)] = "",
    lang: Lang = None,
):
    language = page_language(request, lang)
    uow = request.app.state.rt.uow
    try:
        svc.show_case(uow(), user.viewer, case_id)  # not a party: the "not found" page
        svc.may_act(user)
        req = svc.MessageRequest(text=text.strip())
        svc.add_message(uow(), user.viewer, case_id, req)
    except (CbecError, ValidationError) as exc:
        if isinstance(exc, CbecError) and type(exc).code == "not_found":
            raise
        status, shown = refusal(exc, language)
        return _case(request, user, language, case_id, status, **shown)
    return _case(request, user, language, case_id, said=True)


@router.post("/console/disputes/{case_id}/resolution")
def resolve(
    request: Request,
    user: auth.SignedForm,
    case_id: Id,
    outcome: Annotated[str, Form(max_length=16)] = "",
    refund_amount: Annotated[str, Form(max_length=40)] = "",
    lang: Lang = None,
):
    language = page_language(request, lang)
    uow = request.app.state.rt.uow
    try:
        svc.show_case(uow(), user.viewer, case_id)
        svc.may_act(user)
        req = svc.ResolveRequest.model_validate(
            {"outcome": outcome, "refund_amount": refund_amount.strip() or None}
        )
        svc.resolve_case(uow(), user.viewer, case_id, req)
    except (CbecError, ValidationError) as exc:
        if isinstance(exc, CbecError) and type(exc).code == "not_found":
            raise
        status, shown = refusal(exc, language)
        return _case(request, user, language, case_id, status, **shown)
    return _case(request, user, language, case_id, resolved=True)


@router.get("/console/disputes/{case_id}/pack")
async def pack(request: Request, user: auth.Signed, case_id: Id):
    data = await run_in_threadpool(
        dispute_pack.assemble, request.app.state.rt.uow(), user.viewer, case_id
    )
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="dispute-{case_id}.zip"'},
    )
