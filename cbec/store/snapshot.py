"""A database's rows as plain JSON data, and back: the release fixtures' format
(``tools/release_fixture.py`` writes one per release; ``tests/system/test_upgrades.py``
loads each into a database at its revision and upgrades it).

Dialect-neutral on purpose: a fixture made on SQLite loads into PostgreSQL. Tables and
columns are read from the database itself (reflection), not from :mod:`cbec.store.tables`,
because a fixture's schema is its release's, not this program's. Each column carries a type
tag — bytes as base64, timestamps as ISO 8601 in UTC, booleans as JSON booleans — and rows
are in primary-key order, so the same rows give the same file.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    Connection,
    Date,
    DateTime,
    Engine,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    Table,
    func,
    select,
    text,
)
from sqlalchemy.types import TypeEngine

from cbec.store.caches import forget

FORMAT = 1
SKIPPED = {"alembic_version"}  # the revision is kept beside the rows, not as one
CHUNK = 1000


def _tag(type_: TypeEngine[Any]) -> str:
    if isinstance(type_, LargeBinary):
        return "bytes"
    if isinstance(type_, DateTime):
        return "datetime"
    if isinstance(type_, Date):
        return "date"
    if isinstance(type_, Boolean):
        return "bool"
    if isinstance(type_, Numeric) and not isinstance(type_, Integer):
        return "decimal"
    return "plain"


def _out(value: Any, tag: str) -> Any:
    if value is None:
        return None
    if tag == "bytes":
        return base64.b64encode(value).decode("ascii")
    if tag == "datetime":  # SQLite keeps UTC without a zone; PostgreSQL gives it with one
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat()
    if tag == "date":
        return value.isoformat()
    if tag == "decimal":
        return str(value)
    if tag == "bool":
        return bool(value)
    return value


def _in(value: Any, tag: str, sqlite: bool) -> Any:
    if value is None:
        return None
    if tag == "bytes":
        return base64.b64decode(value)
    if tag == "datetime":
        moment = datetime.fromisoformat(value).astimezone(UTC)
        return moment.replace(tzinfo=None) if sqlite else moment
    if tag == "date":
        return date.fromisoformat(value)
    if tag == "decimal":
        return Decimal(value)
    return value


def _reflect(conn: Connection) -> MetaData:
    md = MetaData()
    md.reflect(conn)
    return md


def revision_of(conn: Connection) -> str | None:
    """The database's Alembic revision (None: an empty database)."""
    from alembic.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def _rows(conn: Connection, table: Table, tags: list[str]) -> Iterator[list[Any]]:
    order = list(table.primary_key.columns) or list(table.columns)
    for row in conn.execute(select(table).order_by(*order)):
        yield [_out(v, t) for v, t in zip(row, tags, strict=True)]


def dump(engine: Engine) -> dict[str, Any]:
    """Every row of every table (but Alembic's) with the schema revision they belong to."""
    with engine.connect() as conn:
        md = _reflect(conn)
        tables: dict[str, Any] = {}
        for name in sorted(md.tables):
            if name in SKIPPED:
                continue
            table = md.tables[name]
            tags = [_tag(c.type) for c in table.columns]
            tables[name] = {
                "columns": [c.name for c in table.columns],
                "types": tags,
                "rows": list(_rows(conn, table, tags)),
            }
        return {"format": FORMAT, "revision": revision_of(conn), "tables": tables}


def restore(engine: Engine, snapshot: dict[str, Any]) -> None:
    """Insert a snapshot's rows into a database whose schema is at the snapshot's revision
    and holds no rows, in one transaction; on PostgreSQL the id sequences then continue
    after the largest id, so new rows get new ids."""
    if snapshot.get("format") != FORMAT:
        raise ValueError(f"snapshot format {snapshot.get('format')!r}, expected {FORMAT}")
    with engine.begin() as conn:
        at = revision_of(conn)
        if at != snapshot["revision"]:
            raise ValueError(f"database at revision {at}, snapshot at {snapshot['revision']}")
        md = _reflect(conn)
        unknown = set(snapshot["tables"]) - set(md.tables)
        if unknown:
            raise ValueError(f"tables not in the schema at {at}: {sorted(unknown)}")
        sqlite = conn.dialect.name == "sqlite"
        for table in md.sorted_tables:  # parents before the rows that refer to them
            data = snapshot["tables"].get(table.name)
            if not data or not data["rows"]:
                continue
            cols, tags = data["columns"], data["types"]
            rows = [
                {c: _in(v, t, sqlite) for c, v, t in zip(cols, row, tags, strict=True)}
                for row in data["rows"]
            ]
            for start in range(0, len(rows), CHUNK):
                conn.execute(table.insert(), rows[start : start + CHUNK])
        if conn.dialect.name == "postgresql":
            _continue_sequences(conn, md)
    forget(engine)  # what the engine cached of the database before is not in it now


def _continue_sequences(conn: Connection, md: MetaData) -> None:
    """Rows inserted with their ids leave a serial column's sequence at its start."""
    for table in md.tables.values():
        for column in table.primary_key.columns:
            seq = conn.execute(
                text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": column.name}
            ).scalar()
            if seq is None:
                continue
            top = conn.execute(select(func.max(column))).scalar()
            if top is not None:
                conn.execute(text("SELECT setval(:s, :v)"), {"s": seq, "v": top})


def counts(engine: Engine) -> dict[str, int]:
    """Rows per table (but Alembic's), read from the database."""
    with engine.connect() as conn:
        md = _reflect(conn)
        return {
            name: conn.execute(select(func.count()).select_from(md.tables[name])).scalar_one()
            for name in sorted(md.tables)
            if name not in SKIPPED
        }
