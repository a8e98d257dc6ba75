"""The analytics pages draw exactly what the API answers the same caller — RFM segments,
cohort retention, the CLV distribution, a series' forecast with its intervals and the stock
targets — in English and Chinese, and nothing of another seller's buyers."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from lxml import html
from pydantic import SecretStr
from sqlalchemy import text

from cbec.api.app import create_app
from cbec.demo import loader, synthetic
from cbec.services import users
from tests.conftest import DEMO_ANCHOR, emptied
from tests.console.test_console_seller import csv_rows, xlsx_rows
from tests.console.test_console_sign_in import PASSWORD, sign_in


def _chart_data(page) -> dict:
    doc = html.fromstring(page.content)
    (block,) = doc.xpath("//script[@id='chart-data']")
    return json.loads(block.text)


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture(scope="module")
def small_demo(session_rt):
    """The small demo in an emptied database, loaded once for the tests that only read it
    (loading it takes a quarter of a minute), and a client of its own: the small demo's
    tenants by name (each with its API key and console admin)."""
    tenants, _ = loader.load(emptied(session_rt), "small", DEMO_ANCHOR)
    app = create_app(session_rt, integrate_in_background=False, deliver_in_background=False)
    with TestClient(app) as own:  # no background threads outliving the module's tests
        yield own, {t.name: t for t in tenants}


@pytest.fixture
def client_and_demo(small_demo, session_rt):
    """The module's demo, still there (a test in between would have emptied the database)."""
    own, demo = small_demo
    with session_rt.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM tenants")).scalar() == len(demo)
    own.cookies.clear()
    return own, demo


def test_customer_charts_are_the_apis_figures_in_both_languages(client_and_demo):
    client, demo = client_and_demo
    seller = demo["hz-beauty"]
    api = client.get("/analytics/customers", headers=_bearer(seller.api_key))
    assert api.status_code == 200, api.text
    body = api.json()
    assert sign_in(client, seller.admin_login, seller.admin_password).status_code == 303
    page = client.get("/console/analytics")
    assert page.status_code == 200, page.text
    charts = _chart_data(page)
    assert charts["rfm"]["values"] == [s["customers"] for s in body["segments"]]
    assert charts["cohorts"]["spec"] == body["cohort_chart"]
    assert charts["clv"]["spec"] == body["clv"]["chart"]
    doc = html.fromstring(page.content)
    # the table beside the bar chart: one row per segment, the same counts
    rows = doc.xpath("//section[.//*[@data-chart='rfm']]//tbody/tr")
    assert [int(r.xpath("td")[0].text.replace(",", "")) for r in rows] == charts["rfm"]["values"]
    assert "Champions" in charts["rfm"]["labels"]
    assert doc.xpath("//nav//a[@href='/console/analytics']")
    client.cookies.set("cbec_lang", "zh")
    zh = client.get("/console/analytics")
    zh_charts = _chart_data(zh)
    assert zh_charts["cohorts"]["spec"] == body["cohort_chart"]
    assert "冠军客户" in zh_charts["rfm"]["labels"] and "月度同期群留存" in zh.text
    assert zh_charts["rfm"]["values"] == charts["rfm"]["values"]


