"""The algorithm registry's tables (:mod:`cbec.store.tables.governance`): records and their
versions. Reads are scoped by the caller (a tenant id, or none for a regulator); the public
read takes only records that have been filed."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select, update

from cbec.ledger.entry import canonical_json
from cbec.store.tables import algorithm_records as r
from cbec.store.tables import algorithm_versions as v
from cbec.store.tables import tenants


def encode(body: dict[str, Any]) -> tuple[str, str]:
    """The canonical JSON of a record body and its SHA-256 (hex)."""
    raw = canonical_json(body)
    return raw.decode("utf-8"), hashlib.sha256(raw).hexdigest()


class AlgorithmStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def create(self, record_id: str, tenant_id: int, body: dict[str, Any], at: datetime) -> str:
        """Insert the record and its version 1; the body's hash."""
        self.conn.execute(
            r.insert().values(
                id=record_id,
                tenant_id=tenant_id,
                name=body["name"],
                algorithm_type=body["algorithm_type"],
                version=1,
                launch_date=_date(body.get("launch_date")),
                created_at=at,
                updated_at=at,
            )
        )
        return self._version(record_id, 1, body, "created", list(body), at)

    def add_version(
        self,
        row: Any,
        body: dict[str, Any],
        summary: str,
        changed: list[str],
        at: datetime,
        pending_since: date | None,
    ) -> str:
        version = row.version + 1
        self.conn.execute(
            update(r)
            .where(r.c.id == row.id)
            .values(
                name=body["name"],
                algorithm_type=body["algorithm_type"],
                version=version,
                launch_date=_date(body.get("launch_date")),
                pending_since=pending_since,
                updated_at=at,
            )
        )
        return self._version(row.id, version, body, summary, changed, at)

    def _version(
        self, record_id: str, version: int, body: dict, summary: str, changed: list, at: datetime
    ) -> str:
        text, digest = encode(body)
        self.conn.execute(
            v.insert().values(
                record_id=record_id,
                version=version,
                body=text,
                body_sha256=digest,
                summary=summary,
                changed_fields=json.dumps(changed),
                changed_at=at,
            )
        )
        return digest

    def mark_filed(self, row: Any, filing_number: str, at: datetime) -> None:
        self.conn.execute(
            update(r)
            .where(r.c.id == row.id)
            .values(
                filed_version=row.version,
                filing_number=filing_number,
                pending_since=None,
                updated_at=at,
            )
        )
        self.conn.execute(
            update(v)
            .where(v.c.record_id == row.id, v.c.version == row.version)
            .values(filing_number=filing_number, filed_at=at)
        )

    def set_ledger_index(self, record_id: str, version: int, index: int | None) -> None:
        self.conn.execute(
            update(v)
            .where(v.c.record_id == record_id, v.c.version == version)
            .values(ledger_index=index)
        )

    def get(self, record_id: str, tenant_id: int | None) -> Any:
        """The record (with its owner's name as ``tenant``) if ``tenant_id`` owns it, or any
        when ``tenant_id`` is None (a regulator)."""
        stmt = _joined().where(r.c.id == record_id)
        if tenant_id is not None:
            stmt = stmt.where(r.c.tenant_id == tenant_id)
        return self.conn.execute(stmt).first()

    def list(self, tenant_id: int | None, owner: str | None = None) -> list[Any]:
        stmt = _joined().order_by(tenants.c.name, r.c.created_at, r.c.id)
        if tenant_id is not None:
            stmt = stmt.where(r.c.tenant_id == tenant_id)
        if owner is not None:
            stmt = stmt.where(tenants.c.name == owner)
        return list(self.conn.execute(stmt))

    def published(self, owner: str) -> list[Any]:
        """The filed records of the tenant named ``owner``, each with its filed version's
        body (``filed_body``)."""
        stmt = (
            _joined()
            .add_columns(v.c.body.label("filed_body"))
            .join(v, (v.c.record_id == r.c.id) & (v.c.version == r.c.filed_version))
            .where(tenants.c.name == owner, r.c.filed_version.is_not(None))
            .order_by(r.c.created_at, r.c.id)
        )
        return list(self.conn.execute(stmt))

    def versions(self, record_id: str) -> list[Any]:
        stmt = select(v).where(v.c.record_id == record_id).order_by(v.c.version)
        return list(self.conn.execute(stmt))

    def body(self, record_id: str, version: int) -> dict[str, Any]:
        text = self.conn.execute(
            select(v.c.body).where(v.c.record_id == record_id, v.c.version == version)
        ).scalar_one()
        return json.loads(text)


def _joined():
    return select(r, tenants.c.name.label("tenant")).join(tenants, tenants.c.id == r.c.tenant_id)


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value
