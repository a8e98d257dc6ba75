"""The requests and answers of the console's import desk (:mod:`cbec.services.import_desk`)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Upload(BaseModel):
    """A file as uploaded to the desk, for one kind of document."""

    model_config = ConfigDict(frozen=True)

    kind: str = Field(max_length=16)
    format: Literal["csv", "xlsx"] = "csv"
    body: bytes


class Staged(BaseModel):
    id: str


class MappingRequest(BaseModel):
    """The cbec column of each header of the file, in its order (None ignores the header),
    and the IANA time zone of the file's times written without an offset (None: such a time
    is an error, never taken as UTC)."""

    model_config = ConfigDict(frozen=True)

    draft_id: str = Field(pattern=r"^[0-9a-f]{32}$")
    mapping: list[str | None] = Field(max_length=1000)
    timezone: str | None = Field(default=None, max_length=64)


class FixRequest(BaseModel):
    """New texts of cells, by the record's line in the file and the header's index."""

    model_config = ConfigDict(frozen=True)

    draft_id: str = Field(pattern=r"^[0-9a-f]{32}$")
    cells: dict[int, dict[int, str]]


class ColumnView(BaseModel):
    name: str
    zh: str
    required: bool


class CellError(BaseModel):
    line: int
    column: int | None
    header: str
    field: str
    rule: str
    message: str


class RecordView(BaseModel):
    line: int
    values: list[str]
    bad: list[int]  # indexes of the headers with an error in this record


class RejectedDocument(BaseModel):
    line: int
    key: str | None
    records: list[RecordView]
    errors: list[CellError]


class ImportResult(BaseModel):
    created: int = 0
    unchanged: int = 0
    keys: list[str] = []
    failure: str | None = None


class DraftView(BaseModel):
    """A draft as its page shows it: the table's header and mapping, and (once mapped) every
    document checked — the rejected ones with every error of every record."""

    id: str
    kind: str
    format: str
    encoding: str | None
    state: str
    header: list[str]
    mapping: list[str | None]
    timezone: str | None = None
    zones: list[str] = []  # the zones offered first (any IANA name is accepted)
    times: list[str] = []  # the kind's date-time fields, which the zone applies to
    remembered: bool
    columns: list[ColumnView]
    unmapped_required: list[str]
    duplicates: list[str]
    records: int
    documents: int = 0
    passed: int = 0
    rejected_count: int = 0
    rejected: list[RejectedDocument] = []
    done: int = 0
    total: int = 0
    result: ImportResult | None = None


class DraftSummary(BaseModel):
    id: str
    kind: str
    state: str
    done: int
    total: int
    created_at: str
