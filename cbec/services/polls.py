"""Use cases of polls (:mod:`cbec.growth.polls`): a seller opens a poll on a product
decision, its verified buyers vote — each vote relayed by the platform of the order that
makes the buyer a verified buyer — and the seller reads the results by market and segment,
and closes it.

Who: a poll is opened, read, listed and closed by its seller only (anyone else: "not found",
the answer an id that names nothing gets). A vote comes from the platform of one of the
seller's orders, naming the order and its buyer's account id: the order must be readable by
the platform and be the poll's seller's (else the poll is "not found" to it), and the
account id must be the order's buyer's (422 ``poll_not_buyer``, compared with the order's
sealed field, opened only for this).

Pseudonymous: the vote keeps a keyed hash of the platform and the account id (HMAC under
the deployment's key, purpose ``poll:<poll id>`` — one buyer's hashes in two polls do not
match each other), never the account id; the UNIQUE constraint on the poll and that hash
refuses a second vote (409 ``poll_voted``) — also when two arrive at once. Market: the
order's destination country; segment: :func:`cbec.growth.polls.segment`. An HMAC key
rotation changes the hashes of later votes, so a buyer could vote again in a poll that
spans one: close polls before rotating the HMAC key.

Every opening, vote and closing is an entry in the evidence ledger (type ``cbec.poll/v1``):
ids, option, market and segment — never the buyer or the hash of the buyer.
"""

from __future__ import annotations

import hmac
import json
import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import IntegrityError

from cbec.errors import Conflict, DocumentInvalid, Forbidden, NotFound, Violation
from cbec.growth import polls as core
from cbec.ledger.entry import CONTENT_TYPE, event_entry
from cbec.store.poll_store import PollStore
from cbec.store.repository import UnitOfWork
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.trade.kinds import KINDS
from cbec.trade.ports import now

ENTRY_TYPE = "cbec.poll/v1"
KIND = "poll"
ACCOUNT = "buyer.account_id"
Topic = Literal[core.TOPICS]  # type: ignore[valid-type]
Option = Field(min_length=1, max_length=100)


class OpenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    topic: Topic = Field(description="colour, size, feature or other")  # type: ignore[valid-type]
    question: str = Field(min_length=1, max_length=500)
    sku: str | None = Field(
        None, min_length=1, max_length=64, description="The product asked about"
    )
    options: list[str] = Field(
        min_length=core.MIN_OPTIONS, max_length=core.MAX_OPTIONS, description="2 to 10, distinct"
    )


class VoteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    order_id: str = Field(
        min_length=1, max_length=64, description="The order that verifies the buyer"
    )
    buyer_account_id: str = Field(
        min_length=1, max_length=60, description="The order's buyer (kept only as a keyed hash)"
    )
    option: str = Field(min_length=1, max_length=100)


class CountView(BaseModel):
    option: str
    votes: int
    share: Decimal


class ResultsView(BaseModel):
    votes: int
    options: list[CountView]
    by_market: dict[str, list[CountView]] = Field(description="Per destination country")
    by_segment: dict[str, list[CountView]] = Field(description="new, repeat, unknown")


class PollView(BaseModel):
    id: str
    seller: str
    topic: str
    question: str
    sku: str | None
    options: list[str]
    state: core.State
    opened_at: datetime
    closed_at: datetime | None
    results: ResultsView


class PollSummary(BaseModel):
    id: str
    topic: str
    question: str
    sku: str | None
    state: core.State
    opened_at: datetime


class PollList(BaseModel):
    polls: list[PollSummary]


class VoteReceipt(BaseModel):
    poll_id: str
    option: str
    market: str
    segment: str
    ledger_index: int | None


def _log(uow: UnitOfWork, tenants: list[str], at: datetime, body: dict[str, Any]) -> int | None:
    entry = event_entry(ENTRY_TYPE, at=at, tenants=sorted(set(tenants)), body=body)
    (index,) = uow.repo.append_evidence([(CONTENT_TYPE, entry)])
    return index


def _seller(viewer: Viewer) -> None:
    if viewer.role is not Role.SELLER:
        raise Forbidden("role_forbidden", {"allowed": "seller"})


def _poll(uow: UnitOfWork, viewer: Viewer, poll_id: str, lock: bool = False) -> Any:
    row = PollStore(uow.conn).get(viewer.tenant_id, poll_id, lock=lock)
    if row is None:
        raise NotFound("not_found", {"kind": KIND})
    return row


def open_poll(uow: UnitOfWork, viewer: Viewer, req: OpenRequest) -> PollView:
    """A seller opens a poll (403 for another role; 422 naming a repeated option)."""
    _seller(viewer)
    problems = core.check_options(req.options)
    if problems:
        raise DocumentInvalid(problems)
    at, poll_id = now(), uuid.uuid4().hex
    options = [o.strip() for o in req.options]
    with uow.writing():
        body = {"poll": poll_id, "event": "opened", "topic": req.topic, "options": options}
        index = _log(uow, [viewer.name], at, body | {"sku": req.sku})
        PollStore(uow.conn).create(
            {
                "id": poll_id,
                "seller_tenant_id": viewer.tenant_id,
                "topic": req.topic,
                "question": req.question,
                "sku": req.sku,
                "options": json.dumps(options, ensure_ascii=False),
                "state": core.State.OPEN.value,
                "opened_at": at,
                "ledger_index": index,
            }
        )
        uow.commit()
    return show_poll(uow, viewer, poll_id)


def voter_hash(uow: UnitOfWork, poll_id: str, platform_id: int, account_id: str) -> str:
    """The keyed hash a vote keeps of its buyer: one value per platform account and poll."""
    return uow.vault.blind_index(f"poll:{poll_id}", f"{platform_id}:{account_id.strip()}")


