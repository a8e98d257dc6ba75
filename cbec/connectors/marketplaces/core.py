"""What every marketplace order file has in common, turned into cbec orders.

A marketplace export is a table with one row per order line; the order's own fields (number,
time, consignee, totals) repeat on each of its rows or stand on its first row only (Shopify).
Consecutive rows with the same order key are one order — as in cbec's own CSV
(:mod:`cbec.trade.tabular`) — and an order-level cell that a later row fills with another
value refuses the order (``marketplace_group_mismatch``), never silently picks one.

What a file cannot say comes from the tenant's :class:`Profile` (the cbec platform tenant the
marketplace maps to, the currency and time zone its times are written in, where the goods
ship from) and from the seller's own catalogue (:class:`~cbec.trade.product.Product`, by SKU):
the HS code, specification, unit and origin country customs needs are on no marketplace
export. Each refusal names the file's row, the file's column and the rule; every header the
mapping does not read is listed in :attr:`Conversion.unmapped`, and every column whose
meaning had to be assumed in :attr:`Conversion.ambiguous`. Pure: no database, no network.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

import pycountry

from cbec.errors import Violation
from cbec.trade.validation import Row, Unreadable

Record = tuple[int, dict[str, str | None]]

_THOUSANDS = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")  # (file row number, {header: cell text})


@dataclass(frozen=True)
class Profile:
    """A tenant's marketplace profile: what the file cannot give. ``platform`` is the name of
    the cbec platform tenant the marketplace's orders are filed under; ``currency`` is used
    where the file names none; ``zone`` reads times written without an offset (never taken
    as UTC); ``origin_country`` is where the goods ship from (ISO 3166-1 alpha-2)."""

    platform: str
    currency: str | None = None
    zone: ZoneInfo | None = None
    origin_country: str = "CN"
    incoterm: str = "DAP"


@dataclass(frozen=True)
class Format:
    """One marketplace's export: its name, the page documenting its columns, how its table is
    delimited, the columns whose presence identifies it, and how a group of rows becomes an
    order. ``mapping`` is the documented table (file column → cbec field), also what
    :func:`unmapped` compares a header with."""

    name: str
    title: str
    source: str
    delimiter: str
    key: str
    signature: frozenset[str]
    mapping: Mapping[str, str]
    build: Callable[[Group, Profile], dict[str, Any]]
    ambiguous: Mapping[str, str] = field(default_factory=dict)
    skip: Callable[[dict[str, str | None]], bool] | None = None
    order_level: frozenset[str] = frozenset()
    # ``skip`` reads an item's own status (Lazada): a skipped row leaves the rest of its
    # order, rather than the order's status skipping all of its rows
    skip_items: bool = False
    # records of one order share its number (a JSON order's products: jsonfile.records)
    by_number: bool = False


@dataclass
class Conversion:
    """What a conversion found beside the orders: the format, the file's headers the mapping
    does not read, and the columns whose meaning was assumed (column, why)."""

    format: str
    unmapped: list[str] = field(default_factory=list)
    ambiguous: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # rows of cancelled orders, not filed
    from_profile: dict[str, str] = field(default_factory=dict)  # values the profile gave

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "unmapped": list(self.unmapped),
            "ambiguous": [{"column": c, "reason": r} for c, r in self.ambiguous],
            "skipped_rows": list(self.skipped),
            "from_profile": dict(self.from_profile),
        }


class Refused(Exception):
    """Raised inside a format's ``build`` once a group's errors make an order impossible."""


class Group:
    """The rows of one order, with readers that record a violation naming the column (not
    the cbec field) for a cell that is missing or malformed."""

    def __init__(self, fmt: Format, records: list[Record], profile: Profile) -> None:
        self.fmt = fmt
        self.records = records
        self.profile = profile
        self.errors: list[Violation] = []

    @property
    def first(self) -> dict[str, str | None]:
        return self.records[0][1]

    def fail(self, column: str, rule: str, **params: Any) -> None:
        self.errors.append(Violation(column, rule, params))

    def text(self, column: str, row: dict[str, str | None] | None = None, required=True):
        row = row if row is not None else self.first
        value = row.get(column)
        value = value.strip() if isinstance(value, str) else None
        if not value:
            if required:
                absent = column not in row
                self.fail(
                    column, "marketplace_column_absent" if absent else "marketplace_value_missing"
                )
            return None
        return value

    def money(self, column: str, row=None, required=True, default="0") -> Decimal:
        value = self.text(column, row, required=required)
        if value is None:
            return Decimal(default)
        cleaned = value.lstrip("$€£¥￥").strip()
        if "," in cleaned:  # thousands separators only: "30,00" is no amount to guess at
            if not _THOUSANDS.fullmatch(cleaned):
                self.fail(column, "marketplace_not_a_number", found=value[:40])
                return Decimal(0)
            cleaned = cleaned.replace(",", "")
        try:
            amount = Decimal(cleaned)
        except InvalidOperation:
            self.fail(column, "marketplace_not_a_number", found=value[:40])
            return Decimal(0)
        # 10^12 and past is no order's amount (customs' N19,5 holds 14 integer digits):
        # refused here, before a product of two such overflows the decimal context (a 500)
        if not amount.is_finite() or amount.adjusted() >= 12:
            self.fail(column, "marketplace_not_a_number", found=value[:40])
            return Decimal(0)
        return amount

    def moment(self, column: str, formats: Iterable[str] = ()) -> datetime | None:
        """The column's time as written (ISO 8601 or one of ``formats``), offset or not."""
        value = self.text(column)
        if value is None:
            return None
        found = parse_time(value, formats)
        if found is None:
            self.fail(column, "marketplace_not_a_time", found=value[:40])
        return found

    def time(
        self, column: str, formats: Iterable[str] = (), zone: ZoneInfo | None = None
    ) -> str | None:
        """The column's time in UTC; one written without an offset is read in ``zone`` (the
        format's documented one), else the profile's, and refused when neither is known."""
        found = self.moment(column, formats)
        if found is not None and found.utcoffset() is None:
            if (zone := zone or self.profile.zone) is None:
                self.fail(column, "marketplace_time_zone_needed", found=self.text(column)[:40])
                return None
            found = found.replace(tzinfo=zone)
        try:
            return iso(found) if found is not None else None
        except OverflowError:  # 9999-12-31 west of UTC, 0001-01-01 east of it
            self.fail(column, "marketplace_not_a_time", found=self.text(column)[:40])
            return None

    def country(self, column: str) -> str | None:
        value = self.text(column)
        if value is None:
            return None
        code = country_code(value)
        if code is None:
            self.fail(column, "marketplace_country_unknown", found=value[:40])
        return code

    def currency(self, column: str | None) -> str | None:
        value = self.text(column, required=False) if column else None
        if value is None:
            value = self.profile.currency
        if value is None:
            self.fail(column or "currency", "marketplace_value_missing")
        return value


