"""AliExpress Open Platform order detail (``aliexpress.solution.order.info.get``) saved as
JSON — what a seller's ERP keeps of each order it fetched — read as cbec orders
(``--from aliexpress-api``). Unlike the Seller Center export (:mod:`.aliexpress`), whose
columns no page documents, every field read here is named in the platform's documentation.

Sources (the field names, their meanings, the order statuses and the time zone):

* ``aliexpress.solution.order.info.get`` — request and response fields of
  ``GlobalAeopTpOrderDetailDto`` (``receipt_address``, ``child_order_list``,
  ``order_amount``, ``logistics_amount``, ``gmt_create``, ``order_status`` …) with a sample
  response: https://api.alidayu.com/docs/api.htm?apiId=42707 (the same page is
  https://developers.aliexpress.com/en/doc.htm?docId=42707&docType=2); the Open Platform's
  generated Java SDK (``com.aliexpress.open.domain.AliexpressSolutionOrderInfoGet…``)
  carries the same descriptions, and adds ``order_discount_info`` ("order discount total
  amount (sum of the platform and seller discounts)").
* ``aliexpress.solution.order.get`` (the order list) — the order statuses
  (``PLACE_ORDER_SUCCESS``: waiting for the buyer to pay; ``IN_CANCEL``: the buyer asked to
  cancel; ``WAIT_SELLER_SEND_GOODS`` … ``RISK_CONTROL``) and "``gmt_create``: order create
  time, it's US Pacific time": https://api.alidayu.com/docs/api.htm?apiId=42270. The list's
  orders carry no receipt address, so the list alone cannot give a cbec order: the detail is
  what is read. The camelCase objects some ERPs store (``orderId``, ``gmtPayTime``,
  ``productList``) are their SDK's Java names for the list's fields, not the platform's
  response (its JSON is snake_case), and are not read either.
* "Trade API changes after Jul 12" (``FINISH`` and ``FUND_PROCESSING`` told apart only in
  the detail): https://open.alitrip.com/docs/doc.htm?articleId=114953&docType=1&treeId=504

Documented and read: every path in :data:`MAPPING`. Inferred, and reported with each import
as assumed (:data:`AMBIGUOUS`): the detail's ``gmt_create`` is in US Pacific time (the
detail states no zone for it; the list, for the same order's ``gmt_create``, states US
Pacific, and the detail's ``gmt_modified`` is "US pacific time" too) — so it is read as
``America/Los_Angeles`` and a ``--tz`` is not needed; ``init_oder_amount`` ("order amount")
is the products' total before shipping and discounts; ``order_amount`` is what the buyer
pays. These are checked on every order as the oracle: ``init_oder_amount = Σ product_price ×
product_count`` and ``order_amount = Σ products + logistics_amount − order_discount_info``
(``marketplace_total_mismatch`` naming the field otherwise). The currency is each money
object's ``currency_code``; one that differs from ``order_amount``'s refuses the order
(``marketplace_currency_mismatch``).

Skipped (never paid or being cancelled), listed with the import: ``order_status``
``PLACE_ORDER_SUCCESS`` or ``IN_CANCEL``, ``fund_status`` ``NOT_PAY``, and a ``FINISH``
order whose ``logistics_status`` is ``NO_LOGISTICS`` (closed without a shipment).

| field path | cbec field |
| --- | --- |
| id | order_no |
| gmt_create (else gmt_pay_success) | ordered_at (US Pacific time) |
| buyerloginid (else buyer_info.login_id) | buyer.account_id |
| buyer_signer_fullname (else buyer_info.first_name + last_name) | buyer.name |
| receipt_address.contact_person | consignee.name (and buyer.name when no other) |
| receipt_address.phone_country + mobile_no (else phone_number) | buyer.phone, consignee.phone |
| receipt_address.detail_address (else address), address2, city, province, zip | consignee.address |
| receipt_address.country | destination_country |
| order_amount.currency_code | currency |
| child_order_list[].sku_code, product_name, product_count | lines.sku, name, qty |
| child_order_list[].product_price.amount | lines.unit_price |
| init_oder_amount.amount | checked: Σ product_price × product_count |
| logistics_amount.amount | freight |
| order_discount_info.amount | discount |
| order_amount.amount | amount_paid, checked |
"""

