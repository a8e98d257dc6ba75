"""Evaluate one order against a rule set: the negative list + whitelist semantics.

Semantics, exactly as implemented (the README repeats them with examples):

1. **In force and in scope.** A rule takes part only when ``on`` lies between its
   ``effective_from`` and ``effective_to`` (both inclusive; ``on`` defaults to the order's
   UTC date) and the order is in its scope (:func:`cbec.compliance.match.in_scope`; a value
   the order omits, such as the trade mode, is assumed in scope and the assumption recorded).
2. **Negative list.** A matching ``deny`` denies the line (or, for an order-level match,
   every line) — also when an ``allow`` rule matches the same line: deny beats whitelist.
3. **Whitelist.** When at least one ``allow`` rule takes part for the order, every line must
   be matched by at least one of those allow rules; a line matched by none is denied (a
   ``whitelist`` entry naming the allow rules it failed). If no allow rule matched but one
   could not decide (e.g. a code too short for the list), the line goes to ``review``.
   An allow rule consulting a list can itself deny or ask for a document when the line is on
   the list but breaks or must confirm the list's conditions (:mod:`cbec.compliance.lists`).
4. **Documents.** A matching ``require`` gives ``needs_document`` unless the order carries a
   document (``order["documents"]``: ``{type, number}``, optionally ``lines``) of one of the
   required types covering the line; a satisfied requirement stays in ``fired`` with
   ``satisfied_by`` and effect ``allow``.
5. **Review.** A matching ``flag`` gives ``review``; so does any ``deny``, ``require`` or
   ``flag`` whose conditions could not be decided (never silently passed).
6. **Outcome.** Each line's outcome is the worst effect that applies to it and the order's is
   the worst line's, with precedence deny > needs_document > review > allow_sandbox > allow.
7. **Sandbox.** With an :class:`~cbec.compliance.sandbox.Enrolment`, relaxable denies may
   become ``allow_sandbox`` within limits (:mod:`cbec.compliance.sandbox`).

Every entry in ``fired`` names its rule, kind, effect, reason (zh/en), the field it read and
the value it saw. Pure: no clock (``on`` or the order date), no I/O.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from typing import Any

from cbec.compliance.decision import (
    WHITELIST,
    Decision,
    Fired,
    LineDecision,
    SandboxResult,
    SandboxUsage,
    line_outcome,
    worst,
)
from cbec.compliance.facts import Document, LineFacts, OrderFacts, OrderFactsError, order_facts
from cbec.compliance.match import (
    NO,
    AltResult,
    Cond,
    best,
    in_scope,
    line_alternatives,
    match_alternative,
    order_alternatives,
    scope_field,
)
from cbec.compliance.model import Bilingual, Rule
from cbec.compliance.ruleset import RuleSet
from cbec.compliance.sandbox import Enrolment, apply_sandbox


def _find_document(
    documents: tuple[Document, ...], types: tuple[str, ...], line_no: int | None
) -> Document | None:
    for doc in documents:
        if doc.type in types and (doc.lines is None if line_no is None else doc.covers(line_no)):
            return doc
    return None


def _conds_text(res: AltResult) -> tuple[str, str]:
    if not res.conds:
        return "适用于范围内的所有订单", "applies to every order in scope"
    return "；".join(c.zh for c in res.conds), "; ".join(c.en for c in res.conds)


def _primary(res: AltResult, rule: Rule, facts: OrderFacts) -> tuple[str, str]:
    if res.conds:
        return res.conds[0].field, res.conds[0].value
    return scope_field(rule.scope, facts)


_EFFECT = {"deny": "deny", "flag": "review", "allow": "allow", "require": "needs_document"}


def _entry(
    rule: Rule,
    res: AltResult,
    line: LineFacts | None,
    facts: OrderFacts,
    assumed: tuple[str, ...],
) -> Fired:
    """The fired entry of a rule whose match is True for ``line`` (None: the whole order)."""
    zh, en = _conds_text(res)
    field, value = _primary(res, rule, facts)
    effect = _EFFECT[rule.kind]
    docs: tuple[str, ...] = ()
    satisfied = None
    if rule.kind == "allow" and res.verdict is not None:
        effect = res.verdict.effect
        docs = res.verdict.documents
        field, value = res.verdict.field, res.verdict.value
    if rule.kind == "require" and rule.requires is not None:
        docs = rule.requires.documents
    if effect == "needs_document":
        found = _find_document(facts.documents, docs, line.line_no if line else None)
        if found is not None:
            effect, satisfied = "allow", found.as_dict()
            zh += f"——已提供单证 {found.type} {found.number}"
            en += f" — satisfied by document {found.type} {found.number}"
        else:
            names = rule.requires.name if rule.requires and rule.requires.name else None
            wanted = " / ".join(docs)
            zh += f"——须提供：{names.zh if names else wanted}（{wanted}）"
            en += f" — needs one of: {names.en if names else wanted} ({wanted})"
    return Fired(
        rule_id=rule.id,
        kind=rule.kind,
        effect=effect,
        title=rule.title,
        reason=Bilingual(f"{rule.title.zh}：{zh}", f"{rule.title.en}: {en}"),
        field=field,
        value=value,
        line=line.index if line else None,
        source=rule.source,
        matched=res.conds,
        documents_required=docs,
        satisfied_by=satisfied,
        assumed=assumed,
        notes=res.all_notes,
    )


def _undecided(
    rule: Rule,
    res: AltResult,
    line: LineFacts | None,
    facts: OrderFacts,
    assumed: tuple[str, ...],
) -> Fired:
    zh, en = _conds_text(res)
    field, value = _primary(res, rule, facts)
    return Fired(
        rule_id=rule.id,
        kind=rule.kind,
        effect="review",
        title=rule.title,
        reason=Bilingual(
            f"{rule.title.zh}：无法判断是否适用（{zh}），转人工复核",
            f"{rule.title.en}: could not decide whether it applies ({en}); sent to review",
        ),
        field=field,
        value=value,
        line=line.index if line else None,
        source=rule.source,
        matched=res.conds,
        undecided=True,
        assumed=assumed,
        notes=res.all_notes,
    )


def _whitelist_entry(
    line: LineFacts,
    allows: list[Rule],
    undecided: list[Cond],
    misses: list[AltResult],
    assumed: tuple[str, ...],
) -> Fired:
    ids = tuple(r.id for r in allows)
    titles_zh = "、".join(r.title.zh for r in allows)
    titles_en = "; ".join(r.title.en for r in allows)
    field = line.hs_code.path if line.hs_code else f"{line.prefix}.hs_code"
    value = line.hs_code.value if line.hs_code else ""
    said = [m.verdict for m in misses if m.verdict is not None]
    why = tuple(Cond(False, v.field, v.value, v.reason.zh, v.reason.en) for v in said)
    notes = tuple(dict.fromkeys(n for m in misses for n in m.all_notes))
    if undecided:
        why_zh = "；".join(c.zh for c in undecided)
        why_en = "; ".join(c.en for c in undecided)
        return Fired(
            rule_id=WHITELIST,
            kind="allow",
            effect="review",
            title=Bilingual("白名单", "whitelist"),
            reason=Bilingual(
                f"无法判断本行是否在白名单（{titles_zh}）内：{why_zh}",
                f"could not decide whether this line is on the whitelist ({titles_en}): {why_en}",
            ),
            field=field,
            value=value,
            line=line.index,
            matched=tuple(undecided) + why,
            undecided=True,
            rules=ids,
            assumed=assumed,
            notes=notes,
        )
    detail_zh = "".join(f"；{c.zh}" for c in why)
    detail_en = "".join(f"; {c.en}" for c in why)
    return Fired(
        rule_id=WHITELIST,
        kind="allow",
        effect="deny",
        title=Bilingual("白名单", "whitelist"),
        reason=Bilingual(
            f"本行不在适用的白名单内（{titles_zh}），白名单之外的商品不得通过{detail_zh}",
            f"this line is on none of the whitelists that apply ({titles_en}); "
            f"only whitelisted goods pass{detail_en}",
        ),
        field=why[0].field if why else field,
        value=why[0].value if why else value,
        line=line.index,
        matched=why,
        rules=ids,
        assumed=assumed,
        notes=notes,
    )


def _date_of(on: date | datetime) -> date:
    if isinstance(on, datetime):
        if on.tzinfo is None:
            raise ValueError("on: a datetime must carry a time zone (or pass a date)")
        return on.astimezone(UTC).date()
    return on


def _reads(rule: Rule) -> tuple[bool, bool, tuple[str, ...], bool, bool, bool]:
    """Which facts beyond the goods themselves a rule's line alternatives read: line value,
    line quantity, the lists they consult (by name), order totals, parties, party
    countries."""
    alts = line_alternatives(rule)
    return (
        any(a.line_value_above is not None for a in alts),
        any(a.line_qty_above is not None for a in alts),
        tuple(sorted({a.list for a in alts if a.list is not None})),
        any(a.order_value_above is not None or a.order_qty_above is not None for a in alts),
        any(a.parties for a in alts),
        any(a.party_countries for a in alts),
    )


def _period(lists: Mapping[str, Any], name: str, on: date) -> object:
    """The list's key for ``on`` (its ``period``: days it answers alike), else the day."""
    period = getattr(lists.get(name), "period", None)
    return on if period is None else period(on)


