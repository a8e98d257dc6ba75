"""Where a tax figure comes from: the rule rows a China CBEC assessment or a landed-cost quote
names (``rules``, ``duty_rule``, ``vat_rule``, ``fee_rules``, FX rules), each with its
validity window and its published source, read from the same shipped rule tables the
assessments read (``cbec/tax/data``). A quote is only as good as its sources, so the console
shows them next to the figures."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from pydantic import BaseModel

from cbec import ruledata
from cbec.tax.cn_import import POLICY
from cbec.tax.landed.rules import rule_id, shipped_fx, shipped_mfn, shipped_rules


class RuleSource(BaseModel):
    id: str
    effective_from: str
    effective_to: str | None
    source: str
    note: str


@cache
def _index() -> dict[str, RuleSource]:
    rows = [*ruledata.load(POLICY), *shipped_rules(), *shipped_mfn(), *shipped_fx()]
    out = {}
    for row in rows:
        name = rule_id(row)
        out[name] = RuleSource(
            id=name,
            effective_from=row.effective_from.isoformat(),
            effective_to=row.effective_to.isoformat() if row.effective_to else None,
            source=(row.get("source_url") and f"{row.source} ({row['source_url']})") or row.source,
            note=row.get("note"),
        )
    return out


def rule_sources(names: Iterable[str]) -> list[RuleSource]:
    """The rows behind ``names``, in order, once each; a composite FX rule
    (``1/FX-USDCNY@…*FX-USDEUR@…``) is read as the rows it names. A name no shipped row has
    (rates the caller gave) is left out."""
    index = _index()
    seen: dict[str, RuleSource] = {}
    for name in names:
        for part in re.findall(r"[A-Za-z0-9][A-Za-z0-9_.:@-]*", name):
            if part in index and part not in seen:
                seen[part] = index[part]
    return list(seen.values())
