"""A bulk import of junk stays bounded: the report keeps the first rejected rows with their
reasons and counts the rest; the CLI's rejects file still lists every row; a rejected batch
is checked without taking the database's write lock."""

from __future__ import annotations

import json
import random
from collections import Counter

import pytest

from cbec.trade.kinds import KINDS
from cbec.trade.report import REPORT_LIMIT
from cbec.trade.validation import validate
from tests.conftest import ON_POSTGRES, make_order, sqlite_path
from tests.documents.test_import import count, jsonl, post_import

JUNK_ROWS = 2 * REPORT_LIMIT + 57


def junk_rules() -> Counter[str]:
    """The rules one ``{}`` order breaks (the report counts them over every row)."""
    _, violations = validate(KINDS["order"], {})
    return Counter(v.rule for v in violations)


def test_report_of_a_junk_import_is_capped_and_counts_every_row(client, parties):
    seller = parties["seller-a"]
    r = post_import(client, seller, "{}\n" * JUNK_ROWS)
    assert r.status_code == 422
    report = r.json()["report"]
    assert report["written"] is False
    assert report["rejected"] == JUNK_ROWS
    assert report["rejects_truncated"] is True
    assert [x["row"] for x in report["rejects"]] == list(range(1, REPORT_LIMIT + 1))
    assert all(x["errors"] for x in report["rejects"])
    per_row = junk_rules()
    assert report["rejected_by_rule"] == {rule: n * JUNK_ROWS for rule, n in per_row.items()}
    assert str(JUNK_ROWS) in r.json()["detail"]
    assert count(client, seller) == 0


def test_continue_on_error_writes_good_rows_and_counts_the_junk(client, parties):
    seller = parties["seller-a"]
    rng = random.Random(3)
    good = jsonl(make_order(rng, i) for i in range(5))
    r = post_import(client, seller, good + "{}\n" * JUNK_ROWS, continue_on_error="true")
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["created"], body["rejected"], body["written"]) == (5, JUNK_ROWS, True)
    assert len(body["rejects"]) == REPORT_LIMIT
    assert body["rejects"][0]["row"] == 6
    assert count(client, seller) == 5


def test_small_report_lists_every_reject_untruncated(client, parties):
    r = post_import(client, parties["seller-a"], "{}\n[]\n")
    report = r.json()["report"]
    assert report["rejected"] == 2 and report["rejects_truncated"] is False
    assert [x["row"] for x in report["rejects"]] == [1, 2]
    assert report["rejected_by_rule"]["row_not_object"] == 1


def test_cli_rejects_file_lists_every_row(cli, parties, client, tmp_path):
    rng = random.Random(5)
    path = tmp_path / "orders.jsonl"
    path.write_text(jsonl(make_order(rng, i) for i in range(3)) + "{}\n" * JUNK_ROWS)
    r = cli("import", "orders", str(path), "--as", "seller-a", "--continue-on-error")
    assert r.exit_code == 1
    assert f"3 created, 0 unchanged, {JUNK_ROWS} rejected" in r.output
    rows = [
        json.loads(x) for x in (tmp_path / "orders.jsonl.rejects.jsonl").read_text().splitlines()
    ]
    assert [x["row"] for x in rows] == list(range(4, 4 + JUNK_ROWS))
    assert count(client, parties["seller-a"]) == 3


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's single write lock")
@pytest.mark.parametrize(("params", "status"), [({}, 422), ({"continue_on_error": "true"}, 200)])
def test_a_junk_batch_is_checked_without_the_write_lock(client, parties, rt, params, status):
    """Another writer holds the lock; a junk import is still answered, not queued."""
    import sqlite3

    db = sqlite_path(rt.settings.resolved_database_url())
    holder = sqlite3.connect(db, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        r = post_import(client, parties["seller-a"], "{}\n" * 10, **params)
        assert r.status_code == status
        assert r.json().get("report", r.json())["rejected"] == 10
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_lines_are_read_one_at_a_time_with_their_endings():
    from cbec.trade.tabular import lines_of

    assert list(lines_of("a\nb\r\n\nc")) == ["a\n", "b\r\n", "\n", "c"]
    assert list(lines_of("")) == [] and list(lines_of("x\n")) == ["x\n"]


def test_crlf_json_lines_import(client, parties):
    rng = random.Random(8)
    body = jsonl(make_order(rng, i) for i in range(3)).replace("\n", "\r\n")
    r = post_import(client, parties["seller-a"], body)
    assert r.status_code == 200, r.text
    assert r.json()["created"] == 3
