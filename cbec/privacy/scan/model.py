"""What the scanner finds: a :class:`Span` of personal information in a text."""

from __future__ import annotations

from dataclasses import dataclass

# The entity types cbec's own recognizers report (Presidio's keep their own names:
# EMAIL_ADDRESS, CREDIT_CARD, IBAN_CODE, IP_ADDRESS, URL, PHONE_NUMBER).
CN_RESIDENT_ID = "CN_RESIDENT_ID"
CN_USCC = "CN_USCC"
CN_MOBILE = "CN_MOBILE"
CN_PASSPORT = "CN_PASSPORT"
CN_BANK_CARD = "CN_BANK_CARD"
CN_PERSON = "CN_PERSON"
CN_ADDRESS = "CN_ADDRESS"


@dataclass(frozen=True, order=True)
class Span:
    """``text[start:end]`` (character offsets, end exclusive) is an ``entity_type`` with
    confidence ``score`` in [0, 1]."""

    start: int
    end: int
    entity_type: str
    score: float

    def as_dict(self) -> dict[str, object]:
        return {
            "start": self.start,
            "end": self.end,
            "entity_type": self.entity_type,
            "score": round(self.score, 2),
        }
