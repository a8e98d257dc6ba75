"""The analytics API's contract as OpenAPI states it (see tests/tax/test_tax_contract.py)."""

from __future__ import annotations

from tests.tax.test_tax_contract import check_operations

ANALYTICS = {
    ("get", "/analytics/market"): (None, "MarketReport", set()),
    ("get", "/analytics/customers"): (None, "CustomersReport", set()),
    ("get", "/analytics/demand"): (None, "DemandReport", set()),
    ("post", "/analytics/replenishment"): ("ReplenishmentRequest", "Replenishment", {"413"}),
    ("post", "/analytics/ad-report"): ("AdReportRequest", "AdReport", {"403", "413"}),
}


def test_analytics_operations_declare_bodies_results_and_statuses(client):
    check_operations(client.get("/openapi.json").json(), "/analytics", ANALYTICS)


def test_analytics_query_bounds_are_in_the_schema(client):
    doc = client.get("/openapi.json").json()
    params = {
        p["name"]: p["schema"] for p in doc["paths"]["/analytics/demand"]["get"]["parameters"]
    }
    assert (params["horizon"]["maximum"], params["top"]["maximum"]) == (52, 2000)
    stock = doc["components"]["schemas"]["StockIn"]["properties"]
    assert stock["pack_size"]["minimum"] == 0.001 and stock["moq"]["maximum"] == 1e9
