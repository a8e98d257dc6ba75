"""Contradictions a rule set is refused for, checked when it is loaded.

A rule set is a legal argument: if it says both "allowed" and "forbidden" about the same
thing on the same day, every decision drawn from it is arbitrary. Such sets are refused at
load time, naming every rule involved, rather than resolved silently at evaluation time.

Exactly these are contradictions (and nothing else):

1. ``duplicate_id`` — two rules share an ``id`` (a decision could not say which one fired).
2. ``bad_dates`` — a rule's ``effective_to`` (its last day in force) is before its
   ``effective_from``: it would never be in force, which is always a typing error.
3. ``contradiction`` — an ``allow`` and a ``deny`` rule with
   * the **same scope** (equal sets of directions, origin countries, destination countries
     and trade modes),
   * the **same match** (the same set of alternatives, each compared after normalising:
     order of values ignored, keywords compared NFKC-case-folded), and
   * **overlapping validity** (some day on which both are in force).

Deliberately *not* contradictions, because evaluation gives them one clear meaning:

* an ``allow`` and a ``deny`` whose matches differ — e.g. ``allow hs 8518`` and
  ``deny hs 851830`` (one prefix inside the other) or different keywords — even where their
  scopes overlap: **deny wins** on the lines both match (negative list beats whitelist);
* the same match with different (even overlapping) scopes: deny still wins where both apply;
* the same rule content under two ids with the same kind (redundant, not contradictory);
* ``require``/``flag`` next to ``allow``/``deny`` on the same goods: they add conditions.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations

from cbec.compliance.model import Problem, Rule


def _overlap(a: Rule, b: Rule) -> bool:
    a_end, b_end = a.effective_to, b.effective_to
    return (b_end is None or a.effective_from <= b_end) and (
        a_end is None or b.effective_from <= a_end
    )


def find_conflicts(rules: Iterable[Rule]) -> list[Problem]:
    """Every contradiction in ``rules`` (empty when the set is consistent)."""
    rules = list(rules)
    problems: list[Problem] = []
    by_id: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in by_id:
            first = by_id[rule.id]
            problems.append(
                Problem(
                    "duplicate_id",
                    (first.id, rule.id),
                    (first.origin, rule.origin),
                    "id",
                    f"id {rule.id!r} is used twice",
                )
            )
        else:
            by_id[rule.id] = rule
        if rule.effective_to is not None and rule.effective_to < rule.effective_from:
            problems.append(
                Problem(
                    "bad_dates",
                    (rule.id,),
                    (rule.origin,),
                    "effective_to",
                    f"last day in force {rule.effective_to} is before the first day "
                    f"{rule.effective_from}",
                )
            )
    allows = [r for r in rules if r.kind == "allow"]
    denies = [r for r in rules if r.kind == "deny"]
    keyed: dict[tuple[object, ...], list[Rule]] = {}
    for rule in allows + denies:
        keyed.setdefault((rule.scope, rule.match_key()), []).append(rule)
    for group in keyed.values():
        for a, b in combinations(group, 2):
            if a.kind != b.kind and _overlap(a, b):
                allow, deny = (a, b) if a.kind == "allow" else (b, a)
                problems.append(
                    Problem(
                        "contradiction",
                        (allow.id, deny.id),
                        (allow.origin, deny.origin),
                        "kind",
                        "allow and deny with the same scope and the same match, both in force "
                        f"from {max(a.effective_from, b.effective_from)}",
                    )
                )
    return problems
