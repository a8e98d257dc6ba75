"""The rule model: what a compliance rule says, as immutable data.

A rule is data, not code, for the same reason the tax tables are (:mod:`cbec.ruledata`): the
lists change by announcement, a decision must be able to cite exactly the rule that was in
force, and a compliance officer must be able to read every rule without reading Python. This
module only defines the shapes and the vocabulary; :mod:`cbec.compliance.load` builds them
from YAML or dicts and :mod:`cbec.compliance.conflicts` refuses sets that contradict
themselves.

Vocabulary (the only values a rule may use, so a typo is an error and not a silent no-match):

* ``kind`` — ``deny`` (negative list), ``allow`` (whitelist), ``require`` (a document or
  licence must be on the order), ``flag`` (a human reviews the order).
* ``direction`` — ``import`` or ``export`` *through Chinese customs*: cbec declares to China
  customs, so import means "destination CN" and export "origin CN" (see
  :mod:`cbec.compliance.facts`).
* trade modes — the customs supervision modes of CBEC: ``9610`` (direct purchase / direct
  export), ``9710`` (B2B direct export), ``9810`` (export to overseas warehouse), ``1210``
  (bonded).
* attributes — booleans a line or product may declare: see :data:`ATTRIBUTES`.

Pure: no web, database or framework imports.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from cbec.compliance.patterns import compile_pattern
from cbec.errors import DocumentInvalid, Violation

Kind = Literal["deny", "allow", "require", "flag"]
KINDS: tuple[Kind, ...] = ("deny", "allow", "require", "flag")

Outcome = Literal["deny", "needs_document", "review", "allow_sandbox", "allow"]
# Worst first. A decision's outcome is the worst of its parts; allow_sandbox ranks above allow
# so an order that needed the sandbox never looks like one that did not.
OUTCOMES: tuple[Outcome, ...] = ("deny", "needs_document", "review", "allow_sandbox", "allow")
RANK: dict[str, int] = {o: len(OUTCOMES) - i for i, o in enumerate(OUTCOMES)}

Direction = Literal["import", "export"]
DIRECTIONS: tuple[Direction, ...] = ("import", "export")
TRADE_MODES = ("9610", "9710", "9810", "1210")
HS_PREFIX_LENGTHS = (2, 4, 6, 8, 10)

# Booleans a line (``lines[i].attributes``) or product (``attributes``) may declare. Mabang-style
# seller catalogues carry the same flags (hasBattery, magnetic, powder, liquid) for postal and
# express declarations. Undeclared means False: rules that must not depend on honest
# declarations also match names and HS codes.
ATTRIBUTES = frozenset(
    {
        "battery",  # contains or is any battery
        "lithium_ion",  # lithium-ion / lithium-polymer cells or batteries (UN3480/UN3481)
        "lithium_metal",  # lithium-metal cells or batteries (UN3090/UN3091)
        "battery_standalone",  # the battery itself is the goods (power bank, spare pack)
        "liquid",
        "powder",
        "magnetic",
        "aerosol",
        "flammable",
        "chilled",  # storage classes (cold chain): the sensor limits tracking checks
        "frozen",
        "refrigerated",
    }
)

# Parties an order names by tenant name (plain strings on the order), and parties whose
# country a rule may test (read from ``<role>_country`` on the order; buyer and consignee
# default to the destination country).
PARTY_ROLES = ("platform", "seller", "logistics", "payment")
PARTY_COUNTRY_ROLES = ("platform", "seller", "logistics", "payment", "buyer", "consignee")

_COUNTRY = re.compile(r"[A-Z]{2}")
_CURRENCY = re.compile(r"[A-Z]{3}")


def fold(text: str) -> str:
    """Text as compared by keyword rules: NFKC (full-width → half-width) and case-folded."""
    return unicodedata.normalize("NFKC", text).casefold()


class RuleError(DocumentInvalid, ValueError):
    """One rule (or rule file) that cannot be used: names where it is, which rule, which field.

    A member of cbec's error family (an invalid document: the field and the rule
    ``rule_invalid``), and still a ``ValueError`` for callers of the pure core."""

    def __init__(
        self,
        origin: str,
        rule_id: str | None,
        field_: str,
        message: str,
        code: str = "rule_invalid",
    ) -> None:
        self.origin, self.rule_id, self.field, self.detail = origin, rule_id, field_, message
        self.code = code
        params = {"detail": message}
        if code != "rule_invalid":  # a refused pattern names its rule (see .patterns)
            params["rule"] = rule_id or "(file)"
        super().__init__([Violation(field_, code, params)])

    def __str__(self) -> str:
        who = f"rule {self.rule_id}" if self.rule_id else "(file)"
        return f"{self.origin}: {who}: {self.field}: {self.detail}"


@dataclass(frozen=True)
class Problem:
    """One reason a rule set is refused. ``rule_ids`` names every rule involved (both sides of
    a conflict); ``origins`` the file (or dict source) of each, in the same order."""

    kind: Literal["invalid", "duplicate_id", "bad_dates", "contradiction", "unknown_list"]
    rule_ids: tuple[str, ...]
    origins: tuple[str, ...]
    field: str
    message: str

    def __str__(self) -> str:
        where = ", ".join(f"{r} ({o})" for r, o in zip(self.rule_ids, self.origins, strict=True))
        return f"{self.kind}: {where or '(file)'}: {self.field}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "rule_ids": list(self.rule_ids),
            "origins": list(self.origins),
            "field": self.field,
            "message": self.message,
        }


class RuleSetError(DocumentInvalid, ValueError):
    """A rule set refused as a whole (never half-loaded): every problem found, not the first;
    each is a violation (``rule_conflict``) naming the field and every rule involved."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(
            [
                Violation(
                    p.field or "rules",
                    "rule_conflict",
                    {"rules": ", ".join(p.rule_ids) or "-", "detail": p.message},
                )
                for p in self.problems
            ]
        )

    def __str__(self) -> str:
        lines = "\n  ".join(str(p) for p in self.problems)
        return f"rule set refused, {len(self.problems)} problem(s):\n  {lines}"


