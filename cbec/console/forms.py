"""What a console form says when its input is refused: each problem with the field it names
and its message in the page's language — the same violations, in the same words, as the API's
problem+json (:func:`cbec.api.errors.install`)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from cbec.errors import DocumentInvalid, Violation, path_of


def problems_of(exc: ValidationError | DocumentInvalid, lang: str) -> list[dict[str, Any]]:
    """``[{"field", "rule", "message"}]`` of a refused request, in ``lang``."""
    if isinstance(exc, DocumentInvalid):
        return exc.details(lang)
    out = []
    for err in exc.errors():
        params = {k: str(v) for k, v in (err.get("ctx") or {}).items()}
        params.setdefault("error", err.get("msg", ""))
        violation = Violation(path_of(err.get("loc", ())), err.get("type", "value_error"), params)
        out.append(violation.as_dict(lang))
    return out
