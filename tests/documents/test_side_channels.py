"""No response discloses a document the caller may not read: not a 409, not a natural key
held in advance, not a confusable spelling of a key (see cbec.tenancy.access)."""

from __future__ import annotations

import copy
import random

import pytest

from cbec.demo import synthetic


def _post(client, parties, who, path, body):
    return client.post(f"/{path}", json=body, headers=parties[who].headers)


@pytest.fixture
def filed(client, parties):
    """seller-a's order SQ-1 on platform-a, filed by seller-a, and its payment."""
    rng = random.Random(5)
    order = synthetic.order(rng, "platform-a", "seller-a", "SQ-1")
    r = _post(client, parties, "seller-a", "orders", order)
    assert r.status_code == 201, r.text
    pay = _post(client, parties, "pay-a", "payments", synthetic.payment(rng, order, "TX-SQ-1"))
    assert pay.status_code == 201, pay.text
    return {"order": order, "order_id": r.json()["id"], "payment_id": pay.json()["id"]}


def test_409_is_no_oracle_for_another_sellers_order(client, parties, filed):
    """seller-b cannot read seller-a's order (404) and, posting the same platform/order_no
    with guesses at the buyer's data, gets its own new document — never a 409 listing which
    of seller-a's fields differ."""
    b = parties["seller-b"].headers
    assert client.get(f"/orders/{filed['order_id']}", headers=b).status_code == 404
    guess = copy.deepcopy(filed["order"]) | {"seller": "seller-b"}
    guess["buyer"] = guess["buyer"] | {"phone": "13800000000"}
    r = client.post("/orders", json=guess, headers=b)
    assert r.status_code == 201, r.text
    assert r.json()["id"] != filed["order_id"]
    # posting it again is idempotent against its *own* document; a change is a 409 naming
    # only fields of a document seller-b filed itself
    assert client.post("/orders", json=guess, headers=b).status_code == 200
    guess["buyer"] = guess["buyer"] | {"phone": "13900000000"}
    again = client.post("/orders", json=guess, headers=b)
    assert again.status_code == 409
    assert [e["field"] for e in again.json()["errors"]] == ["buyer.phone"]
    # seller-a's order is untouched and still the only one seller-a reads
    mine = client.get("/orders", headers=parties["seller-a"].headers).json()["items"]
    assert [o["id"] for o in mine] == [filed["order_id"]]


def test_a_409_compares_only_with_a_document_the_caller_reads(client, parties, filed):
    """The platform named by seller-a's order reads it, so its 409 discloses nothing new."""
    p = parties["platform-a"].headers
    assert client.get(f"/orders/{filed['order_id']}", headers=p).status_code == 200
    changed = copy.deepcopy(filed["order"]) | {"note": "changed"}
    r = client.post("/orders", json=changed, headers=p)
    assert r.status_code == 409
    assert [e["field"] for e in r.json()["errors"]] == ["note"]


def test_a_409_names_no_personal_field_the_caller_sees_masked(client, parties):
    """The platform filed seller-a's order, so seller-a reads the buyer's data masked: its
    409 says only that personal information differs, never which field, while the filer's
    409 names the field."""
    order = synthetic.order(random.Random(12), "platform-a", "seller-a", "SQ-2")
    assert _post(client, parties, "platform-a", "orders", order).status_code == 201
    guess = copy.deepcopy(order)
    guess["buyer"] = guess["buyer"] | {"phone": "13800000000"}
    for who, fields in (
        ("seller-a", ["(personal information)"]),
        ("platform-a", ["buyer.phone"]),
    ):
        r = _post(client, parties, who, "orders", guess)
        assert r.status_code == 409
        assert [e["field"] for e in r.json()["errors"]] == fields, who
    r = _post(client, parties, "seller-a", "orders", guess | {"note": "n"})
    assert [e["field"] for e in r.json()["errors"]] == ["note", "(personal information)"]


