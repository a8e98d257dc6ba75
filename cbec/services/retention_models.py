"""Typed answers of retention enforcement (:mod:`cbec.services.retention`)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field


class RetentionKind(BaseModel):
    """One document kind of the caller's: its retention and how many documents are past it."""

    kind: str
    retention: str = Field(description="Code of the inventory's retention column, e.g. `3y`")
    cutoff: datetime | None = Field(
        description="Documents completed before this instant are past retention; null for "
        "a period that never expires by time (`product`: while sold)"
    )
    count: int = Field(description="Documents past retention still holding personal data")


class RetentionDue(BaseModel):
    """What the caller holds past its retention period on ``on``."""

    on: date
    kinds: list[RetentionKind]
    total: int


class RetentionApplied(BaseModel):
    """What :func:`cbec.services.retention.apply_retention` erased; a run with nothing due
    erases nothing and logs nothing (``ledger_index`` null, ``ledger_indexes`` empty)."""

    on: date
    kinds: list[RetentionKind] = Field(description="Per kind, how many documents it erased")
    erased: int
    ledger_index: int | None = Field(description="The last of `ledger_indexes`")
    ledger_indexes: list[int] = Field(
        description="The ledger entry of each batch erased (one write transaction each, "
        "up to 500 documents of one kind)"
    )
