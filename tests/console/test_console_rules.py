"""The rule desk: a change is replayed before it is saved, and the console's replay equals the
what-if API's answer for the same change; saving goes through the same use case as
``PUT /compliance/rules/{id}`` and leaves a revision in the history; roles and CSRF as in the
API; sandboxes enrolled and ended by a regulator only."""

from __future__ import annotations

import json
import random

from lxml import html
from pydantic import SecretStr

from cbec.console.pages import outcome_label
from cbec.demo import synthetic
from cbec.services import users
from tests.console.test_console_sign_in import PASSWORD, csrf_of, sign_in

FLAG_EARBUDS = {
    "id": "test.earbuds",
    "title": {"zh": "测试：耳机", "en": "test: earbuds"},
    "kind": "flag",
    "scope": {"direction": "import"},
    "match": [{"hs": ["851830"]}],
    "effective_from": "2020-01-01",
    "source": "test rule",
}
DENY_EARBUDS = FLAG_EARBUDS | {"kind": "deny"}


def _user(rt, tenant: str, login: str, role: str = "operator") -> str:
    users.operator_create_user(
        rt.uow(), tenant, users.NewUser(login=login, role=role, password=SecretStr(PASSWORD))
    )
    return login


def _orders(client, parties) -> list[str]:
    """Two earbuds orders and two others, filed by seller-a on platform-a; their buyers'
    names."""
    earbuds = next(c for c in synthetic.CATALOG if c["sku"] == "SZ-EB-01")
    others = [c for c in synthetic.CATALOG if not c["hs"].startswith("851830")]
    filed = []
    for n in range(4):
        rng = random.Random(n)
        goods = [earbuds] if n % 2 == 0 else others
        order = synthetic.order(rng, "platform-a", "seller-a", f"RULE-{n}", goods)
        r = client.post("/orders", json=order, headers=parties["seller-a"].headers)
        assert r.status_code == 201, r.text
        filed.append(order["buyer"]["name"])
    return filed


def _rows(page, table_id: str) -> list[list[str]]:
    doc = html.fromstring(page.content)
    return [
        [td.text_content().strip() for td in tr.xpath("td")]
        for tr in doc.xpath(f"//table[@id='{table_id}']/tbody/tr")
    ]


