"""Use case: find personal information in free text (the core is :mod:`cbec.privacy.scan`).

A typed request (:class:`ScanRequest`: texts, an optional score threshold) gets a typed
answer (:class:`ScanResult`: one list of spans per text, in order). The limits keep one call
bounded — :data:`MAX_TEXTS` texts of at most :data:`MAX_CHARS` characters each; beyond them
the request is refused with :class:`ScanInput` (HTTP 400, CLI exit 2), which names the field
(``texts[3]``) and never quotes the text. Nothing is stored and nothing is logged: the
texts may be full of what they are scanned for.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from cbec.errors import FieldInputError

MAX_TEXTS = 1000
MAX_CHARS = 10_000


class ScanInput(FieldInputError):
    def __init__(self, field: str, detail: str) -> None:
        super().__init__(field, detail, "scan_input")


class ScanRequest(BaseModel):
    """Texts to scan (order notes, addresses, product descriptions, messages)."""

    model_config = ConfigDict(extra="forbid")

    texts: list[str] = Field(
        description=f"At most {MAX_TEXTS} texts of at most {MAX_CHARS} characters each"
    )
    threshold: float = Field(
        0.4, ge=0.0, le=1.0, description="Report findings scored at least this (0 to 1)"
    )


class FoundSpan(BaseModel):
    """``text[start:end]`` (character offsets, end exclusive) is an ``entity_type``."""

    start: int
    end: int
    entity_type: str = Field(
        description="CN_RESIDENT_ID, CN_USCC, CN_MOBILE, CN_PASSPORT, CN_BANK_CARD, "
        "CN_PERSON, CN_ADDRESS, EMAIL_ADDRESS, CREDIT_CARD, IBAN_CODE, IP_ADDRESS, URL, "
        "PHONE_NUMBER"
    )
    score: float = Field(description="Confidence, 0 to 1 (1.0: a checksum holds)")


class TextSpans(BaseModel):
    spans: list[FoundSpan]


class ScanResult(BaseModel):
    """One entry per text of the request, in its order."""

    results: list[TextSpans]


def check(request: ScanRequest) -> None:
    """Refuse a request beyond the limits, naming the field."""
    if len(request.texts) > MAX_TEXTS:
        raise ScanInput("texts", f"at most {MAX_TEXTS} texts in one request")
    for i, text in enumerate(request.texts):
        if len(text) > MAX_CHARS:
            raise ScanInput(f"texts[{i}]", f"longer than {MAX_CHARS} characters")


def scan_texts(request: ScanRequest) -> ScanResult:
    """The spans of personal information in each text of ``request``."""
    from cbec.privacy.scan import scan

    check(request)
    return ScanResult(
        results=[
            TextSpans(spans=[FoundSpan(**s.as_dict()) for s in scan(text, request.threshold)])
            for text in request.texts
        ]
    )


class Segment(BaseModel):
    """A piece of a scanned text: plain, or found to be an ``entity_type``."""

    text: str
    entity_type: str | None = None


def segments(text: str, spans: list[FoundSpan]) -> list[Segment]:
    """``text`` cut at its spans, for a page that marks them (overlaps: the first wins)."""
    out: list[Segment] = []
    at = 0
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.start < at:
            continue
        if span.start > at:
            out.append(Segment(text=text[at : span.start]))
        out.append(Segment(text=text[span.start : span.end], entity_type=span.entity_type))
        at = span.end
    if at < len(text):
        out.append(Segment(text=text[at:]))
    return out
