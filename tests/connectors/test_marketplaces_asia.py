"""AliExpress, Shopee and Lazada order exports (cbec.connectors.marketplaces) read as cbec
orders, each checked against the file's own arithmetic computed here from its cells — Shopee's
``Total Amount``, AliExpress's ``Product Amount`` and ``Order Amount``, and for Lazada (which
has no order total) the sum of ``Paid Price`` and ``Shipping Fee`` — and against cbec's own
order model and rules. Shopee's workbook is written with openpyxl from the fixture's rows."""

from __future__ import annotations

import csv
import io
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from cbec.connectors import marketplaces as mk
from cbec.connectors.marketplaces import aliexpress, core, lazada, shopee
from cbec.trade import validation
from tests.connectors.test_marketplaces import CATALOG, PROFILE, convert, valid

DATA = Path(__file__).parent / "data"
FIXTURES = {
    "amazon_order_report.txt": "amazon",
    "amazon_all_orders.txt": "amazon",
    "shopify_orders.csv": "shopify",
    "tiktok_orders_gb18030.csv": "tiktok",
    "aliexpress_orders.csv": "aliexpress",
    "shopee_orders.csv": "shopee",
    "lazada_orders.csv": "lazada",
}


def cells(name: str) -> list[dict[str, str]]:
    text = (DATA / name).read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def orders_of(rows) -> dict[str, tuple[int, dict]]:
    return {doc["order_no"]: (n, doc) for n, doc in rows}


def xlsx_of(name: str) -> io.BytesIO:
    """The fixture as the Seller Centre's workbook: its rows on the first sheet."""
    from openpyxl import Workbook

    book = Workbook()
    text = (DATA / name).read_bytes().decode("utf-8-sig")
    for values in csv.reader(io.StringIO(text)):
        book.active.append(values)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    return data


def d(text: str | None) -> Decimal:
    return Decimal(text or "0")


def header_of(name: str) -> set[str]:
    upload = io.BytesIO((DATA / name).read_bytes())
    from cbec.trade import encodings

    return set(mk.records(upload, "csv", encodings.detect(upload))[0])


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_each_export_is_told_by_its_own_signature(name):
    """No format's signature is held by another format's export: each fixture's header
    matches its own format's signature only, whatever the order of FORMATS."""
    header = header_of(name)
    matching = {f.name for f in mk.FORMATS if f.signature <= header}
    assert matching == {FIXTURES[name]}
    assert mk.detect(sorted(header)).name == FIXTURES[name]
    # the signature's columns are ones the mapping documents (or the row key)
    fmt = mk.detect(sorted(header))
    assert fmt.signature <= header and fmt.key in fmt.mapping


def test_shopee_total_amount_is_subtotals_plus_shipping_less_discounts():
    table = cells("shopee_orders.csv")
    header, records = mk.records(xlsx_of("shopee_orders.csv"), "xlsx", None)
    fmt = mk.detect(header)
    skipped: list[int] = []
    rows = list(core.convert(fmt, records, PROFILE, CATALOG, skipped))
    assert fmt is shopee.FORMAT and skipped == [5]  # the Cancelled order
    docs = orders_of(rows)
    live = [c for c in table if c["Order Status"] != "Cancelled"]
    assert set(docs) == {c["Order ID"] for c in live}
    for order_no, (_, doc) in docs.items():
        valid(doc)
        mine = [c for c in live if c["Order ID"] == order_no]
        for c in mine:  # the line arithmetic the file states
            assert d(c["Deal Price"]) * d(c["Quantity"]) == d(c["Product Subtotal"])
        off = sum((d(mine[0][c]) for c in shopee.DISCOUNTS), Decimal(0))
        computed = (
            sum((d(c["Product Subtotal"]) for c in mine), Decimal(0))
            + d(mine[0]["Buyer Paid Shipping Fee"])
            - off
        )
        assert Decimal(doc["amount_paid"]) == d(mine[0]["Total Amount"]) == computed
        assert [x["sku"] for x in doc["lines"]] == [c["SKU Reference No."] for c in mine]
        assert doc["consignee"]["name"] == mine[0]["Receiver Name"]
    first = docs["261102ABCD0001"][1]
    assert docs["261102ABCD0001"][0] == 2 and [x["qty"] for x in first["lines"]] == ["2", "1"]
    assert first["lines"][0]["name"] == "Wireless Bluetooth earbuds (Black)"
    assert first["ordered_at"] == "2026-11-02T02:00:00Z"  # 10:00 in the shop's UTC+8 zone
    assert first["currency"] == "USD" and first["destination_country"] == "SG"
    # the same table saved as CSV gives the same orders
    assert convert("shopee_orders.csv")[2] == rows


