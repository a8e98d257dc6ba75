"""Wiring: settings → engine, keys and vault, shared by the API server and the CLI.

The keys are checked against the ones the database records before anything else runs
(:func:`cbec.services.deployment_keys.ensure_keys`): a process with other keys stops with
:class:`~cbec.errors.KeysMismatch` instead of writing what the deployment cannot read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from cbec.config import Settings, get_settings
from cbec.ledger.log import CheckpointPolicy
from cbec.ledger.merkle import HASHERS
from cbec.privacy.keystore import Secrets, make_vault
from cbec.privacy.vault import Vault
from cbec.store.db import make_engine, upgrade
from cbec.store.ledger_service import Ledger
from cbec.store.person_key_store import EnginePersonKeys
from cbec.store.repository import UnitOfWork
from cbec.yielding import short_switches


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


def open_runtime(
    settings: Settings | None = None, migrate: bool = True, init_keys: bool = False
) -> Runtime:
    """The runtime over the configured database, its keys checked against the database's.

    ``init_keys`` (``cbec demo``, so ``make run``): make the keys file first when the
    process has no keys and the database is new and empty. Raises
    :class:`~cbec.errors.KeysMismatch` when the keys are missing or not the database's."""
    from cbec.services import deployment_keys as keys

    settings = settings or get_settings()
    short_switches()  # threads that block briefly are not held by CPU-bound ones (yielding.py)
    engine = make_engine(settings.resolved_database_url(), settings.sqlite_busy_timeout_ms)
    if migrate:
        upgrade(engine)
    try:
        if init_keys:
            keys.init_keys_for_new_database(UnitOfWork(engine), settings)
        check = keys.ensure_keys(UnitOfWork(engine), keys.resolve_keys(settings))
    except BaseException:
        engine.dispose()
        raise
    secrets = check.secrets
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
        retired_vkeys=check.retired_vkeys,
    )
    if migrate:
        ledger.ensure()
    vault = make_vault(secrets)
    vault.persons = EnginePersonKeys(engine, vault)  # units of work read through their own
    return Runtime(settings, engine, secrets, vault, ledger)
