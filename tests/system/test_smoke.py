from tests.conftest import make_order


def test_seller_files_and_reads_an_order(client, parties, rng):
    seller = parties["seller-a"]
    order = make_order(rng, 1)
    r = client.post("/orders", json=order, headers=seller.headers)
    assert r.status_code == 201, r.text
    doc_id = r.json()["id"]
    got = client.get(f"/orders/{doc_id}", headers=seller.headers)
    assert got.status_code == 200
    assert got.json()["document"]["buyer"]["id_number"] == order["buyer"]["id_number"]
    assert got.json()["pii"] == "clear"
