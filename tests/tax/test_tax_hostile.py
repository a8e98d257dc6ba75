"""Hostile tax inputs answer 400 or 422 naming the field and the rule — never 500.

Numbers too large for the decimal context (``1e400``, ``1e999999``), NaN and infinity, JSON
nested past the parser's limit, integer literals over Python's digit limit, control characters
in text, and figures that would overflow the quota ledger's BIGINT columns.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from cbec.cli.main import app
from cbec.store.tables import tax_quota_usage
from cbec.tax import landed
from cbec.tax.cn_import import Line, Order, assess
from cbec.tax.errors import QuoteError, TaxInputError
from tests.tax.orders import file_order, order_doc

BUYER = "11010519491231002X"  # the GB 11643 example number (valid check digit)


def quote_body(**order) -> dict:
    line = {"sku": "TS", "qty": 1, "unit_price": "10", "hs_code": "610910", "origin": "CN"}
    base = {"currency": "USD", "destination": "US", "date": "2025-05-03", "lines": [line]}
    return base | order


def cn_body(**order) -> dict:
    return {"date": "2026-03-01", "lines": [{"sku": "A", "unit_price": "100"}]} | order


def post(client, parties, path: str, body: dict | str):
    text = body if isinstance(body, str) else json.dumps(body)
    headers = parties["platform-a"].headers | {"content-type": "application/json"}
    return client.post(path, content=text, headers=headers)


def problem(r, status: int) -> set[tuple[str, str]]:
    """The (field, rule) pairs of a problem response, after checking its status."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    return {(e["field"], e["rule"]) for e in r.json().get("errors") or []}


# --------------------------------------------------------------------------- /tax/quote


@pytest.mark.parametrize(
    ("raw", "field", "rule"),
    [
        ('"freight": "1e400"', "freight", "less_than_equal"),
        ('"freight": 1e400', "freight", "less_than_equal"),
        ('"freight": "NaN"', "freight", "finite_number"),
        ('"freight": NaN', "freight", "finite_number"),
        ('"insurance": "-Infinity"', "insurance", "finite_number"),
        ('"freight": "1e-999999"', "freight", "decimal_max_places"),
    ],
)
def test_quote_order_amounts_out_of_range(client, parties, raw, field, rule):
    text = json.dumps(quote_body())[:-1] + ", " + raw + "}"
    assert (field, rule) in problem(post(client, parties, "/tax/quote", text), 422)


@pytest.mark.parametrize(
    ("qty", "rule"),
    [("1e999999", "less_than_equal"), ("1e-999999", "decimal_max_places"), ("0", "greater_than")],
)
def test_quote_line_quantity_out_of_range(client, parties, qty, rule):
    body = quote_body()
    body["lines"][0]["qty"] = qty
    assert ("lines[0].qty", rule) in problem(post(client, parties, "/tax/quote", body), 422)


def test_quote_text_and_rates_are_checked(client, parties):
    body = quote_body()
    body["lines"][0]["sku"] = "TS\u0000"
    assert ("lines[0].sku", "control_character") in problem(
        post(client, parties, "/tax/quote", body), 422
    )
    fx = [{"base": "USD", "quote": "EUR", "rate": "1e400", "date": "2026-06-30"}]
    found = problem(post(client, parties, "/tax/quote", quote_body(fx_rates=fx)), 422)
    assert ("fx_rates[0].rate", "less_than_equal") in found


def test_quote_of_an_order_too_large_to_declare_names_the_lines(client, parties):
    # 10,000,000 × 99,999,999,999,999 is past the 14 integer digits of a customs amount
    body = quote_body()
    body["lines"][0] |= {"qty": "10000000", "unit_price": "99999999999999"}
    r = post(client, parties, "/tax/quote", body)
    assert problem(r, 400) == {("lines", "tax_input")}