def test_demand_chart_and_stock_targets_are_the_apis(client_and_demo):
    client, demo = client_and_demo
    seller = demo["hz-beauty"]
    h = _bearer(seller.api_key)
    every = client.get("/analytics/demand", headers=h).json()
    listed = [s["id"] for s in every["series"]]
    pick = listed[1]
    one = client.get("/analytics/demand", params={"series": pick}, headers=h)
    assert one.status_code == 200, one.text
    sign_in(client, seller.admin_login, seller.admin_password)
    page = client.get("/console/analytics/demand", params={"series": pick})
    assert page.status_code == 200, page.text
    chart = _chart_data(page)["forecast"]
    assert chart["spec"] == one.json()["chart"] and chart["spec"]["series"] == pick
    doc = html.fromstring(page.content)
    assert doc.xpath("//select[@name='series']/option/@value") == listed
    assert doc.xpath("//option[@selected]/@value") == [pick]
    # the forecast table: one row per week ahead, the API's numbers rounded to 0.1
    rows = doc.xpath("//section[.//*[@data-chart='forecast']]//tbody/tr")
    expected = [r["forecast"] for r in one.json()["forecasts"]]
    assert [float(r.xpath("td")[0].text.replace(",", "")) for r in rows] == [
        round(v, 1) for v in expected
    ]
    # stock targets: the API's replenishment for the same demand and stock rows
    demand = [
        {"sku": r["sku"], "warehouse": r["market"], "mean": r["forecast"], "std": r["sigma"]}
        for r in every["forecasts"]
        if r["step"] == 1
    ]
    means: dict[str, list[float]] = {}
    for r in every["forecasts"]:
        means.setdefault(r["unique_id"], []).append(r["forecast"])
    for d in demand:
        values = means[f"{d['sku']}|{d['warehouse']}"]
        d["mean"] = sum(values) / len(values)
    stock = [
        {"sku": d["sku"], "warehouse": d["warehouse"], "on_hand": 0, "lead_time": 2} for d in demand
    ]
    api = client.post(
        "/analytics/replenishment", json={"demand": demand, "stock": stock}, headers=h
    ).json()
    table = doc.xpath("//section[@aria-labelledby='stock-title']//tbody/tr")
    assert len(table) == len(api["suggestions"]) == len(listed)
    for row, s in zip(table, api["suggestions"], strict=True):
        cells = [c.text_content().strip() for c in row.xpath("th|td")]
        assert cells[:2] == [s["sku"], s["warehouse"]]
        assert float(cells[3].replace(",", "")) == round(s["safety_stock"], 1)
    # the table's export: its rows and columns, the numbers as shown, written plain
    shown = [[c.text_content().strip() for c in row.xpath("th|td")] for row in table]
    links = doc.xpath("//section[@aria-labelledby='stock-title']//p[@class='exports']/a/@href")
    assert links == [f"/console/analytics/demand/stock-targets.{f}" for f in ("csv", "xlsx")]
    for link, read in zip(links, (csv_rows, xlsx_rows), strict=True):
        header, *rows = read(client.get(link))
        assert header == [
            c.text_content()
            for c in doc.xpath("//section[@aria-labelledby='stock-title']//thead//th")
        ]
        assert [r[:2] for r in rows] == [c[:2] for c in shown]
        assert [[float(v) for v in r[2:]] for r in rows] == [
            [float(v.replace(",", "")) for v in c[2:]] for c in shown
        ]
        keys = ("mean_demand", "safety_stock", "reorder_point", "order_up_to")
        assert [[float(v) for v in r[3:5]] for r in rows] == [
            [round(s[k], 1) for k in keys[1:3]] for s in api["suggestions"]
        ]
    client.cookies.set("cbec_lang", "zh")
    zh = client.get("/console/analytics/demand", params={"series": pick})
    assert _chart_data(zh)["forecast"]["spec"] == chart["spec"] and "安全库存" in zh.text


def _seller_orders(client, parties, who: str, prefix: str, buyers: int, n: int) -> set[str]:
    """``n`` orders of ``buyers`` repeat buyers over a year; their account ids."""
    rng = random.Random(prefix)
    people = [synthetic.order(rng, "platform-a", who, "x")["buyer"] for _ in range(buyers)]
    for i in range(n):
        when = datetime(2025, 1, 1, 9, tzinfo=UTC) + timedelta(days=9 * i)
        order = synthetic.order(rng, "platform-a", who, f"{prefix}-{i}", when=when)
        order["buyer"] = people[i % buyers]
        r = client.post("/orders", json=order, headers=parties[who].headers)
        assert r.status_code == 201, r.text
    return {p["account_id"] for p in people}


