"""Messages of the API contract: request shapes every route shares (bodies, numbers, text)."""

MESSAGES = {
    "json_too_deep": {
        "en": "the JSON is nested deeper than {limit} levels",
        "zh": "JSON 嵌套超过 {limit} 层",
    },
    "integer_out_of_range": {
        "en": "must be an integer from {min} to {max}",
        "zh": "必须是 {min} 到 {max} 之间的整数",
    },
    "control_character": {
        "en": "must not contain control characters (U+0000–U+001F except tab and line breaks, "
        "U+007F–U+009F) or unpaired surrogates",
        "zh": "不得包含控制字符（除制表符和换行外的 U+0000–U+001F、U+007F–U+009F）或不成对的代理项",
    },
    "not_finite": {"en": "must be a finite number", "zh": "必须是有限数值"},
}
MESSAGES |= {
    "csv_header": {
        "en": "CSV header column {column}: {detail}",
        "zh": "CSV 表头列 {column}：{detail}",
    },
    "csv_unreadable": {
        "en": "CSV line {line} cannot be read: {detail}",
        "zh": "CSV 第 {line} 行无法读取：{detail}",
    },
}
MESSAGES |= {
    "string_unicode": {
        "en": "must be valid Unicode text (no unpaired surrogates)",
        "zh": "必须是有效的 Unicode 文本（不得含不成对的代理项）",
    },
}
MESSAGES |= {
    "request_timeout": {
        "en": "the request body did not arrive within {seconds} seconds",
        "zh": "请求正文未在 {seconds} 秒内送达",
    },
    "too_many_requests": {
        "en": "too many requests; retry after {retry_after} seconds",
        "zh": "请求过多；请在 {retry_after} 秒后重试",
    },
    "too_many_concurrent": {
        "en": "over {limit} requests of this tenant at once; retry after {retry_after} seconds",
        "zh": "该租户同时进行的请求超过 {limit} 个；请在 {retry_after} 秒后重试",
    },
}
MESSAGES |= {
    "line_too_long": {
        "en": "line {line} is longer than {limit} characters (one document per line)",
        "zh": "第 {line} 行超过 {limit} 个字符（每行一个单证）",
    },
    "not_utf8": {
        "en": "the file is not UTF-8 text ({reason}); save it as UTF-8",
        "zh": "文件不是 UTF-8 文本（{reason}）；请另存为 UTF-8",
    },
}
