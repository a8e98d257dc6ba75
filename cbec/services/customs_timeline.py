"""The customs timeline of one stored order: every declaration event of the messages that
concern it — its CEB311 order and CEB621 inventory list (and the CEB623/625 that withdraw
it), keyed by the order number; the CEB411 of its payments, keyed by their transaction ids;
the CEB511 of its waybills, keyed by their waybill numbers — with the receipts' return
statuses and notes, oldest first.

It reads what :func:`cbec.services.customs.list_declarations` reads, with the same rule of
who sees what: the caller's own declarations (a regulator's: everyone's), of an order the
caller may see (any other is "not found", as in the API). The events carry no personal data:
business keys, record guids, states, return statuses and customs' notes.
"""

from __future__ import annotations

from pydantic import BaseModel

from cbec.errors import NotFound
from cbec.store.customs_store import DeclarationStore
from cbec.store.repository import UnitOfWork
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.trade.kinds import KINDS

ORDER_MESSAGES = ("CEB311", "CEB621", "CEB623", "CEB625")  # keyed by the order number


class TimelineEvent(BaseModel):
    """One step of a declaration: ``declare`` (a message sent), ``receipt`` (customs' answer,
    with its ``returnStatus`` and note), ``cancel`` or ``return`` (a withdrawal started)."""

    at: str
    message: str
    record_guid: str
    key: str
    declarer: str
    event: str
    return_status: int | None
    info: str | None
    state: str
    ledger_index: int | None


class Timeline(BaseModel):
    order_id: str
    order_no: str
    events: list[TimelineEvent]


def order_timeline(uow: UnitOfWork, caller: Viewer, doc_id: str) -> Timeline:
    """The customs messages and receipts of a stored order the caller may see (module doc)."""
    with uow:
        doc = uow.repo.get_document(caller, "order", doc_id)
        if doc is None:
            raise NotFound("not_found", {"kind": "order"})
        order_no = str(doc.body.get("order_no", ""))
        keys = [(m, order_no) for m in ORDER_MESSAGES]
        platform = doc.body.get("platform")
        platform_t = uow.repo.tenant_by_name(platform) if isinstance(platform, str) else None
        for kind, message, field in (
            ("payment", "CEB411", "transaction_id"),
            ("waybill", "CEB511", "waybill_no"),
        ):
            related = uow.repo.list_documents(
                caller,
                kind,
                order_no=order_no,
                platform_id=platform_t.id if platform_t else -1,
                limit=20,
            )
            for d in related:
                body = uow.vault.open(kind, d.id, KINDS[kind].pii, d.body, clear=False)
                value = body.get(field)
                if isinstance(value, str):
                    keys.append((message, value))
        mine = None if caller.role is Role.REGULATOR else caller.tenant_id
        rows = DeclarationStore(uow.conn).events_of(mine, keys)
    return Timeline(
        order_id=doc_id,
        order_no=order_no,
        events=[TimelineEvent.model_validate(r) for r in rows],
    )
