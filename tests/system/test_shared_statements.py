"""Query parts shared by every thread of a server are complete before threads share them.

An alias (or subquery) made at module level builds its column collection on first use; a
first use by several threads at once — the first concurrent requests a server answers — can
leave one thread holding a column of another thread's build, and its join then fails to
compile ("multiple FROMS which can join", a 500). This happened with eight concurrent tax
charges on PostgreSQL. Every module-level selectable that is not a table (tables build
their columns when defined) must have its columns built at import."""

from __future__ import annotations

import subprocess
import sys
import threading

from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, select
from sqlalchemy.dialects import postgresql

PROBE = """
import importlib, pkgutil, sys
import cbec.store
from sqlalchemy.sql.selectable import FromClause
from sqlalchemy import Table
unbuilt = []
for info in pkgutil.walk_packages(cbec.store.__path__, "cbec.store."):
    if info.name.startswith("cbec.store.migrations"):
        continue  # Alembic's scripts, run by Alembic only
    module = importlib.import_module(info.name)
    for name, value in vars(module).items():
        if isinstance(value, FromClause) and not isinstance(value, Table):
            if "_columns" not in vars(value):
                unbuilt.append(f"{info.name}.{name}")
print("\\n".join(unbuilt))
"""


def test_every_module_level_alias_has_its_columns_built_at_import():
    # a fresh interpreter: in this one, earlier tests have long since built every collection
    found = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    ).stdout.split()
    assert found == []


def _first_compiles(alias_columns_built: bool) -> list[Exception]:
    """Eight threads compiling, at once, a join on a shared alias never used before."""
    md = MetaData()
    tenants = Table("tenants", md, Column("id", Integer, primary_key=True), Column("name", String))
    documents = Table(
        "documents",
        md,
        Column("id", Integer, primary_key=True),
        Column("filer_tenant_id", Integer, ForeignKey("tenants.id")),
    )
    filer = tenants.alias("filer")
    if alias_columns_built:
        filer.c  # noqa: B018
    barrier, errors = threading.Barrier(8), []

    def compile_once() -> None:
        barrier.wait()
        try:
            q = select(documents, filer.c.name).join(
                filer, filer.c.id == documents.c.filer_tenant_id
            )
            q.compile(dialect=postgresql.dialect())
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=compile_once) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_an_alias_built_before_sharing_compiles_in_every_thread():
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads interleave as often as the interpreter allows
    try:
        failures = [e for _ in range(30) for e in _first_compiles(alias_columns_built=True)]
    finally:
        sys.setswitchinterval(switch)
    assert failures == []
