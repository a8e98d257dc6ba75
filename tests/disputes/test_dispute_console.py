"""The dispute pages: an operator of the seller opens a case on its order from the list page,
the platform's operator answers and decides on the case page, each in its language; the pack
downloads and verifies; a viewer reads but may not act; another tenant's user finds nothing."""

from __future__ import annotations

import io
import zipfile

from lxml import html
from pydantic import SecretStr

from cbec.disputes.pack import verify
from cbec.services import users
from tests.console.test_console_access import PASSWORD, sign_in
from tests.disputes.world import sale


def _people(rt) -> None:
    for tenant, role in (
        ("seller-a", "operator"),
        ("platform-a", "operator"),
        ("seller-b", "operator"),
        ("platform-a", "viewer"),
    ):
        login = f"{role}@{tenant}"
        new = users.NewUser(login=login, role=role, password=SecretStr(PASSWORD))
        users.operator_create_user(rt.uow(), tenant, new)


def test_a_case_through_the_console(rt, parties, client, cli):
    s = sale(client, parties, cli, declare=False)
    _people(rt)
    csrf = sign_in(client, "operator@seller-a")
    form = {"csrf": csrf, "order_id": s.order_id, "reason": "damaged", "currency": "cny"}
    bad = client.post("/console/disputes", data=form | {"amount": "-5"})
    assert bad.status_code == 422
    assert html.fromstring(bad.content).xpath("//div[@class='error']//code/text()") == [
        "claim.amount"
    ]
    r = client.post("/console/disputes", data=form | {"amount": "45.00", "message": "Crushed"})
    assert r.status_code == 201, r.text
    page = html.fromstring(r.content)
    assert page.xpath("//dl[@id='case']/@data-state") == ["open"]
    assert page.xpath("//ol[@id='messages']/li/@data-author") == ["seller-a"]
    case_url = page.xpath("//a[@id='pack']/@href")[0].removesuffix("/pack")
    # the platform answers and decides, its page in Chinese
    client.cookies.clear()
    csrf = sign_in(client, "operator@platform-a")
    client.cookies.set("cbec_lang", "zh")
    listed = html.fromstring(client.get("/console/disputes").content)
    assert listed.xpath("//table[@id='cases']/tbody/tr/@data-state") == ["open"]
    assert "争议" in listed.xpath("//h1/text()")[0]
    r = client.post(f"{case_url}/messages", data={"csrf": csrf, "text": "Photos received"})
    assert r.status_code == 200
    assert html.fromstring(r.content).xpath("//dl[@id='case']/@data-state") == ["responded"]
    r = client.post(
        f"{case_url}/resolution",
        data={"csrf": csrf, "outcome": "refund_partial", "refund_amount": "60"},
    )
    assert r.status_code == 422  # more than the claim
    assert html.fromstring(r.content).xpath("//div[@class='error']//code/text()") == [
        "refund_amount"
    ]
    r = client.post(
        f"{case_url}/resolution",
        data={"csrf": csrf, "outcome": "refund_partial", "refund_amount": "20"},
    )
    page = html.fromstring(r.content)
    assert r.status_code == 200 and page.xpath("//dl[@id='case']/@data-state") == ["resolved"]
    assert "部分退款" in page.xpath("//dd[@id='state']")[0].text_content()
    assert not page.xpath("//form[@id='message-form']")  # a decided case takes no more
    pack = client.get(f"{case_url}/pack")
    assert pack.status_code == 200 and pack.headers["content-type"] == "application/zip"
    assert verify(pack.content, rt.ledger.vkeys) == []
    names = zipfile.ZipFile(io.BytesIO(pack.content)).namelist()
    assert "manifest.json" in names and "checkpoint.txt" in names
    # a viewer of the platform reads the case but is refused a change
    client.cookies.clear()
    csrf = sign_in(client, "viewer@platform-a")
    page = html.fromstring(client.get(case_url).content)
    assert not page.xpath("//form[@id='resolve-form']")
    r = client.post(f"{case_url}/resolution", data={"csrf": csrf, "outcome": "rejected"})
    assert r.status_code == 403
    # another tenant's operator: not found, for the page, the pack and a message
    client.cookies.clear()
    csrf = sign_in(client, "operator@seller-b")
    assert client.get(case_url).status_code == 404
    assert client.get(f"{case_url}/pack").status_code == 404
    r = client.post(f"{case_url}/messages", data={"csrf": csrf, "text": "hello"})
    assert r.status_code == 404
    assert html.fromstring(client.get("/console/disputes").content).xpath("//p[@id='no-cases']")
