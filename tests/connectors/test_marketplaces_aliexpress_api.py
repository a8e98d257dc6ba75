"""AliExpress Open Platform order details (``aliexpress.solution.order.info.get``) saved as
JSON, read as cbec orders (cbec.connectors.marketplaces.aliexpress_api). The expected orders
are written out by hand from the fixture's fields: the US Pacific times converted to UTC (PST,
UTC−8, after 1 Nov 2026; PDT, UTC−7, before), the amounts added up, the phone numbers
prefixed with ``phone_country``. The fixture's names and addresses are invented."""

from __future__ import annotations

import copy
import io
import json
import re
from pathlib import Path

import pytest

from cbec.connectors import marketplaces as mk
from cbec.connectors.marketplaces import aliexpress_api, core
from cbec.errors import BadRequest
from cbec.trade import validation
from tests.connectors.test_marketplaces import CATALOG, PROFILE, valid

DATA = Path(__file__).parent / "data"
FIXTURE = DATA / "aliexpress_api_orders.json"


def saved() -> list:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def detail(doc: dict) -> dict:
    """An element of the fixture as the order it holds (the first is a whole response)."""
    inner = doc.get("aliexpress_solution_order_info_get_response")
    return inner["result"]["data"] if inner else doc


def convert(data: bytes, profile=PROFILE, wanted: str = "auto"):
    upload = io.BytesIO(data)
    header, records = mk.records(upload, "csv", None)
    fmt = mk.detect(header, wanted)
    skipped: list[int] = []
    rows = list(core.convert(fmt, records, profile, CATALOG, skipped))
    return fmt, header, rows, skipped


def as_bytes(doc) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def lines_of(docs: list) -> bytes:
    return "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs).encode("utf-8")


def essentials(doc: dict) -> dict:
    """What the file gives an order (the catalogue's customs facts left out)."""
    keep = ("sku", "name", "qty", "unit_price", "line_total", "line_no")
    return {
        **{k: v for k, v in doc.items() if k != "lines"},
        "lines": [{k: line[k] for k in keep} for line in doc["lines"]],
    }


EXPECTED = {
    "3000000000000001": {
        "platform": "platform-a",
        "order_no": "3000000000000001",
        "ordered_at": "2026-11-02T18:00:00Z",  # 10:00:00 PST
        "buyer": {"account_id": "es_buyer_2041", "name": "Lucía Romero", "phone": "+34 612345678"},
        "consignee": {
            "name": "Lucía Romero",
            "phone": "+34 612345678",
            "address": "Calle Inventada 7, 2º A, Valencia, Valencia, 46002",
        },
        "destination_country": "ES",
        "origin_country": "CN",
        "currency": "EUR",
        "goods_value": "67.48",  # 2 × 24.99 + 17.50
        "freight": "3.50",
        "discount": "2.00",
        "tax_withheld": "0",
        "amount_paid": "68.98",  # 67.48 + 3.50 − 2.00
        "incoterm": "DAP",
        "lines": [
            {
                "sku": "SZ-EB-01",
                "name": "Wireless Bluetooth earbuds",
                "qty": "2",
                "unit_price": "24.99",
                "line_total": "49.98",
                "line_no": 1,
            },
            {
                "sku": "SZ-PB-10",
                "name": "Power bank 10000 mAh",
                "qty": "1",
                "unit_price": "17.50",
                "line_total": "17.50",
                "line_no": 2,
            },
        ],
    },
    "3000000000000002": {
        "platform": "platform-a",
        "order_no": "3000000000000002",
        "ordered_at": "2026-10-20T15:30:00Z",  # 08:30:00 PDT
        "buyer": {"account_id": "us_buyer_7731", "name": "Jordan Avery", "phone": "+1 2125550198"},
        "consignee": {
            "name": "Jordan Avery",
            "phone": "+1 2125550198",
            "address": "221 Sample Street, Apt 5, New York, New York, 10001",
        },
        "destination_country": "US",
        "origin_country": "CN",
        "currency": "USD",
        "goods_value": "95.90",  # 59.90 + 3 × 12.00
        "freight": "4.00",
        "discount": "5.00",
        "tax_withheld": "0",
        "amount_paid": "94.90",  # 95.90 + 4.00 − 5.00
        "incoterm": "DAP",
        "lines": [
            {
                "sku": "SZ-SW-02",
                "name": "Smart watch",
                "qty": "1",
                "unit_price": "59.90",
                "line_total": "59.90",
                "line_no": 1,
            },
            {
                "sku": "JP-SK-30",
                "name": "Moisturising cream 30 g",
                "qty": "3",
                "unit_price": "12.00",
                "line_total": "36.00",
                "line_no": 2,
            },
        ],
    },
}


