"""The poll pages: a seller's operator opens a poll from the list page and reads its results
by market and segment, in Chinese too, and closes it; a viewer reads but may not act;
another tenant's user finds nothing."""

from __future__ import annotations

from lxml import html
from pydantic import SecretStr

from cbec.services import users
from tests.console.test_console_access import PASSWORD, sign_in
from tests.growth.world import order, vote


def _people(rt) -> None:
    for tenant, role in (
        ("seller-a", "operator"),
        ("seller-a", "viewer"),
        ("seller-b", "operator"),
    ):
        new = users.NewUser(login=f"{role}@{tenant}", role=role, password=SecretStr(PASSWORD))
        users.operator_create_user(rt.uow(), tenant, new)


def test_a_poll_through_the_console(rt, parties, client):
    _people(rt)
    csrf = sign_in(client, "operator@seller-a")
    form = {"csrf": csrf, "topic": "colour", "question": "Which colour next?"}
    bad = client.post("/console/polls", data=form | {"options": "Red\nred"})
    assert bad.status_code == 422
    assert html.fromstring(bad.content).xpath("//div[@class='error']//code/text()") == [
        "options[1]"
    ]
    r = client.post("/console/polls", data=form | {"options": "Red\nSage\n"})
    assert r.status_code == 201, r.text
    page = html.fromstring(r.content)
    assert page.xpath("//dl[@id='poll']/@data-state") == ["open"]
    url = page.xpath("//form[@id='close-poll']/@action")[0].removesuffix("/close")
    poll_id = url.rsplit("/", 1)[1]
    oid, _ = order(client, parties, "CON-1", "acct-con", "CN")
    assert vote(client, parties["platform-a"], poll_id, oid, "acct-con", "Sage").status_code == 201
    client.cookies.set("cbec_lang", "zh")
    page = html.fromstring(client.get(url).content)
    assert page.xpath("//dd[@id='votes']/text()") == ["1"]
    rows = {
        tr.get("data-group"): [td.text_content() for td in tr.xpath("td")]
        for tr in page.xpath("//table[@id='results']/tbody/tr")
    }
    # one voter: the total is exact, the breakdowns' cells suppressed (1 < 5; the 0 beside
    # it too, else the 1 would be the group's total less 0)
    assert rows == {
        "all": ["0 (0.0 %)", "1 (100.0 %)"],
        "market-CN": ["—", "—"],
        "segment-new": ["—", "—"],
    }
    assert page.xpath("//tr[@data-group='market-CN']/td/@data-suppressed") == ["true", "true"]
    note = page.xpath("string(//p[@id='disclosure'])")
    assert "少于 5 的单元格" in note and "Threshold rule" in note
    assert page.xpath("//tr[@data-group='segment-new']/th/text()") == ["首次购买的买家"]
    r = client.post(f"{url}/close", data={"csrf": csrf})
    assert r.status_code == 200
    assert html.fromstring(r.content).xpath("//dl[@id='poll']/@data-state") == ["closed"]
    # a viewer reads, may not open; another seller finds nothing
    client.cookies.clear()
    csrf = sign_in(client, "viewer@seller-a")
    assert client.get(url).status_code == 200
    r = client.post("/console/polls", data=form | {"csrf": csrf, "options": "A\nB"})
    assert r.status_code == 403
    client.cookies.clear()
    sign_in(client, "operator@seller-b")
    assert client.get(url).status_code == 404
