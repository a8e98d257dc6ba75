"""The credit notes issued for orders' e-invoices (:mod:`cbec.store.tables.einvoices`): read
per order (and invoice), added one at a time in the transaction that logs the credit note.

Checking what an invoice has left and adding a credit note must not interleave with another
credit note of the same order: :meth:`CreditNoteStore.lock_order` takes the order's row lock
on PostgreSQL (SQLite's write transaction, ``BEGIN IMMEDIATE``, already admits one writer at
a time), so the second of two concurrent credit notes sees the first."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select

from cbec.store.tables import documents
from cbec.store.tables import einvoice_credit_notes as t


@dataclass(frozen=True)
class CreditNoteRow:
    """One credit note issued: its invoice, number, date, amounts and line quantities."""

    invoice_number: str
    number: str
    issue_date: date
    currency: str
    net: Decimal
    invoice_net: Decimal
    lines: dict[int, Decimal]
    sha256: str
    ledger_index: int | None
    created_at: datetime


def _row(r: Any) -> CreditNoteRow:
    lines = {int(k): Decimal(v) for k, v in json.loads(r.lines).items()}
    return CreditNoteRow(
        r.invoice_number,
        r.number,
        r.issue_date,
        r.currency,
        Decimal(r.net),
        Decimal(r.invoice_net),
        lines,
        r.sha256,
        r.ledger_index,
        r.created_at,
    )


class CreditNoteStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def lock_order(self, order_id: str) -> None:
        """Serialise the credit notes of one order (PostgreSQL row lock; see the module)."""
        if self.conn.dialect.name == "postgresql":
            q = select(documents.c.seq).where(documents.c.id == order_id).with_for_update()
            self.conn.execute(q)

    def of_order(self, order_id: str, invoice_number: str | None = None) -> list[CreditNoteRow]:
        """The credit notes of ``order_id`` (of its invoice ``invoice_number`` when given),
        in the order they were issued."""
        q = select(t).where(t.c.order_id == order_id)
        if invoice_number is not None:
            q = q.where(t.c.invoice_number == invoice_number)
        return [_row(r) for r in self.conn.execute(q.order_by(t.c.id))]

    def add(
        self,
        order_id: str,
        tenant_id: int,
        row: CreditNoteRow,
    ) -> None:
        lines = {str(k): str(v) for k, v in row.lines.items()}
        self.conn.execute(
            t.insert().values(
                order_id=order_id,
                invoice_number=row.invoice_number,
                number=row.number,
                issue_date=row.issue_date,
                currency=row.currency,
                net=row.net,
                invoice_net=row.invoice_net,
                lines=json.dumps(lines, sort_keys=True),
                tenant_id=tenant_id,
                sha256=row.sha256,
                ledger_index=row.ledger_index,
                created_at=row.created_at,
            )
        )