def _fact(f: Any) -> tuple | None:
    return (f.path, f.value) if f is not None else None


def _alternatives(ruleset: RuleSet, rule: Rule) -> tuple[list[Any], list[Any]]:
    """The rule's order-level and line-level alternatives, split once per rule set."""
    key = ("alts", rule.id)
    found = ruleset._memo.get(key)
    if found is None:
        found = ruleset._memo[key] = (order_alternatives(rule), line_alternatives(rule))
    return found


_BASE_IDS = itertools.count()


def _line_base(ruleset: RuleSet, line: LineFacts) -> int:
    """What every line alternative reads about the goods of ``line`` (paths included, so a
    remembered answer names the right fields), as a number standing for it in the rule set's
    memo: the tuple is hashed once a line, not once for each rule a line is matched against
    (hashing it was a sixteenth of an evaluation). Numbers are never reused, so a memo cleared
    meanwhile cannot give an old one to other goods."""
    base = (
        line.index,
        _fact(line.hs_code),
        tuple(_fact(f) for f in line.texts),
        tuple(sorted((n, f.path) for n, f in line.attributes.items())),
        _fact(line.origin_country),
    )
    key = ("base", base)
    found = ruleset._memo.get(key)
    if found is None:
        found = ruleset._memo[key] = next(_BASE_IDS)
    return found


