"""Use case of the data inventory (:mod:`cbec.privacy.inventory`): the tags of every stored
document field — and of every field of the records that hold personal data but are not
documents (dispute cases and messages, expert profiles, engagements, poll votes) — in force
on a day, with counts by category and kind of personal information
— the same answer for the API, the command line and the console."""

from __future__ import annotations

from collections import Counter
from datetime import date

from pydantic import BaseModel, Field
from sqlalchemy import Table

from cbec.errors import BadRequest
from cbec.privacy import inventory
from cbec.store.tables import (
    dispute_cases,
    dispute_messages,
    poll_votes,
    talent_engagements,
    talent_experts,
)
from cbec.trade.ports import now


class InventoryField(BaseModel):
    kind: str = Field(
        description="The document kind (order, payment, waybill, product) or the record "
        "(dispute, dispute_message, talent_expert, talent_engagement, poll_vote)"
    )
    field: str = Field(description="The field's path in the document, e.g. buyer.id_number")
    category: str = Field(description="user, transaction or supply_chain")
    grade: str = Field(description="GB/T 43697-2024: general, important or core")
    pi: str = Field(
        description="none; linked (personal through the document's person); possible (free "
        "text that may name someone); personal; sensitive (PIPL Art. 28)"
    )
    protection: str = Field(description="clear, or encrypted (field-level, masked on reads)")
    mask: str = Field(description="The mask every reader but the filer sees, if any")
    retention: str = Field(description="3y (E-Commerce Law Art. 31) or product (while sold)")
    source: str
    effective_from: date


class DataInventory(BaseModel):
    on: date
    fields: list[InventoryField]
    by_category: dict[str, int]
    by_pi: dict[str, int]


def _columns(table: Table, nested: dict[str, tuple[str, ...]] | None = None) -> tuple[str, ...]:
    """A table's columns as inventory paths; a JSON column of objects as its keys."""
    out: list[str] = []
    for column in table.columns:
        keys = (nested or {}).get(column.name)
        out += [f"{column.name}[].{k}" for k in keys] if keys else [column.name]
    return tuple(out)


WITHHELD = "withheld"  # a sealed field shown to no reader but those entitled (not masked)

# The stored records that hold personal data and are not documents, with their sealed
# fields — as the use cases seal them (:mod:`cbec.services.disputes`, :mod:`~.talent`).
RECORDS = {
    "dispute": inventory.Record(_columns(dispute_cases), {}),
    "dispute_message": inventory.Record(_columns(dispute_messages), {"text": WITHHELD}),
    "talent_expert": inventory.Record(
        _columns(talent_experts, {"certificates": ("kind", "issuer", "number")}),
        {"name": WITHHELD, "contact": WITHHELD, "certificates[].number": WITHHELD},
    ),
    "talent_engagement": inventory.Record(_columns(talent_engagements), {}),
    "poll_vote": inventory.Record(_columns(poll_votes), {}),
}


def data_inventory(on: date | None = None) -> DataInventory:
    """The inventory in force on ``on`` (default: today, UTC). A table that does not match
    the stored models is refused (the test suite keeps that from shipping)."""
    on = on or now().date()
    tags = inventory.load(on=on)
    found = inventory.problems(tags, records=RECORDS)
    if found:
        raise BadRequest("inventory_incomplete", {"detail": "; ".join(found[:5])})
    fields = [
        InventoryField(
            kind=t.kind,
            field=t.field,
            category=t.category,
            grade=t.grade,
            pi=t.pi,
            protection=t.protection,
            mask=t.mask,
            retention=t.retention,
            source=t.source,
            effective_from=t.effective_from,
        )
        for t in tags
    ]
    return DataInventory(
        on=on,
        fields=fields,
        by_category=dict(Counter(f.category for f in fields)),
        by_pi=dict(Counter(f.pi for f in fields)),
    )
