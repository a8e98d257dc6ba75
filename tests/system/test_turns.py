"""Filings take turns (cbec/api/turns.py): no more documents filed at once than the setting,
the others waiting in the event loop — and all of them answered."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from fastapi.testclient import TestClient

from cbec.api import documents as documents_api
from cbec.api.app import create_app
from cbec.api.turns import SQLITE_DEFAULT, slots_for
from cbec.config import Settings
from tests.conftest import make_order

DEADLINE_S = 60.0


def _until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for: {what}"
        time.sleep(0.005)  # polling a condition, not timing anything


def test_no_more_filings_at_once_than_the_setting(rt, parties, rng, monkeypatch):
    monkeypatch.setattr(rt.settings, "filings_at_once", 2)
    app = create_app(rt, integrate_in_background=False, deliver_in_background=False)
    turns = app.state.filing_turns
    file_document = documents_api.svc.file_document
    lock, gate = threading.Lock(), threading.Event()
    at_once = [0]
    most = [0]

    def held(*args):
        with lock:
            at_once[0] += 1
            most[0] = max(most[0], at_once[0])
        try:
            gate.wait(DEADLINE_S)
            return file_document(*args)
        finally:
            with lock:
                at_once[0] -= 1

    monkeypatch.setattr(documents_api.svc, "file_document", held)
    headers = parties["seller-a"].headers
    orders = [make_order(rng, i) for i in range(6)]
    answers: list[int] = []
    with TestClient(app) as client:

        def post(order: dict) -> None:
            answers.append(client.post("/orders", json=order, headers=headers).status_code)

        threads = [threading.Thread(target=post, args=(o,)) for o in orders]
        for t in threads:
            t.start()
        # two filing, four waiting their turn in the loop (the limiter's own count)
        _until(lambda: at_once[0] == 2, "two filings started")
        limiter = next(iter(turns._limiters.values()))
        _until(lambda: limiter.statistics().tasks_waiting == 4, "four waiting their turn")
        assert at_once[0] == 2
        gate.set()
        for t in threads:
            t.join(DEADLINE_S)
            assert not t.is_alive()
    assert sorted(answers) == [201] * 6
    assert most[0] == 2


def test_by_default_four_at_once_on_sqlite_and_the_pools_limit_on_postgresql():
    assert slots_for(Settings(), "sqlite") == SQLITE_DEFAULT == 4
    assert slots_for(Settings(), "postgresql") == 0
    assert slots_for(Settings(filings_at_once=0), "sqlite") == 0
    assert slots_for(Settings(filings_at_once=7), "postgresql") == 7