def _line_key(
    rule: Rule,
    reads: tuple,
    base: int,
    facts: OrderFacts,
    line: LineFacts,
    on: date,
    lists: Mapping[str, Any],
) -> tuple:
    """``base`` plus whatever else ``rule``'s line alternatives read: equal keys give equal
    answers. A list is asked about a day, and answers alike all through one of its periods
    (:func:`_period`): the key holds the period, so a line's answer serves every day of it."""
    value, qty, listed, totals, parties, countries = reads
    key: list[Any] = [rule.id, base]
    if value:
        key += [line.value.value, facts.currency]
    if qty or listed:
        key.append(line.qty.value)
    if listed:
        key += [facts.trade_mode, *[_period(lists, name, on) for name in listed]]
    if totals:
        key += [_fact(facts.goods_value), facts.total_qty, facts.currency]
    if parties:
        key.append(tuple(sorted((r, _fact(f)) for r, f in facts.parties.items())))
    if countries:
        key.append(tuple(sorted((r, _fact(f)) for r, f in facts.party_countries.items())))
    return tuple(key)


def _line_result(
    ruleset: RuleSet,
    rule: Rule,
    alts: list[Any],
    facts: OrderFacts,
    line: LineFacts,
    base: int,
    on: date,
) -> tuple[tuple, AltResult]:
    """``best`` of the rule's line alternatives for ``line``, remembered per rule set, with
    the key it is remembered under."""
    memo = ruleset._memo
    reads = memo.get(("reads", rule.id))
    if reads is None:
        reads = memo[("reads", rule.id)] = _reads(rule)
    key = _line_key(rule, reads, base, facts, line, on, ruleset.lists)
    found = memo.get(key)
    if found is None:
        found = best([match_alternative(a, facts, line, on, ruleset.lists) for a in alts])
        if len(memo) > _MEMO_MOST:
            memo.clear()  # also drops the per-rule entries; they are rebuilt on demand
        memo[key] = found
    return key, found