def test_a_squatted_order_number_neither_blocks_the_seller_nor_shows_the_payment(client, parties):
    """seller-b files platform-a/SQ-1 before seller-a; seller-a still files its order (201),
    the payment firm's payment for SQ-1 is visible to neither seller (the link is ambiguous),
    and the platform and the regulator find the duplicate in GET /customs/unmatched."""
    rng = random.Random(9)
    squat = synthetic.order(rng, "platform-a", "seller-b", "SQ-1")
    assert _post(client, parties, "seller-b", "orders", squat).status_code == 201
    real = synthetic.order(rng, "platform-a", "seller-a", "SQ-1")
    r = _post(client, parties, "seller-a", "orders", real)
    assert r.status_code == 201, r.text
    pay = _post(client, parties, "pay-a", "payments", synthetic.payment(rng, real, "TX-SQ-1"))
    assert pay.status_code == 201
    pay_id = pay.json()["id"]
    for seller in ("seller-b", "seller-a"):
        h = parties[seller].headers
        assert client.get(f"/payments/{pay_id}", headers=h).status_code == 404
        assert client.get("/payments", headers=h).json()["items"] == []
        found = client.get("/customs/unmatched", headers=h).json()["unmatched"]
        assert all(i["code"] != "DUPLICATE_ORDER" for o in found for i in o["issues"])
    for overseer in ("platform-a", "regulator"):
        h = parties[overseer].headers
        assert client.get(f"/payments/{pay_id}", headers=h).status_code == 200
        found = client.get("/customs/unmatched", headers=h).json()["unmatched"]
        dup = {
            o["id"]: i
            for o in found
            if o["order_no"] == "SQ-1"
            for i in o["issues"]
            if i["code"] == "DUPLICATE_ORDER"
        }
        assert len(dup) == 2
        assert {(i["order"], i["other"]) for i in dup.values()} == {
            ("seller-a", "seller-b"),
            ("seller-b", "seller-a"),
        }


def test_an_unambiguous_order_still_shows_its_seller_the_payment(client, parties, filed):
    def status(who: str) -> int:
        r = client.get(f"/payments/{filed['payment_id']}", headers=parties[who].headers)
        return r.status_code

    assert (status("seller-a"), status("seller-b")) == (200, 404)


@pytest.mark.parametrize(
    "spelling",
    ["ＳＩ2026000001", "  SI2026000001  ", "SI2026000001\u3000", "\uff33\uff29\uff12026000001"],
)
def test_keys_are_folded_by_nfkc_and_trimmed(client, parties, spelling):
    """Every spelling reconciliation folds to SI2026000001 is that one order number."""
    rng = random.Random(3)
    order = synthetic.order(rng, "platform-a", "seller-a", "SI2026000001")
    first = _post(client, parties, "seller-a", "orders", order)
    assert first.status_code == 201
    again = _post(client, parties, "seller-a", "orders", order | {"order_no": spelling})
    assert again.status_code == 200, again.text
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["document"]["order_no"] == "SI2026000001"


@pytest.mark.parametrize(
    "char",
    list("\u200b\u200c\u200d\u200e\u200f\u202a\u202e\u2066\u2069\ufeff"),
)
@pytest.mark.parametrize(
    "path,field", [("orders", "order_no"), ("payments", "transaction_id"), ("products", "sku")]
)
def test_invisible_and_bidi_characters_in_keys_are_refused(client, parties, char, path, field):
    rng = random.Random(4)
    order = synthetic.order(rng, "platform-a", "seller-a", "SI2026000002")
    body, who = {
        "orders": (order, "seller-a"),
        "payments": (synthetic.payment(rng, order, "TX-1"), "pay-a"),
        "products": (synthetic.product(synthetic.CATALOG[0]), "seller-a"),
    }[path]
    body = body | {field: f"AB{char}12"}
    r = _post(client, parties, who, path, body)
    assert r.status_code == 422, r.text
    errors = r.json()["errors"]
    assert [(e["field"], e["rule"]) for e in errors] == [(field, "invisible_character")]
    assert f"U+{ord(char):04X}" in errors[0]["message"]


def test_a_key_blank_once_trimmed_is_refused(client, parties):
    order = synthetic.order(random.Random(6), "platform-a", "seller-a", "X")
    r = _post(client, parties, "seller-a", "orders", order | {"order_no": " \u3000 "})
    assert r.status_code == 422
    assert [(e["field"], e["rule"]) for e in r.json()["errors"]] == [("order_no", "key_blank")]


