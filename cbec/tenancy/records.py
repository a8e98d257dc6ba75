"""Plain records of tenants, shared by the domain and the store."""

from __future__ import annotations

from dataclasses import dataclass

from cbec.tenancy.roles import Role


@dataclass(frozen=True)
class TenantRow:
    id: int
    name: str
    role: Role
