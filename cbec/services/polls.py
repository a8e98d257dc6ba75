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

Pseudonymous: the vote keeps a keyed hash of the platform and the account id, never the
account id: HMAC-SHA-256 (RFC 2104) under the poll's own random 256-bit secret, made when
the poll opens and stored sealed under the deployment's data key (``polls.secret``; a
data-key rotation re-seals it with the other sealed values, :data:`cbec.store.rotation_store.
SEALED`). One buyer's hashes in two polls do not match each other, and a rotation of the
deployment's HMAC key leaves them as they are — the HMAC rotation cannot recompute a vote's
hash, for the account id is not kept. The UNIQUE constraint on the poll and that hash
refuses a second vote (409 ``poll_voted``) — also when two arrive at once. Market: the
order's destination country; segment: :func:`cbec.growth.polls.segment`.

A poll opened before polls had secrets (migration 0037) hashes its voters under the
deployment's HMAC key (purpose ``poll:<poll id>``); once an HMAC key has been retired since
it opened, the same buyer would hash differently, so such a poll takes no more votes (409
``poll_rekeyed``): its results stay, its seller closes it and opens a new one.

Results: the counts per option are exact; the breakdowns per market and per segment are
published with small cells suppressed (:mod:`cbec.growth.disclosure`: the threshold in
force on the day they are read, rule data, with secondary suppression) — to the poll's
seller too, which is their only reader: the seller knows its buyers, so a count of one
voter in a market would tell it how that buyer voted. The API, the CLI, the console and
the CSV rows all show the suppressed results of :func:`show_poll`.

Every opening, vote and closing is an entry in the evidence ledger (type ``cbec.poll/v1``):
ids, option, market and segment — never the buyer or the hash of the buyer.
"""

from __future__ import annotations

import base64
import hmac
import json
import secrets
import uuid
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import IntegrityError

from cbec.errors import Conflict, DocumentInvalid, Forbidden, NotFound, Violation
from cbec.growth import disclosure
from cbec.growth import polls as core
from cbec.ledger.entry import CONTENT_TYPE, event_entry
from cbec.privacy.pseudonym import keyed_hash
from cbec.store.deployment_key_store import DeploymentKeyStore
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
    votes: int | None = Field(description="None when suppressed")
    share: Decimal | None = Field(description="Of the group's votes; None when suppressed")
    suppressed: bool = Field(
        False,
        description="Too few voters to publish, or hidden so that such a cell cannot be "
        "recovered by subtraction from the totals",
    )


class DisclosureView(BaseModel):
    min_count: int = Field(description="A breakdown's cell counting fewer voters is suppressed")
    source: str = Field(description="Where the threshold comes from (rule data)")


class ResultsView(BaseModel):
    votes: int
    options: list[CountView] = Field(description="Exact, never suppressed")
    by_market: dict[str, list[CountView]] = Field(description="Per destination country")
    by_segment: dict[str, list[CountView]] = Field(description="new, repeat, unknown")
    disclosure: DisclosureView


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
    secret = base64.b64encode(secrets.token_bytes(32)).decode()
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
                "secret": uow.vault.seal_value(KIND, poll_id, "secret", secret),
            }
        )
        uow.commit()
    return show_poll(uow, viewer, poll_id)


def voter_hash(uow: UnitOfWork, poll: Any, platform_id: int, account_id: str) -> str:
    """The keyed hash a vote keeps of its buyer: one value per platform account and poll,
    under the poll's secret (module doc); for a poll without one, under the deployment's
    HMAC key, refused (409 ``poll_rekeyed``) once an HMAC key was retired since it opened."""
    voter = f"{platform_id}:{account_id.strip()}"
    if poll.secret is None:
        retired = [
            r.retired_at
            for r in DeploymentKeyStore(uow.conn).recorded()
            if r.purpose == "hmac" and r.retired_at is not None
        ]
        if any(at >= poll.opened_at for at in retired):
            raise Conflict("poll_rekeyed", {})
        return uow.vault.blind_index(f"poll:{poll.id}", voter)
    key = base64.b64decode(uow.vault.open_value(KIND, poll.id, "secret", poll.secret))
    return keyed_hash(key, "cbec.poll.voter", voter)


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
            "voter": voter_hash(uow, poll, platform.id, account),
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
    return [
        CountView(option=c.option, votes=c.votes, share=c.share, suppressed=c.suppressed)
        for c in counts
    ]


@cache
def _thresholds() -> list[Any]:
    return disclosure.load_rules()


def show_poll(uow: UnitOfWork, viewer: Viewer, poll_id: str) -> PollView:
    """The seller's poll with its results (404 for anyone else)."""
    with uow:
        row = _poll(uow, viewer, poll_id)
        votes = [
            core.Vote(v.option, v.market, v.segment) for v in PollStore(uow.conn).votes(row.id)
        ]
    options = json.loads(row.options)
    rule = disclosure.threshold(_thresholds(), now().date())
    res = core.protect(core.tally(options, votes), rule.min_count)
    results = ResultsView(
        votes=res.votes,
        options=_counts(res.options),
        by_market={m: _counts(c) for m, c in res.by_market.items()},
        by_segment={s: _counts(c) for s, c in res.by_segment.items()},
        disclosure=DisclosureView(min_count=rule.min_count, source=rule.source),
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
    """The results as flat rows for analytics tools: ``(by, group, option, votes, share,
    suppressed)`` with ``by`` one of ``all``, ``market``, ``segment``; a suppressed cell
    has empty ``votes`` and ``share`` and ``suppressed`` ``true`` (the view's cells, as
    suppressed by :func:`show_poll`)."""

    def row(by: str, group: str, c: CountView) -> dict[str, Any]:
        return {
            "by": by,
            "group": group,
            "option": c.option,
            "votes": "" if c.votes is None else c.votes,
            "share": "" if c.share is None else c.share,
            "suppressed": "true" if c.suppressed else "false",
        }

    rows = [row("all", "", c) for c in view.results.options]
    for by, groups in (("market", view.results.by_market), ("segment", view.results.by_segment)):
        for group, counts in groups.items():
            rows += [row(by, group, c) for c in counts]
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
