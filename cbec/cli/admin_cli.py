"""The operator's commands: ``cbec admin …`` (tenants, the deployment's keys — ``cbec admin
keys …``, :mod:`cbec.cli.keys_cli` —, API keys — ``cbec admin key …`` —,
console users — ``cbec admin user …``, :mod:`cbec.cli.user_cli` —, customs identities and
signing keys), ``cbec db upgrade`` and ``cbec demo`` (the demo tenants
and documents)."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cbec.cli.backup_cli import backup_cmd, restore_cmd
from cbec.cli.common import die, fail, out, printable, runtime, text_arg
from cbec.cli.keys_cli import keys
from cbec.cli.user_cli import user
from cbec.errors import CbecError

admin = typer.Typer(help="Tenants, API keys and console users.", no_args_is_help=True)
db = typer.Typer(help="Database schema.", no_args_is_help=True)


class Fmt(StrEnum):
    text = "text"
    json = "json"


class DemoFmt(StrEnum):
    text = "text"
    json = "json"
    env = "env"


class RoleOpt(StrEnum):
    seller = "seller"
    platform = "platform"
    payment = "payment"
    logistics = "logistics"
    regulator = "regulator"


def env_name(tenant: str) -> str:
    """``sz-gadgets`` → ``CBEC_KEY_SZ_GADGETS`` (for ``eval "$(cbec demo --format env)"``)."""
    return "CBEC_KEY_" + tenant.upper().replace("-", "_")


def demo(
    format: Annotated[DemoFmt, typer.Option("--format", help="text, json or env")] = DemoFmt.text,
    size: Annotated[
        str | None,
        typer.Option(
            "--size",
            help="small (about 900 orders), default (6,000), large (30,000) or a number of "
            "orders — a year of activity either way. Unset: CBEC_DEMO_SIZE, else default.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Load demo tenants and a year of their documents (idempotent) and print the demo API
    keys and the logins and passwords of the demo tenants' console admins."""
    from cbec.config import get_settings
    from cbec.demo.loader import load, orders, year

    given = "--size" if size is not None else "CBEC_DEMO_SIZE"
    size = size if size is not None else get_settings().demo_size
    try:
        orders(size)
    except ValueError as exc:
        die(f"{given}: {exc}")
    rt = runtime(init_keys=True)  # a new, empty database gets its keys; others must have them
    tenants, counts = load(rt, size)
    span = year(rt)
    assert span is not None  # the load anchored it
    if format is DemoFmt.env:
        for t in tenants:
            sys.stdout.write(f"export {env_name(t.name)}={t.api_key}\n")
        return
    if format is DemoFmt.json:
        payload = {
            "tenants": [
                {
                    "name": t.name,
                    "role": t.role,
                    "api_key": t.api_key,
                    "admin_login": t.admin_login,
                    "admin_password": t.admin_password,
                }
                for t in tenants
            ],
            "year": {
                "start": span.start.isoformat(),
                "end": span.end.isoformat(),
                "anchor": span.anchor.isoformat().replace("+00:00", "Z"),
            },
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
        return
    table = Table(title="Demo tenants", show_lines=False)
    for col in ("name", "role"):
        table.add_column(col)
    table.add_column("API key", overflow="fold")
    for t in tenants:
        table.add_row(t.name, t.role, t.api_key)
    out.print(table)
    admins = Table(title="Demo console admins", show_lines=False)
    for col in ("tenant", "login", "password"):
        admins.add_column(col, overflow="fold")
    for t in tenants:
        admins.add_row(t.name, t.admin_login, t.admin_password)
    out.print(admins)
    for plural, c in counts.items():
        out.print(f"{plural}: {c['created']} created, {c['unchanged']} already present")
    out.print(
        f"the demo's year: {span.start} to {span.anchor:%Y-%m-%d %H:%M} UTC "
        "(it ends where the demo was first loaded)"
    )
    out.print(f"database: {rt.settings.resolved_database_url()}")
    out.print('shell variables with the keys: eval "$(cbec demo --format env)"')


@db.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the schema to the newest revision (needs no keys: a deployment's
    migrations may run before, or apart from, the processes that hold them)."""
    from cbec.config import get_settings
    from cbec.store.db import make_engine, upgrade

    settings = get_settings()
    engine = make_engine(settings.resolved_database_url(), settings.sqlite_busy_timeout_ms)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    out.print(f"schema up to date: {settings.resolved_database_url()}")


@admin.command("create-tenant")
def create_tenant(
    name: Annotated[str, typer.Argument(help="Lower-case name, e.g. sz-gadgets.")],
    role: Annotated[RoleOpt, typer.Option(help="The tenant's role.")],
    format: Annotated[Fmt, typer.Option("--format")] = Fmt.text,
) -> None:
    """Create a tenant and print its API key (shown once; only its hash is stored)."""
    from cbec.services import admin as svc
    from cbec.tenancy.roles import Role

    text_arg(name, "NAME")
    rt = runtime()
    try:
        created = svc.create_tenant(rt.uow(), svc.NewTenant(name=name, role=Role(role.value)))
    except CbecError as exc:
        fail(exc)
    if format is Fmt.json:
        sys.stdout.write(json.dumps(created.model_dump(mode="json")) + "\n")
    else:
        out.print(f"tenant [bold]{created.name}[/bold] ({created.role.value}) created")
        out.print(f"API key (store it now, it is not shown again): {created.api_key}")


@admin.command("customs-profile")
def customs_profile(
    name: Annotated[str, typer.Argument(help="Tenant name.")],
    code: Annotated[str, typer.Option(help="Customs registration code (≤ 18).")],
    registered_name: Annotated[str, typer.Option("--name", help="Registered name (≤ 100).")],
    dxp_id: Annotated[
        str | None, typer.Option(help="China E-Port exchange id, if it sends.")
    ] = None,
) -> None:
    """Set a tenant's customs identity, used when cbec builds customs messages."""
    from pydantic import ValidationError

    from cbec.errors import DocumentInvalid
    from cbec.services import admin as svc
    from cbec.trade.validation import violations_from_pydantic

    for value, what in ((name, "NAME"), (code, "--code"), (registered_name, "--name")):
        text_arg(value, what)
    if dxp_id is not None:
        text_arg(dxp_id, "--dxp-id")
    rt = runtime()
    try:
        profile = svc.CustomsProfile(
            tenant=name, code=code, registered_name=registered_name, dxp_id=dxp_id
        )
    except ValidationError as exc:
        fail(DocumentInvalid(violations_from_pydantic(exc)))
    try:
        svc.set_customs_profile(rt.uow(), profile)
    except CbecError:
        die(f"no tenant named {name}")
    out.print(escape(printable(f"customs profile of {name}: {code} {registered_name}")))


@admin.command("customs-key")
def customs_key(
    name: Annotated[str, typer.Argument(help="Tenant name.")],
    key_name: Annotated[str, typer.Option(help="KeyName (certificate number) to sign as.")],
    pem: Annotated[
        Path | None,
        typer.Option(exists=True, dir_okay=False, help="SM2 private key PEM; new if omitted."),
    ] = None,
) -> None:
    """Give a tenant a software SM2 key: cbec then signs its CEB621/623/625 itself.

    For test environments and demos — production keys stay on the E-Port card, and messages
    signed there come back through POST /customs/messages. Prints the public key PEM."""
    from cbec.customs.sign import Sm2SoftwareKey
    from cbec.services import admin as svc

    text_arg(name, "NAME")
    text_arg(key_name, "--key-name")
    try:
        key = Sm2SoftwareKey.from_pem(pem.read_bytes(), key_name) if pem else None
    except ValueError as exc:
        die(str(exc))
    key = key or Sm2SoftwareKey.generate(key_name)
    rt = runtime()
    try:
        svc.set_customs_key(rt.uow(), name, key)
    except CbecError:
        die(f"no tenant named {name}")
    sys.stdout.write(key.public_key().pem().decode())


@admin.command("list-tenants")
def list_tenants() -> None:
    """List tenants and roles."""
    rt = runtime()
    with rt.uow() as uow:
        rows = uow.repo.list_tenants()
    table = Table()
    table.add_column("name")
    table.add_column("role")
    for t in rows:
        table.add_row(t.name, t.role.value)
    out.print(table)


key = typer.Typer(help="A tenant's API keys: create, list, revoke, rotate.", no_args_is_help=True)
admin.add_typer(key, name="key")
admin.add_typer(user, name="user")
admin.add_typer(keys, name="keys")
admin.command("backup")(backup_cmd)
admin.command("restore")(restore_cmd)
TenantArg = Annotated[str, typer.Argument(help="Tenant name.")]
KeyIdArg = Annotated[str, typer.Argument(help="The key id (cbec_<key id>_…).")]


def _issued(issued, format: Fmt, what: str) -> None:
    if format is Fmt.json:
        sys.stdout.write(json.dumps(issued.model_dump(mode="json"), ensure_ascii=False) + "\n")
        return
    out.print(escape(printable(f"key {issued.key_id} {what} (logged at {issued.ledger_index})")))
    out.print(f"API key (store it now, it is not shown again): {issued.token}")


@key.command("create")
def key_create(
    tenant: TenantArg,
    label: Annotated[str | None, typer.Option(help="What the key is for (≤ 64).")] = None,
    expires: Annotated[
        str | None, typer.Option(help="Expiry, RFC 3339 with a zone: 2027-01-01T00:00:00Z.")
    ] = None,
    format: Annotated[Fmt, typer.Option("--format")] = Fmt.text,
) -> None:
    """Create an API key for a tenant and print it (shown once; only its hash is stored)."""
    from pydantic import ValidationError

    from cbec.errors import DocumentInvalid
    from cbec.services import keys as svc
    from cbec.trade.validation import violations_from_pydantic

    for value in (tenant, label, expires):
        if value is not None:
            text_arg(value, "argument")
    try:
        req = svc.NewKey(label=label, expires_at=expires)
    except ValidationError as exc:
        fail(DocumentInvalid(violations_from_pydantic(exc)))
    try:
        issued = svc.operator_create_key(runtime().uow(), tenant, req)
    except CbecError as exc:
        fail(exc)
    _issued(issued, format, "created")


@key.command("list")
def key_list(
    tenant: TenantArg, format: Annotated[Fmt, typer.Option("--format")] = Fmt.text
) -> None:
    """List a tenant's API keys (never their secrets): expiry, last use, revocation."""
    from cbec.services import keys as svc

    text_arg(tenant, "TENANT")
    try:
        views = svc.operator_list_keys(runtime().uow(), tenant)
    except CbecError as exc:
        fail(exc)
    if format is Fmt.json:
        rows = [v.model_dump(mode="json") for v in views]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False) + "\n")
        return
    for v in views:  # one line per key, so that it greps and never wraps mid-value
        state = "active" if v.active else ("revoked" if v.revoked_at else "expired")
        times = {
            "created": v.created_at,
            "expires": v.expires_at,
            "last-used": v.last_used_at,
            "revoked": v.revoked_at,
        }
        shown = " ".join(f"{k}={t.isoformat(timespec='minutes')}" for k, t in times.items() if t)
        label = json.dumps(v.label or "", ensure_ascii=False)
        out.print(escape(printable(f"{v.key_id} {state} {label} {shown}")), soft_wrap=True)


