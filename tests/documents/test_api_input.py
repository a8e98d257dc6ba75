"""Bad input over HTTP: clear 4xx naming field and rule, in English or Chinese, never a 500,
never a half-written state; and idempotent re-posting."""

from __future__ import annotations

import json

from tests.conftest import make_order


def _count(client, party, path="/orders"):
    return len(client.get(path, params={"limit": 500}, headers=party.headers).json()["items"])


def test_invalid_json_is_400(client, parties):
    r = client.post(
        "/orders",
        content=b'{"order_no": "A1",',
        headers={**parties["seller-a"].headers, "Content-Type": "application/json"},
    )
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "invalid_json"


def test_body_that_is_not_an_object(client, parties):
    r = client.post("/orders", json=[1, 2], headers=parties["seller-a"].headers)
    assert r.status_code == 422
    assert r.json()["errors"][0]["rule"] == "row_not_object"


def test_errors_name_field_and_rule_in_english_and_chinese(client, parties, rng):
    order = make_order(rng, 1)
    while len(order["lines"]) < 3:
        order = make_order(rng, 1)
    order["lines"][2]["qty"] = 0
    for lang, message in (("en", "must be > 0"), ("zh-CN,zh;q=0.9,en;q=0.5", "必须大于 0")):
        r = client.post(
            "/orders",
            json=order,
            headers={**parties["seller-a"].headers, "Accept-Language": lang},
        )
        assert r.status_code == 422
        body = r.json()
        assert body["code"] == "validation_failed"
        assert {"field": "lines[2].qty", "rule": "greater_than", "message": message} in body[
            "errors"
        ]
    assert _count(client, parties["seller-a"]) == 0


def test_chinese_detail_for_unauthenticated(client):
    r = client.get("/orders", headers={"Accept-Language": "zh-CN"})
    assert r.status_code == 401
    assert "API 密钥" in r.json()["detail"]


def test_oversized_body_is_413(client, parties, rt):
    limit = rt.settings.max_body_bytes
    r = client.post(
        "/orders",
        content=b"{" + b" " * (limit + 10) + b"}",
        headers={**parties["seller-a"].headers, "Content-Type": "application/json"},
    )
    assert r.status_code == 413
    assert r.json()["code"] == "payload_too_large"


def test_personal_data_never_echoed_in_errors(client, parties, rng):
    order = make_order(rng, 1)
    bad_id = order["buyer"]["id_number"][:-1] + (
        "0" if order["buyer"]["id_number"][-1] != "0" else "1"
    )
    order["buyer"]["id_number"] = bad_id
    r = client.post("/orders", json=order, headers=parties["seller-a"].headers)
    assert r.status_code == 422
    assert bad_id not in r.text
    first = r.json()["errors"][0]
    assert (first["field"], first["rule"]) == ("buyer.id_number", "id_checksum")


def test_unknown_party_and_party_mismatch(client, parties, rng):
    order = make_order(rng, 1, platform="no-such-mall")
    r = client.post("/orders", json=order, headers=parties["seller-a"].headers)
    assert r.status_code == 422
    assert r.json()["errors"][0] == {
        "field": "platform",
        "rule": "party_unknown",
        "message": "no platform named no-such-mall",
    }
    order = make_order(rng, 2, seller="seller-b")
    r = client.post("/orders", json=order, headers=parties["seller-a"].headers)
    assert r.json()["errors"][0]["rule"] == "party_mismatch"
    # a tenant of the wrong role is not a platform either
    order = make_order(rng, 3, platform="seller-b")
    r = client.post("/orders", json=order, headers=parties["seller-a"].headers)
    assert r.json()["errors"][0]["rule"] == "party_unknown"


