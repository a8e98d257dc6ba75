"""Use cases of the console's import desk: an operator uploads a CSV or XLSX file, maps its
headers to cbec's columns, sees every error of every row, corrects rows in the page, and
files the good documents — through the same checks and chunked batches as an API import
(:mod:`cbec.services.imports`), all or nothing, idempotent by natural key.

Between the steps the upload is a *draft* held in the database, not in the browser nor in
the web process: a draft must survive a reload, a second tab, another worker process behind
the same load balancer, and a restart, and a web process's memory has none of that. Its
rows carry buyers' names, phones and ID numbers, so the draft's content is sealed by the
runtime's vault (AES-256-GCM or SM4-GCM under the data key ring, bound to the draft's id as
associated data — :meth:`cbec.privacy.vault.Vault.seal_value`), as documents' personal
fields are;
only the kind, the state and counters are in clear. A draft belongs to the user who
uploaded it (another user, let alone another tenant, is told it does not exist, as in the
API). :data:`LIFETIME` after the upload it can no longer be opened, whatever its state, and
the next upload to the desk deletes it; nothing of it becomes a document until the user
submits.

Column mappings are remembered per tenant and per header row (its SHA-256): the next file
with the same headers is mapped as the tenant's operators last confirmed it.

Every document is checked in one pass and every error of it is reported: Pydantic collects
every structural error of a row (each field that is missing, malformed or out of range), and
each kind's rules return all their violations, not the first. The rules that relate fields
(a line total against its price and quantity, the amount paid against its parts) are checked
once the fields they relate are well-formed — a sum over an amount that is not a number has
no meaning — so a correction can reveal such an error; it is then shown with the others.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import secrets
from collections.abc import Iterator
from datetime import timedelta
from typing import Any, Literal

from cbec.accounts import UserRole
from cbec.errors import CbecError, DocumentInvalid, Forbidden, NotFound, Violation
from cbec.services import imports
from cbec.services.documents import kind_of
from cbec.services.import_desk_models import (
    CellError,
    ColumnView,
    DraftSummary,
    DraftView,
    FixRequest,
    ImportResult,
    MappingRequest,
    RecordView,
    RejectedDocument,
    Staged,
    Upload,
)
from cbec.services.users import SessionUser
from cbec.store.draft_store import DraftStore
from cbec.store.repository import UnitOfWork
from cbec.trade import checking, columns, staging
from cbec.trade.kinds import KINDS, Kind
from cbec.trade.ports import now
from cbec.trade.report import REPORT_LIMIT, BatchRejected, FilingReport, Rejected, RowSet

LIFETIME = timedelta(hours=24)
"""How long an upload is held: a working day to map and correct it."""

MAX_ROWS = 50_000
"""The most records an upload to the desk may have: the desk holds a file whole (sealed, in
one draft) and checks it again at every step, so a larger file goes through the API or
``cbec import``, which stream it."""

STALE_AFTER = timedelta(minutes=10)
"""An import that has shown no sign of life (a chunk written) for this long died with its
process: its batch is withdrawn by :func:`cbec.services.imports.sweep`, and the draft is
offered for import again."""

SEAL = "import_draft"
MAPPING, READY, IMPORTING, DONE, FAILED = "mapping", "ready", "importing", "done", "failed"
SHOWN_KEYS = 50  # the filed documents' keys a finished import lists


def may_import(user: SessionUser, kind: Kind) -> None:
    """An admin or operator of a tenant whose role files ``kind`` (a viewer only reads)."""
    if user.role is UserRole.VIEWER:
        raise Forbidden("role_forbidden", {"allowed": "admin, operator"})
    checking.may_file(user.viewer, kind)


def importable(user: SessionUser) -> list[str]:
    """The kinds this user may import, in the registry's order."""
    if user.role is UserRole.VIEWER:
        return []
    return [k.name for k in KINDS.values() if user.tenant_role in k.filers]


def header_hash(header: list[str]) -> str:
    return hashlib.sha256(json.dumps(header, ensure_ascii=False).encode()).hexdigest()


def stage_upload(uow: UnitOfWork, user: SessionUser, req: Upload) -> Staged:
    """Read the upload into a sealed draft, its mapping suggested (the tenant's saved one for
    this header row, else the headers' exact English or Chinese names)."""
    kind = kind_of(req.kind)
    may_import(user, kind)
    table = staging.read_table(io.BytesIO(req.body), req.format, MAX_ROWS)
    draft_id = secrets.token_hex(16)
    at = now()
    with uow.writing():
        DraftStore(uow.conn).expire(at)
        saved = DraftStore(uow.conn).mapping(user.tenant_id, kind.name, header_hash(table.header))
        remembered = _valid_saved(kind, table, saved)
        mapping = remembered or columns.suggest(kind, table.header)
        payload = {
            "table": staging.as_json(table),
            "mapping": mapping,
            "remembered": bool(remembered),
        }
        DraftStore(uow.conn).add(
            id=draft_id,
            tenant_id=user.tenant_id,
            user_id=user.user_id,
            kind=kind.name,
            format=req.format,
            encoding=table.encoding,
            state=MAPPING,
            payload=_seal(uow, draft_id, "payload", payload),
            report=None,
            done=0,
            total=0,
            created_at=at,
            expires_at=at + LIFETIME,
        )
        uow.commit()
    return Staged(id=draft_id)


