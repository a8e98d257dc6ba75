"""What the benchmark scripts share: CPU pinning, fresh databases, throw-away keys.

Each script measures one area (ingest, ledger, customs); they pin the same way and start
each scenario on an empty database (a new SQLite file, or a PostgreSQL schema dropped and
recreated), so their numbers are comparable.
"""

from __future__ import annotations

import base64
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from cbec.config import Settings
from cbec.ledger.note import generate_signer_key
from cbec.store.db import make_engine

DATA_KEYS = "b1=" + base64.b64encode(secrets.token_bytes(32)).decode()
HMAC_KEY = base64.b64encode(secrets.token_bytes(32)).decode()
# The ledger's note signer key, made once per run like the others (a process never makes
# keys by itself: cbec.privacy.keyprovider).
LEDGER_SKEY = generate_signer_key("cbec.local/ledger")[0]


class Cpus:
    """``--one-core``: which CPU the measured work runs on, and where the HTTP client goes."""

    def __init__(self, one_core: bool) -> None:
        self.enabled = one_core and hasattr(os, "sched_setaffinity")
        self.original = set(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else set()
        self.core = 0 if 0 in self.original or not self.original else min(self.original)

    def pin(self) -> None:
        if self.enabled:
            os.sched_setaffinity(0, {self.core})

    def for_client(self) -> None:
        """The HTTP client: on the other CPUs when there are any, so the server has its own."""
        if self.enabled:
            others = self.original - {self.core}
            os.sched_setaffinity(0, others or self.original)

    def describe(self) -> str:
        if not self.enabled:
            return f"not pinned ({len(self.original)} CPUs allowed; pass --one-core to pin)"
        return f"pinned to CPU {self.core} (of {sorted(self.original)})"


@dataclass
class Database:
    """A place to run one scenario on an empty database."""

    label: str
    url: str | None  # PostgreSQL URL; None for SQLite (a new file per scenario)
    root: Path

    def fresh(self, name: str) -> str:
        if self.url is None:
            path = self.root / f"sqlite-{name}" / "cbec.db"
            path.parent.mkdir(parents=True)
            return f"sqlite:///{path}"
        reset_postgres(self.url)
        return self.url


def reset_postgres(url: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


def databases(tmp: Path, postgres: str | None) -> list[Database]:
    """SQLite under ``tmp``, and PostgreSQL too when ``--postgres`` named a database; each
    with its own folder made."""
    dbs = [Database("SQLite", None, tmp / "sqlite")]
    if postgres:
        dbs.append(Database("PostgreSQL", postgres_url(postgres), tmp / "pg"))
    for db in dbs:
        db.root.mkdir(parents=True, exist_ok=True)
    return dbs


def postgres_url(url: str) -> str:
    """SQLAlchemy URL with the psycopg 3 driver (``postgresql://`` would pick psycopg2)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise SystemExit(f"--postgres: not a PostgreSQL URL: {url}")
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def settings_for(url: str, data_dir: Path) -> Settings:
    return Settings(
        data_dir=data_dir,
        database_url=url,
        data_keys=DATA_KEYS,
        hmac_key=HMAC_KEY,
        ledger_signer_key=LEDGER_SKEY,
    )
