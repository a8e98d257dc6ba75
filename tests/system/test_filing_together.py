"""Single filings filed together (cbec/services/filing_together.py, cbec/api/turns.py): every
request of a batch is answered as filing it alone would answer it.

The oracle is the same requests filed one after another by ``file_document`` on an emptied
database: every answer — status, error and its code, the document shown — the stored
documents, their compliance decisions and the evidence log's size must be the same. The
batch holds the cases where sharing a chunk could change an answer (a key or a new person
repeated within it, an idempotency key reused, a broken row, two callers, an unreadable
body, an unknown kind).
"""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import anyio.to_thread
from sqlalchemy import func, select

from cbec.api.turns import SQLITE_TOGETHER, Turns, together_for
from cbec.config import Settings
from cbec.demo import synthetic
from cbec.errors import CbecError, Conflict
from cbec.services import documents as svc
from cbec.services import filing_together
from cbec.services.filing_together import file_together
from cbec.store.group_commit import group_of
from cbec.store.tables import compliance_decisions, documents, ledger_entries
from tests.system.test_group_commit import _empty, _requests, sandboxed_pair

DEADLINE_S = 60.0


def _batch(rng, parties) -> list[tuple[Any, svc.FileRequest]]:
    a, b = parties["seller-a"].viewer, parties["seller-b"].viewer
    same_person = [synthetic.order(rng, "platform-a", "seller-a", f"FT-P{i}") for i in range(2)]
    same_person[1]["buyer"] = dict(same_person[0]["buyer"])  # a new person, in two orders
    same_person[1]["consignee"] = dict(same_person[0]["consignee"])
    other = synthetic.order(rng, "platform-a", "seller-b", "FT-B1")

    def req(doc: Any, kind: str = "order") -> svc.FileRequest:
        body = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
        return svc.FileRequest(kind=kind, body=body)

    return [
        *[(a, r) for r in _requests(rng)],  # keys and idempotency keys reused, a broken row
        *[(a, req(o)) for o in same_person],
        (b, req(other)),  # another caller, in the same batch
        (b, req(b"{not json")),  # unreadable
        (a, req(same_person[0], kind="no-such-kind")),
    ]


def _answer(outcome: Any) -> tuple:
    if isinstance(outcome, CbecError):
        return ("error", type(outcome).__name__, outcome.code)
    view = outcome.view
    return ("filed", outcome.status, json.dumps(view["document"], sort_keys=True))


def _stored(rt) -> tuple:
    with rt.engine.connect() as conn:
        keys = sorted(conn.execute(select(documents.c.natural_key)).scalars())
        decided = sorted(
            conn.execute(
                select(documents.c.natural_key, compliance_decisions.c.outcome).join(
                    documents, documents.c.id == compliance_decisions.c.document_id
                )
            ).all()
        )
        entries = conn.execute(select(func.count()).select_from(ledger_entries)).scalar_one()
    return keys, decided, entries


def _never(*args: Any) -> Any:
    raise AssertionError("filed alone")


def _alone(rt, caller, req) -> Any:
    try:
        return svc.file_document(rt.uow(), caller, req)
    except Exception as exc:  # the answer a request gets, whatever it is
        return exc


def test_a_batch_answers_each_request_as_filing_it_alone_would(rt, parties, rng):
    batch = _batch(rng, parties)
    together = [_answer(o) for o in file_together([(rt.uow(), c, r) for c, r in batch])]
    stored = _stored(rt)
    assert rt.ledger.fsck() == []

    _empty(rt)
    alone = [_answer(_alone(rt, c, r)) for c, r in batch]
    assert together == alone
    statuses = [a[1] for a in together]
    assert statuses[:8] == [201, 201, "Conflict", "DocumentInvalid", 201, "Conflict", 200, 201]
    assert statuses[8:] == [201, 201, 201, "BadRequest", "NotFound"]
    assert _stored(rt) == stored
    assert len(stored[1]) == 6  # every order created has its decision


def test_one_chunk_creates_finds_unchanged_and_refuses_as_one_at_a_time_would(
    rt, parties, rng, monkeypatch
):
    """Keys stored before the batch: in one caller's chunk one order is new, one sent again
    unchanged, one changed (409) and one a replay of an earlier Idempotency-Key — each
    answered by the chunk's write as its own filing would be."""
    caller = parties["seller-a"].viewer
    o1, o2, o3, o4 = (synthetic.order(rng, "platform-a", "seller-a", f"FC-{i}") for i in range(4))
    changed = {**o2, "lines": [{**o2["lines"][0], "name": "another name"}, *o2["lines"][1:]]}

    def req(doc: Any, key: str | None = None) -> svc.FileRequest:
        return svc.FileRequest(kind="order", body=json.dumps(doc).encode(), idempotency_key=key)

    before = [req(o1), req(o2), req(o3, "k3")]
    batch = [req(o4), req(o1), req(changed), req(o3, "k3"), req(o4, "k3")]

    def run(together: bool) -> tuple[list, tuple]:
        for r in before:
            assert svc.file_document(rt.uow(), caller, r).status == 201
        if together:
            group = group_of(rt.engine)
            counted = (group.groups, group.works) if group else None
            with monkeypatch.context() as m:  # every one answered by the chunk, none alone
                m.setattr(filing_together, "file_document", _never)
                outcomes = file_together([(rt.uow(), caller, r) for r in batch])
            if group:  # one transaction, holding the chunk's three filings (SQLite)
                assert (group.groups, group.works) == (counted[0] + 1, counted[1] + 3)
        else:
            outcomes = [_alone(rt, caller, r) for r in batch]
        return [_answer(o) for o in outcomes], _stored(rt)

    answers, stored = run(together=True)
    assert rt.ledger.fsck() == []
    _empty(rt)
    assert run(together=False) == (answers, stored)
    assert [a[1] for a in answers] == [201, 200, "Conflict", 201, "Conflict"]


