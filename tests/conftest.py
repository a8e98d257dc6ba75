"""Shared fixtures. The suite runs on SQLite by default and on PostgreSQL when
``CBEC_DATABASE_URL`` points to one (as ``.ci/run`` does for its second pass).

Test data: ``DATA`` (``tests/data``) ships with the repository — small, licensed files, each
described in ``tests/data/README.md``. ``SHARED`` is the folder ``shared`` beside the
repository with the larger sets (the full Online Retail file, CDNOW_master, the OpenSanctions
demo lists); CI has it, a clone does not. A test that reads it is marked
``@pytest.mark.needs_shared`` (or ``needs_shared`` from here) and is skipped, with the reason,
when the folder is absent."""

from __future__ import annotations

import base64
import os
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import Result
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import make_url

from cbec.api.app import create_app
from cbec.config import Settings
from cbec.demo import synthetic
from cbec.runtime import Runtime, open_runtime
from cbec.store.db import make_engine
from cbec.store.tables import metadata
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import Role
from cbec.tenancy.service import create_tenant

# The suite's data key: AES-256-GCM, or SM4-GCM when the run sets CBEC_FIELD_CIPHER=sm4-gcm
# (the keys tests make, as `cbec admin keys init` does, follow CBEC_FIELD_CIPHER, else the
# data region's cipher: SM4-GCM by default) — so a run with each setting covers each cipher.
TEST_CIPHER = os.environ.get("CBEC_FIELD_CIPHER") or "aes-256-gcm"
TEST_KEYS = "t1=" + base64.b64encode(bytes(range(16 if TEST_CIPHER == "sm4-gcm" else 32))).decode()
TEST_HMAC = base64.b64encode(b"h" * 32).decode()
TEST_LEDGER_SKEY = (
    "PRIVATE+KEY+cbec.local/ledger+916fb5d7+AaOoMHO4ILKNYvL0xRGPi3Ut0xAlW3FXHJ2vP1XqvoNA"
)
# Where the demo's year ends in tests that look at its sample (a first load anchors the year
# at now; a named moment makes the sample the same on every day the suite runs).
DEMO_ANCHOR = datetime(2026, 11, 29, 23, 10, tzinfo=UTC)

KEY_VARS = (
    "CBEC_DATA_KEYS",
    "CBEC_ACTIVE_KEY_ID",
    "CBEC_HMAC_KEY",
    "CBEC_LEDGER_SIGNER_KEY",
    "CBEC_HMAC_KEY_NEXT",
    "CBEC_LEDGER_SIGNER_KEY_NEXT",
    "CBEC_KEYS_FILE",
    "CBEC_KEY_PROVIDER",
)
"""The environment variables that carry or point to a process's keys (a test that starts a
process with keys of its own clears them)."""

TEST_KEY_SETTINGS = {
    "data_keys": TEST_KEYS,
    "hmac_key": TEST_HMAC,
    "ledger_signer_key": TEST_LEDGER_SKEY,
}
"""The suite's deployment keys, as ``Settings(**TEST_KEY_SETTINGS)``: a process never makes
keys by itself (cbec.privacy.keyprovider), so every runtime a test opens is given these, or
keys from :func:`init_keys`."""
PG_URL = os.environ.get("CBEC_DATABASE_URL", "")
ON_POSTGRES = PG_URL.startswith("postgresql")

DATA = Path(__file__).resolve().parent / "data"
SHARED = Path(__file__).resolve().parents[2] / "shared"
SHARED_ABSENT = f"../shared absent: {SHARED} not found (full data sets; CI provides them)"
needs_shared = pytest.mark.needs_shared


SHARD = os.environ.get("CBEC_TEST_SHARD", "")
"""Set by ``.ci/run`` only, which runs the suite twice side by side — on SQLite
(``sqlite``) and on PostgreSQL (``postgresql``) — on a 2-core machine: each test that can
tell the databases apart runs in both, and each that cannot runs once. The browser tests
run once (their server-side pages are tested on both by the page tests): those in Chinese
in the SQLite pass, those in English in the PostgreSQL pass, those in neither alternately;
the tests that touch no database at all — no database fixture, and no module naming
``CBEC_DATABASE_URL``, ``PG_URL`` or ``ON_POSTGRES`` or starting a cbec process — run in
the SQLite pass. ``make test`` (no shard) runs everything."""

# what makes a test depend on the database it runs on, besides its fixtures
_DATABASE_WORDS = (
    "PG_URL",
    "ON_POSTGRES",
    "CBEC_DATABASE_URL",
    "database_url",
    "open_runtime",
    "serverproc",
    "subprocess",
    "cbec_env",
    "reset_postgres",
    "make_engine",
    "Settings(",
)


