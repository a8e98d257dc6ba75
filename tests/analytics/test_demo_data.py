"""The demo's year of activity is worth looking at: a small load gives every analytics view
something to find (backtested demand series, RFM segments, a year of cohorts, a CLV fit),
its peaks and dips fall on the dates the ``holidays`` package and the peaks file give, the
regulator's volumes spread over the days the orders were placed (not the one day the demo
filed them), and loading it again changes nothing."""

from __future__ import annotations

import contextlib
import json
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import get_args

import holidays
import pytest
from sqlalchemy import text

from cbec.customs import state
from cbec.demo import activity, loader
from cbec.services import analytics as svc
from cbec.services import (
    compliance,
    customs_timeline,
    hit_review,
    overview,
    sandboxes,
    supervision,
)
from cbec.services import customs as customs_svc
from cbec.services.analytics_models import CustomersQuery, DemandQuery
from cbec.store import repository
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from tests.conftest import DEMO_ANCHOR, ON_POSTGRES


def _orders(docs) -> list[dict]:
    return [d for (_filer, kind), batch in docs.items() if kind == "order" for d in batch]


def _week(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _cn_weeks(orders: list[dict]) -> Counter:
    return Counter(
        _week(date.fromisoformat(o["ordered_at"][:10]))
        for o in orders
        if o["destination_country"] == "CN"
    )


def _on(year: activity.Year, month: int, day: int) -> date:
    """The day ``month``-``day`` inside the demo year (its calendar year: the later one)."""
    found = [date(y, month, day) for y in (year.end.year, year.start.year)]
    return next(d for d in found if year.start <= d <= year.end)


def _holiday(year: activity.Year, country: str, name: str) -> date:
    """The first day of a holiday named ``name`` inside the demo year, by the package."""
    calendar = holidays.country_holidays(country, years=range(year.start.year, year.end.year + 1))
    return min(d for d, n in calendar.items() if name in n and year.start <= d <= year.end)


@pytest.mark.parametrize(
    "anchor",
    [datetime(2026, 11, 29, 23, 10, tzinfo=UTC), datetime(2027, 4, 21, 6, 45, 30, tzinfo=UTC)],
)
def test_the_year_has_its_peaks_and_dips_where_the_calendars_put_them(anchor):
    year = activity.Year.ending(anchor)
    assert year.start.weekday() == 0 and year.end == anchor.date() and 360 <= year.days <= 366
    orders = _orders(loader.documents("default", year))
    assert len(orders) == pytest.approx(loader.orders("default"), rel=0.01)
    placed = sorted(datetime.fromisoformat(o["ordered_at"].replace("Z", "+00:00")) for o in orders)
    # the year ends at its anchor (to the minute), on the anchor's day
    assert placed[0].date() >= year.start and year.end == placed[-1].date()
    assert placed[-1] <= anchor.replace(second=0)
    days = [t.date() for t in placed]
    assert len({(d.year, d.month) for d in days}) >= 12
    weeks = _cn_weeks(orders)
    first, last = year.start + timedelta(days=7), _week(year.end)

    def around(day: date) -> float:
        """A typical week near ``day``: the median of whole weeks three to five weeks away
        (the same season, and as many returning buyers as the year has gathered by then)."""
        week = _week(day)
        near = [week + timedelta(weeks=k) for k in (-5, -4, -3, 3, 4, 5)]
        counts = sorted(weeks[w] for w in near if first <= w < last)
        return counts[len(counts) // 2]

    # The weeks inside the Double 11 and 618 windows of the peaks file sell more than the
    # weeks around them …
    assert weeks[_week(_on(year, 11, 4))] > 2.5 * around(_on(year, 11, 4))
    assert weeks[_week(_on(year, 6, 10))] > 1.5 * around(_on(year, 6, 10))
    # … the Spring Festival week, from the package's Chinese calendar, less
    spring = _holiday(year, "CN", "Spring")
    assert weeks[_week(spring)] < 0.6 * around(spring)
    # US buyers' Black Friday: the day after Thanksgiving, from the package's US calendar
    thanksgiving = _holiday(year, "US", "Thanksgiving")
    us = Counter(
        date.fromisoformat(o["ordered_at"][:10]) for o in orders if o["destination_country"] == "US"
    )
    friday_to_monday = sum(us[thanksgiving + timedelta(days=k)] for k in range(1, 5))
    four_days_before = sum(us[thanksgiving - timedelta(days=k)] for k in range(7, 11))
    assert friday_to_monday > 1.8 * four_days_before
    # buyers come back: many buy more than once, a few often
    per_buyer = Counter(o["buyer"]["id_number"] for o in orders)
    repeaters = sum(1 for n in per_buyer.values() if n > 1)
    assert repeaters > 0.3 * len(per_buyer) and max(per_buyer.values()) >= 8
    # nothing is paid or tracked after the anchor
    small = loader.documents("small", year)
    paid = [p["paid_at"] for p in small[("yun-pay", "payment")]]
    tracked = [e["time"] for w in small[("hai-express", "waybill")] for e in w["events"]]
    late = [t for t in paid + tracked if datetime.fromisoformat(t.replace("Z", "+00:00")) > anchor]
    assert paid and tracked and not late


@pytest.mark.parametrize(
    "anchor",
    [datetime(2026, 12, 4, 15, 0, tzinfo=UTC), datetime(2027, 6, 30, 23, 59, tzinfo=UTC)],
)
def test_any_year_has_buyers_named_like_listed_people_on_the_screened_platform(anchor):
    """The console's hit queue is never empty on a fresh demo, whatever day it is loaded:
    buyers abroad named like the watchlist's people order from the exporting shops."""
    listed = [json.loads(line) for line in activity.WATCHLIST_FILE.read_text().splitlines()]
    people = {e["caption"] for e in listed if e["schema"] == "Person"}
    docs = loader.documents("small", activity.Year.ending(anchor))
    named = [o for o in _orders(docs) if o["buyer"]["name"] in people]
    assert len({o["seller"] for o in named}) >= 2
    assert {o["platform"] for o in named} == {"silk-mall"}


def test_a_small_load_feeds_every_view_and_loads_again_unchanged(rt, monkeypatch):
    tenants, counts = loader.load(rt, "small", DEMO_ANCHOR)
    year = loader.year(rt)
    assert year == activity.Year.ending(DEMO_ANCHOR)
    docs = loader.documents("small", year)
    assert counts["orders"]["created"] == len(_orders(docs))
    days = (year.start + timedelta(days=k) for k in range(year.days))
    months = len({(d.year, d.month) for d in days})
    waybills = docs[("hai-express", "waybill")]
    assert any(e["status"] == "returned" for w in waybills for e in w["events"])
    sellers = [t for t in tenants if t.role == "seller"]
    assert len(sellers) >= 3
    for t in sellers:
        with rt.uow() as uow:
            row = uow.repo.tenant_by_name(t.name)
        me = Viewer(row.id, t.name, Role.SELLER)
        customers = svc.customers_view(rt.uow(), me, CustomersQuery())
        filled = [s for s in customers.segments if s["customers"]]
        assert len(filled) >= 6, t.name
        # a cohort a month (the anchor's month may be too young for a first purchase)
        cohorts = len(customers.cohort_chart.model_dump()["values"])
        assert months - 1 <= cohorts <= months, t.name
        assert customers.repurchase_rate > 0.2, t.name
        # a CLV fit, or — where a small sample shows no dropout the models can separate —
        # the plain reason instead of infinities
        fitted = customers.clv.error is None
        assert fitted or "finite" in customers.clv.error, t.name
        assert fitted or t.name != "hz-beauty"
        demand = svc.demand_view(rt.uow(), me, DemandQuery(horizon=8))
        summary = demand.summary
        assert summary["series"] >= 4 and summary["series_backtested"] >= 0.75 * summary["series"]
        assert "longest has" in summary["dropped_models"].get("SeasonalNaive", "longest has")
    # amounts of one currency only: sz-gadgets' US and UK orders are counted and left out
    sz_orders = [o for o in _orders(docs) if o["seller"] == "sz-gadgets"]
    with rt.uow() as uow:
        sz_row = uow.repo.tenant_by_name("sz-gadgets")
    sz_view = svc.customers_view(
        rt.uow(), Viewer(sz_row.id, "sz-gadgets", Role.SELLER), CustomersQuery()
    )
    assert sz_view.currency == "CNY"
    assert sz_view.other_currency_orders == sum(o["currency"] != "CNY" for o in sz_orders) > 0
    assert sz_view.orders == sum(o["currency"] == "CNY" for o in sz_orders)
    sz = next(t for t in tenants if t.name == "sz-gadgets")
    with rt.uow() as uow:
        row = uow.repo.tenant_by_name(sz.name)
    figures = overview.overview(rt.uow(), Viewer(row.id, sz.name, Role.SELLER))
    assert figures.unmatched > 0  # some payments do not match their orders (三单对碰)
    # the customs office's side: its watchlist hit, its rule changed, its sandbox relaxed
    with rt.uow() as uow:
        reg = uow.repo.tenant_by_name("hz-customs")
    customs = Viewer(reg.id, "hz-customs", Role.REGULATOR)
    watched = {o["buyer"]["name"] for o in _orders(docs)} & set(activity.WATCHED.values())
    hits = hit_review.list_hits(rt.uow(), customs, hit_review.HitQuery(limit=100))
    listed = [json.loads(line) for line in activity.WATCHLIST_FILE.read_text().splitlines()]
    entity_of = {e["caption"]: e["id"] for e in listed}
    assert watched and {h.entity_id for h in hits if h.match} >= {entity_of[n] for n in watched}
    revisions = compliance.rule_history(rt.uow(), customs, "demo.flag.large-orders")
    assert [r.revision for r in revisions] == [1, 2]
    sandbox = sandboxes.sandbox_activity(rt.uow(), customs, 3650).firms["nb-home"]
    assert sandbox.relaxed_rules.get("demo.deny.candle-imports", 0) > 0
    assert overview.overview(rt.uow(), customs).outcomes.get("deny", 0) > 0
    query = customs_svc.DeclarationsQuery(limit=1000)
    declared = customs_svc.list_declarations(rt.uow(), customs, query)
    _every_state_is_declared(rt, customs, declared)
    assert all(e.info for d in declared for e in d.events if e.event == "receipt")
    # the dashboard of the anchor's day counts the orders the demo placed that day and month
    at_anchor = overview.overview(rt.uow(), customs, at=year.anchor)
    placed_on = Counter(
        datetime.fromisoformat(o["ordered_at"].replace("Z", "+00:00")).date() for o in _orders(docs)
    )
    assert at_anchor.orders_today == placed_on[year.end]
    month = year.end.replace(day=1)
    assert at_anchor.orders_month == sum(n for d, n in placed_on.items() if d >= month) > 0
    # run again forty days later: the year stays where the first load anchored it
    later = datetime.now(UTC) + timedelta(days=40)
    monkeypatch.setattr(repository, "now", lambda: later)
    monkeypatch.setattr(loader, "now", lambda: later)
    _, again = loader.load(rt, "small")
    assert loader.year(rt) == year
    assert all(c["created"] == 0 for c in again.values())
    assert again["orders"]["unchanged"] == counts["orders"]["created"]
    assert len(customs_svc.list_declarations(rt.uow(), customs, query)) == len(declared)
    assert len(compliance.rule_history(rt.uow(), customs, "demo.flag.large-orders")) == 2
    # the year filed in one go is counted on the days its orders were placed
    placed = Counter(
        datetime.fromisoformat(o["ordered_at"].replace("Z", "+00:00")).astimezone(UTC).date()
        for o in _orders(docs)
    )
    whole = supervision.VolumeQuery(date_from=year.start, date_to=year.end)
    volumes = supervision.volumes(rt.uow(), customs, whole)
    assert {date.fromisoformat(c.key): c.orders for c in volumes.by_day if c.orders} == placed
    assert volumes.total == sum(placed.values()) and len(placed) > 30


def _reachable(message: str) -> set[str]:
    """The states a declaration of ``message`` can take, walked from ``draft`` through the
    state machine of :mod:`cbec.customs.state` itself: its actions (the withdrawals only on
    the message they withdraw) and every receipt status from -1 to 120."""
    actions = {"declare"} | {a for target, a in state.WITHDRAWS.values() if target == message}
    seen, todo = {"draft"}, ["draft"]
    while todo:
        now = todo.pop()
        nexts = [state.ACTIONS[(now, a)] for a in actions if (now, a) in state.ACTIONS]
        for status in range(-1, 121):
            with contextlib.suppress(state.IllegalTransition):
                nexts.append(state.receive(now, status))
        for nxt in nexts:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _every_state_is_declared(rt, customs: Viewer, declared: list) -> None:
    """Every state a declaration is stored in (all of :data:`DeclarationState` but the
    ``draft`` a message leaves as it is declared) has a demo declaration of each message
    kind the demo declares that can take it, with receipts; most inventory lists are
    accepted; the dashboard counts them and an order's timeline shows a withdrawal."""
    stored = set(get_args(customs_svc.DeclarationState)) - {"draft"}
    assert _reachable("CEB621") - {"draft"} == stored  # the walk finds the whole machine
    by_message: dict[str, Counter] = {}
    for d in declared:
        by_message.setdefault(d.message, Counter())[d.state] += 1
    assert {"CEB311", "CEB621", "CEB623", "CEB625"} <= set(by_message)
    for message, states in by_message.items():
        assert set(states) == _reachable(message) - {"draft"}, message
    lists = by_message["CEB621"]
    assert lists["accepted"] > sum(lists.values()) / 2
    for d in declared:  # every state past "declared" came with a receipt or a withdrawal
        assert d.events[0].event == "declare" and d.events[-1].state == d.state
        if d.state != "declared":
            assert len(d.events) > 1, d
    figures = overview.overview(rt.uow(), customs)
    assert figures.declarations == {m: dict(c) for m, c in by_message.items()}
    cancelled = next(d for d in declared if d.message == "CEB621" and d.state == "cancelled")
    with rt.uow() as uow:
        found = uow.repo.list_documents(customs, "order", order_no=cancelled.key)
    timeline = customs_timeline.order_timeline(rt.uow(), customs, found[0].id)
    steps = [(e.message, e.event, e.state) for e in timeline.events]
    assert ("CEB621", "cancel", "cancelling") in steps
    assert ("CEB623", "receipt", "accepted") in steps
    assert steps[-1][0] in ("CEB621", "CEB623") and ("CEB621", "receipt", "cancelled") in steps


@pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL's planner statistics")
def test_the_demo_leaves_the_planner_statistics_of_what_it_filed(rt):
    """A demo load refreshes PostgreSQL's statistics (cbec.store.db.refresh_statistics): the
    planner's row count of ``documents`` is the table's, not that of the table emptied
    before it (plans made on those took minutes)."""
    loader.load(rt, 20, DEMO_ANCHOR)
    with rt.engine.connect() as conn:
        counted = conn.execute(text("SELECT count(*) FROM documents")).scalar_one()
        planned = conn.execute(
            text("SELECT reltuples FROM pg_class WHERE relname = 'documents'")
        ).scalar_one()
    assert counted > 100
    assert planned == counted
