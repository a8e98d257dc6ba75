"""Every migration steps down and up again, a failed upgrade changes nothing, and cbec
refuses a schema newer than it knows.

The stairway: from an empty database, each revision in turn is upgraded to, downgraded one
step and upgraded again; the schema after the downgrade must be the one before the upgrade,
and after the second upgrade the one after the first (both read back from the database).
A migration that cannot be undone says so with ``irreversible = True`` (its downgrade
raises, and the README's *Upgrades* says to restore the backup taken before upgrading); the
test holds every migration to one or the other.
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text
from typer.testing import CliRunner

from cbec.cli.main import app
from cbec.config import Settings
from cbec.errors import SchemaTooNew
from cbec.runtime import open_runtime
from cbec.store import db
from cbec.store.db import MIGRATIONS, alembic_config, make_engine
from cbec.store.tables import tenants
from tests.conftest import TEST_HMAC, TEST_KEYS, cbec_env
from tests.databases import empty_database, migrate
from tests.serverproc import CBEC, free_port, settings_env

FUTURE = "9999_from_a_newer_release"


def revisions() -> list[Any]:
    """This program's revisions, oldest first (whatever files are in the script directory)."""
    return list(reversed(list(ScriptDirectory.from_config(alembic_config()).walk_revisions())))


def schema(engine: Engine) -> dict[str, Any]:
    """The schema as the database describes it: tables, columns, keys, indexes (Alembic's
    own table aside: it outlives a downgrade to the base). Read with the inspector's batched
    calls, a few queries for all tables on PostgreSQL."""
    insp = inspect(engine)
    columns = insp.get_multi_columns()
    pks = insp.get_multi_pk_constraint()
    fks = insp.get_multi_foreign_keys()
    indexes = insp.get_multi_indexes()
    uniques = insp.get_multi_unique_constraints()
    out: dict[str, Any] = {}
    for key in sorted(columns, key=lambda k: k[1]):
        if key[1] == "alembic_version":
            continue
        out[key[1]] = {
            "columns": [(c["name"], str(c["type"]), c["nullable"]) for c in columns[key]],
            "pk": pks[key]["constrained_columns"],
            "fks": sorted(
                (tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]))
                for f in fks[key]
            ),
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in indexes[key]
            ),
            "uniques": sorted(tuple(u["column_names"]) for u in uniques[key]),
        }
    return out


def test_the_history_is_one_line_from_base_to_head():
    """The stairway (and ``cbec`` upgrading to "head") needs one head and no merge points."""
    revs = revisions()
    assert revs and revs[0].down_revision is None
    for before, rev in itertools.pairwise(revs):
        assert rev.down_revision == before.revision, f"{rev.revision} does not follow {before}"


def test_the_heads_read_from_the_files_are_alembics():
    """The start's check (:func:`cbec.store.db.at_head`) reads the head revision from the
    migration files' own lines; Alembic, reading the same files, names the same."""
    script = ScriptDirectory.from_config(alembic_config())
    assert db.script_heads() == frozenset(script.get_heads())


def test_a_start_at_the_head_runs_without_alembic(tmp_path: Path, settings: Settings):
    """A database at the head is opened with one SELECT: no Alembic import (a third of a
    CLI command's start); one behind it is upgraded (through Alembic, as before)."""
    with empty_database(tmp_path, "at_head") as url:
        engine = make_engine(url)
        try:
            previous = revisions()[-2].revision
            migrate(engine, previous)
            assert not db.at_head(engine)
            settings = settings.model_copy(
                update={"data_dir": tmp_path / "data", "database_url": url}
            )
            probe = (
                "import sys; from cbec.config import get_settings; "
                "from cbec.runtime import open_runtime; open_runtime(get_settings()); "
                "print('alembic' in sys.modules)"
            )
            env = settings_env(settings)
            runs = [
                subprocess.run(
                    [sys.executable, "-c", probe],
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=120,
                )
                for _ in range(2)
            ]
            assert [r.stdout.strip() for r in runs] == ["True", "False"], [
                r.stderr[-600:] for r in runs
            ]
            assert db.at_head(engine)
            assert _revision_and_tables(url)[0] == [revisions()[-1].revision]
        finally:
            engine.dispose()


