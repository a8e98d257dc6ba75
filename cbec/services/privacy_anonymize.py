"""Use case: mask the personal information in free text as cbec masks document fields.

A typed request (:class:`AnonymizeRequest`: texts, one operator — ``partial``, ``full``,
``hash`` or ``redact``, :mod:`cbec.privacy.masking` — and the scanner's threshold) gets a
typed answer (:class:`AnonymizeResult`: per text, the anonymized text and each span replaced,
with its offsets in the input and what it became). The spans are the scanner's
(:mod:`cbec.services.privacy_scan`, same limits, same :class:`ScanInput` refusals naming
the field); the replacement is Presidio's ``AnonymizerEngine`` running cbec's ``cbec_mask``
operator (:mod:`cbec.privacy.scan.anonymize`). ``hash`` is keyed with the deployment's
keyed-hash key under a purpose of its own (:data:`cbec.privacy.masking.TEXT_PURPOSE`): the
same value gives the same pseudonym in every text, but never the pseudonym a document shows
— else any tenant could hash a guess here and compare it with a document it reads masked
(:mod:`cbec.tenancy.access`: a tenant never learns what it may not read). Nothing is stored
and nothing is logged.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from cbec.privacy import masking
from cbec.services.privacy_scan import MAX_CHARS, MAX_TEXTS, ScanInput, ScanRequest, check
from cbec.store.repository import UnitOfWork

__all__ = ["AnonymizeRequest", "AnonymizeResult", "ScanInput", "anonymize_texts"]

Operator = Literal["partial", "full", "hash", "redact"]
_SURROGATE = re.compile("[\ud800-\udfff]")


def _unicode(value: str) -> str:
    """Refuse half a UTF-16 pair (JSON's ``\\ud800``): the answer echoes the text, and
    UTF-8 cannot carry it (RFC 8259 §8.2)."""
    if _SURROGATE.search(value):
        raise PydanticCustomError(
            "string_unicode", "must be valid Unicode text (no unpaired surrogates)"
        )
    return value


Unicode = Annotated[str, AfterValidator(_unicode)]


class AnonymizeRequest(BaseModel):
    """Texts to mask (order notes, addresses, messages) and the operator to mask them with."""

    model_config = ConfigDict(extra="forbid")

    texts: list[Unicode] = Field(
        description=f"At most {MAX_TEXTS} texts of at most {MAX_CHARS} characters each"
    )
    operator: Operator = Field(
        "partial",
        description="partial: the field masks (head and tail kept, length kept); full: every "
        "character masked; hash: a keyed pseudonym (the same value, the same text); redact: "
        "removed",
    )
    threshold: float = Field(
        0.4, ge=0.0, le=1.0, description="Mask findings scored at least this (0 to 1)"
    )


class ReplacedSpan(BaseModel):
    """``text[start:end]`` of the input (character offsets, end exclusive), an
    ``entity_type``, is ``shown`` in the anonymized text."""

    start: int
    end: int
    entity_type: str
    operator: Operator
    shown: str = Field(description="What replaced it (empty when redacted)")


class AnonymizedText(BaseModel):
    text: str = Field(description="The input with every span replaced")
    replaced: list[ReplacedSpan]


class AnonymizeResult(BaseModel):
    """One entry per text of the request, in its order."""

    results: list[AnonymizedText]


def anonymize_texts(uow: UnitOfWork, request: AnonymizeRequest) -> AnonymizeResult:
    """Each text of ``request`` with the personal information found in it masked by the
    request's operator. Reads no tenant's data (the texts are the caller's own), so it takes
    no caller: the unit of work gives the keyed-hash key only."""
    from cbec.privacy.scan import anonymize

    check(ScanRequest(texts=request.texts, threshold=request.threshold))
    by_level = anonymize.uniform(request.operator)
    out = []
    for text in request.texts:
        shown, replaced = anonymize.anonymize_text(
            text, by_level, uow.vault.hmac_key, request.threshold, masking.TEXT_PURPOSE
        )
        out.append(
            AnonymizedText(
                text=shown,
                replaced=[
                    ReplacedSpan(
                        start=r.start,
                        end=r.end,
                        entity_type=r.entity_type,
                        operator=request.operator,
                        shown=r.shown,
                    )
                    for r in replaced
                ],
            )
        )
    return AnonymizeResult(results=out)
