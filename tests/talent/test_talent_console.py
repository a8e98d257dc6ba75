"""The talent pages: the seller matches its project and sees every part of every score,
moves and rates an engagement, each in its language; a viewer reads but may not act; another
tenant's user finds nothing."""

from __future__ import annotations

from lxml import html
from pydantic import SecretStr

from cbec.services import users
from tests.console.test_console_access import PASSWORD, sign_in
from tests.talent.world import EXPERT_FORM, PROJECT_FORM, engagement, post


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


def _forms(rt) -> None:
    for tenant in ("ship-a", "seller-a", "seller-b"):
        new = users.NewUser(login=f"admin@{tenant}", role="admin", password=SecretStr(PASSWORD))
        users.operator_create_user(rt.uow(), tenant, new)


def _problems(r) -> set[str]:
    return {c.text for c in html.fromstring(r.content).xpath("//div[@role='alert']//li/code")}


def test_publish_change_and_withdraw_a_profile_in_the_console(rt, parties, client):
    _forms(rt)
    csrf = sign_in(client, "admin@ship-a")
    client.cookies.set("cbec_lang", "zh")
    page = html.fromstring(client.get("/console/talent").content)
    assert page.xpath("//h2[@id='mine-title']/text()") == ["贵公司的专家档案"]
    # a refused form names each field, in the page's language, and keeps what was typed
    bad_skill = {"skills": ["juggling"]}
    bad = EXPERT_FORM | bad_skill | {"day_rate": "", "certificates": "x | y"}
    r = client.post("/console/talent/experts", data=bad | {"csrf": csrf})
    assert r.status_code == 422
    # the form's shape first (as the API's body): the unknown skill is named once it passes
    assert _problems(r) == {"day_rate.amount", "certificates[0].number"}
    r = client.post("/console/talent/experts", data=EXPERT_FORM | bad_skill | {"csrf": csrf})
    assert r.status_code == 422 and _problems(r) == {"skills[0]"}
    page = html.fromstring(r.content)
    assert page.xpath("//form[@id='publish-form']//input[@name='name']/@value") == ["Li Hua"]
    assert "请更正" in page.xpath("string(//div[@role='alert']/p)")
    r = client.post("/console/talent/experts", data=EXPERT_FORM | {"csrf": csrf})
    assert r.status_code == 201, r.text
    page = html.fromstring(r.content)
    assert page.xpath("//p[@id='done']/text()") == ["已发布并记录。"]
    (expert,) = client.get("/talent/experts", headers=parties["seller-b"].headers).json()["experts"]
    assert expert["headline"] == EXPERT_FORM["headline"] and expert["name"] is None
    url = f"/console/talent/experts/{expert['id']}"
    # the form shows the profile as it is: the publisher reads its personal parts
    page = html.fromstring(client.get(url).content)
    assert page.xpath("//form[@id='edit-form']//textarea[@name='certificates']/text()") == [
        EXPERT_FORM["certificates"]
    ]
    client.cookies.set("cbec_lang", "en")
    changed = EXPERT_FORM | {"day_rate": "1500.00", "days_per_week": "3"}
    r = client.post(url, data=changed | {"csrf": csrf})
    assert r.status_code == 200, r.text
    page = html.fromstring(r.content)
    assert page.xpath("//p[@id='done']/text()") == ["Saved and logged."]
    assert page.xpath("string(//dd[@id='day-rate'])").strip().endswith("1,500.00")
    shown = client.get(f"/talent/experts/{expert['id']}", headers=parties["seller-b"].headers)
    assert (shown.json()["day_rate"]["amount"], shown.json()["days_per_week"]) == ("1500.00", 3)
    r = client.post(url, data=changed | {"skills": [], "csrf": csrf})
    assert r.status_code == 422 and _problems(r) == {"skills"}
    r = client.post(f"{url}/withdraw", data={"csrf": csrf})
    assert r.status_code == 200
    assert html.fromstring(r.content).xpath("//p[@id='withdrawn']")
    listed = client.get("/talent/experts", headers=parties["seller-b"].headers).json()
    assert listed["experts"] == []
    page = html.fromstring(client.get("/console/talent").content)
    assert page.xpath("//ul[@id='mine']/li/@data-withdrawn") == ["yes"]
    r = client.post(f"{url}/republish", data={"csrf": csrf})
    assert r.status_code == 200 and not html.fromstring(r.content).xpath("//p[@id='withdrawn']")
    # another tenant's user: the publisher's page is not found, its forms change nothing
    csrf = sign_in(client, "admin@seller-b")
    assert client.get(url).status_code == 404
    assert client.post(f"{url}/withdraw", data={"csrf": csrf}).status_code == 404
    assert client.post(url, data=changed | {"csrf": csrf}).status_code == 404


