"""``POST /imports/marketplace``: a marketplace's order export filed over the API by the same
use case as ``cbec import orders FILE --from …`` — the orders then listed like any other, a
second import of the same file changing nothing, a bad file refused whole (422) naming the
file's row and column, and the conversion's findings (format, unmapped and assumed columns,
skipped rows) in the answer."""

from __future__ import annotations

import json
from pathlib import Path

from cbec.connectors.marketplaces import shopee
from cbec.demo import synthetic
from cbec.trade import tabular
from tests.connectors.test_marketplace_cli import orders_of
from tests.connectors.test_marketplaces_asia import edited, xlsx_of

DATA = Path(__file__).parent / "data"
PROFILE = {"platform": "platform-a", "timezone": "Asia/Kuala_Lumpur", "currency": "USD"}


def catalogue(client, party) -> None:
    body = "".join(json.dumps(synthetic.product(i)) + "\n" for i in synthetic.CATALOG)
    r = client.post(
        "/products/import",
        content=body.encode(),
        headers={**party.headers, "Content-Type": "application/x-ndjson"},
    )
    assert r.status_code == 200, r.text


def post(client, party, body: bytes, ctype: str = "text/csv", **params):
    return client.post(
        "/imports/marketplace",
        content=body,
        params=PROFILE | params,
        headers={**party.headers, "Content-Type": ctype},
    )


def test_shopee_workbook_is_filed_and_reimport_is_idempotent(client, parties):
    seller = parties["seller-a"]
    catalogue(client, seller)
    workbook = xlsx_of("shopee_orders.csv").getvalue()
    r = post(client, seller, workbook, tabular.XLSX_TYPE)
    assert r.status_code == 200, r.text
    summary = r.json()
    assert (summary["created"], summary["unchanged"], summary["rejected"]) == (2, 0, 0)
    found = summary["marketplace"]
    assert found["format"] == "shopee" and found["skipped_rows"] == [5]
    assert "Commission Fee" in found["unmapped"] and "Order ID" not in found["unmapped"]
    reason = shopee.AMBIGUOUS["Deal Price"]
    assert {"column": "Deal Price", "reason": reason} in found["ambiguous"]
    stored = orders_of(client, seller)
    assert set(stored) == {"261102ABCD0001", "261103EFGH0002"}
    assert stored["261102ABCD0001"]["amount_paid"] == "69.19"  # the file's Total Amount
    r = post(client, seller, workbook, tabular.XLSX_TYPE, source="shopee")
    assert r.status_code == 200, r.text
    assert (r.json()["created"], r.json()["unchanged"]) == (0, 2)


def test_bad_file_is_refused_whole_naming_row_and_column(client, parties):
    seller = parties["seller-a"]
    catalogue(client, seller)
    body = edited("lazada_orders.csv", 5, "Created at", "31 Foo 2026 10:00")
    r = post(client, seller, body, source="lazada")
    assert r.status_code == 422, r.text
    report = r.json()["report"]
    assert report["written"] is False and report["created"] == 0
    [reject] = report["rejects"]
    assert reject["row"] == 5 and reject["errors"][0]["field"] == "Created at"
    assert reject["errors"][0]["rule"] == "marketplace_not_a_time"
    assert orders_of(client, seller) == {}
    r = post(client, seller, body, continue_on_error="true")
    assert r.status_code == 200, r.text
    assert (r.json()["created"], r.json()["rejected"]) == (1, 1)
    assert set(orders_of(client, seller)) == {"300000001"}


def test_unknown_header_zone_and_format_are_refused(client, parties):
    seller = parties["seller-a"]
    r = post(client, seller, b"platform,order_no\nplatform-a,1\n")
    assert r.status_code == 400 and r.json()["code"] == "marketplace_format_unknown"
    aliexpress = (DATA / "aliexpress_orders.csv").read_bytes()
    r = post(client, seller, aliexpress, source="shopee")
    assert r.status_code == 400 and r.json()["code"] == "marketplace_format_unknown"
    r = post(client, seller, aliexpress, timezone="Mars/Olympus_Mons")
    assert r.status_code == 400 and r.json()["code"] == "timezone_unknown"
    r = post(client, seller, aliexpress, source="ebay")
    assert r.status_code == 422


def test_aliexpress_open_platform_json_is_filed_from_its_content(client, parties):
    seller = parties["seller-a"]
    catalogue(client, seller)
    body = (DATA / "aliexpress_api_orders.json").read_bytes()
    r = post(client, seller, body, "application/json", timezone="Asia/Shanghai")
    assert r.status_code == 200, r.text
    summary = r.json()
    assert (summary["created"], summary["unchanged"], summary["rejected"]) == (2, 0, 0)
    found = summary["marketplace"]
    assert found["format"] == "aliexpress-api" and found["skipped_rows"] == [3, 4]
    assert "settlement_currency" in found["unmapped"] and "id" not in found["unmapped"]
    stored = orders_of(client, seller)
    # the documented US Pacific time, not the query's zone: 08:30 PDT
    assert stored["3000000000000002"]["ordered_at"] == "2026-10-20T15:30:00Z"
    assert stored["3000000000000001"]["currency"] == "EUR"  # the money objects' own
    # the same orders as JSON Lines, named: nothing new
    lines = "".join(json.dumps(d) + "\n" for d in json.loads(body)).encode()
    r = post(client, seller, lines, "application/x-ndjson", source="aliexpress-api")
    assert r.status_code == 200, r.text
    assert (r.json()["created"], r.json()["unchanged"]) == (0, 2)


def test_bad_aliexpress_open_platform_json_is_a_problem_never_a_500(client, parties):
    seller = parties["seller-a"]
    catalogue(client, seller)
    docs = json.loads((DATA / "aliexpress_api_orders.json").read_text(encoding="utf-8"))
    del docs[1]["receipt_address"]["country"]
    r = post(client, seller, json.dumps(docs).encode(), "application/json")
    assert r.status_code == 422, r.text
    [reject] = r.json()["report"]["rejects"]
    assert reject["row"] == 2
    assert [(e["field"], e["rule"]) for e in reject["errors"]] == [
        ("receipt_address.country", "marketplace_column_absent")
    ]
    assert orders_of(client, seller) == {}
    for body, code in [
        (b'[{"id": 1, "child_order_list": [', "invalid_json"),
        (b"[1, 2]", "invalid_json"),
        (b"{}", "marketplace_format_unknown"),
    ]:
        r = post(client, seller, body, "application/json")
        assert r.status_code == 400 and r.json()["code"] == code, r.text
    # JSON is UTF-8 (RFC 8259 §8.1): another encoding named does not apply
    body = (DATA / "aliexpress_api_orders.json").read_bytes()
    r = post(client, seller, body, "application/json", encoding="gb18030")
    assert r.status_code == 400 and r.json()["code"] == "encoding_not_applicable", r.text
