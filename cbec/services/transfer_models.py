"""Typed requests and answers of the transfer register (:mod:`cbec.services.transfers`)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from cbec.privacy.transfer import ExporterProfile, RouteDecision
from cbec.trade.types import Text

MAX_DOCUMENTS = 10_000  # per recorded transfer; a larger export is recorded in parts
MAX_INDIVIDUALS = 1_000_000_000


class OutboundTransfer(BaseModel):
    """One transfer of data abroad, as its exporter describes it.

    Its individuals are named two ways, which add up: ``document_ids`` — stored orders and
    payments the exporter filed, whose buyers or payers are counted once each however many
    documents and transfers name them — and ``individuals`` / ``sensitive_individuals`` —
    people not in cbec, counted by number. ``documents_sensitive``: whether the documents'
    sensitive personal information (the ID numbers CBEC orders carry, PIPL Art. 28) leaves
    with them. The yearly counts the route depends on are worked out by cbec from the
    register, not given."""

    model_config = ConfigDict(extra="forbid")

    origin: str = Field("CN", description="ISO 3166-1 alpha-2: CN, or an EU/EEA state")
    destination: str = Field(description="ISO 3166-1 alpha-2 of the recipient's country")
    recipient: Text(200) = Field(description="Who receives the data (a firm's name)")
    purpose: Text(64) = Field(
        "other",
        description="e.g. cross_border_shopping, cross_border_delivery, cross_border_payment "
        "(necessity purposes of CAC provisions Art. 5(1)), hr_management, marketing, other",
    )
    data_categories: list[str] = Field(
        min_length=1, max_length=3, description="user, transaction, supply_chain"
    )
    document_ids: list[Text(64)] = Field(default_factory=list, max_length=MAX_DOCUMENTS)
    documents_sensitive: bool = True
    individuals: int = Field(0, ge=0, le=MAX_INDIVIDUALS)
    sensitive_individuals: int = Field(0, ge=0, le=MAX_INDIVIDUALS)
    important_data: bool = False
    collected_abroad: bool = False
    exporter_role: str | None = Field(None, description="controller or processor (EU origin)")
    importer_role: str | None = Field(None, description="controller or processor (EU origin)")
    importer_dpf_certified: bool = False
    transferred_on: date | None = Field(
        None, description="The day the data leaves (default: today in China, UTC+8)"
    )


class TransferRequest(BaseModel):
    """The exporter's profile and the transfer."""

    model_config = ConfigDict(extra="forbid")

    profile: ExporterProfile = Field(default_factory=ExporterProfile)
    transfer: OutboundTransfer


class YearCounts(BaseModel):
    """Individuals the exporter has sent abroad from China since 1 January of ``year``
    through ``through``, this transfer included (CAC provisions: 自当年1月1日起累计)."""

    year: int
    through: date
    non_sensitive: int
    sensitive: int


class PlannedTransfer(BaseModel):
    """The route a transfer needs, on the counts it was decided with. ``counted``: whether
    its individuals add to the yearly counts (a necessity-purpose transfer's do not)."""

    decision: RouteDecision
    counts: YearCounts | None = Field(description="None for a transfer from the EU")
    counted: bool
    documents: int
    individuals_in_documents: int


class RecordedTransfer(PlannedTransfer):
    id: str
    exporter: str
    recorded_at: datetime
    transferred_on: date
    ledger_index: int | None = Field(description="The record's entry in the evidence log")


class TransferEntry(BaseModel):
    """One transfer in the register."""

    id: str
    exporter: str
    recorded_at: datetime
    transferred_on: date
    origin: str
    destination: str
    recipient: str
    purpose: str
    data_categories: list[str]
    route: str
    articles: list[str] = Field(description="Every provision the decision cites")
    counted: bool
    documents: int
    individuals_in_documents: int
    declared_individuals: int
    declared_sensitive: int
    ledger_index: int | None


class TransferRegister(BaseModel):
    year: int
    items: list[TransferEntry]