def test_a_sandbox_budget_for_one_order_is_spent_by_one_order_of_a_batch(rt, parties):
    """Two orders a sandbox relaxes a rule for, with room for one, filed in one batch: the
    budget is carried from the first to the second as in a bulk import — one let through by
    the sandbox, one stopped by its limit, as one after the other would be
    (tests/system/test_group_commit.py)."""
    seller = parties["seller-a"].viewer
    outcomes = sandboxed_pair(
        rt, parties, "FS", lambda reqs: file_together([(rt.uow(), seller, r) for r in reqs])
    )
    assert outcomes[0] == ("allow_sandbox", [])
    assert outcomes[1][0] == "deny" and outcomes[1][1][0].startswith("max_orders")


def test_requests_queued_while_a_batch_is_filed_go_together_into_the_next():
    """The first request of an idle server is filed at once, alone; the three that arrive
    while it is being filed wait, and go as one batch; an item's error is raised to it."""
    turns = Turns(slots=4, together=32)
    batches: list[list[str]] = []
    filing, release = threading.Event(), threading.Event()

    def many(items, contexts, ready):
        assert len(contexts) == len(items)
        batches.append([item[0] for item in items])
        filing.set()
        assert release.wait(DEADLINE_S)
        return [Conflict("conflict_natural_key", {}) if i == "c" else i.upper() for (i,) in items]

    async def main() -> list[Any]:
        first = asyncio.create_task(turns.batched(many, _never, ("a",)))
        assert await anyio.to_thread.run_sync(filing.wait, DEADLINE_S)
        rest = [asyncio.create_task(turns.batched(many, _never, (i,))) for i in "bcd"]
        waiting = turns._batches[asyncio.get_running_loop()].waiting
        while len(waiting) < 3:  # each task queues its item before its first wait
            await asyncio.sleep(0)
        release.set()
        return await asyncio.gather(first, *rest, return_exceptions=True)

    answers = asyncio.run(main())
    assert batches == [["a"], ["b", "c", "d"]]
    assert answers[0] == "A" and answers[1] == "B" and answers[3] == "D"
    assert isinstance(answers[2], Conflict)


def test_a_request_arriving_while_the_last_batch_writes_goes_in_the_next():
    """The queue is empty and the one batch is writing (its reading done) when a request
    arrives: it waits for that batch's writes to end — the requests they answer may come back
    to join it — and is then filed, not left waiting for a batch no one starts."""
    turns = Turns(slots=4, together=32)
    batches: list[list[str]] = []
    writing, release = threading.Event(), threading.Event()

    def many(items, contexts, ready):
        batches.append([name for (name,) in items])
        ready()  # reading done: the next batch may begin
        if batches[-1] == ["a"]:
            writing.set()
            assert release.wait(DEADLINE_S)
        return [name.upper() for (name,) in items]

    async def main() -> list[Any]:
        first = asyncio.create_task(turns.batched(many, _never, ("a",)))
        assert await anyio.to_thread.run_sync(writing.wait, DEADLINE_S)
        # the batch's ready signal was queued in the loop before this task was woken: a few
        # turns of the loop and the runner has looked at the queue, found it empty
        for _ in range(20):
            await asyncio.sleep(0)
        second = asyncio.create_task(turns.batched(many, _never, ("b",)))
        for _ in range(20):
            await asyncio.sleep(0)
        held = list(batches)  # b waits for a's writes
        release.set()
        answers = await asyncio.wait_for(asyncio.gather(first, second), DEADLINE_S)
        return [held, *answers]

    assert asyncio.run(main()) == [[["a"]], "A", "B"]
    assert batches == [["a"], ["b"]]


def test_filed_together_by_default_on_sqlite_and_alone_on_postgresql():
    assert together_for(Settings(), "sqlite") == SQLITE_TOGETHER == 32
    assert together_for(Settings(), "postgresql") == 0
    assert together_for(Settings(filings_together=0), "sqlite") == 0
    assert together_for(Settings(filings_together=8), "postgresql") == 8
