"""Rules from YAML files and from plain dicts (the shape the owner stores as JSON rows).

One rule, as YAML (every key but ``scope``, ``effective_to``, ``note`` and ``requires``
required; unknown keys are errors, so a typo like ``efective_to`` cannot silently widen a
rule)::

    - id: dg.lithium-ion.test-summary
      title: {zh: 锂电池须有 UN38.3 测试概要, en: Lithium batteries need a UN38.3 test summary}
      kind: require                       # deny | allow | require | flag
      scope:                              # empty or missing = any
        direction: [import, export]
        origin_countries: [CN]
        destination_countries: []
        trade_modes: [9610, 9710, 9810]
      match:                              # one alternative, or a list of alternatives
        - hs: ["850760", "850650"]        # 2/4/6/8/10-digit prefixes, QUOTED strings
        - keywords: {zh: [锂电池], en: [lithium battery]}
          regex: ['(?i)\\bli-?ion\\b']
        - attributes: [lithium_ion, lithium_metal]
      requires: {documents: [un38_3_test_summary], name: {zh: ..., en: ...}}
      effective_from: 2020-01-01
      effective_to:                       # LAST day in force; empty = in force
      source: IATA DGR ...
      note: ...

Other match keys: ``attributes_all``, ``line_origin`` (countries), ``line_value_above`` /
``order_value_above`` (``{amount: "1000.00", currency: CNY}``), ``line_qty_above`` /
``order_qty_above``, ``parties`` (``{seller: [tenant, ...]}``), ``party_countries``
(``{seller: [KP]}``) and ``list`` (allow rules only: a named list adapter).

Money and HS prefixes must be strings: YAML reads ``0402`` as the octal number 258 and
``5000.10`` as a float, and neither may reach a rule. Duplicate keys in a YAML mapping are
errors too. Every problem names the file, the rule id and the field; all problems of a set
are reported together (:class:`~cbec.compliance.model.RuleSetError`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from cbec.compliance.lists import ListAdapter
from cbec.compliance.model import (
    ATTRIBUTES,
    DIRECTIONS,
    HS_PREFIX_LENGTHS,
    KINDS,
    PARTY_COUNTRY_ROLES,
    PARTY_ROLES,
    TRADE_MODES,
    Amount,
    Bilingual,
    Match,
    Problem,
    Requirement,
    Rule,
    RuleError,
    RuleSetError,
    Scope,
    valid_country,
)
from cbec.compliance.patterns import PatternRefused, compile_pattern
from cbec.compliance.ruleset import RuleSet

RULES_DIR = Path(__file__).with_name("rules")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,99}")
_DOC_TYPE = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")
RULE_KEYS = {
    "id",
    "title",
    "kind",
    "scope",
    "match",
    "effective_from",
    "effective_to",
    "source",
    "note",
    "requires",
}
SCOPE_KEYS = {"direction", "origin_countries", "destination_countries", "trade_modes"}
MATCH_KEYS = {
    "hs",
    "keywords",
    "regex",
    "attributes",
    "attributes_all",
    "line_origin",
    "line_value_above",
    "line_qty_above",
    "order_value_above",
    "order_qty_above",
    "parties",
    "party_countries",
    "list",
}
FILE_KEYS = {"label", "notice", "description", "rules"}


class _Fail(Exception):
    def __init__(self, field_: str, message: str, code: str = "rule_invalid") -> None:
        self.field, self.message, self.code = field_, message, code


# --------------------------------------------------------------------------- values


def _strings(value: Any, path: str, *, allow_int: bool = False) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    out = []
    for i, item in enumerate(items):
        where = f"{path}[{i}]" if isinstance(value, list) else path
        if allow_int and isinstance(item, int) and not isinstance(item, bool):
            item = str(item)
        if not isinstance(item, str) or not item.strip():
            raise _Fail(where, f"{item!r}: expected a non-empty string")
        out.append(item.strip())
    return out


def _countries(value: Any, path: str) -> frozenset[str]:
    codes = _strings(value, path)
    for i, code in enumerate(codes):
        if not valid_country(code):
            raise _Fail(f"{path}[{i}]", f"{code!r} is not an ISO 3166-1 alpha-2 country code")
    return frozenset(codes)


def _bilingual(value: Any, path: str) -> Bilingual:
    if not isinstance(value, Mapping) or set(value) - {"zh", "en"}:
        raise _Fail(path, "expected {zh: ..., en: ...}")
    for lang in ("zh", "en"):
        if not isinstance(value.get(lang), str) or not value[lang].strip():
            raise _Fail(f"{path}.{lang}", "must be a non-empty string")
    return Bilingual(value["zh"].strip(), value["en"].strip())


def _date(value: Any, path: str, *, optional: bool = False) -> date | None:
    if value is None or value == "":
        if optional:
            return None
        raise _Fail(path, "is required (ISO date)")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _Fail(path, f"{value!r} is not an ISO date")


def _decimal(value: Any, path: str) -> Decimal:
    if isinstance(value, bool | float):
        raise _Fail(path, f"{value!r}: write amounts and quantities as strings or integers")
    try:
        out = Decimal(str(value))
    except InvalidOperation:
        raise _Fail(path, f"{value!r} is not a number") from None
    if not out.is_finite() or out < 0:
        raise _Fail(path, f"{value!r} must be a finite, non-negative number")
    return out


def _amount(value: Any, path: str) -> Amount:
    if not isinstance(value, Mapping) or set(value) != {"amount", "currency"}:
        raise _Fail(path, "expected {amount: '123.45', currency: CNY}")
    number = _decimal(value["amount"], f"{path}.amount")
    currency = value["currency"]
    if not isinstance(currency, str) or not re.fullmatch(r"[A-Z]{3}", currency):
        raise _Fail(f"{path}.currency", f"{currency!r} is not an ISO 4217 code")
    return Amount(number, currency)


def _roles(value: Any, path: str, roles: Sequence[str], countries: bool) -> tuple:
    if not isinstance(value, Mapping) or not value:
        raise _Fail(path, "expected {role: [..]}")
    out = []
    for role, names in value.items():
        if role not in roles:
            raise _Fail(f"{path}.{role}", f"unknown role; expected one of {list(roles)}")
        where = f"{path}.{role}"
        vals = _countries(names, where) if countries else frozenset(_strings(names, where))
        if not vals:
            raise _Fail(where, "must list at least one value")
        out.append((role, vals))
    return tuple(sorted(out))


# --------------------------------------------------------------------------- parts


def _scope(value: Any, path: str = "scope") -> Scope:
    if value is None:
        return Scope()
    if not isinstance(value, Mapping):
        raise _Fail(path, "expected a mapping")
    unknown = set(value) - SCOPE_KEYS
    if unknown:
        raise _Fail(f"{path}.{sorted(unknown)[0]}", f"unknown key; expected {sorted(SCOPE_KEYS)}")
    directions = _strings(value.get("direction"), f"{path}.direction")
    for i, d in enumerate(directions):
        if d not in DIRECTIONS:
            raise _Fail(f"{path}.direction[{i}]", f"{d!r}: expected import or export")
    modes = _strings(value.get("trade_modes"), f"{path}.trade_modes", allow_int=True)
    for i, m in enumerate(modes):
        if m not in TRADE_MODES:
            raise _Fail(f"{path}.trade_modes[{i}]", f"{m!r}: expected one of {TRADE_MODES}")
    return Scope(
        frozenset(directions),
        _countries(value.get("origin_countries"), f"{path}.origin_countries"),
        _countries(value.get("destination_countries"), f"{path}.destination_countries"),
        frozenset(modes),
    )


def scope_from_dict(value: Any, origin: str = "<scope>") -> Scope:
    """A scope from its dict form (as in a rule); :class:`RuleError` names the field."""
    try:
        return _scope(value)
    except _Fail as fail:
        raise RuleError(origin, None, fail.field, fail.message) from None


def _hs_prefixes(value: Any, path: str) -> frozenset[str]:
    items = value if isinstance(value, list) else [value]
    out = []
    for i, item in enumerate(items):
        where = f"{path}[{i}]" if isinstance(value, list) else path
        if not isinstance(item, str):
            raise _Fail(where, f"{item!r}: write HS prefixes as quoted strings ('0402')")
        digits = item.replace(".", "").replace(" ", "")
        if not digits.isdigit() or not digits.isascii() or len(digits) not in HS_PREFIX_LENGTHS:
            raise _Fail(where, f"{item!r} is not a 2, 4, 6, 8 or 10-digit HS prefix")
        out.append(digits)
    return frozenset(out)


def _match(value: Any, path: str, kind: str) -> Match:
    if not isinstance(value, Mapping):
        raise _Fail(path, "expected a mapping of conditions")
    unknown = set(value) - MATCH_KEYS
    if unknown:
        raise _Fail(f"{path}.{sorted(unknown)[0]}", f"unknown key; expected {sorted(MATCH_KEYS)}")
    kw = value.get("keywords")
    if kw is not None and (not isinstance(kw, Mapping) or set(kw) - {"zh", "en"} or not kw):
        raise _Fail(f"{path}.keywords", "expected {zh: [..], en: [..]}")
    kw = kw or {}
    regexes = _strings(value.get("regex"), f"{path}.regex")
    for i, pattern in enumerate(regexes):
        try:
            compile_pattern(pattern)
        except PatternRefused as exc:
            raise _Fail(f"{path}.regex[{i}]", str(exc), "rule_pattern_refused") from None
        except re.error as exc:
            raise _Fail(f"{path}.regex[{i}]", f"not a valid regular expression: {exc}") from None
    attrs = {}
    for key in ("attributes", "attributes_all"):
        names = _strings(value.get(key), f"{path}.{key}")
        for i, name in enumerate(names):
            if name not in ATTRIBUTES:
                raise _Fail(f"{path}.{key}[{i}]", f"{name!r}: expected one of {sorted(ATTRIBUTES)}")
        attrs[key] = frozenset(names)
    list_name = value.get("list")
    if list_name is not None:
        if not isinstance(list_name, str) or not list_name:
            raise _Fail(f"{path}.list", "expected the name of a list adapter")
        if kind != "allow":
            raise _Fail(f"{path}.list", "only allow rules consult a list (a list is a whitelist)")

    def opt(key: str, parse: Any) -> Any:
        return parse(value[key], f"{path}.{key}") if value.get(key) is not None else None

    return Match(
        hs_prefixes=_hs_prefixes(value["hs"], f"{path}.hs") if "hs" in value else frozenset(),
        keywords_zh=frozenset(_strings(kw.get("zh"), f"{path}.keywords.zh")),
        keywords_en=frozenset(_strings(kw.get("en"), f"{path}.keywords.en")),
        regexes=frozenset(regexes),
        attributes=attrs["attributes"],
        attributes_all=attrs["attributes_all"],
        line_origin_countries=_countries(value.get("line_origin"), f"{path}.line_origin"),
        line_value_above=opt("line_value_above", _amount),
        line_qty_above=opt("line_qty_above", _decimal),
        order_value_above=opt("order_value_above", _amount),
        order_qty_above=opt("order_qty_above", _decimal),
        parties=_roles(value["parties"], f"{path}.parties", PARTY_ROLES, False)
        if "parties" in value
        else (),
        party_countries=_roles(
            value["party_countries"], f"{path}.party_countries", PARTY_COUNTRY_ROLES, True
        )
        if "party_countries" in value
        else (),
        list=list_name,
    )


def _requires(value: Any, kind: str) -> Requirement | None:
    if kind != "require":
        if value is not None:
            raise _Fail("requires", f"only require rules name documents (this rule is {kind})")
        return None
    if not isinstance(value, Mapping) or not set(value) <= {"documents", "name"}:
        raise _Fail("requires", "expected {documents: [type, ...], name: {zh, en}}")
    docs = _strings(value.get("documents"), "requires.documents")
    if not docs:
        raise _Fail("requires.documents", "a require rule needs at least one document type")
    for i, doc in enumerate(docs):
        if not _DOC_TYPE.fullmatch(doc):
            raise _Fail(f"requires.documents[{i}]", f"{doc!r}: use lower_case_with_underscores")
    name = _bilingual(value["name"], "requires.name") if value.get("name") is not None else None
    return Requirement(tuple(docs), name)


# --------------------------------------------------------------------------- rules


def rule_from_dict(data: Mapping[str, Any], origin: str = "<dict>") -> Rule:
    """One rule from its dict form; :class:`RuleError` names ``origin``, the id and the field."""
    rule_id = data.get("id") if isinstance(data, Mapping) else None
    rid = rule_id if isinstance(rule_id, str) else None
    try:
        if not isinstance(data, Mapping):
            raise _Fail("(rule)", "expected a mapping")
        unknown = set(data) - RULE_KEYS
        if unknown:
            raise _Fail(sorted(unknown)[0], f"unknown key; expected {sorted(RULE_KEYS)}")
        if not isinstance(rule_id, str) or not _ID.fullmatch(rule_id):
            raise _Fail("id", f"{rule_id!r}: letters, digits and . _ : - (at most 100)")
        kind = data.get("kind")
        if kind not in KINDS:
            raise _Fail("kind", f"{kind!r}: expected one of {list(KINDS)}")
        if "match" not in data:
            raise _Fail("match", "is required ({} matches every order in scope)")
        raw = data["match"]
        alts = raw if isinstance(raw, list) else [raw]
        if not alts:
            raise _Fail("match", "an empty list matches nothing; use {} to match everything")
        match = tuple(
            _match(a, f"match[{i}]" if isinstance(raw, list) else "match", kind)
            for i, a in enumerate(alts)
        )
        source = data.get("source")
        if not isinstance(source, str) or not source.strip():
            raise _Fail("source", "every rule needs a source (legal basis or URL)")
        note = data.get("note") or ""
        if not isinstance(note, str):
            raise _Fail("note", "expected a string")
        start = _date(data.get("effective_from"), "effective_from")
        end = _date(data.get("effective_to"), "effective_to", optional=True)
        assert start is not None
        return Rule(
            id=rule_id,
            title=_bilingual(data.get("title"), "title"),
            kind=kind,
            scope=_scope(data.get("scope")),
            match=match,
            effective_from=start,
            effective_to=end,
            source=source.strip(),
            note=note.strip(),
            requires=_requires(data.get("requires"), kind),
            origin=origin,
        )
    except _Fail as fail:
        raise RuleError(origin, rid, fail.field, fail.message, fail.code) from None


def _parse_all(items: Iterable[tuple[Any, str]]) -> tuple[list[Rule], list[Problem]]:
    rules, problems = [], []
    for data, origin in items:
        try:
            rules.append(rule_from_dict(data, origin))
        except RuleError as exc:
            problems.append(
                Problem(
                    "invalid",
                    (exc.rule_id or "?",),
                    (exc.origin,),
                    exc.field,
                    exc.detail,
                )
            )
    return rules, problems


def ruleset_from_dicts(
    rules: Iterable[Mapping[str, Any]],
    *,
    label: str,
    origin: str = "<dicts>",
    lists: Mapping[str, ListAdapter] | None = None,
) -> RuleSet:
    """A rule set from dicts (e.g. JSON rows); rule ``i`` is reported as ``origin[i]``."""
    parsed, problems = _parse_all((d, f"{origin}[{i}]") for i, d in enumerate(rules))
    return RuleSet.build(parsed, label=label, lists=lists, problems=problems)


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader that refuses duplicate keys (YAML would keep the last one silently); on
    libyaml's parser when PyYAML was built with it (eight times faster: the starter rules
    are read by every new engine's first order), the same constructors either way."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False):
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(path: Path) -> tuple[str | None, list[tuple[Any, str]]]:
    """(label, [(rule dict, origin)]) of one file; a broken file raises RuleSetError."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        raise RuleSetError([Problem("invalid", (), (), "(file)", f"{path}: {exc}")]) from None
    if isinstance(data, list):
        return None, [(r, f"{path.name}#{i}") for i, r in enumerate(data)]
    if not isinstance(data, Mapping) or not isinstance(data.get("rules"), list):
        raise RuleSetError(
            [Problem("invalid", (), (), "rules", f"{path}: expected a list under 'rules'")]
        )
    unknown = set(data) - FILE_KEYS
    if unknown:
        raise RuleSetError(
            [Problem("invalid", (), (), sorted(unknown)[0], f"{path}: unknown top-level key")]
        )
    label = data.get("label")
    return (str(label) if label else None), [
        (r, f"{path.name}#{i}") for i, r in enumerate(data["rules"])
    ]


