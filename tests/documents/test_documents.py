"""Document rules: structure (Pydantic) and cross-field rules, with independent oracles —
the GB 11643 example number printed in the standard, libphonenumber's metadata, and
arithmetic recomputed in the test."""

from __future__ import annotations

import copy
import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from cbec.demo import synthetic
from cbec.trade.kinds import KINDS
from cbec.trade.validation import validate

ORDER = KINDS["order"]


def base_order(n_lines: int = 3) -> dict:
    rng = random.Random(3)
    while True:
        o = synthetic.order(rng, "platform-a", "seller-a", "X1")
        if len(o["lines"]) == n_lines:
            return o


def errors(raw: dict, kind=ORDER) -> list[tuple[str, str]]:
    _, violations = validate(kind, raw)
    return [(v.field, v.rule) for v in violations]


def test_valid_order_passes():
    assert errors(base_order()) == []


def test_qty_zero_names_field_and_rule():
    o = base_order()
    o["lines"][2]["qty"] = "0"
    _, violations = validate(ORDER, o)
    assert [(v.field, v.rule) for v in violations] == [("lines[2].qty", "greater_than")]
    assert str(violations[0]) == "lines[2].qty: must be > 0"
    assert violations[0].message("zh") == "必须大于 0"


def test_line_total_must_equal_price_times_qty():
    o = base_order()
    o["lines"][1]["line_total"] = str(Decimal(o["lines"][1]["line_total"]) + 1)
    assert ("lines[1].line_total", "line_total") in errors(o)


def test_line_total_rounds_half_up_to_its_precision():
    o = base_order(1)
    line = o["lines"][0]
    line.update(qty="3", unit_price="3.335", line_total="10.01")  # 10.005 → 10.01
    total = Decimal("10.01")
    o["goods_value"] = str(total)
    o["amount_paid"] = str(
        total + Decimal(o["freight"]) + Decimal(o["tax_withheld"]) - Decimal(o["discount"])
    )
    assert errors(o) == []
    line["line_total"] = "10.00"
    assert ("lines[0].line_total", "line_total") in errors(o)


def test_amount_paid_identity():
    o = base_order()
    o["amount_paid"] = str(Decimal(o["amount_paid"]) + Decimal("0.01"))
    assert errors(o) == [("amount_paid", "amount_paid_sum")]


def test_goods_value_is_sum_of_lines():
    o = base_order()
    o["goods_value"] = str(Decimal(o["goods_value"]) - 1)
    assert ("goods_value", "goods_value_sum") in errors(o)


def test_negative_and_absurd_amounts_rejected():
    o = base_order()
    o["freight"] = "-1"
    assert ("freight", "greater_than_equal") in errors(o)
    o = base_order()
    o["lines"][0]["unit_price"] = "1e20"
    assert ("lines[0].unit_price", "less_than_equal") in errors(o)
    o = base_order()
    o["lines"][0]["qty"] = "NaN"
    assert errors(o)[0][0] == "lines[0].qty"
    o = base_order()
    o["freight"] = "0.000001"  # more places than customs N19,5 allows
    assert ("freight", "decimal_max_places") in errors(o)


def test_line_numbers_run_from_one():
    o = base_order()
    o["lines"][1]["line_no"] = 5
    assert ("lines[1].line_no", "line_no_sequence") in errors(o)


@pytest.mark.parametrize(
    "number,rule",
    [
        ("11010519491231002X", None),  # the example in GB 11643-1999 itself
        ("110105194912310021", "id_checksum"),
        ("11010519491231002", "id_length"),
        ("11010519491331002" + ric.calc_check_digit("110105194913310020"), "id_component"),
        ("1101051949123100AX", "id_format"),
    ],
)
def test_resident_id_gb11643(number, rule):
    o = base_order()
    o["buyer"]["id_number"] = number
    found = [r for f, r in errors(o) if f == "buyer.id_number"]
    assert found == ([rule] if rule else [])


def test_buyer_id_required_only_for_china_imports():
    o = base_order()
    del o["buyer"]["id_type"], o["buyer"]["id_number"]
    assert ("buyer.id_number", "required_for_cn_import") in errors(o)
    o["destination_country"] = "US"
    o["consignee"]["phone"] = "+1 202 555 0143"
    o["buyer"]["phone"] = "+12025550143"
    assert errors(o) == []


@pytest.mark.parametrize(
    "phone,ok",
    [
        ("13812345678", True),
        ("+86 138 1234 5678", True),
        ("12345", False),
        ("1381234567", False),
        ("+1 138 1234 5678", False),
    ],
)
def test_phone_checked_for_destination(phone, ok):
    o = base_order()
    o["consignee"]["phone"] = phone
    assert (("consignee.phone", "phone_invalid") not in errors(o)) is ok


