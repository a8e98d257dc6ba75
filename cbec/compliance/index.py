"""A rule set compiled for look-up: which rules could matter for one order.

The full scan (every rule, every line, for every order) made :func:`evaluate` the largest
cost of a bulk import, although a given line concerns a handful of rules: those about its
HS chapter, its name, its declared attributes. :class:`RuleIndex` is built once per
:class:`~cbec.compliance.ruleset.RuleSet` and answers, for one order, the rules that could
change its decision; the evaluator examines those, in rule-set order, and nothing else.

It only prunes what it can prove cannot matter. A rule not examined must contribute nothing
the full scan would have recorded — no fired entry, no undecided entry, no note, no
assumption. That holds for a ``deny``/``require``/``flag`` rule when every alternative of it
is certainly False *without notes* for the order and each line. An alternative is pruned
only through a **guard** whose failure makes :func:`~cbec.compliance.match.match_alternative`
return a bare ``False`` before it reads anything else:

* ``hs`` — no prefix is a prefix of the line's code and no prefix extends it (a code too
  short for a prefix is *undecided*, so it is a candidate; so is a line without a code);
* ``keywords`` (without ``regex``) — no folded keyword occurs in any folded text of the line
  (a substring test: necessary for the Chinese rule "anywhere" and for the English "at a
  word start");
* ``attributes`` / ``attributes_all`` — the line declares none of them / not the first;
* ``line_origin`` — the line names another country of origin (no origin: undecided, a
  candidate), used only when the alternative has no value limit (a limit in another
  currency leaves a note even when the alternative fails);
* ``parties`` (order-level) — the order names another tenant in the first role, used only
  without an order value limit (same reason).

Everything else is always examined: ``allow`` rules (every allow rule in force and in scope
shapes the whitelist entries), alternatives with only regexes, thresholds, lists, party
countries or no condition at all. Whether a rule is in force and in scope is not guessed
either: the same :meth:`~cbec.compliance.model.Rule.in_force` and
:func:`~cbec.compliance.match.in_scope` answer it, remembered per *date epoch* (dates
between two consecutive ``effective_from`` / day-after-``effective_to`` boundaries give the
same rules in force) and per scope facts (direction, countries, trade mode: all that
``in_scope`` reads).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from cbec.compliance.facts import LineFacts, OrderFacts
from cbec.compliance.match import _fold, in_scope
from cbec.compliance.model import Match, Rule

_NONE: frozenset[int] = frozenset()
_CACHE_LIMIT = 50_000  # entries per cache; cleared past it (the answers are rebuilt on demand)


def _line_guard(alt: Match) -> tuple[str, Any] | None:
    """The condition whose failure makes ``alt`` a bare False for a line, or None (always
    examined). Guards earlier in :func:`match_alternative`'s order are preferred: they are
    the ones that exit before any other condition (and any note) is read."""
    if alt.hs_prefixes:
        return "hs", alt.hs_prefixes
    if alt.has_text and not alt.regexes:
        folded = frozenset(_fold(k) for k in alt.keywords_zh | alt.keywords_en)
        if all(folded):  # an empty keyword would occur in every text
            return "text", folded
    if alt.attributes:
        return "attr", alt.attributes
    if alt.attributes_all:
        return "attr", frozenset([min(alt.attributes_all)])
    if alt.line_origin_countries and alt.line_value_above is None and alt.order_value_above is None:
        return "origin", alt.line_origin_countries
    return None


def _order_guard(alt: Match) -> tuple[str, frozenset[str]] | None:
    """For an order-level alternative: the first role's tenant list when nothing in the
    alternative can leave a note on failure; else None (always examined)."""
    if alt.parties and alt.order_value_above is None:
        return min(alt.parties, key=lambda p: p[0])
    return None


class RuleIndex:
    """Rule positions (indexes into ``RuleSet.rules``) by what could make them fire.

    ``candidates(facts, on)`` returns ``[(position, assumed), ...]`` in rule-set order: every
    rule in force on ``on`` and in scope for the order that is either always examined or
    reached through a guard by the order or one of its lines."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        self.always: list[int] = []
        self.by_prefix: dict[str, set[int]] = {}  # prefix -> rules
        self.by_stem: dict[str, set[int]] = {}  # proper prefix of a rule prefix -> rules
        self.hs_rules: set[int] = set()  # a line without a code is undecided for these
        self.by_first: dict[str, list[tuple[str, int]]] = {}  # keyword's 1st char -> (kw, rule)
        self.by_attr: dict[str, set[int]] = {}
        self.by_origin: dict[str, set[int]] = {}
        self.origin_rules: set[int] = set()  # a line without an origin is undecided for these
        self.by_party: dict[tuple[str, str], set[int]] = {}
        bounds: set[date] = set()
        for pos, rule in enumerate(self.rules):
            bounds.add(rule.effective_from)
            if rule.effective_to is not None and rule.effective_to < date.max:
                bounds.add(rule.effective_to + timedelta(days=1))
            if not self._register(pos, rule):
                self.always.append(pos)
        self.bounds = sorted(bounds)
        self._active: dict[tuple, tuple[dict[int, tuple[str, ...]], list[int]]] = {}
        self._lines: dict[tuple, frozenset[int]] = {}

    # ------------------------------------------------------------------ build

    def _register(self, pos: int, rule: Rule) -> bool:
        """File every alternative of ``rule`` under its guard; False when one has none (the
        rule is then always examined)."""
        if rule.kind == "allow" or not rule.match:
            return False
        guards: list[tuple[str, Any]] = []
        for alt in rule.match:
            if alt.is_line_level:
                guard = _line_guard(alt)
            else:
                party = _order_guard(alt)
                guard = ("party", party) if party is not None else None
            if guard is None:
                return False
            guards.append(guard)
        for kind, value in guards:
            if kind == "hs":
                self.hs_rules.add(pos)
                for p in value:
                    self.by_prefix.setdefault(p, set()).add(pos)
                    for k in range(1, len(p)):
                        self.by_stem.setdefault(p[:k], set()).add(pos)
            elif kind == "text":
                for kw in value:
                    self.by_first.setdefault(kw[0], []).append((kw, pos))
            elif kind == "attr":
                for a in value:
                    self.by_attr.setdefault(a, set()).add(pos)
            elif kind == "origin":
                self.origin_rules.add(pos)
                for c in value:
                    self.by_origin.setdefault(c, set()).add(pos)
            else:
                role, names = value
                for name in names:
                    self.by_party.setdefault((role, name), set()).add(pos)
        return True

    # ------------------------------------------------------------------ look-up

    def active(self, facts: OrderFacts, on: date) -> tuple[dict[int, tuple[str, ...]], list[int]]:
        """Rules in force and in scope (position → assumptions) and the always-examined ones
        among them, remembered per date epoch and scope facts."""
        key = (
            bisect_right(self.bounds, on),
            facts.direction,
            facts.origin_country,
            facts.destination_country,
            facts.trade_mode,
        )
        found = self._active.get(key)
        if found is None:
            taking: dict[int, tuple[str, ...]] = {}
            for pos, rule in enumerate(self.rules):
                if not rule.in_force(on):
                    continue
                ok, assumed = in_scope(rule.scope, facts)
                if ok:
                    taking[pos] = assumed
            always = [pos for pos in self.always if pos in taking]
            if len(self._active) > _CACHE_LIMIT:
                self._active.clear()
            found = self._active[key] = (taking, always)
        return found

    def line_hits(self, line: LineFacts) -> frozenset[int]:
        """Guarded rules whose guard ``line`` passes (a superset of those that could fire)."""
        key = (
            line.hs_code.value if line.hs_code else None,
            tuple(f.value for f in line.texts),
            tuple(sorted(line.attributes)),
            line.origin_country.value if line.origin_country else None,
        )
        found = self._lines.get(key)
        if found is None:
            found = frozenset(self._line_hits(*key))
            if len(self._lines) > _CACHE_LIMIT:
                self._lines.clear()
            self._lines[key] = found
        return found

    def _line_hits(
        self, code: str | None, texts: tuple[str, ...], attrs: Iterable[str], origin: str | None
    ) -> set[int]:
        hits: set[int] = set()
        if code is None:
            hits |= self.hs_rules
        else:
            for k in range(1, len(code) + 1):
                hits |= self.by_prefix.get(code[:k], _NONE)
            hits |= self.by_stem.get(code, _NONE)
        if self.by_first:
            for text in texts:
                folded = _fold(text)
                for ch in set(folded):
                    for kw, pos in self.by_first.get(ch, ()):
                        if pos not in hits and kw in folded:
                            hits.add(pos)
        for a in attrs:
            hits |= self.by_attr.get(a, _NONE)
        if origin is None:
            hits |= self.origin_rules
        else:
            hits |= self.by_origin.get(origin, _NONE)
        return hits

    def candidates(self, facts: OrderFacts, on: date) -> list[tuple[int, tuple[str, ...]]]:
        taking, always = self.active(facts, on)
        if not taking:
            return []
        hits: set[int] = set(always)
        for line in facts.lines:
            hits |= self.line_hits(line)
        for role, fact in facts.parties.items():
            hits |= self.by_party.get((role, fact.value), _NONE)
        return [(pos, taking[pos]) for pos in sorted(hits) if pos in taking]
