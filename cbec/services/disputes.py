"""Use cases of dispute cases: open one on an order, read it, say something in it, resolve
or withdraw it, list one's cases (the pack: :mod:`cbec.services.dispute_pack`).

Who: a case is opened by the order's platform, its seller or a regulator, on an order the
opener may read (any other order is "not found", as everywhere); its parties are the order's
platform and seller and its opener, and only they read it — anyone else is told "not found",
the answer an id that names nothing gets. The rules of the case (states, rulings, refunds,
deadlines) are the pure core :mod:`cbec.disputes.model`.

Every state change and every message is an entry in the evidence ledger (type
``cbec.dispute/v1``): the case and order ids, the event, the state, the outcome, the
refund, and for a message a keyed hash of its text — ids and hashes, never the text. The
text may name people (the inventory's ``possible``): it is stored encrypted and shown to the
case's parties only.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from cbec.accounts import UserRole
from cbec.disputes import model as core
from cbec.errors import DocumentInvalid, Forbidden, NotFound
from cbec.ledger.entry import CONTENT_TYPE, event_entry
from cbec.services.users import SessionUser
from cbec.store.dispute_store import DisputeStore
from cbec.store.repository import UnitOfWork
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.trade.ports import now

ENTRY_TYPE = "cbec.dispute/v1"
KIND = "dispute"
Reason = Literal[core.REASONS]  # type: ignore[valid-type]


class Claim(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    amount: Decimal = Field(gt=0, max_digits=18, decimal_places=2, description="What is claimed")
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217")


class OpenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    order_id: str = Field(min_length=1, max_length=64, description="The order's document id")
    reason: Reason = Field(description="Why: " + ", ".join(core.REASONS))  # type: ignore[valid-type]
    claim: Claim
    message: str | None = Field(
        None, min_length=1, max_length=4000, description="A first message to the other parties"
    )


class MessageRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(min_length=1, max_length=4000, description="Read by the case's parties only")


class ResolveRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    outcome: core.Outcome = Field(
        description="refund_full, refund_partial, rejected, or withdrawn (by the opener)"
    )
    refund_amount: Decimal | None = Field(
        None, max_digits=18, decimal_places=2, description="A partial refund's amount"
    )


class MessageView(BaseModel):
    id: int
    author: str
    at: datetime
    text: str
    ledger_index: int | None


class EventView(BaseModel):
    event: str
    at: datetime
    actor: str
    ledger_index: int | None


class CaseSummary(BaseModel):
    id: str
    order_id: str
    order_no: str
    platform: str
    seller: str
    opened_by: str
    reason: str
    claim: Claim
    state: core.State
    outcome: core.Outcome | None
    refund_amount: Decimal | None
    opened_at: datetime
    response_due: datetime
    resolution_due: datetime
    deadline_source: str = Field(description="Where the deadlines come from (rule data)")
    overdue: list[str] = Field(description="`response`, `resolution`: the deadlines missed")
    responded_at: datetime | None
    resolved_at: datetime | None
    time_to_resolution_seconds: int | None


class CaseView(CaseSummary):
    messages: list[MessageView]
    events: list[EventView]


class CaseList(BaseModel):
    cases: list[CaseSummary]


@cache
def _rules() -> list[Any]:
    return core.load_rules()


def _names(uow: UnitOfWork, ids: set[int]) -> dict[int, str]:
    return DisputeStore(uow.conn).names(ids)


def _summary(row: Any, names: dict[int, str], at: datetime) -> dict[str, Any]:
    dl = core.Deadlines(row.response_due, row.resolution_due, row.deadline_source)
    spent = core.time_to_resolution(row.opened_at, row.resolved_at)
    return {
        "id": row.id,
        "order_id": row.order_id,
        "order_no": row.order_no,
        "platform": names[row.platform_tenant_id],
        "seller": names[row.seller_tenant_id],
        "opened_by": names[row.opener_tenant_id],
        "reason": row.reason,
        "claim": Claim(amount=Decimal(row.claim_amount), currency=row.currency),
        "state": row.state,
        "outcome": row.outcome,
        "refund_amount": Decimal(row.refund_amount) if row.refund_amount else None,
        "opened_at": row.opened_at,
        "response_due": row.response_due,
        "resolution_due": row.resolution_due,
        "deadline_source": row.deadline_source,
        "overdue": core.overdue(core.State(row.state), dl, at),
        "responded_at": row.responded_at,
        "resolved_at": row.resolved_at,
        "time_to_resolution_seconds": None if spent is None else int(spent.total_seconds()),
    }


def _parties(row: Any) -> set[int]:
    return {row.platform_tenant_id, row.seller_tenant_id, row.opener_tenant_id}


def _side(row: Any, viewer: Viewer) -> core.Side:
    if viewer.tenant_id == row.platform_tenant_id:
        return core.Side.PLATFORM
    if viewer.tenant_id == row.seller_tenant_id:
        return core.Side.SELLER
    return core.Side.REGULATOR  # the only other party: the regulator that opened it


def _log(
    uow: UnitOfWork, row: Any, viewer: Viewer, event: str, at: datetime, body: dict[str, Any]
) -> int | None:
    """Append the case's entry for ``event`` and keep it with the case."""
    names = _names(uow, _parties(row))
    entry = event_entry(
        ENTRY_TYPE,
        at=at,
        tenants=sorted(set(names.values())),
        body={"case": row.id, "order": row.order_id, "event": event, "actor": viewer.name} | body,
    )
    (index,) = uow.repo.append_evidence([(CONTENT_TYPE, entry)])
    DisputeStore(uow.conn).add_event(row.id, at, event, viewer.tenant_id, entry, index)
    return index