def test_every_migration_steps_down_and_up_again(tmp_path: Path):
    with empty_database(tmp_path, "stairway") as url:
        engine = make_engine(url)
        try:
            before = schema(engine)
            assert before == {}
            for rev in revisions():
                down = rev.down_revision or "base"
                migrate(engine, rev.revision)
                after = schema(engine)
                assert after != before, f"{rev.revision} changes nothing the schema shows"
                if getattr(rev.module, "irreversible", False):
                    with pytest.raises(NotImplementedError):
                        migrate(engine, down, down=True)
                    engine.dispose()  # a failed downgrade on SQLite: start from a clean pool
                    assert schema(engine) == after, f"{rev.revision}: failed downgrade changed it"
                else:
                    migrate(engine, down, down=True)
                    assert schema(engine) == before, f"{rev.revision} does not downgrade cleanly"
                    migrate(engine, rev.revision)
                    assert schema(engine) == after, f"{rev.revision} upgrades differently again"
                before = after
        finally:
            engine.dispose()


HALF_WAY = """
import sqlalchemy as sa
from alembic import op

revision = "9998_fails_half_way"
down_revision = "{head}"


def upgrade() -> None:
    op.create_table("half_way", sa.Column("id", sa.Integer, primary_key=True))
    with op.batch_alter_table("documents") as batch:  # on SQLite: the table rebuilt
        batch.add_column(sa.Column("half_way", sa.Text(), nullable=True))
    op.execute("INSERT INTO half_way (id) VALUES (1)")
    raise RuntimeError("the migration fails half-way")


def downgrade() -> None:
    raise NotImplementedError
"""


def test_an_upgrade_that_fails_half_way_leaves_the_database_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """What the README's *Upgrades* promises: the migrations of one start run in one
    transaction, so a failure leaves the schema, its revision and the rows of the release
    before — on SQLite (whose schema changes are transactional too) as on PostgreSQL."""
    head, at = revisions()[-1].revision, datetime.now(UTC)
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9998_fails_half_way.py").write_text(HALF_WAY.format(head=head))
    with empty_database(tmp_path, "half_way") as url:
        engine = make_engine(url)
        try:
            migrate(engine, "head")
            with engine.begin() as conn:
                conn.execute(tenants.insert().values(name="t", role="seller", created_at=at))
            before = schema(engine)
            monkeypatch.setattr(db, "MIGRATIONS", scripts)  # this program plus the new one
            with pytest.raises(RuntimeError, match="half-way"):
                db.upgrade(engine)  # what every start runs
            engine.dispose()
            assert schema(engine) == before
            assert _revision_and_tables(url)[0] == [head]
            with engine.connect() as conn:
                assert conn.execute(text("SELECT name FROM tenants")).scalars().all() == ["t"]
        finally:
            engine.dispose()


def _stamp_from_the_future(url: str) -> None:
    """What a newer release leaves: its revision in Alembic's table (the tables beside it
    do not matter — cbec must not get as far as looking at them)."""
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
            conn.execute(text("INSERT INTO alembic_version VALUES (:v)"), {"v": FUTURE})
    finally:
        engine.dispose()


def _revision_and_tables(url: str) -> tuple[list[str], list[str]]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            at = [r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))]
        return at, sorted(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_a_schema_newer_than_this_program_is_refused_not_upgraded(tmp_path: Path):
    head = revisions()[-1].revision
    with empty_database(tmp_path, "future") as url:
        _stamp_from_the_future(url)
        untouched = _revision_and_tables(url)
        settings = Settings(
            data_dir=tmp_path / "data", database_url=url, data_keys=TEST_KEYS, hmac_key=TEST_HMAC
        )
        with pytest.raises(SchemaTooNew) as raised:
            open_runtime(settings)
        message = str(raised.value)
        assert FUTURE in message and head in message and "restore the backup" in message

        # the server: one line on standard error, exit status 2, no traceback
        env = {**settings_env(settings), "COLUMNS": "60", "LANG": "en_US.UTF-8"}
        env.pop("CBEC_LANG", None)
        done = subprocess.run(
            [CBEC, "serve", "--port", str(free_port())],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 2, done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, done.stderr  # not wrapped at 60 columns either
        assert lines[0].startswith("error: ") and FUTURE in lines[0] and head in lines[0]
        assert "Traceback" not in done.stderr

        # any other command, in Chinese when asked
        with pytest.MonkeyPatch.context() as mp:
            for name, value in cbec_env(settings).items():
                mp.setenv(name, value)
            mp.setenv("CBEC_LANG", "zh")
            result = CliRunner().invoke(app, ["ledger", "fsck"])
        assert result.exit_code == 2
        assert FUTURE in result.stderr and "恢复升级前所做的备份" in result.stderr

        # nothing was migrated: the revision and the tables are as the newer release left them
        assert untouched == ([FUTURE], ["alembic_version"])
        assert _revision_and_tables(url) == untouched
