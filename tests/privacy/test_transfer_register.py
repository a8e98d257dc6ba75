"""The transfer register counts what the CAC provisions count — individuals sent abroad from
China since 1 January (自当年1月1日起累计) — from the transfers cbec recorded, and routes each
transfer on those counts.

Oracles: the thresholds as the legal text reads them (不满10万人 excludes 100,000; 1 to 9,999
sensitive individuals is the contract band), the arithmetic of distinct people worked out
here from the orders the test files (one buyer in two orders is one individual), and the
calendar (a transfer dated 31 December counts for its own year only).
"""

from __future__ import annotations

import base64
import copy
import random

from cbec.demo import synthetic

ON = "2026-06-01"
ROUTE, RECORD = "/privacy/transfers/route", "/privacy/transfers"


def _order(client, seller, number: str, like: dict | None = None) -> tuple[str, dict]:
    body = (
        copy.deepcopy(like)
        if like
        else synthetic.order(random.Random(number), "platform-a", "seller-a", number)
    )
    body["order_no"] = number
    posted = client.post("/orders", json=body, headers=seller.headers)
    assert posted.status_code == 201, posted.text
    return posted.json()["id"], body


def _transfer(**fields) -> dict:
    transfer = {
        "destination": "US",
        "recipient": "Overseas Analytics LLC",
        "purpose": "marketing",
        "data_categories": ["user"],
        "transferred_on": ON,
    }
    return {"transfer": transfer | fields}


def test_yearly_counts_are_individuals_once_each_and_the_boundary_is_exact(client, parties):
    seller = parties["seller-a"]
    first, body = _order(client, seller, "XB-0001")
    same_buyer, _ = _order(client, seller, "XB-0002", like=body)
    other, _ = _order(client, seller, "XB-0003")

    declared = client.post(RECORD, json=_transfer(individuals=99_998), headers=seller.headers)
    assert declared.status_code == 201, declared.text
    assert declared.json()["decision"]["route"] == "exempt"
    assert declared.json()["counts"]["non_sensitive"] == 99_998

    one = _transfer(document_ids=[first], documents_sensitive=False)
    made = client.post(RECORD, json=one, headers=seller.headers).json()
    assert (made["counts"]["non_sensitive"], made["decision"]["route"]) == (99_999, "exempt")

    # the same buyer again, in both of their orders: still one individual
    again = _transfer(document_ids=[first, same_buyer], documents_sensitive=False)
    planned = client.post(ROUTE, json=again, headers=seller.headers).json()
    assert planned["individuals_in_documents"] == 1 and planned["documents"] == 2
    assert (planned["counts"]["non_sensitive"], planned["decision"]["route"]) == (99_999, "exempt")

    # a new individual reaches 100,000: 以上 includes the number itself
    new = _transfer(document_ids=[other], documents_sensitive=False)
    planned = client.post(ROUTE, json=new, headers=seller.headers).json()
    assert planned["counts"]["non_sensitive"] == 100_000
    assert planned["decision"]["route"] == "standard_contract_or_certification"

    # the buyer already sent, now with the ID number: one sensitive individual, not two people
    sensitive = _transfer(document_ids=[first])
    planned = client.post(ROUTE, json=sensitive, headers=seller.headers).json()
    assert planned["counts"] | {"year": 0} == {
        "year": 0,
        "through": ON,
        "non_sensitive": 99_998,
        "sensitive": 1,
    }
    assert planned["decision"]["route"] == "standard_contract_or_certification"

    # a necessity purpose is exempt whatever the volume and adds nobody to the counts
    shopping = _transfer(individuals=5, purpose="cross_border_shopping")
    made = client.post(RECORD, json=shopping, headers=seller.headers).json()
    assert (made["counted"], made["decision"]["route"]) == (False, "exempt")
    planned = client.post(ROUTE, json=new, headers=seller.headers).json()
    assert planned["counts"]["non_sensitive"] == 100_000

    # what-ifs recorded nothing
    register = client.get("/privacy/transfers?year=2026", headers=seller.headers).json()
    assert [t["declared_individuals"] for t in register["items"]] == [5, 0, 99_998]
    assert all(t["articles"] for t in register["items"])


def test_the_year_starts_on_the_first_of_january(client, parties):
    seller = parties["seller-a"]
    late = _transfer(individuals=99_999, transferred_on="2025-12-31")
    assert client.post(RECORD, json=late, headers=seller.headers).status_code == 201
    next_year = _transfer(individuals=1, transferred_on="2026-01-01")
    planned = client.post(ROUTE, json=next_year, headers=seller.headers).json()
    assert (planned["counts"]["non_sensitive"], planned["decision"]["route"]) == (1, "exempt")
    same_year = _transfer(individuals=1, transferred_on="2025-12-31")
    planned = client.post(ROUTE, json=same_year, headers=seller.headers).json()
    assert planned["counts"]["non_sensitive"] == 100_000


def test_a_tenant_reads_and_names_only_its_own(client, parties):
    seller, other, regulator = parties["seller-a"], parties["seller-b"], parties["regulator"]
    order, _ = _order(client, seller, "XB-0100")
    made = client.post(RECORD, json=_transfer(document_ids=[order]), headers=seller.headers)
    assert made.status_code == 201
    # another seller naming it learns nothing: the answer of an id that does not exist
    theirs = client.post(ROUTE, json=_transfer(document_ids=[order]), headers=other.headers)
    missing = client.post(ROUTE, json=_transfer(document_ids=["nope"]), headers=other.headers)
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json()["detail"] == missing.json()["detail"]
    assert client.get(RECORD, params={"year": 2026}, headers=other.headers).json()["items"] == []
    seen = client.get(RECORD, params={"year": 2026}, headers=regulator.headers).json()["items"]
    assert [(t["exporter"], t["id"]) for t in seen] == [("seller-a", made.json()["id"])]
    refused = client.post(RECORD, json=_transfer(individuals=1), headers=regulator.headers)
    assert refused.status_code == 403


def test_the_record_is_logged_without_personal_data(client, parties):
    seller, regulator = parties["seller-a"], parties["regulator"]
    order, body = _order(client, seller, "XB-0200")
    made = client.post(RECORD, json=_transfer(document_ids=[order]), headers=seller.headers)
    index = made.json()["ledger_index"]
    entry = client.get(f"/ledger/entries/{index}", headers=regulator.headers).json()
    raw = base64.b64decode(entry["data"])
    for value in (body["buyer"]["name"], body["buyer"]["id_number"], body["buyer"]["phone"]):
        assert value.encode() not in raw
    assert entry["entry"]["type"] == "cbec.transfers/v1"
    assert entry["entry"]["route"] == made.json()["decision"]["route"]
    assert entry["entry"]["individuals"] == 1


def test_bad_input_names_the_field(client, parties):
    seller = parties["seller-a"]
    cases = [
        (_transfer(destination="XX", individuals=1), "transfer.destination"),
        (_transfer(), "transfer.individuals"),
        (_transfer(individuals=1, data_categories=["secrets"]), "transfer.data_categories[0]"),
    ]
    for body, field in cases:
        answer = client.post(ROUTE, json=body, headers=seller.headers)
        assert answer.status_code == 400, (field, answer.text)
        assert field in answer.text
    extra = _transfer(individuals=1)
    extra["transfer"]["ssn"] = "x"
    assert client.post(ROUTE, json=extra, headers=seller.headers).status_code == 422
    assert client.get(RECORD, params={"year": 1999}, headers=seller.headers).status_code == 422
