"""What filing one order costs the database, and the caches that keep it low: the tenant
directory and the compiled rule sets (:mod:`cbec.store.caches`) — each shown to let a change
made by another process (another engine on the same database) take effect for the very next
order.

Filing one order (POST /orders, or the use case file_document) once the caches are warm,
with no screening list loaded — the statements by shape:

  BEGIN, BEGIN IMMEDIATE           2  SQLite only (PostgreSQL begins without a statement):
                                      the reads and checks before the write lock, then
                                      the write (cbec.trade.filing.prepare_chunk)
  (SAVEPOINT, RELEASE                 SQLite, a group of several filings only: each one's
                                      part of a group commit (cbec/store/group_commit.py),
                                      sent to the SQLite connection directly — not counted
                                      here; a filing alone is its transaction)
  SELECT documents                 2  the natural key; the seller's catalogue for the
                                      lines' SKUs (the answer is built from what was written,
                                      not read back: cbec.trade.views.present_fresh)
  SELECT sandbox_enrolments        1  the stamps of the rules, the sandbox enrolments and
                                      the screening lists, in one statement (an aggregate
                                      over the rules, the others as subqueries, named here
                                      by its first FROM: cbec.store.stamps): the cached
                                      rule set, open enrolments and active lists still hold?
  UPDATE ledger_state              1  reserve the entries' indexes (… RETURNING the state)
  INSERT ledger_entries            1  the order's and its decision's entries
  INSERT documents                 1
  INSERT compliance_decisions      1

Before: 14 (use case) and 16 (API) on SQLite, 13 and 14 on PostgreSQL — a tenant look-up
per party not the filer, an enrolment query per firm, the ledger state read and then
written, and for the API a transaction to look the key up. No tenant and no key is read any more,
and since 2026-12-07 no enrolment and no list either (kept by their stamps: two statements less).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from cbec.api.app import create_app
from cbec.demo import synthetic
from cbec.services.compliance_models import EnrolmentRequest
from cbec.services.documents import FileRequest, file_document
from cbec.services.sandboxes import end_enrolment, enrol
from cbec.services.screening import ListLoadRequest, load_list
from cbec.store.compliance_store import RuleStore
from cbec.store.db import make_engine
from cbec.store.repository import UnitOfWork
from cbec.tenancy.roles import Role
from cbec.tenancy.service import create_tenant
from tests.compliance.test_compliance_api import (
    DENY_EARBUDS,
    ONE_EARBUDS_ORDER,
    ROSTISLAV,
    SANCTIONS,
)
from tests.statements import by_shape, described, statements

# a new buyer's order also reads the buyer's key and stores a new one (person keys); the
# webhooks' outbox reads the filer's subscriptions once per transaction (a filing's event
# must be written with it, and a cache across transactions could miss a new subscription)
BOUND = {"sqlite": 13, "postgresql": 10}  # 12 and 10, +1 if the API reads its key again
EXPECTED = {
    "SELECT documents": 2,
    "SELECT sandbox_enrolments": 1,  # the stamps
    "UPDATE ledger_state": 1,
    "INSERT ledger_entries": 1,
    "INSERT documents": 1,
    "INSERT compliance_decisions": 1,
    "SELECT person_keys": 1,
    "INSERT person_keys": 1,
    "SELECT webhook_subscriptions": 1,
}

EARBUDS = next(c for c in synthetic.CATALOG if c["sku"] == "SZ-EB-01")


def _order(n: int, platform: str = "platform-a", items=None) -> dict:
    return synthetic.order(random.Random(n), platform, "seller-a", f"STM-{n}", items)


@pytest.fixture
def other_process(rt) -> Iterator[Engine]:
    """An engine of its own on the suite's database, as another cbec process has (its own
    caches): what it changes, this process's caches must notice."""
    engine = make_engine(rt.settings.resolved_database_url())
    try:
        yield engine
    finally:
        engine.dispose()


def _statements_of(rt, work) -> list[str]:
    work(0)  # fills the caches: the tenant directory, the rule set, the key
    with statements(rt.engine) as seen:
        work(1)
    # A pooled SQLite connection a best-effort write used (the key's last use, once a
    # minute) gets its busy timeout back on its next transaction (cbec/store/db.py): the
    # connection's setting, on whichever request the pool hands it to — not the order's work.
    return [s for s in seen if not s.startswith("PRAGMA busy_timeout")]


def _check(rt, seen: list[str]) -> None:
    shapes = by_shape(seen)
    dialect = rt.engine.dialect.name
    assert len(seen) <= BOUND[dialect], described(seen)
    grouping = ("BEGIN",)  # the transactions
    assert {s: n for s, n in shapes.items() if s not in grouping} == EXPECTED, described(seen)
    assert shapes["BEGIN"] == (2 if dialect == "sqlite" else 0)  # read, then write


