"""Use cases of bulk imports: a file from the API (``POST /<kind>s/import``, spooled to a
temporary file) or rows read by the CLI (``cbec import``), checked in a read transaction
first — a batch with a bad row is refused without the write lock — then written a chunk per
transaction and shown together (:mod:`cbec.services.imports`)."""

from __future__ import annotations

import io
import itertools
import json
from collections.abc import Callable, Iterable
from typing import IO, Any, Literal

from pydantic import ConfigDict, Field

from cbec.errors import Conflict
from cbec.services import imports
from cbec.services.documents import _Request, _retrying, kind_of
from cbec.store.repository import UnitOfWork
from cbec.tenancy.access import Viewer
from cbec.trade import checking, filing, tabular
from cbec.trade.kinds import Kind


class ImportRequest(_Request):
    """A bulk import as received: the file's bytes, or the file itself (seekable) — the API
    spools an upload to a temporary file so a 200 MB import is never one string in memory."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    kind: str
    body: bytes | io.IOBase
    format: Literal["jsonl", "csv", "xlsx"] = "jsonl"
    encoding: str | None = Field(None, max_length=64)  # stated by the caller; else detected
    continue_on_error: bool = False
    idempotency_key: str | None = Field(None, max_length=255)
    lang: str = "en"


def _upload_hash(uow: UnitOfWork, kind: Kind, path: str, upload: IO[bytes]) -> str:
    """:func:`_request_hash` of a file read in blocks (the same value for the same bytes)."""
    upload.seek(0)
    blocks = iter(lambda: upload.read(1 << 20), b"")
    return uow.vault.fingerprint_of(itertools.chain([f"{kind.name}:{path}:".encode()], blocks))


def import_documents(uow: UnitOfWork, caller: Viewer, req: ImportRequest) -> dict[str, Any]:
    """A bulk import (JSON Lines, CSV or XLSX): all or nothing unless ``continue_on_error``."""
    return _retrying(lambda: _import_documents(uow, caller, req))


def _import_documents(uow: UnitOfWork, caller: Viewer, req: ImportRequest) -> dict[str, Any]:
    kind = kind_of(req.kind)
    upload = io.BytesIO(req.body) if isinstance(req.body, bytes) else req.body
    path = f"/{kind.plural}/import:{req.continue_on_error}"
    if req.encoding:  # the same bytes read in another encoding are another request
        path += f":{req.encoding}"
    request_hash = _upload_hash(uow, kind, path, upload)
    report = filing.FilingReport(kind.name)
    report.encoding = tabular.encoding_of(upload, req.format, req.encoding)
    # First every row is parsed and validated in a read transaction: other tenants' writes
    # go on meanwhile, and a batch with a bad row is rejected without taking the write lock.
    with uow:
        seen = _replayed(uow, caller, req.idempotency_key, request_hash)
        if seen is not None:
            return seen
        pre = checking.precheck_documents(
            uow.repo,
            uow.vault,
            caller,
            kind,
            tabular.read_upload(upload, kind, req.format, encoding=report.encoding),
            report,
            checking.KEEP,
            checking.KEEP_BYTES,
        )
    if report.rejected_count and not req.continue_on_error:
        report.finish()
        raise filing.BatchRejected(report)
    if not pre.passed and not req.idempotency_key:  # nothing to write: no write lock
        report.finish()
        return report.as_dict(req.lang)

    def finish(uow: UnitOfWork) -> dict[str, Any] | None:
        """In the transaction that shows the import: its idempotency record, or the answer
        of the same key completed meanwhile."""
        seen = _replayed(uow, caller, req.idempotency_key, request_hash)
        if seen is not None:
            return seen
        if req.idempotency_key:
            stored = json.dumps(report.as_dict(req.lang), ensure_ascii=False)
            uow.repo.put_idempotency(
                caller.tenant_id, req.idempotency_key, request_hash, 200, kind.name, None, stored
            )
        return None

    replayed = imports.write_rows(
        uow,
        caller,
        kind,
        tabular.read_upload(upload, kind, req.format, skip=pre.rejected, encoding=report.encoding),
        report,
        all_or_nothing=not req.continue_on_error,
        skip=pre.rejected,
        kept=pre.kept,
        finish=finish,
    )
    return replayed if replayed is not None else report.as_dict(req.lang)


def _replayed(
    uow: UnitOfWork, caller: Viewer, key: str | None, request_hash: str
) -> dict[str, Any] | None:
    """The stored answer to an import with this Idempotency-Key, or None; the same key with
    another body is a conflict."""
    if not key:
        return None
    seen = uow.repo.get_idempotency(caller.tenant_id, key)
    if seen is None:
        return None
    if seen.request_hash != request_hash:
        raise Conflict("idempotency_key_reused", {})
    return json.loads(seen.response)


def file_rows(
    uow: UnitOfWork,
    caller: Viewer,
    kind_name: str,
    rows: Callable[[], Iterable[filing.Row]],
    *,
    continue_on_error: bool = False,
    on_rejected: Callable[[filing.Rejected], None] | None = None,
    encoding: str | None = None,
    on_filed: Callable[[filing.FilingReport], None] | None = None,
) -> filing.FilingReport:
    """File rows read by the caller (the CLI streams a file through its progress bar) with
    the same rules and checks as an API import; raises :class:`filing.BatchRejected` when an
    all-or-nothing batch has a bad row (nothing is written).

    ``rows`` is called twice — the rows are checked in a read transaction first, then filed
    a chunk per transaction (:mod:`cbec.services.imports`) — so another writer waits for
    one chunk at most. ``on_rejected``
    receives every rejected row (the report keeps the first ones in full and counts the rest);
    ``encoding`` is what the caller read the file as, for the report; ``on_filed`` is called
    with the report after each chunk is written (the write pass takes the rows the check
    kept, so a progress bar fed by reading the file would stand still).
    """
    kind = kind_of(kind_name)
    imports.sweep(uow)  # withdraw what an import that died left (the server does it too)
    report = filing.FilingReport(kind.name, on_rejected=on_rejected, encoding=encoding)
    with uow:
        pre = checking.precheck_documents(
            uow.repo, uow.vault, caller, kind, rows(), report, checking.KEEP, checking.KEEP_BYTES
        )
    if report.rejected_count and not continue_on_error:
        report.finish()
        raise filing.BatchRejected(report)
    if not pre.passed:  # nothing to write: no write lock
        report.finish()
        return report
    imports.write_rows(
        uow,
        caller,
        kind,
        rows(),
        report,
        all_or_nothing=not continue_on_error,
        skip=pre.rejected,
        kept=pre.kept,
        progress=(lambda _uow, report: on_filed(report)) if on_filed is not None else None,
    )
    return report
