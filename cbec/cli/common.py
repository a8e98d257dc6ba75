"""What the command modules share: the two consoles, the language messages are printed in,
opening the runtime, and how a failure is reported.

Exit statuses are the same for every command: 0 when it did its job, 1 when it ran but
the answer is "no" (a file with problems, rejected rows, a mismatch), 2 when it could not
run on what it was given (bad input, unknown tenant, unreadable file — with a message on
standard error naming the problem), 3 for the ledger monitor's FORK alarm.

This module, like every command module, imports nothing but the standard library, Typer
and Rich at the top: the libraries a command needs are imported inside it, so ``cbec
--help`` stays fast.
"""

from __future__ import annotations

import json
import os
import sys
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NoReturn

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


def runtime(init_keys: bool = False) -> Runtime:
    """The runtime named by the environment, its schema created or upgraded first and its
    keys checked against the database's. A process whose keys do not fit
    (:class:`~cbec.errors.KeysMismatch`), or a schema newer than this program knows
    (:class:`~cbec.errors.SchemaTooNew`), stops here with the one-line reason, exit status 2:
    every command, ``cbec serve`` included, opens its database here."""
    from cbec.errors import CbecError
    from cbec.runtime import open_runtime

    try:
        return open_runtime(init_keys=init_keys)
    except CbecError as exc:
        refuse(exc)


def tenant_caller(as_tenant: str) -> tuple[Runtime, Any]:
    """The runtime and the caller ``--as`` names (a tenant, acting as the API would for its
    key); an unknown tenant stops here (exit 2)."""
    from cbec.errors import CbecError
    from cbec.services.documents import caller_named

    text_arg(as_tenant, "--as")
    rt = runtime()
    try:
        return rt, caller_named(rt.uow(), as_tenant)
    except CbecError:
        die(f"no tenant named {as_tenant}")


def refuse(exc: CbecError) -> NoReturn:
    """Report a refusal to run (the process's keys, :class:`~cbec.errors.KeysMismatch`) on
    one line, unwrapped, so that it reads whole in a service's log too; exit 2."""
    err.print(f"[red]error:[/red] {escape(printable(exc.message(lang())))}", soft_wrap=True)
    raise typer.Exit(EXIT_INPUT) from None


def printable(text: str) -> str:
    """``text`` safe to put on a terminal: control and format characters (escape sequences,
    bidirectional overrides) and lone surrogates (what Python makes of bytes that are not
    UTF-8) shown as escapes, so quoting a user's input in a message can neither fail to
    encode nor play tricks on the terminal."""
    if text.isprintable():
        return text
    return "".join(
        ch if ch in "\n\t" or ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )


def die(message: str, code: int = EXIT_INPUT) -> NoReturn:
    """Print ``error: message`` on standard error and exit with ``code``. The message is
    printed as text, never as Rich markup, and with control characters escaped: it often
    quotes what the user gave."""
    # soft wrap: a long path or value stays on one line (a terminal still folds it), so a
    # log or a grep of standard error finds it whole
    err.print(f"[red]error:[/red] {escape(printable(message))}", soft_wrap=True)
    raise typer.Exit(code)


def text_arg(value: str, what: str) -> str:
    """``value`` if it is text that can be stored and printed; otherwise exit 2. A lone
    surrogate in an argument is a byte the shell passed that is not UTF-8: it names
    nothing cbec holds, and the database driver would refuse it."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        die(f"{what} '{printable(value)}' is not UTF-8 text")
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value (JSON numbers are finite)")


def read_json(data: bytes, source: str = "stdin") -> Any:
    """Parse JSON input strictly, numbers as ``Decimal`` (as the API reads them), or exit 2
    naming the problem: bytes that are not UTF-8, text that is not JSON (``NaN`` and
    ``Infinity`` are not), nesting too deep to read."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        die(f"{source} is not UTF-8 text: {exc}")
    try:
        return json.loads(text, parse_constant=_no_constant, parse_float=Decimal)
    except RecursionError:
        from cbec.i18n import render
        from cbec.jsonio import MAX_DEPTH

        die(f"{source}: " + render("json_too_deep", lang(), {"limit": MAX_DEPTH}))
    except ValueError as exc:  # JSONDecodeError, and NaN/Infinity
        die(f"{source} is not JSON: {exc}")


def read_stdin_json() -> Any:
    """The JSON document on standard input (see :func:`read_json`)."""
    return read_json(sys.stdin.buffer.read())


def json_text(doc: Any, indent: int | None = None) -> str:
    """``doc`` as JSON text with non-ASCII characters as they are — unless a string holds a
    lone surrogate (from ``\\udxxx`` escapes in the input), which UTF-8 cannot carry: then
    the whole text is written with escapes, still the same JSON."""
    text = json.dumps(doc, ensure_ascii=False, indent=indent)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(doc, ensure_ascii=True, indent=indent)
    return text


def write_json(doc: Any, indent: int | None = None) -> None:
    """``doc`` as one line (or indented block) of JSON on standard output."""
    sys.stdout.write(json_text(doc, indent) + "\n")


def fail(exc: CbecError) -> NoReturn:
    """Report a core error in the caller's language — the message, then one line per
    violation (field, message, rule) — and exit 2."""
    language = lang()
    err.print(f"[red]error:[/red] {escape(printable(exc.message(language)))}", soft_wrap=True)
    for d in exc.details(language):
        field, message, rule = (escape(printable(str(d[k]))) for k in ("field", "message", "rule"))
        err.print(f"  {field}: {message} [dim]({rule})[/dim]", soft_wrap=True)
    raise typer.Exit(EXIT_INPUT)


def invalid(exc: Any) -> NoReturn:
    """Report a pydantic ``ValidationError`` of a command's input as the API would — each
    field with its rule (:func:`cbec.trade.validation.violations_from_pydantic`) — and exit 2."""
    from cbec.errors import DocumentInvalid
    from cbec.trade.validation import violations_from_pydantic

    fail(DocumentInvalid(violations_from_pydantic(exc)))


def run_as(as_tenant: str, work: Any) -> Any:
    """``work(uow, caller)`` for the tenant ``--as`` names; a core error is reported by
    :func:`fail`."""
    from cbec.errors import CbecError

    rt, caller = tenant_caller(as_tenant)
    try:
        return work(rt.uow(), caller)
    except CbecError as exc:
        fail(exc)
