"""``cbec import orders FILE --from …``: a marketplace export filed through the native bulk
import — the orders are then listed like any other, a second import of the same file
changes nothing (natural keys), and a bad file is refused whole naming row and column."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from cbec.demo import synthetic

DATA = Path(__file__).parent / "data"


def catalogue(cli, tmp_path: Path) -> None:
    path = tmp_path / "products.jsonl"
    path.write_text(
        "".join(
            json.dumps(synthetic.product(i), ensure_ascii=False) + "\n" for i in synthetic.CATALOG
        ),
        encoding="utf-8",
    )
    r = cli("import", "products", path, "--as", "seller-a")
    assert r.exit_code == 0, r.output


def orders_of(client, party) -> dict[str, dict]:
    page = client.get("/orders", params={"limit": 500}, headers=party.headers).json()
    return {o["document"]["order_no"]: o["document"] for o in page["items"]}


def run(cli, path: Path, *extra):
    return cli("import", "orders", path, "--as", "seller-a", "--platform", "platform-a", *extra)


def test_shopify_file_is_filed_and_reimport_is_idempotent(cli, client, parties, tmp_path):
    catalogue(cli, tmp_path)
    path = shutil.copy(DATA / "shopify_orders.csv", tmp_path / "orders_export.csv")
    r = run(cli, path, "--from", "auto")
    assert r.exit_code == 0, r.output
    assert "format: shopify" in r.stdout and "Lineitem compare at price" in r.stdout
    assert "2 created, 0 unchanged, 0 rejected" in r.stdout
    stored = orders_of(client, parties["seller-a"])
    assert set(stored) == {"#1001", "#1002"}
    r = run(cli, path, "--from", "shopify")
    assert r.exit_code == 0, r.output
    assert "0 created, 2 unchanged, 0 rejected" in r.stdout
    assert set(orders_of(client, parties["seller-a"])) == {"#1001", "#1002"}


def test_amazon_and_tiktok_files(cli, client, parties, tmp_path):
    catalogue(cli, tmp_path)
    r = run(cli, shutil.copy(DATA / "amazon_order_report.txt", tmp_path), "--from", "amazon")
    assert r.exit_code == 0, r.output
    assert "2 created" in r.stdout
    tiktok = shutil.copy(DATA / "tiktok_orders_gb18030.csv", tmp_path)
    r = run(cli, tiktok, "--from", "tiktok", "--tz", "Asia/Shanghai", "--currency", "USD")
    assert r.exit_code == 0, r.output
    assert "1 created" in r.stdout and "read as gb18030" in r.stdout
    stored = orders_of(client, parties["seller-a"])
    assert {"113-4000001-1000001", "113-4000002-1000002", "576000000000000001"} <= set(stored)


def test_bad_file_is_refused_whole_naming_row_and_column(cli, client, parties, tmp_path):
    catalogue(cli, tmp_path)
    text = (DATA / "shopify_orders.csv").read_bytes().decode("utf-8-sig")
    path = tmp_path / "orders.csv"
    path.write_bytes(text.replace(",30.00,", ",3O.00,", 1).encode("utf-8"))
    r = run(cli, path, "--from", "shopify")
    assert r.exit_code != 0
    assert "row 4: Lineitem price: is not a number: 3O.00" in r.stderr
    assert "nothing written" in r.stdout
    assert orders_of(client, parties["seller-a"]) == {}
    rejects = [
        json.loads(x) for x in (tmp_path / "orders.csv.rejects.jsonl").read_text().splitlines()
    ]
    assert [(x["row"], x["errors"][0]["field"]) for x in rejects] == [(4, "Lineitem price")]
    r = run(cli, path, "--from", "shopify", "--continue-on-error")
    assert "1 created, 0 unchanged, 1 rejected" in r.stdout
    assert set(orders_of(client, parties["seller-a"])) == {"#1001"}


def test_unknown_header_and_missing_platform(cli, parties, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("platform,order_no\nplatform-a,1\n", encoding="utf-8")
    r = run(cli, path, "--from", "auto")
    assert r.exit_code == 2 and "not that of a known marketplace export" in r.output
    # a known file, no --platform and no marketplace profile to give it
    shopify = shutil.copy(DATA / "shopify_orders.csv", tmp_path / "orders_export.csv")
    r = cli("import", "orders", shopify, "--as", "seller-a", "--from", "auto")
    assert r.exit_code == 2 and "platform: is required (missing)" in r.output


def test_shopee_workbook_lazada_and_aliexpress_files(cli, client, parties, tmp_path):
    """Shopee's XLSX, Lazada's and AliExpress's CSV, each told by its header; importing them
    again changes nothing (the natural keys of the orders they gave)."""
    from tests.connectors.test_marketplaces_asia import xlsx_of

    catalogue(cli, tmp_path)
    shopee = tmp_path / "Order.all.20261101_20261130.xlsx"
    shopee.write_bytes(xlsx_of("shopee_orders.csv").getvalue())
    files = [
        shopee,
        shutil.copy(DATA / "lazada_orders.csv", tmp_path),
        shutil.copy(DATA / "aliexpress_orders.csv", tmp_path),
    ]
    tz = ("--tz", "Asia/Singapore", "--currency", "USD")
    for path, name in zip(files, ("shopee", "lazada", "aliexpress"), strict=True):
        r = run(cli, path, "--from", "auto", *tz)
        assert r.exit_code == 0, r.output
        assert f"format: {name}" in r.stdout and "2 created, 0 unchanged, 0 rejected" in r.stdout
        assert "skipped rows" in r.stdout and "assumed: " in r.stdout
    stored = orders_of(client, parties["seller-a"])
    assert set(stored) == {
        "261102ABCD0001",
        "261103EFGH0002",
        "300000001",
        "300000002",
        "8100000000000001",
        "8100000000000002",
    }
    assert stored["300000001"]["amount_paid"] == "157.90"  # Σ Paid Price + Σ Shipping Fee
    for path, name in zip(files, ("shopee", "lazada", "aliexpress"), strict=True):
        r = run(cli, path, "--from", name, *tz)
        assert r.exit_code == 0, r.output
        assert "0 created, 2 unchanged, 0 rejected" in r.stdout


def test_aliexpress_open_platform_json(cli, client, parties, tmp_path):
    """Order details saved as JSON: told by their fields (or named), their times read in the
    documented US Pacific time without --tz, the unpaid and cancelling orders skipped and
    listed, and a second import changing nothing."""
    catalogue(cli, tmp_path)
    path = shutil.copy(DATA / "aliexpress_api_orders.json", tmp_path / "orders.json")
    r = run(cli, path, "--from", "auto")
    assert r.exit_code == 0, r.output
    assert "format: aliexpress-api" in r.stdout and "2 created, 0 unchanged, 0 rejected" in r.stdout
    assert "skipped rows (cancelled orders, column descriptions): [3, 4]" in r.stdout
    assert "assumed: gmt_create: " in r.stdout and "payment_type" in r.stdout
    stored = orders_of(client, parties["seller-a"])
    assert set(stored) == {"3000000000000001", "3000000000000002"}
    assert stored["3000000000000001"]["ordered_at"] == "2026-11-02T18:00:00Z"  # 10:00 PST
    assert stored["3000000000000002"]["amount_paid"] == "94.90"
    r = run(cli, path, "--from", "aliexpress-api")
    assert r.exit_code == 0, r.output
    assert "0 created, 2 unchanged, 0 rejected" in r.stdout


def test_aliexpress_open_platform_json_refused_naming_order_and_field(
    cli, client, parties, tmp_path
):
    catalogue(cli, tmp_path)
    docs = json.loads((DATA / "aliexpress_api_orders.json").read_text(encoding="utf-8"))
    docs[1]["order_amount"]["amount"] = "99.90"
    path = tmp_path / "orders.json"
    path.write_text(json.dumps(docs), encoding="utf-8")
    r = run(cli, path, "--from", "aliexpress-api")
    assert r.exit_code != 0
    assert (
        "row 2: order_amount.amount: does not match the order's lines: expected 94.90" in r.stderr
    )
    assert "nothing written" in r.stdout and orders_of(client, parties["seller-a"]) == {}
    path.write_text('[{"id": 1,', encoding="utf-8")
    r = run(cli, path, "--from", "auto")
    assert r.exit_code == 2 and "not valid JSON" in r.output