def _module_names_database(item: pytest.Item, seen: dict[Path, bool]) -> bool:
    path = Path(str(item.fspath))
    if path not in seen:
        text = path.read_text(encoding="utf-8")
        seen[path] = any(word in text for word in _DATABASE_WORDS)
    return seen[path]


def _drives_browser(item: pytest.Item) -> bool:
    from tests.console.browser import NO_BROWSER

    return any(
        m.name == "skipif" and m.kwargs.get("reason") == NO_BROWSER for m in item.iter_markers()
    )


def _browser_passes(items: list[pytest.Item]) -> dict[pytest.Item, str]:
    """The CI pass each browser test runs in: one run in a language, in Chinese in the SQLite
    pass and in English in the PostgreSQL pass; those in no language alternate between the
    two in the order of their ids (they had all gone to the PostgreSQL pass, ≈ 3 minutes
    more browser time than the SQLite pass's, which made it the longer of the two)."""
    passes: dict[pytest.Item, str] = {}
    unlabelled = []
    for item in items:
        if not _drives_browser(item):
            continue
        label = getattr(getattr(item, "callspec", None), "id", "")
        if "zh" in label:
            passes[item] = "sqlite"
        elif "en" in label:
            passes[item] = "postgresql"
        else:
            unlabelled.append(item)
    for i, item in enumerate(sorted(unlabelled, key=lambda it: it.nodeid)):
        passes[item] = ("sqlite", "postgresql")[i % 2]
    return passes


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the tests marked ``needs_shared`` when ``SHARED`` is not there, and in a CI
    shard (:data:`SHARD`) the tests the other pass runs."""
    if not SHARED.is_dir():
        skip = pytest.mark.skipif(True, reason=SHARED_ABSENT)
        for item in items:
            if item.get_closest_marker("needs_shared"):
                item.add_marker(skip)
    if SHARD not in ("sqlite", "postgresql"):
        return
    seen: dict[Path, bool] = {}
    for item, runs_in in _browser_passes(items).items():
        if runs_in != SHARD:
            other = "SQLite" if runs_in == "sqlite" else "PostgreSQL"
            item.add_marker(
                pytest.mark.skip(reason=f"CI: this browser test runs in the {other} pass")
            )
    for item in items:
        independent = (
            not _drives_browser(item)
            and "database_url" not in getattr(item, "fixturenames", ())
            and not _module_names_database(item, seen)
        )
        if SHARD == "postgresql" and independent:
            item.add_marker(
                pytest.mark.skip(reason="CI: touches no database; runs in the SQLite pass")
            )


ROSTER = [
    ("seller-a", Role.SELLER),
    ("seller-b", Role.SELLER),
    ("platform-a", Role.PLATFORM),
    ("platform-b", Role.PLATFORM),
    ("pay-a", Role.PAYMENT),
    ("ship-a", Role.LOGISTICS),
    ("regulator", Role.REGULATOR),
]


def reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    if ON_POSTGRES:
        reset_postgres(PG_URL)
        return PG_URL
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'cbec.db'}"


def init_keys(settings: Settings) -> Settings:
    """The one place tests make new keys: as ``cbec admin keys init`` does, into the keys
    file of ``settings`` (its data folder's ``secrets.json``), which must not exist yet."""
    from cbec.privacy.keyprovider import generate, keys_file, write_keys_file

    write_keys_file(keys_file(settings), generate(settings))
    return settings


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        data_dir=tmp_path_factory.mktemp("data"),
        database_url=database_url,
        **TEST_KEY_SETTINGS,
        # The suite's tenants send many requests at once and in a row; the limits have their
        # own tests (tests/system/test_limits.py), with apps of their own.
        rate_limit="",
        max_concurrent_requests=0,
        # The suite's webhook receivers listen on 127.0.0.1; the block on private addresses
        # has its own tests (tests/webhooks/test_private_targets.py) with settings of its own.
        webhooks_private_targets=True,
        # `cbec demo` without --size files the small demo (about 900 orders, a year of each
        # kind) in the suite: the tests that run it (the README's blocks among them) look at
        # what any size has; the sizes' own counts are tested in tests/analytics.
        demo_size="small",
    )


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashes() -> Iterator[None]:
    """Argon2id with its smallest parameters (1 pass over 8 KiB) for the passwords the suite
    hashes and verifies in-process: RFC 9106's low-memory profile takes a fifth of a second
    of CPU per hash, and the console's tests sign in hundreds of times. The production
    parameters are held by the tests that use :func:`production_passwords` and by every
    server and command the suite starts as a process of its own."""
    from argon2 import PasswordHasher, Type

    from cbec.accounts import passwords

    real = passwords.HASHER
    passwords.HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.ID)
    yield
    passwords.HASHER = real


