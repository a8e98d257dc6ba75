"""The import desk's drafts: an upload held between its steps, sealed, and its column mapping
(see :mod:`cbec.services.import_desk` for the whole desk). The desk's constants, its
permission check, its clock and the sealing of a draft's parts live here, shared by the
review (:mod:`cbec.services.import_desk_review`) and the import
(:mod:`cbec.services.import_desk_run`)."""

from __future__ import annotations

import hashlib
import io
import json
import secrets
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from cbec.accounts import UserRole
from cbec.errors import BadRequest, DocumentInvalid, Forbidden, NotFound, Violation
from cbec.services.documents import kind_of
from cbec.services.import_desk_models import (
    DraftSummary,
    FixRequest,
    MappingRequest,
    Staged,
    Upload,
)
from cbec.services.users import SessionUser
from cbec.store.draft_store import DraftStore
from cbec.store.repository import UnitOfWork
from cbec.trade import checking, columns, ports, staging, zones
from cbec.trade.kinds import KINDS, Kind

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


def now() -> datetime:
    """The desk's clock (:func:`cbec.trade.ports.now`), read through this module by every step
    of the desk so that a test moves it for all of them at once."""
    return ports.now()


def sweep(uow: UnitOfWork) -> int:
    """Delete the drafts past their lifetime, whoever's they are; how many. Every step of the
    desk that reads drafts sweeps first (and the server once a minute), so an upload's rows
    are not held a day longer because nobody uploaded since. A read finds whether any is due
    before the write is taken: on SQLite a page view must not queue for the writer's lock
    for nothing."""
    at = now()
    with uow:
        if not DraftStore(uow.conn).any_expired(at):
            return 0
    with uow.writing():
        swept = DraftStore(uow.conn).expire(at)
        uow.commit()
    return swept


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
        remembered, timezone = _valid_saved(kind, table, saved)
        mapping = remembered or columns.suggest(kind, table.header)
        payload = {
            "table": staging.as_json(table),
            "mapping": mapping,
            "timezone": timezone,
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
            payload=seal(uow, draft_id, "payload", payload),
            report=None,
            done=0,
            total=0,
            created_at=at,
            expires_at=at + LIFETIME,
        )
        uow.commit()
    return Staged(id=draft_id)


def _valid_saved(
    kind: Kind, table: staging.Table, saved: str | None
) -> tuple[list[str | None], str | None]:
    """The tenant's saved mapping for this header row and the time zone saved with it
    (a mapping saved before zones were: a bare list, no zone)."""
    if saved is None:
        return [], None
    found = json.loads(saved)
    if isinstance(found, list):
        mapping, timezone = found, None
    else:
        mapping, timezone = found["columns"], found.get("timezone")
    names = {c.name for c in columns.columns(kind)}
    if len(mapping) != len(table.header) or any(m and m not in names for m in mapping):
        return [], None  # the kind's columns changed since: suggest afresh
    try:
        zones.zone_of(timezone)
    except BadRequest:  # a name this system's zone database no longer has
        timezone = None
    return mapping, timezone


def zone(payload: dict[str, Any]) -> ZoneInfo | None:
    """The zone the draft's times without an offset are read in (None: none chosen)."""
    return zones.zone_of(payload.get("timezone"))


def seal(uow: UnitOfWork, draft_id: str, part: str, value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return uow.vault.seal_value(SEAL, draft_id, part, text)


def open_part(uow: UnitOfWork, draft_id: str, part: str, token: str) -> Any:
    return json.loads(uow.vault.open_value(SEAL, draft_id, part, token))


def draft_of(uow: UnitOfWork, user: SessionUser, draft_id: str) -> Any:
    row = DraftStore(uow.conn).get(draft_id, user.tenant_id, user.user_id, now())
    if row is None:
        raise NotFound("not_found", {"kind": "import"})
    return row


def list_drafts(uow: UnitOfWork, user: SessionUser) -> list[DraftSummary]:
    """The user's own uploads still held, newest first."""
    sweep(uow)
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
    """Confirm the draft's mapping and the time zone of its times without an offset, and
    remember both for the tenant's next file with the same header row. A column named twice
    keeps the draft at the mapping step."""
    with uow.writing():
        DraftStore(uow.conn).expire(now())
        row = draft_of(uow, user, req.draft_id)
        kind = kind_of(row.kind)
        may_import(user, kind)
        payload = open_part(uow, row.id, "payload", row.payload)
        header = payload["table"]["header"]
        names = {c.name for c in columns.columns(kind)}
        wrong = [
            Violation(f"mapping[{i}]", "unknown_column")
            for i, name in enumerate(req.mapping)
            if name and name not in names
        ]
        if len(req.mapping) != len(header):
            wrong.append(Violation("mapping", "mapping_length", {"expected": len(header)}))
        try:
            zones.zone_of(req.timezone)
        except BadRequest as exc:
            wrong.append(Violation("timezone", exc.rule, exc.params))
        if wrong:
            raise DocumentInvalid(wrong)
        if row.state not in (MAPPING, READY):
            raise NotFound("not_found", {"kind": "import"})
        payload["mapping"] = list(req.mapping)
        payload["timezone"] = (req.timezone or "").strip() or None
        state = MAPPING if duplicates(req.mapping) else READY
        DraftStore(uow.conn).update(
            row.id, payload=seal(uow, row.id, "payload", payload), state=state
        )
        if state == READY:
            saved = {"columns": req.mapping, "timezone": payload["timezone"]}
            DraftStore(uow.conn).save_mapping(
                user.tenant_id, kind.name, header_hash(header), json.dumps(saved), now()
            )
        uow.commit()


def mapping_file(uow: UnitOfWork, user: SessionUser, draft_id: str) -> dict[str, Any]:
    """The draft's mapping as ``cbec import --mapping`` reads it
    (:func:`cbec.trade.staging.header_map`): header → field or None, and the time zone."""
    sweep(uow)
    with uow:
        row = draft_of(uow, user, draft_id)
        payload = open_part(uow, row.id, "payload", row.payload)
    columns_of = dict(zip(payload["table"]["header"], payload["mapping"], strict=True))
    return staging.SavedMapping(columns_of, payload.get("timezone")).as_json()


def duplicates(mapping: list[str | None]) -> list[str]:
    seen: set[str] = set()
    return sorted({m for m in mapping if m and (m in seen or seen.add(m))})


def fix_rows(uow: UnitOfWork, user: SessionUser, req: FixRequest) -> None:
    """Replace the texts of the given cells (records of the draft's table) before the next
    check (:func:`cbec.trade.staging.edit`); cells of lines or headers the table does not
    have are ignored."""
    with uow.writing():
        DraftStore(uow.conn).expire(now())
        row = draft_of(uow, user, req.draft_id)
        may_import(user, kind_of(row.kind))
        if row.state != READY:
            raise NotFound("not_found", {"kind": "import"})
        payload = open_part(uow, row.id, "payload", row.payload)
        table = staging.from_json(payload["table"])
        staging.edit(table, payload["mapping"], kind_of(row.kind), req.cells)
        payload["table"] = staging.as_json(table)
        DraftStore(uow.conn).update(row.id, payload=seal(uow, row.id, "payload", payload))
        uow.commit()
