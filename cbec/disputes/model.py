"""The dispute case, as a pure state machine (no web, no database).

A case is opened on one order by the order's platform, its seller or a regulator, for a
reason from :data:`REASONS` and a claim (an amount and its currency). Its parties are the
order's platform and seller, and the regulator that opened it, if one did.

States::

    open ──(a message from a party other than the opener)──▶ responded
    open | responded ──(resolve: refund_full, refund_partial, rejected)──▶ resolved
    open | responded ──(withdraw, by the opener)──▶ closed

``resolved`` and ``closed`` are final: nothing more is said or changed. The arbiters — the
order's platform and a regulator party — may give any ruling; the seller may only concede a
refund (full or partial), never reject its own buyer's claim. A partial refund is more than
zero and less than the claim, in the claim's currency; a full refund is the claim.

Deadlines are rule data (``data/deadlines.csv``: per reason, the days to the response and to
the resolution, each row dated and sourced), counted from the moment of opening.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from cbec import ruledata
from cbec.errors import Conflict, DocumentInvalid, Forbidden, Violation

DEADLINES = Path(__file__).resolve().parent / "data" / "deadlines.csv"
REASONS = (
    "not_received",
    "not_as_described",
    "damaged",
    "customs_refused",
    "unauthorised_charge",
    "other",
)


class State(StrEnum):
    OPEN = "open"
    RESPONDED = "responded"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Outcome(StrEnum):
    REFUND_FULL = "refund_full"
    REFUND_PARTIAL = "refund_partial"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class Side(StrEnum):
    """What a tenant is to a case."""

    PLATFORM = "platform"
    SELLER = "seller"
    REGULATOR = "regulator"


FINAL = (State.RESOLVED, State.CLOSED)
REFUNDS = (Outcome.REFUND_FULL, Outcome.REFUND_PARTIAL)


@dataclass(frozen=True)
class Deadlines:
    response_due: datetime
    resolution_due: datetime
    source: str


def load_rules(path: Path = DEADLINES) -> list[ruledata.Row]:
    """The deadline table, checked (a bad row is refused with file, line and column)."""
    rows = ruledata.load(path, required=("reason", "response_days", "resolution_days"))
    for row in rows:
        for column in ("response_days", "resolution_days"):
            if not row[column].isdigit() or int(row[column]) < 1:
                raise ruledata.RuleDataError(path, row.line, column, "must be a whole day count")
        if row["reason"] not in REASONS:
            raise ruledata.RuleDataError(path, row.line, "reason", "is not a dispute reason")
    return rows


def deadlines(rows: list[ruledata.Row], reason: str, opened_at: datetime) -> Deadlines:
    """When the response and the resolution of a case opened at ``opened_at`` are due: the
    rule row of ``reason`` in force on the day of opening (UTC)."""
    row = ruledata.one(rows, opened_at.date(), "dispute deadlines", reason=reason)
    return Deadlines(
        response_due=opened_at + timedelta(days=int(row["response_days"])),
        resolution_due=opened_at + timedelta(days=int(row["resolution_days"])),
        source=row.source,
    )


def overdue(state: State, dl: Deadlines, at: datetime) -> list[str]:
    """Which deadlines a case in ``state`` has missed at ``at``: ``response`` while nobody
    has answered the opener past its due time, ``resolution`` while it is undecided past
    its own."""
    out = []
    if state is State.OPEN and at > dl.response_due:
        out.append("response")
    if state not in FINAL and at > dl.resolution_due:
        out.append("resolution")
    return out


def check_claim(amount: Decimal, currency: str) -> list[Violation]:
    out = []
    if not amount.is_finite() or amount <= 0:
        out.append(Violation("claim.amount", "greater_than", {"gt": 0}))
    elif amount.as_tuple().exponent < -2:  # type: ignore[operator]
        out.append(Violation("claim.amount", "decimal_max_places", {"decimal_places": 2}))
    if len(currency) != 3 or not currency.isascii() or not currency.isupper():
        out.append(Violation("claim.currency", "currency_code"))
    return out


def _final(state: State) -> None:
    if state in FINAL:
        raise Conflict("dispute_final", {"state": state.value})


def after_message(state: State, by_opener: bool) -> State:
    """The state after a party's message: the first answer of a party other than the opener
    makes an open case ``responded``; a final case takes no messages (409)."""
    _final(state)
    if state is State.OPEN and not by_opener:
        return State.RESPONDED
    return state


@dataclass(frozen=True)
class Ruling:
    state: State
    outcome: Outcome
    refund: Decimal | None


def resolve(
    state: State,
    side: Side,
    by_opener: bool,
    outcome: Outcome,
    claim: Decimal,
    refund: Decimal | None,
) -> Ruling:
    """The ruling ``side`` gives a case in ``state`` (module doc): 409 for a final case, 403
    for a ruling the side may not give, 422 naming ``refund_amount`` for a refund that does
    not fit the outcome."""
    _final(state)
    if outcome is Outcome.WITHDRAWN:
        if not by_opener:
            raise Forbidden("dispute_withdraw_opener")
        if refund is not None:
            raise DocumentInvalid([Violation("refund_amount", "dispute_refund_unexpected")])
        return Ruling(State.CLOSED, outcome, None)
    if side is Side.SELLER and outcome not in REFUNDS:
        raise Forbidden("dispute_ruling_forbidden", {"outcome": outcome.value})
    if outcome is Outcome.REFUND_FULL:
        if refund is not None and refund != claim:
            raise DocumentInvalid([Violation("refund_amount", "dispute_refund_full")])
        return Ruling(State.RESOLVED, outcome, claim)
    if outcome is Outcome.REFUND_PARTIAL:
        if refund is None:
            raise DocumentInvalid([Violation("refund_amount", "missing")])
        if not refund.is_finite() or not Decimal(0) < refund < claim:
            params = {"claim": str(claim)}
            raise DocumentInvalid([Violation("refund_amount", "dispute_refund_partial", params)])
        return Ruling(State.RESOLVED, outcome, refund)
    if refund is not None:
        raise DocumentInvalid([Violation("refund_amount", "dispute_refund_unexpected")])
    return Ruling(State.RESOLVED, outcome, None)


def time_to_resolution(opened_at: datetime, resolved_at: datetime | None) -> timedelta | None:
    return None if resolved_at is None else resolved_at - opened_at
