"""Messages of document filing: how natural keys (order numbers, transaction ids, waybill
numbers, SKUs) are spelled."""

MESSAGES = {
    "invisible_character": {
        "en": "must not contain invisible or bidirectional control characters (found {char})",
        "zh": "不得包含不可见字符或双向控制字符（发现 {char}）",
    },
    "key_blank": {"en": "must not be blank", "zh": "不得为空白"},
    "key_too_long": {
        "en": "must have at most {max_length} characters once normalised (NFKC)",
        "zh": "规范化（NFKC）后最多 {max_length} 个字符",
    },
}
