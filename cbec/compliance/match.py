"""Whether a rule applies: scope first, then its match conditions, each answer explained.

Every condition answers True, False or **None (undecided)** — a 6-digit code against an
8-digit prefix, a party whose country the order does not give, a list that does not cover
the date. Undecided is never silently False: the evaluator turns an undecided ``deny``,
``require`` or ``flag`` into ``review`` and an undecided ``allow`` into "whitelist not
passed, review", so a missing fact sends an order to a human instead of through the gate.
Every answer carries the field it read and a Chinese and English description.

Combination: inside an alternative, False if any condition is False, else None if any is
None, else True (all-of). Across alternatives: True if any is True, else None if any is
None, else False (any-of).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from cbec.compliance.facts import Fact, LineFacts, OrderFacts
from cbec.compliance.lists import ListAdapter, ListVerdict
from cbec.compliance.model import Amount, Match, Rule, Scope, fold

ROLE_ZH = {
    "platform": "平台",
    "seller": "卖家",
    "logistics": "物流企业",
    "payment": "支付企业",
    "buyer": "买家",
    "consignee": "收货人",
}


class Cond(NamedTuple):
    """One condition's answer: ``field`` and ``value`` are what it read."""

    result: bool | None
    field: str
    value: str
    zh: str
    en: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "value": self.value, "zh": self.zh, "en": self.en}


class AltResult(NamedTuple):
    """An alternative's (or a rule's) answer. For True, ``conds`` are the conditions that
    matched; for None, the ones that could not be decided. ``verdict`` is the list's answer
    when the alternative consults a list."""

    result: bool | None
    conds: tuple[Cond, ...] = ()
    verdict: ListVerdict | None = None
    notes: tuple[str, ...] = ()  # about conditions (e.g. a limit in another currency)

    @property
    def all_notes(self) -> tuple[str, ...]:
        """The condition notes and the consulted list's notes (e.g. "SAMPLE list")."""
        return self.notes + (self.verdict.notes if self.verdict else ())


NO = AltResult(False)


def in_scope(scope: Scope, facts: OrderFacts) -> tuple[bool, tuple[str, ...]]:
    """(in scope, assumptions made). A value the order does not give is assumed in scope
    (conservative) and the assumption is returned so the decision can say so."""
    assumed: list[str] = []
    if scope.directions and facts.direction not in scope.directions:
        return False, ()
    for name, allowed, value in (
        ("origin_country", scope.origin_countries, facts.origin_country),
        ("destination_country", scope.destination_countries, facts.destination_country),
        ("trade_mode", scope.trade_modes, facts.trade_mode),
    ):
        if not allowed:
            continue
        if value is None:
            assumed.append(f"{name} not given: assumed one of {', '.join(sorted(allowed))}")
        elif value not in allowed:
            return False, ()
    return True, tuple(assumed)


def scope_field(scope: Scope, facts: OrderFacts) -> tuple[str, str]:
    """The most specific scope field, for rules that match every order in their scope."""
    if scope.destination_countries:
        return "destination_country", facts.destination_country or ""
    if scope.origin_countries:
        return "origin_country", facts.origin_country or ""
    if scope.trade_modes:
        return "trade_mode", facts.trade_mode or ""
    if scope.directions:
        return "direction", facts.direction
    return "(order)", ""


# --------------------------------------------------------------------------- conditions


def _hs(prefixes: frozenset[str], line: LineFacts) -> Cond:
    if line.hs_code is None:
        return Cond(None, f"{line.prefix}.hs_code", "", "没有商品编码", "no HS code given")
    code, path = line.hs_code.value, line.hs_code.path
    hits = [p for p in prefixes if code.startswith(p)]
    if hits:
        p = max(hits, key=len)
        return Cond(
            True, path, code, f"商品编码 {code} 以 {p} 开头", f"HS code {code} starts with {p}"
        )
    maybe = sorted(p for p in prefixes if p.startswith(code))
    if maybe:
        return Cond(
            None,
            path,
            code,
            f"商品编码 {code} 位数不足，无法判断是否属于 {', '.join(maybe)}",
            f"HS code {code} is too short to tell whether it falls under {', '.join(maybe)}",
        )
    return Cond(False, path, code, "", "")