@key.command("audit")
def key_audit(tenant: TenantArg) -> None:
    """The audit trail of a tenant's keys: when, who, what, and the log index — JSON lines."""
    from cbec.services import keys as svc

    text_arg(tenant, "TENANT")
    try:
        events = svc.operator_key_audit(runtime().uow(), tenant)
    except CbecError as exc:
        fail(exc)
    for e in events:
        sys.stdout.write(json.dumps(e.model_dump(mode="json"), ensure_ascii=False) + "\n")


@key.command("revoke")
def key_revoke(tenant: TenantArg, key_id: KeyIdArg) -> None:
    """Revoke a tenant's API key: it answers 401 from now on (audited and logged)."""
    from cbec.services import keys as svc

    text_arg(tenant, "TENANT")
    text_arg(key_id, "KEY_ID")
    try:
        done = svc.operator_revoke_key(runtime().uow(), tenant, key_id)
    except CbecError as exc:
        fail(exc)
    out.print(escape(printable(f"key {done.key_id} revoked (logged at {done.ledger_index})")))


@key.command("rotate")
def key_rotate(
    tenant: TenantArg,
    key_id: KeyIdArg,
    format: Annotated[Fmt, typer.Option("--format")] = Fmt.text,
) -> None:
    """Give a tenant's API key a new secret and print it; the old one stops working at once."""
    from cbec.services import keys as svc

    text_arg(tenant, "TENANT")
    text_arg(key_id, "KEY_ID")
    try:
        issued = svc.operator_rotate_key(runtime().uow(), tenant, key_id)
    except CbecError as exc:
        fail(exc)
    _issued(issued, format, "rotated")
