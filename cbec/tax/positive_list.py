"""China's CBEC retail-import positive list (跨境电子商务零售进口商品清单) as dated data.

Only goods under an 8-digit tariff line (税则号列) on the list may be imported as CBEC retail
imports, and the list's remarks column (备注) narrows many lines further: bonded import only
(仅限网购保税商品, customs mode 1210, not direct purchase 9610), quantity caps, and exclusions
such as "列入《进出口野生动植物种商品目录》的商品除外". The list changes by joint announcement
(2019 edition, MOF et al. 2019 No. 96, in force 2020-01-01; adjusted by 8 departments from
2022-03-01), so every row carries its validity window and source like any other rule table
(:mod:`cbec.ruledata`) and :func:`check` answers for a date.

Why a loader and not the list itself: the official list is a government annex (PDF/Excel)
that could not be obtained here and no public dataset of it exists. The package ships
``data/cn_positive_list_sample.csv``, a small, clearly labelled SAMPLE whose rows are not
verified against the annex; it exercises the code and nothing more. Loading the real annex
— with :meth:`PositiveList.load_annex_xlsx` from the official spreadsheet, or
:meth:`PositiveList.load_csv` from a transcription in the sample's columns — makes the same
check authoritative. Findings say when they come from the sample or an unverified row.

Pure: no web, database or framework imports.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache, cached_property
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

from cbec.errors import BadRequest
from cbec.ruledata import Row, RuleDataError, in_force, load
from cbec.tax.errors import TaxInputError, TaxTypeError
from cbec.tax.remarks import (
    BONDED_MARK,
    SPACES,
    clauses,
    derive_bonded_only,
    is_bonded_clause,
    is_exclusion_clause,
    qty_in,
)
from cbec.tax.remarks import derive_excluded as derive_excluded  # re-exported
from cbec.tax.remarks import derive_max_qty as derive_max_qty  # re-exported

SAMPLE = Path(__file__).with_name("data") / "cn_positive_list_sample.csv"
COLUMNS = (
    "tariff_line",
    "name_zh",
    "remarks",
    "bonded_only",
    "max_qty",
    "excluded",
    "edition",
    "effective_from",
    "effective_to",
    "source",
    "verified",
    "note",
)
REQUIRED = ("tariff_line", "name_zh", "edition", "bonded_only", "verified")

Channel = Literal["bonded", "direct"]
Status = Literal["allowed", "conditions_apply", "not_on_list"]
ALLOWED: Status = "allowed"
CONDITIONS_APPLY: Status = "conditions_apply"
NOT_ON_LIST: Status = "not_on_list"
CHANNELS = ("bonded", "direct")


class AnnexFormatError(BadRequest, ValueError):
    """The annex spreadsheet is not in a shape this loader can read without guessing."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__("tax_annex_format", {"detail": detail})