def cast_vote(uow: UnitOfWork, viewer: Viewer, poll_id: str, req: VoteRequest) -> VoteReceipt:
    """A platform relays its buyer's vote (module doc): 403 ``poll_relay`` for a tenant that
    is not the order's platform, 404 for an order it may not read or a poll it cannot reach
    through the order (another seller's, or none),
    422 ``poll_not_buyer`` / ``poll_option_unknown``, 409 ``poll_closed`` / ``poll_voted``."""
    if viewer.role is not Role.PLATFORM:
        raise Forbidden("poll_relay")
    at = now()
    with uow.writing():
        order = uow.repo.get_document(viewer, "order", req.order_id)
        if order is None:
            raise NotFound("not_found", {"kind": KIND})
        platform = uow.repo.tenant_by_name(str(order.body.get("platform")))
        if platform is None or platform.id != viewer.tenant_id:
            raise Forbidden("poll_relay")
        seller = uow.repo.tenant_by_name(str(order.body.get("seller")))
        poll = PollStore(uow.conn).get_any(poll_id)
        if poll is None or seller is None or seller.id != poll.seller_tenant_id:
            raise NotFound("not_found", {"kind": KIND})
        core.check_vote(core.State(poll.state), json.loads(poll.options), req.option)
        pii = {p: m for p, m in KINDS["order"].pii.items() if p == ACCOUNT}
        clear = uow.vault.open("order", order.id, pii, order.body, clear=True)
        account = str(clear["buyer"]["account_id"])
        if not hmac.compare_digest(account.encode(), req.buyer_account_id.strip().encode()):
            raise DocumentInvalid([Violation("buyer_account_id", "poll_not_buyer")])
        store = PollStore(uow.conn)
        count = store.orders_of(seller.id, order.subject_ref) if order.subject_ref else None
        vote = core.Vote(req.option, str(order.body["destination_country"]), core.segment(count))
        row = {
            "poll_id": poll.id,
            "voter": voter_hash(uow, poll.id, platform.id, account),
            "option": vote.option,
            "market": vote.market,
            "segment": vote.segment,
            "relay_tenant_id": viewer.tenant_id,
            "at": at,
        }
        try:
            vote_id = store.add_vote(row)
        except IntegrityError:  # this buyer's vote is in, or went in meanwhile
            raise Conflict("poll_voted", {}) from None
        body = {"poll": poll.id, "event": "vote", "vote": vote_id, "option": vote.option}
        body |= {"market": vote.market, "segment": vote.segment}
        index = _log(uow, [seller.name, viewer.name], at, body)
        store.set_vote_index(vote_id, index)
        uow.commit()
    return VoteReceipt(
        poll_id=poll.id,
        option=vote.option,
        market=vote.market,
        segment=vote.segment,
        ledger_index=index,
    )


def close_poll(uow: UnitOfWork, viewer: Viewer, poll_id: str) -> PollView:
    """The seller closes its poll (409 ``poll_closed`` when it already is)."""
    at = now()
    with uow.writing():
        row = _poll(uow, viewer, poll_id, lock=True)
        state = core.close(core.State(row.state))
        PollStore(uow.conn).change(row.id, {"state": state.value, "closed_at": at})
        _log(uow, [viewer.name], at, {"poll": row.id, "event": "closed"})
        uow.commit()
    return show_poll(uow, viewer, poll_id)


def _counts(counts: list[core.Count]) -> list[CountView]:
    return [CountView(option=c.option, votes=c.votes, share=c.share) for c in counts]


def show_poll(uow: UnitOfWork, viewer: Viewer, poll_id: str) -> PollView:
    """The seller's poll with its results (404 for anyone else)."""
    with uow:
        row = _poll(uow, viewer, poll_id)
        votes = [
            core.Vote(v.option, v.market, v.segment) for v in PollStore(uow.conn).votes(row.id)
        ]
    options = json.loads(row.options)
    res = core.tally(options, votes)
    results = ResultsView(
        votes=res.votes,
        options=_counts(res.options),
        by_market={m: _counts(c) for m, c in res.by_market.items()},
        by_segment={s: _counts(c) for s, c in res.by_segment.items()},
    )
    return PollView(
        id=row.id,
        seller=viewer.name,
        topic=row.topic,
        question=row.question,
        sku=row.sku,
        options=options,
        state=row.state,
        opened_at=row.opened_at,
        closed_at=row.closed_at,
        results=results,
    )


def result_rows(view: PollView) -> list[dict[str, Any]]:
    """The results as flat rows for analytics tools: ``(by, group, option, votes, share)``
    with ``by`` one of ``all``, ``market``, ``segment``."""
    rows = [
        {"by": "all", "group": "", "option": c.option, "votes": c.votes, "share": c.share}
        for c in view.results.options
    ]
    for by, groups in (("market", view.results.by_market), ("segment", view.results.by_segment)):
        for group, counts in groups.items():
            rows += [
                {"by": by, "group": group, "option": c.option, "votes": c.votes, "share": c.share}
                for c in counts
            ]
    return rows


def list_polls(uow: UnitOfWork, viewer: Viewer, limit: int = 100) -> PollList:
    """The caller's own polls, newest first (none for a tenant that is not a seller)."""
    with uow:
        rows = PollStore(uow.conn).list(viewer.tenant_id, limit)
    return PollList(
        polls=[
            PollSummary(
                id=r.id,
                topic=r.topic,
                question=r.question,
                sku=r.sku,
                state=r.state,
                opened_at=r.opened_at,
            )
            for r in rows
        ]
    )