def iso(moment: datetime) -> str:
    """An aware time as UTC ISO 8601 with ``Z``."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def parse_time(value: str, formats: Iterable[str] = ()) -> datetime | None:
    """ISO 8601 (with or without offset; ``+ 00 :00`` as some Amazon pages print it is
    read too), then each of the format's ``strptime`` patterns."""
    text = value.strip()
    try:
        return datetime.fromisoformat(text.replace(" :", ":").replace("+ ", "+"))
    except ValueError:
        pass
    for pattern in formats:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def country_code(value: str) -> str | None:
    """An ISO 3166-1 alpha-2 code for a code or an English country name (TikTok writes
    ``United States``, Amazon and Shopify ``US``); None when unknown."""
    text = value.strip()
    if len(text) == 2 and pycountry.countries.get(alpha_2=text.upper()) is not None:
        return text.upper()
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        return None


def unit_price(line_total: Decimal, qty: Decimal) -> Decimal:
    """The unit price of a line whose file gives only its total (Amazon's ``item-price`` is
    "an aggregate of the quantity"), to the 5 places customs' N19,5 allows, so that
    ``unit_price × qty`` rounds back to the total (:func:`cbec.trade.order.expected_line_total`)."""
    return (line_total / qty).quantize(Decimal("0.00001"), ROUND_HALF_UP).normalize()


def plain(amount: Decimal) -> str:
    """An amount as the text an order carries (no exponent)."""
    return format(amount, "f")


def unmapped(fmt: Format, header: Iterable[str]) -> list[str]:
    """The headers of a file its format's mapping does not read, in file order."""
    return [h for h in header if h and h not in fmt.mapping]


def ambiguous(fmt: Format, header: Iterable[str]) -> list[tuple[str, str]]:
    present = set(header)
    return [(c, why) for c, why in fmt.ambiguous.items() if c in present]


def groups(
    fmt: Format, records: Iterable[Record], skipped: list[int] | None = None
) -> Iterator[list[Record]]:
    """Consecutive records with the same order key; a record whose key is blank continues
    the current order (Amazon splits an order's promotions over extra rows). Rows the
    format skips (a cancelled order, TikTok's row of column descriptions; with
    ``skip_items``, a cancelled item alone) are listed in ``skipped`` and make no order."""
    current: list[Record] = []
    key = None
    skipping = False  # inside an order the format skips (its first row said so)
    for number, row in records:
        here = number if fmt.by_number else (row.get(fmt.key) or "").strip() or None
        continues = here is None or here == key
        if fmt.skip_items and fmt.skip is not None and fmt.skip(row):
            if skipped is not None:
                skipped.append(number)
            continue  # this item only; a row after it with the same key continues the order
        if (fmt.skip is not None and fmt.skip(row)) or (skipping and continues):
            if current:
                yield current
            current, key, skipping = [], here if here is not None else key, True
            if skipped is not None and number not in skipped[-1:]:
                skipped.append(number)
            continue
        skipping = False
        if current and continues:
            current.append((number, row))
            continue
        if current:
            yield current
        current, key = [(number, row)], here
    if current:
        yield current


