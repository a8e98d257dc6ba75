"""Use cases of the operator: is this server ready for traffic, and the gauges a metrics
scrape reports about the data (ledger, imports, screening lists).

Readiness (``GET /readyz``) is a list of named checks, each ``ok`` or not with a short
detail, so a load balancer takes the server out of rotation and the operator reads *why*:

* ``database`` — a query answers;
* ``migrations`` — the database is at this release's newest Alembic revision (a server run
  against an older or newer schema would fail on its first write to a changed table);
* ``keys`` — this process's keys are the ones the data was written with (see
  :func:`check_keys`);
* ``integrator`` — ledger entries do not wait for integration longer than
  ``CBEC_READY_MAX_LAG_S`` (:mod:`cbec.ledger.lag`): a filing answered while the integrator is
  stalled cannot be proven until it catches up.

Liveness (``GET /healthz``) stays separate and answers as long as the process and its
database do: restarting a server because its integrator lags would not help.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pydantic import BaseModel, Field

from cbec.ledger.lag import Lag
from cbec.ledger.note import NoteError, open_checkpoint
from cbec.privacy.keystore import prints_in_use
from cbec.services.deployment_keys import key_problems
from cbec.store import ops_store
from cbec.store.deployment_key_store import DeploymentKeyStore
from cbec.store.group_commit import group_of
from cbec.store.repository import UnitOfWork
from cbec.trade.ports import now

# Draft states of the console import desk (cbec.services.import_desk) still waiting for an
# operator or running, and the bulk-import batch state of one still being written.
DRAFT_STATES = ("mapping", "ready", "importing")
BATCH_STATES = ("open",)


class Check(BaseModel):
    """One readiness check."""

    name: str = Field(description="`database`, `migrations`, `keys` or `integrator`")
    ok: bool
    detail: str = Field(description="What was found, in a few words (no personal data)")


class Readiness(BaseModel):
    """Every check, and whether all passed."""

    ok: bool
    checks: list[Check]


@dataclass(frozen=True)
class ReadinessRequest:
    max_lag_s: float  # CBEC_READY_MAX_LAG_S


def readiness(uow: UnitOfWork, req: ReadinessRequest) -> Readiness:
    """Run the checks; one that cannot run fails with the error's type (never its message,
    which could quote data). A database that does not answer fails every check after it."""
    names = ("migrations", "keys", "integrator")
    try:
        with uow:
            uow.conn.exec_driver_sql("SELECT 1")
            checks = [Check(name="database", ok=True, detail="answers")]
            for name, run in zip(
                names,
                (check_migrations, check_keys, lambda u: check_integrator(u, req.max_lag_s)),
                strict=True,
            ):
                try:
                    checks.append(run(uow))
                except Exception as exc:  # a check that cannot run fails; the others still run
                    reason = f"failed ({type(exc).__name__})"
                    checks.append(Check(name=name, ok=False, detail=reason))
    except Exception as exc:  # no connection: that is the answer, not a 500
        checks = [Check(name="database", ok=False, detail=f"unreachable ({type(exc).__name__})")]
        checks += [
            Check(name=n, ok=False, detail="not checked: the database is unreachable")
            for n in names
        ]
    return Readiness(ok=all(c.ok for c in checks), checks=checks)


def check_migrations(uow: UnitOfWork) -> Check:
    at, head = ops_store.schema_revision(uow.conn), ops_store.code_revision()
    if at == head:
        return Check(name="migrations", ok=True, detail=f"at head {head}")
    return Check(
        name="migrations", ok=False, detail=f"database at {at}, this release expects {head}"
    )


def check_keys(uow: UnitOfWork) -> Check:
    """Do this process's keys match the data? What can be verified without new records:
    the ledger's latest checkpoint verifies with this process's verifier key (a server
    started with another signer key would sign checkpoints no monitor accepts), and the
    newest person key (or document evidence salt) — a random value, not personal data — opens with
    the vault's data keys (a server started with other data keys could not read what it
    stored). The opened value is discarded. A record of key fingerprints in the database
    is compared first: every key the database records (and has not retired) must be this
    process's, as at start (:func:`cbec.services.deployment_keys.key_problems`) — a database
    whose recorded keys changed under a running server (a restore of another deployment's
    backup) shows here."""
    ledger, vault = uow.ledger, uow.base_vault  # the process's own keys, no person's
    found: list[str] = []
    recorded = DeploymentKeyStore(uow.conn).recorded()
    if recorded and vault is not None and ledger is not None:
        problems = key_problems(recorded, prints_in_use(vault, ledger.vkeys[0]))
        if problems:
            return Check(name="keys", ok=False, detail="; ".join(problems))
        found.append("recorded keys")
    reading = ops_store.ledger_reading(uow.conn)
    if ledger is not None and reading is not None and reading.checkpoint_note:
        try:
            open_checkpoint(reading.checkpoint_note, ledger.vkeys)
        except NoteError:
            return Check(
                name="keys", ok=False, detail="the latest checkpoint fails this verifier key"
            )
        found.append("ledger verifier key")
    sealed = ops_store.one_sealed_salt(uow.conn)
    if vault is not None and sealed is not None:
        kind, doc_id, path, token = sealed
        try:
            vault.open_value(kind, doc_id, path, token)
        except Exception:  # an unknown key id or a failed AEAD tag: not our data keys
            return Check(name="keys", ok=False, detail="stored data does not open with these keys")
        found.append("data keys")
    detail = " and ".join(found) + " match" if found else "no data yet"
    return Check(name="keys", ok=True, detail=detail)


def ledger_lag(uow: UnitOfWork, reading: ops_store.LedgerReading | None) -> Lag:
    """The integration lag, fed to the ledger's watch with this reading."""
    if reading is None or uow.ledger is None:
        return Lag(0, 0.0)
    return uow.ledger.watch.observe(reading.size, reading.integrated, now())


