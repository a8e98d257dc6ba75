"""Fired entries shared by the orders of one filing are stored once (cbec.store.fired_store):
every reader still sees each decision as it was decided, a single order's filing is stored
as before, each tenant's entries are its own, and a downgrade puts them back inline.

The oracle is the decision itself: each :class:`~cbec.compliance.decision.Decision` the
filing made, captured as it is handed to the store, in its full stored form
(``stored_dict()`` — what a filing stored before entries were shared)."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, inspect, select, text

from cbec.api.app import create_app
from cbec.demo import synthetic
from cbec.runtime import open_runtime
from cbec.store import fired_store
from cbec.store.compliance_store import DecisionStore
from cbec.store.db import make_engine
from cbec.store.tables import compliance_decisions, compliance_fired
from cbec.tenancy.roles import Role
from cbec.tenancy.service import create_tenant
from tests.databases import empty_database, migrate


@pytest.fixture
def decided(monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[str, Any]]:
    """Each decision a filing stores, by document id, as ``stored_dict()`` makes it."""
    out: dict[str, dict[str, Any]] = {}
    original = DecisionStore.record_many

    def capturing(self, items, *, at):
        for document_id, _tenant, decision, _enrolment, _index in items:
            out[document_id] = json.loads(json.dumps(decision.stored_dict()))
        return original(self, items, at=at)

    monkeypatch.setattr(DecisionStore, "record_many", capturing)
    return out


def _import(client, party, orders: list[dict[str, Any]]) -> None:
    body = "\n".join(json.dumps(o, ensure_ascii=False) for o in orders).encode()
    r = client.post(
        "/orders/import",
        content=body,
        headers=party.headers | {"Content-Type": "application/x-ndjson"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["created"] == len(orders)


def _orders(seller: str, prefix: str, n: int) -> list[dict[str, Any]]:
    rng = random.Random(11)
    return [synthetic.order(rng, "platform-a", seller, f"{prefix}-{i}") for i in range(n)]


def _stored(rt, tenant_id: int | None = None) -> tuple[int, int, list[Any]]:
    """Rows in compliance_fired (of one tenant), the decisions' body bytes, their bodies."""
    with rt.uow() as uow:
        q = select(func.count()).select_from(compliance_fired)
        if tenant_id is not None:
            q = q.where(compliance_fired.c.tenant_id == tenant_id)
        shared = uow.conn.execute(q).scalar_one()
        bodies = [json.loads(b) for b in uow.conn.scalars(select(compliance_decisions.c.body))]
    return shared, sum(len(json.dumps(b, ensure_ascii=False)) for b in bodies), bodies


def test_an_import_stores_shared_entries_once_and_reads_every_decision_as_decided(
    client, parties, rt, decided
):
    seller = parties["seller-a"]
    _import(client, seller, _orders("seller-a", "FS", 40))
    assert len(decided) == 40
    shared, stored_bytes, bodies = _stored(rt)
    entries = sum(len(d["fired"]) for d in decided.values())
    assert 0 < shared < entries / 4, (shared, entries)  # the goods repeat: few distinct entries
    refs = [x for b in bodies for x in b["fired"] if isinstance(x, str)]
    assert len(refs) > entries / 2
    decided_bytes = sum(len(json.dumps(d, ensure_ascii=False)) for d in decided.values())
    assert stored_bytes < decided_bytes / 2
    for doc_id, expected in decided.items():
        r = client.get(f"/orders/{doc_id}/checks", headers=seller.headers)
        assert r.status_code == 200, r.text
        (got,) = r.json()["compliance"]
        assert got["fired"] == expected["fired"]
        assert {k: got[k] for k in expected if k != "fired"} == {
            k: v for k, v in expected.items() if k != "fired"
        }
    r = client.get("/compliance/decisions", params={"limit": 500}, headers=seller.headers)
    assert r.status_code == 200, r.text
    listed = {row["order_id"]: row["rules"] for row in r.json()["items"]}
    assert listed == {
        doc_id: sorted({f["rule_id"] for f in d["fired"]}) for doc_id, d in decided.items()
    }


