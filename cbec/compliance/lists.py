"""Named lists a rule can consult (``match: {list: NAME}``) instead of spelling out codes.

Some whitelists are too long and too formal to copy into rule files: the CBEC retail-import
positive list has over a thousand tariff lines with conditions in its remarks column, and it
already lives, dated and sourced, in :mod:`cbec.tax.positive_list`. A list adapter lets an
``allow`` rule *be* that list, so the tax quote and the compliance decision can never disagree
about what is on it.

An adapter answers per line with a :class:`ListVerdict`: on the list or not (or undecided),
and — when on it — what the list's conditions make of this line. Its ``fingerprint`` goes
into the rule set's version, so a decision cites the exact list content it was checked
against, not just the list's name.

:class:`PositiveListAdapter` (name ``cn_cbec_positive_list``) maps the tax module's findings:

* ``allowed`` → on the list, effect ``allow``;
* ``not_on_list`` → not on the list (the whitelist then denies the line) — except on the
  shipped SAMPLE, where absence is no evidence: the line is undecided (→ ``review``);
* ``conditions_apply`` with a condition the order **breaks** (``met`` False: bonded-only
  goods declared as direct purchase 9610, quantity above the per-order cap) → on the list,
  effect ``deny`` with the condition text as the reason. The list forbids this import *as
  declared*; no document can cure it (the seller must change the mode or the quantity);
* ``conditions_apply`` with only conditions to **confirm** (``met`` None: exclusions such as
  "wild fauna and flora catalogue goods excepted", free-text remarks) → effect
  ``needs_document``: a seller's declaration (document type
  ``cn_positive_list_declaration`` by default) that the goods are not excluded;
* unknown trade mode (order without ``trade_mode``): checked as both 9610 and 1210; if the
  answers differ the verdict is undecided (→ ``review``: "depends on the trade mode");
* a code that is not 8 or 10 digits, or a date before the earliest loaded edition →
  undecided, with the reason.

The default list is the tax module's labelled SAMPLE; every verdict from it says so in its
notes. Pass ``PositiveListAdapter(PositiveList.load_annex_xlsx(...))`` for the real annex.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import date
from typing import Protocol

from cbec.compliance.facts import LineFacts, OrderFacts
from cbec.compliance.model import Bilingual
from cbec.tax.positive_list import Finding, NotCovered, PositiveList, tariff_line_of

POSITIVE_LIST = "cn_cbec_positive_list"
POSITIVE_LIST_DECLARATION = "cn_positive_list_declaration"


@dataclass(frozen=True)
class ListVerdict:
    """``on_list`` True/False, or None when the list cannot answer (then ``reason`` says why).
    ``effect`` is what being on the list means for this line: allow, deny (a condition is
    broken) or needs_document (a condition to confirm, by one of ``documents``)."""

    on_list: bool | None
    effect: str
    field: str
    value: str
    reason: Bilingual
    documents: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


class ListAdapter(Protocol):
    name: str

    def fingerprint(self) -> str:
        """A digest of the list's content (changes whenever an answer could change)."""
        ...

    def check(self, line: LineFacts, order: OrderFacts, on: date) -> ListVerdict: ...

    # Optional: ``period(on)``, a key equal for two days on which every answer of ``check``
    # is the same (see PositiveListAdapter.period). The engine remembers a line's answer per
    # period; an adapter without it is asked again for every day.


_CHANNEL = {"1210": "bonded", "9610": "direct"}


