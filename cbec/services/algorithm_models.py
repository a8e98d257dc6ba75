"""The typed requests and answers of the algorithm registry's use cases
(:mod:`cbec.services.algorithms`); the record itself is the core's
(:class:`cbec.governance.record.AlgorithmRecordIn`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from cbec.governance.record import (
    AlgorithmRecordIn,
    Bilingual,
    MainParameter,
    NonProfilingOption,
    UserControl,
)


class ChangeRequest(BaseModel):
    """A change: the whole record as it now is, and what changed, in a sentence."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    record: AlgorithmRecordIn
    change_summary: str = Field(min_length=1, max_length=500, description="The change note")


class FilingRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    filing_number: str = Field(
        min_length=1,
        max_length=64,
        pattern=r"\S",
        description="The number the filing system gave (e.g. 网信算备…号)",
    )


class Deadline(BaseModel):
    state: Literal["draft", "filed", "refiling_due"] = Field(
        description="draft: never filed; filed: the current version is the one filed; "
        "refiling_due: changed since filing"
    )
    due_by: date | None = Field(
        description="Last day to file (a draft with a launch date) or refile (a change), "
        "counted in Chinese working days"
    )
    overdue: bool
    calendar_covered: bool = Field(
        description="False when the deadline falls in a year whose State Council holiday "
        "notice the calendar does not have yet"
    )


class LedgerRef(BaseModel):
    index: int | None = Field(description="The evidence log entry of the last change")


class AlgorithmSummary(Deadline):
    id: str
    owner: str = Field(description="The tenant that files the record")
    name: str
    algorithm_type: str
    version: int
    filed_version: int | None
    filing_number: str | None
    updated_at: datetime


class AlgorithmView(AlgorithmSummary):
    record: AlgorithmRecordIn
    created_at: datetime
    ledger: LedgerRef


class AlgorithmList(BaseModel):
    algorithms: list[AlgorithmSummary]


class VersionEntry(BaseModel):
    version: int
    changed_at: datetime
    summary: str
    changed_fields: list[str]
    body_sha256: str
    filing_number: str | None = Field(description="Set when this version was filed")
    filed_at: datetime | None
    ledger_index: int | None


class VersionList(BaseModel):
    id: str
    versions: list[VersionEntry]


class PublicAlgorithm(BaseModel):
    """What anyone may read of a filed record: the filed version's public part."""

    id: str
    version: int = Field(description="The version filed")
    filing_number: str
    name: str
    algorithm_type: str
    algorithm_type_label: dict[str, str]
    provider: str | None = Field(description="The provider's legal name")
    application_domain: str
    service_form: str
    public_text: Bilingual
    main_parameters: list[MainParameter]
    user_controls: list[UserControl]
    non_profiling_option: NonProfilingOption
    tag_management: bool


class PublicRegistry(BaseModel):
    platform: str
    algorithms: list[PublicAlgorithm]


FilingExport = dict[str, Any]
