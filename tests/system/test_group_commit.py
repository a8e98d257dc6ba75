"""Group commit (cbec/store/group_commit.py): writers queued at the same moment share one
SQLite transaction, and each gets exactly the answer it would get alone.

The oracle is the same sequence of filings run one transaction per request (group commit
switched off) on an emptied database: every answer — status, error and its code — the
stored documents and the evidence log's size must be the same. The group is formed
deterministically: the test holds the write gate while the writers queue behind it, in a
known order, then lets them in at once.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select

from cbec.api.app import create_app
from cbec.demo import synthetic
from cbec.errors import CbecError
from cbec.services import documents as svc
from cbec.store import repository
from cbec.store.gate import gate_of
from cbec.store.group_commit import group_of
from cbec.store.tables import documents, ledger_entries, metadata
from tests.compliance.test_compliance_api import DENY_EARBUDS, ONE_EARBUDS_ORDER
from tests.conftest import ON_POSTGRES

pytestmark = pytest.mark.skipif(ON_POSTGRES, reason="group commit is SQLite's")

DEADLINE_S = 120.0  # bounds a hang only; the waits end on the condition


def _until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.001)


def _requests(rng) -> list[svc.FileRequest]:
    """Eight filings whose answers depend on each other: a key reused with the same and
    another body, a natural key sent again with the same and another content, a broken
    order between them."""
    o1, o2, o3 = (synthetic.order(rng, "platform-a", "seller-a", f"GC-{i}") for i in range(3))
    o1_changed = {**o1, "lines": [{**o1["lines"][0], "name": "another name"}, *o1["lines"][1:]]}
    broken = {k: v for k, v in o3.items() if k != "lines"} | {"order_no": "GC-BROKEN"}

    def req(doc: dict[str, Any], key: str | None = None) -> svc.FileRequest:
        body = json.dumps(doc).encode()
        return svc.FileRequest(kind="order", body=body, idempotency_key=key)

    return [
        req(o1, "k1"),  # 201
        req(o1, "k1"),  # 201 again: the same request, answered as the first time
        req(o1_changed),  # 409: the same order number, another content
        req(broken),  # 422: every error of the row
        req(o2),  # 201
        req(o2, "k1"),  # 409: the key was used for another body
        req(o2),  # 200: unchanged
        req(o3),  # 201
    ]


def _answer(outcome: Any) -> tuple:
    if isinstance(outcome, CbecError):
        return ("error", type(outcome).__name__, outcome.code)
    return ("filed", outcome.status, outcome.view["document"]["order_no"])


def _file(rt, caller, req: svc.FileRequest) -> Any:
    try:
        return svc.file_document(rt.uow(), caller, req)
    except Exception as exc:  # the answer a writer gets, whatever it is
        return exc


def _stored(rt) -> tuple[list[str], int]:
    with rt.engine.connect() as conn:
        keys = sorted(conn.execute(select(documents.c.natural_key)).scalars())
        entries = conn.execute(select(func.count()).select_from(ledger_entries)).scalar_one()
    return keys, entries


def _grouped(rt, caller, reqs: list[svc.FileRequest]) -> list[Any]:
    """File ``reqs`` from one thread each, queued in order behind the held write gate, then
    let in together: one group."""
    gate, group = gate_of(rt.engine), group_of(rt.engine)
    answers: list[Any] = [None] * len(reqs)
    gate.acquire()
    threads = []
    queued = 0
    try:
        for n, req in enumerate(reqs):

            def run(n: int = n, req: svc.FileRequest = req) -> None:
                answers[n] = _file(rt, caller, req)

            threads.append(threading.Thread(target=run))
            threads[-1].start()
            # queued behind the gate — or answered before it: a row that breaks the rules is
            # refused by the checks made before the write lock
            _until(
                lambda n=n, q=queued: gate.waiting == q + 1 or answers[n] is not None,
                f"writer {n} queued or answered",
            )
            queued = gate.waiting
        # every writer not answered yet is in the group about to form
        assert len(group._queue) == queued == sum(a is None for a in answers)
    finally:
        gate.release()
    for t in threads:
        t.join(DEADLINE_S)
        assert not t.is_alive()
    return answers


def _empty(rt) -> None:
    """Every filing gone; tenants, their keys and the deployment's keys kept."""
    with rt.engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            if table.name not in ("tenants", "api_keys", "deployment_keys"):
                conn.execute(table.delete())
    rt.ledger.ensure()


