"""Lists page by keyset in either direction: oldest first by default, newest first on request
— every visible document exactly once, in filing order, whatever the page size — and a
cursor serves only the direction it was made for."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import text

from cbec.privacy.vault import ERASED
from cbec.services import bulk
from cbec.services import documents as docs_svc
from cbec.store.person_key_store import PersonKeyStore
from cbec.trade.ports import now
from tests.conftest import make_order
from tests.statements import by_shape, described, statements


def _walk(client, party, **params) -> list[str]:
    seen, cursor = [], None
    while True:
        page = client.get(
            "/orders", params=params | ({"cursor": cursor} if cursor else {}), headers=party.headers
        )
        assert page.status_code == 200, page.text
        body = page.json()
        seen += [item["document"]["order_no"] for item in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            return seen


@pytest.mark.parametrize("limit", [1, 3, 7, 50])
def test_newest_first_is_the_oldest_first_list_reversed(client, parties, limit):
    rng = random.Random(4)
    filed = [make_order(rng, i) for i in range(7)]
    for order in filed:
        r = client.post("/orders", json=order, headers=parties["seller-a"].headers)
        assert r.status_code == 201
    oldest = _walk(client, parties["seller-a"], limit=limit)
    newest = _walk(client, parties["seller-a"], limit=limit, newest_first="true")
    assert oldest == [o["order_no"] for o in filed]
    assert newest == oldest[::-1]
    assert _walk(client, parties["seller-b"], limit=limit, newest_first="true") == []


def test_a_cursor_serves_only_its_own_direction(client, parties):
    rng = random.Random(5)
    for i in range(3):
        client.post("/orders", json=make_order(rng, i), headers=parties["seller-a"].headers)
    h = parties["seller-a"].headers
    first = client.get("/orders", params={"limit": 1}, headers=h).json()["next_cursor"]
    r = client.get(
        "/orders", params={"limit": 1, "newest_first": "true", "cursor": first}, headers=h
    )
    assert r.status_code == 400 and r.json()["code"] == "bad_cursor"


@pytest.mark.parametrize("reader", ["seller-a", "platform-a", "regulator"])
def test_a_page_reads_its_buyers_keys_in_one_query_and_each_item_as_read_alone(rt, parties, reader):
    """Each order is sealed under its buyer's own key: a page of 40 opens them after reading
    the 40 keys in one query (Vault.preload), and shows each item as reading that document
    alone does (the oracle: ``get_document``, which reads its one key when it opens it) —
    masked for the platform and the regulator, clear for the filer, erased for a buyer
    whose key was shredded."""
    seller = parties["seller-a"].viewer
    rng = random.Random(8)
    orders = [make_order(rng, i) for i in range(40)]
    report = bulk.file_rows(rt.uow(), seller, "order", lambda: enumerate(orders, 1))
    assert len(report.created) == 40
    with rt.uow(write=True) as uow:
        stored = uow.repo.list_documents(seller, "order", limit=100)
        store = PersonKeyStore(uow.conn, rt.vault)
        assert sum(store.shred(d.filer_tenant_id, d.subject_ref, now()) for d in stored[::8])
        uow.commit()
    viewer = parties[reader].viewer
    with statements(rt.engine) as seen:
        page = docs_svc.list_documents(rt.uow(), viewer, docs_svc.ListQuery(kind="order", limit=40))
    assert by_shape(seen)["SELECT person_keys"] == 1, described(seen)
    alone = [docs_svc.get_document(rt.uow(), viewer, "order", d.id) for d in stored]
    # the page gives each item's place in the ledger, the document its whole proof
    assert [i["ledger"]["index"] for i in page.items] == [v["ledger"]["index"] for v in alone]
    drop = lambda view: {k: v for k, v in view.items() if k != "ledger"}  # noqa: E731
    assert [drop(i) for i in page.items] == [drop(v) for v in alone]
    assert sum(ERASED in str(view) for view in alone) == 5


def test_a_long_page_comes_whole_and_in_order_across_its_reads(rt, parties):
    """A page is read by its sequence numbers 500 at a time (Repository._rows_at): 1,100
    orders come back whole, in order both ways, as a plain SELECT of the table orders them."""
    seller = parties["seller-a"].viewer
    rng = random.Random(11)
    orders = [make_order(rng, i) for i in range(1100)]
    report = bulk.file_rows(rt.uow(), seller, "order", lambda: enumerate(orders, 1))
    assert len(report.created) == 1100
    with rt.engine.connect() as conn:
        table = [r[0] for r in conn.execute(text("SELECT id FROM documents ORDER BY seq"))]
    with rt.uow() as uow:
        oldest = uow.repo.list_documents(seller, "order", limit=1100)
        newest = uow.repo.list_documents(seller, "order", limit=1100, before_seq=2**63 - 1)
    assert [d.id for d in oldest] == table
    assert [d.id for d in newest] == table[::-1]
