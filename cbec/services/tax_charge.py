"""Whether a quota charge matches the stored order it names.

The annual quota (财关税〔2016〕18号 §2, 〔2018〕49号) is one counter per buyer across every
platform, so what a withholder adds to it must be what the order it withholds for says: the
same buyer — compared through the keyed hash the store keeps of the order's buyer ID
(``subject_ref``, :func:`cbec.trade.subjects.subject_ref`), never in clear — and the same
figures, line by line. The declaration date may not precede the order nor lag it by more
than :data:`DECLARE_WITHIN_DAYS` (cbec's own bound: a charge cannot move an order into
another year's quota at will).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from cbec.errors import Violation
from cbec.privacy.vault import Vault
from cbec.services.tax_models import ChargeRequest
from cbec.trade.ports import StoredDocument

DECLARE_WITHIN_DAYS = 30
SUBJECT = "subject"  # the blind-index purpose of documents' subject_ref


def _same_buyer(vault: Vault, subject_ref: str | None, buyer_id: str) -> bool:
    if subject_ref is None:
        return False
    number = buyer_id.strip()
    spellings = {number, number.upper(), number[:-1] + number[-1:].lower()}
    return any(vault.blind_index(SUBJECT, f"resident_id:{n}") == subject_ref for n in spellings)


def _dec(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _figure(field: str, given: Decimal, stored: Any) -> list[Violation]:
    if _dec(stored) == given:
        return []
    return [Violation(field, "tax_order_figure", {"stored": str(stored)})]


def _ordered_on(body: dict[str, Any]) -> date | None:
    try:
        return datetime.fromisoformat(str(body["ordered_at"]).replace("Z", "+00:00")).date()
    except (KeyError, ValueError):
        return None


def mismatches(vault: Vault, filed: StoredDocument, req: ChargeRequest) -> list[Violation]:
    """The fields of ``req`` that differ from the stored order ``filed``; empty if none."""
    body = filed.body
    out: list[Violation] = []
    if not _same_buyer(vault, filed.subject_ref, req.buyer_id):
        out.append(Violation("buyer_id", "tax_order_buyer"))
    if body.get("currency") != "CNY":
        out.append(Violation("order_id", "tax_order_currency", {"currency": body.get("currency")}))
    stored = body.get("lines") or []
    if len(stored) != len(req.lines):
        out.append(Violation("lines", "tax_order_lines", {"count": len(stored)}))
    else:
        for i, (line, kept) in enumerate(zip(req.lines, stored, strict=True)):
            if line.sku and line.sku != kept.get("sku"):
                out.append(
                    Violation(f"lines[{i}].sku", "tax_order_figure", {"stored": kept.get("sku")})
                )
            out += _figure(f"lines[{i}].qty", line.qty, kept.get("qty"))
            out += _figure(f"lines[{i}].unit_price", line.unit_price, kept.get("unit_price"))
    out += _figure("freight", req.freight, body.get("freight"))
    out += _figure("insurance", req.insurance, "0")  # an order states no insurance
    ordered = _ordered_on(body)
    latest = ordered + timedelta(days=DECLARE_WITHIN_DAYS) if ordered else None
    if ordered is None or latest is None or not ordered <= req.on <= latest:
        window = {"from": str(ordered), "to": str(latest), "days": DECLARE_WITHIN_DAYS}
        out.append(Violation("date", "tax_order_date", window))
    return out
