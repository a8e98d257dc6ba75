"""Reads and writes of the transfer register (:mod:`cbec.store.tables.privacy`).

The yearly counts are what the CAC provisions of 2024-03-22 set their thresholds on:
individuals, cumulative since 1 January (自当年1月1日起累计). A transfer made of stored
documents names its individuals by keyed hash, so a person in several transfers counts
once; one declared by number cannot be matched and adds its number (counting a person twice
errs toward the stricter route, never the laxer)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Integer, and_, func, insert, select, true

from cbec.store.tables import data_transfer_subjects, data_transfers, documents, tenants

_T = data_transfers
_S = data_transfer_subjects


@dataclass(frozen=True)
class YearCounts:
    """Individuals sent abroad in a year up to a day, by kind of personal information."""

    non_sensitive: int
    sensitive: int


class TransferStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def subjects_of(self, tenant_id: int, doc_ids: Sequence[str]) -> dict[str, str | None]:
        """The keyed subject hash of each of ``doc_ids`` the tenant filed (an order's buyer, a
        payment's payer; None for a document that names no one); ids it did not file are
        absent."""
        out: dict[str, str | None] = {}
        d = documents
        for i in range(0, len(doc_ids), 500):
            part = list(doc_ids[i : i + 500])
            rows = self.conn.execute(
                select(d.c.id, d.c.subject_ref).where(
                    d.c.id.in_(part), d.c.filer_tenant_id == tenant_id
                )
            )
            out.update({r.id: r.subject_ref for r in rows})
        return out

    def year_counts(
        self, tenant_id: int, year_start: date, through: date, origin: str = "CN"
    ) -> YearCounts:
        """Individuals in the tenant's counted transfers from ``origin`` dated from
        ``year_start`` through ``through``: distinct subjects (sensitive when any transfer
        sent their sensitive information) plus the numbers declared."""
        window = self._window(tenant_id, year_start, through, origin)
        declared = self.conn.execute(
            select(
                func.coalesce(func.sum(_T.c.declared_individuals), 0),
                func.coalesce(func.sum(_T.c.declared_sensitive), 0),
            ).where(window)
        ).one()
        per_subject = (
            select(_S.c.subject_ref, func.max(_S.c.sensitive.cast(Integer)).label("s"))
            .join(_T, _T.c.id == _S.c.transfer_id)
            .where(window)
            .group_by(_S.c.subject_ref)
            .subquery()
        )
        subjects = self.conn.execute(
            select(
                func.count(),
                func.coalesce(func.sum(per_subject.c.s), 0),
            ).select_from(per_subject)
        ).one()
        total_subjects, sensitive_subjects = int(subjects[0]), int(subjects[1])
        return YearCounts(
            non_sensitive=int(declared[0]) + total_subjects - sensitive_subjects,
            sensitive=int(declared[1]) + sensitive_subjects,
        )

    def prior_subjects(
        self, tenant_id: int, year_start: date, through: date, refs: Sequence[str]
    ) -> dict[str, bool]:
        """Which of ``refs`` the tenant's counted transfers from China in the window already
        sent, and whether any sent their sensitive information."""
        out: dict[str, bool] = {}
        for i in range(0, len(refs), 500):
            part = list(refs[i : i + 500])
            rows = self.conn.execute(
                select(_S.c.subject_ref, func.max(_S.c.sensitive.cast(Integer)).label("s"))
                .join(_T, _T.c.id == _S.c.transfer_id)
                .where(self._window(tenant_id, year_start, through), _S.c.subject_ref.in_(part))
                .group_by(_S.c.subject_ref)
            )
            out.update({r.subject_ref: bool(r.s) for r in rows})
        return out

    def lock_exporter(self, tenant_id: int) -> None:
        """Serialise one exporter's records (PostgreSQL row lock; SQLite's write transaction
        already is one writer at a time)."""
        self.conn.execute(select(tenants.c.id).where(tenants.c.id == tenant_id).with_for_update())

    @staticmethod
    def _window(tenant_id: int, year_start: date, through: date, origin: str = "CN") -> Any:
        return and_(
            _T.c.tenant_id == tenant_id,
            _T.c.origin == origin,
            _T.c.counted == true(),
            _T.c.transferred_on >= year_start,
            _T.c.transferred_on <= through,
        )

    def add(self, row: dict[str, Any], subjects: Iterable[tuple[str, bool]]) -> None:
        encoded = {
            "data_categories": json.dumps(row["data_categories"]),
            "decision": json.dumps(row["decision"], ensure_ascii=False),
        }
        self.conn.execute(insert(_T).values(row | encoded))
        rows = [
            {"transfer_id": row["id"], "subject_ref": ref, "sensitive": sensitive}
            for ref, sensitive in subjects
        ]
        for i in range(0, len(rows), 1000):
            self.conn.execute(insert(_S), rows[i : i + 1000])

    def listed(
        self, tenant_id: int | None, year_start: date, year_end: date, limit: int
    ) -> list[dict[str, Any]]:
        """The transfers dated in the window, newest first: one tenant's, or every tenant's
        (``tenant_id`` None — the regulator's register); each row with its exporter's name
        and the number of individuals its documents named (``subjects``), JSON decoded."""
        n = select(func.count()).where(_S.c.transfer_id == _T.c.id).correlate(_T).scalar_subquery()
        q = (
            select(_T, tenants.c.name.label("exporter"), n.label("subjects"))
            .join(tenants, tenants.c.id == _T.c.tenant_id)
            .where(_T.c.transferred_on >= year_start, _T.c.transferred_on <= year_end)
            .order_by(_T.c.transferred_on.desc(), _T.c.recorded_at.desc(), _T.c.id)
            .limit(limit)
        )
        if tenant_id is not None:
            q = q.where(_T.c.tenant_id == tenant_id)
        out = []
        for r in self.conn.execute(q).mappings():
            row = dict(r)
            row["data_categories"] = json.loads(row["data_categories"])
            row["decision"] = json.loads(row["decision"])
            out.append(row)
        return out

    def rekey_subjects(self, old: str, new: str) -> None:
        """An HMAC key rotation: the subjects' hashes under the next key (the same person
        must stay one person across the rotation)."""
        self.conn.execute(_S.update().where(_S.c.subject_ref == old).values(subject_ref=new))
