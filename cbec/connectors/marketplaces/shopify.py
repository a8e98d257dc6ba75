"""Shopify's orders CSV export (Admin → Orders → Export): comma-separated, UTF-8, one row per
line item, the order's own fields on its first row only and blank on the others.

Column names and meanings follow Shopify's order CSV column descriptions
(https://help.shopify.com/en/manual/migrating-to-shopify/transporter-app/csv-orders), the
same headers the admin export writes. ``Created at`` is written ``2026-11-02 10:00:00
+0800`` (the shop's offset). ``Subtotal`` is the price of the items after discounts, so the
file's own arithmetic, checked here as an independent oracle, is
``Subtotal = Σ(Lineitem price × Lineitem quantity) − Discount Amount`` and
``Total = Subtotal + Shipping + Taxes`` (cbec's ``amount_paid_sum`` rule checks the latter on
the order: ``amount_paid = goods_value + freight + tax_withheld − discount``). A shop whose
prices include tax (``Taxes Included`` = true) has its ``Taxes`` inside the prices, so no tax
is added on top. An order with ``Cancelled at`` is not filed (listed as skipped).

| column | cbec field |
| --- | --- |
| Name | order_no |
| Created at (else Paid at) | ordered_at |
| Email | buyer.account_id |
| Billing Name (else Shipping Name) | buyer.name |
| Billing Phone (else Phone, Shipping Phone) | buyer.phone |
| Shipping Name | consignee.name |
| Shipping Phone (else Billing Phone, Phone) | consignee.phone |
| Shipping Address1, Shipping Address2, Shipping City, Shipping Province, Shipping Zip | consignee.address |
| Shipping Country | destination_country |
| Currency | currency |
| Lineitem sku | lines.sku (HS code, spec, unit, origin from the seller's catalogue) |
| Lineitem name | lines.name |
| Lineitem quantity | lines.qty |
| Lineitem price | lines.unit_price (line_total = price × quantity) |
| Shipping | freight |
| Taxes | tax_withheld (0 when Taxes Included) |
| Discount Amount | discount |
| Total | amount_paid |
| Subtotal | checked: Σ lines − Discount Amount |
"""  # noqa: E501

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

TIME_FORMATS = ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M:%S")

MAPPING = {
    "Name": "order_no",
    "Created at": "ordered_at",
    "Paid at": "ordered_at",
    "Email": "buyer.account_id",
    "Billing Name": "buyer.name",
    "Billing Phone": "buyer.phone",
    "Phone": "buyer.phone",
    "Shipping Name": "consignee.name",
    "Shipping Phone": "consignee.phone",
    "Shipping Address1": "consignee.address",
    "Shipping Address2": "consignee.address",
    "Shipping Street": "consignee.address",
    "Shipping City": "consignee.address",
    "Shipping Province": "consignee.address",
    "Shipping Zip": "consignee.address",
    "Shipping Country": "destination_country",
    "Currency": "currency",
    "Lineitem sku": "lines.sku",
    "Lineitem name": "lines.name",
    "Lineitem quantity": "lines.qty",
    "Lineitem price": "lines.unit_price",
    "Shipping": "freight",
    "Taxes": "tax_withheld",
    "Taxes Included": "tax_withheld",
    "Discount Amount": "discount",
    "Total": "amount_paid",
    "Subtotal": "(checked)",
    "Cancelled at": "(skips cancelled orders)",
}

AMBIGUOUS = {
    "Lineitem discount": "already inside Discount Amount; not added again",
    "Shipping Street": "Shipping Address1 and Address2 joined; used only without them",
}

ORDER_LEVEL = frozenset(
    {"Email", "Currency", "Subtotal", "Shipping", "Taxes", "Total", "Discount Amount"}
    | {"Created at", "Shipping Name", "Shipping Country", "Billing Name"}
)


def _build(g: Group, profile: Profile) -> dict:
    lines = []
    for _, row in g.records:
        sku = g.text("Lineitem sku", row)
        name = g.text("Lineitem name", row)
        qty = g.money("Lineitem quantity", row)
        price = g.money("Lineitem price", row)
        if sku and name and qty > 0:
            total = (price * qty).quantize(Decimal("0.01"))
            lines.append(line("Lineitem sku", sku, name, qty, total, price=price))
    discount = g.money("Discount Amount", required=False)
    goods = sum((Decimal(x["line_total"]) for x in lines), Decimal(0))
    subtotal = g.money("Subtotal")
    if lines and not g.errors and subtotal != goods - discount:
        g.fail("Subtotal", "marketplace_total_mismatch", expected=plain(goods - discount))
    included = (g.first.get("Taxes Included") or "").strip().lower() == "true"
    tax = Decimal(0) if included else g.money("Taxes", required=False)
    billing_phone = g.text("Billing Phone", required=False) or g.text("Phone", required=False)
    shipping_phone = g.text("Shipping Phone", required=False)
    if billing_phone is None and shipping_phone is None:
        g.fail("Shipping Phone", "marketplace_value_missing")
    consignee = g.text("Shipping Name")
    street = g.text("Shipping Address1", required=False) or g.text("Shipping Street")
    when = g.time("Created at" if g.first.get("Created at") else "Paid at", TIME_FORMATS)
    return order(
        g,
        order_no=g.text("Name"),
        ordered_at=when,
        buyer={
            "account_id": g.text("Email"),
            "name": g.text("Billing Name", required=False) or consignee,
            "phone": billing_phone or shipping_phone,
        },
        consignee={
            "name": consignee,
            "phone": shipping_phone or billing_phone,
            "address": address(
                street,
                g.first.get("Shipping Address2"),
                g.first.get("Shipping City"),
                g.first.get("Shipping Province"),
                g.first.get("Shipping Zip"),
            ),
        },
        destination=g.country("Shipping Country"),
        currency=g.currency("Currency"),
        lines=lines,
        freight=g.money("Shipping", required=False),
        discount=discount,
        tax=tax,
        paid=g.money("Total"),
    )


def _cancelled(row: dict[str, str | None]) -> bool:
    return bool((row.get("Cancelled at") or "").strip())


FORMAT = Format(
    name="shopify",
    title="Shopify orders export (CSV)",
    source="https://help.shopify.com/en/manual/migrating-to-shopify/transporter-app/csv-orders",
    delimiter=",",
    key="Name",
    signature=frozenset({"Name", "Financial Status", "Lineitem quantity", "Lineitem sku"}),
    mapping=MAPPING,
    build=_build,
    ambiguous=AMBIGUOUS,
    skip=_cancelled,
    order_level=ORDER_LEVEL,
)

FORMATS = (FORMAT,)
