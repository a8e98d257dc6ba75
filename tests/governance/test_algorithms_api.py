"""The algorithm registry over HTTP: filing, changing, refiling with the deadline counted in
Chinese working days, the change log, the export, tenant isolation (another tenant's record
is "not found"), 4xx naming the field, the evidence log, and the public list that needs no
key and shows nothing private."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cbec.services import algorithms as svc
from tests.governance.records import record


@pytest.fixture
def clock(monkeypatch):
    """The services' clock, set by the test: ``clock.at = datetime(...)``."""

    class Clock:
        at = datetime(2026, 2, 13, 2, 0, tzinfo=UTC)  # Fri 2026-02-13 10:00 in China

    monkeypatch.setattr(svc, "now", lambda: Clock.at)
    return Clock


def test_file_change_refile_and_the_deadline(client, parties, clock):
    mine = parties["platform-a"].headers
    r = client.post("/algorithms", json=record(launch_date=None), headers=mine)
    assert r.status_code == 201, r.text
    created = r.json()
    rid = created["id"]
    assert (created["version"], created["state"], created["due_by"]) == (1, "draft", None)
    assert created["owner"] == "platform-a"

    # a change of a draft: a new version, still a draft
    change = {"record": record(name="Home feed v2", launch_date=None), "change_summary": "renamed"}
    r = client.put(f"/algorithms/{rid}", json=change, headers=mine)
    assert (r.json()["version"], r.json()["state"]) == (2, "draft")

    r = client.post(
        f"/algorithms/{rid}/filing", json={"filing_number": "网信算备-A1"}, headers=mine
    )
    assert r.status_code == 200, r.text
    assert (r.json()["state"], r.json()["filing_number"], r.json()["filed_version"]) == (
        "filed",
        "网信算备-A1",
        2,
    )

    # a change after filing, on Fri 2026-02-13: to be refiled by Thu 2026-03-05 (Spring
    # Festival 2-15…2-23 off, Sat 2-14 and Sat 2-28 worked; see test_workdays.py)
    body = record(name="Home feed v2", launch_date=None)
    body["main_parameters"][0] = body["main_parameters"][0] | {"weight": "0.5"}
    change = {"record": body, "change_summary": "weight of past purchases lowered"}
    r = client.put(f"/algorithms/{rid}", json=change, headers=mine)
    changed = r.json()
    assert (changed["version"], changed["state"], changed["due_by"]) == (
        3,
        "refiling_due",
        "2026-03-05",
    )
    assert changed["overdue"] is False

    # a second change keeps the first one's clock; the same record again makes no version
    clock.at = datetime(2026, 3, 6, 2, 0, tzinfo=UTC)
    body["purpose"] = "Show each shopper what may interest them."
    r = client.put(
        f"/algorithms/{rid}", json={"record": body, "change_summary": "purpose"}, headers=mine
    )
    assert (r.json()["version"], r.json()["due_by"], r.json()["overdue"]) == (
        4,
        "2026-03-05",
        True,
    )
    r = client.put(
        f"/algorithms/{rid}", json={"record": body, "change_summary": "again"}, headers=mine
    )
    assert r.json()["version"] == 4

    log = client.get(f"/algorithms/{rid}/versions", headers=mine).json()["versions"]
    assert [v["version"] for v in log] == [1, 2, 3, 4]
    assert log[2]["changed_fields"] == ["main_parameters"]
    assert log[2]["summary"] == "weight of past purchases lowered"
    assert log[1]["filing_number"] == "网信算备-A1" and log[2]["filing_number"] is None
    assert len({v["body_sha256"] for v in log}) == 4

    listed = client.get("/algorithms", headers=mine).json()["algorithms"]
    assert [(a["id"], a["state"], a["overdue"]) for a in listed] == [(rid, "refiling_due", True)]

    r = client.post(
        f"/algorithms/{rid}/filing", json={"filing_number": "网信算备-A2"}, headers=mine
    )
    assert (r.json()["state"], r.json()["due_by"], r.json()["filed_version"]) == ("filed", None, 4)


def test_the_export_is_filing_ready(client, parties, clock):
    mine = parties["platform-a"].headers
    rid = client.post("/algorithms", json=record(), headers=mine).json()["id"]
    out = client.get(f"/algorithms/{rid}/export", headers=mine).json()
    assert out["format"] == "cbec.algorithm-filing/v1"
    assert out["state"] == "draft"
    # launched Mon 2026-03-02: due 10 working days later, Mon 2026-03-16
    assert out["due_by"] == "2026-03-16"
    assert out["sections"]["algorithm_basics"]["algorithm_type_label"]["en"] == (
        "Personalised recommendation"
    )
    assert out["sections"]["entity"]["provider"]["legal_name"] == "Example Mall Ltd"
    assert [e["version"] for e in out["change_log"]] == [1]


