"""A screening hit to review: a one-name list loaded by a platform (or the regulator) and an
order whose buyer carries that name."""

from __future__ import annotations

import json
import random

from cbec.demo import synthetic

LISTED = "Zharkova Test Listed"


def one_name_list(name: str = LISTED) -> bytes:
    entity = {
        "id": "desk-0001",
        "schema": "Person",
        "properties": {"name": [name], "topics": ["sanction"]},
    }
    return json.dumps(entity).encode()


def load_list(client, headers, name: str = "desk") -> None:
    r = client.post(
        "/screening/lists",
        params={"name": name, "source": "test"},
        content=one_name_list(),
        headers=headers,
    )
    assert r.status_code == 200, r.text


def flagged_order(client, parties, platform: str, n: int, buyer: str = LISTED) -> str:
    order = synthetic.order(random.Random(n), platform, "seller-a", f"DESK-{n}")
    order["buyer"] = order["buyer"] | {"name": buyer}
    r = client.post("/orders", json=order, headers=parties["seller-a"].headers)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def hits_on(client, headers, doc_id: str, **params) -> list[dict]:
    r = client.get("/screening/hits", params=params, headers=headers)
    assert r.status_code == 200, r.text
    return [h for h in r.json() if h["document_id"] == doc_id]
