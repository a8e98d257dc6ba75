"""Shopee Seller Centre's order export (My Orders → Export, the ``Order.all.<dates>.xlsx``
workbook; its first sheet, or the same table saved as CSV): one row per product of an order,
the order's own fields repeated on each of its rows.

Where the column names come from: Shopee publishes no page listing the export's columns (none
was found). The names here are the English export's headers as open-source tools that read
the workbook spell them — a Shopee order-sync controller reading ``Order ID``, ``Order
Status``, ``Tracking Number*``, ``Order Creation Date``, ``Parent SKU Reference No.``, ``SKU
Reference No.``, ``Variation Name``, ``Original Price``, ``Deal Price``, ``Quantity``,
``Product Subtotal``, ``Seller Voucher``, ``Shopee Voucher``, ``Shopee Bundle Discount``,
``Seller Bundle Discount``, ``Shopee Coins Offset``, ``Credit Card Discount Total``, ``Total
Amount``, ``Buyer Paid Shipping Fee``, ``Grand Total``, ``Username (Buyer)``, ``Receiver
Name``, ``Phone Number``, ``Delivery Address``, ``Country``, ``Zip Code``, and a header list
of the same export adding ``Town``, ``District``, ``City``, ``Province`` — found by exact
search of public repositories. Their meaning follows the Shopee Open API's order income
(``buyer_total_amount = original price − seller_discount − shopee_discount −
voucher_from_seller − voucher_from_shopee − coin − payment_promotion +
buyer_paid_shipping_fee + buyer_transaction_fee + cross_border_tax``, as the
``shopee-client`` package documents it,
https://app.unpkg.com/shopee-client@1.2.2/files/lib/modules/orders/response/MyIncomeResponse.d.ts)
and sellers' help pages: SmartSeller's "Report Order Shopee"
(https://help.smartseller.co.id/report-order-shopee: ``Total Amount`` is what the customer
paid) and BigSeller's order-report guide
(https://help.bigseller.com/en_US/detailPage/10/1/801/content).

What is assumed (and reported as such, :data:`AMBIGUOUS`): ``Deal Price`` is the unit price
the buyer was charged, the seller's and Shopee's price discounts already taken off
(``Original Price − Deal Price``), so ``Product Subtotal = Deal Price × Quantity`` — cbec's
line rule checks it; vouchers, bundle discounts, coins and card discounts are the order's
(repeated on each row) and are discounts to the buyer whoever funds them; ``Delivery
Address`` is the whole address (``Town`` … ``Province`` repeat parts of it). So the file's
arithmetic, checked through cbec's ``amount_paid_sum`` rule, is ``Total Amount = Σ Product
Subtotal + Buyer Paid Shipping Fee − vouchers − bundle discounts − coins − card
discounts`` (the buyer's transaction fee and cross-border tax of the API's formula have no
column here). The export names no currency (the shop's own: the profile's) and writes times
without an offset, ``2026-11-02 10:00`` in the shop's local time (the profile's zone). An
order whose ``Order Status`` is ``Cancelled`` is skipped.

| column | cbec field |
| --- | --- |
| Order ID | order_no |
| Order Creation Date (else Order Paid Time) | ordered_at (in the profile's zone) |
| Username (Buyer) | buyer.account_id |
| Receiver Name | buyer.name (the buyer's is not exported), consignee.name |
| Phone Number | buyer.phone, consignee.phone |
| Delivery Address, Zip Code | consignee.address |
| Country | destination_country |
| SKU Reference No. (else Parent SKU Reference No.) | lines.sku |
| Product Name, Variation Name | lines.name |
| Quantity | lines.qty |
| Deal Price | lines.unit_price |
| Product Subtotal | lines.line_total |
| Buyer Paid Shipping Fee | freight |
| Seller Voucher, Shopee Voucher, Seller Bundle Discount, Shopee Bundle Discount, Shopee Coins Offset, Credit Card Discount Total | discount |
| Total Amount | amount_paid |
"""  # noqa: E501

from __future__ import annotations

from decimal import Decimal

from cbec.connectors.marketplaces.core import Format, Group, Profile, address, line, order

TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%d-%m-%Y %H:%M", "%d/%m/%Y %H:%M")

DISCOUNTS = (
    "Seller Voucher",
    "Shopee Voucher",
    "Seller Bundle Discount",
    "Shopee Bundle Discount",
    "Shopee Coins Offset",
    "Credit Card Discount Total",
)

