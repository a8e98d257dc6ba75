"""Messages of tax and landed cost: rule tables, the positive list, the CBEC policy."""

MESSAGES = {
    "rule_data": "{path}:{line}: {column}: {detail}",
    "tax_no_policy": "{field}: {detail}",
    "tax_not_covered": "{detail}",
    "tax_annex_format": "{detail}",
    "tax_too_large": "{field}: the amounts are too large to compute exactly ({detail})",
    "tax_order_buyer": "is not the buyer of the order named by order_id",
    "tax_order_figure": "differs from the stored order ({stored})",
    "tax_order_lines": "the stored order has {count} lines; charge each of them, in its order",
    "tax_order_currency": "the order is priced in {currency}; the quota counts RMB (CNY) orders",
    "tax_order_date": "must fall within {days} days from the order date ({from} to {to})",
    "tax_order_charged": "order {order_id} has already been charged against the buyer's quota",
}
