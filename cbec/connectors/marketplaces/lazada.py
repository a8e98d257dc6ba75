"""Lazada Seller Center's order export (Orders → Export, CSV or XLSX): one row per **order
item** — a unit: two of one product are two rows with their own ``Order Item Id`` and no
quantity column — the order's own fields repeated on each.

Where the column names come from: Lazada's Seller Center publishes no page listing the
export's columns (none was found). The names here are the export's headers as open-source
tools that merge these files list them — ``Order Item Id``, ``Lazada Id``, ``Seller SKU``,
``Lazada SKU``, ``Created at``, ``Updated at``, ``Order Number``, ``Customer Name``,
``Customer Email``, ``Shipping Name``, ``Shipping Address`` … ``Shipping Address5``,
``Shipping Phone Number``, ``Shipping City``, ``Shipping Postcode``, ``Shipping Country``,
``Shipping Region``, ``Billing …``, ``Payment Method``, ``Paid Price``, ``Unit Price``,
``Shipping Fee``, ``Wallet Credits``, ``Item Name``, ``Variation``, ``Tracking Code``,
``Status`` … — found by exact search of public repositories; one of them states that
"Lazada lists each unit on its own row without a quantity". The meaning of the amounts
follows the Seller Center API's order items, one per unit with its ``ItemPrice``,
``PaidPrice``, ``ShippingAmount`` and ``WalletCredits`` (``GetOrderItems``,
https://lazada-sellercenter.readme.io/docs/getorderitems).

What is assumed (:data:`AMBIGUOUS`): ``Unit Price`` is the item's listed price and ``Paid
Price`` what the buyer paid for it after the seller's and Lazada's vouchers, so ``Unit Price
− Paid Price`` is the item's discount; ``Wallet Credits`` are a means of payment inside
``Paid Price`` (not a discount); ``Shipping Fee`` is the item's share of the shipping the
buyer paid. Lazada's file has no order total: ``amount_paid = Σ Paid Price + Σ Shipping
Fee``. Rows of one order with the same ``Seller SKU`` and ``Unit Price`` make one line
(quantity: how many rows). The export names no currency (the shop's: the profile's) and
writes times without an offset, ``02 Nov 2026 10:00`` in the shop's local time (the
profile's zone); ``Shipping Country`` is a name (``Singapore``). ``Status`` is per item: a
``canceled`` row is skipped alone, the order's other items are filed.

| column | cbec field |
| --- | --- |
| Order Number | order_no |
| Created at | ordered_at (in the profile's zone) |
| Customer Email | buyer.account_id |
| Customer Name (else Shipping Name) | buyer.name |
| Billing Phone Number (else Shipping Phone Number) | buyer.phone |
| Shipping Name | consignee.name |
| Shipping Phone Number | consignee.phone |
| Shipping Address … Shipping Address5, Shipping City, Shipping Region, Shipping Postcode | consignee.address |
| Shipping Country | destination_country |
| Seller SKU | lines.sku (rows of the same SKU and price: one line, qty = rows) |
| Item Name, Variation | lines.name |
| Unit Price | lines.unit_price |
| Unit Price − Paid Price | discount |
| Shipping Fee | freight |
| Σ Paid Price + Σ Shipping Fee | amount_paid |
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

TIME_FORMATS = (
    "%d %b %Y %H:%M",
    "%d %b %Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M",
)

STREET = ("Shipping Address", *(f"Shipping Address{i}" for i in range(2, 6)))

MAPPING = {
    "Order Number": "order_no",
    "Order Item Id": "(one row per unit)",
    "Status": "(skips canceled items, each alone)",
    "Created at": "ordered_at",
    "Customer Email": "buyer.account_id",
    "Customer Name": "buyer.name",
    "Billing Phone Number": "buyer.phone",
    "Shipping Name": "consignee.name",
    "Shipping Phone Number": "consignee.phone",
    **dict.fromkeys(STREET, "consignee.address"),
    "Shipping City": "consignee.address",
    "Shipping Region": "consignee.address",
    "Shipping Postcode": "consignee.address",
    "Shipping Country": "destination_country",
    "Seller SKU": "lines.sku",
    "Item Name": "lines.name",
    "Variation": "lines.name",
    "Unit Price": "lines.unit_price",
    "Paid Price": "discount (Unit Price − Paid Price), amount_paid",
    "Shipping Fee": "freight",
}

AMBIGUOUS = {
    "Paid Price": "what the buyer paid for the item: Unit Price less vouchers",
    "Wallet Credits": "a means of payment inside Paid Price, not a discount",
    "Shipping Fee": "the item's share of the shipping the buyer paid; summed per order",
    "Created at": "written without an offset: read in the profile's time zone",
}

ORDER_LEVEL = frozenset(
    {"Created at", "Customer Email", "Customer Name", "Shipping Name", "Shipping Country"}
    | {"Shipping Address", "Shipping Phone Number"}
)


def _build(g: Group, profile: Profile) -> dict:
    lines: dict[tuple[str, Decimal], dict] = {}
    freight, discount, paid = Decimal(0), Decimal(0), Decimal(0)
    for _, row in g.records:
        sku = g.text("Seller SKU", row)
        name = g.text("Item Name", row)
        variation = g.text("Variation", row, required=False)
        price = g.money("Unit Price", row)
        charged = g.money("Paid Price", row)
        freight += g.money("Shipping Fee", row, required=False)
        if charged > price:  # paid more than the listed price: no discount to read
            g.fail("Paid Price", "marketplace_total_mismatch", expected=f"≤ {plain(price)}")
        discount += price - charged
        paid += charged
        if not (sku and name):
            continue
        same = lines.get((sku, price))
        if same is None:
            label = f"{name} ({variation})" if variation else name
            lines[sku, price] = line("Seller SKU", sku, label[:250], Decimal(1), price, price)
        else:
            qty = Decimal(same["qty"]) + 1
            same["qty"] = str(qty)
            same["line_total"] = format(price * qty, "f")
    recipient = g.text("Shipping Name")
    ship_phone = g.text("Shipping Phone Number")
    return order(
        g,
        order_no=g.text("Order Number"),
        ordered_at=g.time("Created at", TIME_FORMATS),
        buyer={
            "account_id": g.text("Customer Email"),
            "name": g.text("Customer Name", required=False) or recipient,
            "phone": g.text("Billing Phone Number", required=False) or ship_phone,
        },
        consignee={
            "name": recipient,
            "phone": ship_phone,
            "address": address(
                *(g.first.get(c) for c in STREET),
                g.first.get("Shipping City"),
                g.first.get("Shipping Region"),
                g.first.get("Shipping Postcode"),
            ),
        },
        destination=g.country("Shipping Country"),
        currency=g.currency(None),
        lines=list(lines.values()),
        freight=freight,
        discount=discount,
        tax=Decimal(0),
        paid=paid + freight,
    )


def _canceled(row: dict[str, str | None]) -> bool:
    return (row.get("Status") or "").strip().lower() in ("canceled", "cancelled")


FORMAT = Format(
    name="lazada",
    title="Lazada Seller Center order export (CSV or XLSX)",
    source="https://lazada-sellercenter.readme.io/docs/getorderitems",
    delimiter=",",
    key="Order Number",
    signature=frozenset({"Order Item Id", "Order Number", "Lazada SKU", "Paid Price"}),
    mapping=MAPPING,
    build=_build,
    ambiguous=AMBIGUOUS,
    skip=_canceled,
    order_level=ORDER_LEVEL,
    skip_items=True,
)

FORMATS = (FORMAT,)
