"""``cbec admin backup DEST`` and ``cbec admin restore SRC``: thin adapters over
:mod:`cbec.services.backup`. Progress goes to standard output one line at a time (flushed,
so a supervisor or a test reading the pipe sees each step as it starts); a refusal is one
line on standard error, exit status 2."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from cbec.cli.common import out, refuse


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def backup_cmd(
    dest: Annotated[Path, typer.Argument(help="A new directory to write the backup to.")],
) -> None:
    """Write a consistent backup of the database and the data directory's files while the
    server keeps writing, with a manifest (schema revision, ledger size and root, key
    fingerprints — never the keys). Back the keys up apart."""
    from cbec.config import get_settings
    from cbec.errors import CbecError
    from cbec.services import backup as svc

    try:
        done = svc.backup(get_settings(), dest, _say)
    except CbecError as exc:
        refuse(exc)
    ledger = done.manifest["ledger"] or {"size": 0, "root": ""}
    out.print(
        f"backup written to {done.path}: revision {done.manifest['revision']}, "
        f"ledger size {ledger['size']} root {ledger['root']}",
        soft_wrap=True,
    )


def restore_cmd(
    src: Annotated[Path, typer.Argument(help="A backup directory written by cbec admin backup.")],
) -> None:
    """Restore a backup into the configured database, which must be empty, and its files
    into the data directory; refused when the manifest, a file's SHA-256, the schema
    revision or the keys do not match. Checks the loaded rows and ledger against the manifest
    and re-derives the ledger as ``cbec ledger fsck`` does."""
    from cbec.config import get_settings
    from cbec.errors import CbecError
    from cbec.services import backup as svc

    try:
        done = svc.restore(get_settings(), src, _say)
    except CbecError as exc:
        refuse(exc)
    ledger = done.manifest["ledger"] or {"root": ""}
    out.print(
        f"restored {src}: revision {done.revision}, ledger size {done.ledger_size} "
        f"root {ledger['root']}, every node and checkpoint re-derived",
        soft_wrap=True,
    )
