"""The operator's commands: ``cbec admin …`` (tenants, API keys, customs identities and
signing keys), ``cbec db upgrade`` and ``cbec demo`` (the demo tenants and documents)."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cbec.cli.common import die, fail, out, printable, runtime, text_arg
from cbec.errors import CbecError

admin = typer.Typer(help="Tenants and API keys.", no_args_is_help=True)
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
) -> None:
    """Load demo tenants and documents (idempotent) and print the demo API keys."""
    from cbec.demo.loader import load

    rt = runtime()
    tenants, counts = load(rt)
    if format is DemoFmt.env:
        for t in tenants:
            sys.stdout.write(f"export {env_name(t.name)}={t.api_key}\n")
        return
    if format is DemoFmt.json:
        payload = {
            "tenants": [{"name": t.name, "role": t.role, "api_key": t.api_key} for t in tenants]
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
    for plural, c in counts.items():
        out.print(f"{plural}: {c['created']} created, {c['unchanged']} already present")
    out.print(f"database: {rt.settings.resolved_database_url()}")
    out.print('shell variables with the keys: eval "$(cbec demo --format env)"')


@db.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the schema to the newest revision."""
    rt = runtime()
    out.print(f"schema up to date: {rt.settings.resolved_database_url()}")


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
    from cbec.trade.filing import violations_from_pydantic

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
