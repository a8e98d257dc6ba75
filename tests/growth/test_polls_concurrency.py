"""One vote per buyer and poll, also when the same buyer's votes arrive at once — on SQLite
and on PostgreSQL (``CBEC_DATABASE_URL``): the UNIQUE constraint on the poll and the buyer's
keyed hash lets exactly one in, whatever the interleaving, and the others get 409."""

from __future__ import annotations

import threading

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from cbec.errors import Conflict
from cbec.services import polls as svc
from cbec.store.poll_store import PollStore
from cbec.store.tables import poll_votes
from tests.growth.world import open_poll, order

N = 6


def _race(work) -> list[object]:
    """``work(i)`` in N threads released together; what each returned or raised."""
    barrier = threading.Barrier(N)
    out: list[object] = [None] * N

    def run(i: int) -> None:
        barrier.wait()
        try:
            out[i] = work(i)
        except Exception as exc:  # the outcome under test
            out[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def _votes(rt, poll_id: str) -> int:
    with rt.engine.connect() as conn:
        q = select(func.count()).where(poll_votes.c.poll_id == poll_id)
        return int(conn.execute(q).scalar_one())


def test_concurrent_votes_of_one_buyer_land_once(client, parties, rt):
    poll = open_poll(client, parties["seller-a"])
    oid, _ = order(client, parties, "RACE-1", "acct-race")
    viewer = parties["platform-a"].viewer
    options = ["Red", "Sage", "Cream", "Red", "Sage", "Cream"]

    def cast(i: int) -> object:
        req = svc.VoteRequest(order_id=oid, buyer_account_id="acct-race", option=options[i])
        return svc.cast_vote(rt.uow(), viewer, poll["id"], req)

    out = _race(cast)
    receipts = [o for o in out if isinstance(o, svc.VoteReceipt)]
    refused = [o for o in out if isinstance(o, Conflict)]
    assert len(receipts) == 1, out
    assert len(refused) == N - 1 and {c.rule for c in refused} == {"poll_voted"}, out
    assert _votes(rt, poll["id"]) == 1
    shown = client.get(f"/polls/{poll['id']}", headers=parties["seller-a"].headers).json()
    assert shown["results"]["votes"] == 1
    assert [c["option"] for c in shown["results"]["options"] if c["votes"]] == [receipts[0].option]


def test_the_constraint_alone_refuses_a_second_insert_of_one_voter(client, parties, rt):
    """Inserts straight into the table, each in its own connection and transaction (no
    write gate, no use-case check): one commits, every other fails on the constraint."""
    poll = open_poll(client, parties["seller-a"])
    tenant = parties["platform-a"].viewer.tenant_id
    from cbec.trade.ports import now

    def insert(i: int) -> object:
        with rt.engine.connect() as conn, conn.begin():
            row = {
                "poll_id": poll["id"],
                "voter": "f" * 64,
                "option": "Red",
                "market": "CN",
                "segment": "new",
                "relay_tenant_id": tenant,
                "at": now(),
            }
            return PollStore(conn).add_vote(row)

    out = _race(insert)
    assert sum(isinstance(o, int) for o in out) == 1, out
    assert sum(isinstance(o, IntegrityError) for o in out) == N - 1, out
    assert _votes(rt, poll["id"]) == 1
