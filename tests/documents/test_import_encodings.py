"""Imports of the files sellers really have: CSV saved by Excel in GBK/GB18030 or UTF-8 with a
byte-order mark, and XLSX workbooks. Each file is built here with Python's own codecs and
openpyxl; the documents stored from it are checked against the documents it was built from
(re-importing them as JSON Lines must find them unchanged)."""

from __future__ import annotations

import csv
import io
import random
import zipfile
from datetime import date, datetime, time
from decimal import Decimal

import pytest

from tests.documents.test_import import count, jsonl, orders, orders_csv

NOTE = "请周末送货，谢谢！深圳市南山区"


def post_bytes(client, party, body: bytes, ctype="text/csv", **params):
    return client.post(
        "/orders/import",
        content=body,
        params=params,
        headers={**party.headers, "Content-Type": ctype},
    )


def noted(n: int, seed: int = 11, note: str = NOTE) -> list[dict]:
    docs = orders(n, seed=seed)
    for i, d in enumerate(docs):
        d["note"] = f"{note} {i}"
    return docs


def stored(client, party, order_no: str) -> dict:
    page = client.get("/orders", params={"order_no": order_no}, headers=party.headers).json()
    (item,) = page["items"]
    return item["document"]


def assert_same_text(client, party, docs: list[dict]) -> None:
    """The Chinese text of every document came back as it was written, and the JSON Lines of
    the same documents are already stored (nothing else differs)."""
    for d in docs:
        got = stored(client, party, d["order_no"])
        assert got["buyer"]["name"] == d["buyer"]["name"]
        assert got["consignee"]["address"] == d["consignee"]["address"]
        assert got["note"] == d["note"]
        assert [line["name"] for line in got["lines"]] == [line["name"] for line in d["lines"]]
    r = post_bytes(client, party, jsonl(docs).encode(), ctype="application/x-ndjson")
    assert (r.json()["created"], r.json()["unchanged"]) == (0, len(docs)), r.text


def test_a_gbk_csv_is_detected_and_read_through_the_api(client, parties):
    seller = parties["seller-a"]
    docs = noted(6)
    body = orders_csv(docs).encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")  # the file really is not UTF-8
    r = post_bytes(client, seller, body)
    assert r.status_code == 200, r.text
    assert (r.json()["created"], r.json()["encoding"]) == (6, "gb18030")
    assert_same_text(client, seller, docs)


def test_a_gbk_csv_through_the_cli(cli, parties, client, tmp_path):
    seller = parties["seller-a"]
    docs = noted(5, seed=12)
    path = tmp_path / "orders.csv"
    path.write_bytes(orders_csv(docs).encode("gbk"))
    r = cli("import", "orders", str(path), "--as", "seller-a")
    assert r.exit_code == 0, r.output
    assert "5 created" in r.output and "read as gb18030" in r.output
    assert_same_text(client, seller, docs)


@pytest.mark.parametrize("stated", [None, "gb18030", "GB18030"])
def test_a_character_gbk_lacks_is_read_from_a_gb18030_file(client, parties, stated):
    seller = parties["seller-a"]
    rare = "𠀀"  # U+20000, CJK Extension B: in GB18030 (4 bytes), not in GBK
    with pytest.raises(UnicodeEncodeError):
        rare.encode("gbk")
    docs = noted(3, seed=13, note=f"{NOTE}{rare}")
    params = {"encoding": stated} if stated else {}
    r = post_bytes(client, seller, orders_csv(docs).encode("gb18030"), **params)
    assert r.status_code == 200, r.text
    assert (r.json()["created"], r.json()["encoding"]) == (3, "gb18030")
    assert stored(client, seller, docs[1]["order_no"])["note"] == f"{NOTE}{rare} 1"
    assert_same_text(client, seller, docs)


def test_utf8_with_a_byte_order_mark(client, parties):
    """Excel's "CSV UTF-8": without skipping the mark the first column would be named
    ``\\ufeffplatform`` and every row would lack its platform."""
    seller = parties["seller-a"]
    docs = noted(4, seed=14)
    r = post_bytes(client, seller, orders_csv(docs).encode("utf-8-sig"))
    assert r.status_code == 200, r.text
    assert (r.json()["created"], r.json()["encoding"]) == (4, "utf-8-sig")
    assert_same_text(client, seller, docs)


def test_plain_utf8_and_utf16_with_a_mark(client, parties):
    seller = parties["seller-a"]
    docs = noted(4, seed=15)
    r = post_bytes(client, seller, orders_csv(docs[:2]).encode("utf-8"))
    assert (r.json()["created"], r.json()["encoding"]) == (2, "utf-8"), r.text
    r = post_bytes(client, seller, orders_csv(docs[2:]).encode("utf-16"))
    assert (r.json()["created"], r.json()["encoding"]) == (2, "utf-16"), r.text
    assert_same_text(client, seller, docs)