@pytest.fixture
def production_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Passwords hashed in-process with the production parameters
    (:data:`cbec.accounts.passwords.PROFILE`)."""
    from argon2 import PasswordHasher

    from cbec.accounts import passwords

    monkeypatch.setattr(passwords, "HASHER", PasswordHasher.from_parameters(passwords.PROFILE))


@pytest.fixture(scope="session")
def session_rt(settings: Settings) -> Runtime:
    return open_runtime(settings)


def emptied(session_rt: Runtime) -> Runtime:
    """``session_rt`` over an emptied database (all rows deleted, schema kept), which records
    the suite's keys again as a new database does. The engine's caches are dropped with the
    rows: ids, keys and rule stamps come back with other rows behind them."""
    from cbec.privacy.keyprovider import resolve
    from cbec.services.deployment_keys import ensure_keys
    from cbec.store.caches import forget
    from cbec.store.repository import UnitOfWork

    with session_rt.engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())
    forget(session_rt.engine)
    ensure_keys(UnitOfWork(session_rt.engine), resolve(session_rt.settings))
    session_rt.ledger.ensure()
    return session_rt


@pytest.fixture
def rt(session_rt: Runtime) -> Iterator[Runtime]:
    """A runtime over an emptied database (:func:`emptied`)."""
    yield emptied(session_rt)


@dataclass
class Party:
    viewer: Viewer
    key: str

    @property
    def name(self) -> str:
        return self.viewer.name

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


@pytest.fixture
def parties(rt: Runtime) -> dict[str, Party]:
    out = {}
    with rt.uow(write=True) as uow:
        for name, role in ROSTER:
            tenant, key = create_tenant(uow.repo, name, role)
            out[name] = Party(Viewer(tenant.id, name, role), key)
        uow.commit()
    return out


@pytest.fixture
def client(rt: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(rt)) as c:
        yield c


def cbec_env(settings: Settings) -> dict[str, str]:
    """The environment variables that point a ``cbec`` command or server at ``settings``."""
    env = {
        "CBEC_DATABASE_URL": settings.resolved_database_url(),
        "CBEC_DATA_DIR": str(settings.data_dir),
        "CBEC_DATA_KEYS": settings.data_keys,
        "CBEC_HMAC_KEY": settings.hmac_key,
        "CBEC_LEDGER_SIGNER_KEY": settings.ledger_signer_key,
        "CBEC_RATE_LIMIT": settings.rate_limit,
        "CBEC_MAX_CONCURRENT_REQUESTS": str(settings.max_concurrent_requests),
        "CBEC_WEBHOOKS_PRIVATE_TARGETS": str(settings.webhooks_private_targets).lower(),
        "CBEC_DEMO_SIZE": settings.demo_size,
    }
    return {name: value for name, value in env.items() if value is not None}


@pytest.fixture
def cli(rt: Runtime, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """``cbec`` run in-process on the test database, as from a shell whose environment names
    it (and asks for English messages): ``cli("ledger", "key").stdout``; ``input=`` is fed to
    standard input."""
    from typer.testing import CliRunner

    from cbec.cli.main import app

    for name, value in cbec_env(rt.settings).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("CBEC_LANG", raising=False)
    runner = CliRunner()

    def run(*args: object, input: str | bytes | None = None) -> Result:
        return runner.invoke(app, [str(a) for a in args], input=input)

    return run


@pytest.fixture
def rng() -> random.Random:
    return random.Random(7)


def make_order(rng: random.Random, n: int, platform: str = "platform-a", seller: str = "seller-a"):
    return synthetic.order(rng, platform, seller, f"ORD{n:06d}")


def file_bytes(path: Path) -> bytes:
    """``path``'s bytes, read by another process. A file SQLite has open must not be opened and
    closed by this one: closing any descriptor of a file drops every POSIX lock the process
    holds on it (SQLite's connections' included), and another process then takes itself for
    the last connection and deletes the WAL under them ("disk I/O error" from then on)."""
    import subprocess
    import sys

    code = "import sys; sys.stdout.buffer.write(open(sys.argv[1], 'rb').read())"
    return subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, check=True
    ).stdout


def write_file_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` from another process (see :func:`file_bytes`)."""
    import subprocess
    import sys

    code = "import sys; open(sys.argv[1], 'wb').write(sys.stdin.buffer.read())"
    subprocess.run([sys.executable, "-c", code, str(path)], input=data, check=True)


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    return Path(parsed.database) if parsed.get_backend_name() == "sqlite" else None


class HandClock:
    """A monotonic clock moved by hand (``advance``), for the caches that expire."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def key_clock(rt: Runtime) -> HandClock:
    """The clock of the engine's API key cache (:class:`cbec.store.caches.KeyCache`): a key
    changed by another process is honoured until ``key_clock.advance(KEY_TTL_S)``."""
    from cbec.store.caches import caches_of

    clock = HandClock()
    caches_of(rt.engine).keys.clock = clock
    return clock
