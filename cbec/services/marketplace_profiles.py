"""Use cases of a tenant's marketplace profiles: what every order file of one marketplace
cannot say, stored once — the cbec platform tenant its orders are filed under, the currency
where a file names none, the IANA time zone of times written without an offset, where the
goods ship from and the incoterm. A marketplace import fills every option it is not given
from the profile of the marketplace its file is read as
(:func:`cbec.services.marketplace_import.prepare`).

A tenant sees and changes only its own profiles: another tenant's is "not found", as for
documents (:mod:`cbec.tenancy.access`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

import pycountry
from pydantic import BaseModel, ConfigDict, Field

from cbec.connectors.marketplaces import NAMES
from cbec.errors import BadRequest, DocumentInvalid, NotFound, Violation
from cbec.services.import_desk_drafts import may_import
from cbec.services.users import SessionUser
from cbec.store.marketplace_profile_store import FIELDS, MarketplaceProfileStore
from cbec.store.repository import UnitOfWork
from cbec.tenancy.access import Viewer
from cbec.tenancy.roles import ROLE_NAMES, Role
from cbec.trade import checking, zones
from cbec.trade.kinds import KINDS
from cbec.trade.ports import now

MARKETPLACES = tuple(n for n in NAMES if n != "auto")
KIND = "marketplace_profile"


class ProfileRequest(BaseModel):
    """A marketplace profile as saved: every field may be left out (the import's option, or
    its default, then applies)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    platform: str | None = Field(
        None,
        min_length=1,
        max_length=64,
        description="The cbec platform tenant the marketplace's orders are filed under",
    )
    currency: str | None = Field(
        None, max_length=3, description="ISO 4217: the currency when a file names none"
    )
    timezone: str | None = Field(
        None, max_length=64, description="IANA zone of the times a file writes without an offset"
    )
    origin_country: str | None = Field(
        None, max_length=2, description="ISO 3166-1 alpha-2: where the goods ship from"
    )
    incoterm: Literal["DDP", "DAP"] | None = Field(None, description="DDP or DAP")


class MarketplaceProfile(ProfileRequest):
    marketplace: str = Field(description="The export's name (`shopify`, `tiktok`, …)")
    updated_at: datetime


class ProfileList(BaseModel):
    profiles: list[MarketplaceProfile]


def _marketplace(name: str) -> str:
    if name not in MARKETPLACES:
        raise BadRequest(
            "marketplace_format_unknown", {"wanted": name[:32], "formats": ", ".join(MARKETPLACES)}
        )
    return name


def _profile(row: Any) -> MarketplaceProfile:
    return MarketplaceProfile(
        marketplace=row.marketplace,
        updated_at=row.updated_at,
        **{f: getattr(row, f) for f in FIELDS},
    )


def _problems(uow: UnitOfWork, req: ProfileRequest) -> list[Violation]:
    """Each field that names nothing real: a platform no platform tenant has (refused as the
    filing refuses it), a currency not in ISO 4217, a zone not in the IANA database, a
    country not in ISO 3166-1."""
    out: list[Violation] = []
    if req.platform is not None:
        tenant = uow.repo.tenant_by_name(req.platform)
        if tenant is None or tenant.role is not Role.PLATFORM:
            params = {"role": ROLE_NAMES[Role.PLATFORM]["en"], "name": req.platform}
            out.append(Violation("platform", "party_unknown", params))
    if req.currency is not None and (
        not req.currency.isupper() or pycountry.currencies.get(alpha_3=req.currency) is None
    ):
        out.append(Violation("currency", "currency_code"))
    if req.origin_country is not None and (
        not req.origin_country.isupper()
        or pycountry.countries.get(alpha_2=req.origin_country) is None
    ):
        out.append(Violation("origin_country", "country_code"))
    try:
        zones.zone_of(req.timezone)
    except BadRequest as exc:
        out.append(Violation("timezone", exc.rule, exc.params))
    return out


def set_profile(
    uow: UnitOfWork, viewer: Viewer, marketplace: str, req: ProfileRequest
) -> MarketplaceProfile:
    """Save (insert or replace) ``viewer``'s profile of ``marketplace``: a tenant that may
    file orders; 422 naming each field that names nothing real."""
    _marketplace(marketplace)
    checking.may_file(viewer, KINDS["order"])
    with uow.writing():
        problems = _problems(uow, req)
        if problems:
            raise DocumentInvalid(problems)
        store = MarketplaceProfileStore(uow.conn)
        store.save(viewer.tenant_id, marketplace, req.model_dump(), now())
        row = store.get(viewer.tenant_id, marketplace)
        uow.commit()
    return _profile(row)


def set_for_user(
    uow: UnitOfWork, user: SessionUser, marketplace: str, req: ProfileRequest
) -> MarketplaceProfile:
    """The console's save: an admin or operator of a tenant that files orders."""
    may_import(user, KINDS["order"])
    return set_profile(uow, user.viewer, marketplace, req)


def get_profile(uow: UnitOfWork, viewer: Viewer, marketplace: str) -> MarketplaceProfile:
    """``viewer``'s profile of ``marketplace``; 404 when it has none."""
    with uow:
        row = MarketplaceProfileStore(uow.conn).get(viewer.tenant_id, marketplace)
    if row is None:
        raise NotFound("not_found", {"kind": KIND})
    return _profile(row)


def list_profiles(uow: UnitOfWork, viewer: Viewer) -> ProfileList:
    with uow:
        rows = MarketplaceProfileStore(uow.conn).all(viewer.tenant_id)
    return ProfileList(profiles=[_profile(r) for r in rows])


def delete_profile(uow: UnitOfWork, viewer: Viewer, marketplace: str) -> MarketplaceProfile:
    """Remove ``viewer``'s profile of ``marketplace`` (answered with what it held); 404 when
    it has none. Imports then take every value from their options again."""
    with uow.writing():
        store = MarketplaceProfileStore(uow.conn)
        row = store.get(viewer.tenant_id, marketplace)
        if row is None or not store.delete(viewer.tenant_id, marketplace):
            raise NotFound("not_found", {"kind": KIND})
        uow.commit()
    return _profile(row)


def delete_for_user(uow: UnitOfWork, user: SessionUser, marketplace: str) -> MarketplaceProfile:
    """The console's delete: an admin or operator of a tenant that files orders (a viewer
    only reads); 404 when the tenant has no profile of ``marketplace``."""
    may_import(user, KINDS["order"])
    return delete_profile(uow, user.viewer, marketplace)


def stored(uow: UnitOfWork, viewer: Viewer, marketplace: str) -> dict[str, str]:
    """The values ``viewer``'s profile of ``marketplace`` sets (none: no profile)."""
    with uow:
        row = MarketplaceProfileStore(uow.conn).get(viewer.tenant_id, marketplace)
    if row is None:
        return {}
    return {f: getattr(row, f) for f in FIELDS if getattr(row, f) is not None}