def test_the_editors_replay_equals_the_what_if_api_and_saving_adds_a_revision(rt, client, parties):
    reg = parties["regulator"].headers
    assert client.put("/compliance/rules/test.earbuds", json=FLAG_EARBUDS, headers=reg).is_success
    buyers = _orders(client, parties)
    api = client.post(
        "/compliance/what-if", json={"changes": {"test.earbuds": DENY_EARBUDS}}, headers=reg
    ).json()
    sign_in(client, _user(rt, "regulator", "rita@regulator"))
    page = client.get("/console/rules/test.earbuds")
    assert page.status_code == 200 and "test.earbuds" in page.text
    text = json.dumps(DENY_EARBUDS)
    shown = client.post(
        "/console/rules/test.earbuds/what-if",
        data={"csrf": csrf_of(page), "text": text, "days": "30"},
    )
    assert shown.status_code == 200, shown.text
    rows = _rows(shown, "what-if-orders")
    expected = [
        [
            c["order"]["order_no"],
            c["order"]["platform"],
            outcome_label(c["before"], "en"),
            outcome_label(c["after"], "en"),
        ]
        for c in api["changes"]
    ]
    assert [r[:4] for r in rows] == expected
    # the replay reads the orders masked, as the regulator reads them: no buyer's name
    assert not any(name in shown.text for name in buyers)
    # an independent look at the orders: the earbuds ones, and only they, become denied
    assert sorted(r[0] for r in rows if r[3] == "Denied") == ["RULE-0", "RULE-2"]
    for row, change in zip(rows, api["changes"], strict=True):
        assert {x["rule_id"] for x in change["responsible"]} <= set(row[4].split())
    summary = html.fromstring(shown.content).xpath("//p[@id='what-if-summary']")[0]
    assert f"{len(api['changes'])} of the {api['orders_replayed']} orders" in summary.text_content()
    # nothing stored by the replay; the confirming form saves through the use case of PUT
    history = client.get("/compliance/rules/test.earbuds/history", headers=reg).json()
    assert len(history) == 1
    confirm = html.fromstring(shown.content).xpath("//form[@action='/console/rules/test.earbuds']")
    assert confirm and confirm[0].xpath(".//input[@name='text']/@value")[0] == text
    saved = client.post(
        "/console/rules/test.earbuds",
        data={"csrf": csrf_of(page), "text": text},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    history = client.get("/compliance/rules/test.earbuds/history", headers=reg).json()
    assert [(h["revision"], h["by"], h["rule"]["kind"]) for h in history] == [
        (1, "regulator", "flag"),
        (2, "regulator", "deny"),
    ]
    after = client.get("/console/rules/test.earbuds")
    captions = html.fromstring(after.content).xpath("//h2[@id='history']/following::caption")
    assert captions[0].text_content().startswith("Revision 2: saved by regulator")
    changed = html.fromstring(after.content).xpath("//h2[@id='history']/following::table[1]//tr")
    cells = [[c.text_content() for c in tr.xpath("td")] for tr in changed[1:]]
    assert cells == [["kind", "flag", "deny"]]
    listed = _rows(client.get("/console/rules"), "rules")
    assert any(r[0] == "test.earbuds" and r[5].startswith("2 by regulator") for r in listed)
    client.cookies.set("cbec_lang", "zh")
    zh = client.get("/console/rules/test.earbuds")
    assert "修订历史" in zh.text and "第 2 版：保存，regulator" in zh.text
    assert "禁止（负面清单）" in zh.text


def test_a_bad_rule_is_refused_naming_the_field(rt, client, parties):
    reg = parties["regulator"].headers
    client.put("/compliance/rules/test.earbuds", json=FLAG_EARBUDS, headers=reg)
    sign_in(client, _user(rt, "regulator", "rita@regulator"))
    csrf = csrf_of(client.get("/console/rules/test.earbuds"))
    for body, field in (
        (FLAG_EARBUDS | {"kind": "forbid"}, "kind"),
        (FLAG_EARBUDS | {"match": [{"hs": ["85x"]}]}, "match[0].hs[0]"),
        (FLAG_EARBUDS | {"id": "another"}, "id"),
    ):
        api = client.put("/compliance/rules/test.earbuds", json=body, headers=reg)
        assert api.status_code == 422 and api.json()["errors"][0]["field"] == field
        page = client.post(
            "/console/rules/test.earbuds/what-if", data={"csrf": csrf, "text": json.dumps(body)}
        )
        assert page.status_code == 422
        problems = html.fromstring(page.content).xpath("//ul[@role='alert']/li/code/text()")
        assert problems == [field]
    for text in ('{"id": ', "[" * 100_000, "null", '"rule"', "NaN"):
        broken = client.post(
            "/console/rules/test.earbuds/what-if", data={"csrf": csrf, "text": text}
        )
        assert broken.status_code == 422, text[:10]
        assert html.fromstring(broken.content).xpath("//ul[@role='alert']/li")
    assert len(client.get("/compliance/rules/test.earbuds/history", headers=reg).json()) == 1


def test_a_seller_cannot_change_rules_and_forms_need_their_csrf_token(rt, client, parties):
    reg = parties["regulator"].headers
    client.put("/compliance/rules/test.earbuds", json=FLAG_EARBUDS, headers=reg)
    sign_in(client, _user(rt, "seller-a", "sam@seller-a", "admin"))
    page = client.get("/console/rules/test.earbuds")
    assert (
        page.status_code == 200 and 'action="/console/rules/test.earbuds/what-if"' not in page.text
    )
    assert "/console/rules" not in html.fromstring(page.content).xpath("string(//nav[1])")
    csrf = csrf_of(page)
    text = json.dumps(DENY_EARBUDS)
    api = client.put(
        "/compliance/rules/test.earbuds", json=DENY_EARBUDS, headers=parties["seller-a"].headers
    )
    for path in ("/console/rules/test.earbuds/what-if", "/console/rules/test.earbuds"):
        r = client.post(path, data={"csrf": csrf, "text": text})
        assert r.status_code == api.status_code == 403
    # a regulator's user who reads only is shown no form and may not save
    sign_in(client, _user(rt, "regulator", "vic@regulator", "viewer"))
    page = client.get("/console/rules/test.earbuds")
    assert page.status_code == 200 and "/what-if" not in page.text
    r = client.post("/console/rules/test.earbuds", data={"csrf": csrf_of(page), "text": text})
    assert r.status_code == 403
    sandboxes = client.get("/console/sandboxes")
    assert sandboxes.status_code == 200 and 'action="/console/sandboxes"' not in sandboxes.text
    form = {"csrf": csrf_of(page), "firm": "seller-a", "period_start": "2026-01-01"}
    r = client.post("/console/sandboxes", data=form | {"period_end": "2026-12-31"})
    assert r.status_code == 403
    assert client.get("/compliance/sandboxes", headers=reg).json() == []
    # a regulator's form without its token is refused too
    sign_in(client, _user(rt, "regulator", "rita@regulator"))
    r = client.post("/console/rules/test.earbuds", data={"csrf": "forged", "text": text})
    assert r.status_code == 403
    assert len(client.get("/compliance/rules/test.earbuds/history", headers=reg).json()) == 1


def test_a_platforms_own_rule_is_not_found_by_another_platform(rt, client, parties):
    own = FLAG_EARBUDS | {"id": "platform-a.flag.toys", "match": [{"hs": ["9503"]}]}
    r = client.put(
        "/compliance/rules/platform-a.flag.toys", json=own, headers=parties["platform-a"].headers
    )
    assert r.status_code == 200, r.text
    sign_in(client, _user(rt, "platform-a", "pat@platform-a"))
    mine = client.get("/console/rules/platform-a.flag.toys")
    assert mine.status_code == 200 and "/console/rules/platform-a.flag.toys/what-if" in mine.text
    # a starter rule it may read, not change (PUT answers 403): no form
    starter = client.get("/console/rules/cn.prohibited.weapons")
    assert starter.status_code == 200 and "/what-if" not in starter.text
    assert "platform-a.flag.toys" in client.get("/console/rules").text
    sign_in(client, _user(rt, "platform-b", "pia@platform-b"))
    assert client.get("/console/rules/platform-a.flag.toys").status_code == 404
    assert "platform-a.flag.toys" not in client.get("/console/rules").text
    assert client.get("/console/rules/no.such.rule").status_code == 404


def test_a_regulator_enrols_and_ends_a_sandbox_others_may_not(rt, client, parties):
    reg = parties["regulator"].headers
    client.put("/compliance/rules/test.earbuds", json=DENY_EARBUDS, headers=reg)
    sign_in(client, _user(rt, "platform-a", "pat@platform-a"))
    assert client.get("/console/sandboxes").status_code == 403
    sign_in(client, _user(rt, "regulator", "rita@regulator"))
    page = client.get("/console/sandboxes")
    assert page.status_code == 200
    form = {
        "csrf": csrf_of(page),
        "firm": "seller-a",
        "firm_role": "seller",
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "relaxed_rules": ["test.earbuds"],
        "max_orders": "1",
        "source": "pilot approval 2026-01",
    }
    bad = client.post("/console/sandboxes", data=form | {"period_end": "2025-12-31"})
    assert bad.status_code == 422 and "period_end" in bad.text
    done = client.post("/console/sandboxes", data=form)
    assert done.status_code == 200 and 'role="status"' in done.text
    (listed,) = client.get("/compliance/sandboxes", headers=reg).json()
    assert listed["firm"] == "seller-a" and listed["enrolment"]["max_orders"] == 1
    assert listed["enrolment"]["relaxed_rules"] == ["test.earbuds"]
    # an order of the firm is relaxed by it, and the report says so
    earbuds = next(c for c in synthetic.CATALOG if c["sku"] == "SZ-EB-01")
    order = synthetic.order(random.Random(5), "platform-a", "seller-a", "SBX-1", [earbuds])
    r = client.post("/orders", json=order, headers=parties["seller-a"].headers)
    assert r.is_success
    report = client.get("/compliance/sandboxes/report", headers=reg).json()["firms"]
    rows = _rows(client.get("/console/sandboxes"), "activity")
    assert rows == [
        [
            "seller-a",
            str(report["seller-a"]["orders_seen"]),
            str(report["seller-a"]["orders_relaxed"]),
            "1",
            "0",
        ]
    ]
    ended = client.post(
        f"/console/sandboxes/{listed['id']}/end",
        data={"csrf": form["csrf"]},
        follow_redirects=False,
    )
    assert ended.status_code == 303
    assert client.get("/compliance/sandboxes", headers=reg).json()[0]["ended_at"] is not None
    client.cookies.set("cbec_lang", "zh")
    for path, text in (
        ("/console/sandboxes", "监管沙盒"),
        ("/console/rules", "合规规则"),
        ("/console/rule-drafts", "新建规则"),
        ("/console/rules/test.earbuds", "修改本规则"),
    ):
        zh = client.get(path)
        assert zh.status_code == 200 and text in zh.text, path


def test_revision_changes_name_each_leaf_added_changed_or_removed():
    from cbec.compliance.revisions import changes

    before = FLAG_EARBUDS | {"match": [{"hs": ["851830", "851840"]}], "effective_to": None}
    after = FLAG_EARBUDS | {
        "kind": "deny",
        "match": [{"hs": ["851830"]}, {"keywords": {"en": ["earbuds"]}}],
        "note": "widened",
        "scope": {},
    }
    found = [(c.field, c.before, c.after) for c in changes(before, after)]
    assert found == [
        ("kind", "flag", "deny"),
        ("match[0].hs[1]", "851840", None),
        ("match[1].keywords.en[0]", None, "earbuds"),
        ("note", None, "widened"),
        ("scope.direction", "import", None),
    ]
    assert changes(after, after) == []
    added = [c.field for c in changes(None, FLAG_EARBUDS)]
    assert "title.zh" in added and "match[0].hs[0]" in added and "id" in added


def test_a_platform_writes_a_new_rule_of_its_own(rt, client, parties):
    _orders(client, parties)
    sign_in(client, _user(rt, "platform-a", "pat@platform-a"))
    page = client.get("/console/rule-drafts")
    assert (
        page.status_code == 200
        and 'href="/console/rule-drafts"' in client.get("/console/rules").text
    )
    csrf = csrf_of(page)
    new = DENY_EARBUDS | {"id": "platform-a.deny.earbuds"}
    api = client.post(
        "/compliance/what-if",
        json={"changes": {new["id"]: new}},
        headers=parties["platform-a"].headers,
    ).json()
    shown = client.post(
        "/console/rule-drafts/what-if", data={"csrf": csrf, "text": json.dumps(new)}
    )
    assert shown.status_code == 200, shown.text
    rows = _rows(shown, "what-if-orders")
    assert [r[0] for r in rows] == [c["order"]["order_no"] for c in api["changes"]]
    assert sorted(r[0] for r in rows) == ["RULE-0", "RULE-2"]
    taken = client.post(
        "/console/rule-drafts/what-if",
        data={"csrf": csrf, "text": json.dumps(new | {"id": "cn.prohibited.weapons"})},
    )
    assert taken.status_code == 422
    assert html.fromstring(taken.content).xpath("//ul[@role='alert']//code/text()") == ["id"]
    saved = client.post(
        "/console/rule-drafts", data={"csrf": csrf, "text": json.dumps(new)}, follow_redirects=False
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == "/console/rules/platform-a.deny.earbuds#history"
    history = client.get(
        "/compliance/rules/platform-a.deny.earbuds/history", headers=parties["platform-a"].headers
    ).json()
    assert [(h["revision"], h["by"]) for h in history] == [(1, "platform-a")]
    assert (
        client.post(
            "/console/rule-drafts", data={"csrf": csrf, "text": json.dumps(new)}
        ).status_code
        == 422
    )  # saved once: its id is taken now
    # it binds platform-a's orders only: platform-b is not told it exists
    sign_in(client, _user(rt, "platform-b", "pia@platform-b"))
    assert client.get("/console/rules/platform-a.deny.earbuds").status_code == 404
