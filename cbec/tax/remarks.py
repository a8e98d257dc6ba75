"""The remarks column (备注) of the CBEC retail-import positive list, read into conditions.

The annex narrows many tariff lines in free text: bonded import only (仅限网购保税商品, customs
mode 1210), a per-order count ("限购6件", "每单不超过6罐"), exclusions ("…的除外"). These
functions split a remark into clauses and read the structured conditions out of them; every
clause they do not capture stays in the raw remark, which a check always passes on.
"""

from __future__ import annotations

import re
from decimal import Decimal

BONDED_MARK = "仅限网购保税"
_UNITS = "件个瓶罐盒支包套袋"
# "限购6件", "限6件", "每单不超过6罐": a per-order count; weights (千克, kg) are not counts.
_QTY_PATTERNS = (
    re.compile(rf"每(?:单|个订单|笔订单|笔)[^0-9{_UNITS}]{{0,8}}?(\d+(?:\.\d+)?)\s*[{_UNITS}]"),
    re.compile(rf"限(?:购|售)?\s*(\d+(?:\.\d+)?)\s*[{_UNITS}]"),
)
_CLAUSE_SPLIT = re.compile(r"[;；。\n]+")
SPACES = re.compile(r"[\s\u3000]+")


def clauses(remark: str) -> list[str]:
    return [c.strip() for c in _CLAUSE_SPLIT.split(remark or "") if c.strip()]


def is_bonded_clause(clause: str) -> bool:
    return BONDED_MARK in SPACES.sub("", clause)


def qty_in(clause: str) -> Decimal | None:
    text = SPACES.sub("", clause)
    for pattern in _QTY_PATTERNS:
        match = pattern.search(text)
        if match:
            return Decimal(match.group(1))
    return None


def is_exclusion_clause(clause: str) -> bool:
    return SPACES.sub("", clause).endswith("除外")


def derive_bonded_only(remark: str) -> bool:
    """True when the remark restricts the line to bonded import (仅限网购保税…)."""
    return any(is_bonded_clause(c) for c in clauses(remark))


def derive_max_qty(remark: str) -> Decimal | None:
    """The per-order count cap a remark states ("限购6件", "每单不超过6罐"), else None.

    Only Arabic numerals and count units are read; weight caps ("每人每年2千克") and anything
    else stay in the raw remark, which :func:`check` always surfaces as a condition."""
    caps = [q for q in (qty_in(c) for c in clauses(remark)) if q is not None]
    return min(caps) if caps else None


def derive_excluded(remark: str) -> str:
    """The remark's exclusion clauses ("…的除外"), joined by "; "; empty when there are none."""
    return "; ".join(c for c in clauses(remark) if is_exclusion_clause(c))
