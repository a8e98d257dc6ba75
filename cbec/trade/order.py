"""The order (电子订单): what the buyer bought, for how much, and where it goes.

Field meanings follow the China customs CEB311 ``OrderHead``/``OrderList`` (202205 XSD) so an
order can later be declared as-is; amounts obey the same identities the XSD states:
``line_total = unit_price × qty`` and
``amount_paid = goods_value + freight + tax_withheld − discount`` (``acturalPaid``).
The buyer's identity document is optional, except for imports into China.
Line totals are compared after rounding ``unit_price × qty`` half-up to the precision the
line total was given in (at least 2 places), which is how a checkout computes them.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Literal

from pydantic import Field

from cbec.errors import Violation
from cbec.trade import lenient
from cbec.trade.parties import Buyer, Consignee, check_id, check_phone
from cbec.trade.product import Attribute
from cbec.trade.types import (
    CountryCode,
    CurrencyCode,
    Document,
    HsCode,
    Key,
    Money,
    Quantity,
    Text,
    UtcDateTime,
)

IOSS_PATTERN = r"IM\d{10}"


class OrderLine(Document):
    line_no: Annotated[int, Field(ge=1, le=999)]
    sku: Key(64)
    name: Text(250)
    spec: Text(510)
    hs_code: HsCode
    origin_country: CountryCode
    unit: Text(16)
    qty: Quantity
    unit_price: Money
    line_total: Money
    barcode: Text(50) | None = None
    attributes: Annotated[list[Attribute], Field(max_length=12)] | None = None  # as on products


class Order(Document):
    platform: Text(64)
    order_no: Key(100)
    seller: Text(64) | None = None
    ordered_at: UtcDateTime
    buyer: Buyer
    consignee: Consignee
    destination_country: CountryCode
    origin_country: CountryCode
    currency: CurrencyCode
    goods_value: Money
    freight: Money
    discount: Money
    tax_withheld: Money
    amount_paid: Money
    incoterm: Literal["DDP", "DAP"]
    ioss_number: Annotated[str, Field(pattern=IOSS_PATTERN)] | None = None
    note: Text(1000) | None = None
    lines: Annotated[list[OrderLine], Field(min_length=1, max_length=999)]


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def expected_line_total(line: OrderLine) -> Decimal:
    """``unit_price × qty`` rounded half-up to the line total's precision (≥ 2 places)."""
    places = max(2, _places(line.line_total))
    return (line.unit_price * line.qty).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def _buyer_id(order: Order) -> list[Violation]:
    return check_id(order.buyer.id_type, order.buyer.id_number, "buyer.id_number")


def _buyer_id_for_cn(order: Order) -> list[Violation]:
    # China customs declares every retail import against the buyer's identity (CEB311
    # buyerIdType/buyerIdNumber are mandatory).
    if order.destination_country == "CN" and order.buyer.id_number is None:
        return [Violation("buyer.id_number", "required_for_cn_import")]
    return []


def _buyer_phone(order: Order) -> list[Violation]:
    return check_phone(order.buyer.phone, order.destination_country, "buyer.phone")


def _consignee_phone(order: Order) -> list[Violation]:
    return check_phone(order.consignee.phone, order.destination_country, "consignee.phone")


def _line_no(i: int, line: OrderLine) -> list[Violation]:
    if line.line_no != i + 1:
        return [Violation(f"lines[{i}].line_no", "line_no_sequence", {"expected": i + 1})]
    return []


def _line_total(i: int, line: OrderLine) -> list[Violation]:
    expected = expected_line_total(line)
    if line.line_total != expected:
        return [Violation(f"lines[{i}].line_total", "line_total", {"expected": expected})]
    return []


def _lines(order: Order) -> list[Violation]:
    return lenient.each(order.lines, (_line_no, _line_total))


def _goods_value(order: Order) -> list[Violation]:
    total = sum((line.line_total for line in order.lines), Decimal(0))
    if order.goods_value != total:
        return [Violation("goods_value", "goods_value_sum", {"expected": total})]
    return []


def _discount(order: Order) -> list[Violation]:
    if order.discount > order.goods_value + order.freight:
        return [Violation("discount", "discount_exceeds")]
    return []


def _amount_paid(order: Order) -> list[Violation]:
    paid = order.goods_value + order.freight + order.tax_withheld - order.discount
    if order.amount_paid != paid:
        return [Violation("amount_paid", "amount_paid_sum", {"expected": paid})]
    return []


RULES = (
    _buyer_id,
    _buyer_id_for_cn,
    _buyer_phone,
    _consignee_phone,
    _lines,
    _goods_value,
    _discount,
    _amount_paid,
)
"""The order's rules across fields, each over the fields of one relation, so that a
partial order (:mod:`cbec.trade.lenient`) is checked for every relation it can be."""


def check(order: Order) -> list[Violation]:
    """Business rules across fields; an empty list means the order is acceptable."""
    return lenient.run(RULES, order)
