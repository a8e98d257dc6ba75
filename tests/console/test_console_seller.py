"""The seller's and platform's views: the orders list and its filters, the order's customs
timeline, unmatched 三单, compliance decisions and their exports. Oracles: the documents filed
in the test, filtered again here; the API's answers for the same caller."""

from __future__ import annotations

import contextlib
import csv
import io
import random
from datetime import UTC, datetime, timedelta

import pytest
from lxml import html
from openpyxl import load_workbook
from pydantic import SecretStr

from cbec.compliance.model import OUTCOMES
from cbec.console.i18n import translations
from cbec.console.pages import outcome_label
from cbec.demo import synthetic
from cbec.errors import Conflict
from cbec.services import users
from cbec.store.days import FEW_PLACED
from tests.console.test_console_sign_in import PASSWORD, sign_in

SALES = [  # (order number, platform, seller)
    ("SV-A1", "platform-a", "seller-a"),
    ("SV-A2", "platform-a", "seller-a"),
    ("SV-A3", "platform-b", "seller-a"),
    ("SV-B1", "platform-a", "seller-b"),
    ("SV-B2", "platform-b", "seller-b"),
]
REVIEWED = "SV-A2"  # its first line reads as weapon wording: the rules do not just allow it


def file_sales(client, parties) -> dict[str, dict]:
    """The orders of SALES, filed by their sellers; number -> (API view of the filer)."""
    rng = random.Random(14)
    out = {}
    for no, platform, seller in SALES:
        order = synthetic.order(rng, platform, seller, no)
        if no == REVIEWED:
            order["lines"][0]["name"] = "toy water pistol"
        r = client.post("/orders", json=order, headers=parties[seller].headers)
        assert r.status_code == 201, r.text
        out[no] = r.json()
    return out


def console_user(rt, client, tenant: str, lang: str = "en", role: str = "viewer") -> None:
    login = f"{role}@{tenant}"
    new = users.NewUser(login=login, role=role, password=SecretStr(PASSWORD))
    with contextlib.suppress(Conflict):  # signed in before in this test
        users.operator_create_user(rt.uow(), tenant, new)
    assert sign_in(client, login).status_code == 303
    client.cookies.set("cbec_lang", lang)


def rows_of(page) -> list[list[str]]:
    doc = html.fromstring(page.content)
    return [
        [td.text_content().strip() for td in tr.xpath("td")]
        for tr in doc.xpath("//table[@class='list']/tbody/tr")
    ]


def api_orders(client, party, **params) -> list[dict]:
    items, cursor = [], None
    while True:
        query = {"limit": 2, "newest_first": "true", **params}
        if cursor:
            query["cursor"] = cursor
        r = client.get("/orders", params=query, headers=party.headers)
        assert r.status_code == 200, r.text
        items += r.json()["items"]
        cursor = r.json()["next_cursor"]
        if not cursor:
            return items


def outcomes_of(client, party, doc_id: str) -> set[str]:
    checks = client.get(f"/orders/{doc_id}/checks", headers=party.headers).json()
    return {d["outcome"] for d in checks["compliance"]}


def csv_rows(response) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, for Excel
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[list[str]]:
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return [
        ["" if v is None else str(v) for v in row]
        for row in book.active.iter_rows(values_only=True)
    ]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_seller_page_in_both_languages(rt, client, parties, lang):
    filed = file_sales(client, parties)
    console_user(rt, client, "seller-a", lang)
    gettext = translations(lang).gettext
    pages = {
        "/console/orders": "Orders",
        "/console/tax": "Tax and landed cost",
        "/console/reconciliation": "Unmatched orders (三单对碰)",
        "/console/decisions": "Compliance decisions",
        f"/console/orders/{filed['SV-A1']['id']}": "Customs timeline",
    }
    for path, heading in pages.items():
        page = client.get(path)
        assert page.status_code == 200, path
        doc = html.fromstring(page.content)
        assert doc.get("lang") == ("zh-CN" if lang == "zh" else "en")
        assert gettext(heading) in page.text, path
        assert doc.xpath("//*[@style]") == [] and doc.xpath("//script[not(@src)]") == []
        inputs = doc.xpath("//main//input[not(@type='hidden')] | //main//select")
        for el in inputs:  # every field has a label (wrapping it, or aria-label)
            assert el.xpath("ancestor::label") or el.get("aria-label"), (path, el.get("name"))
        assert all(t.xpath("caption") for t in doc.xpath("//table")), path
    if lang == "zh":
        assert gettext("Customs timeline") != "Customs timeline"


