"""Messages of the console's import desk (cbec.services.import_desk) and of a column
mapping (``cbec import --mapping``)."""

MESSAGES = {
    "unknown_column": {
        "en": "is not a field of this kind of document",
        "zh": "不是此类单据的字段",
    },
    "too_many_rows": {
        "en": "the file has more than {limit} rows; import it through the API or cbec import",
        "zh": "文件超过 {limit} 行；请通过 API 或 cbec import 导入",
    },
    "mapping_length": {
        "en": "must name a field (or none) for each of the file's {expected} columns",
        "zh": "必须为文件的 {expected} 列逐一指定字段（或不指定）",
    },
    "mapping_unreadable": {
        "en": "the column mapping cannot be read: {detail}",
        "zh": "无法读取列对应关系：{detail}",
    },
    "mapping_not_applicable": {
        "en": "a column mapping applies to CSV and XLSX files only",
        "zh": "列对应关系仅适用于 CSV 和 XLSX 文件",
    },
}

KIND_NAMES = {
    "import": {"en": "import", "zh": "导入任务"},
}