class NotCovered(BadRequest, LookupError):
    """The loaded list has no edition in force on the date asked: no answer, not a 'no'."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__("tax_not_covered", {"detail": detail})

    def details(self, lang: str = "en") -> list[dict[str, Any]]:
        return [{"field": "date", "rule": self.rule, "message": self.detail}]


# --------------------------------------------------------------------------- findings


@dataclass(frozen=True)
class Condition:
    """One condition from the remarks. ``met`` is True/False when the code, channel and
    quantity decide it, and None when it depends on what the goods are (an exclusion, a
    free-text remark): the seller must confirm those."""

    kind: Literal["bonded_only", "max_qty", "exclusion", "remark"]
    text: str
    met: bool | None

    def __str__(self) -> str:
        mark = {True: "met", False: "NOT met", None: "to confirm"}[self.met]
        return f"{self.text} [{mark}]"


@dataclass(frozen=True)
class Finding:
    """The answer for one code on one date. ``conditions_apply`` means the line is on the list
    with conditions; see ``unmet`` for the ones this order breaks."""

    status: Status
    hs_code: str
    tariff_line: str
    on: date
    channel: Channel
    remarks: str = ""
    conditions: tuple[Condition, ...] = ()
    edition: str = ""
    rule: str = ""
    verified: bool = False
    notes: tuple[str, ...] = ()

    @property
    def unmet(self) -> tuple[Condition, ...]:
        return tuple(c for c in self.conditions if c.met is False)

    @property
    def to_confirm(self) -> tuple[Condition, ...]:
        return tuple(c for c in self.conditions if c.met is None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "hs_code": self.hs_code,
            "tariff_line": self.tariff_line,
            "date": self.on.isoformat(),
            "channel": self.channel,
            "remarks": self.remarks,
            "conditions": [{"kind": c.kind, "text": c.text, "met": c.met} for c in self.conditions],
            "edition": self.edition,
            "rule": self.rule,
            "verified": self.verified,
            "notes": list(self.notes),
        }


# --------------------------------------------------------------------------- codes


def tariff_line_of(hs_code: str) -> str:
    """The 8-digit tariff line of an 8- or 10-digit Chinese code (dots and spaces ignored).

    A 10-digit CN code (8-digit line + 2 statistical digits) belongs to its first 8 digits.
    Anything else is refused by name: a shorter code is a heading or subheading that spans
    several lines, some listed and some not, so it cannot be answered."""
    if not isinstance(hs_code, str):
        raise TaxInputError("hs_code", f"{hs_code!r}: expected a string of 8 or 10 digits")
    digits = SPACES.sub("", hs_code).replace(".", "")
    if not digits.isdigit() or not digits.isascii():
        raise TaxInputError("hs_code", f"HS code {hs_code!r}: not digits")
    if len(digits) not in (8, 10):
        raise TaxInputError(
            "hs_code",
            f"HS code {hs_code!r}: {len(digits)} digits; the list is keyed by 8-digit "
            "tariff lines (a 10-digit CN code is matched by its first 8)",
        )
    return digits[:8]


def _quantity(qty: Decimal | int) -> Decimal:
    if isinstance(qty, bool) or not isinstance(qty, int | Decimal):
        raise TaxTypeError("qty", f"{qty!r}: expected int or Decimal")
    value = Decimal(qty)
    if not value.is_finite() or value <= 0:
        raise TaxInputError("qty", f"{qty!r}: must be a positive number")
    return value


# --------------------------------------------------------------------------- the list


def _validate(row: Row, origin: str) -> None:
    """Values a check relies on: refuse the table rather than answer from a broken row."""
    for column in COLUMNS:
        if column not in row.values:
            raise RuleDataError(origin, 1, column, "column missing from the header")
    for column in (*REQUIRED, "source"):
        if not row.get(column) or (column == "source" and not row.source):
            raise RuleDataError(origin, row.line, column, "must not be empty")
    if row.effective_to is not None and row.effective_to < row.effective_from:
        raise RuleDataError(origin, row.line, "effective_to", "is before effective_from")
    line = row.get("tariff_line")
    if len(line) != 8 or not line.isdigit() or not line.isascii():
        raise RuleDataError(origin, row.line, "tariff_line", f"{line!r} is not 8 digits")
    if row.get("bonded_only") not in ("true", "false"):
        raise RuleDataError(origin, row.line, "bonded_only", "must be true or false")
    if row.get("verified") not in ("yes", "no"):
        raise RuleDataError(origin, row.line, "verified", "must be yes or no")
    if derive_bonded_only(row.get("remarks")) and row.get("bonded_only") != "true":
        raise RuleDataError(
            origin, row.line, "bonded_only", f"remarks say {BONDED_MARK} but bonded_only is false"
        )
    cap = row.get("max_qty")
    if cap:
        try:
            ok = Decimal(cap) > 0
        except InvalidOperation:
            ok = False
        if not ok:
            raise RuleDataError(origin, row.line, "max_qty", f"{cap!r} is not a positive number")


def _check_overlaps(rows: Sequence[Row], origin: str) -> None:
    """Two rows for one line in force on the same day would make the answer depend on order."""
    by_line: dict[str, list[Row]] = {}
    for row in rows:
        by_line.setdefault(row.get("tariff_line"), []).append(row)
    for line, group in by_line.items():
        for before, after in pairwise(sorted(group, key=lambda r: r.effective_from)):
            if before.effective_to is None or before.effective_to >= after.effective_from:
                raise RuleDataError(
                    origin,
                    after.line,
                    "effective_from",
                    f"tariff line {line} overlaps the row at line {before.line}",
                )


@dataclass(frozen=True)
class PositiveList:
    """The list as validated rows, indexed by tariff line.

    ``is_sample`` marks the shipped sample: a ``not_on_list`` from it only means "not in the
    sample". ``load_notes`` records what a loader changed on the way in (10-digit codes cut
    to 8, leading zeros restored), so a reader can check it against the annex."""

    rows: tuple[Row, ...]
    origin: str = "<rows>"
    is_sample: bool = False
    load_notes: tuple[str, ...] = ()
    _by_line: dict[str, tuple[Row, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        for row in self.rows:
            _validate(row, self.origin)
        _check_overlaps(self.rows, self.origin)
        index: dict[str, list[Row]] = {}
        for row in self.rows:
            index.setdefault(row.get("tariff_line"), []).append(row)
        self._by_line.update({k: tuple(v) for k, v in index.items()})

    # -- construction

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[Row],
        *,
        origin: str = "<rows>",
        is_sample: bool = False,
        load_notes: Sequence[str] = (),
    ) -> PositiveList:
        """Build from :class:`cbec.ruledata.Row` objects, validating every value used."""
        return cls(tuple(rows), origin, is_sample, tuple(load_notes))

    @classmethod
    def load_csv(cls, path: Path | str, *, is_sample: bool = False) -> PositiveList:
        """A transcription in the sample's columns, read by the shared rule-data loader."""
        rows = load(path, required=REQUIRED, decimals=("max_qty",))
        return cls.from_rows(rows, origin=str(path), is_sample=is_sample)

    @classmethod
    def load_sample(cls) -> PositiveList:
        """The shipped SAMPLE (not the list): for tests and demos only."""
        return _sample()

    @classmethod
    def load_annex_xlsx(
        cls,
        path: Path | str,
        edition: str,
        effective_from: date,
        source: str,
        *,
        effective_to: date | None = None,
        sheet: str | None = None,
    ) -> PositiveList:
        """The official annex spreadsheet (序号 / 税则号列 / 商品描述 / 备注), read as published.

        The header row is found by its Chinese headings; codes are normalised to 8 digits;
        ``bonded_only``, ``max_qty`` and ``excluded`` are derived from the remark, whose raw text
        is kept. Problems are collected and raised together, never half-loaded."""
        from cbec.tax.annex import load_annex  # the spreadsheet reader, with openpyxl

        return load_annex(Path(path), edition, effective_from, effective_to, source, sheet)

    # -- queries (the two below worked out once: every order line checked asks for both)

    @cached_property
    def _first_day(self) -> date | None:
        return min((r.effective_from for r in self.rows), default=None)

    @cached_property
    def _origin_name(self) -> str:
        return Path(self.origin).name

    @cached_property
    def _boundaries(self) -> list[date]:
        """Every day on which some row comes into force or, the day after its last, goes
        out of it, in order: between two of them the rows in force do not change."""
        days = {r.effective_from for r in self.rows}
        days |= {r.effective_to + timedelta(days=1) for r in self.rows if r.effective_to}
        return sorted(days)

    def period(self, on: date) -> object:
        """A key equal for two days on which :meth:`check` gives every code, channel and
        quantity the same finding (but its ``on``): the span between two
        :attr:`_boundaries` the day falls in — the rows in force are the same throughout —
        or, for a day the list does not cover, the day itself (its refusal names it)."""
        if not self.covers(on):
            return on
        return bisect_right(self._boundaries, on)

    def covers(self, on: date) -> bool:
        """Whether ``on`` falls on or after the first day of the earliest edition loaded."""
        return self._first_day is not None and on >= self._first_day

    def lines_in_force(self, on: date) -> set[str]:
        return {r.get("tariff_line") for r in self.rows if r.in_force(on)}

    def row_for(self, tariff_line: str, on: date) -> Row | None:
        found = in_force(self._by_line.get(tariff_line, ()), on)
        return found[0] if found else None  # overlaps were refused at load

    def check(self, hs_code: str, on: date, *, channel: Channel, qty: Decimal | int = 1) -> Finding:
        """Whether ``hs_code`` may enter as a CBEC retail import on ``on`` by ``channel``.

        ``channel`` is "bonded" (网购保税进口, 1210) or "direct" (直购进口, 9610); ``qty`` is
        the count of this item in the order. Raises ValueError for a bad code, channel or
        quantity and :class:`NotCovered` for a date before the earliest loaded edition."""
        line = tariff_line_of(hs_code)
        if channel not in CHANNELS:
            raise TaxInputError("channel", f"{channel!r}: expected 'bonded' or 'direct'")
        count = _quantity(qty)
        if not self.covers(on):
            raise NotCovered(
                f"{self.origin}: no edition loaded for {on} (earliest row starts "
                f"{self._first_day}); "
                "load the edition in force then"
            )
        notes = self._notes(hs_code, line)
        row = self.row_for(line, on)
        if row is None:
            return Finding(NOT_ON_LIST, hs_code, line, on, channel, notes=notes)
        conditions = _conditions(row, channel, count)
        if row.get("verified") != "yes":
            notes += (f"row not verified against the official annex: {row.get('note')}",)
        return Finding(
            status=CONDITIONS_APPLY if conditions else ALLOWED,
            hs_code=hs_code,
            tariff_line=line,
            on=on,
            channel=channel,
            remarks=row.get("remarks"),
            conditions=conditions,
            edition=row.get("edition"),
            rule=f"{row.source} ({self._origin_name} line {row.line})",
            verified=row.get("verified") == "yes",
            notes=notes,
        )

    def _notes(self, hs_code: str, line: str) -> tuple[str, ...]:
        notes: list[str] = []
        if self.is_sample:
            notes.append(
                "checked against the SAMPLE positive list, not the official annex: "
                "not_on_list only means not in the sample"
            )
        if len(SPACES.sub("", hs_code).replace(".", "")) == 10:
            notes.append(f"10-digit code {hs_code} matched by its 8-digit tariff line {line}")
        return tuple(notes)