# a range of placing days is read from the placed index when it holds few orders, else
# along the page order (cbec.store.days.placed_between): both ways must find the same orders
@pytest.mark.parametrize("few_placed", [FEW_PLACED, 1])
def test_filters_equal_an_independent_filter_of_the_filed_orders(
    rt, client, parties, few_placed, monkeypatch
):
    monkeypatch.setattr("cbec.store.days.FEW_PLACED", few_placed)
    filed = file_sales(client, parties)
    console_user(rt, client, "regulator")
    reg = parties["regulator"]
    outcome = {no: outcomes_of(client, reg, view["id"]) for no, view in filed.items()}
    assert len(set().union(*outcome.values())) >= 2  # the outcome filter has work to do
    today = datetime.now(UTC).date()
    # the UTC day each order was placed (its ordered_at), as the filer's API view states it
    placed = {
        no: datetime.fromisoformat(view["document"]["ordered_at"].replace("Z", "+00:00"))
        .astimezone(UTC)
        .date()
        for no, view in filed.items()
    }
    day = placed["SV-A2"]
    assert day < today and any(d != day for d in placed.values())  # the filter has work to do
    cases = [
        ({}, lambda s: True),
        ({"platform": "platform-b"}, lambda s: s[1] == "platform-b"),
        ({"seller": "seller-a"}, lambda s: s[2] == "seller-a"),
        (
            {"seller": "seller-b", "platform": "platform-a"},
            lambda s: s[1:] == ("platform-a", "seller-b"),
        ),
        # by the day an order was placed, not the day it was filed (today, all of them)
        ({"placed_from": str(day), "placed_to": str(day)}, lambda s: placed[s[0]] == day),
        ({"placed_from": str(today), "placed_to": str(today)}, lambda s: False),
        ({"placed_from": str(day)}, lambda s: placed[s[0]] >= day),
        ({"placed_to": str(day - timedelta(days=1))}, lambda s: placed[s[0]] < day),
        *(({"outcome": o}, lambda s, o=o: o in outcome[s[0]]) for o in OUTCOMES),
        ({"order_no": "ＳＶ-Ａ3"}, lambda s: s[0] == "SV-A3"),  # full-width, folded as filed
    ]
    for params, keep in cases:
        expected = sorted(s[0] for s in SALES if keep(s))
        page = client.get(
            "/console/orders", params={**params, "outcome": params.get("outcome", "")}
        )
        assert page.status_code == 200, params
        assert sorted(r[0] for r in rows_of(page)) == expected, params
        api_params = dict(params)
        if "placed_from" in params:
            api_params["placed_from"] = api_params.pop("placed_from") + "T00:00:00Z"
        if "placed_to" in params:
            end = datetime.fromisoformat(api_params.pop("placed_to")) + timedelta(days=1)
            api_params["placed_to"] = end.date().isoformat() + "T00:00:00"  # no zone: UTC
        api = api_orders(client, reg, **api_params)
        assert sorted(i["document"]["order_no"] for i in api) == expected, params
    # the API keeps its filter by filing time: every order was filed today
    filed_today = api_orders(client, reg, created_from=f"{today}T00:00:00Z")
    assert sorted(i["document"]["order_no"] for i in filed_today) == sorted(s[0] for s in SALES)
    bad = client.get("/console/orders", params={"placed_from": "2026-13-40", "outcome": "maybe"})
    assert bad.status_code == 422
    fields = html.fromstring(bad.content).xpath("//div[@role='alert']//code/text()")
    assert set(fields) == {"placed_from", "outcome"}
    api_bad = client.get("/orders", params={"outcome": "maybe"}, headers=reg.headers)
    assert api_bad.status_code == 422
    assert api_bad.json()["errors"][0]["field"] == "query.outcome"