from __future__ import annotations

from decimal import Decimal
from zoneinfo import ZoneInfo

from cbec.connectors.marketplaces.core import (
    Format,
    Group,
    Profile,
    address,
    line,
    order,
    plain,
)

# "it's US Pacific time" (aliexpress.solution.order.get, gmt_create); PST/PDT by the date
PACIFIC = ZoneInfo("America/Los_Angeles")
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")
ITEMS = "child_order_list"
SKU = f"{ITEMS}[].sku_code"
NAME = f"{ITEMS}[].product_name"
COUNT = f"{ITEMS}[].product_count"
PRICE = f"{ITEMS}[].product_price.amount"
PRICE_CURRENCY = f"{ITEMS}[].product_price.currency_code"
ADDRESS = "receipt_address."
TOTAL = "init_oder_amount.amount"  # sic: the platform's spelling

MAPPING = {
    "id": "order_no",
    "order_status": "(skips PLACE_ORDER_SUCCESS and IN_CANCEL)",
    "fund_status": "(skips NOT_PAY)",
    "logistics_status": "(skips a FINISH order with NO_LOGISTICS)",
    "gmt_create": "ordered_at",
    "gmt_pay_success": "ordered_at",
    "buyerloginid": "buyer.account_id",
    "buyer_info.login_id": "buyer.account_id",
    "buyer_signer_fullname": "buyer.name",
    "buyer_info.first_name": "buyer.name",
    "buyer_info.last_name": "buyer.name",
    f"{ADDRESS}contact_person": "consignee.name",
    f"{ADDRESS}phone_country": "buyer.phone",
    f"{ADDRESS}mobile_no": "buyer.phone",
    f"{ADDRESS}phone_number": "consignee.phone",
    f"{ADDRESS}detail_address": "consignee.address",
    f"{ADDRESS}address": "consignee.address",
    f"{ADDRESS}address2": "consignee.address",
    f"{ADDRESS}city": "consignee.address",
    f"{ADDRESS}province": "consignee.address",
    f"{ADDRESS}zip": "consignee.address",
    f"{ADDRESS}country": "destination_country",
    "order_amount.amount": "amount_paid",
    "order_amount.currency_code": "currency",
    TOTAL: "(checked)",
    "init_oder_amount.currency_code": "(checked)",
    "logistics_amount.amount": "freight",
    "logistics_amount.currency_code": "(checked)",
    "order_discount_info.amount": "discount",
    "order_discount_info.currency_code": "(checked)",
    SKU: "lines.sku",
    NAME: "lines.name",
    COUNT: "lines.qty",
    PRICE: "lines.unit_price",
    PRICE_CURRENCY: "(checked)",
}

AMBIGUOUS = {
    "gmt_create": (
        "the order detail states no time zone: read in US Pacific time, as the order list "
        "states for the same order's gmt_create"
    ),
    TOTAL: (
        "documented only as 'order amount': read as the products' total, checked against "
        "the sum of product_price × product_count"
    ),
    "order_discount_info.amount": (
        "'sum of the platform and seller discounts': taken as what order_amount is less "
        "than the products and logistics_amount"
    ),
}

# the checked money objects beside the order's own (currency_code must agree)
_MONEY = ("init_oder_amount", "logistics_amount", "order_discount_info")


def _same_currency(g: Group, column: str, currency: str | None, row=None) -> None:
    found = g.text(column, row, required=False)
    if found and currency and found != currency:
        g.fail(column, "marketplace_currency_mismatch", found=found[:8], expected=currency)


def _phone(g: Group) -> str | None:
    """``phone_country`` (``+34``) before the mobile number, else the phone number."""
    number = g.text(f"{ADDRESS}mobile_no", required=False)
    number = number or g.text(f"{ADDRESS}phone_number", required=False)
    if number is None:
        g.fail(f"{ADDRESS}mobile_no", "marketplace_value_missing")
        return None
    prefix = (g.text(f"{ADDRESS}phone_country", required=False) or "").lstrip("+")
    if prefix.isdigit() and not number.startswith("+"):
        return f"+{prefix} {number}"
    return number


