"""The import desk's review: a draft's documents checked afresh, every error of every record
placed in its cell, and the rejected records as a file (see :mod:`cbec.services.import_desk`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

from cbec.errors import CbecError, NotFound, Violation
from cbec.services import import_desk_drafts as drafts
from cbec.services.documents import kind_of
from cbec.services.import_desk_drafts import (
    IMPORTING,
    READY,
    STALE_AFTER,
    draft_of,
    duplicates,
    open_part,
)
from cbec.services.import_desk_models import (
    CellError,
    ColumnView,
    DraftView,
    ImportResult,
    RecordView,
    RejectedDocument,
)
from cbec.services.users import SessionUser
from cbec.store.draft_store import DraftStore
from cbec.store.repository import UnitOfWork
from cbec.trade import checking, columns, staging, zones
from cbec.trade.kinds import Kind
from cbec.trade.report import REPORT_LIMIT, FilingReport, Rejected, RowSet


class Checked:
    """The draft's documents checked: who passed, who was rejected and where each error is."""

    def __init__(
        self,
        table: staging.Table,
        mapping: list[str | None],
        kind: Kind,
        zone: ZoneInfo | None = None,
    ) -> None:
        self.table, self.mapping, self.kind, self.zone = table, mapping, kind, zone
        self.starts: list[int] = []
        self.keys: dict[int, str] = {}  # the natural key of each document, by first line
        self.report = FilingReport(kind.name, limit=None)
        self.passed = 0
        self.rejected = RowSet()

    def documents(self) -> Iterator[tuple[int, Any]]:
        for number, doc in staging.documents(self.table, self.mapping, self.kind, self.zone):
            self.starts.append(number)
            if isinstance(doc, dict) and isinstance(doc.get(self.kind.key_field), str):
                self.keys[number] = doc[self.kind.key_field]
            yield number, doc

    def located(self) -> tuple[dict[int, list[int]], dict[int, list[staging.Located]]]:
        lines_of = staging.groups(self.table, self.starts)
        return lines_of, {
            r.row: [
                staging.locate(v, lines_of.get(r.row, [r.row]), self.mapping, self.kind)
                for v in r.violations
            ]
            for r in self.report.rejected
        }


def check(uow: UnitOfWork, user: SessionUser, kind: Kind, payload: dict) -> Checked:
    table = staging.from_json(payload["table"])
    checked = Checked(table, payload["mapping"], kind, drafts.zone(payload))
    with uow:
        pre = checking.precheck_documents(
            uow.repo, uow.vault, user.viewer, kind, checked.documents(), checked.report
        )
    checked.passed, checked.rejected = pre.passed, pre.rejected
    return checked


def review(uow: UnitOfWork, user: SessionUser, draft_id: str, lang: str = "en") -> DraftView:
    """The draft as its page shows it; once mapped, every document checked afresh (a party
    tenant may have appeared, a row been corrected), none written."""
    drafts.sweep(uow)
    with uow:
        row = draft_of(uow, user, draft_id)
    if row.state == IMPORTING and row.touched_at < drafts.now() - STALE_AFTER:
        with uow.writing():
            DraftStore(uow.conn).revive(row.id, drafts.now() - STALE_AFTER, IMPORTING, READY)
            uow.commit()
    with uow:
        row = draft_of(uow, user, draft_id)
        payload = open_part(uow, row.id, "payload", row.payload)
        report = open_part(uow, row.id, "report", row.report) if row.report else None
    kind = kind_of(row.kind)
    table = staging.from_json(payload["table"])
    mapping = payload["mapping"]
    cols = columns.columns(kind)
    view = DraftView(
        id=row.id,
        kind=kind.name,
        format=row.format,
        encoding=row.encoding,
        state=row.state,
        header=table.header,
        mapping=mapping,
        timezone=payload.get("timezone"),
        zones=list(zones.SUGGESTED),
        times=sorted(columns.time_columns(kind)),
        remembered=payload.get("remembered", False),
        columns=[ColumnView(name=c.name, zh=c.zh, required=c.required) for c in cols],
        unmapped_required=[c.name for c in cols if c.required and c.name not in mapping],
        duplicates=duplicates(mapping),
        records=len(table.records),
        done=row.done,
        total=row.total,
    )
    if report is not None:
        view.result = ImportResult(**{k: report[k] for k in ("created", "unchanged", "keys")})
        if report.get("failure"):
            failure = report["failure"]
            view.result.failure = CbecError(failure["rule"], failure["params"]).message(lang)
        rejects = [
            Rejected(r["row"], r["key"], _violations(r["errors"])) for r in report["rejects"]
        ]
        view.rejected_count = len(rejects)
        view.rejected = [_shown(table, mapping, kind, r, {}, lang) for r in rejects[:REPORT_LIMIT]]
    if row.state == READY:
        checked = check(uow, user, kind, payload)
        lines_of, located = checked.located()
        view.documents = len(checked.starts)
        view.passed = checked.passed
        view.rejected_count = checked.report.rejected_count
        view.rejected = [
            _shown(table, mapping, kind, r, lines_of, lang, located[r.row])
            for r in sorted(checked.report.rejected, key=lambda r: r.row)[:REPORT_LIMIT]
        ]
    return view


def _violations(errors: list[dict[str, Any]]) -> list[Violation]:
    return [Violation(e["field"], e["rule"], e.get("params") or {}) for e in errors]


def _shown(
    table: staging.Table,
    mapping: list[str | None],
    kind: Kind,
    rejected: Rejected,
    lines_of: dict[int, list[int]],
    lang: str,
    located: list[staging.Located] | None = None,
) -> RejectedDocument:
    lines = lines_of.get(rejected.row, [rejected.row])
    if located is None:
        located = [staging.locate(v, lines, mapping, kind) for v in rejected.violations]
    values_of = dict(table.records)
    errors = [
        CellError(
            line=loc.line,
            column=loc.column,
            header=table.header[loc.column] if loc.column is not None else loc.name,
            field=loc.violation.field,
            rule=loc.violation.rule,
            message=loc.violation.message(lang),
        )
        for loc in located
    ]
    records = [
        RecordView(
            line=line,
            values=values_of.get(line, []),
            bad=sorted({e.column for e in errors if e.line == line and e.column is not None}),
        )
        for line in lines
    ]
    return RejectedDocument(line=rejected.row, key=rejected.key, records=records, errors=errors)


def rejects_file(
    uow: UnitOfWork, user: SessionUser, draft_id: str, lang: str, error_header: str
) -> str:
    """The rejected documents' records as CSV, the file's header and an error column."""
    drafts.sweep(uow)
    with uow:
        row = draft_of(uow, user, draft_id)
        payload = open_part(uow, row.id, "payload", row.payload)
    kind = kind_of(row.kind)
    if row.state != READY:
        raise NotFound("not_found", {"kind": "import"})
    checked = check(uow, user, kind, payload)
    lines_of, located = checked.located()
    return staging.rejects_csv(checked.table, located, lines_of, lang, error_header)