def check_integrator(uow: UnitOfWork, max_lag_s: float) -> Check:
    lag = ledger_lag(uow, ops_store.ledger_reading(uow.conn))
    detail = f"{lag.entries} entries waiting for {lag.seconds:.0f} s (limit {max_lag_s:g} s)"
    return Check(name="integrator", ok=lag.seconds <= max_lag_s, detail=detail)


@dataclass(frozen=True)
class Gauges:
    """What a metrics scrape reports about the data (Prometheus gauges)."""

    ledger_size: int = 0
    ledger_integrated: int = 0
    lag: Lag = field(default_factory=lambda: Lag(0, 0.0))
    checkpoint_age_s: float | None = None  # None: no checkpoint signed yet
    imports_waiting: dict[tuple[str, str], int] = field(default_factory=dict)  # (queue, state)
    list_age_s: dict[str, float] = field(default_factory=dict)  # shared screening lists


def gauges(uow: UnitOfWork) -> Gauges:
    """Read the gauges (a handful of cheap queries, :mod:`cbec.store.ops_store`)."""
    with uow:
        at = now()
        reading = ops_store.ledger_reading(uow.conn)
        waiting = {("batches", s): 0 for s in BATCH_STATES} | {
            ("drafts", s): 0 for s in DRAFT_STATES
        }
        for state, n in ops_store.batches_by_state(uow.conn, BATCH_STATES).items():
            waiting["batches", state] = n
        for state, n in ops_store.drafts_by_state(uow.conn, DRAFT_STATES).items():
            waiting["drafts", state] = n
        lists = ops_store.shared_lists_loaded(uow.conn)
        lag = ledger_lag(uow, reading)
    return Gauges(
        ledger_size=reading.size if reading else 0,
        ledger_integrated=reading.integrated if reading else 0,
        lag=lag,
        checkpoint_age_s=_age(at, reading.checkpoint_signed_at if reading else None),
        imports_waiting=waiting,
        list_age_s={name: _age(at, loaded) or 0.0 for name, loaded in lists.items()},
    )


def _age(at: datetime, then: datetime | None) -> float | None:
    return None if then is None else max(0.0, (at - then).total_seconds())


def write_groups(uow: UnitOfWork) -> tuple[int, int]:
    """How many group-commit transactions this process has committed and how many writers'
    works they held (:mod:`cbec.store.group_commit`; SQLite only, (0, 0) elsewhere): their
    ratio is the writes each fsync carried."""
    group = group_of(uow.engine)
    return (group.groups, group.works) if group is not None else (0, 0)