def test_filing_one_order_over_the_api_takes_a_bounded_number_of_statements(rt, parties, key_clock):
    # ``key_clock`` stands still: the key found by the first order is still fresh for the
    # second, however long the first took on a loaded machine (past KEY_TTL_S its look-up
    # is a transaction of its own — tests/tenancy/test_keys.py tests that)

    def post(n: int) -> None:
        r = client.post("/orders", json=_order(n), headers=parties["seller-a"].headers)
        assert r.status_code == 201, r.text

    # without the background integrator, whose statements (the ledger's) are no order's
    with TestClient(
        create_app(rt, integrate_in_background=False, deliver_in_background=False)
    ) as client:
        _check(rt, _statements_of(rt, post))


def test_filing_one_order_through_the_use_case_takes_a_bounded_number_of_statements(rt, parties):
    seller = parties["seller-a"].viewer

    def file(n: int) -> None:
        body = json.dumps(_order(n)).encode()
        assert file_document(rt.uow(), seller, FileRequest(kind="order", body=body)).status == 201

    _check(rt, _statements_of(rt, file))


def test_a_tenant_created_elsewhere_is_found_by_the_next_order(rt, client, parties, other_process):
    h = parties["seller-a"].headers
    r = client.post("/orders", json=_order(1, "platform-new"), headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["rule"] == "party_unknown"
    with UnitOfWork(other_process, write=True) as uow:
        create_tenant(uow.repo, "platform-new", Role.PLATFORM)
        uow.commit()
    r = client.post("/orders", json=_order(1, "platform-new"), headers=h)
    assert r.status_code == 201, r.text


def test_a_tenant_added_in_a_transaction_rolled_back_is_not_remembered(rt, parties):
    with rt.uow(write=True) as uow:
        uow.repo.add_tenant("platform-gone", Role.PLATFORM)
        assert uow.repo.tenant_by_name("platform-gone") is not None
        # no commit: rolled back
    with rt.uow() as uow:
        assert uow.repo.tenant_by_name("platform-gone") is None


def test_a_rule_changed_elsewhere_decides_the_very_next_order(rt, client, parties, other_process):
    h, reg = parties["seller-a"].headers, parties["regulator"].headers

    def outcome(n: int) -> str:
        r = client.post("/orders", json=_order(n, items=[EARBUDS]), headers=h)
        assert r.status_code == 201, r.text
        checks = client.get(f"/orders/{r.json()['id']}/checks", headers=h).json()
        return checks["compliance"][0]["outcome"]

    assert outcome(1) != "deny"  # the rule set is now cached
    with UnitOfWork(other_process, write=True) as uow:  # another process adds a rule
        RuleStore(uow.conn).put(DENY_EARBUDS, parties["regulator"].viewer.tenant_id)
        uow.commit()
    assert outcome(2) == "deny"
    r = client.delete(f"/compliance/rules/{DENY_EARBUDS['id']}", headers=reg)  # this one retires it
    assert r.status_code == 200, r.text
    assert outcome(3) != "deny"


def test_an_enrolment_opened_or_ended_elsewhere_applies_to_the_very_next_order(
    rt, client, parties, other_process
):
    """Open enrolments are kept by their stamp (read with the rules'): one opened by
    another process relaxes the next order, and once it ends there, the next is denied."""
    h, reg = parties["seller-a"].headers, parties["regulator"].headers
    r = client.put(f"/compliance/rules/{DENY_EARBUDS['id']}", json=DENY_EARBUDS, headers=reg)
    assert r.status_code == 200, r.text

    def outcome(n: int) -> str:
        r = client.post("/orders", json=_order(n, items=[EARBUDS]), headers=h)
        assert r.status_code == 201, r.text
        checks = client.get(f"/orders/{r.json()['id']}/checks", headers=h).json()
        return checks["compliance"][0]["outcome"]

    assert outcome(1) == "deny"  # rules and (no) enrolments now cached
    regulator = parties["regulator"].viewer
    request = EnrolmentRequest.model_validate(ONE_EARBUDS_ORDER | {"max_orders": 100})
    enrolled = enrol(UnitOfWork(other_process), regulator, request)
    assert outcome(2) == "allow_sandbox"
    assert outcome(3) == "allow_sandbox"  # cached again, under the new stamp
    end_enrolment(UnitOfWork(other_process), regulator, enrolled.id)
    assert outcome(4) == "deny"


def test_a_list_loaded_elsewhere_screens_the_very_next_order(rt, client, parties, other_process):
    """Active lists are kept by their stamp (read with the rules'): a list another process
    loads screens the next order."""
    h = parties["seller-a"].headers

    def screened(n: int) -> list[dict]:
        order = _order(n)
        order["buyer"] = order["buyer"] | {"name": "Rostislav Yevgenyevich Zharkof"}  # listed
        r = client.post("/orders", json=order, headers=h)
        assert r.status_code == 201, r.text
        reg = parties["regulator"].headers
        return client.get(f"/orders/{r.json()['id']}/checks", headers=reg).json()["screening"]

    assert screened(1) == []  # no list loaded: nothing screened, and that is now cached
    request = ListLoadRequest(name="synthetic", source="test", content=SANCTIONS.read_bytes())
    load_list(UnitOfWork(other_process, settings=rt.settings), parties["regulator"].viewer, request)
    buyer = next(c for c in screened(2) if c["role"] == "buyer")
    assert buyer["match"] is True and buyer["entity_id"] == ROSTISLAV
