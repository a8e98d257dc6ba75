"""Changing what was published over the API: ``PATCH /talent/experts/{id}`` and
``PATCH /talent/projects/{id}`` change only the fields given, are refused field by field as
publishing and posting are, reach nothing of another tenant's (404, as for an id that names
nothing), and a withdrawn profile or a closed project leaves the listings and the match."""

from __future__ import annotations

from tests.talent.world import EXPERT, OTHER, PROJECT, post


def patch(client, party, path: str, body, status: int = 200) -> dict:
    r = client.patch(path, json=body, headers=party.headers)
    assert r.status_code == status, r.text
    return r.json()


def test_a_profile_changes_only_the_fields_given(client, parties):
    expert = post(client, parties["ship-a"], "/talent/experts", EXPERT)
    url = f"/talent/experts/{expert['id']}"
    changed = patch(
        client,
        parties["ship-a"],
        url,
        {"headline": "Customs compliance for EU exporters", "contact": "li.hua@example.org"},
    )
    assert changed["headline"] == "Customs compliance for EU exporters"
    assert (changed["name"], changed["contact"]) == ("Li Hua", "li.hua@example.org")
    assert changed["skills"] == sorted(EXPERT["skills"])
    assert changed["day_rate"] == {"amount": "1200.00", "currency": "CNY"}
    assert changed["updated_at"] is not None and changed["withdrawn_at"] is None
    # another tenant: 404 exactly as for an id that names nothing
    for who in ("seller-b", "regulator"):
        theirs = client.patch(url, json={"headline": "x"}, headers=parties[who].headers)
        ghost = client.patch(
            "/talent/experts/" + "f" * 32, json={"headline": "x"}, headers=parties[who].headers
        )
        assert (theirs.status_code, theirs.json()["code"]) == (404, "not_found")
        assert (ghost.status_code, ghost.json()["code"]) == (404, "not_found")
    bad = {"skills": ["juggling"], "certificates": [{"kind": "nope", "issuer": "x", "number": "1"}]}
    r = client.patch(url, json=bad, headers=parties["ship-a"].headers)
    assert r.status_code == 422
    assert {(e["field"], e["rule"]) for e in r.json()["errors"]} == {
        ("skills[0]", "talent_unknown_code"),
        ("certificates[0].kind", "talent_unknown_code"),
    }
    r = client.patch(url, json={"days_per_week": 8, "extra": 1}, headers=parties["ship-a"].headers)
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"days_per_week", "extra"}


def test_a_withdrawn_profile_leaves_the_listing_and_the_match(client, parties):
    a = post(client, parties["ship-a"], "/talent/experts", EXPERT)
    b = post(client, parties["seller-b"], "/talent/experts", OTHER)
    project = post(client, parties["seller-a"], "/talent/projects", PROJECT)
    matches = f"/talent/projects/{project['id']}/matches"
    patch(client, parties["ship-a"], f"/talent/experts/{a['id']}", {"withdrawn": True})
    seller = parties["seller-a"].headers
    listed = client.get("/talent/experts", headers=seller).json()["experts"]
    assert [x["id"] for x in listed] == [b["id"]]
    assert client.get(f"/talent/experts/{a['id']}", headers=seller).status_code == 404
    found = client.post(matches, headers=seller).json()["matches"]
    assert [x["expert_id"] for x in found] == [b["id"]]
    engage = {
        "project_id": project["id"],
        "expert_id": a["id"],
        "cost": {"amount": "100.00", "currency": "CNY"},
        "starts_on": "2026-01-01",
        "ends_on": "2026-01-31",
    }
    r = client.post("/talent/engagements", json=engage, headers=seller)
    assert r.status_code == 404
    # its publisher still reads it, among its own, and publishes it again
    own = client.get("/talent/experts?mine=true", headers=parties["ship-a"].headers).json()
    assert [(x["id"], x["withdrawn_at"] is not None) for x in own["experts"]] == [(a["id"], True)]
    patch(client, parties["ship-a"], f"/talent/experts/{a['id']}", {"withdrawn": False})
    found = client.post(matches, headers=seller).json()["matches"]
    assert [x["expert_id"] for x in found] == [a["id"], b["id"]]


def test_a_project_changes_and_closes(client, parties):
    post(client, parties["ship-a"], "/talent/experts", EXPERT)
    project = post(client, parties["seller-a"], "/talent/projects", PROJECT)
    url = f"/talent/projects/{project['id']}"
    seller = parties["seller-a"]
    # the day budget met in full: budget 10 × 1 instead of 10 × 1000/1200 (75.83 - 8.33 + 10)
    changed = patch(client, seller, url, {"day_budget": {"amount": "1200.00", "currency": "CNY"}})
    assert changed["title"] == PROJECT["title"] and changed["day_budget"]["amount"] == "1200.00"
    found = client.post(f"{url}/matches", headers=seller.headers).json()
    assert found["matches"][0]["total"] == "77.50"
    r = client.patch(url, json={"ends_on": "2025-12-31"}, headers=seller.headers)
    assert r.status_code == 422
    assert [(e["field"], e["rule"]) for e in r.json()["errors"]] == [("ends_on", "talent_period")]
    r = client.patch(url, json={"title": "x"}, headers=parties["seller-b"].headers)
    assert (r.status_code, r.json()["code"]) == (404, "not_found")
    closed = patch(client, seller, url, {"closed": True})
    assert closed["closed_at"] is not None
    r = client.post(f"{url}/matches", headers=seller.headers)
    assert (r.status_code, r.json()["code"]) == (409, "talent_project_closed")
    zh = seller.headers | {"Accept-Language": "zh"}
    r = client.post(f"{url}/matches", headers=zh)
    assert r.json()["detail"] == "项目已关闭：重新开放后才能匹配专家或开展合作"
    assert patch(client, seller, url, {"closed": False})["closed_at"] is None
    assert client.post(f"{url}/matches", headers=seller.headers).status_code == 200


def test_the_patch_routes_say_their_refusals(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path, model in (
        ("/talent/experts/{expert_id}", "ExpertChange"),
        ("/talent/projects/{project_id}", "ProjectChange"),
    ):
        op = paths[path]["patch"]
        assert {"404", "422"} <= set(op["responses"])
        body = op["requestBody"]["content"]["application/json"]["schema"]
        assert body["$ref"].endswith(model)
