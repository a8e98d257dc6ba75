"""Use case of the compliance decisions list: the decisions of the orders a caller may see,
newest first, optionally of one outcome, a keyset page at a time (a cursor, never an
offset — :func:`cbec.services.documents.encode_cursor`).

Who sees a decision is who sees its order (:func:`cbec.store.visibility.visible`): a seller
its own orders', a platform those on it, a regulator all. A row names the order, its
platform and seller, the outcome, the rule-set version and the rules that fired — never a
personal field; the full decision is on the order (:func:`cbec.services.compliance.order_checks`).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from cbec.compliance.model import Outcome
from cbec.services.documents import decode_cursor, encode_cursor
from cbec.store.decision_list import visible_decisions
from cbec.store.repository import UnitOfWork
from cbec.tenancy.access import Viewer


class DecisionsQuery(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    outcome: Outcome | None = None
    limit: int = Field(50, ge=1, le=500)
    cursor: str | None = Field(None, max_length=64)


class DecisionRow(BaseModel):
    order_id: str
    order_no: str
    platform: str
    seller: str
    decided_at: str
    outcome: str
    ruleset_version: str
    rules: list[str]


class DecisionsPage(BaseModel):
    items: list[DecisionRow]
    next_cursor: str | None


def list_decisions(uow: UnitOfWork, caller: Viewer, query: DecisionsQuery) -> DecisionsPage:
    """The decisions the caller may see, newest first (module doc)."""
    bound = decode_cursor(query.cursor, newest_first=True)
    with uow:
        rows = visible_decisions(
            uow.conn, caller, before_id=bound, limit=query.limit, outcome=query.outcome
        )
    nxt = encode_cursor(rows[-1]["seq"], True) if len(rows) == query.limit else None
    return DecisionsPage(items=[DecisionRow.model_validate(r) for r in rows], next_cursor=nxt)
