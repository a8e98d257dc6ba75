"""Counting the SQL statements a piece of work sends: every statement the engine's
connections execute (SQLAlchemy's ``before_cursor_execute`` event), each reduced to its
shape — the verb and the table it reads or writes — so a count per shape reads as "one
ledger-state update, two document reads"."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event

from cbec.store.kept_readers import readers_of

_TABLE = {
    "SELECT": re.compile(r"\bFROM\s+(\w+)", re.I),
    "INSERT": re.compile(r"^INSERT\s+INTO\s+(\w+)", re.I),
    "UPDATE": re.compile(r"^UPDATE\s+(\w+)", re.I),
    "DELETE": re.compile(r"^DELETE\s+FROM\s+(\w+)", re.I),
}


def shape(sql: str) -> str:
    """``SELECT documents``, ``UPDATE ledger_state``, ``BEGIN``: a statement's verb and the
    first table it names (a SELECT's first FROM; an aggregate over a table counts as it)."""
    text = " ".join(sql.split())
    verb = text.split(" ", 1)[0].upper()
    found = _TABLE.get(verb)
    match = found.search(text) if found else None
    return f"{verb} {match.group(1)}" if match else verb


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """The statements ``engine`` executes inside the block, in order (SQL text)."""
    seen: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append(statement)

    with _listening(engine, "before_cursor_execute", note):
        yield seen


@contextmanager
def executions(engine: Engine) -> Iterator[list[tuple[str, object]]]:
    """The statements ``engine`` executes inside the block with their parameters, in order
    (to run one again, under ``EXPLAIN`` for instance)."""
    seen: list[tuple[str, object]] = []

    def note(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append((statement, parameters))

    with _listening(engine, "before_cursor_execute", note):
        yield seen


@contextmanager
def _listening(engine: Engine, name: str, listener) -> Iterator[None]:
    """``listener`` on ``engine``'s event ``name`` for the block only."""
    event.listen(engine, name, listener)
    try:
        yield
    finally:
        event.remove(engine, name, listener)


def by_shape(seen: list[str]) -> Counter[str]:
    return Counter(shape(s) for s in seen)


def described(seen: list[str]) -> str:
    """The statements by shape, most frequent first — for a failing assertion's message."""
    return "\n".join(f"{n:>3} {s}" for s, n in by_shape(seen).most_common())


@contextmanager
def sqlite_statements(engine: Engine) -> Iterator[list[str]]:
    """Every statement SQLite runs on connections checked out inside the block, DB-API ones
    included (SQLAlchemy's cursor events do not see those)."""
    seen: list[str] = []
    traced = []

    def on_checkout(dbapi_conn, record, proxy) -> None:
        dbapi_conn.set_trace_callback(seen.append)
        traced.append(dbapi_conn)

    readers = readers_of(engine)  # proofs read on this thread's kept connection
    if readers is not None:
        with readers.cursor():
            pass  # opened now if it was not
        for conn in readers.connections():
            on_checkout(conn, None, None)
    try:
        with _listening(engine, "checkout", on_checkout):
            yield seen
    finally:
        for conn in traced:
            conn.set_trace_callback(None)
