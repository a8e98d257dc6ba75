"""Plain records of tenants, shared by the domain and the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from cbec.tenancy.roles import Role


@dataclass(frozen=True)
class TenantRow:
    id: int
    name: str
    role: Role
    # when the tenant was created, where the reader has it (not part of a tenant's identity)
    created_at: datetime | None = field(default=None, compare=False)
