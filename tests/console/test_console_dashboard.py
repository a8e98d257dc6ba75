"""The dashboard counts exactly what its reader may open: the same orders the API lists for
the same caller, the decisions of those orders, and nothing of another seller's."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from lxml import html
from pydantic import SecretStr

from cbec.demo import synthetic
from cbec.services import overview, users
from tests.console.test_console_sign_in import PASSWORD, sign_in

# when each test order was placed, before its filing: today, days ago, before the window
AGO = [timedelta(0), timedelta(days=3), timedelta(days=45)]


def _file(client, parties):
    rng = random.Random(21)
    filed = {"seller-a": 3, "seller-b": 2}
    placed_base = datetime.now(UTC).replace(hour=0, minute=0, second=1, microsecond=0)
    for who, n in filed.items():
        for i in range(n):
            order = synthetic.order(rng, "platform-a", who, f"DASH-{who}-{i}")
            order["ordered_at"] = (placed_base - AGO[i]).isoformat().replace("+00:00", "Z")
            assert (
                client.post("/orders", json=order, headers=parties[who].headers).status_code == 201
            )
    return filed


def _api_orders(client, party) -> list[dict]:
    return client.get("/orders", params={"limit": 500}, headers=party.headers).json()["items"]


def test_figures_count_only_what_the_caller_may_read(rt, client, parties):
    _file(client, parties)
    for who in ("seller-a", "seller-b", "platform-a", "regulator"):
        api = _api_orders(client, parties[who])
        o = overview.overview(rt.uow(), parties[who].viewer)
        today = datetime.now(UTC).date()
        placed = Counter(
            datetime.fromisoformat(i["document"]["ordered_at"].replace("Z", "+00:00")).date()
            for i in api
        )
        # counted on the day each order was placed, not the day it was filed
        assert {d.day: d.orders for d in o.by_day if d.orders} == {
            day: n for day, n in placed.items() if (today - day).days < 30
        }, who
        assert o.orders_today == placed[today], who
        assert o.by_day[-1].day == today and len(o.by_day) == 30
        outcomes = Counter(
            d["outcome"]
            for item in api
            for d in client.get(
                f"/orders/{item['id']}/checks", headers=parties[who].headers
            ).json()["compliance"]
        )
        assert o.outcomes == dict(outcomes), who
        taxes: Counter = Counter()
        for item in api:
            doc = item["document"]
            when = datetime.fromisoformat(doc["ordered_at"].replace("Z", "+00:00")).date()
            if when >= today.replace(day=1):
                taxes[doc["currency"]] += Decimal(doc["tax_withheld"])
        assert o.tax_withheld == dict(taxes), who
    assert overview.overview(rt.uow(), parties["seller-a"].viewer).orders_today == 1


def test_the_dashboard_page_shows_the_figures_and_a_table_for_every_chart(rt, client, parties):
    _file(client, parties)
    users.operator_create_user(
        rt.uow(),
        "seller-a",
        users.NewUser(login="ann@seller-a", role="viewer", password=SecretStr(PASSWORD)),
    )
    sign_in(client, "ann@seller-a")
    page = client.get("/console")
    assert page.status_code == 200
    doc = html.fromstring(page.content)
    figures = [li.text_content() for li in doc.xpath("//ul[@class='figures']/li")]
    assert any(f.strip().startswith("1") and "orders today" in f for f in figures)
    assert doc.xpath("//*[@data-chart='orders-by-day']")
    rows = doc.xpath("//section[.//*[@data-chart='orders-by-day']]//tbody/tr")
    counts = [r.xpath("td")[1].text for r in rows]  # placed today, 3 days ago, 45 days ago
    assert len(rows) == 30 and counts[-1] == "1" and counts[-4] == "1" and counts.count("0") == 28
    assert doc.xpath("//script[@src='/static/vendor/echarts/echarts.min.js']")
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    client.cookies.set("cbec_lang", "zh")
    zh = client.get("/console")
    assert "今日订单" in zh.text and "近 30 天每日订单" in zh.text
