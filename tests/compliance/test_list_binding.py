"""Who a screening list binds, and what each role sees of a hit.

A list a platform loads screens only documents on that platform (a regulator's lists screen
all); and a hit is shown exactly as masked as the document it derives from — the attack is a
candidate-name list: load a one-name list (张三) and read the buyer's whole name off the
``matched_name`` of a hit on an order the caller sees masked."""

from __future__ import annotations

import json
import random

from cbec.demo import synthetic
from cbec.privacy.masking import mask_name
from tests.conftest import DATA

ONE_NAME = json.dumps(
    {
        "id": "silk-watch-0001",
        "schema": "Person",
        "caption": "张三",
        "properties": {"name": ["张三"], "topics": ["sanction"]},
    },
    ensure_ascii=False,
).encode()
SANCTIONS = DATA / "sanctions" / "synthetic_sanctions.ftm.json"
ROSTISLAV = "syn-person-zharkov-rostislav"


def load(client, headers, name: str, content: bytes):
    r = client.post(
        "/screening/lists",
        params={"name": name, "source": "test"},
        content=content,
        headers=headers,
    )
    assert r.status_code == 200, r.text
    return r.json()


def file(client, parties, platform: str, n: int, buyer: str) -> str:
    order = synthetic.order(random.Random(n), platform, "seller-a", f"LB-{n}")
    order["buyer"] = order["buyer"] | {"name": buyer}
    r = client.post("/orders", json=order, headers=parties["seller-a"].headers)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def buyer_check(client, headers, doc_id: str) -> dict:
    r = client.get(f"/orders/{doc_id}/checks", headers=headers)
    assert r.status_code == 200, r.text
    return next(c for c in r.json()["screening"] if c["role"] == "buyer")


def test_a_platforms_list_screens_only_its_own_orders(client, parties):
    a, b = parties["platform-a"].headers, parties["platform-b"].headers
    loaded = load(client, a, "silk-watch", ONE_NAME)
    on_b = file(client, parties, "platform-b", 1, "张三")
    r = client.get(f"/orders/{on_b}/checks", headers=b)
    assert r.status_code == 200 and r.json()["screening"] == []  # no list screens platform-b
    assert loaded["version"][:16] not in json.dumps(r.json())
    # ... and the buyer's name is not recovered through it
    order = client.get(f"/orders/{on_b}", headers=b).json()
    assert order["pii"] == "masked" and order["document"]["buyer"]["name"] == "张*"
    assert "张三" not in r.text
    # on platform-a's own orders the list works
    on_a = file(client, parties, "platform-a", 2, "张三")
    hit = buyer_check(client, a, on_a)
    assert hit["match"] is True and hit["score"] == 1.0 and hit["entity_id"] == "silk-watch-0001"
    # ad-hoc screening and the list of lists keep to the same scope
    names = {"names": [{"name": "张三"}]}
    assert client.post("/screening/screen", json=names, headers=a).json()["results"][0]["match"]
    r = client.post("/screening/screen", json=names, headers=b)
    assert r.status_code == 400  # no list binds platform-b
    assert [x["name"] for x in client.get("/screening/lists", headers=b).json()] == []
    (mine,) = client.get("/screening/lists", headers=a).json()
    assert mine["name"] == "silk-watch" and mine["platform"] == "platform-a"
    (seen,) = client.get("/screening/lists", headers=parties["regulator"].headers).json()
    assert seen["platform"] == "platform-a"


def test_a_hit_is_masked_as_its_order_is(client, parties):
    a, reg = parties["platform-a"].headers, parties["regulator"].headers
    seller = parties["seller-a"].headers
    load(client, a, "silk-watch", ONE_NAME)
    doc_id = file(client, parties, "platform-a", 3, "张三")
    # platform-a sees the buyer masked: the matched name is masked the same way
    order = client.get(f"/orders/{doc_id}", headers=a).json()
    assert order["document"]["buyer"]["name"] == mask_name("张三")
    hit = buyer_check(client, a, doc_id)
    (listed,) = hit["result"]["hits"]
    assert listed["matched_name"] == mask_name("张三") == "张*"
    assert listed["matched_name_normalized"] != "张三"
    assert listed["entity_id"] == "silk-watch-0001"  # its own list: it knows the entity
    # the regulator sees the order masked and did not load the list: no entity name at all
    hit = buyer_check(client, reg, doc_id)
    assert hit["match"] is True and hit["entity_id"] is None
    (listed,) = hit["result"]["hits"]
    assert listed["matched_name"] is None and listed["caption"] is None
    assert "张三" not in json.dumps(hit, ensure_ascii=False)
    hits = client.get("/screening/hits", headers=reg).json()
    (mine,) = [h for h in hits if h["document_id"] == doc_id and h["role"] == "buyer"]
    assert "张三" not in json.dumps(mine, ensure_ascii=False) and mine["entity_id"] is None
    # the filer sees the buyer in clear, yet not the entity of a list it did not load
    hit = buyer_check(client, seller, doc_id)
    assert hit["result"]["hits"][0]["caption"] is None
    assert "张三" not in json.dumps(hit["result"], ensure_ascii=False)


def test_a_regulators_list_screens_every_platform_and_shows_it_its_entities(client, parties):
    reg, b = parties["regulator"].headers, parties["platform-b"].headers
    load(client, reg, "synthetic", SANCTIONS.read_bytes())
    doc_id = file(client, parties, "platform-b", 4, "Rostislav Yevgenyevich Zharkov")
    hit = buyer_check(client, reg, doc_id)
    assert hit["match"] is True and hit["entity_id"] == ROSTISLAV
    listed = hit["result"]["hits"][0]
    assert listed["caption"] == "Rostislav Yevgenyevich Zharkov"  # the list's own entity
    # ... but the order is masked for it, so the name the buyer matched is masked too
    assert listed["matched_name"].startswith("R*") and "zharkov" not in listed["matched_name"]
    # platform-b did not load it: the order is flagged, the entity is not named
    hit = buyer_check(client, b, doc_id)
    assert hit["match"] is True and hit["entity_id"] is None
    assert "zharkov" not in json.dumps(hit).lower()


def test_a_platform_cannot_replace_another_platforms_list(client, parties):
    a, b = parties["platform-a"].headers, parties["platform-b"].headers
    reg = parties["regulator"].headers
    load(client, a, "silk-watch", ONE_NAME)
    r = client.post(
        "/screening/lists",
        params={"name": "silk-watch", "source": "x"},
        content=ONE_NAME,
        headers=b,
    )
    assert r.status_code == 403 and r.json()["code"] == "list_not_yours"
    # a regulator's new edition of platform-a's list still screens platform-a's orders only
    load(client, reg, "silk-watch", ONE_NAME.replace(b"0001", b"0002"))
    (edition,) = [
        x for x in client.get("/screening/lists", headers=reg).json() if not x["retired_at"]
    ]
    assert edition["platform"] == "platform-a" and edition["loaded_by"] == "regulator"
    on_b = file(client, parties, "platform-b", 5, "张三")
    assert client.get(f"/orders/{on_b}/checks", headers=b).json()["screening"] == []