_MEMO_MOST = 200_000


def _line_entry(
    ruleset: RuleSet,
    rule: Rule,
    key: tuple,
    res: AltResult,
    line: LineFacts,
    facts: OrderFacts,
    assumed: tuple[str, ...],
) -> Fired:
    """:func:`_entry` for a line whose match ``res`` was remembered under ``key``, itself
    remembered when nothing else of the order goes into it: the match named the fields it
    read (else the scope's field is quoted) and no document is asked for (else the order's
    documents are searched). Equal keys then give equal entries, and an entry is never
    changed once made (the sandbox replaces the ones it relaxes), so one serves every order
    with the same goods — building it was an eighth of an evaluation."""
    if (
        not res.conds
        or rule.kind == "require"
        or (res.verdict is not None and res.verdict.effect == "needs_document")
    ):
        return _entry(rule, res, line, facts, assumed)
    memo = ruleset._memo
    entry_key = ("entry", key, assumed)
    found = memo.get(entry_key)
    if found is None:
        found = _entry(rule, res, line, facts, assumed)
        if len(memo) > _MEMO_MOST:
            memo.clear()
        memo[entry_key] = found
    return found


def _in_force_and_scope(
    rules: tuple[Rule, ...], facts: OrderFacts, on: date
) -> Iterator[tuple[Rule, tuple[str, ...]]]:
    """Every rule taking part for the order, with the assumptions its scope needed: the
    full scan."""
    for rule in rules:
        if not rule.in_force(on):
            continue
        ok, assumed = in_scope(rule.scope, facts)
        if ok:
            yield rule, assumed


def evaluate(
    order: Mapping[str, Any] | Any,
    ruleset: RuleSet,
    on: date | None = None,
    sandbox: Enrolment | None = None,
    *,
    usage: SandboxUsage | None = None,
    products: Mapping[str, Mapping[str, Any]] | None = None,
    _index: bool = True,
    _examined: list[str] | None = None,
) -> Decision:
    """The compliance decision for ``order`` under ``ruleset`` on ``on`` (default: the
    order's date). ``sandbox`` and ``usage`` apply an enrolment; ``products`` (sku → product
    dict) adds catalogue names, codes and attributes. Raises
    :class:`~cbec.compliance.facts.OrderFactsError` for an order it cannot read.

    The rules examined are those the rule set's index (:mod:`cbec.compliance.index`) says
    could change the decision; ``_index=False`` scans every rule instead — the reference the
    index is tested against, giving the same decision. ``_examined``, when given, receives
    the id of every rule matched against the order (in force and in scope), in order."""
    return _evaluate(order, ruleset, on, sandbox, usage, products, _index, _examined)


