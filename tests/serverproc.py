"""Run ``cbec serve`` as a real process for tests that need one (tour, crash tests)."""

from __future__ import annotations

import os
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
