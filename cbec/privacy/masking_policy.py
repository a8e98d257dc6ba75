"""Which masking operator a reader gets for each personal field: rule data, not code.

PIPL Art. 51(3) asks a processor to control who may handle personal information and how
much of it (least privilege), and GB/T 35273-2020 §6.2 to show a person's data de-identified
to anyone without a need for it. Which reader needs what is a policy decision that changes
over time, so it lives in a dated table (``data/masking_policy.csv``, one row per reader
relation, console user role and level of personal information, each with its source):

* ``reader`` — how the reader relates to the document: ``filer`` (the tenant that supplied
  it), else the tenant's role (``seller``, ``platform``, ``payment``, ``logistics``,
  ``regulator``), :func:`cbec.tenancy.access.relation`;
* ``user_role`` — empty for every reader of that relation, or a console user role (``admin``,
  ``operator``, ``viewer``) whose row wins over the empty one;
* ``pi`` — ``personal`` or ``sensitive`` (PIPL Arts. 4 and 28), the inventory's level of
  the field (:mod:`cbec.privacy.inventory`);
* ``operator`` — one of :data:`cbec.privacy.masking.OPERATORS`.

The loader refuses an unknown value, two rows for the same reader, user role and level in
force on a common day, ``clear`` for anyone but the filer (a regulator's clear read is the
audited reveal) and a filer row that is not ``clear`` (the filer supplied the values).
Pure core: no web, no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

from cbec import ruledata
from cbec.privacy import masking
from cbec.ruledata import RuleDataError

POLICY = Path(__file__).resolve().parent / "data" / "masking_policy.csv"
READERS = ("filer", "seller", "platform", "payment", "logistics", "regulator")
USER_ROLES = ("", "admin", "operator", "viewer")
LEVELS = ("personal", "sensitive")


@dataclass(frozen=True)
class Rule:
    reader: str
    user_role: str
    pi: str
    operator: str
    row: ruledata.Row


class PolicyGap(LookupError):
    """No row in force names an operator for this reader and level: refused, never guessed."""


@dataclass(frozen=True)
class Policy:
    rules: tuple[Rule, ...]

    def operator(self, reader: str, user_role: str | None, pi: str, on: date) -> str:
        """The operator ``reader`` (a console user of ``user_role``, or None for an API key
        or the command line) gets for a field of level ``pi`` on ``on``."""
        found = {
            r.user_role: r.operator
            for r in self.rules
            if r.row.in_force(on) and (r.reader, r.pi) == (reader, pi)
        }
        if user_role and user_role in found:
            return found[user_role]
        if "" in found:
            return found[""]
        raise PolicyGap(f"no masking rule for reader {reader!r}, level {pi!r} on {on}")

    def by_level(self, reader: str, user_role: str | None, on: date) -> dict[str, str]:
        """``{"personal": operator, "sensitive": operator}`` for one reader."""
        return {pi: self.operator(reader, user_role, pi, on) for pi in LEVELS}

    def gaps(self, on: date) -> list[str]:
        """Every reader × level with no row for all its readers on ``on`` (empty: none)."""
        covered = {(r.reader, r.pi) for r in self.rules if r.row.in_force(on) and not r.user_role}
        return [
            f"{reader} × {pi}" for reader in READERS for pi in LEVELS if (reader, pi) not in covered
        ]


def _overlap(a: ruledata.Row, b: ruledata.Row) -> bool:
    far = date.max
    return a.effective_from <= (b.effective_to or far) and b.effective_from <= (
        a.effective_to or far
    )


def load(path: Path | str = POLICY) -> Policy:
    """The policy table, checked (see the module doc); a bad row is refused with file, line
    and column (:class:`cbec.ruledata.RuleDataError`)."""
    rows = ruledata.load(path, required=("reader", "pi", "operator"))
    allowed = {"reader": READERS, "user_role": USER_ROLES, "pi": LEVELS}
    allowed["operator"] = masking.OPERATORS
    rules: list[Rule] = []
    for row in rows:
        for column, values in allowed.items():
            if row.get(column) not in values:
                raise RuleDataError(path, row.line, column, f"must be one of {', '.join(values)}")
        rule = Rule(row["reader"], row.get("user_role"), row["pi"], row["operator"], row)
        if (rule.operator == masking.CLEAR) != (rule.reader == "filer"):
            raise RuleDataError(path, row.line, "operator", "clear is the filer's, and only it")
        for other in rules:
            same = (other.reader, other.user_role, other.pi) == (
                rule.reader,
                rule.user_role,
                rule.pi,
            )
            if same and _overlap(other.row, row):
                raise RuleDataError(
                    path, row.line, "effective_from", f"overlaps the row on line {other.row.line}"
                )
        rules.append(rule)
    return Policy(tuple(rules))


@cache
def current() -> Policy:
    """The deployment's policy (``data/masking_policy.csv``), read once per process."""
    return load()


@cache
def _levels() -> dict[tuple[str, str], str]:
    from cbec.privacy import inventory

    return {(t.kind, t.field): t.pi for t in inventory.load()}


def level_of(kind: str, path: str) -> str:
    """The inventory's level of ``kind``'s field ``path``: ``sensitive`` or ``personal``
    (an encrypted field the inventory does not grade sensitive is personal)."""
    return "sensitive" if _levels().get((kind, path)) == "sensitive" else "personal"


def free_text_fields(kind: str) -> tuple[str, ...]:
    """The fields of ``kind`` the inventory tags ``possible``: free text that may name
    someone (``note``, ``events[].note``), anonymized for every reader but the filer."""
    return tuple(field for (k, field), pi in _levels().items() if k == kind and pi == "possible")


def field_operators(kind: str, pii: Mapping[str, str], by_level: Mapping[str, str]) -> dict:
    """``{path: operator}`` for the personal fields ``pii`` of ``kind`` (``Kind.pii``),
    given the reader's operator per level (:meth:`Policy.by_level`)."""
    return {path: by_level[level_of(kind, path)] for path in pii}


def today() -> date:
    return datetime.now(UTC).date()


def for_reader(reader: str, user_role: str | None, on: date | None = None) -> dict[str, str]:
    """The current policy's operator per level for ``reader``, on ``on`` (default today)."""
    return current().by_level(reader, user_role, on or today())
