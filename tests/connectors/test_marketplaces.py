"""Marketplace order exports (cbec.connectors.marketplaces) read as cbec orders, checked
against each file's own arithmetic as the independent oracle — Shopify's ``Total`` and
``Subtotal``, TikTok's ``Order Amount``, and for Amazon (which has no total column) the sum
of the file's cells computed here — and against cbec's own order model and rules."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from cbec.connectors import marketplaces as mk
from cbec.connectors.marketplaces import core
from cbec.demo import synthetic
from cbec.errors import BadRequest
from cbec.trade import encodings, validation, zones
from cbec.trade.kinds import KINDS

DATA = Path(__file__).parent / "data"
CATALOG = {item["sku"]: synthetic.product(item) for item in synthetic.CATALOG}
PROFILE = core.Profile("platform-a", "USD", zones.zone_of("Asia/Shanghai"))


def convert(name: str, catalog=CATALOG, profile=PROFILE, data: bytes | None = None):
    upload = io.BytesIO(data if data is not None else (DATA / name).read_bytes())
    encoding = encodings.detect(upload)
    header, records = mk.records(upload, "csv", encoding)
    fmt = mk.detect(header)
    skipped: list[int] = []
    rows = list(core.convert(fmt, records, profile, catalog, skipped))
    return fmt, header, rows, skipped, encoding


def table(name: str, encoding: str = "utf-8-sig", delimiter: str = ","):
    text = (DATA / name).read_bytes().decode(encoding)
    return list(
        csv.DictReader(
            io.StringIO(text),
            delimiter=delimiter,
            quoting=csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL,
        )
    )


def valid(doc: dict) -> None:
    """The converted order is a cbec order with no broken rule (amounts, lines, phones)."""
    order, errors = validation.validate(KINDS["order"], doc)
    assert errors == [] and order is not None


def test_amazon_order_report_matches_its_cells():
    fmt, _header, rows, skipped, _ = convert("amazon_order_report.txt")
    assert fmt.title == "Amazon Seller Central Order Report" and skipped == []
    cells = table("amazon_order_report.txt", "utf-8", "\t")
    docs = {doc["order_no"]: (n, doc) for n, doc in rows}
    assert set(docs) == {c["order-id"] for c in cells}
    for order_no, (_number, doc) in docs.items():
        valid(doc)
        mine = [c for c in cells if c["order-id"] == order_no]

        def d(col: str, mine=mine) -> Decimal:
            return sum((abs(Decimal(c[col] or "0")) for c in mine), Decimal(0))

        paid = (
            d("item-price")
            + d("shipping-price")
            + d("item-tax")
            + d("shipping-tax")
            - d("item-promotion-discount")
            - d("ship-promotion-discount")
        )
        assert Decimal(doc["amount_paid"]) == paid
        assert [x["sku"] for x in doc["lines"]] == [c["sku"] for c in mine]
        assert doc["consignee"]["name"] == mine[0]["recipient-name"]
    # the first order's two rows are one order, numbered by its first row
    assert docs["113-4000001-1000001"][0] == 2 and len(docs["113-4000001-1000001"][1]["lines"]) == 2
    assert docs["113-4000001-1000001"][1]["ordered_at"] == "2026-11-02T02:00:00Z"
    line = docs["113-4000002-1000002"][1]["lines"][0]
    assert line["name"] == 'Smart watch "Sport" edition'  # an unquoted flat file
    assert line["hs_code"] == CATALOG["SZ-SW-02"]["hs_code"]  # from the seller's catalogue


def test_amazon_all_orders_report_lacks_the_consignee():
    fmt, _, rows, skipped, _ = convert("amazon_all_orders.txt")
    assert fmt.title == "Amazon Seller Central All Orders Report"
    assert skipped == [3]  # the Cancelled order
    [(number, row)] = rows
    assert number == 2 and isinstance(row, validation.Unreadable)
    found = {(v.field, v.rule) for v in row.violations}
    assert ("recipient-name", "marketplace_column_absent") in found
    assert ("buyer-email", "marketplace_column_absent") in found


def test_shopify_total_is_subtotal_plus_shipping_plus_taxes():
    fmt, _header, rows, skipped, encoding = convert("shopify_orders.csv")
    assert fmt.name == "shopify" and encoding == "utf-8-sig"
    assert skipped == [5, 6]  # #1003 was cancelled: both of its rows
    cells = [c for c in table("shopify_orders.csv") if c["Total"]]
    for (_, doc), c in zip(rows, cells, strict=False):
        valid(doc)
        assert doc["order_no"] == c["Name"]
        total = Decimal(c["Subtotal"]) + Decimal(c["Shipping"]) + Decimal(c["Taxes"])
        assert Decimal(doc["amount_paid"]) == Decimal(c["Total"]) == total
        assert Decimal(doc["goods_value"]) - Decimal(doc["discount"]) == Decimal(c["Subtotal"])
    first = rows[0][1]
    assert [x["qty"] for x in first["lines"]] == ["2", "1"]  # two rows, one order
    assert first["ordered_at"] == "2026-11-02T02:00:00Z"  # 10:00 +0800
    assert rows[1][1]["currency"] == "EUR" and rows[1][1]["destination_country"] == "DE"


def test_tiktok_gb18030_export_with_description_row():
    fmt, _header, rows, skipped, encoding = convert("tiktok_orders_gb18030.csv")
    assert fmt.name == "tiktok" and encoding == "gb18030"
    assert skipped == [2, 5]  # the description row and the cancelled order
    [(number, doc)] = rows
    valid(doc)
    assert number == 3
    assert Decimal(doc["amount_paid"]) == Decimal("67.57")  # the file's Order Amount
    assert doc["lines"][0]["name"] == "无线蓝牙耳机 Wireless earbuds (黑色)"
    assert doc["ordered_at"] == "2026-11-02T02:00:00Z"  # 10:00 AM in Asia/Shanghai
    assert doc["currency"] == "USD"  # the profile's: the export names none


def test_tiktok_xlsx_gives_the_same_orders():
    from openpyxl import Workbook

    text = (DATA / "tiktok_orders_gb18030.csv").read_bytes().decode("gb18030")
    book = Workbook()
    for values in csv.reader(io.StringIO(text)):
        book.active.append(values)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    header, records = mk.records(data, "xlsx", None)
    fmt = mk.detect(header)
    xlsx = list(core.convert(fmt, records, PROFILE, CATALOG))
    assert xlsx == convert("tiktok_orders_gb18030.csv")[2]


def test_time_without_offset_needs_a_zone():
    profile = core.Profile("platform-a", "USD", None)
    [(_number, row)] = convert("tiktok_orders_gb18030.csv", profile=profile)[2]
    assert isinstance(row, validation.Unreadable)
    assert [(v.field, v.rule) for v in row.violations] == [
        ("Created Time", "marketplace_time_zone_needed")
    ]


def test_unmapped_and_ambiguous_columns_are_reported():
    fmt, header, *_ = convert("shopify_orders.csv")
    unmapped = core.unmapped(fmt, header)
    assert "Lineitem compare at price" in unmapped and "Vendor" in unmapped
    assert "Name" not in unmapped and "Total" not in unmapped
    assert set(unmapped) == set(header) - set(fmt.mapping)
    assert ("Lineitem discount", fmt.ambiguous["Lineitem discount"]) in core.ambiguous(fmt, header)


def test_bad_rows_are_named_by_row_and_column():
    text = (DATA / "shopify_orders.csv").read_bytes().decode("utf-8-sig")
    text = text.replace(",30.00,", ",3O.00,", 1).replace(",N1 9GU,,GB,", ",N1 9GU,,Atlantis,")
    _, _, rows, _, _ = convert("x", data=text.encode("utf-8"))
    bad = {
        n: {(v.field, v.rule) for v in row.violations}
        for n, row in rows
        if isinstance(row, validation.Unreadable)
    }
    assert bad == {
        2: {("Shipping Country", "marketplace_country_unknown")},
        4: {("Lineitem price", "marketplace_not_a_number")},
    }


def test_unknown_sku_and_disagreeing_rows():
    catalog = {k: v for k, v in CATALOG.items() if k != "SZ-SW-02"}
    _, _, rows, _, _ = convert("shopify_orders.csv", catalog=catalog)
    first = rows[0][1]
    assert isinstance(first, validation.Unreadable)
    [v] = first.violations
    assert (v.field, v.rule, v.params["sku"], v.params["line"]) == (
        "Lineitem sku",
        "marketplace_sku_unknown",
        "SZ-SW-02",
        2,
    )
    text = (DATA / "amazon_order_report.txt").read_bytes().decode("utf-8")
    lines = text.split("\r\n")
    lines[2] = lines[2].replace("Springfield", "Shelbyville").replace("US\t+1", "CA\t+1")
    _, _, rows, _, _ = convert("x", data="\r\n".join(lines).encode())
    assert {(v.field, v.rule) for v in rows[0][1].violations} == {
        ("ship-country", "marketplace_group_mismatch")
    }


def test_header_detection():
    assert mk.detect(["Name", "Financial Status", "Lineitem quantity", "Lineitem sku"]).name == (
        "shopify"
    )
    with pytest.raises(BadRequest) as exc:
        mk.detect(["order-id", "order-item-id", "purchase-date", "sku"], "shopify")
    assert exc.value.rule == "marketplace_format_unknown"
    with pytest.raises(BadRequest):
        mk.detect(["platform", "order_no", "lines.sku"])  # cbec's own CSV is no marketplace's


def test_amounts_with_commas():
    group = core.Group(
        mk.FORMATS[0], [(2, {"a": "1,234.50", "b": "30,00", "c": "$12.00"})], PROFILE
    )
    assert group.money("a") == Decimal("1234.50") and group.money("c") == Decimal("12.00")
    assert group.money("b") == 0
    assert [(v.field, v.rule) for v in group.errors] == [("b", "marketplace_not_a_number")]
