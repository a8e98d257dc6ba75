"""The small family of errors every cbec core raises, and the violations they carry.

Like python-stdnum's ``InvalidFormat``/``InvalidChecksum`` family, each error has a stable
``code``; adapters map it to an HTTP status or a CLI exit code and render the message in the
caller's language (:mod:`cbec.i18n`). A violation names the offending field as a path
(``lines[2].qty``) and the rule it broke, never the offending value, so that personal
information does not leak into error messages or logs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Violation:
    """One broken rule: ``field`` is a path such as ``lines[2].qty``; ``rule`` a catalogue code."""

    field: str
    rule: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        from cbec.i18n import render

        return render(self.rule, lang, self.params)

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        return {"field": self.field, "rule": self.rule, "message": self.message(lang)}

    def __str__(self) -> str:
        return f"{self.field}: {self.message()}"


def path_of(loc: Iterable[str | int]) -> str:
    """Render a location tuple as ``a.b[2].c`` (list indexes in brackets, 0-based)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(document)"


class CbecError(Exception):
    """Base of all expected errors. Each capability subclasses the family member that says
    what went wrong (bad input, not found, conflict …); adapters map the family member to an
    HTTP status (``cbec.api.errors.HTTP_STATUS``) or a CLI exit code, never the subclass."""

    code = "bad_request"

    def __init__(self, rule: str | None = None, params: dict[str, Any] | None = None) -> None:
        self.rule = rule or self.code
        self.params = params or {}
        super().__init__(self.message())

    def message(self, lang: str = "en") -> str:
        from cbec.i18n import render

        return render(self.rule, lang, self.params)

    def details(self, lang: str = "en") -> list[dict[str, Any]]:
        return []


class DocumentInvalid(CbecError):
    """The input broke one or more rules; nothing was written."""

    code = "validation_failed"

    def __init__(self, violations: Sequence[Violation]) -> None:
        self.violations = list(violations)
        super().__init__("validation_failed", {"count": len(self.violations)})

    def details(self, lang: str = "en") -> list[dict[str, Any]]:
        return [v.as_dict(lang) for v in self.violations]

    def __str__(self) -> str:
        return "; ".join(str(v) for v in self.violations)


class Conflict(CbecError):
    """The natural key (or idempotency key) exists with different content."""

    code = "conflict"

    def __init__(self, rule: str, params: dict[str, Any], differences: Sequence[str] = ()) -> None:
        self.differences = list(differences)
        super().__init__(rule, params)

    def details(self, lang: str = "en") -> list[dict[str, Any]]:
        from cbec.i18n import render

        return [
            {"field": f, "rule": "differs", "message": render("differs", lang, {})}
            for f in self.differences
        ]


class NotFound(CbecError):
    code = "not_found"


class Forbidden(CbecError):
    code = "forbidden"


class Unauthenticated(CbecError):
    code = "unauthenticated"


class PayloadTooLarge(CbecError):
    code = "payload_too_large"


class BadRequest(CbecError):
    code = "bad_request"


class FieldInputError(BadRequest, ValueError):
    """An input a pure core refuses (the tax cores, the transfer route engine): ``field``
    names it as a path (``lines[1].qty``), ``detail`` says which rule it broke — never the
    value, so nothing personal reaches a message or a log. Also a ``ValueError``, so a Python
    caller that catches ``ValueError`` keeps working. Subclasses set their rule code."""

    def __init__(self, field: str, detail: str, rule: str) -> None:
        self.field, self.detail = field, detail
        super().__init__(rule, {"field": field, "detail": detail})

    def details(self, lang: str = "en") -> list[dict[str, Any]]:
        return [{"field": self.field, "rule": self.rule, "message": self.detail}]


class RequestTimeout(CbecError):
    """The client stopped sending its body (RFC 9110 §15.5.9: 408, and close the connection)."""

    code = "request_timeout"


class TooManyRequests(CbecError):
    """Over the tenant's request rate or concurrency limit (RFC 6585 §4: 429); ``retry_after``
    seconds go into the ``Retry-After`` header (RFC 9110 §10.2.3)."""

    code = "too_many_requests"

    def __init__(self, rule: str, params: dict[str, Any], retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(rule, {**params, "retry_after": retry_after})


class Busy(CbecError):
    """The database is taken by other writers for longer than the busy timeout (RFC 9110
    §15.6.4: 503, with ``Retry-After``); nothing was written."""

    code = "busy"


class Unavailable(CbecError):
    """What was asked needs something this deployment does not have installed (RFC 9110
    §15.6.4: 503 — the operator can provide it; retrying alone will not help)."""

    code = "unavailable"


class SchemaTooNew(CbecError):
    """The database's schema is at a revision this program's migrations do not know: a newer
    release upgraded it. Nothing is migrated or served; the operator runs that release or
    restores the backup taken before the upgrade."""

    code = "schema_too_new"

    def __init__(self, revision: str, head: str) -> None:
        self.revision = revision
        self.head = head
        super().__init__(self.code, {"revision": revision, "head": head})


class KeysMismatch(CbecError):
    """The process's keys are not the deployment's keys the database records (or there are
    none yet): it must not read or write. The message names each key that is missing or
    different by purpose and fingerprint — never the key — and how to supply it."""

    code = "keys_mismatch"


class BackupRefused(CbecError):
    """``cbec admin backup`` or ``restore`` will not go on: the destination exists, the
    backup is incomplete, altered, from a newer schema or other keys, the target database is
    not empty, or what was loaded is not what the manifest says. The message names which."""

    code = "backup_refused"
