"""AliExpress Seller Center's order export (Orders → Export orders, XLSX, or the same table
saved as CSV), English headers: one row per product of an order, the order's own fields
repeated on each of its rows.

Where the column names come from: **no public source was found** — AliExpress publishes no
page listing the export's columns, and no open-source tool reading it turned up in a search
of public code (the Chinese export's headers, ``订单号`` …, could not be documented either,
so only the English one is read). The columns below are therefore **assumed**: named after
what the Seller Center's order list shows (order number, status, order and payment times,
the buyer, each product's SKU code, unit price and quantity, the product total, shipping
cost, store discount and order amount, the receiver's address), each one checked by the
file's own arithmetic where it can be, and reported as unmapped when a real export names a
column otherwise. A seller whose export differs sees ``marketplace_format_unknown`` or the
unmapped columns listed, never a silent guess.

Assumed arithmetic, checked as an oracle: ``Product Amount = Σ Unit Price × Quantity``
(``marketplace_total_mismatch`` otherwise) and ``Order Amount = Product Amount + Shipping
Cost − Store Discount`` (cbec's ``amount_paid_sum`` rule). Amounts are in ``Currency`` when
the file has the column, else in the profile's currency (AliExpress lists in US dollars).
Times are written ``2026-11-02 10:00:00`` without an offset — the Seller Center shows them
in a time zone of its own, so the profile's zone is required, never taken as UTC. An order
whose ``Order Status`` is ``Closed``/``Cancelled`` is skipped.

| column | cbec field |
| --- | --- |
| Order No. | order_no |
| Order Time (else Payment Time) | ordered_at (in the profile's zone) |
| Buyer Login ID | buyer.account_id |
| Buyer Name (else Receiver Name) | buyer.name |
| Mobile (else Phone) | buyer.phone, consignee.phone |
| Receiver Name | consignee.name |
| Address, Address 2, City, State/Province, Zip Code | consignee.address |
| Receiver Country | destination_country |
| Currency | currency |
| SKU Code | lines.sku (HS code, spec, unit, origin from the seller's catalogue) |
| Product Name, Product Attributes | lines.name |
| Quantity | lines.qty |
| Unit Price | lines.unit_price (line_total = Unit Price × Quantity) |
| Product Amount | checked: Σ lines |
| Shipping Cost | freight |
| Store Discount | discount |
| Order Amount | amount_paid |
"""

from __future__ import annotations

from decimal import Decimal

from cbec.connectors.marketplaces.core import (
    Format,
    Group,
    Profile,
    address,
    line,
    order,
    plain,
)

TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S")

MAPPING = {
    "Order No.": "order_no",
    "Order Status": "(skips Closed and Cancelled orders)",
    "Order Time": "ordered_at",
    "Payment Time": "ordered_at",
    "Buyer Login ID": "buyer.account_id",
    "Buyer Name": "buyer.name",
    "Mobile": "buyer.phone",
    "Phone": "consignee.phone",
    "Receiver Name": "consignee.name",
    "Address": "consignee.address",
    "Address 2": "consignee.address",
    "City": "consignee.address",
    "State/Province": "consignee.address",
    "Zip Code": "consignee.address",
    "Receiver Country": "destination_country",
    "Currency": "currency",
    "SKU Code": "lines.sku",
    "Product Name": "lines.name",
    "Product Attributes": "lines.name",
    "Quantity": "lines.qty",
    "Unit Price": "lines.unit_price",
    "Product Amount": "(checked)",
    "Shipping Cost": "freight",
    "Store Discount": "discount",
    "Order Amount": "amount_paid",
}

AMBIGUOUS = {
    "Order No.": "no public page documents this export's columns: all of them are assumed",
    "Store Discount": "the seller's discount on the order, taken by its magnitude",
    "Order Time": "written without an offset: read in the profile's time zone",
}

ORDER_LEVEL = frozenset(
    {"Order Time", "Buyer Login ID", "Receiver Name", "Receiver Country", "Currency"}
    | {"Product Amount", "Shipping Cost", "Store Discount", "Order Amount"}
)


def _build(g: Group, profile: Profile) -> dict:
    lines = []
    for _, row in g.records:
        sku = g.text("SKU Code", row)
        name = g.text("Product Name", row)
        attributes = g.text("Product Attributes", row, required=False)
        qty = g.money("Quantity", row)
        price = g.money("Unit Price", row)
        if sku and name and qty > 0:
            total = (price * qty).quantize(Decimal("0.01"))
            label = f"{name} ({attributes})" if attributes else name
            lines.append(line("SKU Code", sku, label[:250], qty, total, price=price))
        elif sku and qty <= 0:
            g.fail("Quantity", "marketplace_not_a_number", found=str(qty))
    goods = sum((Decimal(x["line_total"]) for x in lines), Decimal(0))
    products = g.money("Product Amount")
    if lines and not g.errors and products != goods:
        g.fail("Product Amount", "marketplace_total_mismatch", expected=plain(goods))
    receiver = g.text("Receiver Name")
    mobile = g.text("Mobile", required=False)
    phone = g.text("Phone", required=False)
    if mobile is None and phone is None:
        g.fail("Mobile", "marketplace_value_missing")
    when = "Order Time" if g.first.get("Order Time") else "Payment Time"
    return order(
        g,
        order_no=g.text("Order No."),
        ordered_at=g.time(when, TIME_FORMATS),
        buyer={
            "account_id": g.text("Buyer Login ID"),
            "name": g.text("Buyer Name", required=False) or receiver,
            "phone": mobile or phone,
        },
        consignee={
            "name": receiver,
            "phone": mobile or phone,
            "address": address(
                g.text("Address"),
                g.first.get("Address 2"),
                g.first.get("City"),
                g.first.get("State/Province"),
                g.first.get("Zip Code"),
            ),
        },
        destination=g.country("Receiver Country"),
        currency=g.currency("Currency"),
        lines=lines,
        freight=g.money("Shipping Cost", required=False),
        discount=abs(g.money("Store Discount", required=False)),
        tax=Decimal(0),
        paid=g.money("Order Amount"),
    )


def _closed(row: dict[str, str | None]) -> bool:
    status = (row.get("Order Status") or "").strip().lower()
    return status in ("closed", "order closed", "cancelled", "canceled")


FORMAT = Format(
    name="aliexpress",
    title="AliExpress Seller Center order export (English headers; columns assumed)",
    source="",  # no public page documents the export's columns (see the module's docstring)
    delimiter=",",
    key="Order No.",
    signature=frozenset({"Order No.", "SKU Code", "Product Amount", "Store Discount"}),
    mapping=MAPPING,
    build=_build,
    ambiguous=AMBIGUOUS,
    skip=_closed,
    order_level=ORDER_LEVEL,
)

FORMATS = (FORMAT,)