def test_pages_and_exports_show_what_the_api_shows_the_same_caller(
    rt, client, parties, monkeypatch
):
    filed = file_sales(client, parties)
    monkeypatch.setattr("cbec.console.order_pages.PAGE", 2)
    for tenant in ("seller-a", "platform-a", "seller-b"):
        # an operator reads through the masking policy's rows for every reader, as an API
        # key does; a viewer's own rows are stricter (tests/documents/test_masking_reads.py)
        console_user(rt, client, tenant, role="operator")
        api = api_orders(client, parties[tenant])
        shown, url, pages = [], "/console/orders", 0
        while url:
            pages += 1
            page = client.get(url)
            shown += rows_of(page)
            nxt = html.fromstring(page.content).xpath("//a[text()='Next page']/@href")
            url = nxt[0] if nxt else None
        assert pages == len(api) // 2 + 1, tenant  # keyset pages of two
        assert [r[0] for r in shown] == [i["document"]["order_no"] for i in api], tenant
        assert [r[5] for r in shown] == [i["document"]["buyer"]["name"] for i in api], tenant
        mine = {no for no, _, seller in SALES if seller == tenant} | {
            no for no, platform, _ in SALES if platform == tenant
        }
        assert {r[0] for r in shown} == mine, tenant  # never another seller's order
        for fmt, read in (("csv", csv_rows), ("xlsx", xlsx_rows)):
            r = client.get(f"/console/orders/export.{fmt}")
            assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
            header, *body = read(r)
            assert header[0] == "Order number" and len(body) == len(api), (tenant, fmt)
            expected = [
                [
                    i["document"]["order_no"],
                    i["document"]["platform"],
                    i["document"]["seller"],
                    i["document"]["ordered_at"],
                    i["document"]["amount_paid"],
                    i["document"]["currency"],
                    i["document"]["buyer"]["name"],
                ]
                for i in api
            ]
            assert body == expected, (tenant, fmt)
    # the filer sees its buyers in clear, the platform masked — as the API shows each
    clear = filed["SV-A1"]["document"]["buyer"]["name"]
    console_user(rt, client, "platform-a")
    masked = client.get("/console/orders/export.csv", params={"seller": "seller-a"})
    assert clear not in masked.content.decode("utf-8-sig")
    console_user(rt, client, "seller-b")
    other = client.get(f"/console/orders/{filed['SV-A1']['id']}")
    assert other.status_code == 404


def test_export_defuses_formulas_and_stops_at_its_limit(rt, client, parties):
    from cbec.console.export import all_pages, safe_cell

    assert [safe_cell(v) for v in ("=1+1", "+1", "-2", "@SUM(A1)", "\tx", "a=b", None)] == [
        "'=1+1",
        "'+1",
        "'-2",
        "'@SUM(A1)",
        "'\tx",
        "a=b",
        "",
    ]
    pages = {None: ([[1], [2]], "c1"), "c1": ([[3], [4]], "c2"), "c2": ([[5]], None)}
    assert list(all_pages(lambda c: pages[c])) == [[1], [2], [3], [4], [5]]
    assert list(all_pages(lambda c: pages[c], limit=3)) == [[1], [2], [3]]
    rng = random.Random(3)
    order = synthetic.order(rng, "platform-a", "seller-a", "SV-F1")
    order["buyer"]["name"] = '=HYPERLINK("http://x")'
    assert (
        client.post("/orders", json=order, headers=parties["seller-a"].headers).status_code == 201
    )
    console_user(rt, client, "seller-a")
    (row,) = csv_rows(client.get("/console/orders/export.csv"))[1:]
    assert row[6] == "'" + order["buyer"]["name"]
    (row,) = xlsx_rows(client.get("/console/orders/export.xlsx"))[1:]
    assert row[6] == "'" + order["buyer"]["name"]


