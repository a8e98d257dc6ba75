"""Messages of tax and landed cost: rule tables, the positive list, the CBEC policy."""

MESSAGES = {
    "rule_data": {
        "en": "{path}:{line}: {column}: {detail}",
        "zh": "规则表 {path} 第 {line} 行 {column} 列有误：{detail}",
    },
    "tax_no_policy": {
        "en": "{field}: {detail}",
        "zh": "字段 {field}：该日期没有生效的跨境电商零售进口税收政策（{detail}）",
    },
    "tax_not_covered": {
        "en": "{detail}",
        "zh": "已加载的正面清单不涵盖该日期：{detail}",
    },
    "tax_annex_format": {
        "en": "{detail}",
        "zh": "清单附件格式无法识别：{detail}",
    },
    "tax_too_large": {
        "en": "{field}: the amounts are too large to compute exactly ({detail})",
        "zh": "字段 {field}：金额过大，无法精确计算（{detail}）",
    },
    "tax_order_buyer": {
        "en": "is not the buyer of the order named by order_id",
        "zh": "与 order_id 所指订单的购买人不一致",
    },
    "tax_order_figure": {
        "en": "differs from the stored order ({stored})",
        "zh": "与已存订单不一致（{stored}）",
    },
    "tax_order_lines": {
        "en": "the stored order has {count} lines; charge each of them, in its order",
        "zh": "已存订单有 {count} 项商品，须逐项按顺序计征",
    },
    "tax_order_currency": {
        "en": "the order is priced in {currency}; the quota counts RMB (CNY) orders",
        "zh": "该订单以 {currency} 计价；额度只计人民币订单",
    },
    "tax_order_date": {
        "en": "must fall within {days} days from the order date ({from} to {to})",
        "zh": "须在下单之日起 {days} 日内（{from} 至 {to}）",
    },
    "tax_order_charged": {
        "en": "order {order_id} has already been charged against the buyer's quota",
        "zh": "订单 {order_id} 已计入购买人额度",
    },
}
