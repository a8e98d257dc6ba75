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
from cbec.services import customs, overview, users
from cbec.store.customs_store import DeclarationStore
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


def test_the_dashboard_counts_the_readers_declarations_by_state(rt, client, parties):
    made = {
        "seller-a": [("CEB621", "accepted")] * 2
        + [("CEB621", "cancelled"), ("CEB311", "rejected")],
        "seller-b": [("CEB311", "accepted")],
    }
    with rt.uow(write=True) as uow:
        store = DeclarationStore(uow.conn)
        for who, rows in made.items():
            for i, (message, state) in enumerate(rows):
                guid = f"{who}-{i}".upper().ljust(36, "0")
                store.create(parties[who].viewer.tenant_id, message, guid, f"K{i}", state)
        uow.commit()
    for who in ("seller-a", "seller-b", "regulator"):
        listed = customs.list_declarations(
            rt.uow(), parties[who].viewer, customs.DeclarationsQuery(limit=1000)
        )
        want: dict[str, Counter] = {}
        for d in listed:
            want.setdefault(d.message, Counter())[d.state] += 1
        got = overview.overview(rt.uow(), parties[who].viewer).declarations
        assert got == {m: dict(c) for m, c in want.items()}, who
    users.operator_create_user(
        rt.uow(),
        "seller-a",
        users.NewUser(login="ann@seller-a", role="viewer", password=SecretStr(PASSWORD)),
    )
    sign_in(client, "ann@seller-a")
    doc = html.fromstring(client.get("/console").content)
    (table,) = doc.xpath("//table[@id='declarations-by-state']")
    head = [th.text_content() for th in table.xpath("thead//th")]
    assert head == ["Message", "accepted", "rejected", "cancelled"]
    body = [[c.text_content() for c in tr.xpath("th|td")] for tr in table.xpath("tbody/tr")]
    assert body == [["Order (CEB311)", "0", "1", "0"], ["Inventory list (CEB621)", "2", "0", "1"]]
    client.cookies.set("cbec_lang", "zh")
    zh = client.get("/console").text
    assert "申报单证状态" in zh and "清单（CEB621）" in zh and "已撤销" in zh