def _case(uow: UnitOfWork, viewer: Viewer, case_id: str, lock: bool = False) -> Any:
    row = DisputeStore(uow.conn).get(viewer.tenant_id, case_id, lock=lock)
    if row is None:
        raise NotFound("not_found", {"kind": KIND})
    return row


def open_case(uow: UnitOfWork, viewer: Viewer, req: OpenRequest) -> CaseView:
    """Open a case on an order the caller may read: its platform, its seller or a regulator
    (404 for an order the caller may not read, 403 for another role)."""
    at = now()
    with uow.writing():
        order = uow.repo.get_document(viewer, "order", req.order_id)
        if order is None:
            raise NotFound("not_found", {"kind": "order"})
        platform = uow.repo.tenant_by_name(str(order.body.get("platform")))
        seller = uow.repo.tenant_by_name(str(order.body.get("seller")))
        if platform is None or seller is None:
            raise NotFound("not_found", {"kind": "order"})
        if viewer.tenant_id not in (platform.id, seller.id) and viewer.role is not Role.REGULATOR:
            raise Forbidden("dispute_opener")
        problems = core.check_claim(req.claim.amount, req.claim.currency)
        if problems:
            raise DocumentInvalid(problems)
        dl = core.deadlines(_rules(), req.reason, at)
        case_id = uuid.uuid4().hex
        store = DisputeStore(uow.conn)
        store.create(
            {
                "id": case_id,
                "order_id": order.id,
                "order_no": str(order.body.get("order_no", "")),
                "platform_tenant_id": platform.id,
                "seller_tenant_id": seller.id,
                "opener_tenant_id": viewer.tenant_id,
                "subject_ref": store.subject_of(order.id),
                "reason": req.reason,
                "claim_amount": str(req.claim.amount),
                "currency": req.claim.currency,
                "state": core.State.OPEN.value,
                "opened_at": at,
                "response_due": dl.response_due,
                "resolution_due": dl.resolution_due,
                "deadline_source": dl.source,
            }
        )
        row = store.get(viewer.tenant_id, case_id)
        body = {
            "state": "open",
            "reason": req.reason,
            "claim": str(req.claim.amount),
            "currency": req.claim.currency,
            "response_due": dl.response_due.isoformat(),
            "resolution_due": dl.resolution_due.isoformat(),
        }
        _log(uow, row, viewer, "opened", at, body)
        if req.message is not None:
            _say(uow, row, viewer, req.message, at)
        uow.commit()
    return show_case(uow, viewer, case_id)


def seal_message(uow: UnitOfWork, row: Any, viewer: Viewer, text: str, at: datetime) -> str:
    """A message's text sealed under its author's key for the order's person (the key that
    seals what the author holds on them, :mod:`cbec.store.person_key_store`): the text may
    name them, and their erasure by the author shreds it with the rest (PIPL Art. 47). The
    deployment key when the order names no one by ID, or for a regulator, which is no
    controller answering data subject requests."""
    persons = uow.vault.persons
    if row.subject_ref is None or persons is None or viewer.role is Role.REGULATOR:
        return uow.vault.seal_value(KIND, row.id, "messages[].text", text)
    key = persons.for_subjects(viewer.tenant_id, [row.subject_ref], at)[row.subject_ref]
    persons.add([key])
    return uow.vault.seal_value(KIND, row.id, "messages[].text", text, key.key)


