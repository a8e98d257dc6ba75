"""The data subject requests page: the access export downloaded there is the API's answer,
an erasure asks for confirmation and erases nothing before it, a viewer and the regulator
request nothing, the register shows every request's status, and the page speaks Chinese.
Oracles: the API's own answers for the same person and the order the test filed."""

from __future__ import annotations

import json

from lxml import html

from cbec.privacy.vault import ERASED
from tests.console.test_console_seller import console_user
from tests.console.test_console_sign_in import csrf_of
from tests.privacy.test_dsr import file_order


def _statuses(page) -> list[tuple[str, str]]:
    doc = html.fromstring(page.content)
    rows = doc.xpath("//table[@id='dsr-register']/tbody/tr")
    return [
        (r.xpath("td[@data-kind]/@data-kind")[0], r.xpath("td[@data-status]/@data-status")[0])
        for r in rows
    ]


def test_export_and_erasure_in_the_console_are_the_apis(rt, client, parties):
    seller = parties["seller-a"]
    doc_id, body = file_order(client, seller, "CON-1")
    person = {"id_type": "resident_id", "id_number": body["buyer"]["id_number"], "phone": ""}
    console_user(rt, client, "seller-a", role="admin")
    csrf = csrf_of(client.get("/console/dsr"))

    export = client.post("/console/dsr/access", data=person | {"csrf": csrf})
    assert export.status_code == 200, export.text
    assert export.headers["content-disposition"].startswith('attachment; filename="dsr-access-')
    api = client.post(
        "/privacy/dsr/access", json={k: v for k, v in person.items() if v}, headers=seller.headers
    ).json()
    got = json.loads(export.content)
    assert [d["body"] for d in got["documents"]] == [d["body"] for d in api["documents"]]
    assert got["documents"][0]["id"] == doc_id

    asked = client.post("/console/dsr/erasure", data=person | {"csrf": csrf})
    assert asked.status_code == 200
    assert html.fromstring(asked.content).xpath("//form[@id='confirm-erasure']")
    view = client.get(f"/orders/{doc_id}", headers=seller.headers).json()
    assert view["document"]["buyer"]["name"] == body["buyer"]["name"]  # not yet

    done = client.post("/console/dsr/erasure", data=person | {"csrf": csrf, "confirm": "yes"})
    assert done.status_code == 200
    result = html.fromstring(done.content).xpath("//section[@id='erasure-result']//dd/text()")
    assert result[:2] == ["1", "1"]
    view = client.get(f"/orders/{doc_id}", headers=seller.headers).json()
    assert view["document"]["buyer"]["name"] == ERASED
    assert _statuses(client.get("/console/dsr")) == [
        ("erasure", "completed"),
        ("access", "completed"),  # the API's
        ("access", "completed"),  # the console's
    ]

    bad = client.post("/console/dsr/access", data={"phone": "12", "csrf": csrf, "id_type": ""})
    assert bad.status_code == 422
    client.cookies.set("cbec_lang", "zh")
    page = client.get("/console/dsr")
    assert "数据主体请求" in page.text and "已完成" in page.text


def test_a_viewer_and_the_regulator_request_nothing(rt, client, parties):
    seller = parties["seller-a"]
    _, body = file_order(client, seller, "CON-2")
    person = {"id_type": "resident_id", "id_number": body["buyer"]["id_number"]}
    client.post("/privacy/dsr/access", json=person, headers=seller.headers)
    console_user(rt, client, "seller-a", role="viewer")
    page = client.get("/console/dsr")
    assert not html.fromstring(page.content).xpath("//form[@id='dsr-form']")
    refused = client.post("/console/dsr/erasure", data=person | {"csrf": csrf_of(page)})
    assert refused.status_code == 403
    client.post("/console/logout", data={"csrf": csrf_of(page)})
    console_user(rt, client, "regulator", role="admin")
    page = client.get("/console/dsr")
    doc = html.fromstring(page.content)
    assert not doc.xpath("//form[@id='dsr-form']")
    assert doc.xpath("//table[@id='dsr-register']/tbody/tr/td[2]/text()") == ["seller-a"]
    forbidden = client.post(
        "/console/dsr/access", data=person | {"csrf": csrf_of(page), "phone": ""}
    )
    assert forbidden.status_code == 403
