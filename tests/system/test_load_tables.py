"""A starting server loads the identity tables before its first requests, once.

stdnum's county table (``cn/loc``) is parsed on first use and its cache is not under a lock:
before, every worker thread that checked one of a fresh server's first orders parsed it at
the same time (seen in a profile of 16 clients). The oracle is the library's own parser,
counted."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient
from stdnum import numdb

from cbec.api.app import create_app
from tests.conftest import make_order
from tests.threads import in_threads


def test_the_county_table_is_parsed_once_as_the_app_starts(rt, parties, rng, monkeypatch):
    parsed: list[str] = []
    read = numdb.read

    def counting_read(fp):
        parsed.append(threading.current_thread().name)
        return read(fp)

    monkeypatch.setattr(numdb, "read", counting_read)
    monkeypatch.delitem(numdb._open_databases, "cn/loc", raising=False)
    app = create_app(rt, integrate_in_background=False, deliver_in_background=False)
    with TestClient(app) as client:
        assert len(parsed) == 1, "the lifespan loads the county table"
        key = parties["seller-a"].key
        orders = [make_order(rng, i) for i in range(8)]
        for o in orders:
            o["buyer"].update(id_type="resident_id", id_number="11010519491231002X")
        answers: list[int] = []

        def post(order: dict) -> None:
            r = client.post("/orders", json=order, headers={"Authorization": f"Bearer {key}"})
            answers.append(r.status_code)

        in_threads(post, orders)
    assert answers == [201] * 8
    assert len(parsed) == 1, "no request parsed it again"
