"""Tenants: create one with a first API key, or make sure a demo tenant holds its key
(authentication and key management: :mod:`cbec.services.keys`)."""

from __future__ import annotations

import re
from datetime import datetime

from cbec.errors import Conflict, DocumentInvalid, Violation
from cbec.tenancy import apikeys
from cbec.tenancy.records import TenantRow
from cbec.tenancy.roles import Role
from cbec.trade.ports import TenantRepository

NAME = re.compile(r"[a-z0-9][a-z0-9-]{1,63}")


def create_tenant(repo: TenantRepository, name: str, role: Role) -> tuple[TenantRow, str]:
    """A new tenant and its first API key (returned once; only its hash is stored)."""
    if not NAME.fullmatch(name):
        raise DocumentInvalid(
            [Violation("name", "string_pattern_mismatch", {"pattern": NAME.pattern})]
        )
    if repo.tenant_by_name(name) is not None:
        raise Conflict("conflict_natural_key", {"kind": "tenant", "key": name})
    tenant = repo.add_tenant(name, role)
    key = apikeys.issue()
    repo.add_api_key(tenant.id, key.key_id, key.secret_hash, "created with tenant")
    return tenant, key.token


def ensure_tenant_with_key(
    repo: TenantRepository,
    name: str,
    role: Role,
    key: apikeys.IssuedKey,
    created_at: datetime | None = None,
) -> TenantRow:
    """Idempotently make sure ``name`` exists with ``role`` and holds ``key`` (demo setup);
    a new tenant is dated ``created_at`` (default: now)."""
    tenant = repo.tenant_by_name(name) or repo.add_tenant(name, role, created_at)
    if not repo.has_api_key(key.key_id):
        repo.add_api_key(tenant.id, key.key_id, key.secret_hash, "demo")
    return tenant
