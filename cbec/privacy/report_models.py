"""Typed answer of the privacy compliance report (:mod:`cbec.services.privacy_report`): a
scope and one model per section, in the order the report prints them.

A section is one field here, one builder in :data:`cbec.services.privacy_report.SECTIONS`
and one renderer in :mod:`cbec.privacy.report_render`."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

MIN_YEAR, MAX_YEAR = 2021, 9999  # PIPL in force from 2021-11-01


class ReportScope(BaseModel):
    year: int = Field(description="The calendar year in China (Asia/Shanghai, UTC+8)")
    start: datetime = Field(description="1 January 00:00 in China, as UTC")
    end: datetime = Field(description="The next 1 January 00:00 in China, as UTC (exclusive)")
    tenant: str | None = Field(description="The tenant reported on; null: every tenant")
    requested_by: str
    generated_at: datetime


class ProcessedField(BaseModel):
    kind: str
    field: str
    pi: str = Field(description="personal or sensitive (PIPL Arts. 4, 28)")
    protection: str
    mask: str


class Protection(BaseModel):
    encryption: list[str] = Field(description="Field-encryption algorithms of the data keys")
    active_key_id: str | None = Field(description="The data key new writes are sealed under")
    key_ids: list[str] = Field(description="Every data key id the deployment has used")
    encrypted_fields: int
    masked_fields: int
    masks: list[str] = Field(description="The masks readers other than the filer see")
    pseudonyms: str = Field(description="How individuals are counted without their identity")


class PiaDraft(BaseModel):
    """PIPL Art. 55-56 personal information protection impact assessment, as a draft: the
    facts cbec holds filled in, the assessor's judgements left as headings to fill."""

    draft: bool = True
    purposes: list[str] = Field(description="Purposes of processing (the documents' kinds)")
    personal_fields: list[ProcessedField]
    sensitive_fields: list[ProcessedField]
    transfers_abroad: int
    protection: Protection
    retention_years: int = Field(3, description="PIPL Art. 56: report and records kept 3 years")


class InventorySummary(BaseModel):
    on: date
    fields: int
    by_category: dict[str, int]
    by_grade: dict[str, int]
    by_pi: dict[str, int]


class Tally(BaseModel):
    key: str
    transfers: int
    individuals: int


class TransferLine(BaseModel):
    exporter: str
    transferred_on: date
    destination: str
    recipient: str
    purpose: str
    route: str
    individuals: int
    articles: list[str]


class TransferSummary(BaseModel):
    transfers: int
    individuals: int = Field(description="Individuals named by documents plus those declared")
    by_route: list[Tally]
    by_destination: list[Tally]
    items: list[TransferLine]


class KeyEvent(BaseModel):
    at: datetime
    event: str = Field(description="added or retired")
    purpose: str = Field(description="data, hmac or ledger")
    kid: str | None
    fingerprint: str | None = Field(description="The regulator's report only")


class KeyRotations(BaseModel):
    added: int
    retired: int
    events: list[KeyEvent]


class RevealTally(BaseModel):
    tenant: str
    role: str = Field(description="The user's role in its tenant, or api_key")
    user: str | None
    key_id: str | None
    reveals: int
    documents: int
    fields: list[str]


class AccountTally(BaseModel):
    tenant: str
    tenant_role: str
    role: str = Field(description="admin, operator, viewer, or api_key")
    count: int


class AccessByRole(BaseModel):
    reveals: list[RevealTally] = Field(
        description="Audited reads of personal information in clear, by who read"
    )
    total_reveals: int
    accounts: list[AccountTally] = Field(
        description="Users and live API keys by role now; a filer's own reads its documents "
        "in clear, a reader of another's sees them masked"
    )


class DsrLine(BaseModel):
    tenant: str
    kind: str = Field(description="access or erasure")
    found_by: str = Field(description="id_number or phone: how the person was named")
    status: str
    received_at: datetime
    completed_at: datetime | None
    documents: int
    keys_shredded: int


class DsrSummary(BaseModel):
    """The data subject requests received in the year (PIPL Arts. 44-47; GDPR Arts. 15, 17),
    from the DSR register: never the person's identifier."""

    requests: int
    access: int
    erasure: int
    completed: int
    documents: int = Field(description="Documents reached by the year's requests")
    keys_shredded: int
    items: list[DsrLine]


class PrivacyReport(BaseModel):
    """The audit pack and the impact assessment draft of a year."""

    scope: ReportScope
    pia: PiaDraft
    inventory: InventorySummary
    transfers: TransferSummary
    dsr: DsrSummary
    keys: KeyRotations
    access: AccessByRole
