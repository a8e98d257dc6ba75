"""The dashboard counts exactly what its reader may open: the same orders the API lists for
the same caller, the decisions of those orders, and nothing of another seller's."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime
from decimal import Decimal

from lxml import html
from pydantic import SecretStr

from cbec.demo import synthetic
from cbec.services import overview, users
from tests.console.test_console_sign_in import PASSWORD, sign_in


def _file(client, parties):
    rng = random.Random(21)
    filed = {"seller-a": 3, "seller-b": 2}
    for who, n in filed.items():
        for i in range(n):
            order = synthetic.order(rng, "platform-a", who, f"DASH-{who}-{i}")
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
        assert o.orders_today == len(api) == sum(d.orders for d in o.by_day), who
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
            taxes[doc["currency"]] += Decimal(doc["tax_withheld"])
        assert o.tax_withheld == dict(taxes), who
    assert overview.overview(rt.uow(), parties["seller-a"].viewer).orders_today == 3


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
    assert any(f.strip().startswith("3") and "orders today" in f for f in figures)
    assert doc.xpath("//*[@data-chart='orders-by-day']")
    rows = doc.xpath("//section[.//*[@data-chart='orders-by-day']]//tbody/tr")
    assert len(rows) == 30 and rows[-1].xpath("td")[1].text == "3"
    assert doc.xpath("//script[@src='/static/vendor/echarts/echarts.min.js']")
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    client.cookies.set("cbec_lang", "zh")
    zh = client.get("/console")
    assert "今日订单" in zh.text and "近 30 天每日订单" in zh.text
