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
    import io

    from cbec.trade.tabular import lines_from

    def lines(text: str, limit: int = 100) -> list[str]:
        return list(lines_from(io.StringIO(text, newline=""), limit))

    assert lines("a\nb\r\n\nc") == ["a\n", "b\r\n", "\n", "c"]
    assert lines("") == [] and lines("x\n") == ["x\n"]
    assert lines("x" * 9 + "\n", limit=10) == ["x" * 9 + "\n"]


def test_a_line_over_the_limit_refuses_the_file_by_its_number():
    """A file with no line break is not read into one string: the line over the limit is
    refused by number before the rest is read."""
    import io

    from cbec.errors import BadRequest
    from cbec.trade.tabular import lines_from

    seen = []
    with pytest.raises(BadRequest) as exc:
        for line in lines_from(io.StringIO("ok\n" + "x" * 11 + "\nmore\n", newline=""), 10):
            seen.append(line)
    assert (exc.value.rule, exc.value.params) == ("line_too_long", {"line": 2, "limit": 10})
    assert seen == ["ok\n"]


def test_an_import_line_over_a_mebibyte_is_refused_with_its_number(client, parties):
    from cbec.trade.tabular import MAX_LINE

    r = post_import(client, parties["seller-a"], "{}\n" + " " * (MAX_LINE + 1) + "\n")
    assert r.status_code == 400
    assert r.json()["code"] == "line_too_long"
    assert "line 2" in r.json()["detail"]


def test_an_import_that_is_not_utf8_is_refused_before_anything_is_written(client, parties):
    rng = random.Random(9)
    good = jsonl(make_order(rng, i) for i in range(3)).encode()
    gbk = json.dumps({"note": "深圳"}, ensure_ascii=False).encode("gbk")
    seller = parties["seller-a"]
    r = client.post(
        "/orders/import",
        content=good + gbk + b"\n",
        headers=seller.headers | {"Content-Type": "application/x-ndjson"},
    )
    assert r.status_code == 400, r.text
    assert r.json()["code"] == "not_utf8"
    assert count(client, seller) == 0


def test_a_byte_order_mark_is_read_as_nothing(client, parties):
    rng = random.Random(10)
    body = b"\xef\xbb\xbf" + jsonl(make_order(rng, i) for i in range(2)).encode()
    r = client.post(
        "/orders/import",
        content=body,
        headers=parties["seller-a"].headers | {"Content-Type": "application/x-ndjson"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["created"] == 2


def test_crlf_json_lines_import(client, parties):
    rng = random.Random(8)
    body = jsonl(make_order(rng, i) for i in range(3)).replace("\n", "\r\n")
    r = post_import(client, parties["seller-a"], body)
    assert r.status_code == 200, r.text
    assert r.json()["created"] == 3
