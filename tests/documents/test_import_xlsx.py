"""Imports of Excel workbooks (``.xlsx``): the first sheet read as the CSV table, so a workbook
and the CSV Excel saves from it store the same documents — numbers as their shortest exact
decimal, dates in ISO 8601, rejects by the sheet's row number, a broken file refused."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime, time
from decimal import Decimal

import pytest

from tests.documents.test_import import count, orders, orders_csv
from tests.documents.test_import_encodings import post_bytes, stored

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NUMBERS = {"goods_value", "freight", "discount", "tax_withheld", "amount_paid"} | {
    f"lines.{k}" for k in ("qty", "unit_price", "line_total")
}
NOTE_DAY = date(2026, 3, 7)


def two_orders() -> list[dict]:
    """Two orders, the first with two lines priced 19.9 (a float Excel cannot hold exactly)."""
    pool = orders(20, seed=21)
    first = next(d for d in pool if len(d["lines"]) >= 2)
    second = next(d for d in pool if len(d["lines"]) == 1)
    first["lines"] = first["lines"][:2]
    for line in first["lines"]:
        line["unit_price"] = "19.9"
        line["line_total"] = str((Decimal("19.9") * Decimal(line["qty"])).quantize(CENT))
    goods = sum(Decimal(line["line_total"]) for line in first["lines"])
    first["goods_value"] = str(goods)
    paid = goods + Decimal(first["freight"]) + Decimal(first["tax_withheld"])
    first["amount_paid"] = str(paid - Decimal(first["discount"]))
    for d in (first, second):
        d["note"] = NOTE_DAY.isoformat()
    return [first, second]


CENT = Decimal("0.01")


def table(docs: list[dict]) -> tuple[list[str], list[dict[str, str]]]:
    rows = list(csv.DictReader(io.StringIO(orders_csv(docs))))
    return list(rows[0]), rows


def as_excel_shows(column: str, text: str) -> str:
    """The text Excel saves in a CSV for a number cell: its shortest decimal (19.90 → 19.9)."""
    if column in NUMBERS and text:
        return format(Decimal(text).normalize(), "f")
    return text


def workbook(docs: list[dict], blank_row_after: int | None = None, **cells) -> bytes:
    """The orders as Excel holds them: money and quantities as numbers (floats), line
    numbers as integers, the note as a date cell, the rest as text."""
    from openpyxl import Workbook

    columns, rows = table(docs)
    book = Workbook()
    sheet = book.active
    sheet.append(columns)
    for i, row in enumerate(rows):
        values = []
        for c in columns:
            text = row[c]
            if c in cells:
                values.append(cells[c])
            elif not text:
                values.append(None)
            elif c in NUMBERS:
                values.append(float(text))
            elif c == "lines.line_no":
                values.append(int(text))
            elif c == "note":
                values.append(date.fromisoformat(text))
            else:
                values.append(text)
        sheet.append(values)
        if blank_row_after == i + 1:
            sheet.append([])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def equivalent_csv(docs: list[dict]) -> bytes:
    columns, rows = table(docs)
    out = io.StringIO()
    writer = csv.DictWriter(out, columns)
    writer.writeheader()
    writer.writerows({c: as_excel_shows(c, r[c]) for c in columns} for r in rows)
    return out.getvalue().encode("gbk")


def test_an_xlsx_import_stores_what_the_same_csv_stores(client, parties):
    seller = parties["seller-a"]
    docs = two_orders()
    r = post_bytes(client, seller, workbook(docs), ctype=XLSX)
    assert r.status_code == 200, r.text
    assert (r.json()["created"], r.json()["rejected"], r.json()["encoding"]) == (2, 0, None)
    from_xlsx = [stored(client, seller, d["order_no"]) for d in docs]
    assert len(from_xlsx[0]["lines"]) == 2 and len(from_xlsx[1]["lines"]) == 1
    assert Decimal(from_xlsx[0]["lines"][0]["unit_price"]) == Decimal("19.9")
    assert from_xlsx[0]["note"] == "2026-03-07"
    # the CSV Excel would save holds the same documents: nothing new, nothing in conflict
    r = post_bytes(client, seller, equivalent_csv(docs))
    assert (r.json()["created"], r.json()["unchanged"], r.json()["rejected"]) == (0, 2, 0), r.text
    assert [stored(client, seller, d["order_no"]) for d in docs] == from_xlsx


def test_the_same_documents_from_xlsx_and_csv_side_by_side(client, parties, cli, tmp_path):
    """Imported into one database from CSV (API) and, after the CSV's orders are renamed,
    from XLSX (CLI): the stored documents differ only by that name."""
    seller = parties["seller-a"]
    docs = two_orders()
    renamed = [{**d, "order_no": "X" + d["order_no"]} for d in docs]
    r = post_bytes(client, seller, equivalent_csv(docs))
    assert r.json()["created"] == 2, r.text
    path = tmp_path / "orders.xlsx"
    path.write_bytes(workbook(renamed))
    r = cli("import", "orders", str(path), "--as", "seller-a")
    assert r.exit_code == 0, r.output
    assert "2 created" in r.output
    for d, x in zip(docs, renamed, strict=True):
        from_csv = stored(client, seller, d["order_no"])
        from_xlsx = stored(client, seller, x["order_no"])
        assert {**from_xlsx, "order_no": d["order_no"]} == from_csv


def test_the_cli_takes_a_format_for_a_workbook_without_its_extension(cli, parties, tmp_path):
    path = tmp_path / "export.bin"
    path.write_bytes(workbook(two_orders()))
    r = cli("import", "orders", str(path), "--as", "seller-a", "--format", "xlsx")
    assert r.exit_code == 0, r.output
    assert "2 created" in r.output


def test_an_xlsx_reject_names_the_sheet_row_and_a_date_time_cell_has_no_zone(client, parties):
    """Excel date-times carry no offset, so an ``ordered_at`` typed as one is rejected (the
    operator types ``2026-03-07T11:45:00+08:00``); the row is the sheet's, blank rows counted."""
    seller = parties["seller-a"]
    docs = two_orders()
    body = workbook(docs, blank_row_after=2, ordered_at=datetime(2026, 3, 7, 11, 45))
    r = post_bytes(client, seller, body, ctype=XLSX)
    assert r.status_code == 422, r.text
    rejects = r.json()["report"]["rejects"]
    assert [x["row"] for x in rejects] == [2, 5]  # header 1, order 2-3, blank 4, order 5
    assert {e["field"] for x in rejects for e in x["errors"]} == {"ordered_at"}
    assert {e["rule"] for x in rejects for e in x["errors"]} == {"datetime_without_offset"}
    assert count(client, seller) == 0


