"""``cbec admin user …``: the operator creates, invites, lists, disables and enables the
people who sign in to the web console, for any tenant. Thin adapters over
:mod:`cbec.services.users` (the rules, audit and evidence are there)."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer
from rich.markup import escape

from cbec.cli.common import (
    EXIT_INPUT,
    die,
    err,
    fail,
    out,
    printable,
    runtime,
    text_arg,
    write_json,
)
from cbec.errors import CbecError

user = typer.Typer(
    help="People who sign in to the web console: create, invite, list, disable, enable.",
    no_args_is_help=True,
)
TenantArg = Annotated[str, typer.Argument(help="Tenant name.")]
LoginArg = Annotated[str, typer.Argument(help="The user's login (an e-mail address or a name).")]


class UserRoleOpt(StrEnum):
    admin = "admin"
    operator = "operator"
    viewer = "viewer"


class Fmt(StrEnum):
    text = "text"
    json = "json"


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            err.print("[red]error:[/red] no password on standard input")
            raise typer.Exit(EXIT_INPUT)
        return line.rstrip("\r\n")
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@user.command("create")
def user_create(
    tenant: TenantArg,
    login: LoginArg,
    role: Annotated[UserRoleOpt, typer.Option(help="The user's role within its tenant.")],
    display_name: Annotated[str | None, typer.Option(help="Name shown in the console.")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    invite: Annotated[
        bool,
        typer.Option(
            "--invite", help="No password: print a one-time invite token (see also: invite)."
        ),
    ] = False,
    format: Annotated[Fmt, typer.Option("--format")] = Fmt.text,
) -> None:
    """Create a user of a tenant, with a password (prompted, or --password-stdin) or a
    one-time invite token (--invite). Only the password's Argon2id hash is stored."""
    from pydantic import SecretStr, ValidationError

    from cbec.accounts import UserRole
    from cbec.errors import DocumentInvalid
    from cbec.services import users as svc
    from cbec.trade.validation import violations_from_pydantic

    for value, what in ((tenant, "TENANT"), (login, "LOGIN"), (display_name, "--display-name")):
        if value is not None:
            text_arg(value, what)
    password = None if invite else SecretStr(text_arg(_password(password_stdin), "password"))
    try:
        req = svc.NewUser(
            login=login, role=UserRole(role.value), display_name=display_name, password=password
        )
    except ValidationError as exc:
        fail(DocumentInvalid(violations_from_pydantic(exc)))
    try:
        created = svc.operator_create_user(runtime().uow(), tenant, req)
    except CbecError as exc:
        fail(exc)
    if format is Fmt.json:
        write_json(created.model_dump(mode="json"))
        return
    shown = f"user {created.login} ({created.role.value}) of {tenant} created"
    out.print(escape(printable(f"{shown} (logged at {created.ledger_index})")))
    if created.invite_token:
        out.print(f"invite token (shown once, until {created.invite_expires_at:%Y-%m-%d %H:%M}Z):")
        out.print(created.invite_token)


@user.command("invite")
def user_invite(
    tenant: TenantArg,
    login: LoginArg,
    role: Annotated[UserRoleOpt, typer.Option(help="The user's role within its tenant.")],
    display_name: Annotated[str | None, typer.Option(help="Name shown in the console.")] = None,
    console_url: Annotated[
        str | None,
        typer.Option(
            help="The console's address as the invitee reaches it "
            "[default: http://CBEC_HOST:CBEC_PORT]."
        ),
    ] = None,
    format: Annotated[Fmt, typer.Option("--format")] = Fmt.text,
) -> None:
    """Invite a user of a tenant: print the one-time link with which it chooses its password
    in the console (shown once; it works once, for three days). Only its hash is stored."""
    from pydantic import ValidationError

    from cbec.accounts import UserRole
    from cbec.errors import DocumentInvalid
    from cbec.services import users as svc
    from cbec.trade.validation import violations_from_pydantic

    for value, what in ((tenant, "TENANT"), (login, "LOGIN"), (display_name, "--display-name")):
        if value is not None:
            text_arg(value, what)
    rt = runtime()
    base = (console_url or f"http://{rt.settings.host}:{rt.settings.port}").rstrip("/")
    if not text_arg(base, "--console-url").startswith(("http://", "https://")):
        die(f"--console-url '{base}' is not an http:// or https:// address")
    try:
        req = svc.NewUser(login=login, role=UserRole(role.value), display_name=display_name)
    except ValidationError as exc:
        fail(DocumentInvalid(violations_from_pydantic(exc)))
    try:
        created = svc.operator_create_user(rt.uow(), tenant, req)
    except CbecError as exc:
        fail(exc)
    assert created.invite_token is not None
    link = f"{base}/console/invite/{created.invite_token}"
    if format is Fmt.json:
        write_json(created.model_dump(mode="json") | {"invite_link": link})
        return
    shown = f"user {created.login} ({created.role.value}) of {tenant} invited"
    out.print(escape(printable(f"{shown} (logged at {created.ledger_index})")))
    out.print(f"invitation link (shown once, until {created.invite_expires_at:%Y-%m-%d %H:%M}Z):")
    out.print(escape(printable(link)), soft_wrap=True)


@user.command("list")
def user_list(tenant: TenantArg, format: Annotated[Fmt, typer.Option("--format")] = Fmt.text):
    """List a tenant's users (never their password hashes): role, state, second factor."""
    from cbec.services import users as svc

    text_arg(tenant, "TENANT")
    try:
        views = svc.operator_list_users(runtime().uow(), tenant)
    except CbecError as exc:
        fail(exc)
    if format is Fmt.json:
        write_json([v.model_dump(mode="json") for v in views])
        return
    for v in views:  # one line per user, so that it greps
        state = "disabled" if v.disabled_at else ("invited" if v.invite_pending else "active")
        extra = " totp" if v.totp_on else ""
        if v.locked_until:
            extra += f" locked-until={v.locked_until.isoformat(timespec='minutes')}"
        line = f"{v.login} {v.role.value} {state}{extra} created={v.created_at:%Y-%m-%d}"
        out.print(escape(printable(line)), soft_wrap=True)


def _switch(tenant: str, login: str, action: str) -> None:
    from cbec.services import users as svc

    text_arg(tenant, "TENANT")
    text_arg(login, "LOGIN")
    change = svc.operator_disable_user if action == "disabled" else svc.operator_enable_user
    try:
        done = change(runtime().uow(), tenant, login)
    except CbecError as exc:
        fail(exc)
    out.print(escape(printable(f"user {done.login} of {tenant} {action}")))


@user.command("disable")
def user_disable(tenant: TenantArg, login: LoginArg) -> None:
    """Disable a user: it cannot sign in and its sessions end at once (audited and logged)."""
    _switch(tenant, login, "disabled")


@user.command("enable")
def user_enable(tenant: TenantArg, login: LoginArg) -> None:
    """Enable a disabled user again (a lock from failed logins is lifted too)."""
    _switch(tenant, login, "enabled")
