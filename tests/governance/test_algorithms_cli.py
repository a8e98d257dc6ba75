"""``cbec algorithms …``: the same use cases as the API, from the command line — a record
filed from a JSON file, changed, filed, listed, exported and shown publicly; a refused input
exits 2 naming the field."""

from __future__ import annotations

import json

from tests.governance.records import record


def test_create_change_file_and_export(cli, parties, tmp_path):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(record(launch_date=None)), encoding="utf-8")
    r = cli("algorithms", "create", path, "--as", "platform-a")
    assert r.exit_code == 0, r.output
    created = json.loads(r.stdout)
    rid = created["id"]
    assert (created["state"], created["version"]) == ("draft", 1)

    r = cli("algorithms", "file", rid, "网信算备-CLI", "--as", "platform-a")
    assert json.loads(r.stdout)["state"] == "filed"
    path.write_text(json.dumps(record(name="Feed v2", launch_date=None)), encoding="utf-8")
    r = cli("algorithms", "change", rid, path, "--summary", "renamed", "--as", "platform-a")
    changed = json.loads(r.stdout)
    assert (changed["version"], changed["state"]) == (2, "refiling_due")
    assert changed["due_by"]  # 10 Chinese working days after today, whatever today is

    r = cli("algorithms", "versions", rid, "--as", "platform-a")
    assert [v["summary"] for v in json.loads(r.stdout)["versions"]] == ["created", "renamed"]
    listed = json.loads(cli("algorithms", "list", "--as", "regulator").stdout)["algorithms"]
    assert [(a["id"], a["owner"]) for a in listed] == [(rid, "platform-a")]
    exported = json.loads(cli("algorithms", "export", rid, "--as", "platform-a").stdout)
    assert exported["sections"]["algorithm_basics"]["name"] == "Feed v2"
    shown = json.loads(cli("algorithms", "public", "platform-a").stdout)["algorithms"]
    assert [(a["name"], a["filing_number"]) for a in shown] == [
        ("Home feed ranking", "网信算备-CLI")
    ]
    assert "self_assessment" not in shown[0]


def test_refusals_name_the_field(cli, parties, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(record(algorithm_type="magic")), encoding="utf-8")
    r = cli("algorithms", "create", path, "--as", "platform-a")
    assert r.exit_code == 2
    assert "algorithm_type" in r.stderr and "algorithm_type_unknown" in r.stderr
    path.write_text(json.dumps(record(risks=[])), encoding="utf-8")
    r = cli("algorithms", "create", path, "--as", "platform-a")
    assert r.exit_code == 2 and "risks" in r.stderr
    r = cli("algorithms", "show", "f" * 32, "--as", "platform-a")
    assert r.exit_code == 2 and "no such algorithm record" in r.stderr
    path.write_text(json.dumps(record()), encoding="utf-8")
    r = cli("algorithms", "create", path, "--as", "pay-a")
    assert r.exit_code == 2 and "platform, seller" in r.stderr, r.stderr
    r = cli("algorithms", "create", tmp_path / "absent.json", "--as", "platform-a")
    assert r.exit_code == 2 and "absent.json" in r.stderr
