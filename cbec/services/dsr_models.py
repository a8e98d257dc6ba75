"""Typed requests and answers of data subject requests (:mod:`cbec.services.dsr`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from cbec.trade.parties import IdType
from cbec.trade.types import Text


class SubjectQuery(BaseModel):
    """The person a request is about: exactly one of ``id_type`` + ``id_number`` (the ID on
    the orders and payments, found through its keyed index), ``phone`` (any phone the
    documents carry — buyer, payer, consignee — compared in E.164, China by default, and an
    expert profile's contact) or ``email`` (an expert profile's contact: no document
    carries one)."""

    model_config = ConfigDict(extra="forbid")

    id_type: IdType | None = Field(None, description="resident_id, passport or other")
    id_number: Text(64) | None = Field(None, description="The ID number, as on the documents")
    phone: Text(32) | None = Field(None, description="A phone number (+86… or a Chinese number)")
    email: Text(254) | None = Field(None, description="An e-mail address (expert profiles)")


class RetentionNote(BaseModel):
    """A retention period that applied to the data (PIPL Art. 47: where a law sets one, the
    controller still erased on request; this only says which period applied)."""

    kind: str
    retention: str = Field(description="Code of the inventory's retention column, e.g. `3y`")
    basis: str = Field(description="The provision the period comes from")


class SubjectDocument(BaseModel):
    """One version of a document on the person, personal fields in clear or `(erased)`."""

    kind: str
    id: str
    natural_key: str
    version: int | None = Field(description="An earlier version's number; null: the current one")
    filed_at: datetime
    ledger_index: int | None
    erased: bool = Field(description="Its personal fields were erased")
    body: dict[str, Any]


class ScreeningRecord(BaseModel):
    document_id: str
    role: str
    screened_at: datetime
    matched: bool
    score: str
    lists: str


class TaxChargeRecord(BaseModel):
    order_ref: str
    year: int
    counted_fen: int
    tax_fen: int
    regime: str
    charged_at: datetime
    refunded_at: datetime | None


class TransferRecord(BaseModel):
    id: str
    transferred_on: date
    destination: str
    recipient: str
    purpose: str
    route: str


class RevealRecord(BaseModel):
    at: datetime
    kind: str
    document_id: str
    fields: list[str]
    reason: str
    user_id: int | None
    key_id: str | None


class CertificateRecord(BaseModel):
    kind: str
    issuer: str
    number: str = Field(description="In clear, or `(erased)`")


class ExpertRecord(BaseModel):
    """An expert profile the caller published on the person (talent sharing)."""

    id: str
    headline: str
    name: str = Field(description="In clear, or `(erased)`")
    contact: str = Field(description="In clear, or `(erased)`")
    certificates: list[CertificateRecord]
    published_at: datetime


class DisputeMessageRecord(BaseModel):
    id: int
    author: str = Field(description="The tenant that wrote it")
    by_caller: bool = Field(description="Written by the caller (erasure reaches these only)")
    at: datetime
    text: str = Field(description="In clear, or `(erased)`")
    ledger_index: int | None


class DisputeRecord(BaseModel):
    """A dispute case on one of the person's orders that the caller is a party to."""

    id: str
    order_no: str
    reason: str
    state: str
    outcome: str | None
    opened_at: datetime
    resolved_at: datetime | None
    messages: list[DisputeMessageRecord]


class SubjectAccess(BaseModel):
    """Everything the caller (the controller that filed it) holds on the person (PIPL
    Art. 45; GDPR Art. 15). Empty when it holds nothing on them."""

    request_id: str
    received_at: datetime
    found_by: Literal["id_number", "phone", "email"]
    documents: list[SubjectDocument]
    screening: list[ScreeningRecord]
    tax_charges: list[TaxChargeRecord]
    transfers: list[TransferRecord]
    reveals: list[RevealRecord]
    experts: list[ExpertRecord] = Field(
        default_factory=list, description="Expert profiles the caller published on the person"
    )
    disputes: list[DisputeRecord] = Field(
        default_factory=list,
        description="Dispute cases on the person's orders the caller is a party to",
    )
    retention: list[RetentionNote]
    erased_at: datetime | None = Field(
        default=None,
        description="When the caller last erased this person: the documents it kept then "
        "hold no personal data and are no longer linked to them, so they are not listed",
    )


class SubjectErasure(BaseModel):
    """The outcome of an erasure (PIPL Art. 47; GDPR Art. 17). A repeated request answers
    ``already_erased`` with the counts of the erasure that did it."""

    request_id: str
    status: Literal["completed", "already_erased"]
    already_erased: bool
    erased_at: datetime
    documents: int = Field(description="Documents (current versions) whose personal data is gone")
    keys_shredded: int = Field(description="Person keys deleted (crypto-shredding)")
    overwritten: int = Field(description="Documents sealed before person keys, overwritten")
    drafts_deleted: int = Field(description="Import drafts naming the person, deleted")
    experts_erased: int = Field(
        0, description="Expert profiles on the person: personal fields erased, withdrawn"
    )
    messages_erased: int = Field(
        0, description="Dispute messages the caller wrote on the person's cases, erased"
    )
    ledger_index: int | None = Field(description="The erasure's entry in the evidence ledger")
    retention: list[RetentionNote]


class DsrEntry(BaseModel):
    """A request in the register: never the person's identifier."""

    id: str
    tenant: str
    kind: Literal["access", "erasure"]
    found_by: str
    status: str
    received_at: datetime
    completed_at: datetime | None
    documents: int
    keys_shredded: int
    ledger_index: int | None


class DsrRegister(BaseModel):
    items: list[DsrEntry]
