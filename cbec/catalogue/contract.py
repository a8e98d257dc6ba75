"""Messages of the API contract: request shapes every route shares (bodies, numbers, text)."""

MESSAGES = {
    "json_too_deep": "the JSON is nested deeper than {limit} levels",
    "integer_out_of_range": "must be an integer from {min} to {max}",
    "control_character": (
        "must not contain control characters (U+0000–U+001F except tab and line breaks, "
        "U+007F–U+009F) or unpaired surrogates"
    ),
    "not_finite": "must be a finite number",
}
MESSAGES |= {
    "csv_header": "CSV header column {column}: {detail}",
    "csv_unreadable": "CSV line {line} cannot be read: {detail}",
}
MESSAGES |= {
    "string_unicode": "must be valid Unicode text (no unpaired surrogates)",
}
MESSAGES |= {
    "request_timeout": "the request body did not arrive within {seconds} seconds",
    "too_many_requests": "too many requests; retry after {retry_after} seconds",
    "too_many_concurrent": (
        "over {limit} requests of this tenant at once; retry after {retry_after} seconds"
    ),
}
MESSAGES |= {
    "line_too_long": "line {line} is longer than {limit} characters (one document per line)",
    "not_utf8": (
        "line {line} is not UTF-8 text; save the file as UTF-8 (JSON Lines is UTF-8 only), or name"
        " a CSV file's encoding"
    ),
}
MESSAGES |= {
    "not_decodable": (
        "line {line} cannot be read as {encoding}; nothing was imported — name the file's encoding"
        " with the encoding parameter"
    ),
    "unknown_encoding": (
        "{parameter}: not a text encoding this server knows (for example utf-8, gb18030, big5)"
    ),
    "encoding_undetected": (
        "the file's text encoding could not be recognised; name it with {parameter} (for example "
        "gb18030)"
    ),
    "encoding_not_applicable": (
        "{parameter} does not apply to a {format} file (JSON Lines is UTF-8; a workbook names its "
        "own)"
    ),
    "xlsx_unreadable": "the file cannot be read as an Excel workbook (.xlsx): {detail}",
    "xlsx_too_large": "the workbook unpacks to more than {limit} bytes",
}
