"""The supervision page: order volumes by platform, seller, destination and day equal a
count made here over the orders filed here, for exactly the orders the reader may read, each
counted on the day it was placed (not the day it was filed); a date range filters them;
orders that would fail 三单对碰 are counted by platform with links; and the market
statistics show every stated figure that disagrees with the one recomputed from the
published figures (recomputed here again from the CSV, independently)."""

from __future__ import annotations

import csv
import random
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from lxml import html
from pydantic import SecretStr

from cbec.analytics.market import FIGURES
from cbec.demo import synthetic
from cbec.services import users
from tests.console.test_console_sign_in import PASSWORD, sign_in

FILED = [  # platform, seller, destination, how many
    ("platform-a", "seller-a", "CN", 3),
    ("platform-a", "seller-b", "CN", 2),
    ("platform-b", "seller-a", "CN", 1),
    ("platform-b", "seller-b", "DE", 2),
]


# the n-th order filed was placed AGO[n % 4] days before today: all are filed today
AGO = (0, 2, 9, 40)  # the last one before the default 30 days


def _placed(n: int) -> tuple[str, date]:
    """The n-th order's ``ordered_at`` and the UTC day it names: at 06:00 in China on the
    day after, which is 22:00 UTC on the day itself."""
    day = datetime.now(UTC).date() - timedelta(days=AGO[n % len(AGO)])
    at = datetime.combine(day + timedelta(days=1), time(6), UTC).replace(tzinfo=None)
    return at.isoformat() + "+08:00", day


def _file(client, parties) -> list[tuple[str, str, str, date]]:
    rng = random.Random(11)
    filed = []
    for platform, seller, destination, n in FILED:
        for i in range(n):
            order = synthetic.order(rng, platform, seller, f"SUP-{platform}-{seller}-{i}")
            order["ordered_at"], day = _placed(len(filed))
            if destination != "CN":  # an export to Germany: a German phone number
                order["destination_country"] = destination
                for party in ("buyer", "consignee"):
                    order[party] = order[party] | {"phone": "+49 30 901820"}
            r = client.post("/orders", json=order, headers=parties[seller].headers)
            assert r.status_code == 201, r.text
            filed.append((platform, seller, destination, day))
    return filed


def _user(rt, tenant: str, login: str) -> str:
    users.operator_create_user(
        rt.uow(), tenant, users.NewUser(login=login, role="viewer", password=SecretStr(PASSWORD))
    )
    return login


def _table(page, table_id: str) -> dict[str, int]:
    doc = html.fromstring(page.content)
    out = {}
    for tr in doc.xpath(f"//table[@id='{table_id}']/tbody/tr"):
        # a day is shown in the page's language; its <time> element names it in ISO 8601
        cells = [
            (td.xpath("time/@datetime") or [td.text_content()])[0].strip() for td in tr.xpath("td")
        ]
        if len(cells) == 2:
            out[cells[0]] = int(cells[1])
    return out


def test_volumes_equal_a_count_of_the_orders_filed_as_each_reader_may_read_them(
    rt, client, parties
):
    filed = _file(client, parties)
    today = datetime.now(UTC).date()
    window = [today - timedelta(days=i) for i in range(30)]  # the page's default range
    readers = {
        "regulator": lambda p, s: True,
        "platform-a": lambda p, s: p == "platform-a",
        "seller-b": lambda p, s: s == "seller-b",
    }
    for tenant, may_read in readers.items():
        sign_in(client, _user(rt, tenant, f"v@{tenant}"))
        page = client.get("/console/supervision")
        assert page.status_code == 200, tenant
        mine = [(p, s, d, day) for p, s, d, day in filed if may_read(p, s) and day in window]
        assert _table(page, "by-platform") == dict(Counter(o[0] for o in mine)), tenant
        assert _table(page, "by-seller") == dict(Counter(o[1] for o in mine)), tenant
        assert _table(page, "by-destination") == dict(Counter(o[2] for o in mine)), tenant
        by_day = _table(page, "by-day")
        placed = Counter(o[3] for o in mine)
        assert by_day == {str(d): placed[d] for d in window}, tenant
        assert sum(by_day.values()) == len(mine) > by_day[str(today)], tenant
        # the charts draw the same figures (console.js reads this block)
        doc = html.fromstring(page.content)
        data = doc.xpath("//script[@id='chart-data']/text()")[0]
        assert '"by-platform"' in data and doc.xpath("//*[@data-chart='by-seller']")
    # the regulator's nav leads here; a platform's does not
    assert "/console/supervision" not in client.get("/console").text


def test_the_date_range_filters_and_a_bad_range_is_refused_naming_the_field(rt, client, parties):
    filed = _file(client, parties)
    sign_in(client, _user(rt, "regulator", "v@regulator"))
    today = datetime.now(UTC).date()
    later = client.get("/console/supervision", params={"date_from": str(today + timedelta(1))})
    assert later.status_code == 200 and _table(later, "by-platform") == {}
    placed = Counter(o[3] for o in filed)
    for day in (today, *placed):  # each day: the orders placed on it, though all filed today
        one = {"date_from": str(day), "date_to": str(day)}
        assert _table(client.get("/console/supervision", params=one), "by-day") == {
            str(day): placed[day]
        }
    oldest = {"date_from": str(min(placed)), "date_to": str(today)}
    assert sum(_table(client.get("/console/supervision", params=oldest), "by-day").values()) == 8
    reversed_ = client.get(
        "/console/supervision", params={"date_from": str(today), "date_to": "2020-01-01"}
    )
    assert reversed_.status_code == 422
    assert html.fromstring(reversed_.content).xpath("//ul[@role='alert']//code/text()") == [
        "date_to"
    ]
    assert client.get("/console/supervision", params={"date_from": "2020-13-01"}).status_code == 422
    for params in ({"date_from": "9999-12-31"}, {"date_to": "0001-01-02"}):
        edge = client.get("/console/supervision", params=params)
        assert edge.status_code == 422, params
        fields = html.fromstring(edge.content).xpath("//ul[@role='alert']//code/text()")
        assert fields == list(params)


