"""Reads and writes of tracking events (:mod:`cbec.store.tables.logistics`).

Writes go in bulk: a carrier's feed arrives as thousands of events, and one statement per
batch (``executemany``) is what makes ingest fast on both databases. An event the recorder
already holds — the same EPCIS event hash ID — is not written again."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select

from cbec.store.tables import tracking_event_keys, tracking_events

_E = tracking_events
_K = tracking_event_keys
CHUNK = 500


@dataclass(frozen=True)
class NewEvent:
    event_id: str
    event_type: str
    event_time: datetime
    biz_step: str | None
    body: str
    waybill_id: str | None
    keys: tuple[str, ...]
    ledger_index: int | None = None


@dataclass(frozen=True)
class StoredEvent:
    pk: int
    recorder_tenant_id: int
    waybill_id: str | None
    event_id: str
    event_type: str
    event_time: datetime
    recorded_at: datetime
    body: str
    ledger_index: int | None


def _stored(r: object) -> StoredEvent:
    return StoredEvent(
        r.id,  # type: ignore[attr-defined]
        r.recorder_tenant_id,  # type: ignore[attr-defined]
        r.waybill_id,  # type: ignore[attr-defined]
        r.event_id,  # type: ignore[attr-defined]
        r.event_type,  # type: ignore[attr-defined]
        r.event_time,  # type: ignore[attr-defined]
        r.recorded_at,  # type: ignore[attr-defined]
        r.body,  # type: ignore[attr-defined]
        r.ledger_index,  # type: ignore[attr-defined]
    )


class TrackingStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def held(self, recorder: int, event_ids: Sequence[str]) -> set[str]:
        """Which of ``event_ids`` the recorder already holds."""
        out: set[str] = set()
        for i in range(0, len(event_ids), CHUNK):
            part = list(event_ids[i : i + CHUNK])
            q = select(_E.c.event_id).where(
                _E.c.recorder_tenant_id == recorder, _E.c.event_id.in_(part)
            )
            out.update(self.conn.scalars(q))
        return out

    def add(self, recorder: int, at: datetime, events: Sequence[NewEvent]) -> None:
        """Write ``events`` (none of them held yet) and their keys."""
        if not events:
            return
        self.conn.execute(
            insert(_E),
            [
                {
                    "recorder_tenant_id": recorder,
                    "waybill_id": e.waybill_id,
                    "event_id": e.event_id,
                    "event_type": e.event_type,
                    "event_time": e.event_time,
                    "recorded_at": at,
                    "biz_step": e.biz_step,
                    "body": e.body,
                    "ledger_index": e.ledger_index,
                }
                for e in events
            ],
        )
        rows = [
            {"key": k, "recorder_tenant_id": recorder, "event_id": e.event_id}
            for e in events
            for k in set(e.keys)
        ]
        if rows:
            self.conn.execute(insert(_K), rows)

    def of_waybill(self, waybill_id: str, limit: int = 5000) -> list[StoredEvent]:
        """The events about a waybill, oldest first (by event time, then arrival)."""
        q = (
            select(_E)
            .where(_E.c.waybill_id == waybill_id)
            .order_by(_E.c.event_time, _E.c.id)
            .limit(limit)
        )
        return [_stored(r) for r in self.conn.execute(q)]

    def by_keys(self, keys: Iterable[str], limit: int = 5000) -> list[StoredEvent]:
        """The events naming any of ``keys``, oldest first."""
        wanted = sorted(set(keys))
        if not wanted:
            return []
        out: dict[int, StoredEvent] = {}
        for i in range(0, len(wanted), CHUNK):
            q = (
                select(_E)
                .join(
                    _K,
                    (_K.c.recorder_tenant_id == _E.c.recorder_tenant_id)
                    & (_K.c.event_id == _E.c.event_id),
                )
                .where(_K.c.key.in_(wanted[i : i + CHUNK]))
                .order_by(_E.c.event_time)
                .limit(limit)
            )
            out.update({r.id: _stored(r) for r in self.conn.execute(q)})
        return sorted(out.values(), key=lambda e: (e.event_time, e.pk))