def test_an_xlsx_date_time_cell_is_read_in_the_zone_chosen(client, parties, cli, tmp_path):
    """``--timezone Asia/Shanghai``: the cell's wall-clock time is China time, stored 8 hours
    earlier in UTC (the oracle: zoneinfo); a zone the IANA database lacks refuses the import,
    and a JSON Lines file takes no zone (its times are written whole)."""
    from datetime import UTC
    from zoneinfo import ZoneInfo

    seller = parties["seller-a"]
    docs = two_orders()
    wall = datetime(2026, 3, 7, 5, 45)  # 21:45 on the 6th in UTC
    path = tmp_path / "orders.xlsx"
    path.write_bytes(workbook(docs, ordered_at=wall))
    r = cli("import", "orders", str(path), "--as", "seller-a", "--timezone", "Mars/Olympus")
    assert r.exit_code != 0 and "Mars/Olympus" in r.output and count(client, seller) == 0
    r = cli("import", "orders", str(path), "--as", "seller-a", "--timezone", "Asia/Shanghai")
    assert r.exit_code == 0 and "2 created" in r.output, r.output
    expected = wall.replace(tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(UTC)
    for d in docs:
        got = stored(client, seller, d["order_no"])["ordered_at"]
        assert datetime.fromisoformat(got.replace("Z", "+00:00")) == expected
    jsonl = tmp_path / "orders.jsonl"
    jsonl.write_text("", encoding="utf-8")
    r = cli("import", "orders", str(jsonl), "--as", "seller-a", "--timezone", "UTC")
    assert r.exit_code != 0 and "CSV and XLSX" in r.output


@pytest.mark.parametrize(
    "body",
    [b"not a workbook at all", b"PK\x03\x04" + bytes(200), "zip-without-a-workbook"],
)
def test_a_corrupt_workbook_is_refused(client, parties, body):
    if body == "zip-without-a-workbook":
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("hello.txt", "hello")
        body = out.getvalue()
    r = post_bytes(client, parties["seller-a"], body, ctype=XLSX)
    assert r.status_code == 400, r.text
    assert r.json()["code"] == "xlsx_unreadable"
    assert "Excel" in r.json()["detail"]


def test_the_cli_refuses_a_corrupt_workbook(cli, parties, client, tmp_path):
    path = tmp_path / "orders.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(100))
    r = cli("import", "orders", str(path), "--as", "seller-a")
    assert r.exit_code != 0
    assert "Excel workbook" in r.output
    assert "Traceback" not in r.output


def test_cell_values_become_the_text_a_csv_holds():
    from cbec.trade.spreadsheet import cell_text

    assert cell_text(12.5) == "12.5"
    assert cell_text(3.0) == "3"
    assert cell_text(19.9) == "19.9"
    assert cell_text(19.899999999999999) == "19.9"  # how Excel writes 19.9 in its XML
    assert cell_text(1e-7) == "0.0000001"
    assert cell_text(1e16) == "10000000000000000"
    assert cell_text(12) == "12"
    assert cell_text(True) == "true"
    assert cell_text(None) is None and cell_text("") is None
    assert cell_text(datetime(2026, 3, 7, 3, 45), "yyyy-mm-dd h:mm") == "2026-03-07T03:45:00"
    assert cell_text(datetime(2026, 3, 7), "yyyy-mm-dd") == "2026-03-07"
    assert cell_text(datetime(2026, 3, 7), 'yyyy"h"mm"s"dd') == "2026-03-07"
    assert cell_text(date(2026, 3, 7)) == "2026-03-07"
    assert cell_text(time(3, 45)) == "03:45:00"