def test_a_listing_by_order_number_folds_it_too(client, parties):
    order = synthetic.order(random.Random(8), "platform-a", "seller-a", "SI2026000003")
    assert _post(client, parties, "seller-a", "orders", order).status_code == 201
    r = client.get(
        "/orders",
        params={"order_no": " ＳＩ2026000003"},
        headers=parties["seller-a"].headers,
    )
    assert [o["document"]["order_no"] for o in r.json()["items"]] == ["SI2026000003"]


def test_a_squatter_first_on_a_number_does_not_see_the_payment_meanwhile(client, parties):
    """seller-b files platform-a/SQ-3 before seller-a with a buyer of its own; the payment
    firm's payment (the real buyer paid) stays out of seller-b's sight even before seller-a
    files — the payer is not seller-b's buyer — and so does the waybill; the real seller,
    once its order is in, is the only link but not an unambiguous one."""
    rng = random.Random(31)
    real = synthetic.order(rng, "platform-a", "seller-a", "SQ-3")
    squat = synthetic.order(rng, "platform-a", "seller-b", "SQ-3")
    assert squat["buyer"]["id_number"] != real["buyer"]["id_number"]
    assert _post(client, parties, "seller-b", "orders", squat).status_code == 201
    pay = _post(client, parties, "pay-a", "payments", synthetic.payment(rng, real, "TX-SQ-3"))
    way = _post(client, parties, "ship-a", "waybills", synthetic.waybill(rng, real, "WB-SQ-3"))
    assert (pay.status_code, way.status_code) == (201, 201), (pay.text, way.text)
    b = parties["seller-b"].headers
    assert client.get(f"/payments/{pay.json()['id']}", headers=b).status_code == 404
    assert client.get(f"/waybills/{way.json()['id']}", headers=b).status_code == 404
    assert client.get("/payments", headers=b).json()["items"] == []
    assert client.get("/waybills", headers=b).json()["items"] == []


def test_a_seller_sees_a_payment_only_when_its_buyer_paid(client, parties):
    """An order filed by its seller links a payment whose payer is the order's buyer (the
    check character typed in either case), and through it the waybill; a payment by
    someone else links nothing, and a waybill with no such payment stays unseen."""
    rng = random.Random(32)
    order = synthetic.order(rng, "platform-a", "seller-a", "SQ-4")
    order["buyer"]["id_number"] = order["buyer"]["id_number"].upper()
    assert _post(client, parties, "seller-a", "orders", order).status_code == 201
    way = _post(client, parties, "ship-a", "waybills", synthetic.waybill(rng, order, "WB-SQ-4"))
    h = parties["seller-a"].headers
    assert client.get(f"/waybills/{way.json()['id']}", headers=h).status_code == 404
    stranger = synthetic.order(rng, "platform-a", "seller-a", "SQ-4")
    other = _post(client, parties, "pay-a", "payments", synthetic.payment(rng, stranger, "TX-4a"))
    assert client.get(f"/payments/{other.json()['id']}", headers=h).status_code == 404
    paid = synthetic.payment(rng, order, "TX-4b")
    paid["payer"]["id_number"] = paid["payer"]["id_number"].lower()
    mine = _post(client, parties, "pay-a", "payments", paid)
    assert mine.status_code == 201, mine.text
    assert client.get(f"/payments/{mine.json()['id']}", headers=h).status_code == 200
    assert client.get(f"/waybills/{way.json()['id']}", headers=h).status_code == 200


def test_an_order_its_platform_filed_links_without_an_id(client, parties):
    """The platform's word vouches for the seller: an order it filed links the payment and
    the waybill for its seller whoever paid."""
    rng = random.Random(33)
    order = synthetic.order(rng, "platform-a", "seller-a", "SQ-5")
    assert _post(client, parties, "platform-a", "orders", order).status_code == 201
    stranger = synthetic.order(rng, "platform-a", "seller-a", "SQ-5")
    pay = _post(client, parties, "pay-a", "payments", synthetic.payment(rng, stranger, "TX-5"))
    way = _post(client, parties, "ship-a", "waybills", synthetic.waybill(rng, order, "WB-5"))
    h = parties["seller-a"].headers
    assert client.get(f"/payments/{pay.json()['id']}", headers=h).status_code == 200
    assert client.get(f"/waybills/{way.json()['id']}", headers=h).status_code == 200