def test_codes_checked_against_iso_tables():
    o = base_order()
    o["destination_country"] = "XX"
    o["currency"] = "RMB"  # a common mistake: the ISO code is CNY
    o["lines"][0]["hs_code"] = "85183"
    found = errors(o)
    assert ("destination_country", "country_code") in found
    assert ("currency", "currency_code") in found
    assert ("lines[0].hs_code", "hs_code") in found


def test_times_need_a_zone_and_are_kept_in_utc():
    o = base_order()
    o["ordered_at"] = "2026-03-01T10:00:00"
    assert errors(o) == [("ordered_at", "datetime_without_offset")]  # never taken as UTC
    o["ordered_at"] = "2026-03-01T10:00:00+08:00"
    doc, _ = validate(ORDER, o)
    assert doc.ordered_at.isoformat() == "2026-03-01T02:00:00+00:00"


def test_unknown_fields_and_wrong_types():
    o = base_order()
    o["colour"] = "red"
    o["lines"][0]["qty"] = {"value": 1}
    found = errors(o)
    assert ("colour", "extra_forbidden") in found
    assert ("lines[0].qty", "decimal_type") in found


def test_waybill_events_in_time_order():
    rng = random.Random(5)
    o = synthetic.order(rng, "platform-a", "seller-a", "X2")
    w = synthetic.waybill(rng, o, "W1")
    w["events"] = [
        {"time": "2026-03-02T00:00:00Z", "place": "A", "status": "picked_up"},
        {"time": "2026-03-01T00:00:00Z", "place": "B", "status": "in_transit"},
    ]
    assert errors(w, KINDS["waybill"]) == [("events[1].time", "events_order")]


def test_product_country_hs_codes_share_the_subheading():
    p = synthetic.product(synthetic.CATALOG[0])
    p["hs_codes"][1]["code"] = "9999990000"
    assert errors(p, KINDS["product"]) == [("hs_codes[1].code", "hs_prefix")]


@settings(max_examples=60, deadline=None)
@given(
    qty=st.integers(min_value=1, max_value=10_000),
    cents=st.integers(min_value=0, max_value=10**9),
    freight=st.integers(min_value=0, max_value=10**6),
)
def test_amount_identities_hold_for_any_consistent_order(qty, cents, freight):
    """Property: an order built from the identities is accepted; nudging the total is not."""
    o = base_order(1)
    price = Decimal(cents) / 100
    total = price * qty
    o["lines"][0].update(qty=str(qty), unit_price=str(price), line_total=str(total))
    o["goods_value"] = str(total)
    o["freight"] = str(Decimal(freight) / 100)
    o["discount"] = "0"
    paid = total + Decimal(o["freight"]) + Decimal(o["tax_withheld"])
    o["amount_paid"] = str(paid)
    assert errors(o) == []
    bad = copy.deepcopy(o)
    bad["amount_paid"] = str(paid + Decimal("0.01"))
    assert errors(bad) == [("amount_paid", "amount_paid_sum")]


COUNTIES = ["110101", "440305", "330106", "110102", "999999", "440300", "320102", "510104"]


@settings(max_examples=3000, deadline=None)
@given(
    county=st.sampled_from(COUNTIES),
    year=st.integers(min_value=1900, max_value=2030),
    month=st.integers(min_value=0, max_value=13),
    day=st.integers(min_value=0, max_value=32),
    seq=st.integers(min_value=0, max_value=999),
    check=st.sampled_from("0123456789Xx"),
    mutation=st.sampled_from(["none", "none", "drop", "letter", "space"]),
    fix_check=st.booleans(),
)
def test_resident_id_rules_agree_with_stdnum(
    county, year, month, day, seq, check, mutation, fix_check
):
    """Oracle: python-stdnum's cn.ric.validate, exception for exception."""
    from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

    from cbec.trade.parties import resident_id_problem

    number = f"{county}{year:04d}{month:02d}{day:02d}{seq:03d}{check}"
    if fix_check:  # half the cases get past the check character to the date and county
        number = number[:-1] + ric.calc_check_digit(number)
    if mutation == "drop":
        number = number[:-2] + number[-1]
    elif mutation == "letter":
        number = number[:8] + "A" + number[9:]
    elif mutation == "space":
        number = number[:6] + " " + number[6:]
    expected = None
    try:
        ric.validate(number)
    except InvalidChecksum:
        expected = "id_checksum"
    except InvalidLength:
        expected = "id_length"
    except InvalidComponent:
        expected = "id_component"
    except InvalidFormat:
        expected = "id_format"
    assert resident_id_problem(number) == expected
