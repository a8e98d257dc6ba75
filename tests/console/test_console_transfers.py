"""The transfer register's page: a route asked in the console equals the API's for the same
transfer (same use case), a transfer recorded there is in the API's register and counts for
the next, a viewer and the regulator record nothing, the regulator reads every exporter's,
and a refused field is named in the page's language."""

from __future__ import annotations

from babel.numbers import format_decimal
from lxml import html

from tests.console.test_console_seller import console_user
from tests.console.test_console_sign_in import csrf_of

TRANSFER = {
    "origin": "CN",
    "destination": "US",
    "recipient": "Overseas Analytics LLC",
    "purpose": "marketing",
    "transferred_on": "2026-06-01",
    "individuals": "99999",
    "categories": "user",
}


def _api(transfer: dict) -> dict:
    t = {k: v for k, v in transfer.items() if k != "categories"}
    t["individuals"] = int(t["individuals"])
    return {"transfer": t | {"data_categories": [transfer["categories"]]}}


def _result(page) -> tuple[str, str]:
    doc = html.fromstring(page.content)
    route = doc.xpath("//dl[@id='route-result']//dd/@data-route")
    counts = doc.xpath("//dl[@id='route-result']/dd[2]")
    return route[0], counts[0].text_content().strip()


def test_the_route_and_the_record_are_the_apis(rt, client, parties):
    seller = parties["seller-a"]
    api = client.post("/privacy/transfers/route", json=_api(TRANSFER), headers=seller.headers)
    assert api.status_code == 200, api.text
    console_user(rt, client, "seller-a", role="operator")
    csrf = csrf_of(client.get("/console/transfers"))
    asked = client.post("/console/transfers/route", data=TRANSFER | {"csrf": csrf})
    assert asked.status_code == 200, asked.text
    route, counts = _result(asked)
    assert route == api.json()["decision"]["route"] == "exempt"
    n = format_decimal(99_999, locale="en")  # CLDR's grouping, as the page writes counts
    assert counts == f"{n} without and 0 with sensitive information"
    assert client.get("/privacy/transfers", headers=seller.headers).json()["items"] == []

    made = client.post("/console/transfers", data=TRANSFER | {"csrf": csrf})
    assert made.status_code == 200, made.text
    register = client.get("/privacy/transfers?year=2026", headers=seller.headers).json()["items"]
    assert [(t["recipient"], t["route"]) for t in register] == [
        ("Overseas Analytics LLC", "exempt")
    ]
    doc = html.fromstring(client.get("/console/transfers?year=2026").content)
    assert doc.xpath("//table[@id='register']/tbody/tr/td[3]/text()") == ["Overseas Analytics LLC"]
    # the next individual makes 100,000: the API says so as well
    one_more = TRANSFER | {"individuals": "1"}
    api = client.post("/privacy/transfers/route", json=_api(one_more), headers=seller.headers)
    page = client.post("/console/transfers/route", data=one_more | {"csrf": csrf})
    assert _result(page)[0] == api.json()["decision"]["route"]
    assert api.json()["decision"]["route"] == "standard_contract_or_certification"


def test_who_records_and_who_reads(rt, client, parties):
    client.post(
        "/privacy/transfers", json=_api(TRANSFER), headers=parties["seller-a"].headers
    ).raise_for_status()
    console_user(rt, client, "seller-b", role="viewer")
    page = client.get("/console/transfers?year=2026")
    doc = html.fromstring(page.content)
    assert doc.xpath("//*[@id='register-empty']") and not doc.xpath("//table[@id='register']")
    assert not doc.xpath("//button[@formaction='/console/transfers']")
    refused = client.post("/console/transfers", data=TRANSFER | {"csrf": csrf_of(page)})
    assert refused.status_code == 403

    console_user(rt, client, "regulator", role="admin")
    page = client.get("/console/transfers?year=2026")
    doc = html.fromstring(page.content)
    assert doc.xpath("//table[@id='register']/tbody/tr/td[2]/text()") == ["seller-a"]
    assert not doc.xpath("//button[@formaction='/console/transfers']")
    refused = client.post("/console/transfers", data=TRANSFER | {"csrf": csrf_of(page)})
    assert refused.status_code == 403