def load_yaml(
    *paths: Path | str,
    label: str | None = None,
    lists: Mapping[str, ListAdapter] | None = None,
) -> RuleSet:
    """One rule set from one or more YAML files (ids must be unique across all of them).
    ``label`` defaults to the files' ``label:`` keys (else their names) joined by ``+``."""
    if not paths:
        raise RuleSetError([Problem("invalid", (), (), "(file)", "no rule file given")])
    labels, items = [], []
    for p in map(Path, paths):
        file_label, file_items = _read_yaml(p)
        labels.append(file_label or p.stem)
        items += file_items
    parsed, problems = _parse_all(items)
    return RuleSet.build(parsed, label=label or "+".join(labels), lists=lists, problems=problems)


def load_dir(
    directory: Path | str,
    *,
    label: str | None = None,
    lists: Mapping[str, ListAdapter] | None = None,
) -> RuleSet:
    """Every ``*.yaml`` file of ``directory``, in name order, as one rule set."""
    files = sorted(Path(directory).glob("*.yaml"))
    if not files:
        raise RuleSetError(
            [Problem("invalid", (), (), "(file)", f"{directory}: no *.yaml rule files")]
        )
    return load_yaml(*files, label=label, lists=lists)


def load_starter(lists: Mapping[str, ListAdapter] | None = None) -> RuleSet:
    """The shipped STARTER rules (``rules/*.yaml``) — NOT LEGAL ADVICE; see their notes."""
    return load_dir(RULES_DIR, label="starter", lists=lists)
