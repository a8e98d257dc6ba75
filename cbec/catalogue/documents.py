"""Messages of document filing: how natural keys (order numbers, transaction ids, waybill
numbers, SKUs) are spelled."""

MESSAGES = {
    "invisible_character": (
        "must not contain invisible or bidirectional control characters (found {char})"
    ),
    "key_blank": "must not be blank",
    "key_too_long": "must have at most {max_length} characters once normalised (NFKC)",
}
MESSAGES |= {
    "import_in_progress": (
        "this key is being filed by a bulk import still in progress; retry once it ends"
    ),
    "import_withdrawn": "the import was withdrawn: nothing of it is kept",
}