def test_order_details_become_the_hand_computed_orders():
    fmt, _header, rows, skipped = convert(FIXTURE.read_bytes())
    assert fmt is aliexpress_api.FORMAT
    assert skipped == [3, 4]  # PLACE_ORDER_SUCCESS (not paid), IN_CANCEL
    assert [n for n, _ in rows] == [1, 2]  # numbered by their place in the file
    docs = {doc["order_no"]: doc for _, doc in rows}
    assert {k: essentials(d) for k, d in docs.items()} == EXPECTED
    for doc in docs.values():
        valid(doc)
    # the catalogue gives the customs facts by SKU
    assert docs["3000000000000002"]["lines"][1]["origin_country"] == "JP"


def test_json_lines_and_single_documents_give_the_same_orders():
    whole = convert(FIXTURE.read_bytes())[2]
    assert convert(lines_of(saved()))[2] == whole
    bare = [detail(d) for d in saved()]  # the orders without their envelopes
    assert convert(as_bytes(bare))[2] == whole
    assert convert(as_bytes(bare[1]))[2] == [(1, whole[1][1])]
    # with a byte-order mark, and the TOP gateway's wrapped list of child orders
    first = copy.deepcopy(bare[1])
    first["child_order_list"] = {"global_aeop_tp_child_order_dto": first["child_order_list"]}
    assert convert(b"\xef\xbb\xbf" + as_bytes([first]))[2] == [(1, whole[1][1])]


@pytest.mark.parametrize(
    ("status", "fund", "logistics", "filed"),
    [
        ("FINISH", "PAY_SUCCESS", "BUYER_ACCEPT_GOODS", True),
        ("FINISH", "PAY_SUCCESS", "NO_LOGISTICS", False),  # closed without a shipment
        ("WAIT_SELLER_SEND_GOODS", "NOT_PAY", "WAIT_SELLER_SEND_GOODS", False),
        ("IN_CANCEL", "PAY_SUCCESS", "WAIT_SELLER_SEND_GOODS", False),
        ("PLACE_ORDER_SUCCESS", "NOT_PAY", "NO_LOGISTICS", False),
        ("RISK_CONTROL", "PAY_SUCCESS", "NO_LOGISTICS", True),
    ],
)
def test_orders_never_paid_or_being_cancelled_are_skipped(status, fund, logistics, filed):
    order = detail(saved()[1])
    order.update(order_status=status, fund_status=fund, logistics_status=logistics)
    _, _, rows, skipped = convert(as_bytes([order]))
    assert (len(rows), skipped) == ((1, []) if filed else (0, [1]))


def test_unmapped_and_assumed_fields_are_reported():
    fmt, header, *_ = convert(FIXTURE.read_bytes())
    unmapped = core.unmapped(fmt, header)
    assert set(unmapped) == set(header) - set(fmt.mapping)
    assert {"payment_type", "logistic_info_list[].logistics_no"} <= set(unmapped)
    assert "child_order_list[].product_id" in unmapped and "id" not in unmapped
    # a money object's cent and currency description restate its amount: not listed
    assert not [h for h in header if h.endswith((".cent", ".cent_factor", ".symbol"))]
    assumed = dict(core.ambiguous(fmt, header))
    assert set(assumed) == {"gmt_create", "init_oder_amount.amount", "order_discount_info.amount"}


def test_the_format_is_told_by_the_content_only():
    header = mk.records(io.BytesIO(FIXTURE.read_bytes()), "csv", None)[0]
    assert [f.name for f in mk.FORMATS if f.signature <= set(header)] == ["aliexpress-api"]
    with pytest.raises(BadRequest) as refused:
        mk.detect(header, "aliexpress")  # the Seller Center export's columns are not there
    assert refused.value.rule == "marketplace_format_unknown"
    for body in (b"{}", b"[]", b'{"result": {"success": false}}'):
        with pytest.raises(BadRequest):
            convert(body)


def violations(doc) -> dict[int, list[tuple[str, str]]]:
    """Each refused order's place in the file and its (field path, rule) pairs."""
    rows = convert(as_bytes(doc))[2]
    return {
        n: [(v.field, v.rule) for v in row.violations]
        for n, row in rows
        if isinstance(row, validation.Unreadable)
    }


def _set(order: dict, path: str, value) -> None:
    *parents, last = path.split(".")
    target = order
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    if value is None:
        del target[last]
    else:
        target[last] = value