def test_post_change_and_close_a_project_in_the_console(rt, parties, client):
    _forms(rt)
    csrf = sign_in(client, "admin@seller-a")
    client.cookies.set("cbec_lang", "en")
    late = PROJECT_FORM | {"ends_on": "2025-12-31", "skills": "customs_compliance 9"}
    r = client.post("/console/talent/projects", data=late | {"csrf": csrf})
    assert r.status_code == 422
    assert _problems(r) == {"skills[0].weight"}
    r = client.post("/console/talent/projects", data=PROJECT_FORM | {"csrf": csrf})
    assert r.status_code == 201, r.text
    page = html.fromstring(r.content)
    assert page.xpath("//p[@id='done']/text()") == ["Posted and logged."]
    (project,) = client.get("/talent/projects", headers=parties["seller-a"].headers).json()[
        "projects"
    ]
    assert [(s["code"], s["weight"]) for s in project["skills"]] == [
        ("customs_compliance", 3),
        ("digital_marketing", 1),
        ("carbon_accounting", 2),
    ]
    url = f"/console/talent/projects/{project['id']}"
    client.cookies.set("cbec_lang", "zh")
    r = client.post(url, data=PROJECT_FORM | {"ends_on": "2025-12-31", "csrf": csrf})
    assert r.status_code == 422
    page = html.fromstring(r.content)
    assert page.xpath("string(//div[@role='alert']//li)").strip() == (
        "ends_on: 结束日期早于开始日期（2026-01-01）"
    )
    r = client.post(url, data=PROJECT_FORM | {"title": "Export review, EU", "csrf": csrf})
    assert r.status_code == 200
    assert html.fromstring(r.content).xpath("//h1/text()") == ["Export review, EU"]
    r = client.post(f"{url}/close", data={"csrf": csrf})
    assert r.status_code == 200
    page = html.fromstring(r.content)
    assert page.xpath("//p[@id='closed']/text()") == [
        "已关闭：重新开放前不能为其匹配专家或开展合作。"
    ]
    assert not page.xpath("//form[@id='match-form']")
    r = client.post(f"{url}/matches", data={"csrf": csrf})
    assert r.status_code == 409
    assert html.fromstring(r.content).xpath("//p[@id='refusal']/text()") == [
        "项目已关闭：重新开放后才能匹配专家或开展合作"
    ]
    r = client.post(f"{url}/reopen", data={"csrf": csrf})
    assert r.status_code == 200 and html.fromstring(r.content).xpath("//form[@id='match-form']")
    # a seller-b user finds nothing; a platform has no form to post a project
    csrf = sign_in(client, "admin@seller-b")
    assert client.post(f"{url}/close", data={"csrf": csrf}).status_code == 404
    assert client.post(url, data=PROJECT_FORM | {"csrf": csrf}).status_code == 404
    csrf = sign_in(client, "admin@ship-a")
    page = html.fromstring(client.get("/console/talent").content)
    assert page.xpath("//form[@id='publish-form']") and not page.xpath("//form[@id='post-form']")
    r = client.post("/console/talent/projects", data=PROJECT_FORM | {"csrf": csrf})
    assert r.status_code == 403
