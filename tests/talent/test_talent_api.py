"""Talent sharing over the API: profiles with sealed personal fields, projects read by their
seller alone, the explainable match with hand-computed scores, engagements along their state
machine, one rating after delivery and the cost against a full-time hire — every step logged
without personal data."""

from __future__ import annotations

import json

from sqlalchemy import select

from cbec.privacy.fieldcrypt import KeyRing
from cbec.store.tables import talent_events, talent_experts
from tests.talent.world import EXPERT, OTHER, PROJECT, engagement, post


def test_a_profile_keeps_its_personal_fields_sealed(client, parties, rt):
    expert = post(client, parties["ship-a"], "/talent/experts", EXPERT)
    assert (expert["name"], expert["contact"]) == ("Li Hua", "lihua@example.cn")
    assert expert["certificates"][0]["number"] == "1X-2023-000417"
    assert expert["owner"] == "ship-a" and expert["personal_shown"] is True
    # another tenant reads the profile, not the person
    seen = client.get(f"/talent/experts/{expert['id']}", headers=parties["seller-b"].headers)
    assert seen.status_code == 200
    body = seen.json()
    assert body["headline"] == EXPERT["headline"] and body["skills"] == sorted(EXPERT["skills"])
    assert (body["name"], body["contact"], body["personal_shown"]) == (None, None, False)
    assert body["certificates"] == [
        {"kind": "1x_cbec_b2b_data_ops", "issuer": "Alibaba.com", "number": None}
    ]
    with rt.uow() as uow:
        row = uow.conn.execute(select(talent_experts)).one()
        events = [r.entry for r in uow.conn.execute(select(talent_events))]
    assert KeyRing.is_token(row.name) and KeyRing.is_token(row.contact)
    assert "1X-2023-000417" not in row.certificates
    for text in events:
        for secret in ("Li Hua", "lihua@example.cn", "1X-2023-000417"):
            assert secret not in text


def test_unknown_codes_and_roles_are_refused_by_name(client, parties):
    bad = EXPERT | {"skills": ["customs_compliance", "juggling"], "languages": ["xx"]}
    r = client.post("/talent/experts", json=bad, headers=parties["ship-a"].headers)
    assert r.status_code == 422
    assert {(e["field"], e["rule"]) for e in r.json()["errors"]} == {
        ("skills[1]", "talent_unknown_code"),
        ("languages[0]", "talent_unknown_code"),
    }
    r = client.post("/talent/experts", json=EXPERT, headers=parties["regulator"].headers)
    assert r.status_code == 403 and r.json()["code"] == "talent_expert_publisher"
    r = client.post("/talent/projects", json=PROJECT, headers=parties["platform-a"].headers)
    assert r.status_code == 403 and r.json()["code"] == "talent_project_seller"
    late = PROJECT | {"ends_on": "2025-12-31"}
    r = client.post("/talent/projects", json=late, headers=parties["seller-a"].headers)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "ends_on"
    zh = parties["seller-a"].headers | {"Accept-Language": "zh"}
    r = client.post("/talent/projects", json=late, headers=zh)
    assert r.json()["errors"][0]["message"] == "结束日期早于开始日期（2026-01-01）"


def test_the_match_shows_every_part_of_every_score(client, parties, rt):
    a = post(client, parties["ship-a"], "/talent/experts", EXPERT)
    b = post(client, parties["seller-b"], "/talent/experts", OTHER)
    project = post(client, parties["seller-a"], "/talent/projects", PROJECT)
    url = f"/talent/projects/{project['id']}/matches"
    r = client.post(url, headers=parties["seller-a"].headers)
    assert r.status_code == 200, r.text
    found = r.json()
    assert [m["expert_id"] for m in found["matches"]] == [a["id"], b["id"]]
    first = found["matches"][0]
    # 45 × 5/6 + 15 × 1/2 + 15 × 1 + 10 × 1/2 (never rated) + 10 × 1000/1200 + 5 × 2/4
    assert {p["component"]: (p["share"], p["contribution"]) for p in first["parts"]} == {
        "skills": ("5/6", "37.50"),
        "languages": ("1/2", "7.50"),
        "certificates": ("1/1", "15.00"),
        "rating": ("1/2", "5.00"),
        "budget": ("5/6", "8.33"),
        "availability": ("1/2", "2.50"),
    }
    assert first["total"] == "75.83"
    # 45 + 15 + 0 + 5 + 0 (rate in USD) + 5
    assert found["matches"][1]["total"] == "70.00"
    logged = json.loads(rt.ledger.entry(found["ledger_index"]).data)
    assert logged["event"] == "matched" and logged["project"] == project["id"]
    assert logged["ranking"] == [[a["id"], "75.83"], [b["id"], "70.00"]]
    # the project is its seller's: anyone else is told "not found"
    for who in ("seller-b", "ship-a", "regulator"):
        r = client.post(url, headers=parties[who].headers)
        assert r.status_code == 404, who
        r = client.get(f"/talent/projects/{project['id']}", headers=parties[who].headers)
        assert r.status_code == 404, who


