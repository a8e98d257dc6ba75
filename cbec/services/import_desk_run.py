"""The import desk's import: a checked draft's good documents filed as one all-or-nothing batch,
and the empty templates the desk offers (see :mod:`cbec.services.import_desk`)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any, Literal

from cbec.errors import CbecError
from cbec.services import import_desk_drafts as drafts
from cbec.services import imports
from cbec.services.documents import kind_of
from cbec.services.import_desk_drafts import (
    DONE,
    FAILED,
    IMPORTING,
    READY,
    SHOWN_KEYS,
    draft_of,
    may_import,
    open_part,
    seal,
)
from cbec.services.import_desk_review import check
from cbec.services.users import SessionUser
from cbec.store.draft_store import DraftStore
from cbec.store.repository import UnitOfWork
from cbec.trade import columns, staging
from cbec.trade.report import BatchRejected, FilingReport, Rejected


def start_import(uow: UnitOfWork, user: SessionUser, draft_id: str) -> bool:
    """Mark a checked draft as importing; False when it already is (a second submit)."""
    with uow.writing():
        DraftStore(uow.conn).expire(drafts.now())
        row = draft_of(uow, user, draft_id)
        may_import(user, kind_of(row.kind))
        claimed = DraftStore(uow.conn).claim(
            row.id, (READY,), state=IMPORTING, done=0, total=0, touched_at=drafts.now()
        )
        uow.commit()
    return claimed


@dataclass(frozen=True)
class Filed:
    """What an import filed, as the API's filings are counted
    (``cbec_documents_filed_total{kind,outcome}``, :mod:`cbec.api.metrics`): documents
    created, unchanged (already filed with the same content) and rejected (those that failed
    their checks, and on a rejected batch those that failed on writing)."""

    kind: str
    created: int = 0
    unchanged: int = 0
    rejected: int = 0


def run_import(uow: UnitOfWork, user: SessionUser, draft_id: str) -> Filed | None:
    """File the draft's documents that pass their checks, as one all-or-nothing batch
    written a chunk per transaction (:func:`cbec.services.imports.write_rows`); the rows
    done are recorded with each chunk, the outcome at the end. Already-filed documents with
    the same content are "unchanged": a file imported twice is filed once.

    Answers what was filed, for the adapter to count as it counts the API's filings (the
    desk's documents are filings as much as an API import's are); None when the draft was
    not importing (nothing was filed)."""
    with uow:
        row = draft_of(uow, user, draft_id)
        payload = open_part(uow, row.id, "payload", row.payload)
    if row.state != IMPORTING:
        return None
    kind = kind_of(row.kind)
    imports.sweep(uow)
    outcome: dict[str, Any] = {"created": 0, "unchanged": 0, "keys": [], "rejects": []}
    state = DONE
    rejected = 0  # documents rejected by the checks (skipped), then by the write
    try:
        checked = check(uow, user, kind, payload)
        rejected = checked.report.rejected_count
        with uow.writing():
            DraftStore(uow.conn).update(row.id, total=checked.passed, touched_at=drafts.now())
            uow.commit()

        def progress(tx: UnitOfWork, report: FilingReport) -> None:
            done = len(report.created) + len(report.unchanged)
            DraftStore(tx.conn).update(row.id, done=done, touched_at=drafts.now())

        report = FilingReport(kind.name, limit=None)
        if checked.passed:
            imports.write_rows(
                uow,
                user.viewer,
                kind,
                staging.documents(checked.table, checked.mapping, kind, checked.zone),
                report,
                all_or_nothing=True,
                skip=checked.rejected,
                progress=progress,
            )
        outcome |= {
            "created": len(report.created),
            "unchanged": len(report.unchanged),
            "keys": [k for n, k in checked.keys.items() if n not in checked.rejected][:SHOWN_KEYS],
        }
    except BatchRejected as exc:
        state = FAILED
        outcome["rejects"] = [_rejected_json(r) for r in exc.report.rejected]
        rejected += exc.report.rejected_count
    except CbecError as exc:
        state = FAILED
        outcome["failure"] = {"rule": exc.rule, "params": exc.params}
    with uow.writing():
        DraftStore(uow.conn).update(
            row.id, state=state, report=seal(uow, row.id, "report", outcome)
        )
        uow.commit()
    return Filed(
        kind.name,
        created=outcome["created"],
        unchanged=outcome["unchanged"],
        rejected=rejected,
    )


def _rejected_json(rejected: Rejected) -> dict[str, Any]:
    return {
        "row": rejected.row,
        "key": rejected.key,
        "errors": [
            {"field": v.field, "rule": v.rule, "params": v.params} for v in rejected.violations
        ],
    }


def template(kind_name: str, headers: Literal["en", "zh"], fmt: Literal["csv", "xlsx"]) -> bytes:
    """An empty import template for ``kind``: one header per column of its model, in English
    (the dotted names) or Chinese (the names of the customs messages); CSV in UTF-8 with a
    byte-order mark (so Excel opens it as UTF-8), or an XLSX workbook."""
    kind = kind_of(kind_name)
    names = [c.name if headers == "en" else c.zh for c in columns.columns(kind)]
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out).writerow(names)
        return out.getvalue().encode("utf-8-sig")
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(kind.plural)
    sheet.append(names)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()
