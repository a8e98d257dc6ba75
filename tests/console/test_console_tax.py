"""The tax quote forms: a quote made in the console equals the API's quote of the same order
(same use case), shows the rule rows behind it with their sources as the shipped tables give
them, and a refused field is named with the API's message in the page's language."""

from __future__ import annotations

import csv

from lxml import html

from cbec.tax.cn_import import POLICY
from tests.console.test_console_seller import console_user
from tests.console.test_console_sign_in import csrf_of

CN_ORDER = {
    "date": "2026-03-01",
    "freight": "12.50",
    "lines": [
        {"sku": "MILK-1", "qty": "2", "unit_price": "199.00", "vat_rate": "0.09"},
        {"sku": "CREAM-2", "qty": "1", "unit_price": "480.00", "ct_rate": "0.15"},
    ],
}
LANDED_ORDER = {
    "destination": "DE",
    "date": "2026-03-01",
    "currency": "CNY",
    "channel": "courier",
    "lines": [
        {"sku": "EAR-1", "qty": "2", "unit_price": "599.00", "hs_code": "851830", "origin": "CN"},
    ],
}


def _form(prefix: str, order: dict, csrf: str) -> dict[str, str]:
    data = {"csrf": csrf}
    for key, value in order.items():
        if key != "lines":
            data[f"{prefix}-{key}"] = value
    for i, line in enumerate(order["lines"]):
        for key, value in line.items():
            data[f"{prefix}-lines-{i}-{key}"] = value
    return data


def _lines(doc, caption: str) -> list[list[str]]:
    table = doc.xpath(f"//table[caption='{caption}']")[0]
    return [[td.text_content().strip() for td in tr.xpath("td")] for tr in table.xpath("tbody/tr")]


def problems_shown(content: bytes) -> set[tuple[str, str]]:
    """The (field, message) pairs a console page's problem list shows (``_problems.html``),
    to compare with the API's problem+json ``errors`` for the same input."""
    return {
        (li.xpath("code/text()")[0], li.text_content().split(": ", 1)[1])
        for li in html.fromstring(content).xpath("//div[@role='alert']//li")
    }


def _policy_sources() -> dict[str, str]:
    with POLICY.open(encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return {r["id"]: r["source"] for r in rows}


def test_the_china_cbec_quote_equals_the_apis(rt, client, parties):
    api = client.post("/tax/cn-import", json=CN_ORDER, headers=parties["seller-a"].headers)
    assert api.status_code == 200, api.text
    want = api.json()
    console_user(rt, client, "seller-a")
    page = client.post(
        "/console/tax/cn-import", data=_form("cn", CN_ORDER, csrf_of(client.get("/console/tax")))
    )
    assert page.status_code == 200, page.text
    doc = html.fromstring(page.content)
    assert doc.xpath("//dl[@id='cn-result']//dd/@data-total") == [want["total_tax"]]
    rows = _lines(doc, "Tax per item")
    assert [r[:6] for r in rows] == [
        [li["sku"], li["taxable_value"], li["duty"], li["vat"], li["consumption_tax"], li["total"]]
        for li in want["lines"]
    ]
    sources = _lines(doc, "Rule rows behind these figures, with their sources")
    policy = _policy_sources()
    assert [r[0] for r in sources] == want["rules"]
    for rule_id, _, source in sources:
        assert source.startswith(policy[rule_id])
    # the form keeps what was typed, and no figure is in the address
    assert doc.xpath("//input[@name='cn-lines-1-sku']/@value") == ["CREAM-2"]


def test_the_landed_cost_quote_equals_the_apis(rt, client, parties):
    api = client.post("/tax/quote", json=LANDED_ORDER, headers=parties["seller-a"].headers)
    assert api.status_code == 200, api.text
    want = api.json()
    console_user(rt, client, "platform-a", "zh")
    csrf = csrf_of(client.get("/console/tax"))
    page = client.post("/console/tax/landed", data=_form("landed", LANDED_ORDER, csrf))
    assert page.status_code == 200, page.text
    doc = html.fromstring(page.content)
    assert doc.xpath("//dl[@id='landed-result']//dd/@data-total") == [want["total"]]
    rows = _lines(doc, "逐项明细")
    assert [[r[0], r[2], r[3], r[4].split()[0], r[5], r[6], r[7]] for r in rows] == [
        [
            li["sku"],
            li["customs_value"],
            li["duty"],
            li["duty_rule"],
            li["vat"],
            li["vat_rule"],
            li["total"],
        ]
        for li in want["lines"]
    ]
    ids = [r[0] for r in _lines(doc, "计算所依据的规则行及其来源")]
    assert set(want["rules"]) <= set(ids)


def test_a_refused_field_is_named_in_the_page_language(rt, client, parties):
    bad = {**CN_ORDER, "lines": [{"sku": "X", "qty": "1", "unit_price": "abc", "vat_rate": "2"}]}
    api = client.post(
        "/tax/cn-import",
        json=bad,
        headers={**parties["seller-a"].headers, "Accept-Language": "zh-CN"},
    )
    assert api.status_code == 422
    want = {(e["field"], e["message"]) for e in api.json()["errors"]}
    assert {f for f, _ in want} == {"lines[0].unit_price", "lines[0].vat_rate"}
    console_user(rt, client, "seller-a", "zh")
    csrf = csrf_of(client.get("/console/tax"))
    page = client.post("/console/tax/cn-import", data=_form("cn", bad, csrf))
    assert page.status_code == 422
    assert problems_shown(page.content) == want
    assert "请更正以下字段" in page.text
    # a date no policy covers is the core's refusal, named too
    old = {**CN_ORDER, "date": "2001-01-01"}
    page = client.post("/console/tax/cn-import", data=_form("cn", old, csrf))
    assert page.status_code == 422
    assert html.fromstring(page.content).xpath("//div[@role='alert']//code/text()") == ["date"]
    # without the session's CSRF token the form is refused
    assert (
        client.post("/console/tax/cn-import", data=_form("cn", CN_ORDER, "forged")).status_code
        == 403
    )
