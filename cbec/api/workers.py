"""The app of one ``cbec serve --workers N`` worker, built in that worker's process.

uvicorn spawns each worker as a fresh interpreter (``multiprocessing``'s spawn) and builds
its app by calling :func:`app` from the import string :data:`FACTORY`: an app object made
in the parent process cannot cross to a child. So everything a worker needs reaches it
through the environment it inherits — the ``CBEC_*`` settings the parent already read, and
the two options of ``cbec serve`` that are not settings, the log format and the access log
(:data:`LOG_FORMAT_VAR`, :data:`ACCESS_LOG_VAR`), which the parent sets before spawning.
Host and port need nothing: the parent binds the socket and hands it to every worker."""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

from cbec.logs import LogFormat

if TYPE_CHECKING:
    from fastapi import FastAPI

log = logging.getLogger("cbec.workers")

FACTORY = "cbec.api.workers:app"
LOG_FORMAT_VAR = "CBEC_SERVE_LOG_FORMAT"
ACCESS_LOG_VAR = "CBEC_SERVE_ACCESS_LOG"


def configure_logging(log_format: LogFormat, access_log: bool) -> None:
    """This process's application log and access log, as ``cbec serve``'s options say, and
    ``kill -USR1 <pid>`` writing every thread's stack to standard error: the one view of a
    server that stopped answering (a lock waited on, a loop) without stopping it."""
    import faulthandler
    import signal
    import sys

    from cbec import logs

    # the process's own standard error (file descriptor 2): the dump is written from the
    # signal handler, which needs a real descriptor, not whatever object sys.stderr is now
    if sys.__stderr__ is not None and hasattr(signal, "SIGUSR1"):
        faulthandler.register(signal.SIGUSR1, file=sys.__stderr__, all_threads=True)
    from cbec.api import access_log as access

    logs.configure(log_format)  # application lines, each with its request id
    if access_log:
        access.to_stderr()
    else:
        access.off()


def hand_down(log_format: LogFormat, access_log: bool) -> None:
    """Put the logging options where the workers to be spawned will read them."""
    os.environ[LOG_FORMAT_VAR] = log_format
    os.environ[ACCESS_LOG_VAR] = "1" if access_log else "0"


def app() -> FastAPI:
    """A worker's app: its logging configured from the environment, its own runtime (engine,
    pool, keys) over the configured database. The parent has already migrated the schema
    and checked the keys, so a worker neither migrates nor races the others to. Logs one
    line naming its pid once built."""
    from cbec.api.app import create_app
    from cbec.runtime import open_runtime

    log_format: LogFormat = "text" if os.environ.get(LOG_FORMAT_VAR) == "text" else "json"
    configure_logging(log_format, os.environ.get(ACCESS_LOG_VAR, "1") != "0")
    built = create_app(open_runtime(migrate=False))
    # one line per worker, so an operator (and bench/workers.py) sees each one come up, and
    # a replacement after one died
    log.info("worker process %d ready", os.getpid())
    return built
