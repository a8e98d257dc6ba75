"""Messages of the algorithm registry (:mod:`cbec.governance`): the record's rules beyond its
types, and the name of its kind."""

MESSAGES = {
    "algorithm_type_unknown": "must be one of the five algorithm types: {expected}",
    "parameter_rank_repeated": "another main parameter has this rank",
    "sensitive_basis_missing": "a source of sensitive personal information names its lawful basis",
    "non_profiling_undescribed": "an available option not based on profiling must be described",
    "pdf_font_missing": (
        "no font that renders Chinese is installed: install one (Debian: fonts-wqy-zenhei or "
        "fonts-noto-cjk) or set CBEC_PDF_FONT to a TrueType or OpenType file"
    ),
}

KIND_NAMES = {"algorithm": "algorithm record"}
