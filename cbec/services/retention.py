"""Retention enforced (PIPL Arts. 19 and 47(1)): the personal data of a tenant's documents
past the retention period the data inventory sets for their kind
(:mod:`cbec.privacy.retention`) — counted from completion: the document's ``placed_at``, else
when it was filed — is erased in place.

Not by shredding a person key: the person may have newer documents under the same key. Each
document's personal tokens and commitment salt are overwritten, as a data subject erasure
does for documents sealed under the deployment key
(:func:`cbec.services.dsr_erasure.overwrite_in_place`); its evidence entry (commitments
only) stays, so every proof given on it still verifies. Idempotent: an erased document has
no salt left and is not counted again. Logged in the ledger without personal data (tenant,
counts per kind, cut-off).

Each batch is a write transaction of its own, with its own ledger entry: a long run never
holds the write lock (SQLite's one writer) for more than a batch, and whatever was erased
is logged in the same commit that erased it. A run stopped half-way leaves the earlier
batches erased and logged; the next run erases the rest."""

from __future__ import annotations

from datetime import date, datetime

from cbec.privacy import retention as rules
from cbec.services.dsr import DsrInput, _require
from cbec.services.dsr_erasure import overwrite_in_place
from cbec.services.evidence import log_event
from cbec.services.retention_models import RetentionApplied, RetentionDue, RetentionKind
from cbec.services.users import SessionUser
from cbec.store.dsr_store import DsrStore
from cbec.store.repository import UnitOfWork
from cbec.tenancy.access import Viewer
from cbec.trade.ports import now

ENTRY_TYPE = "cbec.retention/v1"
BATCH = 500
"""Documents read and overwritten at a time: memory stays flat however many are due."""


def _kinds(on: date) -> list[tuple[str, str, datetime | None]]:
    return [
        (kind, period, rules.cutoff(period, on)) for kind, period in sorted(rules.periods().items())
    ]


def retention_due(
    uow: UnitOfWork, who: Viewer | SessionUser, on: date | None = None
) -> RetentionDue:
    """Per kind, how many of the caller's own documents are past retention on ``on``
    (default: today, UTC) and still hold personal data."""
    caller = _require(who)
    day = on or now().date()
    with uow:
        store = DsrStore(uow.conn)
        kinds = [
            RetentionKind(
                kind=kind,
                retention=period,
                cutoff=cut,
                count=0 if cut is None else store.count_past(caller.tenant_id, kind, cut),
            )
            for kind, period, cut in _kinds(day)
        ]
    return RetentionDue(on=day, kinds=kinds, total=sum(k.count for k in kinds))


def apply_retention(
    uow: UnitOfWork, who: Viewer | SessionUser, on: date | None = None
) -> RetentionApplied:
    """Erase in place the personal data of the caller's documents past retention on ``on``
    (default: today, UTC), :data:`BATCH` documents per write transaction, each logged in
    the ledger as it commits. A second run finds nothing more."""
    caller = _require(who)
    at = now()
    if on is not None and on > at.date():
        # erasing "as of" a day to come would erase records the law still requires kept
        raise DsrInput("on", "must not be after today (UTC) when applying retention")
    day = on or at.date()
    kinds: list[RetentionKind] = []
    indexes: list[int] = []
    for kind, period, cut in _kinds(day):
        done = 0
        while cut is not None and (n := _batch(uow, caller, kind, cut, day, indexes)):
            done += n
        kinds.append(RetentionKind(kind=kind, retention=period, cutoff=cut, count=done))
    return RetentionApplied(
        on=day,
        kinds=kinds,
        erased=sum(k.count for k in kinds),
        ledger_index=indexes[-1] if indexes else None,
        ledger_indexes=indexes,
    )


def _batch(
    uow: UnitOfWork, caller: Viewer, kind: str, cut: datetime, day: date, indexes: list[int]
) -> int:
    """Erase one batch of ``kind`` past ``cut`` and log it, in one write transaction; how
    many documents it erased (0: none left)."""
    with uow.writing():
        store = DsrStore(uow.conn)
        rows = store.past(caller.tenant_id, kind, cut, BATCH, lock=True)
        if not rows:
            return 0
        overwrite_in_place(store, rows, every=True)
        index = log_event(
            uow,
            ENTRY_TYPE,
            at=now(),
            tenants=[caller.name],
            body={
                "on": day.isoformat(),
                "erased": {kind: len(rows)},
                "cutoffs": {kind: cut.date().isoformat()},
            },
        )
        uow.commit()
    if index is not None:
        indexes.append(index)
    return len(rows)
