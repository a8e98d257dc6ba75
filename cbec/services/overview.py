"""The dashboard's figures for a caller (the console's first page after sign-in): orders
today and this month and per day over the last 30 days, compliance outcomes, screening hits,
orders that would fail 三单对碰, tax withheld this month per currency — each over exactly
the documents the caller may read (:mod:`cbec.store.overview_store`) — and the caller's
customs declarations by message and state (a regulator: everyone's, as
:func:`cbec.services.customs.list_declarations` lists them)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from pydantic import BaseModel, Field

from cbec.services import customs
from cbec.store.customs_store import DeclarationStore
from cbec.store.overview_store import OverviewStore
from cbec.store.repository import UnitOfWork
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.trade.ports import now

DAYS = 30
UNMATCHED_CHECKED = 500  # the newest orders reconciled for the 三单 figure


class DayCount(BaseModel):
    day: date
    orders: int


class Overview(BaseModel):
    """Figures as of ``at`` (UTC days)."""

    at: datetime
    orders_today: int
    orders_month: int
    by_day: list[DayCount] = Field(description=f"The last {DAYS} days, oldest first")
    outcomes: dict[str, int] = Field(description=f"Compliance outcomes, last {DAYS} days")
    hits: int = Field(description=f"Screening matches, last {DAYS} days")
    unmatched: int = Field(description="Of the orders checked, those 三单对碰 would fail")
    unmatched_checked: int
    tax_withheld: dict[str, Decimal] = Field(description="This month, per currency")
    declarations: dict[str, dict[str, int]] = Field(
        description="The caller's customs declarations (a regulator: everyone's), by message "
        "and state"
    )


def _money(value: object) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)


def overview(uow: UnitOfWork, caller: Viewer, at: datetime | None = None) -> Overview:
    at = at or now()
    today = at.astimezone(UTC).date()
    first_day = today - timedelta(days=DAYS - 1)
    month = today.replace(day=1)
    since = datetime.combine(min(first_day, month), datetime.min.time(), UTC)
    end = datetime.combine(today + timedelta(days=1), datetime.min.time(), UTC)
    taxes: defaultdict[str, Decimal] = defaultdict(Decimal)
    with uow:
        store = OverviewStore(uow.conn)
        # counted on the day each order was placed, not filed: a backlog filed today is not
        # "today's orders" (an order placed after ``at`` is not counted yet)
        per_day = Counter(store.orders_by_day(caller, since, end))
        month_start = datetime.combine(month, datetime.min.time(), UTC)
        for currency, tax in store.taxes(caller, month_start, end):
            taxes[currency] += _money(tax)
        window = datetime.combine(first_day, datetime.min.time(), UTC)
        outcomes = store.outcomes_since(caller, window)
        hits = store.hits_since(caller, window)
        mine = None if caller.role is Role.REGULATOR else caller.tenant_id
        declarations = DeclarationStore(uow.conn).count_by_state(mine)
    days = [first_day + timedelta(days=i) for i in range(DAYS)]
    unmatched = customs.unmatched_orders(
        uow, caller, customs.UnmatchedQuery(limit=UNMATCHED_CHECKED)
    )
    return Overview(
        at=at,
        orders_today=per_day[today],
        orders_month=sum(n for day, n in per_day.items() if day >= month),
        by_day=[DayCount(day=d, orders=per_day[d]) for d in days],
        outcomes=outcomes,
        hits=hits,
        unmatched=len(unmatched.unmatched),
        unmatched_checked=unmatched.checked,
        tax_withheld=dict(taxes),
        declarations=declarations,
    )
