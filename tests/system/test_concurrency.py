"""Concurrent writers on a real server: the same new document posted at once is stored
once (one 201, the rest 200 with the same id), on SQLite and on PostgreSQL."""

from __future__ import annotations

import random
import threading

import httpx

from cbec.demo import synthetic
from tests.serverproc import running_server, settings_env
from tests.threads import in_threads


def test_simultaneous_identical_posts_store_one_document(rt, parties):
    env = settings_env(rt.settings)
    rng = random.Random(99)
    with running_server(env) as (url, _proc):
        for round_no in range(3):
            order = synthetic.order(rng, "platform-a", "seller-a", f"RACE-{round_no}")
            barrier = threading.Barrier(8)
            results: list[tuple[int, str]] = []

            def post(order=order, barrier=barrier, results=results):
                with httpx.Client(base_url=url, timeout=30) as c:
                    barrier.wait()
                    r = c.post("/orders", json=order, headers=parties["seller-a"].headers)
                    results.append((r.status_code, r.json().get("id", r.text)))

            threads = [threading.Thread(target=post) for _ in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            statuses = sorted(s for s, _ in results)
            assert statuses == [200] * 7 + [201], results
            assert len({i for _, i in results}) == 1
        with httpx.Client(base_url=url) as c:
            page = c.get("/orders", params={"limit": 500}, headers=parties["seller-a"].headers)
            assert len(page.json()["items"]) == 3


def test_simultaneous_idempotency_key_reuse(rt, parties):
    env = settings_env(rt.settings)
    rng = random.Random(98)
    with running_server(env) as (url, _proc):
        bodies = [synthetic.order(rng, "platform-a", "seller-a", f"IK-{i}") for i in range(6)]
        barrier = threading.Barrier(len(bodies))
        results: list[int] = []

        def post(body):
            with httpx.Client(base_url=url, timeout=30) as c:
                barrier.wait()
                r = c.post(
                    "/orders",
                    json=body,
                    headers={**parties["seller-a"].headers, "Idempotency-Key": "same-key"},
                )
                results.append(r.status_code)

        in_threads(post, bodies)
        # exactly one request won the key; the others were told the key is taken
        assert sorted(results) == [201] + [409] * (len(bodies) - 1), results
        with httpx.Client(base_url=url) as c:
            page = c.get("/orders", params={"limit": 500}, headers=parties["seller-a"].headers)
            assert len(page.json()["items"]) == 1