@dataclass(frozen=True)
class Bilingual:
    """A text in Chinese and English; both are required so no reader gets half a reason."""

    zh: str
    en: str

    def as_dict(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}


@dataclass(frozen=True)
class Amount:
    """Money as a Decimal with its ISO 4217 currency (never a float)."""

    value: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.value, Decimal) or not self.value.is_finite():
            raise ValueError(f"amount {self.value!r}: expected a finite Decimal")
        if not _CURRENCY.fullmatch(self.currency or ""):
            raise ValueError(f"currency {self.currency!r}: expected an ISO 4217 code")

    def __str__(self) -> str:
        return f"{self.value} {self.currency}"

    def as_dict(self) -> dict[str, str]:
        return {"amount": str(self.value), "currency": self.currency}


_KNOWN_COUNTRIES: dict[str, bool] = {}  # at most 26² codes: those of the right shape


def valid_country(code: Any) -> bool:
    """ISO 3166-1 alpha-2, checked against pycountry (so ``UK`` for GB is refused).
    Answers are remembered per code: an order names countries several times (its own, each
    line's origin, each party's), and the check was a twentieth of deciding an order."""
    found = _KNOWN_COUNTRIES.get(code) if type(code) is str else None
    if found is not None:
        return found
    if not isinstance(code, str) or not _COUNTRY.fullmatch(code):
        return False
    from cbec.trade.types import known_country

    found = _KNOWN_COUNTRIES[code] = known_country(code)
    return found


@dataclass(frozen=True)
class Scope:
    """Where a rule (or a sandbox enrolment) applies. Every field is a set of allowed values;
    an empty set means "any". An order is in scope when it is in every non-empty set."""

    directions: frozenset[str] = frozenset()
    origin_countries: frozenset[str] = frozenset()
    destination_countries: frozenset[str] = frozenset()
    trade_modes: frozenset[str] = frozenset()

    def overlaps(self, other: Scope) -> bool:
        """Whether some order could be in both scopes (each dimension: any, or a common value)."""
        return all(
            not a or not b or bool(a & b)
            for a, b in (
                (self.directions, other.directions),
                (self.origin_countries, other.origin_countries),
                (self.destination_countries, other.destination_countries),
                (self.trade_modes, other.trade_modes),
            )
        )

    def as_dict(self) -> dict[str, list[str]]:
        out = {
            "direction": sorted(self.directions),
            "origin_countries": sorted(self.origin_countries),
            "destination_countries": sorted(self.destination_countries),
            "trade_modes": sorted(self.trade_modes),
        }
        return {k: v for k, v in out.items() if v}


