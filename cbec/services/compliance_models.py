"""The typed contract of the compliance operations: rule documents, what-if replays, sandbox
enrolments, decisions — requests and results as Pydantic models, shown in OpenAPI.

A rule document has the shape :func:`cbec.compliance.rule_from_dict` reads (documented in
``cbec/compliance/README.md``). These models check its *shape* — types, lengths, bounds,
no control characters — and name the field when it is wrong; the compliance core then checks
its *meaning* (HS prefixes, ISO codes, regular expressions, contradictions with other rules)
and names the field too. Amounts and quantities are decimal strings (or integers): never a
binary float, which cannot hold ``0.1`` (IEEE 754 §3.2).

Lists a rule may give as one value or several (``hs: "8518"`` or ``hs: ["8518", "8517"]``)
are read as lists, so a problem in either form is named ``hs[0]``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from cbec.compliance.model import PARTY_COUNTRY_ROLES, PARTY_ROLES
from cbec.trade.types import Text

MAX_SQL_INT = 2**63 - 1  # the largest value SQL BIGINT holds
RULE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"

RuleId = Annotated[str, Field(min_length=1, max_length=100, pattern=RULE_ID_PATTERN)]
IsoDate = Annotated[str, Field(pattern=DATE_PATTERN, json_schema_extra={"format": "date"})]
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217")]


def _as_list(value: Any) -> Any:
    return value if isinstance(value, list) else [value]


def _int_as_text(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def OneOrMany(item: Any, max_items: int) -> Any:
    """One value or a list of at most ``max_items``, read as a list (see module doc)."""
    return Annotated[
        list[item],  # type: ignore[valid-type]
        BeforeValidator(_as_list, json_schema_input_type=item | list[item]),  # type: ignore[valid-type]
        Field(min_length=1, max_length=max_items),
    ]


_DECIMAL_TEXT = Annotated[str, Field(max_length=24, pattern=r"^\d{1,15}(\.\d{1,5})?$")]
_WHOLE = Annotated[int, Field(ge=0, le=10**15)]
Number = Annotated[
    _DECIMAL_TEXT,
    BeforeValidator(_int_as_text, json_schema_input_type=_DECIMAL_TEXT | _WHOLE),
    Field(description='A non-negative decimal as a string (or an integer): `"5000.00"`'),
]
_MODE_TEXT = Annotated[str, Field(pattern=r"^\d{4}$")]
TradeMode = Annotated[
    _MODE_TEXT,
    BeforeValidator(
        _int_as_text, json_schema_input_type=_MODE_TEXT | Annotated[int, Field(ge=0, le=9999)]
    ),
    Field(description="A customs supervision mode (9610, 9710, 9810, 1210)"),
]


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BilingualText(_Doc):
    """A text in Chinese and English; both are required so no reader gets half a reason."""

    zh: Text(1000)
    en: Text(1000)


class Keywords(_Doc):
    zh: OneOrMany(Text(200), 500) | None = None
    en: OneOrMany(Text(200), 500) | None = None


class AmountLimit(_Doc):
    amount: Number
    currency: Currency


class RuleScope(_Doc):
    """Where a rule (or an enrolment) applies; a missing or empty field means any."""

    direction: OneOrMany(Literal["import", "export"], 2) | None = None
    origin_countries: OneOrMany(Country, 300) | None = None
    destination_countries: OneOrMany(Country, 300) | None = None
    trade_modes: OneOrMany(TradeMode, 20) | None = None


PartyRole = Literal[PARTY_ROLES]  # type: ignore[valid-type]
CountryRole = Literal[PARTY_COUNTRY_ROLES]  # type: ignore[valid-type]


class RuleMatch(_Doc):
    """One alternative of a rule's match: the groups given are all-of, values in a group any-of."""

    hs: OneOrMany(Text(20), 2000) | None = Field(None, description="HS prefixes, quoted")
    keywords: Keywords | None = None
    regex: OneOrMany(Text(500), 100) | None = None
    attributes: OneOrMany(Text(64), 50) | None = None
    attributes_all: OneOrMany(Text(64), 50) | None = None
    line_origin: OneOrMany(Country, 300) | None = None
    line_value_above: AmountLimit | None = None
    line_qty_above: Number | None = None
    order_value_above: AmountLimit | None = None
    order_qty_above: Number | None = None
    parties: dict[PartyRole, OneOrMany(Text(64), 1000)] | None = None
    party_countries: dict[CountryRole, OneOrMany(Country, 300)] | None = None
    list: Text(100) | None = Field(None, description="A list adapter (allow rules only)")


class RuleRequirement(_Doc):
    documents: OneOrMany(Text(64), 50)
    name: BilingualText | None = None


class RuleDocument(_Doc):
    """One compliance rule (``cbec/compliance/README.md``): what it matches, where and when it
    is in force, its kind (deny | allow | require | flag) and its legal source."""

    id: RuleId
    title: BilingualText
    kind: Literal["deny", "allow", "require", "flag"]
    scope: RuleScope | None = None
    match: OneOrMany(RuleMatch, 100)
    effective_from: IsoDate
    effective_to: IsoDate | None = Field(None, description="The LAST day in force")
    source: Text(2000)
    note: Text(4000, 0) | None = None
    requires: RuleRequirement | None = None

    def as_core(self) -> dict[str, Any]:
        """The dict :func:`cbec.compliance.rule_from_dict` reads (absent = not given)."""
        return self.model_dump(exclude_none=True)


