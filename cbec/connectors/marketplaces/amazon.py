"""Amazon Seller Central order reports: tab-delimited flat files, one row per order item.

Two reports are read, told apart by their header:

* the **Order Report** (seller-fulfilled; Seller Central help "Order Report" field list,
  https://sellercentral.amazon.com/gp/help/external/201648780, and the SP-API's
  ``GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_SHIPPING`` attributes,
  https://developer-docs.amazon.com/sp-api/docs/order-reports-attributes): ``order-id``,
  ``order-item-id``, ``buyer-*`` and ``recipient-name``/``ship-address-1..3`` — the report
  that carries the consignee customs needs;
* the **All Orders Report** (Seller Central help 200547170,
  https://sellercentral.amazon.com/gp/help/external/200547170; SP-API
  ``GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL``,
  https://developer-docs.amazon.com/sp-api/docs/order-tracking-reports-attributes):
  ``amazon-order-id``, ``order-status``, ``item-status`` … Amazon states it "does not
  include customer-identifying information", so its rows are refused naming
  ``recipient-name`` (``marketplace_column_absent``) until the Order Report is used.

Times are ISO 8601 with an offset (``2026-11-02T02:00:00+00:00``, GMT). Amounts are
"aggregates of the quantity, not unit prices": ``item-price`` is the line total, the unit
price is derived. Gift wrap is a charge beside the goods, so it is freight and incidental
charges (CEB311 ``freight``, 运杂费); promotion discounts are written negative or positive
in the wild and are taken by magnitude. A row whose ``order-status`` is ``Cancelled`` is
not filed (listed as skipped). Amazon has no order total column: ``amount_paid`` is
``Σ item-price + shipping + gift wrap + taxes − promotions``.

| column | cbec field |
| --- | --- |
| order-id / amazon-order-id | order_no |
| purchase-date | ordered_at |
| buyer-email | buyer.account_id |
| buyer-name (else recipient-name) | buyer.name |
| buyer-phone-number (else ship-phone-number) | buyer.phone |
| recipient-name | consignee.name |
| ship-phone-number (else buyer-phone-number) | consignee.phone |
| ship-address-1..3, ship-city, ship-state, ship-postal-code | consignee.address |
| ship-country | destination_country |
| currency | currency |
| sku | lines.sku (HS code, spec, unit, origin from the seller's catalogue) |
| product-name | lines.name |
| quantity-purchased / quantity | lines.qty |
| item-price | lines.line_total (unit_price = item-price ÷ quantity) |
| shipping-price, gift-wrap-price | freight |
| item-tax, shipping-tax, gift-wrap-tax | tax_withheld |
| item-promotion-discount, ship-promotion-discount | discount |
"""

from __future__ import annotations

from decimal import Decimal

from cbec.connectors.marketplaces.core import Format, Group, Profile, address, line, order

TAXES = ("item-tax", "shipping-tax", "gift-wrap-tax")
CHARGES = ("shipping-price", "gift-wrap-price")
PROMOTIONS = ("item-promotion-discount", "ship-promotion-discount")

MAPPING = {
    "order-id": "order_no",
    "amazon-order-id": "order_no",
    "purchase-date": "ordered_at",
    "buyer-email": "buyer.account_id",
    "buyer-name": "buyer.name",
    "buyer-phone-number": "buyer.phone",
    "recipient-name": "consignee.name",
    "ship-phone-number": "consignee.phone",
    "ship-address-1": "consignee.address",
    "ship-address-2": "consignee.address",
    "ship-address-3": "consignee.address",
    "ship-city": "consignee.address",
    "ship-state": "consignee.address",
    "ship-postal-code": "consignee.address",
    "ship-country": "destination_country",
    "currency": "currency",
    "sku": "lines.sku",
    "product-name": "lines.name",
    "quantity-purchased": "lines.qty",
    "quantity": "lines.qty",
    "item-price": "lines.line_total",
    "shipping-price": "freight",
    "gift-wrap-price": "freight",
    "item-tax": "tax_withheld",
    "shipping-tax": "tax_withheld",
    "gift-wrap-tax": "tax_withheld",
    "item-promotion-discount": "discount",
    "ship-promotion-discount": "discount",
    "order-status": "(skips Cancelled orders)",
}

