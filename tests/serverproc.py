"""Run ``cbec serve`` as a real process for tests that need one (tour, crash tests)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.conftest import cbec_env

CBEC = str(Path(sys.executable).parent / "cbec")
# How long a server may stay silent before it counts as not starting. The wait ends as soon
# as /healthz answers (or the process exits); this only bounds a hang, so it is generous
# enough for a machine busy with other work.
START_LIMIT = 180.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def settings_env(settings) -> dict[str, str]:
    """This process's environment, pointed at ``settings`` (database, data folder, keys)."""
    return {**os.environ, **cbec_env(settings)}


@contextmanager
def running_server(
    env: dict[str, str],
    port: int | None = None,
    args: Sequence[str] = (),
    log: Path | None = None,
):
    """``cbec serve`` with ``args`` on ``port``, once /healthz answers: (its URL, the process).
    Its standard error goes to a temporary file, or to ``log`` (opened for appending, so the
    test can read it by its path while the server writes)."""
    port = port or free_port()
    # standard error to a file, not a pipe: the access log would fill an unread pipe and
    # stall the server
    with log.open("ab") if log else tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(
            [CBEC, "serve", "--port", str(port), *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        proc.log = errors  # type: ignore[attr-defined]
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + START_LIMIT
            while True:
                try:
                    if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    said = log.read_bytes() if log else (errors.seek(0), errors.read())[1]
                    said = said.decode(errors="replace")[-4000:]
                    raise RuntimeError(f"server did not start: {said}")
                time.sleep(0.1)
            yield url, proc
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=60)


def diagnosis(proc: subprocess.Popen, log: Path, database_url: str = "") -> str:
    """What a server that stopped answering is doing: every thread's stack (``cbec serve``
    dumps them on SIGUSR1) and, on PostgreSQL, what each session of the database waits on.
    For a test's failure message: a hang in a full run on a loaded machine seldom comes back
    when the test runs alone."""
    said = []
    if proc.poll() is None:
        before = log.stat().st_size
        proc.send_signal(signal.SIGUSR1)
        deadline, dump, seen = time.monotonic() + 30, "", None
        # the dump is written at once by the signal's handler: poll until it is there and
        # has stopped growing (only a diagnosis: a cut dump would still say much)
        while time.monotonic() < deadline:
            with log.open("rb") as f:
                f.seek(before)
                dump = f.read().decode(errors="replace")
            if "most recent call first" in dump and dump == seen:
                break
            seen = dump
            time.sleep(0.1)
        said.append("server threads:\n" + dump[-12000:])
    else:
        said.append(f"server exited with {proc.returncode}")
    with log.open("rb") as f:
        said.append("server log, last lines:\n" + f.read().decode(errors="replace")[-4000:])
    if database_url.startswith("postgresql"):
        from sqlalchemy import text

        from cbec.store.db import make_engine

        engine = make_engine(database_url)
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT pid, state, wait_event_type, wait_event, now() - xact_start,"
                    " left(query, 300) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).all()
        engine.dispose()
        said.append("database sessions:\n" + "\n".join(map(str, rows)))
    return "\n\n".join(said)


@contextmanager
def explained(proc: subprocess.Popen, log: Path, database_url: str = ""):
    """Fail as the block fails, with :func:`diagnosis` in the message."""
    try:
        yield
    except Exception as exc:
        raise AssertionError(f"{exc}\n\n{diagnosis(proc, log, database_url)}") from exc


def refused_start(env: dict[str, str]) -> tuple[int, str]:
    """Start ``cbec serve`` with ``env`` when it is expected to refuse: its exit status and
    standard error. A server that started after all would run on; the timeout bounds that."""
    proc = subprocess.run(
        [CBEC, "serve", "--port", str(free_port())],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=START_LIMIT,
    )
    return proc.returncode, proc.stderr