def test_another_tenant_learns_nothing_and_a_regulator_reads_all(client, parties, clock):
    rid = client.post("/algorithms", json=record(), headers=parties["platform-a"].headers)
    rid = rid.json()["id"]
    for who in ("platform-b", "seller-a", "pay-a"):
        for path in (
            f"/algorithms/{rid}",
            f"/algorithms/{rid}/versions",
            f"/algorithms/{rid}/export",
        ):
            theirs = client.get(path, headers=parties[who].headers)
            none = client.get(path.replace(rid, "f" * 32), headers=parties[who].headers)
            assert theirs.status_code == none.status_code == 404, (who, path)
            assert theirs.json()["code"] == none.json()["code"]
        assert client.get("/algorithms", headers=parties[who].headers).json() == {"algorithms": []}
    other = parties["platform-b"].headers
    change = {"record": record(), "change_summary": "x"}
    assert client.put(f"/algorithms/{rid}", json=change, headers=other).status_code == 404
    filing = {"filing_number": "X"}
    assert client.post(f"/algorithms/{rid}/filing", json=filing, headers=other).status_code == 404
    regulator = parties["regulator"].headers
    assert client.get(f"/algorithms/{rid}", headers=regulator).status_code == 200
    listed = client.get("/algorithms", params={"owner": "platform-a"}, headers=regulator)
    assert [a["id"] for a in listed.json()["algorithms"]] == [rid]
    # a regulator reads, but files nothing
    assert client.put(f"/algorithms/{rid}", json=change, headers=regulator).status_code == 403


def test_sellers_file_their_own_others_may_not(client, parties, clock):
    r = client.post("/algorithms", json=record(), headers=parties["seller-a"].headers)
    assert r.status_code == 201
    for who in ("pay-a", "ship-a", "regulator"):
        r = client.post("/algorithms", json=record(), headers=parties[who].headers)
        assert (r.status_code, r.json()["code"]) == (403, "role_forbidden"), who


@pytest.mark.parametrize(
    ("body", "field", "rule"),
    [
        (record(algorithm_type="magic"), "algorithm_type", "algorithm_type_unknown"),
        (record(main_parameters=[]), "main_parameters", "too_short"),
        (record(public_text={"zh": "只有中文"}), "public_text.en", "missing"),
        (
            record(provider={"legal_name": "X", "security_owner": "CTO", "uscc": "123"}),
            "provider.uscc",
            "string_pattern_mismatch",
        ),
    ],
)
def test_bad_input_is_a_4xx_naming_the_field(client, parties, clock, body, field, rule):
    r = client.post(
        "/algorithms", json=body, headers=parties["platform-a"].headers | {"Accept-Language": "zh"}
    )
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    errors = {(e["field"], e["rule"]) for e in r.json()["errors"]}
    assert (field, rule) in errors


def test_a_repeated_rank_is_named_in_a_change(client, parties, clock):
    mine = parties["platform-a"].headers
    rid = client.post("/algorithms", json=record(), headers=mine).json()["id"]
    body = record()
    body["main_parameters"][1]["rank"] = 1
    r = client.put(
        f"/algorithms/{rid}",
        json={"record": body, "change_summary": "x"},
        headers=mine | {"Accept-Language": "zh-CN"},
    )
    assert r.status_code == 422
    (error,) = r.json()["errors"]
    assert (error["field"], error["rule"]) == (
        "record.main_parameters[1].rank",
        "parameter_rank_repeated",
    )
    assert error["message"] == "另一个主要参数已使用此排序"


def test_every_change_is_in_the_evidence_log_without_the_records_text(client, parties, clock):
    mine = parties["platform-a"].headers
    created = client.post("/algorithms", json=record(), headers=mine).json()
    entry = client.get(f"/ledger/entries/{created['ledger']['index']}", headers=mine).json()
    parsed = entry["entry"]
    assert parsed["type"] == "cbec.algorithms/v1"
    assert (parsed["algorithm"], parsed["action"], parsed["version"]) == (
        created["id"],
        "create",
        1,
    )
    assert len(parsed["sha256"]) == 64
    assert "Example Mall" not in str(parsed) and "Chief" not in str(parsed)
    filed = client.post(
        f"/algorithms/{created['id']}/filing", json={"filing_number": "N-1"}, headers=mine
    ).json()
    entry = client.get(f"/ledger/entries/{filed['ledger']['index']}", headers=mine).json()
    assert (entry["entry"]["action"], entry["entry"]["filing_number"]) == ("file", "N-1")


def test_the_public_list_needs_no_key_and_shows_only_the_filed_public_part(client, parties, clock):
    mine = parties["platform-a"].headers
    rid = client.post("/algorithms", json=record(), headers=mine).json()["id"]
    client.post("/algorithms", json=record(name="Never filed"), headers=mine)
    assert client.get("/public/platforms/platform-a/algorithms").json()["algorithms"] == []
    client.post(f"/algorithms/{rid}/filing", json={"filing_number": "网信算备-P1"}, headers=mine)
    later = record(public_text={"zh": "未备案的新文本", "en": "an unfiled new text"})
    client.put(f"/algorithms/{rid}", json={"record": later, "change_summary": "text"}, headers=mine)

    r = client.get("/public/platforms/platform-a/algorithms")  # no Authorization header
    assert r.status_code == 200
    (shown,) = r.json()["algorithms"]
    assert (shown["id"], shown["version"], shown["filing_number"]) == (rid, 1, "网信算备-P1")
    assert shown["public_text"]["en"].startswith("Recommends products")  # the filed version
    assert shown["main_parameters"][0]["reason_for_importance"]
    assert shown["non_profiling_option"] == {
        "available": True,
        "description": "sort by popularity only",
    }
    assert shown["algorithm_type_label"]["zh"] == "个性化推送类"
    text = r.text
    for private in (
        "Chief technology officer",
        "SA-1",
        "gradient-boosted",
        "filter bubble",
        "order history",
        "Never filed",
        "未备案",
    ):
        assert private not in text, private
    assert client.get("/public/platforms/no-such-tenant/algorithms").json()["algorithms"] == []
