"""Retention enforced (PIPL Arts. 19, 47(1)): documents past the inventory's period — `3y`
from completion, E-Commerce Law Art. 31 — have their personal data erased in place; products
(`product`: while sold) and other tenants' documents are not touched.

Oracles: the completion dates the test writes (on each side of the three-year boundary), the
bodies it posted, the ledger's own verification of the erased documents' evidence."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime

from sqlalchemy import select, update

from cbec.demo import synthetic
from cbec.privacy.vault import ERASED
from cbec.services.documents import check_evidence
from cbec.services.retention import apply_retention, retention_due
from cbec.store.tables import documents, person_keys
from tests.privacy.test_dsr import file_order

ON = date(2026, 6, 15)  # cut-off for `3y`: 2023-06-15T00:00Z


def placed(rt, doc_id: str, at: datetime, filed_only: bool = False) -> None:
    """Back-date the document's completion; ``filed_only``: it has no ``placed_at``, and
    counts from when it was filed."""
    with rt.uow(write=True) as uow:
        uow.conn.execute(
            update(documents)
            .where(documents.c.id == doc_id)
            .values(placed_at=None if filed_only else at, created_at=at)
        )
        uow.commit()


def counts(result) -> dict[str, int]:
    return {k.kind: k.count for k in result.kinds}


def test_documents_past_retention_are_erased_once_and_nothing_else(rt, client, parties):
    seller, other = parties["seller-a"], parties["seller-b"]
    old, old_body = file_order(client, seller, "RET-OLD")
    young, young_body = file_order(client, seller, "RET-YOUNG", like=old_body)
    theirs_body = synthetic.order(random.Random(7), "platform-a", "seller-b", "RET-THEIRS")
    theirs = client.post("/orders", json=theirs_body, headers=other.headers).json()["id"]
    product = client.post(
        "/products", json=synthetic.product(synthetic.CATALOG[1]), headers=seller.headers
    ).json()["id"]
    placed(rt, old, datetime(2023, 6, 14, 23, 59, tzinfo=UTC))  # 3 years + 1 day
    placed(rt, young, datetime(2023, 6, 16, 0, 1, tzinfo=UTC))  # 3 years - 1 day
    placed(rt, theirs, datetime(2020, 1, 1, tzinfo=UTC))
    placed(rt, product, datetime(2020, 1, 1, tzinfo=UTC))
    rt.ledger.integrate(force_checkpoint=True)
    with rt.uow() as uow:
        product_row = uow.conn.execute(select(documents).where(documents.c.id == product)).one()

    due = retention_due(rt.uow(), seller.viewer, ON)
    assert counts(due) == {"order": 1, "payment": 0, "waybill": 0}  # products hold no PI
    by_kind = {k.kind: k for k in due.kinds}
    assert by_kind["order"].cutoff == datetime(2023, 6, 15, tzinfo=UTC)

    done = apply_retention(rt.uow(), seller.viewer, ON)
    assert (done.erased, counts(done)["order"]) == (1, 1) and done.ledger_index is not None
    event = rt.ledger.entry(done.ledger_index).data.decode()
    assert '"cutoffs"' in event and "2023-06-15" in event
    for value in old_body["buyer"].values():
        assert str(value) not in event

    shown = client.get(f"/orders/{old}", headers=seller.headers).json()["document"]
    assert shown["buyer"]["name"] == ERASED and shown["lines"] == old_body["lines"]
    kept = client.get(f"/orders/{young}", headers=seller.headers).json()["document"]
    assert kept["buyer"] == young_body["buyer"]  # same person, key not shredded
    with rt.uow() as uow:
        assert all(w is not None for w in uow.conn.execute(select(person_keys.c.wrapped)))
        row = uow.conn.execute(select(documents).where(documents.c.id == old)).one()
    assert row.commit_salt is None
    assert old_body["buyer"]["id_number"] not in json.dumps(json.loads(row.body))
    their_view = client.get(f"/orders/{theirs}", headers=other.headers).json()["document"]
    assert their_view["buyer"] == theirs_body["buyer"]
    with rt.uow() as uow:
        prod = uow.conn.execute(select(documents).where(documents.c.id == product)).one()
    assert prod.body == product_row.body and prod.commit_salt == product_row.commit_salt

    again = apply_retention(rt.uow(), seller.viewer, ON)
    assert (again.erased, again.ledger_index) == (0, None)
    assert retention_due(rt.uow(), seller.viewer, ON).total == 0

    rt.ledger.integrate(force_checkpoint=True)
    checked = check_evidence(rt.uow(), seller.viewer, "order", old)
    assert checked.verified, checked.error


def test_retention_over_the_api_and_the_command_line(client, parties, cli, rt):
    seller, regulator = parties["seller-a"], parties["regulator"]
    old, _ = file_order(client, seller, "RET-API")
    placed(rt, old, datetime(2022, 1, 1, tzinfo=UTC), filed_only=True)
    got = client.get("/privacy/retention", params={"on": "2026-06-15"}, headers=seller.headers)
    assert got.status_code == 200, got.text
    assert got.json()["total"] == 1
    for method, path in (("get", "/privacy/retention"), ("post", "/privacy/retention/apply")):
        denied = client.request(method, path, headers=regulator.headers)
        assert denied.status_code == 403, denied.text
    bad = client.get("/privacy/retention", params={"on": "June"}, headers=seller.headers)
    assert bad.status_code in (400, 422)

    ahead = client.post(  # "as of" a day to come would erase what must still be kept
        "/privacy/retention/apply", params={"on": "9999-01-01"}, headers=seller.headers
    )
    assert ahead.status_code == 400, ahead.text
    assert "on" in ahead.text
    listed = cli("privacy", "retention", "--as", "seller-a", "--on", "2026-06-15")
    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.stdout)["total"] == 1
    applied = cli("privacy", "retention", "--apply", "--as", "seller-a", "--on", "2026-06-15")
    assert json.loads(applied.stdout)["erased"] == 1
    posted = client.post(
        "/privacy/retention/apply", params={"on": "2026-06-15"}, headers=seller.headers
    )
    assert posted.status_code == 200 and posted.json()["erased"] == 0
    assert cli("privacy", "retention", "--as", "seller-a", "--on", "x").exit_code == 2
    assert cli("privacy", "retention", "--apply", "--as", "regulator").exit_code != 0


def test_periods_come_from_the_inventory_in_calendar_years():
    from cbec.privacy import retention

    assert retention.periods()["order"] == "3y"
    assert retention.cutoff("product", ON) is None
    assert retention.cutoff("3y", ON) == datetime(2023, 6, 15, tzinfo=UTC)
    assert retention.cutoff("3y", date(2028, 2, 29)) == datetime(2025, 2, 28, tzinfo=UTC)
    assert retention.cutoff("3y", date(2, 1, 1)) == datetime(1, 1, 1, tzinfo=UTC)


def test_each_batch_commits_and_is_logged_on_its_own(rt, client, parties, monkeypatch):
    """A long run holds the write lock a batch at a time: five documents in batches of two
    are three write transactions, each with its ledger entry counting its own documents."""
    from cbec.services import retention

    monkeypatch.setattr(retention, "BATCH", 2)
    seller = parties["seller-a"]
    ids = [file_order(client, seller, f"RET-B{i}")[0] for i in range(5)]
    for doc_id in ids:
        placed(rt, doc_id, datetime(2022, 1, 1, tzinfo=UTC))
    done = apply_retention(rt.uow(), seller.viewer, ON)
    assert counts(done)["order"] == 5 and len(done.ledger_indexes) == 3
    assert done.ledger_index == done.ledger_indexes[-1]
    logged = [json.loads(rt.ledger.entry(i).data)["erased"] for i in done.ledger_indexes]
    assert logged == [{"order": 2}, {"order": 2}, {"order": 1}]
