"""Use cases of supervision (the regulator's console): order volumes by platform, seller,
destination and day over a range of the days the orders were placed; 三单对碰 failures and
rejected declarations by platform; and the market statistics with the figures whose stated
value disagrees with the one recomputed from its sources
(:func:`cbec.services.analytics.market_view`).

Every figure counts exactly what the caller may read — the volumes under the documents'
visibility clause (:mod:`cbec.store.supervision_store`), the 三单 failures through
:func:`cbec.services.customs.unmatched_orders` and the declarations through
:func:`cbec.services.customs.list_declarations` — so a platform that opens the page sees its
own figures and nothing of another's.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, timedelta

from pydantic import BaseModel, Field

from cbec.errors import DocumentInvalid, Violation
from cbec.services import customs
from cbec.store.repository import UnitOfWork
from cbec.store.supervision_store import SupervisionStore
from cbec.tenancy.access import Viewer
from cbec.trade.ports import now

MAX_DAYS = 366
DEFAULT_DAYS = 30  # a range given by one end only spans these days
CHECKED = 500  # the newest orders reconciled for the 三单 figures (as the dashboard)
DECLARATIONS = 1000  # the newest rejected declarations read


class VolumeQuery(BaseModel):
    """A range of UTC days, both included (default: the last 30 days; one end given: the
    30 days from or to it)."""

    date_from: date | None = None
    date_to: date | None = None


class Count(BaseModel):
    key: str
    orders: int


class Volumes(BaseModel):
    date_from: date
    date_to: date
    total: int
    by_platform: list[Count]
    by_seller: list[Count]
    by_destination: list[Count]
    by_day: list[Count] = Field(description="Every day of the range, oldest first")


class OrderRef(BaseModel):
    id: str
    order_no: str


class PlatformIssues(BaseModel):
    platform: str
    unmatched: list[OrderRef]


class DeclarerRejections(BaseModel):
    tenant: str
    rejected: int
    messages: dict[str, int]


class Exceptions(BaseModel):
    checked: int
    unmatched: list[PlatformIssues]
    rejected: list[DeclarerRejections]


FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(9000, 12, 31)  # days a range may name


def _range(query: VolumeQuery, today: date) -> tuple[date, date]:
    for name in ("date_from", "date_to"):
        day = getattr(query, name)
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            bounds = {"min": FIRST_DAY.isoformat(), "max": LAST_DAY.isoformat()}
            raise DocumentInvalid([Violation(name, "out_of_range", bounds)])
    if query.date_to is None and query.date_from is not None:
        end = query.date_from + timedelta(days=DEFAULT_DAYS - 1)
    else:
        end = query.date_to or today
    start = query.date_from or (end - timedelta(days=DEFAULT_DAYS - 1))
    if (end - start).days >= MAX_DAYS:
        raise DocumentInvalid([Violation("date_from", "date_range_too_long", {"max": MAX_DAYS})])
    if end < start:
        raise DocumentInvalid([Violation("date_to", "date_range_reversed", {})])
    return start, end


def _ranked(counter: Counter[str]) -> list[Count]:
    return [Count(key=k, orders=n) for k, n in sorted(counter.items(), key=lambda x: (-x[1], x[0]))]


def volumes(uow: UnitOfWork, caller: Viewer, query: VolumeQuery) -> Volumes:
    """Orders placed in the range (UTC days of their ``ordered_at``, not of their filing:
    orders imported in one go are counted on the days they were placed), counted by
    platform, seller, destination and day — over exactly the orders the caller may read."""
    start, end = _range(query, now().astimezone(UTC).date())
    lo = datetime.combine(start, time.min, UTC)
    hi = datetime.combine(end + timedelta(days=1), time.min, UTC)
    with uow:
        store = SupervisionStore(uow.conn)
        by = {
            dim: Counter(dict(store.volumes(caller, lo, hi, dim)))
            for dim in ("platform", "seller", "destination", "day")
        }
    days = [(start + timedelta(days=i)).isoformat() for i in range((end - start).days + 1)]
    return Volumes(
        date_from=start,
        date_to=end,
        total=sum(by["platform"].values()),
        by_platform=_ranked(by["platform"]),
        by_seller=_ranked(by["seller"]),
        by_destination=_ranked(by["destination"]),
        by_day=[Count(key=d, orders=by["day"][d]) for d in days],
    )


def exceptions(uow: UnitOfWork, caller: Viewer) -> Exceptions:
    """The newest orders that would fail 三单对碰, by platform, and the rejected
    declarations by declarer and message — each as the caller may read them."""
    found = customs.unmatched_orders(uow, caller, customs.UnmatchedQuery(limit=CHECKED))
    unmatched: defaultdict[str, list[OrderRef]] = defaultdict(list)
    for o in found.unmatched:
        unmatched[o.platform].append(OrderRef(id=o.id, order_no=o.order_no))
    rejected = customs.list_declarations(
        uow, caller, customs.DeclarationsQuery(state="rejected", limit=DECLARATIONS)
    )
    per: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for d in rejected:
        per[d.tenant][d.message] += 1
    return Exceptions(
        checked=found.checked,
        unmatched=[PlatformIssues(platform=p, unmatched=v) for p, v in sorted(unmatched.items())],
        rejected=[
            DeclarerRejections(tenant=t, rejected=sum(c.values()), messages=dict(sorted(c.items())))
            for t, c in sorted(per.items())
        ],
    )