class PositiveListAdapter:
    """The CBEC retail-import positive list as an ``allow`` list (see the module docstring)."""

    name = POSITIVE_LIST

    def __init__(
        self,
        positive_list: PositiveList | None = None,
        *,
        confirm_document: str = POSITIVE_LIST_DECLARATION,
    ) -> None:
        self.positive_list = positive_list or PositiveList.load_sample()
        self.confirm_document = confirm_document
        self._fingerprint: str | None = None

    def fingerprint(self) -> str:
        if self._fingerprint is None:
            rows = sorted(json.dumps(r.values, sort_keys=True) for r in self.positive_list.rows)
            body = json.dumps(
                {"sample": self.positive_list.is_sample, "rows": rows}, ensure_ascii=False
            )
            self._fingerprint = hashlib.sha256(body.encode()).hexdigest()
        return self._fingerprint

    def period(self, on: date) -> object:
        """Days on which the list's rows in force are the same answer alike
        (:meth:`cbec.tax.positive_list.PositiveList.period`): nothing else of ``on`` goes
        into :meth:`check`'s answer."""
        return self.positive_list.period(on)

    def check(self, line: LineFacts, order: OrderFacts, on: date) -> ListVerdict:
        if line.hs_code is None:
            return self._undecided(
                f"{line.prefix}.hs_code",
                "",
                "没有商品编码，无法对照正面清单",
                "no HS code: cannot be checked against the positive list",
            )
        code, path = line.hs_code.value, line.hs_code.path
        try:
            tariff_line_of(code)
        except ValueError:
            return self._undecided(
                path,
                code,
                f"商品编码 {code} 不是 8 位或 10 位，无法对照正面清单的税则号列",
                f"HS code {code} is not 8 or 10 digits; the list is keyed by 8-digit tariff lines",
            )
        qty = line.qty.value
        if qty != qty.to_integral_value():
            return self._undecided(
                f"{line.prefix}.qty",
                str(qty),
                "数量不是整数，无法核对限购数量",
                "quantity is not a whole number; the per-order cap cannot be checked",
            )
        channels = (
            [_CHANNEL[order.trade_mode]]
            if order.trade_mode in _CHANNEL
            else ["direct", "bonded"]
            if order.trade_mode is None
            else []
        )
        if not channels:
            return self._undecided(
                "trade_mode",
                order.trade_mode or "",
                f"监管方式 {order.trade_mode} 不适用跨境电商零售进口正面清单",
                f"trade mode {order.trade_mode} is not a CBEC retail-import mode (9610/1210)",
            )
        try:
            findings = [
                self.positive_list.check(code, on, channel=c, qty=int(qty)) for c in channels
            ]
        except NotCovered as exc:
            return self._undecided(
                path, code, f"正面清单未覆盖 {on}：{exc}", f"the list does not cover {on}: {exc}"
            )
        verdicts = [self._verdict(f, path) for f in findings]
        first = verdicts[0]
        if any((v.on_list, v.effect) != (first.on_list, first.effect) for v in verdicts[1:]):
            return self._undecided(
                "trade_mode",
                "",
                "结果取决于监管方式（9610 直购或 1210 保税），订单未给出监管方式："
                + "；".join(v.reason.zh for v in verdicts),
                "the answer depends on the trade mode (9610 direct or 1210 bonded), which the "
                "order does not give: " + "; ".join(v.reason.en for v in verdicts),
            )
        if order.trade_mode is None:
            note = "trade_mode not given: checked as both 9610 and 1210, same answer"
            return replace(first, notes=(*first.notes, note))
        return first

    def _verdict(self, finding: Finding, path: str) -> ListVerdict:
        notes = finding.notes
        where = f"{finding.tariff_line}"
        if finding.status == "not_on_list" and self.positive_list.is_sample:
            # Absence from a sample is not evidence: a human checks the full annex.
            return replace(
                self._undecided(
                    path,
                    finding.hs_code,
                    f"税则号列 {where} 不在随附的正面清单样本中；样本不是完整清单，"
                    "请对照正式附件核实（或通过 CBEC_POSITIVE_LIST 加载完整清单）",
                    f"tariff line {where} is not in the shipped SAMPLE of the positive list; "
                    "the sample is not the list — check the official annex (or load it with "
                    "CBEC_POSITIVE_LIST)",
                ),
                notes=notes,
            )
        if finding.status == "not_on_list":
            return ListVerdict(
                False,
                "deny",
                path,
                finding.hs_code,
                Bilingual(
                    f"税则号列 {where} 不在跨境电商零售进口商品清单内",
                    f"tariff line {where} is not on the CBEC retail-import positive list",
                ),
                notes=notes,
            )
        rule = f"{finding.edition} edition; {finding.rule}"
        if finding.status == "allowed":
            return ListVerdict(
                True,
                "allow",
                path,
                finding.hs_code,
                Bilingual(
                    f"税则号列 {where} 在正面清单内（{rule}）",
                    f"tariff line {where} is on the positive list ({rule})",
                ),
                notes=notes,
            )
        if finding.unmet:
            text = "; ".join(c.text for c in finding.unmet)
            return ListVerdict(
                True,
                "deny",
                path,
                finding.hs_code,
                Bilingual(
                    f"税则号列 {where} 在正面清单内，但本订单不满足清单条件：{text}",
                    f"tariff line {where} is on the positive list but this order breaks its "
                    f"condition(s): {text}",
                ),
                notes=notes,
            )
        if not finding.to_confirm:  # every condition decided and met (e.g. bonded via 1210)
            text = "; ".join(c.text for c in finding.conditions)
            return ListVerdict(
                True,
                "allow",
                path,
                finding.hs_code,
                Bilingual(
                    f"税则号列 {where} 在正面清单内，本订单满足清单条件：{text}（{rule}）",
                    f"tariff line {where} is on the positive list and this order meets its "
                    f"condition(s): {text} ({rule})",
                ),
                notes=notes,
            )
        text = "; ".join(c.text for c in finding.to_confirm)
        return ListVerdict(
            True,
            "needs_document",
            path,
            finding.hs_code,
            Bilingual(
                f"税则号列 {where} 在正面清单内，须确认清单条件：{text}",
                f"tariff line {where} is on the positive list with condition(s) to confirm: {text}",
            ),
            documents=(self.confirm_document,),
            notes=notes,
        )

    @staticmethod
    def _undecided(path: str, value: str, zh: str, en: str) -> ListVerdict:
        return ListVerdict(None, "review", path, value, Bilingual(zh, en))
