"""The tax API's contract as OpenAPI states it, and the
error family its cores raise (tests/contract/test_architecture.py checks the cores are pure)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cbec.analytics.errors import FigureError, ReplenishmentError, TransactionError
from cbec.errors import BadRequest, CbecError
from cbec.ruledata import RuleDataError
from cbec.tax.errors import NoPolicy, QuoteError, TaxInputError, TaxTypeError
from cbec.tax.positive_list import AnnexFormatError, NotCovered

SHARED = {"200", "400", "401", "422", "503"}
# operation -> (request body model or None, response model, statuses beyond the shared ones)
TAX = {
    ("post", "/tax/cn-import"): ("CnImportRequest", "CnAssessment", {"413"}),
    ("post", "/tax/cn-import/charges"): (
        "ChargeRequest",
        "TaxCharge",
        {"403", "404", "409", "413"},
    ),
    ("post", "/tax/cn-import/charges/{order_ref}/refund"): (
        "RefundBody",
        "TaxRefund",
        {"403", "404", "409", "413"},
    ),
    ("get", "/tax/cn-import/positive-list/{hs_code}"): (None, "PositiveListFinding", set()),
    ("post", "/tax/quote"): ("QuoteRequest", "LandedQuote", {"413"}),
}
ROOT = Path(__file__).resolve().parents[2] / "cbec"


def operations(doc: dict, prefix: str) -> dict[tuple[str, str], dict]:
    return {
        (method, path): op
        for path, item in doc["paths"].items()
        if path.startswith(prefix)
        for method, op in item.items()
    }


def check_operations(doc: dict, prefix: str, expected: dict) -> None:
    """Every operation under ``prefix`` is the one expected: its body a registered model,
    its 200 a response model, a summary and a description, every status it can answer."""
    found = operations(doc, prefix)
    assert set(found) == set(expected)
    schemas = doc["components"]["schemas"]
    for key, (body, result, extra) in expected.items():
        op = found[key]
        assert op.get("summary") and op.get("description"), key
        shared = SHARED | {"429"} | ({"408"} if body is not None else set())
        assert set(op["responses"]) == shared | extra, key
        ok = op["responses"]["200"]["content"]["application/json"]["schema"]
        assert ok == {"$ref": f"#/components/schemas/{result}"}, key
        if body is None:
            assert "requestBody" not in op, key
            continue
        schema = op["requestBody"]["content"]["application/json"]["schema"]
        assert schema == {"$ref": f"#/components/schemas/{body}"}, key
        assert op["requestBody"]["required"] is True
        assert schemas[body]["additionalProperties"] is False, f"{body} must forbid extras"
        for status in op["responses"]:
            if status.startswith("4") or status.startswith("5"):
                problem = op["responses"][status]["content"]["application/problem+json"]
                assert problem["schema"] == {"$ref": "#/components/schemas/Problem"}


def test_tax_operations_declare_bodies_results_and_statuses(client):
    check_operations(client.get("/openapi.json").json(), "/tax", TAX)


def test_tax_request_bounds_are_in_the_schema(client):
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    line = schemas["CnLine"]["properties"]
    price = next(s for s in line["unit_price"]["anyOf"] if s["type"] == "number")
    assert price["maximum"] == 99999999999999 and price["minimum"] == 0
    assert schemas["CnImportRequest"]["properties"]["lines"]["maxItems"] == 1000
    assert schemas["QuoteLineIn"]["properties"]["sku"]["maxLength"] == 64
    assert schemas["ChargeRequest"]["properties"]["order_ref"]["maxLength"] == 180


@pytest.mark.parametrize(
    ("error", "second"),
    [
        (TaxInputError("lines", "x"), ValueError),
        (TaxTypeError("qty", "x"), TypeError),
        (QuoteError("freight", "x"), ValueError),
        (NoPolicy("date", "x"), LookupError),
        (NotCovered("x"), LookupError),
        (AnnexFormatError("x"), ValueError),
        (RuleDataError("t.csv", 2, "rate", "x"), ValueError),
        (FigureError("x"), ValueError),
        (TransactionError("x"), ValueError),
        (ReplenishmentError("x", "std"), ValueError),
    ],
    ids=lambda e: type(e).__name__,
)
def test_core_errors_are_members_of_the_family(error, second):
    assert isinstance(error, BadRequest) and isinstance(error, CbecError)
    assert isinstance(error, second)  # callers that catch the built-in keep working
    assert error.message("zh") and str(error)