def _buyer_name(g: Group, receiver: str | None) -> str | None:
    full = g.text("buyer_signer_fullname", required=False)
    if full:
        return full
    parts = [g.text(f"buyer_info.{p}", required=False) for p in ("first_name", "last_name")]
    return " ".join(p for p in parts if p) or receiver


def _build(g: Group, profile: Profile) -> dict:
    currency = g.currency("order_amount.currency_code")
    lines = []
    children = [row for _, row in g.records if any(k.startswith(f"{ITEMS}[].") for k in row)]
    if not children:  # an order of no products: named once, not by each product field
        g.fail(ITEMS, "marketplace_value_missing")
    for row in children:
        sku = g.text(SKU, row)
        name = g.text(NAME, row)
        before = len(g.errors)
        qty = g.money(COUNT, row)
        read = len(g.errors) == before  # a count that is no number is refused once
        price = g.money(PRICE, row)
        _same_currency(g, PRICE_CURRENCY, currency, row)
        if sku and name and qty > 0:
            total = (price * qty).quantize(Decimal("0.01"))
            lines.append(line(SKU, sku, name[:250], qty, total, price=price))
        elif sku and read and qty <= 0:
            g.fail(COUNT, "marketplace_not_a_number", found=str(qty))
    for money in _MONEY:
        _same_currency(g, f"{money}.currency_code", currency)
    goods = sum((Decimal(x["line_total"]) for x in lines), Decimal(0))
    freight = g.money("logistics_amount.amount", required=False)
    discount = abs(g.money("order_discount_info.amount", required=False))
    paid = g.money("order_amount.amount")
    products = g.money(TOTAL, required=False, default="NaN")  # absent: not checked
    if lines and not g.errors:
        if products.is_finite() and products != goods:
            g.fail(TOTAL, "marketplace_total_mismatch", expected=plain(goods))
        if paid != goods + freight - discount:
            expected = plain(goods + freight - discount)
            g.fail("order_amount.amount", "marketplace_total_mismatch", expected=expected)
    receiver = g.text(f"{ADDRESS}contact_person")
    phone = _phone(g)
    account = g.text("buyerloginid", required=False) or g.text("buyer_info.login_id")
    when = "gmt_create" if g.first.get("gmt_create") else "gmt_pay_success"
    return order(
        g,
        order_no=g.text("id"),
        ordered_at=g.time(when, TIME_FORMATS, zone=PACIFIC),
        buyer={"account_id": account, "name": _buyer_name(g, receiver), "phone": phone},
        consignee={
            "name": receiver,
            "phone": phone,
            "address": address(
                g.text(f"{ADDRESS}detail_address", required=False) or g.text(f"{ADDRESS}address"),
                g.first.get(f"{ADDRESS}address2"),
                g.first.get(f"{ADDRESS}city"),
                g.first.get(f"{ADDRESS}province"),
                g.first.get(f"{ADDRESS}zip"),
            ),
        },
        destination=g.country(f"{ADDRESS}country"),
        currency=currency,
        lines=lines,
        freight=freight,
        discount=discount,
        tax=Decimal(0),
        paid=paid,
    )


def _not_filed(row: dict[str, str | None]) -> bool:
    """Never paid, being cancelled, or closed without a shipment (see the module's doc)."""
    status = (row.get("order_status") or "").strip().upper()
    fund = (row.get("fund_status") or "").strip().upper()
    shipped = (row.get("logistics_status") or "").strip().upper()
    return (
        status in ("PLACE_ORDER_SUCCESS", "IN_CANCEL")
        or fund == "NOT_PAY"
        or (status == "FINISH" and shipped == "NO_LOGISTICS")
    )


FORMAT = Format(
    name="aliexpress-api",
    title="AliExpress Open Platform order detail (aliexpress.solution.order.info.get, JSON)",
    source="https://api.alidayu.com/docs/api.htm?apiId=42707",
    delimiter="json",
    key="id",
    signature=frozenset({"id", SKU, f"{ADDRESS}country", "order_amount.amount"}),
    mapping=MAPPING,
    build=_build,
    ambiguous=AMBIGUOUS,
    skip=_not_filed,
    by_number=True,
)

FORMATS = (FORMAT,)