def test_quote_core_refuses_unbounded_python_input():
    line = landed.QuoteLine("X", Decimal(1), Decimal(1), "610910", "CN")
    for freight, detail in ((Decimal("1e400"), "at most"), (Decimal("NaN"), "finite")):
        order = landed.QuoteOrder("USD", freight, Decimal(0), [line])
        with pytest.raises(QuoteError) as err:
            landed.quote(order, "US", date(2025, 5, 3))
        assert err.value.field == "freight" and detail in err.value.detail


# --------------------------------------------------------------------------- /tax/cn-import


@pytest.mark.parametrize(
    ("raw", "field", "rule"),
    [
        ('"freight": NaN', "freight", "finite_number"),
        ('"freight": "Infinity"', "freight", "finite_number"),
        ('"freight": "1e999999"', "freight", "less_than_equal"),
        ('"annual_used": 99999999999999999999999', "annual_used", "less_than_equal"),
        ('"buyer_id_hash": "a\\u001bb"', "buyer_id_hash", "control_character"),
    ],
)
def test_cn_import_numbers_and_text(client, parties, raw, field, rule):
    text = json.dumps(cn_body())[:-1] + ", " + raw + "}"
    assert (field, rule) in problem(post(client, parties, "/tax/cn-import", text), 422)


@pytest.mark.parametrize(
    ("line", "field", "rule"),
    [
        ({"unit_price": "1e999999"}, "lines[0].unit_price", "less_than_equal"),
        ({"unit_price": "1", "qty": "NaN"}, "lines[0].qty", "finite_number"),
        ({"unit_price": "1", "vat_rate": "1e-999999"}, "lines[0].vat_rate", "decimal_max_places"),
        ({"unit_price": "1", "ct_rate": "1"}, "lines[0].ct_rate", "less_than"),
        ({"unit_price": "1", "sku": "A\u0000"}, "lines[0].sku", "control_character"),
    ],
)
def test_cn_import_lines(client, parties, line, field, rule):
    r = post(client, parties, "/tax/cn-import", cn_body(lines=[line]))
    assert (field, rule) in problem(r, 422)


def test_cn_import_malformed_json_is_named(client, parties):
    deep = '{"date": "2026-03-01", "x": ' + "[" * 1000 + "]" * 1000 + "}"
    r = post(client, parties, "/tax/cn-import", deep)
    assert r.status_code == 400 and r.json()["code"] == "json_too_deep"
    huge = '{"date": "2026-03-01", "freight": ' + "9" * 5000 + "}"
    r = post(client, parties, "/tax/cn-import", huge)
    assert r.status_code == 400 and r.json()["code"] == "invalid_json"
    r = post(client, parties, "/tax/cn-import", '{"date": ')
    assert r.status_code == 400 and r.json()["code"] == "invalid_json"
    r = post(client, parties, "/tax/cn-import", "[1, 2]")
    assert problem(r, 422)  # not an object
    r = post(client, parties, "/tax/cn-import", cn_body(order_ref="A-1"))
    assert ("order_ref", "extra_forbidden") in problem(r, 422)


def test_cn_import_core_refuses_unbounded_python_input():
    line = Line("A", Decimal(1), Decimal("NaN"), Decimal("0.13"))
    with pytest.raises(TaxInputError) as err:
        assess(Order(date(2026, 3, 1), [line]))
    assert err.value.field == "lines[0].unit_price"
    with pytest.raises(ValueError, match="freight: must be at most"):
        assess(Order(date(2026, 3, 1), [line], freight=Decimal("1e400")))


def test_cn_import_cli_refuses_by_field():
    done = CliRunner().invoke(app, ["tax", "cn-import"], input=json.dumps(cn_body(freight="NaN")))
    assert done.exit_code == 2 and "freight" in done.output and "finite_number" in done.output
    deep = '{"lines": ' + "[" * 1000 + "]" * 1000 + "}"
    done = CliRunner().invoke(app, ["tax", "cn-import"], input=deep)
    assert done.exit_code == 2 and "1000" in done.output


# --------------------------------------------------------------------------- quota charges


