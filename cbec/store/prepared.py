"""Prebuilt statements run on the DB-API cursor: the write path's hot statements without
SQLAlchemy Core's per-execution overhead.

Why. Filing one order runs about fourteen statements (``bench/filing.py``), each through
``Connection.execute``. Measured on SQLite, an indexed SELECT costs 50–100 µs through Core
against 5–8 µs on the DB-API cursor (``cursor.execute`` and ``fetchall``): Core spends the
rest setting up an execution context (the compiled cache's look-up, the parameters'
processing, the result's metadata) — around a millisecond of an order's four of CPU. The
SQL is the same: what Core does per execution is done here once per statement, dialect and
parameter shape.

What is done once (:meth:`Prepared._plan`), with SQLAlchemy's own compiler:

* the SQL text for the dialect (``statement.compile(dialect=...)``), ``expanding`` IN
  parameters rendered for the list lengths given (``construct_expanded_state``, one plan per
  length up to :data:`MAX_EXPANDED`; longer lists run through Core);
* the parameters' order (positional ``qmark`` on SQLite, named ``pyformat`` on psycopg) and
  each one's bind processor — the column type's own (``UTCDateTime`` turning an aware
  datetime to naive UTC on SQLite, for instance), as Core applies it; values fixed in the
  statement (``kind == "product"``) are processed once;
* the result's keys and each column's result processor (the text SQLite returns for a
  timestamp parsed back to an aware datetime), rows built as SQLAlchemy
  :class:`~sqlalchemy.engine.Row` objects (attribute, index and ``_mapping`` access).

What is kept per execution, as Core does it:

* the statement runs on the connection's own DB-API connection, inside the transaction (and
  savepoint) the :class:`~sqlalchemy.engine.Connection` holds, on one cursor kept for the
  connection while it is checked out (:func:`forget_cursor` closes it at check-in); a
  connection not in a transaction yet (autobegin), echoing, or with a schema translation
  runs through Core;
* the engine's ``before_cursor_execute`` and ``after_cursor_execute`` listeners are fired
  (with ``context=None``) — the statement counts of ``tests/statements.py`` see these
  statements as they saw Core's;
* a DB-API error (a UNIQUE violation, a lock time-out) is handed to the connection's own
  error handling (``Connection._handle_dbapi_exception``), which raises the same
  SQLAlchemy exception Core raises (``IntegrityError`` …), runs ``handle_error`` listeners
  and invalidates a connection found disconnected.

A statement with Python-side column defaults (``insert_prefetch``) or a bound value computed
at execution (``callable_``) runs through Core, whose execution context computes those.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.engine import Connection, Dialect, Row
from sqlalchemy.engine.result import result_tuple
from sqlalchemy.sql import ClauseElement

# The longest IN list given a plan of its own; a longer one runs through Core (each length is
# a plan kept for the dialect's life, so lengths are bounded).
MAX_EXPANDED = 64
_PLANS = "_cbec_prepared_plans"  # the dialect's attribute holding its plans
_UNSEEN = object()


class _Slot:
    """Stands for a parameter while a plan is made: which one, and which element of a list."""

    __slots__ = ("idx", "name")

    def __init__(self, name: str, idx: int | None = None) -> None:
        self.name, self.idx = name, idx


class _Plan:
    """One statement compiled for one dialect and parameter shape."""

    __slots__ = (
        "_args",
        "fields",
        "make_row",
        "named",
        "names",
        "results",
        "slots",
        "sql",
        "types",
    )

    def __init__(self, sql: str, named: bool, names: tuple[str, ...], slots: tuple) -> None:
        self.sql = sql
        self.named = named  # pyformat: parameters passed as a dict keyed by ``names``
        self.names = names
        # per parameter: (user key, list index or None, bind processor) or (None, value)
        self.slots = slots
        self.fields: tuple[str, ...] = ()  # the result's keys and column types
        self.types: tuple = ()
        self.results: tuple | None = None  # result processors, set on first execution
        self.make_row: Any = None
        self._args: Any = None  # made on first use (:meth:`args`)

    def args(self) -> Any:
        """The function of a statement's ``params`` returning its DB-API parameters: each
        slot's value through its bind processor, as a tuple (or a dict keyed by ``names``).
        Written for the plan's slots (:func:`_args_function`) on first use: an INSERT of a
        chunk calls it for every row, and a loop over the slots cost three times as much."""
        fn = self._args
        if fn is None:
            fn = self._args = _args_function(self.slots, self.names if self.named else None)
        return fn


def _args_function(slots: tuple, names: tuple[str, ...] | None) -> Any:
    """A function of ``params`` returning the values :meth:`_Plan.args` describes, its
    source written from the slots: a user key and list index as literals (``repr``), a
    processor or fixed value as a name bound in the function's globals — no value from a
    statement's parameters is ever part of the source."""
    env: dict[str, Any] = {}
    parts = []
    for n, slot in enumerate(slots):
        if slot[0] is None:
            env[f"c{n}"] = slot[1]
            parts.append(f"c{n}")
            continue
        key, idx, proc = slot
        expr = f"p[{key!r}]" if idx is None else f"p[{key!r}][{idx!r}]"
        if proc is not None:
            env[f"f{n}"] = proc
            expr = f"f{n}({expr})"
        parts.append(expr)
    if names is None:
        body = "(" + "".join(f"{e}, " for e in parts) + ")"
    else:
        body = "{" + ", ".join(f"{k!r}: {e}" for k, e in zip(names, parts, strict=True)) + "}"
    exec(compile(f"def args(p):\n    return {body}\n", "<cbec.store.prepared>", "exec"), env)
    return env["args"]


