"""Use cases of the operator who runs a deployment (the command line, with the database at
hand): create a tenant with its first API key, set a tenant's customs identity and its
software signing key. No HTTP route offers them: the operator is the caller, by access to
the database and its keys."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from cbec.errors import NotFound
from cbec.store.customs_store import ProfileStore, SigningKeyStore
from cbec.store.repository import UnitOfWork
from cbec.tenancy.records import TenantRow
from cbec.tenancy.roles import Role
from cbec.tenancy.service import create_tenant as _create_tenant
from cbec.trade.types import Text


class NewTenant(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: Text(64)
    role: Role


class CreatedTenant(BaseModel):
    name: str
    role: Role
    api_key: str = Field(description="Shown once; only its hash is stored")


class CustomsProfile(BaseModel):
    """A tenant's customs identity (GACC registration code and name, China E-Port id)."""

    model_config = ConfigDict(frozen=True)

    tenant: Text(64)
    code: Text(18)
    registered_name: Text(100)
    dxp_id: Text(30) | None = None


def create_tenant(uow: UnitOfWork, req: NewTenant) -> CreatedTenant:
    with uow.writing():
        tenant, token = _create_tenant(uow.repo, req.name, req.role)
        uow.commit()
    return CreatedTenant(name=tenant.name, role=tenant.role, api_key=token)


def _tenant(uow: UnitOfWork, name: str) -> TenantRow:
    tenant = uow.repo.tenant_by_name(name)
    if tenant is None:
        raise NotFound("not_found", {"kind": "tenant"})
    return tenant


def set_customs_profile(uow: UnitOfWork, req: CustomsProfile) -> None:
    with uow.writing():
        tenant = _tenant(uow, req.tenant)
        ProfileStore(uow.conn).set(tenant.id, req.code, req.registered_name, req.dxp_id)
        uow.commit()


def set_customs_key(uow: UnitOfWork, tenant_name: str, key: Any) -> None:
    """Store a software SM2 key (sealed with the data key) for the tenant to sign with."""
    with uow.writing():
        tenant = _tenant(uow, tenant_name)
        SigningKeyStore(uow.conn, uow.vault).put(tenant.id, key)
        uow.commit()
