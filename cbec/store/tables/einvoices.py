"""The credit notes issued for an order's e-invoice (:mod:`cbec.services.einvoice`): one row
per valid credit note logged in the evidence ledger, with what it credited — its net amount
(before VAT) in the invoice's currency and, unless it credited an amount, the quantity of
each order line — so that a later credit note of the same invoice cannot credit more than
the invoice has left. No personal data: numbers, dates and amounts only."""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Index, Numeric, String, Table, Text

from cbec.store.tables.base import BigId, UTCDateTime, metadata

einvoice_credit_notes = Table(
    "einvoice_credit_notes",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("order_id", String(32), ForeignKey("documents.id"), nullable=False),
    Column("invoice_number", String(100), nullable=False),  # BT-25, the invoice corrected
    Column("number", String(100), nullable=False),  # BT-1, the credit note's own
    Column("issue_date", Date, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("net", Numeric(18, 2), nullable=False),  # tax exclusive amount credited (BT-109)
    Column("invoice_net", Numeric(18, 2), nullable=False),  # the invoice's, when credited
    # JSON {"<line_no>": "<quantity>"} of the order lines credited; {} for an amount credited
    Column("lines", Text, nullable=False),
    Column("tenant_id", BigId, ForeignKey("tenants.id"), nullable=False),  # who issued it
    Column("sha256", String(64), nullable=False),
    Column("ledger_index", BigId, nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_einvoice_credit_notes_invoice", "order_id", "invoice_number", "number", unique=True),
)