AMBIGUOUS = {
    "item-price": "the line's total for its quantity (Amazon: not a unit price)",
    "gift-wrap-price": "counted as freight and incidental charges (运杂费)",
    "item-promotion-discount": "taken by its magnitude (exports write it negative or not)",
}


def _build(g: Group, profile: Profile) -> dict:
    key = "order-id" if "order-id" in g.first else "amazon-order-id"
    qty_column = "quantity-purchased" if "quantity-purchased" in g.first else "quantity"
    lines, freight, tax, discount = [], Decimal(0), Decimal(0), Decimal(0)
    for _, row in g.records:
        for column in PROMOTIONS:
            discount += abs(g.money(column, row, required=False))
        if not (row.get("sku") or "").strip():
            continue  # a continuation row: promotions only
        for column in CHARGES:
            freight += g.money(column, row, required=False)
        for column in TAXES:
            tax += g.money(column, row, required=False)
        sku = g.text("sku", row)
        name = g.text("product-name", row)
        qty = g.money(qty_column, row)
        total = g.money("item-price", row)
        if sku and name and qty > 0:
            lines.append(line("sku", sku, name, qty, total))
        elif qty <= 0 and sku:
            g.fail(qty_column, "marketplace_not_a_number", found=str(qty))
    recipient = g.text("recipient-name")
    buyer_phone = g.text("buyer-phone-number", required=False)
    ship_phone = g.text("ship-phone-number", required=False)
    if buyer_phone is None and ship_phone is None:
        g.fail("buyer-phone-number", "marketplace_value_missing")
    street = g.text("ship-address-1")
    return order(
        g,
        order_no=g.text(key),
        ordered_at=g.time("purchase-date"),
        buyer={
            "account_id": g.text("buyer-email"),
            "name": g.text("buyer-name", required=False) or recipient,
            "phone": buyer_phone or ship_phone,
        },
        consignee={
            "name": recipient,
            "phone": ship_phone or buyer_phone,
            "address": address(
                street,
                g.first.get("ship-address-2"),
                g.first.get("ship-address-3"),
                g.first.get("ship-city"),
                g.first.get("ship-state"),
                g.first.get("ship-postal-code"),
            ),
        },
        destination=g.country("ship-country"),
        currency=g.currency("currency"),
        lines=lines,
        freight=freight,
        discount=discount,
        tax=tax,
    )


def _cancelled(row: dict[str, str | None]) -> bool:
    return (row.get("order-status") or "").strip().lower() == "cancelled"


ORDER_REPORT = Format(
    name="amazon",
    title="Amazon Seller Central Order Report",
    source="https://sellercentral.amazon.com/gp/help/external/201648780",
    delimiter="\t",
    key="order-id",
    signature=frozenset({"order-id", "order-item-id", "purchase-date", "sku"}),
    mapping=MAPPING,
    build=_build,
    ambiguous=AMBIGUOUS,
    skip=_cancelled,
    order_level=frozenset({"purchase-date", "buyer-email", "recipient-name", "ship-country"}),
)

ALL_ORDERS = Format(
    name="amazon",
    title="Amazon Seller Central All Orders Report",
    source="https://sellercentral.amazon.com/gp/help/external/200547170",
    delimiter="\t",
    key="amazon-order-id",
    signature=frozenset({"amazon-order-id", "merchant-order-id", "purchase-date", "sku"}),
    mapping=MAPPING,
    build=_build,
    ambiguous=AMBIGUOUS,
    skip=_cancelled,
    order_level=frozenset({"purchase-date", "ship-country", "currency"}),
)

FORMATS = (ORDER_REPORT, ALL_ORDERS)