def test_big5_is_detected(client, parties):
    """Traditional Chinese (Taiwan, Hong Kong): every Big5 byte string also decodes as GBK,
    so only the statistical judge tells them apart."""
    seller = parties["seller-a"]
    docs = noted(3, seed=16, note="請於週末送貨，謝謝！臺北市信義區")
    for d in docs:  # names and addresses in characters Big5 has
        d["buyer"]["name"] = d["consignee"]["name"] = "陳大文"
        d["consignee"]["address"] = "臺北市信義區松仁路100號"
        for line in d["lines"]:
            line["name"], line["spec"] = "無線藍牙耳機", "品牌:Sonic;藍牙5.3"
    r = post_bytes(client, seller, orders_csv(docs).encode("big5"))
    assert r.status_code == 200, r.text
    assert (r.json()["created"], r.json()["encoding"]) == (3, "big5")
    assert_same_text(client, seller, docs)


@pytest.mark.parametrize("name", ["no-such-codec", "rot13", "base64"])
def test_an_unknown_stated_encoding_is_refused_by_name(client, parties, name):
    r = post_bytes(client, parties["seller-a"], orders_csv(noted(1)).encode(), encoding=name)
    assert r.status_code == 400, r.text
    assert r.json()["code"] == "unknown_encoding"
    assert "encoding" in r.json()["detail"]
    assert count(client, parties["seller-a"]) == 0


def test_a_wrong_stated_encoding_names_the_first_line_it_cannot_read(client, parties):
    seller = parties["seller-a"]
    text = orders_csv(noted(3))
    first = next(i for i, line in enumerate(text.splitlines(), 1) if not line.isascii())
    r = post_bytes(client, seller, text.encode("gbk"), encoding="utf-8")
    assert r.status_code == 400, r.text
    assert r.json()["code"] == "not_utf8"
    assert f"line {first} " in r.json()["detail"]
    assert count(client, seller) == 0


def test_an_encoding_is_not_stated_for_json_lines_or_a_workbook(client, parties):
    seller = parties["seller-a"]
    body = jsonl(noted(1)).encode()
    r = post_bytes(client, seller, body, ctype="application/x-ndjson", encoding="gbk")
    assert (r.status_code, r.json()["code"]) == (400, "encoding_not_applicable")
    r = post_bytes(client, seller, body, ctype="application/x-ndjson", encoding="UTF-8")
    assert (r.status_code, r.json()["encoding"]) == (200, "utf-8")


def test_bytes_gbk_cannot_decode_after_100_good_lines_refuse_the_file_by_line(client, parties):
    seller = parties["seller-a"]
    docs = noted(80, seed=17)
    lines = orders_csv(docs).encode("gbk").split(b"\r\n")
    assert len(lines) > 101
    lines[100] = lines[100].replace(b"\xc7\xeb", b"\xff\xfe", 1)  # the 请 of the note
    assert b"\xff\xfe" in lines[100]
    r = post_bytes(client, seller, b"\r\n".join(lines), continue_on_error="true")
    assert r.status_code == 400, r.text
    assert r.json()["code"] == "not_decodable"
    assert "line 101 " in r.json()["detail"] and "gb18030" in r.json()["detail"]
    assert count(client, seller) == 0


def test_the_cli_names_an_unreadable_line_and_writes_nothing(cli, parties, client, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_bytes(orders_csv(noted(3)).encode("gbk"))
    r = cli("import", "orders", str(path), "--as", "seller-a", "--encoding", "utf-8")
    assert r.exit_code != 0
    assert "line 2 " in r.output and "UTF-8" in r.output
    r = cli("import", "orders", str(path), "--as", "seller-a", "--encoding", "klingon")
    assert r.exit_code != 0 and "encoding" in r.output
    assert count(client, parties["seller-a"]) == 0
    r = cli("import", "orders", str(path), "--as", "seller-a", "--encoding", "gbk")
    assert r.exit_code == 0, r.output
    assert "3 created" in r.output


def test_detection_reads_a_bounded_sample():
    """A 200 MB upload is not read whole to guess its encoding: a file whose damage comes
    after the sample is still detected (and then refused at that line when read)."""
    import io

    from cbec.trade import encodings

    head = ("订单,备注\n" + "ORD1,深圳发货\n" * 10_000).encode("gbk")
    assert len(head) > encodings.SAMPLE
    upload = io.BytesIO(head + b"ORD2,\xff\n")
    assert encodings.detect(upload) == "gb18030"
    assert upload.tell() == 0
    assert encodings.detect(io.BytesIO(b"a,b\n1,2\n")) == "utf-8"
    assert encodings.detect(io.BytesIO(b"\xef\xbb\xbfa\n")) == "utf-8-sig"
    japanese = "注文番号,お届け先,備考\nJP1,東京都渋谷区神南一丁目,週末に配達してください\n"
    assert encodings.detect(io.BytesIO(japanese.encode("shift_jis"))) == "cp932"


def test_detection_is_not_fooled_by_a_character_cut_at_the_sample_end():
    import io

    from cbec.trade import encodings

    body = "x" * (encodings.SAMPLE - 1) + "深圳\n"
    assert encodings.detect(io.BytesIO(body.encode("utf-8"))) == "utf-8"
    rng = random.Random(1)
    mixed = "".join(rng.choice("深圳市南山区发货谢谢abc,\n") for _ in range(50_000))
    assert encodings.detect(io.BytesIO(mixed.encode("gbk"))) == "gb18030"


# --- XLSX -------------------------------------------------------------------------------

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
    assert count(client, seller) == 0


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
