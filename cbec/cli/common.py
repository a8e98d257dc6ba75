"""What the command modules share: the two consoles, the language messages are printed in,
opening the runtime, and how a failure is reported.

Exit statuses are the same for every command: 0 when it did its job, 1 when it ran but
the answer is "no" (a file with problems, rejected rows, a mismatch), 2 when it could not
run on what it was given (bad input, unknown tenant, unreadable file — with a message on
standard error naming the problem), 3 for the ledger monitor's FORK alarm.

This module, like every command module, imports only Typer and Rich at the top: the
libraries a command needs are imported inside it, so ``cbec --help`` stays fast.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:
    from cbec.errors import CbecError
    from cbec.runtime import Runtime

EXIT_NO = 1
EXIT_INPUT = 2

out = Console()
err = Console(stderr=True)


def lang() -> str:
    """The language for messages: ``CBEC_LANG``, else the locale's ``LANG``, else English."""
    from cbec.i18n import negotiate

    return negotiate(
        (os.environ.get("CBEC_LANG") or os.environ.get("LANG") or "").replace("_", "-")
    )


def runtime() -> Runtime:
    """The runtime named by the environment, its schema created or upgraded first."""
    from cbec.runtime import open_runtime

    return open_runtime()


def die(message: str, code: int = EXIT_INPUT) -> NoReturn:
    """Print ``error: message`` on standard error and exit with ``code``. The message is
    printed as text, never as Rich markup: it often quotes what the user gave."""
    err.print(f"[red]error:[/red] {escape(message)}")
    raise typer.Exit(code)


def fail(exc: CbecError) -> NoReturn:
    """Report a core error in the caller's language — the message, then one line per
    violation (field, message, rule) — and exit 2."""
    language = lang()
    err.print(f"[red]error:[/red] {escape(exc.message(language))}")
    for d in exc.details(language):
        err.print(
            f"  {escape(d['field'])}: {escape(d['message'])} [dim]({escape(d['rule'])})[/dim]"
        )
    raise typer.Exit(EXIT_INPUT)