def _valid_saved(kind: Kind, table: staging.Table, saved: str | None) -> list[str | None]:
    if saved is None:
        return []
    mapping = json.loads(saved)
    names = {c.name for c in columns.columns(kind)}
    if len(mapping) != len(table.header) or any(m and m not in names for m in mapping):
        return []  # the kind's columns changed since: suggest afresh
    return mapping


def _seal(uow: UnitOfWork, draft_id: str, part: str, value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return uow.vault.seal_value(SEAL, draft_id, part, text)


def _open(uow: UnitOfWork, draft_id: str, part: str, token: str) -> Any:
    return json.loads(uow.vault.open_value(SEAL, draft_id, part, token))


def _draft(uow: UnitOfWork, user: SessionUser, draft_id: str) -> Any:
    row = DraftStore(uow.conn).get(draft_id, user.tenant_id, user.user_id, now())
    if row is None:
        raise NotFound("not_found", {"kind": "import"})
    return row


def list_drafts(uow: UnitOfWork, user: SessionUser) -> list[DraftSummary]:
    """The user's own uploads still held, newest first."""
    with uow:
        rows = DraftStore(uow.conn).recent(user.tenant_id, user.user_id, now())
    return [
        DraftSummary(
            id=r.id,
            kind=r.kind,
            state=r.state,
            done=r.done,
            total=r.total,
            created_at=r.created_at.isoformat(),
        )
        for r in rows
    ]


def set_mapping(uow: UnitOfWork, user: SessionUser, req: MappingRequest) -> None:
    """Confirm the draft's mapping and remember it for the tenant's next file with the same
    header row. A column named twice keeps the draft at the mapping step."""
    with uow.writing():
        row = _draft(uow, user, req.draft_id)
        kind = kind_of(row.kind)
        may_import(user, kind)
        payload = _open(uow, row.id, "payload", row.payload)
        header = payload["table"]["header"]
        names = {c.name for c in columns.columns(kind)}
        wrong = [
            Violation(f"mapping[{i}]", "unknown_column")
            for i, name in enumerate(req.mapping)
            if name and name not in names
        ]
        if len(req.mapping) != len(header):
            wrong.append(Violation("mapping", "mapping_length", {"expected": len(header)}))
        if wrong:
            raise DocumentInvalid(wrong)
        if row.state not in (MAPPING, READY):
            raise NotFound("not_found", {"kind": "import"})
        payload["mapping"] = list(req.mapping)
        state = MAPPING if _duplicates(req.mapping) else READY
        DraftStore(uow.conn).update(
            row.id, payload=_seal(uow, row.id, "payload", payload), state=state
        )
        if state == READY:
            DraftStore(uow.conn).save_mapping(
                user.tenant_id, kind.name, header_hash(header), json.dumps(req.mapping), now()
            )
        uow.commit()


def mapping_file(uow: UnitOfWork, user: SessionUser, draft_id: str) -> dict[str, str | None]:
    """The draft's mapping as ``cbec import --mapping`` reads it: header → field or None."""
    with uow:
        row = _draft(uow, user, draft_id)
        payload = _open(uow, row.id, "payload", row.payload)
    return dict(zip(payload["table"]["header"], payload["mapping"], strict=True))


def _duplicates(mapping: list[str | None]) -> list[str]:
    seen: set[str] = set()
    return sorted({m for m in mapping if m and (m in seen or seen.add(m))})


def fix_rows(uow: UnitOfWork, user: SessionUser, req: FixRequest) -> None:
    """Replace the texts of the given cells (records of the draft's table) before the next
    check (:func:`cbec.trade.staging.edit`); cells of lines or headers the table does not
    have are ignored."""
    with uow.writing():
        row = _draft(uow, user, req.draft_id)
        may_import(user, kind_of(row.kind))
        if row.state != READY:
            raise NotFound("not_found", {"kind": "import"})
        payload = _open(uow, row.id, "payload", row.payload)
        table = staging.from_json(payload["table"])
        staging.edit(table, payload["mapping"], kind_of(row.kind), req.cells)
        payload["table"] = staging.as_json(table)
        DraftStore(uow.conn).update(row.id, payload=_seal(uow, row.id, "payload", payload))
        uow.commit()


class _Checked:
    """The draft's documents checked: who passed, who was rejected and where each error is."""

    def __init__(self, table: staging.Table, mapping: list[str | None], kind: Kind) -> None:
        self.table, self.mapping, self.kind = table, mapping, kind
        self.starts: list[int] = []
        self.keys: dict[int, str] = {}  # the natural key of each document, by first line
        self.report = FilingReport(kind.name, limit=None)
        self.passed = 0
        self.rejected = RowSet()

    def documents(self) -> Iterator[tuple[int, Any]]:
        for number, doc in staging.documents(self.table, self.mapping, self.kind):
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


def _check(uow: UnitOfWork, user: SessionUser, kind: Kind, payload: dict) -> _Checked:
    checked = _Checked(staging.from_json(payload["table"]), payload["mapping"], kind)
    with uow:
        pre = checking.precheck_documents(
            uow.repo, uow.vault, user.viewer, kind, checked.documents(), checked.report
        )
    checked.passed, checked.rejected = pre.passed, pre.rejected
    return checked


def review(uow: UnitOfWork, user: SessionUser, draft_id: str, lang: str = "en") -> DraftView:
    """The draft as its page shows it; once mapped, every document checked afresh (a party
    tenant may have appeared, a row been corrected), none written."""
    with uow:
        row = _draft(uow, user, draft_id)
    if row.state == IMPORTING and row.touched_at < now() - STALE_AFTER:
        with uow.writing():
            DraftStore(uow.conn).revive(row.id, now() - STALE_AFTER, IMPORTING, READY)
            uow.commit()
    with uow:
        row = _draft(uow, user, draft_id)
        payload = _open(uow, row.id, "payload", row.payload)
        report = _open(uow, row.id, "report", row.report) if row.report else None
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
        remembered=payload.get("remembered", False),
        columns=[ColumnView(name=c.name, zh=c.zh, required=c.required) for c in cols],
        unmapped_required=[c.name for c in cols if c.required and c.name not in mapping],
        duplicates=_duplicates(mapping),
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
        checked = _check(uow, user, kind, payload)
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
    with uow:
        row = _draft(uow, user, draft_id)
        payload = _open(uow, row.id, "payload", row.payload)
    kind = kind_of(row.kind)
    if row.state != READY:
        raise NotFound("not_found", {"kind": "import"})
    checked = _check(uow, user, kind, payload)
    lines_of, located = checked.located()
    return staging.rejects_csv(checked.table, located, lines_of, lang, error_header)


def start_import(uow: UnitOfWork, user: SessionUser, draft_id: str) -> bool:
    """Mark a checked draft as importing; False when it already is (a second submit)."""
    with uow.writing():
        row = _draft(uow, user, draft_id)
        may_import(user, kind_of(row.kind))
        claimed = DraftStore(uow.conn).claim(
            row.id, (READY,), state=IMPORTING, done=0, total=0, touched_at=now()
        )
        uow.commit()
    return claimed


def run_import(uow: UnitOfWork, user: SessionUser, draft_id: str) -> None:
    """File the draft's documents that pass their checks, as one all-or-nothing batch
    written a chunk per transaction (:func:`cbec.services.imports.write_rows`); the rows
    done are recorded with each chunk, the outcome at the end. Already-filed documents with
    the same content are "unchanged": a file imported twice is filed once."""
    with uow:
        row = _draft(uow, user, draft_id)
        payload = _open(uow, row.id, "payload", row.payload)
    if row.state != IMPORTING:
        return
    kind = kind_of(row.kind)
    imports.sweep(uow)
    outcome: dict[str, Any] = {"created": 0, "unchanged": 0, "keys": [], "rejects": []}
    state = DONE
    try:
        checked = _check(uow, user, kind, payload)
        with uow.writing():
            DraftStore(uow.conn).update(row.id, total=checked.passed, touched_at=now())
            uow.commit()

        def progress(tx: UnitOfWork, report: FilingReport) -> None:
            done = len(report.created) + len(report.unchanged)
            DraftStore(tx.conn).update(row.id, done=done, touched_at=now())

        report = FilingReport(kind.name, limit=None)
        if checked.passed:
            imports.write_rows(
                uow,
                user.viewer,
                kind,
                staging.documents(checked.table, checked.mapping, kind),
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
    except CbecError as exc:
        state = FAILED
        outcome["failure"] = {"rule": exc.rule, "params": exc.params}
    with uow.writing():
        DraftStore(uow.conn).update(
            row.id, state=state, report=_seal(uow, row.id, "report", outcome)
        )
        uow.commit()


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
