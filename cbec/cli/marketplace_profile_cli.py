"""``cbec marketplace profile set|show|list|delete``: a tenant's marketplace profiles — per
marketplace, the platform tenant, currency, time zone, origin and incoterm every
``cbec import orders FILE --from …`` of its files uses unless an option overrides it.

Each command calls the same use case as the HTTP API (:mod:`cbec.services.marketplace_profiles`);
a refused input exits 2 naming the field and the rule.
"""

from __future__ import annotations

from typing import Annotated

import typer

from cbec.cli.common import write_json

marketplace = typer.Typer(
    help="Marketplace connectors: the tenant's stored profile of each marketplace.",
    no_args_is_help=True,
)
profile = typer.Typer(
    help="A marketplace's stored import options: set, show, list, delete.",
    no_args_is_help=True,
)
marketplace.add_typer(profile, name="profile")

AsTenant = Annotated[str, typer.Option("--as", help="The tenant acting.")]
Name = Annotated[
    str,
    typer.Argument(
        help="The marketplace: amazon, shopify, tiktok, aliexpress, shopee, lazada, aliexpress-api."
    ),
]


@profile.command("set")
def set_(
    name: Name,
    as_tenant: AsTenant,
    platform: Annotated[
        str | None, typer.Option(help="The cbec platform tenant its orders go to.")
    ] = None,
    currency: Annotated[
        str | None, typer.Option(help="ISO 4217: the currency when a file names none.")
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option("--timezone", "--tz", help="IANA zone of times written without an offset."),
    ] = None,
    origin: Annotated[
        str | None, typer.Option(help="ISO 3166-1 alpha-2: where the goods ship from.")
    ] = None,
    incoterm: Annotated[str | None, typer.Option(help="DDP or DAP.")] = None,
) -> None:
    """Save the profile of marketplace NAME (replacing the one stored); prints it."""
    from pydantic import ValidationError

    from cbec.cli.common import die, fail, tenant_caller
    from cbec.errors import CbecError
    from cbec.services import marketplace_profiles as svc

    rt, caller = tenant_caller(as_tenant)
    try:
        req = svc.ProfileRequest(
            platform=platform,
            currency=currency,
            timezone=timezone,
            origin_country=origin,
            incoterm=incoterm,
        )
    except ValidationError as exc:
        die(f"bad option: {exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}")
    try:
        saved = svc.set_profile(rt.uow(), caller, name, req)
    except CbecError as exc:
        fail(exc)
    write_json(saved.model_dump(mode="json"), 2)


@profile.command("show")
def show(name: Name, as_tenant: AsTenant) -> None:
    """The tenant's profile of marketplace NAME (exit 2 when it has none)."""
    from cbec.cli.common import fail, tenant_caller
    from cbec.errors import CbecError
    from cbec.services import marketplace_profiles as svc

    rt, caller = tenant_caller(as_tenant)
    try:
        found = svc.get_profile(rt.uow(), caller, name)
    except CbecError as exc:
        fail(exc)
    write_json(found.model_dump(mode="json"), 2)


@profile.command("list")
def list_(as_tenant: AsTenant) -> None:
    """Every marketplace profile of the tenant."""
    from cbec.cli.common import tenant_caller
    from cbec.services import marketplace_profiles as svc

    rt, caller = tenant_caller(as_tenant)
    write_json(svc.list_profiles(rt.uow(), caller).model_dump(mode="json"), 2)


@profile.command("delete")
def delete(name: Name, as_tenant: AsTenant) -> None:
    """Remove the tenant's profile of marketplace NAME; prints what it held."""
    from cbec.cli.common import fail, tenant_caller
    from cbec.errors import CbecError
    from cbec.services import marketplace_profiles as svc

    rt, caller = tenant_caller(as_tenant)
    try:
        gone = svc.delete_profile(rt.uow(), caller, name)
    except CbecError as exc:
        fail(exc)
    write_json(gone.model_dump(mode="json"), 2)
