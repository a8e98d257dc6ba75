"""Messages of the console's import desk (cbec.services.import_desk) and of a column
mapping (``cbec import --mapping``)."""

MESSAGES = {
    "unknown_column": "is not a field of this kind of document",
    "too_many_rows": (
        "the file has more than {limit} rows; import it through the API or cbec import"
    ),
    "mapping_length": "must name a field (or none) for each of the file's {expected} columns",
    "mapping_unreadable": "the column mapping cannot be read: {detail}",
    "mapping_not_applicable": "a column mapping applies to CSV and XLSX files only",
    "timezone_unknown": "{name} is not a time zone of the IANA database (e.g. Asia/Shanghai)",
    "timezone_not_applicable": "a time zone applies to the times of CSV and XLSX files only",
}

KIND_NAMES = {
    "import": "import",
}