def test_a_seller_sees_only_its_own_buyers(rt, client, parties):
    _seller_orders(client, parties, "seller-a", "A", 5, 30)
    _seller_orders(client, parties, "seller-b", "B", 9, 45)
    users.operator_create_user(
        rt.uow(),
        "seller-a",
        users.NewUser(login="ann@seller-a", role="viewer", password=SecretStr(PASSWORD)),
    )
    sign_in(client, "ann@seller-a")
    page = client.get("/console/analytics")
    assert page.status_code == 200, page.text
    charts = _chart_data(page)
    api = client.get("/analytics/customers", headers=parties["seller-a"].headers).json()
    assert sum(charts["rfm"]["values"]) == api["customers"] == 5
    assert charts["cohorts"]["spec"] == api["cohort_chart"]
    figures = html.fromstring(page.content).xpath("//ul[@class='figures']/li/span/text()")
    assert figures[:2] == ["5", "30"]


def test_too_little_data_is_said_plainly(rt, client, parties):
    rng = random.Random(5)
    for i in range(12):
        order = synthetic.order(rng, "platform-a", "seller-a", f"FEW-{i}")
        assert client.post("/orders", json=order, headers=parties["seller-a"].headers).is_success
    users.operator_create_user(
        rt.uow(),
        "seller-b",
        users.NewUser(login="bob@seller-b", role="viewer", password=SecretStr(PASSWORD)),
    )
    users.operator_create_user(
        rt.uow(),
        "seller-a",
        users.NewUser(login="ann@seller-a", role="viewer", password=SecretStr(PASSWORD)),
    )
    sign_in(client, "bob@seller-b")
    page = client.get("/console/analytics")
    notice = html.fromstring(page.content).xpath("//p[@class='notice']")[0].text_content()
    assert page.status_code == 200 and "0 orders with a known buyer are too few" in notice
    sign_in(client, "ann@seller-a")
    page = client.get("/console/analytics/demand")
    api = client.get("/analytics/demand", headers=parties["seller-a"].headers)
    assert api.status_code == 400 and api.json()["code"] == "analytics_too_short"
    notice = html.fromstring(page.content).xpath("//p[@class='notice']")[0].text_content()
    assert notice == api.json()["detail"] and "longest demand series has" in notice
    client.cookies.set("cbec_lang", "zh")
    zh = client.get("/console/analytics/demand")
    assert "回测至少需要" in zh.text


def test_a_missing_lifetime_value_is_explained_in_the_page_language(
    rt, client, parties, monkeypatch
):
    from cbec.analytics import clv
    from cbec.console.analytics_pages import CLV_REASONS
    from cbec.console.i18n import translations
    from cbec.services import analytics

    def diverged(*args, **kwargs):
        raise ValueError("no repeat buyers to fit")

    monkeypatch.setattr(clv, "fit_bgnbd", diverged)
    monkeypatch.setattr(analytics.RESULTS, "items", {})
    _seller_orders(client, parties, "seller-a", "CLV", 4, 24)
    api = client.get("/analytics/customers", headers=parties["seller-a"].headers).json()
    assert api["clv"]["reason"] == "fit_failed" and api["clv"]["chart"] is None
    users.operator_create_user(
        rt.uow(),
        "seller-a",
        users.NewUser(login="ann@seller-a", role="viewer", password=SecretStr(PASSWORD)),
    )
    sign_in(client, "ann@seller-a")
    client.cookies.set("cbec_lang", "zh")
    page = client.get("/console/analytics")
    doc = html.fromstring(page.content)
    assert "clv" not in _chart_data(page)
    notice = doc.xpath("//section[@aria-labelledby='clv-title']//p[@class='notice']")[0]
    assert translations("zh").gettext(CLV_REASONS["fit_failed"]) in notice.text_content()