@pytest.mark.parametrize(
    ("path", "value", "rule"),
    [
        ("receipt_address.country", None, "marketplace_column_absent"),
        ("receipt_address.country", "Atlantis", "marketplace_country_unknown"),
        ("child_order_list.1.product_count", "three", "marketplace_not_a_number"),
        ("child_order_list.1.product_count", 0, "marketplace_not_a_number"),
        ("child_order_list.0.product_price.amount", "1e30", "marketplace_not_a_number"),
        ("child_order_list.0.sku_code", "NOT-IN-CATALOGUE", "marketplace_sku_unknown"),
        ("child_order_list.1.product_price.currency_code", "EUR", "marketplace_currency_mismatch"),
        ("init_oder_amount.amount", "96.90", "marketplace_total_mismatch"),
        ("order_amount.amount", "99.90", "marketplace_total_mismatch"),
        ("logistics_amount.currency_code", "CNY", "marketplace_currency_mismatch"),
        ("gmt_create", "20/10/2026 8h30", "marketplace_not_a_time"),
        ("gmt_create", "9999-12-31 23:59:59", "marketplace_not_a_time"),  # past 9999 in UTC
        ("child_order_list", [], "marketplace_value_missing"),
        ("id", None, "marketplace_column_absent"),
    ],
)
def test_a_bad_field_refuses_its_order_naming_the_path(path, value, rule):
    """The second order changed: it alone is refused, named by its place in the file (2)
    and the field's path (a product's with ``[]``); the first order is still filed."""
    docs = saved()
    _set(detail(docs[1]), path, value)
    field = re.sub(r"\.\d+", "[]", path)
    assert violations(docs) == {2: [(field, rule)]}  # once
    assert [n for n, row in convert(as_bytes(docs))[2] if isinstance(row, dict)] == [1]


def test_the_order_total_check_gives_the_expected_amount():
    docs = saved()
    detail(docs[1])["order_amount"]["amount"] = "99.90"
    (n, row), *_ = (
        r for r in convert(as_bytes(docs))[2] if isinstance(r[1], validation.Unreadable)
    )
    assert n == 2 and row.violations[0].params == {"expected": "94.90"}


def test_payment_time_when_no_creation_time_and_zone_never_from_the_profile():
    order = detail(saved()[1])
    del order["gmt_create"]  # gmt_pay_success: 2026-10-20 08:31:00 PDT
    profile = core.Profile("platform-a", None, None)  # no zone, no currency: none needed
    [(_, doc)] = convert(as_bytes([order]), profile)[2]
    assert doc["ordered_at"] == "2026-10-20T15:31:00Z" and doc["currency"] == "USD"


@pytest.mark.parametrize(
    ("body", "rule"),
    [
        (b'[{"id": 1, "child_order_list": [', "invalid_json"),
        (b'{"id": 1}\n{"id": 2\n', "invalid_json"),
        (b"[1, 2]", "invalid_json"),
        (b'{"id": "caf\xe9"}', "not_utf8"),
    ],
)
def test_a_file_that_is_no_json_is_refused_whole(body, rule):
    with pytest.raises(BadRequest) as refused:
        convert(body)
    assert refused.value.rule == rule


def test_a_broken_document_is_named_where_it_breaks_not_as_json_lines():
    """A pretty-printed array cut short is one document's error (its line and column), not
    a JSON Lines file whose first line ``[`` is no JSON."""
    text = FIXTURE.read_text(encoding="utf-8")
    cut = text[: text.index('"gmt_create": "2026-10-20')]
    with pytest.raises(BadRequest) as refused:
        convert(cut.encode("utf-8"))
    detail = refused.value.params["detail"]
    assert refused.value.rule == "invalid_json" and not detail.startswith("line 1:")
    # JSON Lines with one broken line: named by its line
    lines = lines_of(saved()).splitlines(keepends=True)
    lines[2] = b'{"id": 3,\n'
    with pytest.raises(BadRequest) as refused:
        convert(b"".join(lines))
    assert refused.value.params["detail"].startswith("line 3:")


def test_json_numbers_are_read_as_written_and_a_huge_one_is_refused():
    """Amounts as JSON numbers are read as decimals (no binary float: 4.1 stays 4.1); one no
    order can carry is refused naming its path, never overflowing the arithmetic."""
    text = FIXTURE.read_text(encoding="utf-8")
    assert text.count('"amount": "4.00"') == 1  # the second order's logistics_amount
    as_number = text.replace('"amount": "4.00"', '"amount": 4.00')
    assert convert(as_number.encode("utf-8"))[2] == convert(FIXTURE.read_bytes())[2]
    huge = text.replace('"amount": "4.00"', '"amount": 1E+400').encode("utf-8")
    [(n, refused)] = [r for r in convert(huge)[2] if isinstance(r[1], validation.Unreadable)]
    assert n == 2
    assert [(v.field, v.rule) for v in refused.violations] == [
        ("logistics_amount.amount", "marketplace_not_a_number")
    ]
