"""The registry's console pages in both languages: the list and its new-record form, a
record's page (state, deadline, change log, the change and filing forms), refusals naming
the field, and the public transparency page — no sign-in, nothing private."""

from __future__ import annotations

import json

import pytest
from lxml import html
from pydantic import SecretStr

from cbec.services import users
from tests.console.test_console_access import PASSWORD, sign_in
from tests.governance.records import record


@pytest.fixture
def admin(rt, parties, client):
    for tenant in ("platform-a", "platform-b", "regulator"):
        users.operator_create_user(
            rt.uow(),
            tenant,
            users.NewUser(login=f"admin@{tenant}", role="admin", password=SecretStr(PASSWORD)),
        )
    return lambda tenant: sign_in(client, f"admin@{tenant}")


def test_file_change_and_record_the_filing_in_the_console(client, admin):
    csrf = admin("platform-a")
    page = client.get("/console/algorithms", headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 200
    assert "算法备案" in page.text and "个性化推送类" in page.text
    r = client.post(
        "/console/algorithms",
        data={"csrf": csrf, "text": json.dumps(record())},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    where = r.headers["location"]
    rid = where.rsplit("/", 1)[1]

    r = client.post(
        f"{where}/filing",
        data={"csrf": csrf, "filing_number": "网信算备-C1"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    body = record(name="Home feed v2")
    r = client.post(
        where,
        data={"csrf": csrf, "text": json.dumps(body), "summary": "renamed"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    doc = html.fromstring(client.get(where).content)
    assert doc.xpath("//dl[@id='algorithm-state']/@data-state") == ["refiling_due"]
    assert doc.xpath("//dd[@id='algorithm-due']/@data-due")  # the refiling deadline
    assert doc.xpath("//table[@id='algorithm-versions']//tr/@data-version") == ["2", "1"]
    assert "renamed" in doc.xpath("string(//table[@id='algorithm-versions'])")
    listed = html.fromstring(client.get("/console/algorithms").content)
    assert listed.xpath("//table[@id='algorithm-list']//tr/@data-id") == [rid]
    exported = client.get(f"{where}/export")
    assert exported.json()["sections"]["algorithm_basics"]["name"] == "Home feed v2"
    assert "attachment" in exported.headers["content-disposition"]


def test_refusals_name_the_field_in_the_pages_language(client, admin):
    csrf = admin("platform-a")
    r = client.post(
        "/console/algorithms",
        data={"csrf": csrf, "text": json.dumps(record(algorithm_type="magic"))},
        headers={"Accept-Language": "zh-CN"},
    )
    assert r.status_code == 422
    assert "algorithm_type" in r.text and "必须是五类算法之一" in r.text
    r = client.post("/console/algorithms", data={"csrf": csrf, "text": "{not json"})
    assert r.status_code == 422 and "<code>text</code>" in r.text


def test_another_tenant_gets_not_found_and_a_regulator_reads(client, admin):
    csrf = admin("platform-a")
    r = client.post(
        "/console/algorithms",
        data={"csrf": csrf, "text": json.dumps(record())},
        follow_redirects=False,
    )
    where = r.headers["location"]
    admin("platform-b")
    assert client.get(where).status_code == 404
    assert client.get(where + "/export").status_code == 404
    admin("regulator")
    page = client.get(where)
    assert page.status_code == 200
    assert not html.fromstring(page.content).xpath("//form[@action='" + where + "']")


def test_the_public_page_needs_no_sign_in_and_shows_nothing_private(client, parties, admin):
    headers = parties["platform-a"].headers
    rid = client.post("/algorithms", json=record(), headers=headers).json()["id"]
    client.post(f"/algorithms/{rid}/filing", json={"filing_number": "网信算备-W1"}, headers=headers)
    client.cookies.clear()
    for lang, expected in (("en", "Recommends products"), ("zh-CN", "本算法依据购买记录")):
        r = client.get("/console/transparency/platform-a", headers={"Accept-Language": lang})
        assert r.status_code == 200
        assert expected in r.text and "网信算备-W1" in r.text
        assert "the best predictor of the next purchase" in r.text
        for private in ("Chief technology officer", "gradient-boosted", "filter bubble", "SA-1"):
            assert private not in r.text
    r = client.get("/console/transparency/platform-b")
    assert r.status_code == 200 and 'id="none-filed"' in r.text