@dataclass(frozen=True)
class Match:
    """One alternative of a rule's match. Semantics (documented in the README):

    * each *group* below is any-of over its values (any prefix, any keyword or regex, any
      listed attribute, any listed country, any listed tenant per role);
    * ``attributes_all`` is all-of;
    * the groups that are present are all-of (an HS prefix AND a keyword, when both given);
    * a rule matches when any of its alternatives matches;
    * an alternative with no condition at all matches every order in the rule's scope.

    Line groups: ``hs_prefixes``, text (``keywords_zh``/``keywords_en``/``regexes``),
    attributes, ``line_origin_countries``, line limits, ``list``. Order groups: order limits,
    ``parties``, ``party_countries``. An alternative with only order groups fires once for the
    whole order instead of once per line.
    """

    hs_prefixes: frozenset[str] = frozenset()
    keywords_zh: frozenset[str] = frozenset()
    keywords_en: frozenset[str] = frozenset()
    regexes: frozenset[str] = frozenset()
    attributes: frozenset[str] = frozenset()
    attributes_all: frozenset[str] = frozenset()
    line_origin_countries: frozenset[str] = frozenset()
    line_value_above: Amount | None = None
    line_qty_above: Decimal | None = None
    order_value_above: Amount | None = None
    order_qty_above: Decimal | None = None
    parties: tuple[tuple[str, frozenset[str]], ...] = ()
    party_countries: tuple[tuple[str, frozenset[str]], ...] = ()
    list: str | None = None
    _compiled: tuple[Any, ...] = field(  # RE2 patterns (cbec.compliance.patterns)
        default=(), init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        compiled = tuple(compile_pattern(p) for p in sorted(self.regexes))
        object.__setattr__(self, "_compiled", compiled)

    @property
    def patterns(self) -> tuple[Any, ...]:
        """The regexes compiled by RE2, which matches in linear time (see :mod:`.patterns`)."""
        return self._compiled

    @property
    def has_text(self) -> bool:
        return bool(self.keywords_zh or self.keywords_en or self.regexes)

    @property
    def is_line_level(self) -> bool:
        return bool(
            self.hs_prefixes
            or self.has_text
            or self.attributes
            or self.attributes_all
            or self.line_origin_countries
            or self.line_value_above is not None
            or self.line_qty_above is not None
            or self.list
        )

    def key(self) -> tuple[Any, ...]:
        """A normalised, hashable form: two alternatives with equal keys match exactly the same
        lines (keywords compared as :func:`fold` does, order of values irrelevant)."""
        return (
            self.hs_prefixes,
            frozenset(fold(k) for k in self.keywords_zh | self.keywords_en),
            self.regexes,
            self.attributes,
            self.attributes_all,
            self.line_origin_countries,
            self.line_value_above,
            self.line_qty_above.normalize() if self.line_qty_above is not None else None,
            self.order_value_above,
            self.order_qty_above.normalize() if self.order_qty_above is not None else None,
            frozenset(self.parties),
            frozenset(self.party_countries),
            self.list,
        )

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.hs_prefixes:
            out["hs"] = sorted(self.hs_prefixes)
        if self.keywords_zh or self.keywords_en:
            kw: dict[str, list[str]] = {}
            if self.keywords_zh:
                kw["zh"] = sorted(self.keywords_zh)
            if self.keywords_en:
                kw["en"] = sorted(self.keywords_en)
            out["keywords"] = kw
        if self.regexes:
            out["regex"] = sorted(self.regexes)
        if self.attributes:
            out["attributes"] = sorted(self.attributes)
        if self.attributes_all:
            out["attributes_all"] = sorted(self.attributes_all)
        if self.line_origin_countries:
            out["line_origin"] = sorted(self.line_origin_countries)
        if self.line_value_above is not None:
            out["line_value_above"] = self.line_value_above.as_dict()
        if self.line_qty_above is not None:
            out["line_qty_above"] = str(self.line_qty_above)
        if self.order_value_above is not None:
            out["order_value_above"] = self.order_value_above.as_dict()
        if self.order_qty_above is not None:
            out["order_qty_above"] = str(self.order_qty_above)
        if self.parties:
            out["parties"] = {r: sorted(v) for r, v in sorted(self.parties)}
        if self.party_countries:
            out["party_countries"] = {r: sorted(v) for r, v in sorted(self.party_countries)}
        if self.list:
            out["list"] = self.list
        return out


@dataclass(frozen=True)
class Requirement:
    """What a ``require`` rule needs: any one of ``documents`` (types) on the order."""

    documents: tuple[str, ...]
    name: Bilingual | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"documents": list(self.documents)}
        if self.name:
            out["name"] = self.name.as_dict()
        return out


@dataclass(frozen=True)
class Rule:
    """One rule. ``effective_to`` is the LAST day in force (None while in force), as in every
    cbec rule table; ``origin`` says where it was loaded from and is not part of its content."""

    id: str
    title: Bilingual
    kind: Kind
    scope: Scope
    match: tuple[Match, ...]
    effective_from: date
    source: str
    effective_to: date | None = None
    note: str = ""
    requires: Requirement | None = None
    origin: str = field(default="<rule>", compare=False)

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    def match_key(self) -> frozenset[tuple[Any, ...]]:
        return frozenset(m.key() for m in self.match)

    def as_dict(self) -> dict[str, Any]:
        """The rule in the same shape :func:`cbec.compliance.load.rule_from_dict` reads, so
        rules round-trip through a database as JSON."""
        out: dict[str, Any] = {
            "id": self.id,
            "title": self.title.as_dict(),
            "kind": self.kind,
            "scope": self.scope.as_dict(),
            "match": [m.as_dict() for m in self.match],
            "effective_from": self.effective_from.isoformat(),
            "effective_to": self.effective_to.isoformat() if self.effective_to else None,
            "source": self.source,
        }
        if self.requires:
            out["requires"] = self.requires.as_dict()
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class RuleSetVersion:
    """What a decision cites: a human label and the SHA-256 of the rule set's canonical content
    (rules sorted by id, plus the fingerprint of every list adapter the rules use), so two
    sets with the same label but different content never look alike."""

    label: str
    digest: str

    @property
    def id(self) -> str:
        return f"{self.label}@sha256:{self.digest[:16]}"

    def __str__(self) -> str:
        return self.id

    def as_dict(self) -> dict[str, str]:
        return {"label": self.label, "digest": self.digest, "id": self.id}
