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
        "en": "line {line} is not UTF-8 text; save the file as UTF-8 (JSON Lines is UTF-8 only), "
        "or name a CSV file's encoding",
        "zh": "第 {line} 行不是 UTF-8 文本；请另存为 UTF-8（JSON Lines 只能是 UTF-8），"
        "或注明 CSV 文件的编码",
    },
}
MESSAGES |= {
    "not_decodable": {
        "en": "line {line} cannot be read as {encoding}; nothing was imported — name the file's "
        "encoding with the encoding parameter",
        "zh": "第 {line} 行无法按 {encoding} 读取；未导入任何内容——请用 encoding 参数注明文件编码",
    },
    "unknown_encoding": {
        "en": "{parameter}: not a text encoding this server knows (for example utf-8, gb18030, "
        "big5)",
        "zh": "{parameter}：不是本服务器支持的文本编码（例如 utf-8、gb18030、big5）",
    },
    "encoding_undetected": {
        "en": "the file's text encoding could not be recognised; name it with {parameter} "
        "(for example gb18030)",
        "zh": "无法识别文件的文本编码；请用 {parameter} 注明（例如 gb18030）",
    },
    "encoding_not_applicable": {
        "en": "{parameter} does not apply to a {format} file (JSON Lines is UTF-8; a workbook "
        "names its own)",
        "zh": "{parameter} 不适用于 {format} 文件（JSON Lines 只能是 UTF-8；工作簿自带编码）",
    },
    "xlsx_unreadable": {
        "en": "the file cannot be read as an Excel workbook (.xlsx): {detail}",
        "zh": "文件无法作为 Excel 工作簿（.xlsx）读取：{detail}",
    },
    "xlsx_too_large": {
        "en": "the workbook unpacks to more than {limit} bytes",
        "zh": "工作簿解压后超过 {limit} 字节",
    },
}