# Rules and catalogues repeat the same words across thousands of orders: fold and compile
# each once (the profile of a bulk import was dominated by these two).
_fold = lru_cache(maxsize=1 << 16)(fold)


@lru_cache(maxsize=1 << 12)
def _en_pattern(keyword: str) -> re.Pattern[str]:
    # Word-start boundary: "battery" matches "battery pack" but "gun" would not match "begun".
    return re.compile(r"(?<![0-9a-z])" + re.escape(fold(keyword)))


@lru_cache(maxsize=1 << 12)
def _any_keyword(alt: Match) -> re.Pattern[str] | None:
    """One regex for "does any keyword of ``alt`` occur": the usual answer is no, and one
    search says so faster than a loop over every keyword."""
    parts = [re.escape(_fold(k)) for k in alt.keywords_zh]
    parts += [_en_pattern(k).pattern for k in alt.keywords_en]
    return re.compile("|".join(parts)) if parts else None


def _text(alt: Match, line: LineFacts) -> Cond:
    quick = _any_keyword(alt)
    for fact in line.texts:
        folded = _fold(fact.value)
        if quick is not None and not quick.search(folded) and not alt.patterns:
            continue
        for kw in sorted(alt.keywords_zh):
            if _fold(kw) in folded:
                return Cond(
                    True,
                    fact.path,
                    fact.value,
                    f"{fact.path} 含“{kw}”",
                    f'{fact.path} contains "{kw}"',
                )
        for kw in sorted(alt.keywords_en):
            if _en_pattern(kw).search(folded):
                return Cond(
                    True,
                    fact.path,
                    fact.value,
                    f"{fact.path} 含“{kw}”",
                    f'{fact.path} contains "{kw}"',
                )
        for pattern in alt.patterns:
            if pattern.search(fact.value):
                return Cond(
                    True,
                    fact.path,
                    fact.value,
                    f"{fact.path} 匹配正则 /{pattern.pattern}/",
                    f"{fact.path} matches /{pattern.pattern}/",
                )
    return Cond(False, f"{line.prefix}.name", "", "", "")


def _attributes(alt: Match, line: LineFacts) -> list[Cond]:
    out = []
    if alt.attributes:
        hit = next((a for a in sorted(alt.attributes) if a in line.attributes), None)
        if hit is None:
            out.append(Cond(False, f"{line.prefix}.attributes", "", "", ""))
        else:
            path = line.attributes[hit].path
            out.append(Cond(True, path, "true", f"{path} 申报为是", f"{path} is declared true"))
    if alt.attributes_all:
        missing = sorted(a for a in alt.attributes_all if a not in line.attributes)
        if missing:
            out.append(Cond(False, f"{line.prefix}.attributes.{missing[0]}", "", "", ""))
        else:
            names = ", ".join(sorted(alt.attributes_all))
            path = f"{line.prefix}.attributes"
            out.append(
                Cond(True, path, names, f"{path} 均申报为是：{names}", f"{path} all true: {names}")
            )
    return out


def _countries(allowed: frozenset[str], fact: Fact | None, path: str, zh: str, en: str) -> Cond:
    if fact is None:
        return Cond(None, path, "", f"未给出{zh}", f"{en} not given")
    if fact.value in allowed:
        return Cond(
            True,
            fact.path,
            fact.value,
            f"{zh} {fact.value} 在名单内",
            f"{en} {fact.value} is listed",
        )
    return Cond(False, fact.path, fact.value, "", "")


def _above(
    limit: Amount | None, fact: Fact, currency: str, zh: str, en: str
) -> tuple[Cond | None, str | None]:
    if limit is None:
        return None, None
    if limit.currency != currency:
        note = (
            f"{fact.path}: limit {limit} not compared with an order in {currency} "
            "(a limit applies only to orders in its currency)"
        )
        return Cond(False, fact.path, str(fact.value), "", ""), note
    value = fact.value
    if value > limit.value:
        return (
            Cond(
                True,
                fact.path,
                f"{value} {currency}",
                f"{zh} {value} {currency} 超过 {limit}",
                f"{en} {value} {currency} exceeds {limit}",
            ),
            None,
        )
    return Cond(False, fact.path, f"{value} {currency}", "", ""), None


