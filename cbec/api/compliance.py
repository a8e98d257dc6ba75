"""HTTP routes of compliance: the rules in force and their changes, decisions on an order,
what-if replays and regulatory sandboxes (use cases in :mod:`cbec.services.compliance` and
:mod:`cbec.services.sandboxes`).

JSON bodies are read with ``Decimal`` numbers (:class:`cbec.api.body.JsonBodyRoute`) and
validated against the request models OpenAPI shows; an order to evaluate is read as bytes by
its use case, and OpenAPI shows it as the ``Order`` document.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from starlette.concurrency import run_in_threadpool

from cbec.api.body import JsonBodyRoute
from cbec.api.contract import problems
from cbec.api.deps import Caller, Uow
from cbec.compliance.model import Outcome
from cbec.services import compliance as svc
from cbec.services import decisions, sandboxes
from cbec.services.compliance_models import (
    MAX_SQL_INT,
    RULE_ID_PATTERN,
    DecisionView,
    Enrolled,
    EnrolmentEnded,
    EnrolmentRequest,
    EnrolmentView,
    OrderChecksView,
    RuleChanged,
    RuleDocument,
    RuleRevision,
    RulesInForce,
    SandboxReport,
    WhatIfRequest,
    WhatIfResult,
)
from cbec.trade.kinds import KINDS

RuleId = Annotated[
    str, Path(min_length=1, max_length=100, pattern=RULE_ID_PATTERN, description="A rule's id")
]
EnrolmentId = Annotated[int, Path(ge=1, le=MAX_SQL_INT, description="An enrolment's id")]
OrderId = Annotated[str, Path(max_length=64, description="The order's document id")]

router = APIRouter(tags=["compliance"], route_class=JsonBodyRoute)


def _order_body() -> dict[str, Any]:
    ref = {"$ref": f"#/components/schemas/{KINDS['order'].model.__name__}"}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": ref}}}}


@router.get(
    "/compliance/rules",
    summary="The rules in force",
    description="Every rule orders on `platform` are decided by now (starter rules overlaid "
    "with the changes made through the API: those binding every platform and the platform's "
    "own), and the rule-set version decisions cite. A platform sees its own rules only "
    "(asking for another's answers 403); without `platform`, a platform gets its own and "
    "anyone else the rules that bind every platform.",
    response_model=RulesInForce,
    response_model_exclude_unset=True,
    responses=problems(403),
)
def rules(
    caller: Caller,
    uow: Uow,
    platform: Annotated[
        str | None, Query(min_length=1, max_length=64, description="A platform's name")
    ] = None,
) -> RulesInForce:
    return svc.rules_in_force(uow, caller, platform)


@router.put(
    "/compliance/rules/{rule_id}",
    summary="Add or replace a rule (regulators, platforms); audited and logged",
    description="The body is the rule (its `id` must equal the path's). A rule that would "
    "make the rule set contradict itself is refused (422) naming every rule involved. A "
    "platform may change only the rules it made; the starter set and a regulator's rules "
    "bind every platform. Two concurrent changes of one rule: the second answers 409.",
    response_model=RuleChanged,
    responses=problems(403, 409),
)
def put_rule(rule_id: RuleId, rule: RuleDocument, caller: Caller, uow: Uow) -> RuleChanged:
    return svc.put_rule(uow, caller, rule_id, rule)


@router.delete(
    "/compliance/rules/{rule_id}",
    summary="Retire a rule (regulators, platforms); audited and logged",
    description="Later orders are decided without it; its revisions stay in the history.",
    response_model=RuleChanged,
    responses=problems(403, 404, 409),
)
def retire_rule(rule_id: RuleId, caller: Caller, uow: Uow) -> RuleChanged:
    return svc.retire_rule(uow, caller, rule_id)


@router.get(
    "/compliance/rules/{rule_id}/history",
    summary="Every change made to a rule, by whom and when",
    description="Oldest first; each revision with its log index (an empty list for a rule "
    "never changed through the API).",
    response_model=list[RuleRevision],
    response_model_exclude_unset=True,
)
def history(rule_id: RuleId, caller: Caller, uow: Uow) -> list[RuleRevision]:
    return svc.rule_history(uow, caller, rule_id)


@router.post(
    "/compliance/evaluate",
    summary="The decision the rules in force give an order (nothing stored)",
    description="The body is an order as it would be filed (numbers read as decimals); only "
    "the fields the rules read are needed. The decision lists each rule that fired, with "
    "the field it read, the value it saw and its reason in Chinese and English. The order is "
    "decided by the rules of its `platform` (those binding every platform and its own); a "
    "platform may evaluate only orders on itself (403 otherwise).",
    response_model=DecisionView,
    response_model_exclude_unset=True,
    responses=problems(403),
    openapi_extra=_order_body(),
)
async def evaluate_order(request: Request, caller: Caller, uow: Uow) -> Any:
    body = await request.body()
    return await run_in_threadpool(svc.evaluate_order, uow, caller, body)


@router.get(
    "/orders/{doc_id}/checks",
    summary="The compliance decision and screening results of a stored order",
    description="For parties who may see the order (others get 404). Decisions cite their "
    "rule-set version and screening results the list hashes; both give their log index.",
    response_model=OrderChecksView,
    response_model_exclude_unset=True,
    responses=problems(404),
)
def checks(doc_id: OrderId, caller: Caller, uow: Uow) -> Any:
    return svc.order_checks(uow, caller, doc_id)


@router.post(
    "/compliance/what-if",
    summary="Replay recent orders against proposed rule changes and show what changes",
    description="Regulators and platforms. `changes` maps a rule id to the rule (or `null` to "
    "retire it); nothing is stored. Each order whose outcome would change is listed with "
    "the rules responsible.",
    response_model=WhatIfResult,
    response_model_exclude_unset=True,
    responses=problems(403),
)
def what_if(body: WhatIfRequest, caller: Caller, uow: Uow) -> Any:
    return svc.what_if(uow, caller, body)


@router.post(
    "/compliance/sandboxes",
    summary="Enrol a firm in a regulatory sandbox (regulators)",
    description="The firm (a seller or a platform) may, within the scope, period and limits, "
    "have orders allowed that the relaxed rules would deny. Logged.",
    response_model=Enrolled,
    responses=problems(403),
)
def enrol(body: EnrolmentRequest, caller: Caller, uow: Uow) -> Enrolled:
    return sandboxes.enrol(uow, caller, body)


@router.get(
    "/compliance/sandboxes",
    summary="Sandbox enrolments (regulators)",
    description="Every enrolment, open and ended, oldest first.",
    response_model=list[EnrolmentView],
    responses=problems(403),
)
def enrolments(caller: Caller, uow: Uow) -> list[EnrolmentView]:
    return sandboxes.list_enrolments(uow, caller)


@router.get(
    "/compliance/sandboxes/report",
    summary="Sandbox activity per firm (regulators)",
    description="Orders seen, relaxed, allowed and stopped by a limit, per firm and rule, "
    "over the last `days`.",
    response_model=SandboxReport,
    response_model_exclude_unset=True,
    responses=problems(403),
)
def sandbox_activity(
    caller: Caller, uow: Uow, days: Annotated[int, Query(ge=1, le=3660)] = 365
) -> Any:
    return sandboxes.sandbox_activity(uow, caller, days)


@router.delete(
    "/compliance/sandboxes/{enrolment_id}",
    summary="End a sandbox enrolment (regulators)",
    description="Later orders of the firm get no relaxation. Logged.",
    response_model=EnrolmentEnded,
    responses=problems(403, 404),
)
def end_enrolment(enrolment_id: EnrolmentId, caller: Caller, uow: Uow) -> EnrolmentEnded:
    return sandboxes.end_enrolment(uow, caller, enrolment_id)


@router.get(
    "/compliance/decisions",
    summary="Compliance decisions of the orders you may see, newest first",
    description="Each decision with its order (number, platform, seller), outcome, rule-set "
    "version and the rules that fired; `outcome` keeps one outcome. Follow `next_cursor` "
    "for the next page. The full decision is on `GET /orders/{doc_id}/checks`.",
    response_model=decisions.DecisionsPage,
)
def list_decisions(
    caller: Caller,
    uow: Uow,
    outcome: Outcome | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(max_length=64)] = None,
) -> decisions.DecisionsPage:
    query = decisions.DecisionsQuery(outcome=outcome, limit=limit, cursor=cursor)
    return decisions.list_decisions(uow, caller, query)
