"""Every error of a row in one pass: a malformed field does not hide the errors of the rules
that relate other fields, and a rule whose input is malformed reports nothing of its own
(its input's error says it all). The oracles: arithmetic recomputed here from the
document's own numbers, and the chronology of the events as written."""

from __future__ import annotations

import random
from decimal import Decimal

from cbec.demo import synthetic
from cbec.trade.kinds import KINDS
from cbec.trade.validation import validate


def order(n_lines: int = 2) -> dict:
    rng = random.Random(11)
    while True:
        o = synthetic.order(rng, "platform-a", "seller-a", "X1")
        if len(o["lines"]) == n_lines:
            return o


def errors(raw: dict, kind: str = "order") -> set[tuple[str, str]]:
    _, violations = validate(KINDS[kind], raw)
    return {(v.field, v.rule) for v in violations}


def test_a_bad_amount_does_not_hide_a_line_total_that_does_not_match():
    o = order()
    line = o["lines"][0]
    # a unit price whose product with the quantity is not the line total (the total and the
    # goods value stay as they were, so the sum over the lines still holds)
    line["unit_price"] = str(Decimal(line["unit_price"]) + 1)
    assert Decimal(line["unit_price"]) * Decimal(line["qty"]) != Decimal(line["line_total"])
    o["freight"] = "12,50"  # not a number
    assert errors(o) == {("freight", "decimal_parsing"), ("lines[0].line_total", "line_total")}


def test_a_rule_over_a_malformed_field_reports_nothing_of_its_own():
    o = order()
    o["freight"] = "abc"
    o["amount_paid"] = str(Decimal(o["amount_paid"]) + 5)  # wrong, but against what freight?
    o["lines"][1]["qty"] = "x"  # the second line's total cannot be recomputed
    o["lines"][1]["line_total"] = str(Decimal(o["lines"][1]["line_total"]) + 1)
    o["goods_value"] = str(sum(Decimal(line["line_total"]) for line in o["lines"]))
    assert errors(o) == {("freight", "decimal_parsing"), ("lines[1].qty", "decimal_parsing")}


def test_the_rules_of_valid_fields_are_checked_beside_a_missing_one():
    o = order(1)
    del o["currency"]
    o["destination_country"] = "CN"
    o["buyer"].pop("id_type", None)
    o["buyer"].pop("id_number", None)
    o["goods_value"] = str(Decimal(o["goods_value"]) + 1)
    paid = Decimal(o["goods_value"]) + Decimal(o["freight"]) + Decimal(o["tax_withheld"])
    o["amount_paid"] = str(paid - Decimal(o["discount"]))
    found = errors(o)
    assert {
        ("currency", "missing"),
        ("buyer.id_number", "required_for_cn_import"),
        ("goods_value", "goods_value_sum"),
    } <= found


def test_a_waybill_reports_a_bad_weight_and_events_out_of_order_together():
    rng = random.Random(5)
    o = order()
    w = synthetic.waybill(rng, o, "WB1")
    while len(w["events"]) < 3:
        w = synthetic.waybill(rng, o, "WB1")
    w["gross_weight_kg"] = "heavy"
    w["events"][1], w["events"][2] = w["events"][2], w["events"][1]
    assert errors(w, "waybill") == {
        ("gross_weight_kg", "decimal_parsing"),
        ("events[2].time", "events_order"),
    }
    w["events"][1]["time"] = "yesterday"  # the event compared with its neighbours is malformed
    assert errors(w, "waybill") == {
        ("gross_weight_kg", "decimal_parsing"),
        ("events[1].time", "datetime_from_date_parsing"),
    }


def test_a_valid_document_is_checked_as_before():
    o = order()
    assert errors(o) == set()
    o["discount"] = str(Decimal(o["goods_value"]) + Decimal(o["freight"]) + 1)
    found = errors(o)
    assert ("discount", "discount_exceeds") in found and ("amount_paid", "amount_paid_sum") in found


def test_a_malformed_input_is_not_read_by_a_library_a_rule_calls():
    """A resident ID number over its length goes no further than its own error: the GB 11643
    check (python-stdnum, which reads any failure as a bad format) is not run over it."""
    o = order()
    o["destination_country"] = "CN"
    o["buyer"]["id_type"] = "resident_id"
    o["buyer"]["id_number"] = "1" * 61
    o["freight"] = "-1"
    assert errors(o) == {
        ("buyer.id_number", "string_too_long"),
        ("freight", "greater_than_equal"),
    }
