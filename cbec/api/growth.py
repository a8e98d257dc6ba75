"""HTTP routes of brand co-creation and growth: sellers' polls answered by their verified
buyers (:mod:`cbec.services.polls`) and the ad-spend report (:mod:`cbec.services.ad_report`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from cbec.api.body import JsonBodyRoute
from cbec.api.contract import problems
from cbec.api.deps import Caller, Uow
from cbec.services import ad_report
from cbec.services import polls as svc

router = APIRouter(tags=["growth"], route_class=JsonBodyRoute)

PollId = Annotated[str, Path(max_length=32, description="The poll's id")]


@router.post(
    "/polls",
    summary="Open a poll on a product decision",
    description=(
        "A seller asks its verified buyers about a product decision (topic colour, size, "
        "feature or other; 2 to 10 distinct options). 403 for a tenant that is not a seller. "
        "The opening is logged in the evidence ledger."
    ),
    status_code=201,
    response_model=svc.PollView,
    responses=problems(403),
)
def open_poll(body: svc.OpenRequest, caller: Caller, uow: Uow) -> svc.PollView:
    return svc.open_poll(uow, caller, body)


@router.get(
    "/polls",
    summary="Your polls",
    description="The caller's own polls, newest first.",
    response_model=svc.PollList,
)
def list_polls(
    caller: Caller, uow: Uow, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> svc.PollList:
    return svc.list_polls(uow, caller, limit)


@router.get(
    "/polls/{poll_id}",
    summary="A poll and its results by market and segment",
    description=(
        "Only the poll's seller reads it (404 for anyone else): counts and shares per option, "
        "per market (the orders' destination country) and per segment (`new`: the voter's "
        "only order with the seller; `repeat`: two or more; `unknown`: the order names no "
        "buyer identity to count by). The counts per option are exact; in the breakdowns a "
        "cell counting fewer voters than `results.disclosure.min_count` (rule data, its "
        "source named) is suppressed — `votes` and `share` null, `suppressed` true — and so "
        "is a second cell of its row or column, so that it cannot be recovered from the "
        "totals. The seller, the poll's only reader, sees them suppressed too."
    ),
    response_model=svc.PollView,
    responses=problems(404),
)
def show_poll(poll_id: PollId, caller: Caller, uow: Uow) -> svc.PollView:
    return svc.show_poll(uow, caller, poll_id)


@router.post(
    "/polls/{poll_id}/votes",
    summary="Relay a verified buyer's vote",
    description=(
        "The platform of one of the poll's seller's orders relays the vote of that order's "
        "buyer, naming the order and the buyer's account id: 403 `poll_relay` for another "
        "tenant; 404 for an order the platform may not read or a poll of another seller; 422 "
        "`poll_not_buyer` when the account id is not the order's buyer's, `poll_option_unknown` "
        "for an option not offered; 409 `poll_closed`, and `poll_voted` for a buyer who has "
        "voted (one vote per buyer and poll, enforced by the database). The vote keeps a keyed "
        "hash of the buyer under the poll's own secret, never the account id; its ledger entry "
        "names the option, market and segment only. 409 `poll_rekeyed` for a poll opened "
        "before polls had secrets once the HMAC key has been rotated since it opened."
    ),
    status_code=201,
    response_model=svc.VoteReceipt,
    responses=problems(403, 404, 409),
)
def cast_vote(poll_id: PollId, body: svc.VoteRequest, caller: Caller, uow: Uow) -> svc.VoteReceipt:
    return svc.cast_vote(uow, caller, poll_id, body)


@router.post(
    "/polls/{poll_id}/close",
    summary="Close a poll",
    description="The seller closes its poll: no more votes (409 `poll_closed` when it is).",
    response_model=svc.PollView,
    responses=problems(404, 409),
)
def close_poll(poll_id: PollId, caller: Caller, uow: Uow) -> svc.PollView:
    return svc.close_poll(uow, caller, poll_id)


@router.post(
    "/analytics/ad-report",
    summary="Return on ad spend per channel, with a suggested budget shift",
    description=(
        "A seller's ad spend per channel × market × day — Google Ads and Meta Ads Manager CSV "
        "downloads or a generic CSV (channel, market, day, spend, currency) — joined with its "
        "stored orders: ROAS, CAC, CLV (historical), CLV:CAC and repurchase rate per channel, "
        "spend and ROAS per market, and a suggested move of `shift_share` of the spend from "
        "the channel with the lowest CLV:CAC to the highest, with the numbers behind it. "
        "Orders are given channels by `attribution_csv` (order_no, channel); an order it does "
        "not name has its platform as channel. A cell that cannot be read is refused (422) "
        "naming its report, line and column. The reports are not stored."
    ),
    response_model=ad_report.AdReport,
    responses=problems(403),
)
def ad_spend_report(
    body: ad_report.AdReportRequest, caller: Caller, uow: Uow
) -> ad_report.AdReport:
    return ad_report.ad_report(uow, caller, body)
