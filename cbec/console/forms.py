"""What a console form says when its input is refused: each problem with the field it names
and its message in the page's language — the same violations, in the same words, as the API's
problem+json (:func:`cbec.api.errors.install`)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from cbec.errors import CbecError, DocumentInvalid, Violation, path_of


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


def refusal(exc: ValidationError | CbecError, lang: str) -> tuple[int, dict[str, Any]]:
    """The status and page context of a refused console action: the problems by field for
    invalid input (422), else the refusal's message — 403, 409 or 404 by the error's kind,
    422 for any other rule."""
    if isinstance(exc, ValidationError | DocumentInvalid):
        return 422, {"problems": problems_of(exc, lang)}
    status = {"forbidden": 403, "conflict": 409, "not_found": 404}.get(type(exc).code, 422)
    return status, {"refusal": exc.message(lang)}
