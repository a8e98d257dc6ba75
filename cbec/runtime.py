"""Wiring: settings → engine, keys and vault, shared by the API server and the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from cbec.config import Settings, get_settings
from cbec.ledger.log import CheckpointPolicy
from cbec.ledger.merkle import HASHERS
from cbec.privacy.keystore import Secrets, load_secrets, make_vault
from cbec.privacy.vault import Vault
from cbec.store.db import make_engine, upgrade
from cbec.store.ledger_service import Ledger
from cbec.store.repository import UnitOfWork


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    secrets: Secrets
    vault: Vault
    ledger: Ledger

    def uow(self, write: bool = False) -> UnitOfWork:
        return UnitOfWork(
            self.engine,
            write=write,
            ledger_hasher=self.ledger.hasher,
            vault=self.vault,
            ledger=self.ledger,
            settings=self.settings,
        )

    def order_checks(self, uow: UnitOfWork) -> Any:
        """The checks (compliance, screening) filings run on new orders inside ``uow``."""
        from cbec.services.checks import OrderChecks  # screening loads on first use

        return OrderChecks(uow)


def open_runtime(settings: Settings | None = None, migrate: bool = True) -> Runtime:
    settings = settings or get_settings()
    engine = make_engine(settings.resolved_database_url(), settings.sqlite_busy_timeout_ms)
    if migrate:
        upgrade(engine)
    secrets = load_secrets(settings)
    if settings.ledger_hash not in HASHERS:
        raise ValueError(f"CBEC_LEDGER_HASH must be one of {sorted(HASHERS)}")
    ledger = Ledger(
        engine,
        HASHERS[settings.ledger_hash],
        settings.ledger_origin,
        secrets.ledger_skey,
        CheckpointPolicy(
            settings.ledger_checkpoint_interval_ms, settings.ledger_checkpoint_max_entries
        ),
    )
    if migrate:
        ledger.ensure()
    return Runtime(settings, engine, secrets, make_vault(secrets), ledger)
