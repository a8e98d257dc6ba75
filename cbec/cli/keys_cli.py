"""``cbec admin keys …``: the deployment's keys — make them once (``init``), compare the
process's with the database's (``show``). Only fingerprints are ever printed, except by
``init --format env``, whose output is the keys, for the operator's secret store."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from cbec.cli.common import EXIT_NO, out, refuse

keys = typer.Typer(
    help="The deployment's keys: init (once), show (fingerprints).", no_args_is_help=True
)


class InitFmt(StrEnum):
    file = "file"
    env = "env"


class ShowFmt(StrEnum):
    text = "text"
    json = "json"


def _engine():
    from cbec.config import get_settings
    from cbec.store.db import make_engine, upgrade

    settings = get_settings()
    engine = make_engine(settings.resolved_database_url(), settings.sqlite_busy_timeout_ms)
    upgrade(engine)
    return settings, engine


@keys.command("init")
def keys_init(
    format: Annotated[
        InitFmt,
        typer.Option(
            "--format",
            help="file: write the keys file (CBEC_KEYS_FILE, default <data dir>/secrets.json, "
            "mode 0600); env: print export lines for a secret store instead.",
        ),
    ] = InitFmt.file,
) -> None:
    """Make the keys of a new deployment, once. Refused when keys exist already (in the
    environment, the keys file or a provider) or the database records keys or holds data."""
    from cbec.errors import CbecError
    from cbec.services import deployment_keys as svc
    from cbec.store.repository import UnitOfWork

    settings, engine = _engine()
    try:
        done = svc.init_keys(UnitOfWork(engine), settings, svc.InitRequest(format is InitFmt.file))
    except CbecError as exc:
        refuse(exc)
    finally:
        engine.dispose()
    if done.env:
        sys.stdout.write("\n".join(done.env) + "\n")
        return
    out.print(f"keys written to {done.path}; keep a copy: the data cannot be read without it")
    for d in done.prints.data:
        out.print(f"data key {d.fingerprint}")
    out.print(f"HMAC key {done.prints.hmac}")
    out.print(f"ledger verifier key {done.prints.ledger}")


@keys.command("show")
def keys_show(format: Annotated[ShowFmt, typer.Option("--format")] = ShowFmt.text) -> None:
    """The fingerprints of this process's keys beside the ones the database records (never
    the keys): ``here`` and ``recorded`` say which side has each one."""
    from cbec.errors import CbecError
    from cbec.services import deployment_keys as svc
    from cbec.store.repository import UnitOfWork

    settings, engine = _engine()
    try:
        rows = svc.show_keys(UnitOfWork(engine), svc.resolve_keys(settings))
    except CbecError as exc:
        refuse(exc)
    finally:
        engine.dispose()
    if format is ShowFmt.json:
        sys.stdout.write(json.dumps([r.__dict__ for r in rows]) + "\n")
    else:
        _table(rows)
    if any(r.recorded and not r.here and not r.retired_at for r in rows):
        raise typer.Exit(EXIT_NO)  # a key the database needs is not here


def _table(rows) -> None:
    from cbec.services.deployment_keys import short_vkey

    # the id and retired columns only when some key has one: the table fits 80 columns
    named = any(r.kid and r.kid != r.fingerprint for r in rows)
    retired = any(r.retired_at for r in rows)
    cols = ["purpose", "fingerprint", *(["id"] if named else []), "here", "recorded", "added"]
    table = Table()
    for col in cols + (["retired"] if retired else []):
        table.add_column(col, no_wrap=True)
    for r in rows:  # a verifier key by name and key ID; `cbec ledger key` prints it whole
        cells = [r.purpose, short_vkey(r.fingerprint) if r.purpose == "ledger" else r.fingerprint]
        cells += [r.kid if r.kid and r.kid != r.fingerprint else ""] if named else []
        cells += ["yes" if r.here else "MISSING", "yes" if r.recorded else "no"]
        cells += [(r.added_at or "")[:10]] + ([(r.retired_at or "")[:10]] if retired else [])
        table.add_row(*cells)
    out.print(table)