class Prepared:
    """A prebuilt Core statement (a module constant), executed on the DB-API cursor.

    ``rows`` / ``first`` for statements returning rows (SELECT, UPDATE … RETURNING),
    ``run`` for one execution returning the row count, ``many`` for an INSERT of several
    rows (``executemany``, one statement as Core counts it)."""

    __slots__ = ("__weakref__", "statement")

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement

    # --- public ---
    def rows(self, conn: Connection, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Every row the statement returns, as Core's ``execute(...).all()`` would."""
        params = params or {}
        plan = self._usable(conn, params)
        if plan is None:
            return list(conn.execute(self.statement, dict(params)).all())
        return _execute(conn, plan, params, False, True)

    def first(self, conn: Connection, params: Mapping[str, Any] | None = None) -> Row | None:
        """The first row (None: no row)."""
        found = self.rows(conn, params)
        return found[0] if found else None

    def run(self, conn: Connection, params: Mapping[str, Any] | None = None) -> int:
        """Execute once, returning no rows; the DB-API's row count."""
        params = params or {}
        plan = self._usable(conn, params)
        if plan is None:
            return conn.execute(self.statement, dict(params)).rowcount
        return _execute(conn, plan, params, False, False)

    def many(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Execute once per row of ``rows`` in one ``executemany`` (every row with the same
        keys, as Core requires); one row is a plain execution, as in Core."""
        if not rows:
            return
        if len(rows) == 1:
            self.run(conn, rows[0])
            return
        plan = self._usable(conn, rows[0])
        if plan is None or any(r.keys() != rows[0].keys() for r in rows):
            conn.execute(self.statement, [dict(r) for r in rows])
            return
        _execute(conn, plan, rows, True, False)

    # --- the plan ---
    def _usable(self, conn: Connection, params: Mapping[str, Any]) -> _Plan | None:
        """The plan for ``params``' shape; None when Core must run the statement (no
        transaction begun yet, echo on, execution options that change the SQL, a long IN
        list)."""
        if not conn.in_transaction() or conn._echo:
            return None
        options = conn._execution_options
        if options and (options.get("schema_translate_map") or options.get("no_parameters")):
            return None
        shape = []
        for key, value in params.items():
            if isinstance(value, list | tuple):
                if len(value) > MAX_EXPANDED:
                    return None
                shape.append((key, len(value)))
            else:
                shape.append((key, -1))
        dialect = conn.dialect
        plans = dialect.__dict__.get(_PLANS)
        if plans is None:
            plans = dialect.__dict__.setdefault(_PLANS, {})
        cache_key = (self, tuple(shape))
        plan = plans.get(cache_key, _UNSEEN)
        if plan is _UNSEEN:
            plan = plans[cache_key] = self._plan(dialect, params)
        return plan

    def _plan(self, dialect: Dialect, params: Mapping[str, Any]) -> _Plan | None:
        """The plan for ``params``' shape; None (Core runs it) for what only Core's execution
        context does: Python-side column defaults, values computed at execution, a list
        given to a parameter that is not an ``expanding`` one."""
        keys = list(params)
        compiled = self.statement.compile(dialect=dialect, column_keys=keys)
        if getattr(compiled, "insert_prefetch", None) or getattr(compiled, "update_prefetch", None):
            return None
        if any(b.callable is not None for b in compiled.binds.values()):
            return None
        stand_ins = {
            k: [_Slot(k, i) for i in range(len(v))] if isinstance(v, list | tuple) else _Slot(k)
            for k, v in params.items()
        }
        expanded = compiled.construct_expanded_state(stand_ins)
        processors = {**compiled._bind_processors, **expanded.processors}
        named = expanded.positiontup is None
        names = tuple(expanded.parameters) if named else tuple(expanded.positiontup)
        slots = []
        for name in names:
            value = expanded.parameters[name]
            proc = processors.get(name)
            if isinstance(value, _Slot):
                slots.append((value.name, value.idx, proc))
            elif isinstance(value, list):  # a list for a parameter that does not expand
                return None
            else:  # fixed in the statement: processed once
                slots.append((None, value if proc is None else proc(value)))
        plan = _Plan(expanded.statement, named, names, tuple(slots))
        plan.fields = tuple(c[0] for c in compiled._result_columns)
        plan.types = tuple(c[3] for c in compiled._result_columns)
        return plan


def _results(conn: Connection, plan: _Plan, description: Sequence) -> None:
    # the processors depend on the driver's column types (PostgreSQL's type OIDs)
    plan.results = tuple(
        t._cached_result_processor(conn.dialect, d[1])
        for t, d in zip(plan.types, description, strict=True)
    )
    plan.make_row = result_tuple(plan.fields)


_CURSOR = "cbec_prepared_cursor"  # the DB-API connection's cursor, in the pool's ``info``


def _cursor(conn: Connection) -> Any:
    """The cursor these statements run on, one per DB-API connection while it is checked
    out (:func:`forget_cursor` drops it at check-in, with the last result it holds). A
    psycopg cursor costs ≈ 50 µs of CPU to make (its adapters' context), a statement's whole
    client side ≈ 80 µs; SQLite's ≈ 1 µs. One that a failed statement left behind is not
    used again (SQLAlchemy's error handling closes it)."""
    fairy = conn.connection
    info = fairy.info
    dbapi = fairy.dbapi_connection
    cursor = info.get(_CURSOR)
    if cursor is None or cursor.connection is not dbapi:
        cursor = info[_CURSOR] = dbapi.cursor()
    return cursor


def forget_cursor(_dbapi_conn: Any, record: Any) -> None:
    """A pool ``checkin`` listener (``cbec.store.db.make_engine``): close the connection's
    kept cursor, so that an idle connection holds no result rows."""
    cursor = record.info.pop(_CURSOR, None) if record is not None else None
    if cursor is not None:
        with contextlib.suppress(Exception):  # a connection found broken: nothing to free
            cursor.close()


def _execute(conn: Connection, plan: _Plan, params: Any, many: bool, fetch: bool) -> Any:
    statement, args, cursor = plan.sql, params, None
    try:
        # the types' bind processors, inside the error handling as in Core (a naive
        # datetime raises StatementError there as here)
        make_args = plan.args()
        args = [make_args(p) for p in params] if many else make_args(params)
        cursor = _cursor(conn)
        if conn._has_events or conn.engine._has_events:
            for fn in conn.dispatch.before_cursor_execute:
                statement, args = fn(conn, cursor, statement, args, None, many)
        if many:
            cursor.executemany(statement, args)
        else:
            cursor.execute(statement, args)
        if conn._has_events or conn.engine._has_events:
            conn.dispatch.after_cursor_execute(conn, cursor, statement, args, None, many)
        if not fetch:
            count = cursor.rowcount
            return count
        raw = cursor.fetchall()
        if plan.make_row is None:
            _results(conn, plan, cursor.description)
    except BaseException as e:
        if cursor is not None:  # closed by the error handling below: not to be used again
            conn.connection.info.pop(_CURSOR, None)
        conn._handle_dbapi_exception(e, statement, args, cursor, None)
    make, results = plan.make_row, plan.results
    if not any(results):
        return [make(r) for r in raw]
    return [make([v if p is None else p(v) for p, v in zip(results, r, strict=True)]) for r in raw]


def run_text(conn: Connection, sql: str) -> None:
    """A parameterless SQL text (``BEGIN IMMEDIATE``) on the DB-API cursor, as
    ``conn.exec_driver_sql(sql)`` runs it — the same cursor events and error handling — without
    Core's execution context (a twentieth of a filing's CPU went to the two ``BEGIN``
    statements of its transactions). Echo on: through Core, which logs it."""
    if conn._echo:
        conn.exec_driver_sql(sql)
        return
    plan = _TEXT_PLANS.get(sql)
    if plan is None:  # a plan's parameter function is compiled once, not per statement
        plan = _TEXT_PLANS.setdefault(sql, _Plan(sql, False, (), ()))
    _execute(conn, plan, {}, False, False)


_TEXT_PLANS: dict[str, _Plan] = {}
""":func:`run_text`'s plans by SQL text: its callers' few fixed texts (the ``BEGIN`` modes)."""
