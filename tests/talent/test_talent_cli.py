"""``cbec talent``: the same use cases from the command line — publish, post, match, engage,
move and rate; a refused input exits 2 naming the field."""

from __future__ import annotations

import json

from tests.talent.world import EXPERT, PROJECT


def test_talent_from_the_command_line(cli, parties, tmp_path):
    def body(name: str, data: dict) -> str:
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        return str(path)

    def run(*args: str) -> dict:
        r = cli("talent", *args)
        assert r.exit_code == 0, r.output
        return json.loads(r.stdout)

    expert = run("publish", body("expert", EXPERT), "--as", "ship-a")
    assert expert["name"] == "Li Hua"
    project = run("post", body("project", PROJECT), "--as", "seller-a")
    found = run("match", project["id"], "--as", "seller-a")
    assert [(m["expert_id"], m["total"]) for m in found["matches"]] == [(expert["id"], "75.83")]
    engage = {
        "project_id": project["id"],
        "expert_id": expert["id"],
        "cost": {"amount": "20000.00", "currency": "CNY"},
        "starts_on": "2026-01-01",
        "ends_on": "2026-03-01",
        "benchmark": "example_cbec_specialist",
    }
    e = run("engage", body("engage", engage), "--as", "seller-a")
    assert e["comparison"]["full_time_cost"] == "38465.75"
    run("deliver", e["id"], "--as", "seller-a", "--title", "Review")
    run("step", e["id"], "--as", "ship-a", "--number", "1", "--to", "submitted")
    run("step", e["id"], "--as", "seller-a", "--number", "1", "--to", "accepted")
    done = run("rate", e["id"], "--as", "seller-a", "--rating", "5")
    assert (done["rating"], done["delivered"]) == (5, True)
    # an outsider: no such engagement; bad input: the field named
    r = cli("talent", "show", e["id"], "--as", "seller-b")
    assert r.exit_code == 2 and "no such engagement" in r.stderr
    r = cli("talent", "rate", e["id"], "--as", "seller-a", "--rating", "9")
    assert r.exit_code == 2 and "rating" in r.stderr
    bad = body("bad", EXPERT | {"skills": ["juggling"]})
    r = cli("talent", "publish", bad, "--as", "ship-a")
    assert r.exit_code == 2 and "skills[0]" in r.stderr and "talent_unknown_code" in r.stderr


def test_change_withdraw_and_close_from_the_command_line(cli, parties, tmp_path):
    def body(name: str, data: dict) -> str:
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        return str(path)

    def run(*args: str) -> dict:
        r = cli("talent", *args)
        assert r.exit_code == 0, r.output
        return json.loads(r.stdout)

    expert = run("publish", body("expert", EXPERT), "--as", "ship-a")
    change = body("change", {"headline": "Customs compliance, EU", "days_per_week": 3})
    changed = run("expert-update", expert["id"], change, "--as", "ship-a")
    assert (changed["headline"], changed["days_per_week"]) == ("Customs compliance, EU", 3)
    assert changed["skills"] == sorted(EXPERT["skills"])
    gone = run("expert-update", expert["id"], "--withdraw", "--as", "ship-a")
    assert gone["withdrawn_at"] is not None
    assert run("experts", "--as", "seller-a")["experts"] == []
    assert [x["id"] for x in run("experts", "--mine", "--as", "ship-a")["experts"]] == [
        expert["id"]
    ]
    back = run("expert-update", expert["id"], "--republish", "--as", "ship-a")
    assert back["withdrawn_at"] is None
    project = run("post", body("project", PROJECT), "--as", "seller-a")
    closed = run("project-update", project["id"], "--close", "--as", "seller-a")
    assert closed["closed_at"] is not None
    r = cli("talent", "match", project["id"], "--as", "seller-a")
    assert r.exit_code == 2 and "the project is closed" in r.stderr
    reopened = run(
        "project-update",
        project["id"],
        body("title", {"title": "T2"}),
        "--reopen",
        "--as",
        "seller-a",
    )
    assert (reopened["title"], reopened["closed_at"]) == ("T2", None)
    # another tenant: no such profile; a bad field: named
    r = cli("talent", "expert-update", expert["id"], change, "--as", "seller-b")
    assert r.exit_code == 2 and "no such expert profile" in r.stderr
    bad = body("bad", {"skills": ["juggling"]})
    r = cli("talent", "expert-update", expert["id"], bad, "--as", "ship-a")
    assert r.exit_code == 2 and "skills[0]" in r.stderr and "talent_unknown_code" in r.stderr
    r = cli(
        "talent",
        "project-update",
        project["id"],
        body("x", {"days_per_week": 9}),
        "--as",
        "seller-a",
    )
    assert r.exit_code == 2 and "days_per_week" in r.stderr
