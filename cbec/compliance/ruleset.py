"""A rule set: rules that were checked together, with the version decisions cite.

Building a :class:`RuleSet` is the only way to evaluate rules, and building refuses a set
with any problem (:mod:`cbec.compliance.conflicts`, unknown list names), so a decision is
never drawn from a contradictory or half-loaded set. The version's digest covers the rules'
canonical content (sorted by id; where a rule was loaded from is not content) and the
fingerprint of every list adapter a rule consults.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cbec.compliance.conflicts import find_conflicts
from cbec.compliance.index import RuleIndex
from cbec.compliance.lists import ListAdapter, PositiveListAdapter
from cbec.compliance.model import Problem, Rule, RuleSetError, RuleSetVersion


def default_lists() -> dict[str, ListAdapter]:
    """The built-in lists: the CBEC positive list (the tax module's SAMPLE)."""
    adapter = PositiveListAdapter()
    return {adapter.name: adapter}


@dataclass(frozen=True)
class RuleSet:
    label: str
    rules: tuple[Rule, ...]
    lists: Mapping[str, ListAdapter]
    version: RuleSetVersion
    _by_id: dict[str, Rule] = field(default_factory=dict, repr=False, compare=False)
    # per-line match results by what they depend on (see evaluate._line_key): a catalogue
    # repeats the same goods across thousands of orders
    _memo: dict[tuple, Any] = field(default_factory=dict, repr=False, compare=False)
    # the rules by what could make them fire (cbec.compliance.index), compiled once at build
    # so an order examines only the rules that could change its decision
    _index: RuleIndex | None = field(default=None, repr=False, compare=False)

    @classmethod
    def build(
        cls,
        rules: Iterable[Rule],
        *,
        label: str,
        lists: Mapping[str, ListAdapter] | None = None,
        problems: Iterable[Problem] = (),
    ) -> RuleSet:
        """Check and freeze ``rules``; ``problems`` found earlier (while parsing) are reported
        together with the conflicts, so one error lists everything wrong with the set."""
        rules = tuple(rules)
        lists = dict(lists) if lists is not None else default_lists()
        found = list(problems) + find_conflicts(rules)
        for rule in rules:
            for i, alt in enumerate(rule.match):
                if alt.list and alt.list not in lists:
                    found.append(
                        Problem(
                            "unknown_list",
                            (rule.id,),
                            (rule.origin,),
                            f"match[{i}].list",
                            f"no list adapter named {alt.list!r} (known: {sorted(lists)})",
                        )
                    )
        if found:
            raise RuleSetError(found)
        ordered = tuple(sorted(rules, key=lambda r: r.id))
        version = RuleSetVersion(label, _digest(ordered, lists))
        out = cls(label, ordered, lists, version)
        out._by_id.update({r.id: r for r in ordered})
        object.__setattr__(out, "_index", RuleIndex(ordered))
        return out

    @property
    def index(self) -> RuleIndex:
        """The compiled index; compiled here for a set made without :meth:`build` (or copied
        with other rules), so it always describes exactly ``self.rules``."""
        index = self._index
        if index is None or index.rules is not self.rules:
            index = RuleIndex(self.rules)
            object.__setattr__(self, "_index", index)
        return index

    def rule(self, rule_id: str) -> Rule:
        return self._by_id[rule_id]

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._by_id

    def __len__(self) -> int:
        return len(self.rules)


def _digest(rules: tuple[Rule, ...], lists: Mapping[str, ListAdapter]) -> str:
    used = sorted({m.list for r in rules for m in r.match if m.list})
    body = {
        "rules": [r.as_dict() for r in rules],
        "lists": {name: lists[name].fingerprint() for name in used},
    }
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