def convert(
    fmt: Format,
    records: Iterable[Record],
    profile: Profile,
    catalog: Mapping[str, Mapping[str, Any]],
    skipped: list[int] | None = None,
) -> Iterator[Row]:
    """``(first row number, order dict or Unreadable)`` for each order of the file; the
    order dicts are what cbec's own JSON import reads, so they go through the same filing."""
    for records_of_order in groups(fmt, records, skipped):
        group = Group(fmt, records_of_order, profile)
        number = records_of_order[0][0]
        _agree(group)
        try:
            doc = fmt.build(group, profile)
        except Refused:
            doc = None
        if doc is not None:
            _fill_lines(group, doc, catalog)
        if group.errors or doc is None:
            yield number, Unreadable(group.errors or [Violation(fmt.key, "marketplace_row")])
        else:
            yield number, doc


def _agree(group: Group) -> None:
    """An order-level column must not change between the rows of one order."""
    head = group.first
    for _, row in group.records[1:]:
        for column in group.fmt.order_level:
            value = (row.get(column) or "").strip()
            if value and value != (head.get(column) or "").strip():
                group.fail(column, "marketplace_group_mismatch")


def _fill_lines(group: Group, doc: dict[str, Any], catalog: Mapping[str, Mapping]) -> None:
    """Customs facts of each line from the seller's catalogue entry for its SKU."""
    for i, line in enumerate(doc["lines"]):
        column = line.pop("_column", "sku")
        product = catalog.get(line["sku"])
        if product is None:
            group.fail(column, "marketplace_sku_unknown", sku=line["sku"][:64], line=i + 1)
            continue
        line.setdefault("spec", product.get("spec"))
        line["hs_code"] = product.get("hs_code")
        line["origin_country"] = product.get("origin_country")
        line["unit"] = product.get("unit")
        if product.get("barcode"):
            line.setdefault("barcode", product["barcode"])


def address(*parts: str | None) -> str | None:
    """An address line of the file's parts, blanks left out (street first, as a label)."""
    text = ", ".join(p.strip() for p in parts if p and p.strip())
    return text or None


def line(column: str, sku: str, name: str, qty: Decimal, total: Decimal, price=None) -> dict:
    """An order line as cbec's JSON carries it; the customs facts come from the catalogue
    (:func:`_fill_lines`), ``column`` is the file's SKU column for its refusal."""
    return {
        "_column": column,
        "sku": sku,
        "name": name,
        "qty": plain(qty.normalize()),
        "unit_price": plain(price if price is not None else unit_price(total, qty)),
        "line_total": plain(total),
    }


def order(
    group: Group,
    *,
    order_no: str | None,
    ordered_at: str | None,
    buyer: dict[str, str | None],
    consignee: dict[str, str | None],
    destination: str | None,
    currency: str | None,
    lines: list[dict[str, Any]],
    freight: Decimal,
    discount: Decimal,
    tax: Decimal,
    paid: Decimal | None = None,
) -> dict[str, Any]:
    """The cbec order of a group, its goods value the sum of its lines; ``paid`` is the
    file's own total when it has one (cbec's ``amount_paid_sum`` rule then checks the file's
    arithmetic), else computed. Raises :class:`Refused` when the group had errors."""
    if group.errors or not lines:
        raise Refused
    for i, item in enumerate(lines, start=1):
        item["line_no"] = i
    goods = sum((Decimal(item["line_total"]) for item in lines), Decimal(0))
    if paid is None:
        paid = goods + freight + tax - discount
    return {
        "platform": group.profile.platform,
        "order_no": order_no,
        "ordered_at": ordered_at,
        "buyer": {k: v for k, v in buyer.items() if v is not None},
        "consignee": {k: v for k, v in consignee.items() if v is not None},
        "destination_country": destination,
        "origin_country": group.profile.origin_country,
        "currency": currency,
        "goods_value": plain(goods),
        "freight": plain(freight),
        "discount": plain(discount),
        "tax_withheld": plain(tax),
        "amount_paid": plain(paid),
        "incoterm": group.profile.incoterm,
        "lines": lines,
    }