def test_a_refused_field_is_named_in_the_page_language(rt, client, parties):
    bad = TRANSFER | {"destination": "XX"}
    api = client.post(
        "/privacy/transfers/route", json=_api(bad), headers=parties["seller-a"].headers
    )
    assert api.status_code == 400
    console_user(rt, client, "seller-a", "zh", role="operator")
    csrf = csrf_of(client.get("/console/transfers"))
    page = client.post("/console/transfers/route", data=bad | {"csrf": csrf})
    assert page.status_code == 422
    assert "transfer.destination" in page.text
    assert "数据出境" in page.text  # the page is in Chinese


def test_the_inventory_page_is_the_apis_inventory(rt, client, parties):
    api = client.get("/privacy/inventory", headers=parties["seller-a"].headers).json()
    console_user(rt, client, "seller-a", "zh")
    page = client.get("/console/inventory")
    assert page.status_code == 200
    doc = html.fromstring(page.content)
    rows = doc.xpath("//table[@id='inventory']/tbody/tr")
    assert [(r.xpath("td[2]/code/text()")[0], r.get("data-pi")) for r in rows] == [
        (f["field"], f["pi"]) for f in api["fields"]
    ]
    sensitive = [r for r in rows if r.get("data-pi") == "sensitive"]
    assert sensitive and all("敏感个人信息" in r.text_content() for r in sensitive)


def test_the_key_record_is_the_deployments_and_the_regulators_only(rt, client, parties):
    from cbec.privacy.keystore import hmac_key_fingerprint

    api = client.get("/privacy/keys", headers=parties["regulator"].headers)
    assert api.status_code == 200, api.text
    keys = api.json()["keys"]
    assert sorted(k["purpose"] for k in keys) == ["data", "hmac", "ledger"]
    assert all(k["active"] and k["retired_at"] is None for k in keys)
    # the HMAC key's fingerprint, worked out from the process's own key
    hmac = next(k for k in keys if k["purpose"] == "hmac")
    assert hmac["fingerprint"] == hmac_key_fingerprint(rt.vault.hmac_key)
    assert rt.settings.hmac_key not in api.text
    # each data key's cipher, as `cbec admin keys show` gives it; none for the other keys
    cipher = {"a256gcm": "aes-256-gcm", "sm4gcm": "sm4-gcm"}[rt.vault.ring.active.alg]
    assert [k["algorithm"] for k in keys if k["purpose"] == "data"] == [cipher]
    assert all(k["algorithm"] is None for k in keys if k["purpose"] != "data")
    assert client.get("/privacy/keys", headers=parties["seller-a"].headers).status_code == 403

    console_user(rt, client, "regulator")
    doc = html.fromstring(client.get("/console/keys").content)
    shown = doc.xpath("//table[@id='keys']/tbody/tr/td[2]/code/text()")
    assert shown == [k["fingerprint"] for k in keys]
    assert doc.xpath("//table[@id='keys']/thead/tr/th[3]/text()") == ["Algorithm"]
    algs = [r.xpath("string(td[3])").strip() for r in doc.xpath("//table[@id='keys']/tbody/tr")]
    assert algs == [k["algorithm"] or "" for k in keys]
    client.cookies.set("cbec_lang", "zh")
    zh = html.fromstring(client.get("/console/keys").content)
    client.cookies.delete("cbec_lang")
    assert zh.xpath("//table[@id='keys']/thead/tr/th[3]/text()") == ["算法"]
    console_user(rt, client, "seller-a")
    assert client.get("/console/keys").status_code == 403


def test_the_scan_tool_marks_what_the_api_finds(rt, client, parties):
    from stdnum.cn import ric

    resident_id = "11010519491231002X"
    assert ric.is_valid(resident_id)  # GB 11643's check character holds
    text = f"收件人身份证 {resident_id}，电话 13800138000，请放门口"
    api = client.post("/privacy/scan", json={"texts": [text]}, headers=parties["seller-a"].headers)
    assert api.status_code == 200, api.text
    want = api.json()["results"][0]["spans"]
    console_user(rt, client, "seller-a", "zh")
    csrf = csrf_of(client.get("/console/scan"))
    page = client.post("/console/scan", data={"text": text, "csrf": csrf})
    assert page.status_code == 200
    doc = html.fromstring(page.content)
    marked = [(m.get("data-entity"), m.text) for m in doc.xpath("//p[@id='scan-marked']/mark")]
    assert marked == [(s["entity_type"], text[s["start"] : s["end"]]) for s in want]
    assert ("CN_RESIDENT_ID", resident_id) in marked
    assert "".join(doc.xpath("//p[@id='scan-marked']//text()")) == text  # nothing lost
