"""TikTok Shop's order export (Seller Center → Orders → Manage orders → Export, CSV or XLSX):
one row per SKU of an order, the order's fields repeated on each.

Column names are those of the Seller Center's "order SKU list" export template, as
reproduced with their descriptions in WorldFirst's guide to TikTok US Shop records
(https://amz123.com/guide/worldfirst/pcZeahOp; the export's second row sometimes holds
those descriptions, "Platform unique order ID." under ``Order ID`` — it is skipped). The
export names no currency (the shop's own: the profile's currency is used) and writes times
without an offset (``10/02/2026 10:00:00 AM``, the shop's local time: the profile's time
zone is required). The buyer's name is not exported, only ``Buyer Username``; the
recipient's name stands for it. Amounts: ``SKU Subtotal Before Discount`` is
``SKU Unit Original Price × Quantity``; platform and seller discounts on the items and on
shipping are all discounts to the buyer; ``Order Amount`` is what the buyer paid, so
``Order Amount = Σ subtotals + Original Shipping Fee + Taxes − discounts`` is the file's
arithmetic that cbec's ``amount_paid_sum`` rule checks. A ``Cancelled`` order is skipped.

| column | cbec field |
| --- | --- |
| Order ID | order_no |
| Created Time (else Paid Time) | ordered_at (in the profile's zone) |
| Buyer Username | buyer.account_id |
| Recipient | buyer.name, consignee.name |
| Phone # | buyer.phone, consignee.phone |
| Detail Address, Additional address information, City, State, Zipcode | consignee.address |
| Country | destination_country |
| Seller SKU | lines.sku (HS code, spec, unit, origin from the seller's catalogue) |
| Product Name, Variation | lines.name |
| Quantity | lines.qty |
| SKU Unit Original Price | lines.unit_price |
| SKU Subtotal Before Discount | lines.line_total |
| SKU Platform Discount, SKU Seller Discount, Shipping Fee Seller Discount, Shipping Fee Platform Discount | discount |
| Original Shipping Fee | freight |
| Taxes | tax_withheld |
| Order Amount | amount_paid |
"""  # noqa: E501

from __future__ import annotations

from decimal import Decimal

from cbec.connectors.marketplaces.core import Format, Group, Profile, address, line, order

TIME_FORMATS = ("%m/%d/%Y %I:%M:%S %p", "%d/%m/%Y %H:%M:%S", "%Y/%m/%d %H:%M:%S")

ITEM_DISCOUNTS = ("SKU Platform Discount", "SKU Seller Discount")
SHIPPING_DISCOUNTS = ("Shipping Fee Seller Discount", "Shipping Fee Platform Discount")

MAPPING = {
    "Order ID": "order_no",
    "Order Status": "(skips Cancelled orders)",
    "Created Time": "ordered_at",
    "Paid Time": "ordered_at",
    "Buyer Username": "buyer.account_id",
    "Recipient": "consignee.name",
    "Phone #": "consignee.phone",
    "Detail Address": "consignee.address",
    "Additional address information": "consignee.address",
    "City": "consignee.address",
    "State": "consignee.address",
    "Zipcode": "consignee.address",
    "Country": "destination_country",
    "Seller SKU": "lines.sku",
    "Product Name": "lines.name",
    "Variation": "lines.name",
    "Quantity": "lines.qty",
    "SKU Unit Original Price": "lines.unit_price",
    "SKU Subtotal Before Discount": "lines.line_total",
    "SKU Platform Discount": "discount",
    "SKU Seller Discount": "discount",
    "Shipping Fee Seller Discount": "discount",
    "Shipping Fee Platform Discount": "discount",
    "Original Shipping Fee": "freight",
    "Taxes": "tax_withheld",
    "Order Amount": "amount_paid",
}

AMBIGUOUS = {
    "Recipient": "the buyer's name is not exported; the recipient's stands for it",
    "SKU Platform Discount": "a discount to the buyer though the platform funds it",
    "Created Time": "written without an offset: read in the profile's time zone",
}

ORDER_LEVEL = frozenset(
    {"Created Time", "Buyer Username", "Recipient", "Country", "Order Amount", "Taxes"}
    | {"Original Shipping Fee", *SHIPPING_DISCOUNTS}
)


def _build(g: Group, profile: Profile) -> dict:
    lines, discount = [], Decimal(0)
    for _, row in g.records:
        sku = g.text("Seller SKU", row)
        name = g.text("Product Name", row)
        variation = g.text("Variation", row, required=False)
        qty = g.money("Quantity", row)
        price = g.money("SKU Unit Original Price", row)
        total = g.money("SKU Subtotal Before Discount", row)
        for column in ITEM_DISCOUNTS:
            discount += abs(g.money(column, row, required=False))
        if sku and name and qty > 0:
            label = f"{name} ({variation})" if variation else name
            lines.append(line("Seller SKU", sku, label[:250], qty, total, price=price))
    for column in SHIPPING_DISCOUNTS:
        discount += abs(g.money(column, required=False))
    recipient = g.text("Recipient")
    phone = g.text("Phone #")
    when = g.time("Created Time" if g.first.get("Created Time") else "Paid Time", TIME_FORMATS)
    return order(
        g,
        order_no=g.text("Order ID"),
        ordered_at=when,
        buyer={"account_id": g.text("Buyer Username"), "name": recipient, "phone": phone},
        consignee={
            "name": recipient,
            "phone": phone,
            "address": address(
                g.text("Detail Address"),
                g.first.get("Additional address information"),
                g.first.get("City"),
                g.first.get("State"),
                g.first.get("Zipcode"),
            ),
        },
        destination=g.country("Country"),
        currency=g.currency(None),
        lines=lines,
        freight=g.money("Original Shipping Fee", required=False),
        discount=discount,
        tax=g.money("Taxes", required=False),
        paid=g.money("Order Amount"),
    )


def _skip(row: dict[str, str | None]) -> bool:
    """A cancelled order, or the template's row of column descriptions."""
    status = (row.get("Order Status") or "").strip().lower()
    described = (row.get("Order ID") or "").strip().lower().startswith("platform unique")
    return status in ("cancelled", "canceled") or described


FORMAT = Format(
    name="tiktok",
    title="TikTok Shop order export (CSV or XLSX)",
    source="https://amz123.com/guide/worldfirst/pcZeahOp",
    delimiter=",",
    key="Order ID",
    signature=frozenset({"Order ID", "Seller SKU", "SKU Unit Original Price", "Order Amount"}),
    mapping=MAPPING,
    build=_build,
    ambiguous=AMBIGUOUS,
    skip=_skip,
    order_level=ORDER_LEVEL,
)

FORMATS = (FORMAT,)
