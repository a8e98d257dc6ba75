"""Product changes: a new version replaces the old one, the old one is kept, both are logged."""

from __future__ import annotations

import json

from cbec.demo import synthetic
from cbec.ledger.verify import verify_bundle


def test_product_change_keeps_history_and_logs_each_version(client, parties, rt):
    seller = parties["seller-a"]
    product = synthetic.product(synthetic.CATALOG[0])
    created = client.post("/products", json=product, headers=seller.headers).json()
    doc_id, first_index = created["id"], created["ledger"]["index"]
    assert created["version"] == 1
    changed = json.loads(json.dumps(product))
    changed["weight_kg"] = "0.15"
    changed["name_en"] = "Wireless earbuds (2026)"
    r = client.put(f"/products/{doc_id}", json=changed, headers=seller.headers)
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 2 and r.json()["document"]["weight_kg"] == "0.15"
    second_index = r.json()["ledger"]["index"]
    assert second_index > first_index
    # the same content again changes nothing
    again = client.put(f"/products/{doc_id}", json=changed, headers=seller.headers).json()
    assert again["version"] == 2 and again["ledger"]["index"] == second_index
    history = client.get(f"/products/{doc_id}/versions", headers=seller.headers).json()
    assert history["current_version"] == 2
    assert [v["version"] for v in history["earlier"]] == [1]
    assert history["earlier"][0]["document"]["weight_kg"] == product["weight_kg"]
    assert history["earlier"][0]["ledger"]["index"] == first_index
    # both versions are in the log; the new entry names the one it supersedes
    rt.ledger.integrate(force_checkpoint=True)
    entry = client.get(f"/ledger/entries/{second_index}", headers=seller.headers).json()["entry"]
    assert entry["event"] == "changed" and entry["supersedes"] == first_index
    assert entry["id"] == doc_id
    assert verify_bundle(rt.ledger.bundle(first_index), rt.ledger.vkeys).ok
    assert rt.ledger.fsck() == []


def test_who_may_change_what(client, parties, rng):
    seller = parties["seller-a"]
    product = synthetic.product(synthetic.CATALOG[1])
    doc_id = client.post("/products", json=product, headers=seller.headers).json()["id"]
    other = client.put(f"/products/{doc_id}", json=product, headers=parties["seller-b"].headers)
    assert other.status_code == 404  # not theirs: does not exist for them
    regulator = client.put(
        f"/products/{doc_id}", json=product, headers=parties["regulator"].headers
    )
    assert regulator.status_code == 403 and regulator.json()["code"] == "only_filer_changes"
    renamed = dict(product, sku="OTHER-SKU")
    r = client.put(f"/products/{doc_id}", json=renamed, headers=seller.headers)
    assert r.status_code == 422 and r.json()["errors"][0]["rule"] == "key_immutable"
    bad = dict(product, weight_kg="-1")
    r = client.put(f"/products/{doc_id}", json=bad, headers=seller.headers)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "weight_kg"
    # orders are not changeable at all
    order = client.post(
        "/orders", json=synthetic.order(rng, "platform-a", "seller-a", "V1"), headers=seller.headers
    ).json()
    r = client.put(f"/orders/{order['id']}", json={}, headers=seller.headers)
    assert r.status_code == 405
