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
    attributes: Annotated[list[Attribute], Field(max_length=9)] | None = None  # as on products


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


def check(order: Order) -> list[Violation]:
    """Business rules across fields; an empty list means the order is acceptable."""
    out: list[Violation] = []
    region = order.destination_country
    out += check_id(order.buyer.id_type, order.buyer.id_number, "buyer.id_number")
    if order.destination_country == "CN" and order.buyer.id_number is None:
        # China customs declares every retail import against the buyer's identity (CEB311
        # buyerIdType/buyerIdNumber are mandatory).
        out.append(Violation("buyer.id_number", "required_for_cn_import"))
    out += check_phone(order.buyer.phone, region, "buyer.phone")
    out += check_phone(order.consignee.phone, region, "consignee.phone")
    total = Decimal(0)
    for i, line in enumerate(order.lines):
        if line.line_no != i + 1:
            out.append(Violation(f"lines[{i}].line_no", "line_no_sequence", {"expected": i + 1}))
        expected = expected_line_total(line)
        if line.line_total != expected:
            out.append(Violation(f"lines[{i}].line_total", "line_total", {"expected": expected}))
        total += line.line_total
    if order.goods_value != total:
        out.append(Violation("goods_value", "goods_value_sum", {"expected": total}))
    if order.discount > order.goods_value + order.freight:
        out.append(Violation("discount", "discount_exceeds"))
    paid = order.goods_value + order.freight + order.tax_withheld - order.discount
    if order.amount_paid != paid:
        out.append(Violation("amount_paid", "amount_paid_sum", {"expected": paid}))
    return out
