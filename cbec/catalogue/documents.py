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
MESSAGES |= {
    "import_in_progress": {
        "en": "this key is being filed by a bulk import still in progress; retry once it ends",
        "zh": "该键正由一项尚未完成的批量导入提交；请在导入结束后重试",
    },
    "import_withdrawn": {
        "en": "the import was withdrawn: nothing of it is kept",
        "zh": "该导入已撤回：未保留任何内容",
    },
}