def _say(uow: UnitOfWork, row: Any, viewer: Viewer, text: str, at: datetime) -> None:
    state = core.after_message(core.State(row.state), viewer.tenant_id == row.opener_tenant_id)
    store = DisputeStore(uow.conn)
    token = seal_message(uow, row, viewer, text, at)
    message_id = store.add_message(row.id, viewer.tenant_id, at, token, None)
    body = {
        "state": state.value,
        "message": message_id,
        "text_hmac": uow.vault.fingerprint(f"{row.id}:{message_id}:".encode() + text.encode()),
    }
    index = _log(uow, row, viewer, "message", at, body)
    store.set_message_index(message_id, index)
    if state is not core.State(row.state):
        store.change(row.id, {"state": state.value, "responded_at": at})
        _log(uow, row, viewer, "responded", at, {"state": state.value})


def add_message(uow: UnitOfWork, viewer: Viewer, case_id: str, req: MessageRequest) -> CaseView:
    """A party's message; the first one from a party other than the opener answers the
    case (``responded``). 409 once the case is resolved or closed."""
    with uow.writing():
        row = _case(uow, viewer, case_id, lock=True)
        _say(uow, row, viewer, req.text, now())
        uow.commit()
    return show_case(uow, viewer, case_id)


def resolve_case(uow: UnitOfWork, viewer: Viewer, case_id: str, req: ResolveRequest) -> CaseView:
    """Rule on a case, or withdraw it (the opener): :func:`cbec.disputes.model.resolve`."""
    at = now()
    with uow.writing():
        row = _case(uow, viewer, case_id, lock=True)
        ruling = core.resolve(
            core.State(row.state),
            _side(row, viewer),
            viewer.tenant_id == row.opener_tenant_id,
            req.outcome,
            Decimal(row.claim_amount),
            req.refund_amount,
        )
        refund = None if ruling.refund is None else str(ruling.refund)
        values = {
            "state": ruling.state.value,
            "outcome": ruling.outcome.value,
            "refund_amount": refund,
            "resolved_at": at,
        }
        DisputeStore(uow.conn).change(row.id, values)
        body = {"state": ruling.state.value, "outcome": ruling.outcome.value, "refund": refund}
        _log(uow, row, viewer, ruling.state.value, at, body)
        uow.commit()
    return show_case(uow, viewer, case_id)


def show_case(
    uow: UnitOfWork, viewer: Viewer, case_id: str, at: datetime | None = None
) -> CaseView:
    """A case the caller is a party to, with its messages and events (404 otherwise)."""
    with uow:
        row = _case(uow, viewer, case_id)
        store = DisputeStore(uow.conn)
        messages, events = store.messages(row.id), store.events(row.id)
        ids = _parties(row) | {m.author_tenant_id for m in messages}
        names = _names(uow, ids | {e.actor_tenant_id for e in events})
        said = [
            MessageView(
                id=m.id,
                author=names[m.author_tenant_id],
                at=m.at,
                text=uow.vault.open_value(KIND, row.id, "messages[].text", m.text),
                ledger_index=m.ledger_index,
            )
            for m in messages
        ]
    happened = [
        EventView(
            event=e.event, at=e.at, actor=names[e.actor_tenant_id], ledger_index=e.ledger_index
        )
        for e in events
    ]
    return CaseView(**_summary(row, names, at or now()), messages=said, events=happened)


def list_cases(
    uow: UnitOfWork, viewer: Viewer, state: core.State | None = None, limit: int = 100
) -> CaseList:
    """The cases the caller is a party to, newest first."""
    at = now()
    with uow:
        rows = DisputeStore(uow.conn).list(viewer.tenant_id, state.value if state else None, limit)
        names = _names(uow, {t for r in rows for t in _parties(r)})
    return CaseList(cases=[CaseSummary(**_summary(r, names, at)) for r in rows])


def may_act(user: SessionUser) -> None:
    """The console's changes (open, message, resolve): an admin or operator of the tenant;
    a viewer only reads."""
    if user.role is UserRole.VIEWER:
        raise Forbidden("role_forbidden", {"allowed": "admin, operator"})
