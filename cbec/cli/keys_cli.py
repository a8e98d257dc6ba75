"""``cbec admin keys …``: the deployment's keys — make them once (``init``), compare the
process's with the database's (``show``), rotate them (``add-data-key``, ``activate``,
``re-encrypt``, ``retire``; ``add-hmac-key``, ``recompute``, ``switch-hmac-key``;
``rotate-ledger-key``: :mod:`cbec.services.key_rotation`). Only fingerprints are ever
printed, except by ``--format env``, whose output is the keys, for the operator's secret
store."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.table import Table

from cbec.cli.common import EXIT_NO, out, refuse

if TYPE_CHECKING:  # the CLI starts fast: these load with the command that needs them
    from cbec.config import Settings
    from cbec.runtime import Runtime

T = TypeVar("T")

keys = typer.Typer(
    help="The deployment's keys: init (once), show (fingerprints), rotation.",
    no_args_is_help=True,
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


_CIPHER = {"aes-256-gcm": "AES-GCM", "sm4-gcm": "SM4-GCM"}
_KIND = {"hmac": "HMAC", "ledger": "Ed25519"}
"""What each key is, short enough for the table to fit 80 columns (``--format json`` gives a
data key's ``algorithm`` in full)."""


def _table(rows) -> None:
    from cbec.services.deployment_keys import short_vkey

    # the id and retired columns only when some key has one: the table fits 80 columns
    named = any(r.kid and r.kid != r.fingerprint for r in rows)
    retired = any(r.retired_at for r in rows)
    cols = ["purpose", "fingerprint", *(["id"] if named else []), "algorithm", "here", "recorded"]
    cols.append("added")
    table = Table()
    for col in cols + (["retired"] if retired else []):
        table.add_column(col, no_wrap=True)
    for r in rows:  # a verifier key by name and key ID; `cbec ledger key` prints it whole
        cells = [r.purpose, short_vkey(r.fingerprint) if r.purpose == "ledger" else r.fingerprint]
        cells += [r.kid if r.kid and r.kid != r.fingerprint else ""] if named else []
        cells += [_CIPHER.get(r.algorithm or "", r.algorithm or _KIND.get(r.purpose, ""))]
        cells += ["yes" if r.here else "MISSING", "yes" if r.recorded else "no"]
        cells += [(r.added_at or "")[:10]] + ([(r.retired_at or "")[:10]] if retired else [])
        table.add_row(*cells)
    out.print(table)


# --- rotation (cbec.services.key_rotation) -------------------------------------------------


def _progress(what: str, done: int) -> None:
    out.print(f"{what}: {done}", soft_wrap=True)


def _on_engine(call: Callable[[Settings, Any], T]) -> T:
    """``call(settings, engine)`` on the configured database (schema upgraded; no keys
    needed: these commands change what the database records); a refusal on one line."""
    from cbec.errors import CbecError

    settings, engine = _engine()
    try:
        return call(settings, engine)
    except CbecError as exc:
        refuse(exc)
    finally:
        engine.dispose()


def _on_runtime(call: Callable[[Runtime], T]) -> T:
    """``call(rt)`` with a runtime opened on the process's keys; a refusal on one line."""
    from cbec.errors import CbecError
    from cbec.runtime import open_runtime

    try:
        rt = open_runtime()
        try:
            return call(rt)
        finally:
            rt.engine.dispose()
    except CbecError as exc:
        refuse(exc)


@keys.command("add-data-key")
def keys_add_data_key(
    format: Annotated[
        InitFmt,
        typer.Option(
            "--format",
            help="file: add it to the keys file; env: print the export lines to set instead.",
        ),
    ] = InitFmt.file,
) -> None:
    """Make a new data key beside the others, not active yet: restart the processes with it
    (the database records it), then `activate` it."""
    from cbec.config import get_settings
    from cbec.errors import CbecError
    from cbec.services import key_rotation as svc

    try:
        done = svc.add_data_key(get_settings(), format is InitFmt.file)
    except CbecError as exc:
        refuse(exc)
    if done.env:
        sys.stdout.write("\n".join(done.env) + "\n")
        return
    out.print(f"data key {done.kid} added to {done.path} (not active)", soft_wrap=True)


@keys.command("activate")
def keys_activate(
    kid: Annotated[str, typer.Argument(help="The data key's id (or fingerprint).")],
    format: Annotated[InitFmt, typer.Option("--format")] = InitFmt.file,
) -> None:
    """Make a data key the one new values are sealed with (recorded in the database; the
    keys file names it, or set the printed line). Restart the processes, then `re-encrypt`."""
    from cbec.services import key_rotation as svc

    done = _on_engine(lambda st, engine: svc.activate(engine, st, kid, format is InitFmt.file))
    if done.env:
        sys.stdout.write("\n".join(done.env) + "\n")
        return
    out.print(f"data key {done.kid} is active (recorded; {done.path} names it)", soft_wrap=True)


@keys.command("re-encrypt")
def keys_re_encrypt(
    batch: Annotated[int, typer.Option("--batch", min=1, help="Rows per transaction.")] = 500,
) -> None:
    """Re-seal every stored value that is not under the active data key (resumable; a
    second run finds nothing)."""
    from cbec.services import key_rotation as svc

    counts, kid = _on_runtime(
        lambda rt: (svc.re_encrypt(rt, batch, _progress), rt.vault.ring.active.kid)
    )
    out.print(f"re-sealed {sum(counts.values())} rows under data key {kid}", soft_wrap=True)


@keys.command("retire")
def keys_retire(
    kid: Annotated[str, typer.Argument(help="The data key's id (or fingerprint).")],
) -> None:
    """Retire a data key: refused while it is active or any stored value is sealed with it."""
    from cbec.services import key_rotation as svc

    fingerprint = _on_engine(lambda _settings, engine: svc.retire(engine, kid))
    out.print(f"data key {fingerprint} is retired; processes no longer need it", soft_wrap=True)


_ENV_HELP = (
    "file: the keys file holds the keys and is rewritten; env: the keys come from the"
    " environment or a key provider, and the lines to set there are printed instead."
)


def _print_env(lines: tuple[str, ...], then: str) -> None:
    """The lines for the operator's secret store on standard output; what to do next on
    standard error, so that the output can be piped as it is."""
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()
    sys.stderr.write(then + "\n")


@keys.command("add-hmac-key")
def keys_add_hmac_key(
    format: Annotated[InitFmt, typer.Option("--format", help=_ENV_HELP)] = InitFmt.file,
) -> None:
    """Put a next HMAC key beside the current one (keys file `hmac_key_next`, or the
    printed CBEC_HMAC_KEY_NEXT); then `recompute` and `switch-hmac-key`."""
    from cbec.services import key_rotation as svc

    to_file = format is InitFmt.file
    done = _on_engine(lambda settings, engine: svc.add_hmac_key(engine, settings, to_file))
    if done.env:
        _print_env(
            done.env,
            f"next HMAC key {done.kid} recorded; set this where the keys are kept, then run"
            " `recompute` with it",
        )
        return
    out.print(f"next HMAC key {done.kid} added to {done.path}; now run `recompute`", soft_wrap=True)


@keys.command("recompute")
def keys_recompute(
    batch: Annotated[int, typer.Option("--batch", min=1, help="Rows per transaction.")] = 500,
) -> None:
    """Compute every stored fingerprint and blind index under the next HMAC key, beside the
    current ones (which keep answering until the switch); resumable."""
    from cbec.services import key_rotation as svc

    counts = _on_runtime(lambda rt: svc.recompute(rt, rt.settings, batch, _progress))
    out.print(f"recomputed {sum(counts.values())} rows; now run `switch-hmac-key`", soft_wrap=True)


@keys.command("switch-hmac-key")
def keys_switch_hmac_key(
    format: Annotated[InitFmt, typer.Option("--format", help=_ENV_HELP)] = InitFmt.file,
) -> None:
    """Make the next HMAC key current, in one transaction. Stop the servers first (one
    still holding the old key would store values under it) and start them after: ones
    holding the old key are refused from then on."""
    from cbec.services import key_rotation as svc

    to_file = format is InitFmt.file
    done = _on_runtime(lambda rt: svc.switch_hmac_key(rt, rt.settings, to_file))
    if done.env:
        _print_env(
            done.env,
            f"HMAC key {done.kid} is current and the old one is retired: set these where the"
            " keys are kept and start the servers with them",
        )
        return
    out.print(
        f"HMAC key {done.kid} is current ({done.path}); the old one is retired", soft_wrap=True
    )


@keys.command("rotate-ledger-key")
def keys_rotate_ledger_key(
    format: Annotated[
        InitFmt,
        typer.Option(
            "--format",
            help=_ENV_HELP + " In two runs: the first makes the new key"
            " (CBEC_LEDGER_SIGNER_KEY_NEXT) and changes nothing else; the second, by a process"
            " holding it, rotates.",
        ),
    ] = InitFmt.file,
) -> None:
    """Replace the ledger's signer key: the statement and the transition checkpoint are
    signed by the old and the new key; the old one is retired (its checkpoints still
    verify). Give auditors the new verifier key (`cbec ledger key`)."""
    from cbec.services import key_rotation as svc
    from cbec.services.deployment_keys import short_vkey

    to_file = format is InitFmt.file
    done = _on_runtime(lambda rt: svc.rotate_ledger_key(rt, rt.settings, to_file))
    if not done.rotated:
        _print_env(
            done.env,
            f"ledger signer key {short_vkey(done.new)} made, nothing signed with it yet: set"
            " this where the keys are kept, then run `rotate-ledger-key --format env` again"
            " with it",
        )
        return
    said = (
        f"ledger verifier key {short_vkey(done.new)} replaces {short_vkey(done.old)}"
        f" (statement entry {done.statement}); `cbec ledger key` prints them whole"
    )
    if done.env:
        _print_env(done.env, said + "; set these where the keys are kept and restart the servers")
        return
    out.print(said, soft_wrap=True)