def test_an_engagement_from_delivery_to_rating(client, parties):
    world = engagement(client, parties)
    e = world["engagement"]
    seller, expert_side = parties["seller-a"], parties["ship-a"]
    assert (e["seller"], e["expert_owner"], e["score"]) == ("seller-a", "ship-a", "75.83")
    # 60 days; 180000 × 1.30 × 60/365 = 38465.75 against 20000.00
    c = e["comparison"]
    assert (c["days"], c["full_time_cost"], c["saving"], c["ratio"]) == (
        60,
        "38465.75",
        "18465.75",
        "0.5199",
    )
    assert "EXAMPLE" in c["source"]
    url = f"/talent/engagements/{e['id']}"
    # the SME now reads the expert's name; a third tenant still does not
    named = client.get(f"/talent/experts/{world['expert']['id']}", headers=seller.headers)
    assert named.json()["name"] == "Li Hua"
    assert client.get(url, headers=parties["seller-b"].headers).status_code == 404
    r = client.post(f"{url}/rating", json={"rating": 5}, headers=seller.headers)
    assert r.status_code == 409 and r.json()["code"] == "talent_not_delivered"
    r = client.post(f"{url}/steps", json={"number": 1, "to": "accepted"}, headers=seller.headers)
    assert r.status_code == 409 and r.json()["code"] == "talent_deliverable_step"
    r = client.post(f"{url}/steps", json={"number": 1, "to": "submitted"}, headers=seller.headers)
    assert r.status_code == 403 and r.json()["code"] == "talent_deliverable_side"
    r = client.post(f"{url}/steps", json={"number": 3, "to": "submitted"}, headers=seller.headers)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "number"
    for n in (1, 2):
        post(client, expert_side, f"{url}/steps", {"number": n, "to": "submitted"}, 200)
        post(client, seller, f"{url}/steps", {"number": n, "to": "accepted"}, 200)
    r = client.post(f"{url}/rating", json={"rating": 4}, headers=expert_side.headers)
    assert r.status_code == 403 and r.json()["code"] == "talent_rating_side"
    r = client.post(f"{url}/rating", json={"rating": 6}, headers=seller.headers)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "rating"
    done = post(client, seller, f"{url}/rating", {"rating": 4}, 200)
    assert (done["rating"], done["delivered"]) == (4, True)
    r = client.post(f"{url}/rating", json={"rating": 5}, headers=seller.headers)
    assert r.status_code == 409 and r.json()["code"] == "talent_rated"
    assert [ev["event"] for ev in done["events"]] == ["engaged"] + ["deliverable"] * 4 + ["rated"]
    assert all(ev["ledger_index"] is not None for ev in done["events"])
    # the rating now counts in the expert's profile and the next match
    profile = client.get(f"/talent/experts/{world['expert']['id']}", headers=seller.headers)
    assert (profile.json()["ratings"], profile.json()["rating_average"]) == (1, "4.00")
    listed = client.get("/talent/engagements", headers=expert_side.headers).json()
    assert [x["id"] for x in listed["engagements"]] == [e["id"]]


def test_an_unknown_benchmark_is_named(client, parties):
    world = engagement(client, parties)
    body = {
        "project_id": world["project"]["id"],
        "expert_id": world["expert"]["id"],
        "cost": {"amount": "100.00", "currency": "USD"},
        "starts_on": "2026-01-01",
        "ends_on": "2026-01-10",
        "benchmark": "nowhere",
    }
    r = client.post("/talent/engagements", json=body, headers=parties["seller-a"].headers)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "benchmark"
    body["benchmark"] = "example_cbec_specialist"
    other = post(client, parties["seller-a"], "/talent/engagements", body)
    # another currency: no exchange rate is guessed
    assert other["comparison"]["full_time_cost"] is None
    assert other["comparison"]["currency"] == "CNY"