def test_a_single_order_is_stored_inline_with_no_shared_row(client, parties, rt, decided):
    order = _orders("seller-a", "ONE", 1)[0]
    r = client.post("/orders", json=order, headers=parties["seller-a"].headers)
    assert r.status_code == 201, r.text
    shared, _, bodies = _stored(rt)
    assert shared == 0
    (body,) = bodies
    (expected,) = decided.values()
    assert body["fired"] == expected["fired"] and all(isinstance(f, dict) for f in body["fired"])


def test_each_tenant_reads_its_own_entries(client, parties, rt, decided):
    a, b = parties["seller-a"], parties["seller-b"]
    _import(client, a, _orders("seller-a", "TA", 12))
    _import(client, b, _orders("seller-b", "TB", 12))
    only_a = _stored(rt, a.viewer.tenant_id)[0]
    only_b = _stored(rt, b.viewer.tenant_id)[0]
    assert only_a > 0 and only_b > 0
    with rt.uow(write=True) as uow:  # seller-a's shared entries gone: seller-b's still read
        uow.conn.execute(
            compliance_fired.delete().where(compliance_fired.c.tenant_id == a.viewer.tenant_id)
        )
        uow.commit()
    for doc_id, expected in decided.items():
        r = client.get(f"/orders/{doc_id}/checks", headers=b.headers)
        if r.status_code == 404:  # seller-a's order: not seller-b's to read
            continue
        assert r.json()["compliance"][0]["fired"] == expected["fired"]


def test_a_downgrade_puts_the_shared_entries_back_inline(tmp_path: Path, settings, decided):
    """Imports on a database of its own, steps down to 0038 and reads the decisions' bodies
    as the earlier schema's readers did: every entry inline, as decided."""
    with empty_database(tmp_path, "fired") as url:
        rt = open_runtime(
            settings.model_copy(update={"database_url": url, "data_dir": tmp_path / "data"})
        )
        try:
            with rt.uow(write=True) as uow:
                _, key = create_tenant(uow.repo, "seller-a", Role.SELLER)
                create_tenant(uow.repo, "platform-a", Role.PLATFORM)
                uow.commit()
            with TestClient(create_app(rt)) as client:
                _import(client, Party(key), _orders("seller-a", "DG", 10))
            assert _stored(rt)[0] > 0
        finally:
            rt.engine.dispose()
        engine = make_engine(url)
        try:
            migrate(engine, "0038", down=True)
            with engine.connect() as conn:
                rows = conn.execute(text("SELECT document_id, body FROM compliance_decisions"))
                rows = rows.all()
                assert not inspect(conn).has_table("compliance_fired")
        finally:
            engine.dispose()
    assert len(rows) == 10
    for doc_id, body in rows:
        assert json.loads(body)["fired"] == decided[doc_id]["fired"]


class Party:
    def __init__(self, key: str) -> None:
        self.headers = {"Authorization": f"Bearer {key}"}


class _Entry:
    """An entry as :func:`fired_store.pack` reads it: its stored dict."""

    def __init__(self, rule_id: str) -> None:
        self.rule_id = rule_id

    def as_dict(self, restated: bool = True) -> dict[str, Any]:
        return {"rule_id": self.rule_id, "reason": {"en": f"{self.rule_id} fired"}}


def test_shared_rows_come_in_one_order_whatever_the_filings_order():
    """Two filings sharing entries write their rows in the same (tenant, digest) order, so on
    PostgreSQL neither holds one row's lock while waiting for another's the other holds."""
    entries = [_Entry(f"rule-{n}") for n in range(6)]
    forward = fired_store.pack([(7, entries), (7, entries), (3, entries[:2]), (3, entries[:2])])
    backward = fired_store.pack(
        [(3, entries[1::-1]), (3, entries[1::-1]), (7, entries[::-1]), (7, entries[::-1])]
    )
    keys = [(r["tenant_id"], r["digest"]) for r in forward.rows]
    assert keys == sorted(keys) == [(r["tenant_id"], r["digest"]) for r in backward.rows]
    assert len(keys) == 8  # six for tenant 7, two for tenant 3
    for row in forward.rows:
        assert row["digest"] == hashlib.sha256(row["body"].encode()).hexdigest()
    once = fired_store.pack([(7, entries), (7, entries[:1])])
    assert once.fired[0][1:] == [e.as_dict(restated=False) for e in entries[1:]]  # used once
    assert isinstance(once.fired[0][0], str) and once.fired[1] == [once.fired[0][0]]