def test_json_numbers_become_exact_decimals(client, parties, rng):
    order = make_order(rng, 1)
    text = json.dumps(order)
    # send amounts as JSON numbers, including ones a float cannot represent exactly
    for key in ("goods_value", "freight", "discount", "tax_withheld", "amount_paid"):
        text = text.replace(f'"{key}": "{order[key]}"', f'"{key}": {order[key]}')
    r = client.post(
        "/orders",
        content=text.encode(),
        headers={**parties["seller-a"].headers, "Content-Type": "application/json"},
    )
    assert r.status_code == 201, r.text
    assert r.json()["document"]["amount_paid"] == order["amount_paid"]


def test_repost_is_idempotent_and_changes_are_conflicts(client, parties, rng):
    seller = parties["seller-a"]
    order = make_order(rng, 1)
    first = client.post("/orders", json=order, headers=seller.headers)
    assert first.status_code == 201
    # same content written differently: key order, number formats, time zone
    same = json.loads(json.dumps(order))
    same["freight"] = str(float(order["freight"]))  # "10.0" vs "10.00"
    same["ordered_at"] = same["ordered_at"].replace("Z", "+00:00")
    again = client.post("/orders", json=dict(reversed(list(same.items()))), headers=seller.headers)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    changed = json.loads(json.dumps(order))
    changed["consignee"]["address"] = changed["consignee"]["address"] + "A"
    changed["note"] = "leave at door"
    r = client.post("/orders", json=changed, headers=seller.headers)
    assert r.status_code == 409
    assert r.json()["code"] == "conflict_natural_key"
    assert {e["field"] for e in r.json()["errors"]} == {"consignee.address", "note"}
    assert changed["consignee"]["address"] not in r.text  # the differing values are not echoed
    assert _count(client, seller) == 1


def test_idempotency_key_replays_and_refuses_reuse(client, parties, rng):
    seller = parties["seller-a"]
    headers = {**seller.headers, "Idempotency-Key": "req-0001"}
    order = make_order(rng, 1)
    first = client.post("/orders", json=order, headers=headers)
    replay = client.post("/orders", json=order, headers=headers)
    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json()
    other = make_order(rng, 2)
    r = client.post("/orders", json=other, headers=headers)
    assert r.status_code == 409
    assert r.json()["code"] == "idempotency_key_reused"
    assert _count(client, seller) == 1
    # keys are per tenant: another tenant may use the same key string
    r = client.post(
        "/orders",
        json=make_order(rng, 3, seller="seller-b"),
        headers={**parties["seller-b"].headers, "Idempotency-Key": "req-0001"},
    )
    assert r.status_code == 201


def test_list_pagination_and_filters(client, parties, rng):
    seller = parties["seller-a"]
    posted = []
    for i in range(7):
        r = client.post("/orders", json=make_order(rng, i), headers=seller.headers)
        posted.append(r.json()["id"])
    seen, cursor = [], None
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = client.get("/orders", params=params, headers=seller.headers).json()
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == posted
    r = client.get("/orders", params={"order_no": "ORD000004"}, headers=seller.headers)
    assert [i["document"]["order_no"] for i in r.json()["items"]] == ["ORD000004"]
    r = client.get("/orders", params={"platform": "platform-b"}, headers=seller.headers)
    assert r.json()["items"] == []
    r = client.get("/orders", params={"cursor": "!!"}, headers=seller.headers)
    assert r.status_code == 400 and r.json()["code"] == "bad_cursor"
    r = client.get("/orders", params={"limit": 0}, headers=seller.headers)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "query.limit"


def test_unknown_route_and_method(client, parties):
    assert client.get("/nothing", headers=parties["seller-a"].headers).status_code == 404
    r = client.delete("/orders", headers=parties["seller-a"].headers)
    assert r.status_code == 405
    assert r.json()["code"] == "method_not_allowed"


def test_openapi_and_docs(client):
    spec = client.get("/openapi.json").json()
    assert {"/orders", "/orders/{doc_id}", "/orders/import", "/healthz"} <= set(spec["paths"])
    assert "Order" in spec["components"]["schemas"]
    body = spec["paths"]["/orders"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["$ref"] == "#/components/schemas/Order"
    assert client.get("/docs").status_code == 200
    assert client.get("/healthz").json()["status"] == "ok"
