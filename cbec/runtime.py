"""Wiring: settings → engine, keys and vault, shared by the API server and the CLI."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from cbec.config import Settings, get_settings
from cbec.privacy.keystore import Secrets, load_secrets, make_vault
from cbec.privacy.vault import Vault
from cbec.store.db import make_engine, upgrade
from cbec.store.repository import UnitOfWork


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    secrets: Secrets
    vault: Vault

    def uow(self, write: bool = False) -> UnitOfWork:
        return UnitOfWork(self.engine, write=write)


def open_runtime(settings: Settings | None = None, migrate: bool = True) -> Runtime:
    settings = settings or get_settings()
    engine = make_engine(settings.resolved_database_url(), settings.sqlite_busy_timeout_ms)
    if migrate:
        upgrade(engine)
    secrets = load_secrets(settings)
    return Runtime(settings, engine, secrets, make_vault(secrets))