def _evaluate(
    order: Mapping[str, Any] | Any,
    ruleset: RuleSet,
    on: date | None,
    sandbox: Enrolment | None,
    usage: SandboxUsage | None,
    products: Mapping[str, Mapping[str, Any]] | None,
    index: bool,
    examined: list[str] | None,
) -> Decision:
    facts = order_facts(order, products)
    if on is None:
        if facts.ordered_on is None:
            raise OrderFactsError("ordered_at", "required when no evaluation date is given")
        on = facts.ordered_on
    on = _date_of(on)
    bases = {line.index: _line_base(ruleset, line) for line in facts.lines}
    entries: list[Fired] = []
    notes: list[str] = []
    allows: list[Rule] = []
    allow_assumed: list[str] = []
    passed: dict[int, bool] = {}
    undecided_allow: dict[int, list[Cond]] = {}
    missed_allow: dict[int, list[AltResult]] = {}
    lists = ruleset.lists
    rules = ruleset.rules
    for rule, assumed in (
        ((rules[pos], assumed) for pos, assumed in ruleset.index.candidates(facts, on))
        if index
        else _in_force_and_scope(rules, facts, on)
    ):
        if examined is not None:
            examined.append(rule.id)
        order_alts, line_alts = _alternatives(ruleset, rule)
        order_res = (
            best([match_alternative(a, facts, None, on, lists) for a in order_alts])
            if order_alts
            else NO
        )
        notes += order_res.notes
        if rule.kind == "allow":
            allows.append(rule)
            allow_assumed += [a for a in assumed if a not in allow_assumed]
        if order_res.result is True:
            entries.append(_entry(rule, order_res, None, facts, assumed))
            if rule.kind == "allow":
                passed.update({ln.index: True for ln in facts.lines})
            continue
        for line in facts.lines:
            if line_alts:
                key, res = _line_result(
                    ruleset, rule, line_alts, facts, line, bases[line.index], on
                )
            else:
                key, res = (), NO
            notes += res.notes
            if res.result is True:
                entries.append(
                    _line_entry(ruleset, rule, key, res, line, facts, assumed)
                    if key
                    else _entry(rule, res, line, facts, assumed)
                )
                if rule.kind == "allow":
                    passed[line.index] = True
            elif res.result is None:
                if rule.kind == "allow":
                    undecided_allow.setdefault(line.index, []).extend(res.conds)
                else:
                    entries.append(_undecided(rule, res, line, facts, assumed))
            elif rule.kind == "allow":
                missed_allow.setdefault(line.index, []).append(res)
        if order_res.result is None:
            if rule.kind == "allow":
                for line in facts.lines:
                    undecided_allow.setdefault(line.index, []).extend(order_res.conds)
            else:
                entries.append(_undecided(rule, order_res, None, facts, assumed))
    if allows:
        for line in facts.lines:
            if not passed.get(line.index):
                entries.append(
                    _whitelist_entry(
                        line,
                        allows,
                        undecided_allow.get(line.index, []),
                        missed_allow.get(line.index, []),
                        tuple(allow_assumed),
                    )
                )
    sandbox_result: SandboxResult | None = None
    if sandbox is not None:
        entries, sandbox_result = apply_sandbox(sandbox, facts, on, entries, usage)
    # Stable order: by line (order-level first), then as the rules were visited (by id).
    indexed = sorted(
        enumerate(entries), key=lambda p: (-1 if p[1].line is None else p[1].line, p[0])
    )
    fired = tuple(e for _, e in indexed)
    lines = []
    for line in facts.lines:
        mine = [i for i, e in enumerate(fired) if e.line is None or e.line == line.index]
        lines.append(
            LineDecision(
                line.index,
                line.line_no,
                line.sku,
                line_outcome([fired[i] for i in mine]),
                tuple(mine),
            )
        )
    return Decision(
        outcome=worst([ln.outcome for ln in lines]),
        ruleset_version=ruleset.version,
        evaluated_on=on,
        order=dict(facts.ref),
        facts=facts.as_dict(),
        lines=tuple(lines),
        fired=fired,
        sandbox=sandbox_result,
        notes=tuple(dict.fromkeys(notes)),
    )
