"""Hostile analytics inputs answer 400 or 422 naming the field and the rule — never 500.

Replenishment figures past what a float formula can hold (``std 1e200`` squares to infinity,
``moq 1e300 / pack 1e-300`` overflows the pack count), NaN and infinity in any spelling, JSON
nested past the parser's limit, control characters, and out-of-range query parameters.
"""

from __future__ import annotations

import json

import pytest

from cbec.analytics.errors import ReplenishmentError
from cbec.analytics.replenish import Demand, StockPosition, suggest


def body(demand: dict | None = None, stock: dict | None = None, **extra) -> dict:
    d = {"sku": "A", "warehouse": "W", "mean": 10, "std": 4} | (demand or {})
    s = {"sku": "A", "warehouse": "W", "on_hand": 5} | (stock or {})
    return {"demand": [d], "stock": [s]} | extra


def post(client, parties, payload: dict | str):
    text = payload if isinstance(payload, str) else json.dumps(payload)
    headers = parties["seller-a"].headers | {"content-type": "application/json"}
    return client.post("/analytics/replenishment", content=text, headers=headers)


def problem(r, status: int) -> set[tuple[str, str]]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    return {(e["field"], e["rule"]) for e in r.json().get("errors") or []}


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (body({"std": 1e200}), {("demand[0].std", "less_than_equal")}),
        (
            body(stock={"moq": 1e300, "pack_size": 1e-300}),
            {("stock[0].moq", "less_than_equal"), ("stock[0].pack_size", "greater_than_equal")},
        ),
        (body({"mean": "NaN"}), {("demand[0].mean", "finite_number")}),
        (body({"std": "Infinity"}), {("demand[0].std", "finite_number")}),
        (body(stock={"on_hand": "-inf"}), {("stock[0].on_hand", "finite_number")}),
        (body(stock={"lead_time": 1e9}), {("stock[0].lead_time", "less_than_equal")}),
        (body(service_level="nan"), {("service_level", "finite_number")}),
        (body(service_level=1), {("service_level", "less_than")}),
        (body(stock={"service_level": 0.1}), {("stock[0].service_level", "greater_than_equal")}),
        (body({"sku": "A\u0000"}), {("demand[0].sku", "control_character")}),
        (body({"warehouse": "W" * 65}), {("demand[0].warehouse", "string_too_long")}),
        (body(stock={"colour": "red"}), {("stock[0].colour", "extra_forbidden")}),
        ({"demand": []}, {("stock", "missing")}),
        ({"stock": []}, {("stock", "too_short")}),
    ],
)
def test_replenishment_refuses_by_field(client, parties, payload, expected):
    assert problem(post(client, parties, payload), 422) == expected


def test_replenishment_nan_literal_and_malformed_json(client, parties):
    text = json.dumps(body()).replace('"mean": 10', '"mean": NaN')
    assert problem(post(client, parties, text), 422) == {("demand[0].mean", "finite_number")}
    deep = '{"demand": ' + "[" * 1000 + "]" * 1000 + "}"
    r = post(client, parties, deep)
    assert r.status_code == 400 and r.json()["code"] == "json_too_deep"
    r = post(client, parties, '{"stock": [')
    assert r.status_code == 400 and r.json()["code"] == "invalid_json"


def test_replenishment_at_the_bounds_answers(client, parties):
    # the largest figures the contract admits still compute to finite numbers
    huge = body({"mean": 1e9, "std": 1e9}, {"moq": 1e9, "pack_size": 0.001, "lead_time": 520})
    r = post(client, parties, huge)
    assert r.status_code == 200, r.text
    (s,) = r.json()["suggestions"]
    assert s["order_quantity"] > 0


@pytest.mark.parametrize(
    ("demand", "stock", "field"),
    [
        (Demand("A", "W", 1, 1e200), StockPosition("A", "W", 0), None),
        (Demand("A", "W", 1, 1), StockPosition("A", "W", 0, moq=1e300, pack_size=1e-300), None),
        (Demand("A", "W", float("nan"), 1), StockPosition("A", "W", 0), "mean"),
        (Demand("A", "W", 1, 1), StockPosition("A", "W", float("inf")), "on_hand"),
    ],
)
def test_core_refuses_what_would_overflow(demand, stock, field):
    with pytest.raises(ReplenishmentError) as err:
        suggest(demand, stock)
    assert err.value.field == field
    assert isinstance(err.value, ValueError)  # callers catching ValueError keep working


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/analytics/customers", {"weeks": "nan"}, "query.weeks"),
        ("/analytics/customers", {"weeks": "inf"}, "query.weeks"),
        ("/analytics/customers", {"weeks": "1e400"}, "query.weeks"),
        ("/analytics/demand", {"horizon": str(10**30)}, "query.horizon"),
        ("/analytics/demand", {"top": "0"}, "query.top"),
    ],
)
def test_read_parameters_are_bounded(client, parties, path, params, field):
    r = client.get(path, params=params, headers=parties["seller-a"].headers)
    assert field in {f for f, _ in problem(r, 422)}
