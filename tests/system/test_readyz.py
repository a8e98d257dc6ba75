"""Readiness (``GET /readyz``): 200 with every check when the server can take traffic; 503
naming the failing check when the database is at another schema revision, when the ledger's
integrator has stalled, or when this process's keys do not match the data. Liveness
(``GET /healthz``): 200, or 503 when the database does not answer. Time is injected
(``cbec.services.ops.now``), never waited for."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

import cbec
from cbec.api.app import create_app
from cbec.demo import synthetic
from cbec.ledger.note import generate_signer_key, verifier_from_skey
from cbec.services import ops
from cbec.store.db import alembic_config

CHECKS = ["database", "migrations", "keys", "integrator"]


@pytest.fixture
def client(rt):
    """No background integrator: the tests decide when the ledger integrates."""
    with TestClient(
        create_app(rt, integrate_in_background=False, deliver_in_background=False)
    ) as c:
        yield c


def failing(answer) -> list[str]:
    assert answer.status_code == 503, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert body["status"] == 503 and body["code"] == "not_ready"
    assert [c["name"] for c in body["checks"]] == CHECKS
    return [c["name"] for c in body["checks"] if not c["ok"]]


def test_ready_when_every_check_passes(client, parties):
    order = synthetic.order(random.Random(3), "platform-a", "seller-a", "READY-1")
    assert client.post("/orders", json=order, headers=parties["seller-a"].headers).is_success
    client.app.state.rt.ledger.integrate(force_checkpoint=True)
    answer = client.get("/readyz")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["ok"] is True
    assert [(c["name"], c["ok"]) for c in body["checks"]] == [(n, True) for n in CHECKS]
    keys = next(c for c in body["checks"] if c["name"] == "keys")
    assert keys["detail"] == "recorded keys and ledger verifier key and data keys match"


def test_not_ready_when_the_database_is_at_another_revision(client, rt):
    cfg = alembic_config()
    script = ScriptDirectory.from_config(cfg)
    head = script.get_current_head()
    previous = script.get_revision(head).down_revision
    assert isinstance(previous, str)
    try:
        with rt.engine.begin() as conn:  # the schema stays; only the recorded revision moves
            cfg.attributes["connection"] = conn
            command.stamp(cfg, previous, purge=True)
        answer = client.get("/readyz")
        assert failing(answer) == ["migrations"]
        check = next(c for c in answer.json()["checks"] if c["name"] == "migrations")
        assert check["detail"] == f"database at {previous}, this release expects {head}"
        assert "migrations" in answer.json()["detail"]
    finally:
        with rt.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.stamp(cfg, head, purge=True)
    assert client.get("/readyz").status_code == 200


def test_not_ready_while_the_integrator_lags(client, rt, monkeypatch):
    clock = [datetime(2026, 5, 1, 8, 0, tzinfo=UTC)]
    monkeypatch.setattr(ops, "now", lambda: clock[0])
    limit = rt.settings.ready_max_lag_s
    assert client.get("/readyz").status_code == 200  # nothing waits
    rt.ledger.append([("text/plain", b"one"), ("text/plain", b"two")])
    assert client.get("/readyz").status_code == 200  # waiting, but not for long yet
    clock[0] += timedelta(seconds=limit)
    assert client.get("/readyz").status_code == 200  # at the limit: still ready
    clock[0] += timedelta(seconds=1)
    answer = client.get("/readyz")
    assert failing(answer) == ["integrator"]
    check = next(c for c in answer.json()["checks"] if c["name"] == "integrator")
    assert check["detail"].startswith(f"2 entries waiting for {limit + 1:.0f} s")
    rt.ledger.integrate()
    assert client.get("/readyz").status_code == 200  # caught up


def test_not_ready_when_the_signer_key_is_not_the_one_that_signed(client, rt, monkeypatch):
    rt.ledger.integrate(force_checkpoint=True)
    skey, _ = generate_signer_key("cbec.local/ledger")
    monkeypatch.setattr(rt.ledger, "vkeys", [verifier_from_skey(skey)])
    assert failing(client.get("/readyz")) == ["keys"]


def test_not_ready_when_the_data_keys_cannot_open_stored_data(client, rt, parties, monkeypatch):
    order = synthetic.order(random.Random(4), "platform-a", "seller-a", "READY-2")
    assert client.post("/orders", json=order, headers=parties["seller-a"].headers).is_success

    def wrong_key(*_args):
        raise ValueError("unknown key id")

    monkeypatch.setattr(rt.vault, "open_value", wrong_key)
    assert failing(client.get("/readyz")) == ["keys"]


def test_not_ready_when_the_database_records_other_keys(client, rt):
    """A database whose recorded keys are not the running process's (say, another
    deployment's backup restored under it) is named by the key that differs."""
    from sqlalchemy import update

    from cbec.store.tables import deployment_keys

    assert client.get("/readyz").status_code == 200
    with rt.uow(write=True) as uow:
        uow.conn.execute(
            update(deployment_keys)
            .where(deployment_keys.c.purpose == "hmac")
            .values(fingerprint="0123456789abcdef")
        )
        uow.commit()
    answer = client.get("/readyz")
    assert failing(answer) == ["keys"]
    keys = next(c for c in answer.json()["checks"] if c["name"] == "keys")
    assert "HMAC key differs" in keys["detail"] and "0123456789abcdef" in keys["detail"]