def test_lazada_rows_are_units_and_paid_prices_are_what_the_buyer_paid():
    fmt, _header, rows, skipped, _ = convert("lazada_orders.csv")
    assert fmt is lazada.FORMAT and skipped == [6]  # the canceled item
    table = [c for c in cells("lazada_orders.csv") if c["Status"] != "canceled"]
    docs = orders_of(rows)
    assert set(docs) == {c["Order Number"] for c in table}
    for order_no, (_, doc) in docs.items():
        valid(doc)
        mine = [c for c in table if c["Order Number"] == order_no]
        paid = sum((d(c["Paid Price"]) + d(c["Shipping Fee"]) for c in mine), Decimal(0))
        assert Decimal(doc["amount_paid"]) == paid
        off = sum((d(c["Unit Price"]) - d(c["Paid Price"]) for c in mine), Decimal(0))
        assert Decimal(doc["discount"]) == off
        units = Counter(c["Seller SKU"] for c in mine)  # one row per unit
        assert {x["sku"]: int(x["qty"]) for x in doc["lines"]} == dict(units)
    first = docs["300000001"][1]
    assert first["destination_country"] == "MY"  # written "Malaysia"
    assert first["ordered_at"] == "2026-11-02T02:00:00Z"  # "02 Nov 2026 10:00", UTC+8
    assert first["consignee"]["address"].startswith("8 Jalan Contoh, Taman Sampel, Kuala")
    second = docs["300000002"][1]
    assert second["buyer"]["phone"] == "60123334444"  # the billing phone, else the shipping
    assert second["consignee"]["phone"] == "60198765432"


def test_a_canceled_lazada_item_leaves_the_rest_of_its_order():
    """Lazada's status is an item's: one canceled unit of a multi-item order is skipped
    alone, the order filed with the others."""
    data = edited("lazada_orders.csv", 3, "Status", "canceled")
    _, _, rows, skipped, _ = convert("x", data=data)
    assert skipped == [3, 6]
    doc = orders_of(rows)["300000001"][1]
    valid(doc)
    live = [c for i, c in enumerate(cells("lazada_orders.csv"), 2) if i in (2, 4)]
    paid = sum((d(c["Paid Price"]) + d(c["Shipping Fee"]) for c in live), Decimal(0))
    assert Decimal(doc["amount_paid"]) == paid
    assert [(x["sku"], x["qty"]) for x in doc["lines"]] == [("SZ-EB-01", "1"), ("SZ-PB-10", "1")]


def test_shopee_product_without_variation_has_its_parents_sku():
    data = edited("shopee_orders.csv", 3, "SKU Reference No.", "")
    table = cells("shopee_orders.csv")
    assert table[1]["Parent SKU Reference No."] == "SZ-PB"  # not in the catalogue
    found = violations("shopee_orders.csv", data)
    assert found == {2: {("Parent SKU Reference No.", "marketplace_sku_unknown")}}
    both = edited("shopee_orders.csv", 3, "SKU Reference No.", "").replace(b",SZ-PB,", b",,")
    assert violations("shopee_orders.csv", both) == {
        2: {("SKU Reference No.", "marketplace_value_missing")}
    }


def test_aliexpress_amounts_and_chinese_product_names():
    fmt, _header, rows, skipped, encoding = convert("aliexpress_orders.csv")
    assert fmt is aliexpress.FORMAT and skipped == [5] and encoding == "utf-8-sig"
    table = [c for c in cells("aliexpress_orders.csv") if c["Order Status"] != "Closed"]
    docs = orders_of(rows)
    assert set(docs) == {c["Order No."] for c in table}
    for order_no, (_, doc) in docs.items():
        valid(doc)
        mine = [c for c in table if c["Order No."] == order_no]
        products = sum((d(c["Unit Price"]) * d(c["Quantity"]) for c in mine), Decimal(0))
        assert d(mine[0]["Product Amount"]) == products == Decimal(doc["goods_value"])
        total = products + d(mine[0]["Shipping Cost"]) - d(mine[0]["Store Discount"])
        assert Decimal(doc["amount_paid"]) == d(mine[0]["Order Amount"]) == total
    first = docs["8100000000000001"][1]
    assert first["lines"][0]["name"] == "无线蓝牙耳机 Wireless earbuds (Color:Black)"
    assert first["buyer"]["name"] == "Lucía Fernández" and first["currency"] == "USD"
    assert docs["8100000000000002"][1]["consignee"]["phone"] == "+33 6 12 34 56 78"


