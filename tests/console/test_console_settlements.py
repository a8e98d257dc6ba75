"""The settlement report page: a payment firm's operator uploads a report and sees what was
filed, the rows skipped by category and each rejected row with the file's column and the
reason, in English or Chinese; a seller's user is refused."""

from __future__ import annotations

from pathlib import Path

from lxml import html
from pydantic import SecretStr

from cbec.services import users
from tests.console.test_console_access import PASSWORD, sign_in

DATA = Path(__file__).parents[1] / "connectors" / "data" / "settlements"


def post(client, csrf: str, name: str, **form):
    data = {"csrf": csrf, "source": "auto", "platform": "platform-a", **form}
    files = {"file": (name, (DATA / name).read_bytes(), "text/csv")}
    return client.post("/console/settlements/import", data=data, files=files)


def test_a_payment_firm_files_a_report_and_sees_its_outcome(rt, parties, client):
    for tenant in ("pay-a", "seller-a"):
        users.operator_create_user(
            rt.uow(),
            tenant,
            users.NewUser(login=f"ops@{tenant}", role="operator", password=SecretStr(PASSWORD)),
        )
    csrf = sign_in(client, "ops@pay-a")
    r = post(client, csrf, "stripe_balance_itemized.csv")
    assert r.status_code == 200, r.text
    page = html.fromstring(r.content)
    assert page.xpath("//p[@data-created]/@data-created") == ["3"]
    skipped = page.xpath("//table[@id='settlement-skipped']//td/text()")
    assert skipped == ["refund", "1", "fee", "1", "payout", "1"]
    r = post(client, csrf, "stripe_balance_itemized.csv")
    assert html.fromstring(r.content).xpath("//p[@data-unchanged]/@data-unchanged") == ["3"]
    client.cookies.set("cbec_lang", "zh")
    r = post(client, csrf, "paypal_activity.csv")
    page = html.fromstring(r.content)
    cells = page.xpath("//table[@id='settlement-rejects']//td")
    assert [c.text_content() for c in cells[:2]] == ["7", "Custom Number"]
    assert "CEB411 要求支付人" in cells[2].text_content()
    assert page.xpath("//p[@data-rejected]/@data-rejected") == ["1"]
    client.cookies.clear()
    csrf = sign_in(client, "ops@seller-a")
    assert "Only a payment firm" in client.get("/console/settlements").text
    assert post(client, csrf, "generic_settlement.csv").status_code == 403
