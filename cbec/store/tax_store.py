"""The China CBEC annual quota ledger: one row per buyer and year, locked while an order is
assessed against it, so two orders of the same buyer arriving together are assessed one
after the other — they cannot both slip under the annual limit.

SQLite serialises writers (``BEGIN IMMEDIATE``); PostgreSQL locks the buyer's row with
``SELECT … FOR UPDATE`` after an ``INSERT … ON CONFLICT DO NOTHING`` made sure it exists.
The buyer is known by a keyed hash of the resident ID; the ID itself is sealed beside it
for an audited reveal, never stored in clear.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from cbec.errors import Conflict, NotFound
from cbec.privacy.vault import Vault
from cbec.store.tables import tax_quota_charges, tax_quota_usage
from cbec.tax.cn_import import Order, Policy, assess
from cbec.tax.errors import TaxInputError
from cbec.trade.ports import now

PURPOSE = "cn_cbec_quota"
MAX_FEN = 2**63 - 1  # what an SQL BIGINT column holds


def _scoped(tenant_id: int, order_ref: str) -> str:
    """Order references are the withholder's own: stored per tenant, so one tenant's
    reference never reaches another's charge."""
    return f"{tenant_id}:{order_ref}"


def _fen(amount: Decimal) -> int:
    return int((amount * 100).to_integral_exact())


def _yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def precheck(order: Order, released_on: date | None) -> None:
    """What a charge refuses whatever the stored state: a release date no policy covers
    (naming the field that gave it), and figures whose tax cannot be recorded even at CBEC
    rates — checked before the order is looked up, as the pure assessment would."""
    Policy.on(released_on or order.on, field="released_on" if released_on else "date")
    if _fen(assess(order).total_tax) > MAX_FEN:
        raise TaxInputError("lines", "the tax or the annual total is too large to record")


class QuotaStore:
    def __init__(self, conn: Connection, vault: Vault) -> None:
        self.conn = conn
        self.vault = vault

    def buyer_key(self, buyer_id: str) -> str:
        return self.vault.blind_index(PURPOSE, buyer_id.strip().upper())

    def _locked_usage(self, key: str, year: int, buyer_id: str) -> int:
        dialect = postgresql if self.conn.dialect.name == "postgresql" else sqlite
        sealed = self.vault.seal_value(PURPOSE, f"{key}:{year}", "buyer_id", buyer_id)
        self.conn.execute(
            dialect.insert(tax_quota_usage)
            .values(buyer_key=key, year=year, used_fen=0, buyer_id=sealed, updated_at=now())
            .on_conflict_do_nothing()
        )
        q = (
            select(tax_quota_usage.c.used_fen)
            .where(tax_quota_usage.c.buyer_key == key, tax_quota_usage.c.year == year)
            .with_for_update()
        )
        return self.conn.execute(q).scalar_one()

    def _add(self, key: str, year: int, fen: int) -> None:
        self.conn.execute(
            update(tax_quota_usage)
            .where(tax_quota_usage.c.buyer_key == key, tax_quota_usage.c.year == year)
            .values(used_fen=tax_quota_usage.c.used_fen + fen, updated_at=now())
        )

    def charge(
        self,
        tenant_id: int,
        order_ref: str,
        buyer_id: str,
        order: Order,
        released_on: date | None = None,
        *,
        order_doc_id: str,
    ) -> tuple[dict[str, Any], bool]:
        """Assess ``order`` against the buyer's quota and record it: ``(assessment, created)``.
        The same order reference again returns the recorded assessment (a retry), unless the
        order differs — then it is a conflict, never a second charge. A stored order is
        charged once, by whichever of its withholders charges first. The recorded reasons do
        not state the buyer's annual total (it sums other withholders' orders)."""
        key, year = self.buyer_key(buyer_id), order.on.year
        scoped = _scoped(tenant_id, order_ref)
        precheck(order, released_on)
        used = self._locked_usage(key, year, buyer_id)  # held until the transaction ends
        result = assess(dataclasses.replace(order, annual_used=_yuan(used)), disclose_annual=False)
        existing = self.conn.execute(
            select(tax_quota_charges).where(tax_quota_charges.c.order_ref == scoped)
        ).first()
        if existing is not None:
            recorded = json.loads(existing.assessment)
            same = (
                existing.buyer_key == key
                and existing.year == year
                and existing.order_doc_id == order_doc_id
                and recorded["dutiable_value"] == f"{result.dutiable_value:.2f}"
            )
            if not same:
                raise Conflict("tax_charge_differs", {"order_ref": order_ref})
            return recorded, False
        charged = self.conn.execute(
            select(tax_quota_charges.c.id).where(tax_quota_charges.c.order_doc_id == order_doc_id)
        ).first()
        if charged is not None:  # the same buyer's row lock orders this check
            raise Conflict("tax_order_charged", {"order_id": order_doc_id})
        counted = _fen(result.dutiable_value) if result.counts_toward_annual else 0
        if _fen(result.total_tax) > MAX_FEN or used + counted > MAX_FEN:
            raise TaxInputError("lines", "the tax or the annual total is too large to record")
        if counted:
            self._add(key, year, counted)
        self.conn.execute(
            insert(tax_quota_charges).values(
                order_ref=scoped,
                tenant_id=tenant_id,
                order_doc_id=order_doc_id,
                buyer_key=key,
                year=year,
                counted_fen=counted,
                tax_fen=_fen(result.total_tax),
                regime=result.regime,
                assessment=json.dumps(result.as_dict(), ensure_ascii=False),
                released_on=(released_on or order.on).isoformat(),
                charged_at=now(),
            )
        )
        return result.as_dict(), True

    def refund(self, tenant_id: int, order_ref: str, returned_on: date) -> dict[str, Any]:
        """A return within the window: the tax is refunded and the quota restored — only by
        the tenant that charged it."""
        row = self.conn.execute(
            select(tax_quota_charges)
            .where(tax_quota_charges.c.order_ref == _scoped(tenant_id, order_ref))
            .with_for_update()
        ).first()
        if row is None:
            raise NotFound("not_found", {"kind": "tax_charge"})
        if row.refunded_at is not None:
            raise Conflict("tax_already_refunded", {"order_ref": order_ref})
        released = date.fromisoformat(row.released_on)
        policy = Policy.on(released)
        window = int(policy.values["return_window_days"])
        if returned_on < released or returned_on > released + timedelta(days=window):
            raise Conflict(
                "tax_refund_window",
                {"released": released.isoformat(), "days": window, "returned": returned_on},
            )
        self.conn.execute(  # lock the buyer's row, as a charge does
            select(tax_quota_usage.c.used_fen)
            .where(tax_quota_usage.c.buyer_key == row.buyer_key, tax_quota_usage.c.year == row.year)
            .with_for_update()
        ).scalar_one()
        self._add(row.buyer_key, row.year, -row.counted_fen)
        self.conn.execute(
            update(tax_quota_charges)
            .where(tax_quota_charges.c.id == row.id)
            .values(refunded_at=now(), returned_on=returned_on.isoformat())
        )
        return {
            "order_ref": order_ref,
            "refunded_tax": f"{_yuan(row.tax_fen):.2f}",
            "annual_restored": f"{_yuan(row.counted_fen):.2f}",
            "rule": policy.ids["return_window_days"],
        }