def test_decisions_are_those_of_the_orders_the_caller_sees(rt, client, parties):
    filed = file_sales(client, parties)
    for tenant in ("seller-a", "platform-b", "regulator"):
        console_user(rt, client, tenant)
        party = parties[tenant]
        expected = []
        for item in api_orders(client, party):  # newest first, as the decisions
            checks = client.get(f"/orders/{item['id']}/checks", headers=party.headers).json()
            for d in reversed(checks["compliance"]):
                expected.append((item["document"]["order_no"], d["outcome"]))
        page = client.get("/console/decisions")
        doc = html.fromstring(page.content)
        shown = [
            (r[1], doc.xpath(f"//tbody/tr[{n + 1}]/td[5]/text()")[0])
            for n, r in enumerate(rows_of(page))
        ]
        assert shown == [(no, outcome_label(o, "en")) for no, o in expected], tenant
        held = {o for _, o in expected} - {"allow"}
        for o in held | {"allow", "deny"}:
            rows = rows_of(client.get("/console/decisions", params={"outcome": o}))
            assert [r[1] for r in rows] == [no for no, x in expected if x == o], tenant
        header, *body = csv_rows(client.get("/console/decisions/export.csv"))
        assert header[:2] == ["Decided", "Order number"]
        assert [r[1:5] for r in body] == [r[1:5] for r in rows_of(page)], tenant
        api = client.get("/compliance/decisions", params={"limit": 1}, headers=party.headers).json()
        listed = api["items"]
        while api["next_cursor"]:
            api = client.get(
                "/compliance/decisions",
                params={"limit": 1, "cursor": api["next_cursor"]},
                headers=party.headers,
            ).json()
            listed += api["items"]
        assert [(d["order_no"], d["outcome"]) for d in listed] == expected, tenant
        links = doc.xpath("//tbody/tr/td[2]/a/@href")
        ids = {v["document"]["order_no"]: v["id"] for v in filed.values()}
        assert links == [f"/console/orders/{ids[no]}" for no, _ in expected]


def test_unmatched_lists_the_reasons_the_api_gives(rt, client, parties):
    file_sales(client, parties)
    for tenant in ("seller-a", "seller-b", "platform-a"):
        console_user(rt, client, tenant)
        api = client.get("/customs/unmatched", headers=parties[tenant].headers).json()
        page = client.get("/console/reconciliation")
        rows = rows_of(page)
        assert [r[0] for r in rows] == [o["order_no"] for o in api["unmatched"]], tenant
        assert api["unmatched"] and api["checked"] == len(api_orders(client, parties[tenant]))
        doc = html.fromstring(page.content)
        for n, o in enumerate(api["unmatched"]):
            reasons = doc.xpath(f"//tbody/tr[{n + 1}]//ul/li")
            assert [li.xpath("code[1]/text()")[0] for li in reasons] == [
                i["code"] for i in o["issues"]
            ]
        header, *body = xlsx_rows(client.get("/console/reconciliation/export.xlsx"))
        assert header == ["Order number", "Platform", "Code", "Field", "Why it does not match"]
        assert body == [
            [o["order_no"], o["platform"], i["code"], i["field"], i["message"]]
            for o in api["unmatched"]
            for i in o["issues"]
        ], tenant
        sellers = {s for no, _, s in SALES if no in {r[0] for r in rows}}
        if tenant.startswith("seller"):
            assert sellers == {tenant}
