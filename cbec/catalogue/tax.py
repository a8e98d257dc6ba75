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
}