def test_readiness_and_liveness_are_in_the_contract(client):
    spec = client.get("/openapi.json").json()
    ready = spec["paths"]["/readyz"]["get"]
    assert {"200", "503"} <= set(ready["responses"])
    assert "security" not in ready  # a load balancer's probe has no key
    assert {"200", "503"} <= set(spec["paths"]["/healthz"]["get"]["responses"])
    assert "/metrics" not in spec["paths"]  # for Prometheus, not API clients


def test_not_ready_when_the_database_does_not_answer_and_metrics_say_so(rt, tmp_path):
    unreachable = create_engine(f"sqlite:///{tmp_path / 'no-such-folder' / 'cbec.db'}")
    broken = type(rt)(rt.settings, unreachable, rt.secrets, rt.vault, rt.ledger)
    with TestClient(
        create_app(broken, integrate_in_background=False, deliver_in_background=False)
    ) as client:
        answer = client.get("/readyz")
        scraped = client.get("/metrics")
    assert failing(answer) == CHECKS
    assert scraped.status_code == 200  # the HTTP metrics still answer, the data ones cannot
    assert "\ncbec_data_up 0.0\n" in scraped.text
    assert "cbec_ledger_entries" not in scraped.text
    assert answer.json()["checks"][0]["detail"] == "unreachable (OperationalError)"


def test_not_alive_when_the_database_does_not_answer(rt, tmp_path):
    """Liveness fails as a problem document (503, ``not_alive``) naming the error's type,
    never its message — not a 500 — in the caller's language."""
    unreachable = create_engine(f"sqlite:///{tmp_path / 'no-such-folder' / 'cbec.db'}")
    broken = type(rt)(rt.settings, unreachable, rt.secrets, rt.vault, rt.ledger)
    with TestClient(
        create_app(broken, integrate_in_background=False, deliver_in_background=False)
    ) as client:
        answer = client.get("/healthz")
        chinese = client.get("/healthz", headers={"Accept-Language": "zh-CN"})
    assert answer.status_code == 503, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert (body["status"], body["code"]) == (503, "not_alive")
    assert body["detail"] == (
        "the database does not answer (OperationalError): this server cannot serve"
    )
    assert str(tmp_path) not in answer.text
    assert chinese.status_code == 503 and chinese.json()["detail"].startswith("数据库无响应")


def test_alive_answers_the_version(client):
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "version": cbec.__version__}