def _qty_above(limit: Decimal | None, fact: Fact, zh: str, en: str) -> Cond | None:
    if limit is None:
        return None
    if fact.value > limit:
        return Cond(
            True,
            fact.path,
            str(fact.value),
            f"{zh} {fact.value} 超过 {limit}",
            f"{en} {fact.value} exceeds {limit}",
        )
    return Cond(False, fact.path, str(fact.value), "", "")


def _combine(
    conds: list[Cond], verdict: ListVerdict | None = None, notes: Sequence[str] = ()
) -> AltResult:
    if any(c.result is False for c in conds):
        return AltResult(False, verdict=verdict, notes=tuple(notes))
    undecided = tuple(c for c in conds if c.result is None)
    if undecided:
        return AltResult(None, undecided, verdict, tuple(notes))
    return AltResult(True, tuple(conds), verdict, tuple(notes))


def match_alternative(
    alt: Match,
    facts: OrderFacts,
    line: LineFacts | None,
    on: date,
    lists: Mapping[str, ListAdapter],
) -> AltResult:
    """One alternative against one line (``line`` None for an order-level alternative)."""
    conds: list[Cond] = []
    notes: list[str] = []
    if line is not None:
        # The goods conditions first, and out at the first that fails: most alternatives of a
        # rule set are about other goods, and a failed alternative has nothing more to say.
        if alt.hs_prefixes:
            conds.append(_hs(alt.hs_prefixes, line))
            if conds[-1].result is False:
                return AltResult(False)
        if alt.has_text:
            conds.append(_text(alt, line))
            if conds[-1].result is False:
                return AltResult(False)
        conds += _attributes(alt, line)
        if any(c.result is False for c in conds):
            return AltResult(False)
        if alt.line_origin_countries:
            conds.append(
                _countries(
                    alt.line_origin_countries,
                    line.origin_country,
                    f"{line.prefix}.origin_country",
                    "原产国",
                    "origin country",
                )
            )
        cond, note = _above(
            alt.line_value_above, line.value, facts.currency, "行金额", "line value"
        )
        conds += [cond] if cond else []
        notes += [note] if note else []
        cond = _qty_above(alt.line_qty_above, line.qty, "行数量", "line quantity")
        conds += [cond] if cond else []
    cond, note = _above(
        alt.order_value_above, facts.goods_value, facts.currency, "订单货值", "order goods value"
    )
    conds += [cond] if cond else []
    notes += [note] if note else []
    total = Fact("lines[*].qty", facts.total_qty)
    cond = _qty_above(alt.order_qty_above, total, "订单总数量", "order total quantity")
    conds += [cond] if cond else []
    for role, names in alt.parties:
        fact = facts.parties.get(role)
        if fact is not None and fact.value in names:
            zh, en = ROLE_ZH[role], role
            conds.append(
                Cond(
                    True,
                    fact.path,
                    fact.value,
                    f"{zh} {fact.value} 在名单内",
                    f"{en} {fact.value} is listed",
                )
            )
        else:
            conds.append(Cond(False, role, fact.value if fact else "", "", ""))
    for role, countries in alt.party_countries:
        conds.append(
            _countries(
                countries,
                facts.party_countries.get(role),
                f"{role}_country",
                f"{ROLE_ZH[role]}国家",
                f"{role} country",
            )
        )
    verdict = None
    if alt.list and line is not None and not any(c.result is False for c in conds):
        verdict = lists[alt.list].check(line, facts, on)
        conds.append(
            Cond(
                verdict.on_list, verdict.field, verdict.value, verdict.reason.zh, verdict.reason.en
            )
        )
    if not conds:  # an empty alternative: every order in scope
        return AltResult(True, (), None, ())
    return _combine(conds, verdict, notes)


def best(results: list[AltResult]) -> AltResult:
    """Any-of: the first True, else the first None, else False (notes of all kept)."""
    notes = tuple(n for r in results for n in r.notes)
    for wanted in (True, None):
        for r in results:
            if r.result is wanted:
                return AltResult(r.result, r.conds, r.verdict, notes)
    # False: keep a list's "not on the list" answer, so a whitelist miss can say why.
    verdict = next((r.verdict for r in results if r.verdict is not None), None)
    return AltResult(False, verdict=verdict, notes=notes)


def order_alternatives(rule: Rule) -> list[Match]:
    return [m for m in rule.match if not m.is_line_level]


def line_alternatives(rule: Rule) -> list[Match]:
    return [m for m in rule.match if m.is_line_level]