class RetiredRule(_Doc):
    """The stored body of a retirement: only the rule's id."""

    id: RuleId


class LedgerRef(BaseModel):
    """Where the change was logged (RFC 9162 entry index; None when the log is off)."""

    index: int | None


class RulesInForce(BaseModel):
    version: str = Field(description="The rule-set version decisions cite (label@sha256:…)")
    platform: str | None = Field(
        None,
        description="The platform whose orders these rules decide (its own rules included); "
        "null: the rules that bind every platform",
    )
    rules: list[RuleDocument]


class RuleChanged(BaseModel):
    rule_id: str
    revision: int
    action: Literal["put", "retire"]
    ledger: LedgerRef
    ruleset_version: str


class RuleRevision(BaseModel):
    rule_id: str
    revision: int
    action: Literal["put", "retire"]
    by: str
    at: str
    rule: RuleDocument | RetiredRule
    ledger_index: int | None


class WhatIfRequest(_Doc):
    """Proposed changes (rule id → the rule, or null to retire it) and how far back to replay."""

    changes: dict[RuleId, RuleDocument | None] = Field(min_length=1, max_length=100)
    days: int = Field(30, ge=1, le=366, description="Replay the orders filed in these days")


class _View(BaseModel):
    """A result shown as the core gives it: the fields below, and any the core adds."""

    model_config = ConfigDict(extra="allow")


class Bilingual(_View):
    zh: str
    en: str


class FiredView(_View):
    """A rule that fired: its effect, the field it read and the value it saw, why."""

    rule_id: str
    kind: str
    effect: str
    reason: Bilingual
    field: str
    value: Any = None
    line: int | None = None
    undecided: bool = False
    relaxed: bool = False


class LineView(_View):
    index: int
    line_no: int | None = None
    sku: str | None = None
    outcome: str
    fired: list[int]


class RuleSetVersionView(_View):
    label: str
    digest: str
    id: str


class DecisionView(_View):
    """A decision: the outcome, the rule-set version it cites, each line and each rule fired."""

    outcome: str
    ruleset_version: RuleSetVersionView
    evaluated_on: str
    order: dict[str, Any]
    lines: list[LineView]
    fired: list[FiredView]
    sandbox: dict[str, Any] | None = None
    notes: list[str] = []
    decided_at: str | None = None
    ledger_index: int | None = None


class ScreeningResultView(_View):
    """The screening of one party of a stored document: the best candidate and every hit
    (the list's spelling, never the party's own), the list hashes it was screened against."""

    document_id: str
    role: str
    screened_at: str
    match: bool
    score: float
    entity_id: str | None
    lists: list[str]
    result: dict[str, Any]
    ledger_index: int | None


class OrderChecksView(BaseModel):
    compliance: list[DecisionView]
    screening: list[ScreeningResultView]


class ChangeView(_View):
    """An order whose outcome would change: before and after, the rules responsible
    (``{rule_id, before, after}``) and the lines that change (``{index, line_no, before,
    after}``)."""

    index: int
    order: dict[str, Any]
    on: str
    before: str
    after: str
    responsible: list[dict[str, Any]]
    lines: list[dict[str, Any]]


class WhatIfResult(BaseModel):
    days: int
    orders_replayed: int
    current: str
    proposed: str
    changes: list[ChangeView]


class EnrolmentRequest(_Doc):
    """A firm's place in a regulatory sandbox: what it may do that a rule would deny, where,
    when (first and LAST day) and within which limits."""

    firm: Text(64)
    firm_role: Literal["seller", "platform"] = "seller"
    scope: RuleScope | None = None
    period_start: IsoDate
    period_end: IsoDate
    relaxed_rules: list[RuleId] = Field([], max_length=1000)
    relaxed_kinds: list[Literal["deny", "allow"]] = Field([], max_length=2)
    max_order_value: AmountLimit | None = None
    max_orders: int | None = Field(None, ge=0, le=10**12)
    max_value: AmountLimit | None = None
    source: Text(2000, 0) | None = Field(None, description="The approval (number, URL)")
    note: Text(4000, 0) | None = None

    def as_core(self) -> dict[str, Any]:
        """The dict :meth:`cbec.compliance.Enrolment.from_dict` reads (and the store keeps)."""
        return self.model_dump(exclude_none=True, exclude={"firm"}) | {"firm": self.firm}


class Enrolled(BaseModel):
    id: int
    firm: str
    ledger: LedgerRef


class EnrolmentView(BaseModel):
    id: int
    firm: str
    enrolment: dict[str, Any]
    created_at: str
    ended_at: str | None
    ledger_index: int | None


class EnrolmentEnded(BaseModel):
    id: int
    ended: bool
    ledger: LedgerRef


class FirmActivityView(_View):
    firm: str
    orders_seen: int
    orders_relaxed: int
    orders_allowed_by_sandbox: int
    orders_stopped_by_limit: int


class SandboxReport(BaseModel):
    days: int
    firms: dict[str, FirmActivityView]
