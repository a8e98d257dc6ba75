"""Headers on every response (no caching, no sniffing, the Bearer challenge on 401), no
server banner, and the database and secrets files readable by their owner only."""

from __future__ import annotations

import stat
from typing import Any

import pytest
from sqlalchemy import text

from cbec.config import Settings
from cbec.store.db import make_engine
from tests.conftest import init_keys


@pytest.mark.parametrize("path", ["/orders", "/orders/nope", "/health", "/nowhere"])
def test_every_response_is_not_cached_nor_sniffed(client, parties, path):
    r = client.get(path, headers=parties["seller-a"].headers)
    assert r.headers["cache-control"] == "no-store"
    assert r.headers["x-content-type-options"] == "nosniff"


def test_401_carries_the_bearer_challenge(client):
    for headers in ({}, {"Authorization": "Bearer cbec_nope_nope"}):
        r = client.get("/orders", headers=headers)
        assert r.status_code == 401
        assert r.headers["www-authenticate"].startswith("Bearer")
        assert r.headers["cache-control"] == "no-store"


def test_other_answers_carry_no_challenge(client, parties):
    r = client.get("/orders", headers=parties["seller-a"].headers)
    assert r.status_code == 200
    assert "www-authenticate" not in r.headers


def test_serve_sends_no_server_banner(cli, monkeypatch):
    import uvicorn

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw))
    result = cli("serve", "--port", "8765", "--no-access-log")
    assert result.exit_code == 0, result.output
    assert seen["server_header"] is False


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_database_file_is_private(tmp_path):
    db = tmp_path / "fresh" / "cbec.db"
    engine = make_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
        conn.execute(text("INSERT INTO t VALUES (1)"))
    assert mode(db) == 0o600
    assert mode(db.with_name("cbec.db-wal")) == 0o600
    engine.dispose()


def test_the_keys_file_is_private(tmp_path):
    init_keys(Settings(data_dir=tmp_path / "data"))
    assert mode(tmp_path / "data" / "secrets.json") == 0o600
    assert mode(tmp_path / "data") == 0o700
