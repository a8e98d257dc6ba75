"""Messages of compliance and screening: request shapes of rules, enrolments and names."""

MESSAGES = {
    "blank": {"en": "must not be blank", "zh": "不得为空白"},
    "platform_rules_not_yours": {
        "en": "the rules of platform {platform} are seen by that platform and regulators only",
        "zh": "平台 {platform} 的规则仅该平台和监管方可见",
    },
    "rule_pattern_refused": {
        "en": "rule {rule}: pattern refused: {detail}",
        "zh": "规则 {rule}：正则表达式被拒绝（需回溯，无法以线性时间匹配）：{detail}",
    },
}