def test_unmatched_orders_are_counted_by_platform_with_links(rt, client, parties):
    filed = _file(client, parties)  # no payment or waybill: none would pass 三单对碰
    sign_in(client, _user(rt, "regulator", "v@regulator"))
    page = html.fromstring(client.get("/console/supervision").content)
    rows = {
        tr.xpath("td")[0].text_content(): tr
        for tr in page.xpath("//table[@id='unmatched']/tbody/tr")
    }
    expected = Counter(o[0] for o in filed)
    assert {p: int(tr.xpath("td")[1].text_content()) for p, tr in rows.items()} == expected
    links = rows["platform-a"].xpath(".//a/@href")
    assert len(links) == expected["platform-a"]
    assert all(link.startswith("/console/orders/") for link in links)
    assert client.get(links[0]).status_code == 200
    sign_in(client, _user(rt, "platform-a", "v@platform-a"))
    page = html.fromstring(client.get("/console/supervision").content)
    assert [
        tr.xpath("td")[0].text_content() for tr in page.xpath("//table[@id='unmatched']/tbody/tr")
    ] == ["platform-a"]


def _disagreeing() -> set[tuple[str, str, str, str]]:
    """Stated growth rates and shares that differ from those recomputed from the published
    values by more than 0.1 percentage point — computed here from the CSV itself."""
    with FIGURES.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    value = {(r["metric"], r["scope"], r["period"]): Decimal(r["value"]) for r in rows}
    out = set()
    for r in rows:
        for pair in filter(None, r["reported_derived"].split(";")):
            name, _, stated = pair.partition("=")
            if name == "yoy_growth":
                base = value.get((r["metric"], r["scope"], str(int(r["period"]) - 1)))
            else:
                base = value.get((r["metric"], "total", r["period"]))
            if not base:
                continue
            this = value[(r["metric"], r["scope"], r["period"])]
            recomputed = (this / base - 1) * 100 if name == "yoy_growth" else this / base * 100
            if abs(Decimal(stated.rstrip("%")) - recomputed) > Decimal("0.105"):
                out.add((r["metric"], r["scope"], r["period"], name))
    return out


def test_the_market_view_highlights_each_stated_figure_that_disagrees(rt, client, parties):
    sign_in(client, _user(rt, "regulator", "v@regulator"))
    page = html.fromstring(client.get("/console/supervision").content)
    flagged = {
        tuple(td.text_content().strip() for td in tr.xpath("td")[:4])
        for tr in page.xpath("//table[@id='market-checks']/tbody/tr[@class='disagrees']")
    }
    expected = _disagreeing()
    assert expected and flagged == expected
    assert page.xpath("//table[@id='market-checks']/tbody/tr[@class='disagrees']//strong")
    sources = page.xpath("//h3[contains(., 'Sources')]/following-sibling::ul[1]/li/text()")
    assert any("100EC.CN" in s for s in sources)
    client.cookies.set("cbec_lang", "zh")
    zh = client.get("/console/supervision")
    assert zh.status_code == 200
    for text in ("市场统计", "公布值与重算值", "不一致：", "各平台订单量", "三单对碰"):
        assert text in zh.text


def test_rejected_declarations_are_counted_by_declarer_as_each_reader_may_read_them(
    rt, client, parties
):
    from cbec.customs import build
    from cbec.customs import xml as cx
    from tests.customs.test_customs_api import _profiles, _receipt
    from tests.customs.test_customs_build import AT, REG, sale

    _profiles(rt, parties)
    h = {**parties["platform-a"].headers, "Content-Type": "application/xml"}
    outcomes = {}
    for n, statuses in ((41, (2, 100)), (42, (2, 100)), (43, (2, 3, 120))):
        order, payment, _ = sale(n)
        msg = build.ceb311(order, REG, at=AT, payment=payment)
        record = msg.order[0].order_head.guid
        assert client.post("/customs/messages", content=cx.write(msg), headers=h).is_success
        for status in statuses:
            r = client.post(
                "/customs/messages", content=_receipt(record, order["order_no"], status), headers=h
            )
            assert r.status_code == 200, r.text
        outcomes[record] = r.json()["declarations"][0]["state"]
    rejected = Counter(outcomes.values())["rejected"]
    assert rejected == 2
    for tenant, expected in (("regulator", rejected), ("platform-a", rejected), ("platform-b", 0)):
        sign_in(client, _user(rt, tenant, f"v@{tenant}"))
        page = html.fromstring(client.get("/console/supervision").content)
        rows = [
            [td.text_content().strip() for td in tr.xpath("td")]
            for tr in page.xpath("//table[@id='rejected']/tbody/tr")
        ]
        if expected:
            assert rows == [["platform-a", str(expected), f"CEB311: {expected}"]], tenant
        else:
            assert len(rows) == 1 and len(rows[0]) == 1, tenant  # "No rejected declaration."
