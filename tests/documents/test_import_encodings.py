"""Imports of CSV files in the encodings sellers save them in: GBK/GB18030 from Excel on a
Chinese Windows, UTF-8 with a byte-order mark, Big5, UTF-16 — detected or named by the caller.
Each file is built here with Python's own codecs; the documents stored from it are checked
against the documents it was built from (their JSON Lines must then be found unchanged)."""

from __future__ import annotations

import io
import random

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


def test_a_stated_utf8_passes_over_a_byte_order_mark(client, parties):
    body = orders_csv(noted(2)).encode("utf-8-sig")
    r = post_bytes(client, parties["seller-a"], body, encoding="UTF8")
    assert (r.status_code, r.json()["created"], r.json()["encoding"]) == (200, 2, "utf-8-sig")


def test_bytes_no_candidate_reads_ask_for_the_encoding(client, parties):
    r = post_bytes(client, parties["seller-a"], b"\xff" * 64)
    assert (r.status_code, r.json()["code"]) == (400, "encoding_undetected"), r.text
    assert "encoding" in r.json()["detail"]


def test_the_same_key_with_another_stated_encoding_is_another_request(client, parties):
    seller = parties["seller-a"]
    body = orders_csv(noted(2)).encode("gbk")
    key = {"Idempotency-Key": "enc-1"}
    r = client.post(
        "/orders/import",
        content=body,
        headers={**seller.headers, **key, "Content-Type": "text/csv"},
    )
    assert r.status_code == 200, r.text
    r = client.post(
        "/orders/import",
        content=body,
        params={"encoding": "big5"},
        headers={**seller.headers, **key, "Content-Type": "text/csv"},
    )
    assert (r.status_code, r.json()["code"]) == (409, "idempotency_key_reused")


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

    from cbec.trade import encodings

    body = "x" * (encodings.SAMPLE - 1) + "深圳\n"
    assert encodings.detect(io.BytesIO(body.encode("utf-8"))) == "utf-8"
    rng = random.Random(1)
    mixed = "".join(rng.choice("深圳市南山区发货谢谢abc,\n") for _ in range(50_000))
    assert encodings.detect(io.BytesIO(mixed.encode("gbk"))) == "gb18030"