def test_a_group_answers_each_writer_as_one_transaction_each_would(rt, parties, rng, monkeypatch):
    caller = parties["seller-a"].viewer
    group = group_of(rt.engine)
    before = (group.groups, group.works)
    reqs = _requests(rng)
    grouped = [_answer(a) for a in _grouped(rt, caller, reqs)]  # one refused before the lock
    assert (group.groups, group.works) == (before[0] + 1, before[1] + len(reqs) - 1)
    stored = _stored(rt)
    assert rt.ledger.fsck() == []

    _empty(rt)
    monkeypatch.setattr(repository, "group_of", lambda engine: None)
    alone = [_answer(_file(rt, caller, r)) for r in reqs]
    assert group.groups == before[0] + 1  # the oracle's filings were not grouped

    assert grouped == alone
    statuses = [201, 201, "Conflict", "DocumentInvalid", 201, "Conflict", 200, 201]
    assert [a[1] for a in grouped] == statuses
    assert _stored(rt) == stored
    assert stored[0] == ["GC-0", "GC-1", "GC-2"]


def test_a_failed_commit_answers_every_writer_of_the_group_and_writes_none(rt, parties, rng):
    caller = parties["seller-a"].viewer
    before = _stored(rt)
    reqs = [
        svc.FileRequest(
            kind="order",
            body=json.dumps(synthetic.order(rng, "platform-a", "seller-a", f"GF-{i}")).encode(),
        )
        for i in range(4)
    ]

    def refuse(conn) -> None:
        raise OSError("disk full")

    event.listen(rt.engine, "commit", refuse)
    try:
        answers = _grouped(rt, caller, reqs)
    finally:
        event.remove(rt.engine, "commit", refuse)
    assert all(isinstance(a, OSError) for a in answers), answers
    assert _stored(rt) == before
    # nothing half-written: the same filings now go through as new
    assert [_file(rt, caller, r).status for r in reqs] == [201] * 4
    assert rt.ledger.fsck() == []


def test_two_filings_drawing_on_one_sandbox_budget_at_once_take_their_turns(rt, parties):
    """A sandbox that relaxes a rule for one order, and two such orders prepared at once —
    each decided before the write lock with the budget unused, so each would be let through.
    Written in one group, the second finds the budget used by the first and is decided again
    under the lock: one allowed by the sandbox, one stopped by its limit, as one after the
    other (tests/compliance/test_compliance_api.py) would be."""
    reg = parties["regulator"].headers
    enrolment = ONE_EARBUDS_ORDER
    with TestClient(
        create_app(rt, integrate_in_background=False, deliver_in_background=False)
    ) as client:
        r = client.put("/compliance/rules/test.deny.earbuds", json=DENY_EARBUDS, headers=reg)
        assert r.status_code == 200, r.text
        assert client.post("/compliance/sandboxes", json=enrolment, headers=reg).status_code == 200
        item = next(c for c in synthetic.CATALOG if c["sku"] == "SZ-EB-01")
        reqs = [
            svc.FileRequest(
                kind="order",
                body=json.dumps(
                    synthetic.order(random.Random(n), "platform-a", "seller-a", f"SB-{n}", [item])
                ).encode(),
            )
            for n in (1, 2)
        ]
        answers = _grouped(rt, parties["seller-a"].viewer, reqs)
        assert [a.status for a in answers] == [201, 201], answers
        outcomes = []
        for a in answers:
            checks = client.get(f"/orders/{a.view['id']}/checks", headers=reg).json()
            (d,) = checks["compliance"]
            outcomes.append(
                (d["outcome"], d["sandbox"]["limits_crossed"] if d["sandbox"] else None)
            )
    assert outcomes[0] == ("allow_sandbox", [])
    assert outcomes[1][0] == "deny" and outcomes[1][1][0].startswith("max_orders")
