"""Bulk import through the API and the CLI: JSON Lines and CSV, all or nothing per file by
default, ``--continue-on-error`` with a rejects file, and safe re-imports."""

from __future__ import annotations

import csv
import io
import json
import random

import pytest

from cbec.demo import loader, synthetic
from tests.conftest import make_order


def jsonl(docs) -> str:
    return "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs)


def orders(n: int, seed: int = 1, start: int = 0) -> list[dict]:
    rng = random.Random(seed)
    return [make_order(rng, start + i) for i in range(n)]


def count(client, party, path="/orders") -> int:
    total, cursor = 0, None
    while True:
        params = {"limit": 500} | ({"cursor": cursor} if cursor else {})
        page = client.get(path, params=params, headers=party.headers).json()
        total += len(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            return total


def post_import(client, party, body, ctype="application/x-ndjson", **params):
    return client.post(
        "/orders/import",
        content=body.encode("utf-8"),
        params=params,
        headers={**party.headers, "Content-Type": ctype},
    )


def test_api_import_all_or_nothing(client, parties):
    seller = parties["seller-a"]
    docs = orders(20)
    docs[7]["lines"][0]["qty"] = "-1"
    docs[12]["buyer"]["id_number"] = "110105194912310021"
    body = jsonl(docs).replace(json.dumps(docs[15], ensure_ascii=False), "{not json")
    r = post_import(client, seller, body)
    assert r.status_code == 422
    report = r.json()["report"]
    assert report["written"] is False and report["created"] == 0
    assert [x["row"] for x in report["rejects"]] == [8, 13, 16]
    assert report["rejects"][0]["errors"][0]["field"] == "lines[0].qty"
    assert report["rejects"][2]["errors"][0]["rule"] == "invalid_json"
    assert count(client, seller) == 0


def test_api_import_continue_on_error_and_reimport(client, parties):
    seller = parties["seller-a"]
    docs = orders(30)
    docs[3]["amount_paid"] = "1"
    r = post_import(client, seller, jsonl(docs), continue_on_error="true")
    assert r.status_code == 200
    assert (r.json()["created"], r.json()["rejected"]) == (29, 1)
    assert r.json()["rejects"][0]["errors"][0] == {
        "field": "amount_paid",
        "rule": "amount_paid_sum",
        "message": r.json()["rejects"][0]["errors"][0]["message"],
    }
    assert count(client, seller) == 29
    docs[3]["amount_paid"] = orders(30)[3]["amount_paid"]  # fixed
    r = post_import(client, seller, jsonl(docs))
    assert (r.json()["created"], r.json()["unchanged"], r.json()["rejected"]) == (1, 29, 0)
    assert count(client, seller) == 30


def test_duplicate_keys_inside_one_file(client, parties):
    seller = parties["seller-a"]
    docs = orders(3)
    changed = json.loads(json.dumps(docs[1]))
    changed["note"] = "second version"
    r = post_import(client, seller, jsonl([*docs, docs[0], changed]))
    assert r.status_code == 422
    rejects = r.json()["report"]["rejects"]
    assert [(x["row"], x["conflict"]) for x in rejects] == [(5, True)]
    assert rejects[0]["errors"][0]["field"] == "note"


def test_import_conflict_with_stored_document(client, parties):
    seller = parties["seller-a"]
    docs = orders(2)
    assert client.post("/orders", json=docs[0], headers=seller.headers).status_code == 201
    changed = json.loads(json.dumps(docs[0]))
    changed["consignee"]["name"] = "王大锤"
    r = post_import(client, seller, jsonl([changed, docs[1]]), continue_on_error="true")
    assert r.json()["created"] == 1
    assert r.json()["rejects"][0]["conflict"] is True
    assert r.json()["rejects"][0]["errors"][0]["field"] == "consignee.name"


def test_import_idempotency_key(client, parties):
    seller = parties["seller-a"]
    headers = {"Idempotency-Key": "batch-42"}
    body = jsonl(orders(5))
    r1 = client.post(
        "/orders/import",
        content=body.encode(),
        headers={**seller.headers, **headers, "Content-Type": "application/x-ndjson"},
    )
    r2 = client.post(
        "/orders/import",
        content=body.encode(),
        headers={**seller.headers, **headers, "Content-Type": "application/x-ndjson"},
    )
    assert r1.json() == r2.json() and r1.json()["created"] == 5
    r3 = client.post(
        "/orders/import",
        content=jsonl(orders(1, seed=9)).encode(),
        headers={**seller.headers, **headers, "Content-Type": "application/x-ndjson"},
    )
    assert r3.status_code == 409


def orders_csv(docs: list[dict]) -> str:
    """One row per order line; order fields repeated; nested fields as dotted columns."""
    rows = []
    for d in docs:
        head = {k: v for k, v in d.items() if k not in ("buyer", "consignee", "lines")}
        for part in ("buyer", "consignee"):
            head |= {f"{part}.{k}": v for k, v in d[part].items()}
        for line in d["lines"]:
            rows.append(head | {f"lines.{k}": v for k, v in line.items()})
    cols = list(dict.fromkeys(k for r in rows for k in r))
    out = io.StringIO()
    w = csv.DictWriter(out, cols)
    w.writeheader()
    w.writerows(rows)
    return out.getvalue()


def test_csv_import_groups_lines(client, parties):
    seller = parties["seller-a"]
    docs = orders(6)
    r = post_import(client, seller, orders_csv(docs), ctype="text/csv")
    assert r.status_code == 200, r.text
    assert r.json()["created"] == 6
    got = client.get("/orders", params={"order_no": docs[2]["order_no"]}, headers=seller.headers)
    stored = got.json()["items"][0]["document"]
    assert len(stored["lines"]) == len(docs[2]["lines"])
    assert stored["lines"] == docs[2]["lines"]
    assert stored["buyer"] == docs[2]["buyer"]
    # and the same CSV again is unchanged: CSV and JSON give the same documents
    r = post_import(client, seller, jsonl(docs))
    assert r.json()["unchanged"] == 6


def test_csv_rows_of_one_order_must_agree(client, parties):
    seller = parties["seller-a"]
    docs = [d for d in orders(20) if len(d["lines"]) >= 2][:1]
    text = orders_csv(docs)
    lines = text.splitlines()
    lines[2] = lines[2].replace(docs[0]["amount_paid"], "9999.99", 1)  # second row disagrees
    r = post_import(client, seller, "\n".join(lines) + "\n", ctype="text/csv")
    assert r.status_code == 422
    reject = r.json()["report"]["rejects"][0]
    assert reject["row"] == 2
    assert {"field": "amount_paid", "rule": "csv_group_mismatch"}.items() <= reject["errors"][
        0
    ].items()


def test_cli_import_all_or_nothing_then_continue(cli, parties, client, tmp_path):
    seller = parties["seller-a"]
    docs = orders(40)
    docs[5]["lines"][0]["hs_code"] = "12"
    path = tmp_path / "orders.jsonl"
    path.write_text(jsonl(docs), encoding="utf-8")
    r = cli("import", "orders", str(path), "--as", "seller-a")
    assert r.exit_code == 1
    assert "nothing written" in r.output
    assert count(client, seller) == 0
    rejects = tmp_path / "orders.jsonl.rejects.jsonl"
    assert json.loads(rejects.read_text().splitlines()[0])["errors"][0]["field"] == (
        "lines[0].hs_code"
    )
    r = cli("import", "orders", str(path), "--as", "seller-a", "--continue-on-error")
    assert r.exit_code == 1
    assert "39 created" in r.output
    assert count(client, seller) == 39
    rows = [json.loads(x) for x in rejects.read_text().splitlines()]
    assert [x["row"] for x in rows] == [6]


def test_cli_import_csv_and_rerun(cli, parties, client, tmp_path):
    seller = parties["seller-a"]
    path = tmp_path / "orders.csv"
    path.write_text(orders_csv(orders(8)), encoding="utf-8")
    r = cli("import", "orders", str(path), "--as", "seller-a")
    assert r.exit_code == 0, r.output
    assert "8 created" in r.output
    r = cli("import", "orders", str(path), "--as", "seller-a")
    assert "0 created, 8 unchanged" in r.output
    assert count(client, seller) == 8


def test_cli_import_payments_and_waybills(cli, parties, client, tmp_path):
    rng = random.Random(4)
    base = [synthetic.order(rng, "platform-a", "seller-a", f"P{i}") for i in range(5)]
    pays = tmp_path / "payments.jsonl"
    pays.write_text(jsonl(synthetic.payment(rng, o, f"T{i}") for i, o in enumerate(base)))
    ways = tmp_path / "waybills.jsonl"
    ways.write_text(jsonl(synthetic.waybill(rng, o, f"W{i}") for i, o in enumerate(base)))
    assert cli("import", "payments", str(pays), "--as", "pay-a").exit_code == 0
    assert cli("import", "waybills", str(ways), "--as", "ship-a").exit_code == 0
    assert count(client, parties["pay-a"], "/payments") == 5
    assert count(client, parties["ship-a"], "/waybills") == 5
    # a seller may not file payments
    r = cli("import", "payments", str(pays), "--as", "seller-a")
    assert r.exit_code == 2
    assert "cannot file payment" in r.output


def test_cli_admin_and_demo(cli, parties, client):
    r = cli("admin", "create-tenant", "new-seller", "--role", "seller", "--format", "json")
    assert r.exit_code == 0, r.output
    key = json.loads(r.output)["api_key"]
    assert (
        client.get("/me", headers={"Authorization": f"Bearer {key}"}).json()["name"] == "new-seller"
    )
    r = cli("admin", "create-tenant", "new-seller", "--role", "seller")
    assert r.exit_code == 2 and "already exists" in r.output
    r = cli("admin", "create-tenant", "Bad Name", "--role", "seller")
    assert r.exit_code == 2
    first = json.loads(cli("demo", "--format", "json").output)
    second = json.loads(cli("demo", "--format", "json").output)
    assert first == second
    roles = {t["role"] for t in first["tenants"]}
    assert roles == {"seller", "platform", "payment", "logistics", "regulator"}
    assert sum(t["role"] == "seller" for t in first["tenants"]) >= 2
    for t in first["tenants"]:
        me = client.get("/me", headers={"Authorization": f"Bearer {t['api_key']}"}).json()
        assert me == {"name": t["name"], "role": t["role"]}


@pytest.mark.parametrize(("setting", "option", "size"), [("30", None, 30), ("30", "40", 40)])
def test_demo_files_the_size_cbec_demo_size_names_unless_size_is_given(
    cli, rt, monkeypatch, setting, option, size
):
    monkeypatch.setenv("CBEC_DEMO_SIZE", setting)
    r = cli("demo", *(["--size", option] if option else []))
    assert r.exit_code == 0, r.output
    filed = loader.documents(size, loader.year(rt))
    orders = sum(len(docs) for (_filer, kind), docs in filed.items() if kind == "order")
    assert f"orders: {orders} created, 0 already present" in r.stdout


def test_a_demo_size_that_names_no_size_is_refused_by_its_name(cli, rt, monkeypatch):
    monkeypatch.setenv("CBEC_DEMO_SIZE", "huge")
    r = cli("demo")
    assert r.exit_code == 2
    assert "CBEC_DEMO_SIZE: size must be one of" in r.stderr
    r = cli("demo", "--size", "huger")  # the option's own value is named as the option
    assert r.exit_code == 2 and "--size: size must be one of" in r.stderr
    assert loader.year(rt) is None  # nothing was loaded


def test_api_and_cli_imports_report_every_error_of_a_row_at_once(cli, parties, client, tmp_path):
    """A malformed amount beside an unknown platform and a line total that is not price ×
    quantity: the API's rejects and the CLI's rejects file name all three, and no error
    derived from the malformed amount (the amount paid is summed over it)."""
    from decimal import Decimal

    seller = parties["seller-a"]
    docs = orders(3, seed=21)
    line = docs[1]["lines"][0]
    line["unit_price"] = str(Decimal(line["unit_price"]) + 1)
    docs[1]["freight"] = "twelve"
    docs[1]["platform"] = "no-such-mall"
    expected = {("platform", "party_unknown"), ("freight", "decimal_parsing")}
    expected.add(("lines[0].line_total", "line_total"))
    r = post_import(client, seller, jsonl(docs))
    assert r.status_code == 422
    (reject,) = r.json()["report"]["rejects"]
    assert reject["row"] == 2
    assert {(e["field"], e["rule"]) for e in reject["errors"]} == expected
    path = tmp_path / "orders.jsonl"
    path.write_text(jsonl(docs), encoding="utf-8")
    assert cli("import", "orders", str(path), "--as", "seller-a").exit_code == 1
    (row,) = [
        json.loads(x) for x in (tmp_path / "orders.jsonl.rejects.jsonl").read_text().splitlines()
    ]
    assert {(e["field"], e["rule"]) for e in row["errors"]} == expected
    assert count(client, seller) == 0