@cache
def _sample() -> PositiveList:
    return PositiveList.load_csv(SAMPLE, is_sample=True)


def check(
    hs_code: str,
    on: date,
    *,
    channel: Channel,
    qty: Decimal | int = 1,
    positive_list: PositiveList | None = None,
) -> Finding:
    """:meth:`PositiveList.check` against ``positive_list``, or the SAMPLE when none is given
    (the finding then says so in its notes)."""
    plist = positive_list if positive_list is not None else PositiveList.load_sample()
    return plist.check(hs_code, on, channel=channel, qty=qty)


def _conditions(row: Row, channel: Channel, qty: Decimal) -> tuple[Condition, ...]:
    """The row's conditions, each decided where code, channel and quantity can decide it;
    every remark clause not captured by a structured column is passed on verbatim."""
    out: list[Condition] = []
    bonded = row.get("bonded_only") == "true"
    cap = row.decimal("max_qty")
    excluded = row.get("excluded")
    if bonded:
        out.append(
            Condition(
                "bonded_only",
                "bonded import only (网购保税, mode 1210); not by direct purchase (9610)",
                channel == "bonded",
            )
        )
    if cap is not None:
        out.append(Condition("max_qty", f"at most {cap} per order (this order: {qty})", qty <= cap))
    if excluded:
        out.append(Condition("exclusion", f"not for goods excluded by the list: {excluded}", None))
    for clause in clauses(row.get("remarks")):
        covered = (
            (bonded and is_bonded_clause(clause))
            or (cap is not None and qty_in(clause) is not None)
            or (bool(excluded) and is_exclusion_clause(clause))
        )
        if not covered:
            out.append(Condition("remark", f"annex remark: {clause}", None))
    return tuple(out)
