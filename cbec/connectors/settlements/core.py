"""What every payment settlement report has in common, turned into cbec payment vouchers.

A settlement report (a payment service's balance or payout report, or cbec's own generic
CSV) is a table with one row per balance movement: charges, and beside them refunds, fees,
payouts and transfers. Only the rows that are a buyer paying for an order become payments
(:class:`~cbec.trade.payment.Payment`, customs' CEB411 ``PaymentHead``); every other row is
listed as skipped and counted by the file's own category, never filed.

Customs' payment voucher names the payer by name and identity document, which no payment
service's report carries in a standard column: each format reads them from documented
metadata columns the merchant fills at checkout, and a payment row without them is refused
(``settlement_payer_id_missing``, naming the file's column) — cbec never invents a payer.
What the file cannot say comes from the :class:`Profile`: the cbec platform tenant the
payments are filed under and the time zone of times written without an offset. Each refusal
names the file's row, the file's column and the rule. Pure: no database, no network.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, timedelta, timezone
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pycountry

from cbec.connectors.marketplaces.core import Group, Record, iso, plain
from cbec.errors import Violation
from cbec.trade.validation import Row, Unreadable

ID_TYPES = {
    "resident_id": "resident_id",
    "passport": "passport",
    "other": "other",
    # CEB411 PayerIdType: 1 = resident identity card (身份证), 2 = other
    "1": "resident_id",
    "2": "other",
}
"""The payer ID types a file may write (case-insensitive) and the cbec value each reads as."""

PAYER_KEYS = ("payer_name", "payer_id_type", "payer_id_number", "payer_phone")
"""The names of the payer's fields in every format's metadata (Stripe's ``payment_metadata``
keys, PayPal's ``Custom Number`` pairs) and the generic CSV's columns."""


@dataclass(frozen=True)
class Profile:
    """What a settlement report cannot give: ``platform`` is the name of the cbec platform
    tenant the payments are filed under; ``zone`` reads times written without an offset
    (never taken as UTC)."""

    platform: str
    zone: ZoneInfo | None = None


@dataclass(frozen=True)
class Skipped:
    """A row that is no payment (a refund, a fee, a payout …): its category as the file
    writes it, counted in the report."""

    category: str


@dataclass(frozen=True)
class Format:
    """One report: its name, the page documenting its columns, the columns whose presence
    identifies it, and how a row becomes a payment (or :class:`Skipped`). ``mapping`` is the
    documented table (file column → cbec field), also what :func:`unmapped` compares a header
    with."""

    name: str
    title: str
    source: str
    signature: frozenset[str]
    mapping: Mapping[str, str]
    build: Callable[[Reader, Profile], dict[str, Any] | Skipped | None]
    ambiguous: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Conversion:
    """What a conversion found beside the payments: the format, the file's headers the
    mapping does not read, the columns whose meaning was assumed, and the rows that are no
    payment (their numbers, and how many of each category)."""

    format: str
    unmapped: list[str] = field(default_factory=list)
    ambiguous: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    skipped_by_category: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "unmapped": list(self.unmapped),
            "ambiguous": [{"column": c, "reason": r} for c, r in self.ambiguous],
            "skipped_rows": list(self.skipped),
            "skipped_by_category": dict(self.skipped_by_category),
        }


class Reader(Group):
    """One row of a report, with the marketplace readers (:class:`Group`: a violation names
    the file's column) and the ones a payment needs."""

    def __init__(self, fmt: Format, number: int, row: dict[str, str | None], profile: Profile):
        super().__init__(fmt, [(number, row)], profile)  # type: ignore[arg-type]

    def currency_code(self, column: str) -> str | None:
        """An ISO 4217 code, upper-cased (Stripe writes ``usd``)."""
        value = self.text(column)
        if value is None:
            return None
        code = value.upper()
        if len(code) != 3 or pycountry.currencies.get(alpha_3=code) is None:
            self.fail(column, "settlement_currency_unknown", found=value[:40])
            return None
        return code

    def utc_time(self, column: str, formats: Iterable[str] = ()) -> str | None:
        """A time the column writes in UTC, with or without an offset."""
        found = self.moment(column, formats)
        if found is None:
            return None
        if found.utcoffset() is None:
            found = found.replace(tzinfo=UTC)
        return iso(found)

    def amount(self, column: str) -> Decimal | None:
        """A payment's amount: a number above zero."""
        before = len(self.errors)
        value = self.money(column)
        if len(self.errors) > before:
            return None
        if value <= 0:
            self.fail(column, "settlement_amount_not_positive", found=plain(value))
            return None
        return value

    def net_agrees(self, gross: str, fee: str, net: str) -> None:
        """The file's own arithmetic: ``net = gross − |fee|`` (Stripe writes the fee as a
        positive cost, PayPal as a negative amount)."""
        before = len(self.errors)
        g, f, n = self.money(gross), self.money(fee, required=False), self.money(net)
        if len(self.errors) == before and g - abs(f) != n:
            self.fail(net, "settlement_net_mismatch", expected=plain(g - abs(f)))


_OFFSET = re.compile(r"(?:GMT|UTC)\s*(?:([+-])(\d{1,2})(?::?(\d{2}))?)?", re.IGNORECASE)


def fixed_zone(text: str) -> timezone | None:
    """``GMT``, ``UTC``, ``GMT+08:00``, ``UTC-5``: a fixed offset; None for anything else."""
    m = _OFFSET.fullmatch(text.strip())
    if m is None:
        return None
    if m.group(1) is None:
        return UTC
    minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
    if minutes > 14 * 60:
        return None
    return timezone(timedelta(minutes=minutes if m.group(1) == "+" else -minutes))


def payer(
    r: Reader,
    values: Mapping[str, str | None],
    columns: Mapping[str, str],
    *,
    name_fallback: str | None = None,
    phone_fallback: str | None = None,
) -> dict[str, str] | None:
    """The payer of a payment row from ``values`` (:data:`PAYER_KEYS` → text, as the format
    reads them), each refusal naming the file column in ``columns`` for that key. The name
    and phone may fall back on a column of the report (the account holder's name)."""
    name = _clean(values.get("payer_name"))
    if name is None and name_fallback is not None:
        name = r.text(name_fallback, required=False)
    if name is None:
        r.fail(columns["payer_name"], "settlement_payer_name_missing")
    number = _clean(values.get("payer_id_number"))
    kind = _clean(values.get("payer_id_type"))
    if number is None:
        r.fail(columns["payer_id_number"], "settlement_payer_id_missing")
    separate = columns["payer_id_type"] != columns["payer_id_number"]
    if kind is None:
        if number is not None or separate:  # one refusal for a column missing both
            r.fail(columns["payer_id_type"], "settlement_payer_id_missing")
    elif kind.lower() not in ID_TYPES:
        r.fail(columns["payer_id_type"], "settlement_id_type_unknown", found=kind[:20])
    phone = _clean(values.get("payer_phone"))
    if phone is None and phone_fallback is not None:
        phone = r.text(phone_fallback, required=False)
    if name is None or number is None or kind is None or kind.lower() not in ID_TYPES:
        return None
    out = {"name": name, "id_type": ID_TYPES[kind.lower()], "id_number": number}
    if phone is not None:
        out["phone"] = phone
    return out


def _clean(value: str | None) -> str | None:
    value = value.strip() if isinstance(value, str) else None
    return value or None


def payment(
    r: Reader,
    profile: Profile,
    *,
    transaction_id: str | None,
    order_no: str | None,
    payer: dict[str, str] | None,
    amount: Decimal | None,
    currency: str | None,
    paid_at: str | None,
) -> dict[str, Any] | None:
    """The payment voucher of a row as cbec's JSON carries it; None when the row had errors."""
    if r.errors or None in (transaction_id, order_no, payer, amount, currency, paid_at):
        return None
    return {
        "transaction_id": transaction_id,
        "order_no": order_no,
        "platform": profile.platform,
        "payer": payer,
        "amount": plain(amount),  # type: ignore[arg-type]
        "currency": currency,
        "paid_at": paid_at,
    }


def unmapped(fmt: Format, header: Iterable[str]) -> list[str]:
    """The headers of a file its format's mapping does not read, in file order."""
    return [h for h in header if h and h not in fmt.mapping]


def ambiguous(fmt: Format, header: Iterable[str]) -> list[tuple[str, str]]:
    present = set(header)
    return [(c, why) for c, why in fmt.ambiguous.items() if c in present]


def convert(
    fmt: Format, records: Iterable[Record], profile: Profile, conversion: Conversion | None = None
) -> Iterator[Row]:
    """``(row number, payment dict or Unreadable)`` for each payment row of the file; rows
    that are no payment are counted in ``conversion``. The payment dicts are what cbec's own
    JSON import reads, so they go through the same filing."""
    for number, row in records:
        r = Reader(fmt, number, row, profile)
        built = fmt.build(r, profile)
        if isinstance(built, Skipped):
            if conversion is not None:
                conversion.skipped.append(number)
                category = built.category[:64] or "(blank)"
                counts = conversion.skipped_by_category
                counts[category] = counts.get(category, 0) + 1
            continue
        if r.errors or built is None:
            yield number, Unreadable(r.errors or [Violation(fmt.name, "settlement_row")])
        else:
            yield number, built