MAPPING = {
    "Order ID": "order_no",
    "Order Status": "(skips Cancelled orders)",
    "Order Creation Date": "ordered_at",
    "Order Paid Time": "ordered_at",
    "Username (Buyer)": "buyer.account_id",
    "Receiver Name": "consignee.name",
    "Phone Number": "consignee.phone",
    "Delivery Address": "consignee.address",
    "Town": "consignee.address (inside Delivery Address)",
    "District": "consignee.address (inside Delivery Address)",
    "City": "consignee.address (inside Delivery Address)",
    "Province": "consignee.address (inside Delivery Address)",
    "Zip Code": "consignee.address",
    "Country": "destination_country",
    "SKU Reference No.": "lines.sku",
    "Parent SKU Reference No.": "lines.sku",
    "Product Name": "lines.name",
    "Variation Name": "lines.name",
    "Quantity": "lines.qty",
    "Deal Price": "lines.unit_price",
    "Original Price": "(Deal Price is charged)",
    "Product Subtotal": "lines.line_total",
    "Buyer Paid Shipping Fee": "freight",
    **dict.fromkeys(DISCOUNTS, "discount"),
    "Total Amount": "amount_paid",
}

AMBIGUOUS = {
    "Deal Price": "the unit price charged, price discounts taken off (Original Price is not)",
    "Shopee Voucher": "a discount to the buyer though Shopee funds it",
    "Shopee Coins Offset": "coins the buyer redeemed: a discount, not a payment",
    "Receiver Name": "the buyer's name is not exported; the receiver's stands for it",
    "Delivery Address": "taken as the whole address (Town … Province repeat parts of it)",
    "Order Creation Date": "written without an offset: read in the profile's time zone",
}

ORDER_LEVEL = frozenset(
    {"Order Creation Date", "Username (Buyer)", "Receiver Name", "Phone Number", "Country"}
    | {"Delivery Address", "Total Amount", "Buyer Paid Shipping Fee", *DISCOUNTS}
)


def _build(g: Group, profile: Profile) -> dict:
    lines = []
    for _, row in g.records:
        column = "SKU Reference No."  # a product without variations may have only its parent's
        if (
            not (row.get(column) or "").strip()
            and (row.get("Parent SKU Reference No.") or "").strip()
        ):
            column = "Parent SKU Reference No."
        sku = g.text(column, row)
        name = g.text("Product Name", row)
        variation = g.text("Variation Name", row, required=False)
        qty = g.money("Quantity", row)
        price = g.money("Deal Price", row)
        total = g.money("Product Subtotal", row)
        if sku and name and qty > 0:
            label = f"{name} ({variation})" if variation else name
            lines.append(line(column, sku, label[:250], qty, total, price=price))
        elif sku and qty <= 0:
            g.fail("Quantity", "marketplace_not_a_number", found=str(qty))
    discount = sum((abs(g.money(c, required=False)) for c in DISCOUNTS), Decimal(0))
    receiver = g.text("Receiver Name")
    phone = g.text("Phone Number")
    when = "Order Creation Date" if g.first.get("Order Creation Date") else "Order Paid Time"
    return order(
        g,
        order_no=g.text("Order ID"),
        ordered_at=g.time(when, TIME_FORMATS),
        buyer={"account_id": g.text("Username (Buyer)"), "name": receiver, "phone": phone},
        consignee={
            "name": receiver,
            "phone": phone,
            "address": address(g.text("Delivery Address"), g.first.get("Zip Code")),
        },
        destination=g.country("Country"),
        currency=g.currency(None),
        lines=lines,
        freight=g.money("Buyer Paid Shipping Fee", required=False),
        discount=discount,
        tax=Decimal(0),
        paid=g.money("Total Amount"),
    )


def _cancelled(row: dict[str, str | None]) -> bool:
    return (row.get("Order Status") or "").strip().lower() in ("cancelled", "canceled")


FORMAT = Format(
    name="shopee",
    title="Shopee Seller Centre order export (XLSX or CSV)",
    source="https://help.smartseller.co.id/report-order-shopee",
    delimiter=",",
    key="Order ID",
    signature=frozenset({"Order ID", "SKU Reference No.", "Deal Price", "Username (Buyer)"}),
    mapping=MAPPING,
    build=_build,
    ambiguous=AMBIGUOUS,
    skip=_cancelled,
    order_level=ORDER_LEVEL,
)

FORMATS = (FORMAT,)
