"""The talent pages: the seller matches its project and sees every part of every score,
moves and rates an engagement, each in its language; a viewer reads but may not act; another
tenant's user finds nothing."""

from __future__ import annotations

from lxml import html
from pydantic import SecretStr

from cbec.services import users
from tests.console.test_console_access import PASSWORD, sign_in
from tests.talent.world import engagement, post


def _people(rt) -> None:
    for tenant, role in (("seller-a", "operator"), ("seller-a", "viewer"), ("seller-b", "admin")):
        new = users.NewUser(login=f"{role}@{tenant}", role=role, password=SecretStr(PASSWORD))
        users.operator_create_user(rt.uow(), tenant, new)


def test_match_deliver_and_rate_through_the_console(rt, parties, client):
    world = engagement(client, parties)
    project, e = world["project"], world["engagement"]
    _people(rt)
    csrf = sign_in(client, "operator@seller-a")
    client.cookies.set("cbec_lang", "zh")
    listing = html.fromstring(client.get("/console/talent").content)
    assert listing.xpath("//h1/text()") == ["人才共享"]
    # the seller engaged the expert: it reads the name beside the headline
    assert "Li Hua" in listing.xpath("string(//table[@id='experts'])")
    r = client.post(f"/console/talent/projects/{project['id']}/matches", data={"csrf": csrf})
    assert r.status_code == 200, r.text
    page = html.fromstring(r.content)
    (table,) = page.xpath("//table[contains(@class, 'match')]")
    assert table.get("data-total") == "75.83"
    rows = {
        tr.get("data-component"): [td.text_content() for td in tr.xpath("td")]
        for tr in table.xpath(".//tbody/tr")
    }
    assert rows["skills"][:4] == ["技能", "45", "5/6", "37.50"]
    assert rows["budget"][:4] == ["预算匹配", "10", "5/6", "8.33"]
    url = f"/console/talent/engagements/{e['id']}"
    early = client.post(f"{url}/rating", data={"csrf": csrf, "rating": "5"})
    assert early.status_code == 409
    assert html.fromstring(early.content).xpath("//p[@id='refusal']/text()") == [
        "所有交付物验收后才能评价合作"
    ]
    for n in (1, 2):
        step = {"number": n, "to": "submitted"}
        post(client, parties["ship-a"], f"/talent/engagements/{e['id']}/steps", step, 200)
        r = client.post(f"{url}/steps", data={"csrf": csrf, "number": str(n), "to": "accepted"})
        assert r.status_code == 200, r.text
    page = html.fromstring(r.content)
    assert page.xpath("//ol[@id='deliverables']/li/@data-state") == ["accepted", "accepted"]
    assert page.xpath("string(//dd[@id='full-time'])").strip().endswith("38,465.75")
    r = client.post(f"{url}/rating", data={"csrf": csrf, "rating": "4"})
    assert r.status_code == 200
    assert html.fromstring(r.content).xpath("//dd[@id='rating']/text()") == ["4"]
    # a viewer reads but may not act; another seller finds nothing
    csrf = sign_in(client, "viewer@seller-a")
    assert client.get(url).status_code == 200
    r = client.post(f"/console/talent/projects/{project['id']}/matches", data={"csrf": csrf})
    assert r.status_code == 403
    sign_in(client, "admin@seller-b")
    assert client.get(url).status_code == 404
    assert client.get(f"/console/talent/projects/{project['id']}").status_code == 404