@pytest.mark.parametrize(
    ("name", "unmapped", "assumed"),
    [
        ("shopee_orders.csv", {"Commission Fee", "Grand Total", "Tracking Number*"}, "Deal Price"),
        ("lazada_orders.csv", {"Lazada SKU", "Tracking Code", "Billing Name"}, "Wallet Credits"),
        ("aliexpress_orders.csv", {"Tracking Number", "Buyer Message"}, "Order No."),
    ],
)
def test_unmapped_and_assumed_columns_are_reported(name, unmapped, assumed):
    fmt, header, *_ = convert(name)
    found = core.unmapped(fmt, header)
    assert set(found) == set(header) - set(fmt.mapping) and unmapped <= set(found)
    assert fmt.key not in found
    assert (assumed, fmt.ambiguous[assumed]) in core.ambiguous(fmt, header)


def edited(name: str, row: int, column: str, value: str) -> bytes:
    """The fixture with one cell changed (``row``: the file's row number, header = 1)."""
    table = cells(name)
    table[row - 2][column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(table[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(table)
    return out.getvalue().encode("utf-8")


def violations(name: str, data: bytes, profile=PROFILE) -> dict[int, set[tuple[str, str]]]:
    rows = convert(name, data=data, profile=profile)[2]
    return {
        n: {(v.field, v.rule) for v in row.violations}
        for n, row in rows
        if isinstance(row, validation.Unreadable)
    }


@pytest.mark.parametrize(
    ("name", "row", "column", "value", "order_row", "rule"),
    [
        ("shopee_orders.csv", 3, "Deal Price", "19,9O", 2, "marketplace_not_a_number"),
        ("shopee_orders.csv", 3, "Receiver Name", "Someone Else", 2, "marketplace_group_mismatch"),
        ("shopee_orders.csv", 4, "Country", "Atlantis", 4, "marketplace_country_unknown"),
        ("lazada_orders.csv", 5, "Created at", "31 Foo 2026 10:00", 5, "marketplace_not_a_time"),
        (
            "aliexpress_orders.csv",
            4,
            "Order Time",
            "0001-01-01 00:00:00",
            4,
            "marketplace_not_a_time",
        ),
        ("lazada_orders.csv", 5, "Seller SKU", "NOT-IN-CATALOGUE", 5, "marketplace_sku_unknown"),
        ("lazada_orders.csv", 5, "Paid Price", "420.00", 5, "marketplace_total_mismatch"),
        ("lazada_orders.csv", 3, "Customer Email", "x@example.my", 2, "marketplace_group_mismatch"),
        ("aliexpress_orders.csv", 4, "Product Amount", "59.00", 4, "marketplace_total_mismatch"),
        ("aliexpress_orders.csv", 4, "Unit Price", "1e30", 4, "marketplace_not_a_number"),
        (
            "aliexpress_orders.csv",
            4,
            "Receiver Country",
            "Narnia",
            4,
            "marketplace_country_unknown",
        ),
    ],
)
def test_bad_cells_are_named_by_row_and_file_column(name, row, column, value, order_row, rule):
    """One changed cell refuses its order only, named by the order's first row, the file's
    own column and the rule."""
    assert violations(name, edited(name, row, column, value)) == {order_row: {(column, rule)}}


def test_times_without_an_offset_need_the_profiles_zone():
    profile = core.Profile("platform-a", "USD", None)
    for name, column in [
        ("shopee_orders.csv", "Order Creation Date"),
        ("lazada_orders.csv", "Created at"),
        ("aliexpress_orders.csv", "Order Time"),
    ]:
        data = (DATA / name).read_bytes()
        found = violations(name, data, profile)
        needed = {(column, "marketplace_time_zone_needed")}
        assert found and all(v == needed for v in found.values())


def test_without_the_profiles_currency_the_order_names_none():
    profile = core.Profile("platform-a", None, PROFILE.zone)
    found = violations("lazada_orders.csv", (DATA / "lazada_orders.csv").read_bytes(), profile)
    missing = {("currency", "marketplace_value_missing")}
    assert found == {2: missing, 5: missing}
    # AliExpress names its currency: nothing is missing
    data = (DATA / "aliexpress_orders.csv").read_bytes()
    assert violations("aliexpress_orders.csv", data, profile) == {}