def charge(ref: str, order_id: str = "0" * 32, **line) -> dict:
    body = cn_body(lines=[{"sku": "A", "unit_price": "100"} | line])
    return body | {"order_ref": ref, "order_id": order_id, "buyer_id": BUYER}


def test_charge_text_fields(client, parties):
    r = post(client, parties, "/tax/cn-import/charges", charge("A\u0001"))
    assert ("order_ref", "control_character") in problem(r, 422)
    r = post(client, parties, "/tax/cn-import/charges", charge("x" * 181))
    assert ("order_ref", "string_too_long") in problem(r, 422)
    r = post(client, parties, "/tax/cn-import/charges", charge("A-1") | {"released_on": "soon"})
    assert ("released_on", "date_from_datetime_parsing") in problem(r, 422)


def test_charge_that_would_overflow_the_ledger_is_refused(client, parties, rt):
    # RMB 10,000,000,000,000 at a consumption tax of 99.9999 %: CT ≈ 10¹⁹ yuan, past BIGINT fen
    r = post(
        client,
        parties,
        "/tax/cn-import/charges",
        charge("BIG", unit_price="10000000000000", ct_rate="0.999999"),
    )
    assert problem(r, 400) == {("lines", "tax_input")}
    order_id = file_order(client, parties, "seller-a", order_doc("OK", BUYER, ["100"]))
    r = post(client, parties, "/tax/cn-import/charges", charge("OK", order_id))
    assert r.status_code == 200 and r.json()["created"] is True
    with rt.engine.connect() as conn:  # nothing was recorded before
        assert conn.execute(select(tax_quota_usage.c.used_fen)).scalars().all() == [100_00]


def test_charge_released_on_no_policy_covers_names_it(client, parties):
    r = post(
        client, parties, "/tax/cn-import/charges", charge("OLD") | {"released_on": "2001-01-01"}
    )
    assert problem(r, 400) == {("released_on", "tax_no_policy")}


def test_refund_path_and_body(client, parties):
    h = parties["platform-a"].headers
    r = client.post(
        f"/tax/cn-import/charges/{'x' * 181}/refund", json={"returned_on": "2026-03-02"}, headers=h
    )
    assert ("path.order_ref", "string_too_long") in problem(r, 422)
    r = client.post("/tax/cn-import/charges/A/refund", json={"returned_on": "x"}, headers=h)
    assert r.status_code == 422


# --------------------------------------------------------------------------- positive list


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"qty": "1e999999"}, "qty"),
        ({"qty": "NaN"}, "qty"),
        ({"qty": "Infinity"}, "qty"),
        ({"date": "2026-13-01"}, "date"),
        ({"channel": "mail"}, "channel"),
    ],
)
def test_positive_list_query(client, parties, params, field):
    h = parties["seller-a"].headers
    r = client.get("/tax/cn-import/positive-list/33041000", params=params, headers=h)
    assert f"query.{field}" in {f for f, _ in problem(r, 422)}


def test_positive_list_path_and_dates(client, parties):
    h = parties["seller-a"].headers
    r = client.get("/tax/cn-import/positive-list/" + "3" * 17, headers=h)
    assert ("path.hs_code", "string_too_long") in problem(r, 422)
    r = client.get("/tax/cn-import/positive-list/3304", headers=h)
    assert problem(r, 400) == {("hs_code", "tax_input")}
    r = client.get(
        "/tax/cn-import/positive-list/33041000", params={"date": "2019-06-01"}, headers=h
    )
    assert problem(r, 400) == {("date", "tax_not_covered")}


@pytest.mark.parametrize("path", ["/tax/quote", "/tax/cn-import", "/analytics/replenishment"])
def test_an_over_limit_body_answers_413_by_name(client, parties, rt, path):
    big = '{"pad": "' + "x" * (rt.settings.max_body_bytes + 10) + '"}'
    r = post(client, parties, path, big)
    assert r.status_code == 413 and r.json()["code"] == "payload_too_large"
