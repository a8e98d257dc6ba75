"""Masking free text the way cbec masks fields: a Presidio anonymizer operator.

The scanner (:mod:`cbec.privacy.scan.engine`) finds spans of personal information; here
Microsoft Presidio's ``AnonymizerEngine`` replaces them, through one operator of cbec's own
registered with it (Presidio's documented extension point, ``engine.add_anonymizer``):
``cbec_mask`` applies a cbec operator (:data:`cbec.privacy.masking.OPERATORS`) to the span, so
a resident ID in an order note is masked exactly as the order's ``buyer.id_number`` field is
(``1101**********002X``) and a name hashes to the same pseudonym in a document's note as in
its fields (texts sent to be anonymized hash under a purpose of their own,
:data:`cbec.privacy.masking.TEXT_PURPOSE`).

Each Presidio entity type is mapped to the cbec kind of value it is (:data:`ENTITY_MASKS`,
which picks the ``partial`` mask) and to its level of personal information
(:data:`SENSITIVE`: identity document numbers and financial accounts, PIPL Art. 28 and
GB/T 35273-2020 Annex B), so a reader's policy (:mod:`cbec.privacy.masking_policy`) picks
the operator per span. Presidio is imported on first use; nothing is downloaded.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from cbec.privacy import masking
from cbec.privacy.scan.model import Span

OPERATOR_NAME = "cbec_mask"
# Presidio entity type (cbec's and Presidio's own names) -> cbec kind of value (MASKERS key)
ENTITY_MASKS = {
    "CN_RESIDENT_ID": "id_number",
    "CN_PASSPORT": "account",
    "CN_BANK_CARD": "id_number",
    "CREDIT_CARD": "id_number",
    "IBAN_CODE": "id_number",
    "CN_USCC": "id_number",
    "CN_MOBILE": "phone",
    "PHONE_NUMBER": "phone",
    "CN_PERSON": "name",
    "PERSON": "name",
    "CN_ADDRESS": "address",
    "LOCATION": "address",
    "EMAIL_ADDRESS": "account",
    "IP_ADDRESS": "account",
    "URL": "account",
}
DEFAULT_MASK = "name"  # an entity type not listed: keep the first character only
SENSITIVE = frozenset({"CN_RESIDENT_ID", "CN_PASSPORT", "CN_BANK_CARD", "CREDIT_CARD", "IBAN_CODE"})

_lock = threading.Lock()


def level_of(entity_type: str) -> str:
    """``sensitive`` for identity documents and financial accounts, else ``personal``."""
    return "sensitive" if entity_type in SENSITIVE else "personal"


def mask_of(entity_type: str) -> str:
    return ENTITY_MASKS.get(entity_type, DEFAULT_MASK)


@cache
def operator_class() -> type:
    """The ``cbec_mask`` Presidio operator (built on first use: Presidio imports late).

    Params: ``operator`` (a cbec operator), ``entity_type`` (picks the partial mask),
    ``key`` (bytes) and ``purpose`` (optional) for ``hash``. ``redact`` leaves an empty
    string, as Presidio's own ``redact`` does: in text there is no null."""
    from presidio_anonymizer.operators import Operator, OperatorType

    class CbecMask(Operator):
        def operate(self, text: str = "", params: dict | None = None) -> str:
            p = params or {}
            purpose = p.get("purpose", masking.MASK_PURPOSE)
            shown = masking.apply(p["operator"], mask_of(p["entity_type"]), text, p["key"], purpose)
            return shown or ""

        def validate(self, params: dict | None = None) -> None:
            from presidio_anonymizer.entities import InvalidParamError

            p = params or {}
            if p.get("operator") not in masking.OPERATORS:
                raise InvalidParamError(f"operator must be one of {masking.OPERATORS}")
            if not isinstance(p.get("entity_type"), str):
                raise InvalidParamError("entity_type must be a string")
            if not isinstance(p.get("key"), bytes):
                raise InvalidParamError("key must be bytes")

        def operator_name(self) -> str:
            return OPERATOR_NAME

        def operator_type(self) -> Any:
            return OperatorType.Anonymize

    return CbecMask


@cache
def engine() -> Any:
    """Presidio's ``AnonymizerEngine`` with ``cbec_mask`` added, built once per process."""
    with _lock:
        from presidio_anonymizer import AnonymizerEngine

        out = AnonymizerEngine()
        out.add_anonymizer(operator_class())
        return out


@dataclass(frozen=True)
class Replaced:
    """``text[start:end]`` of the input (an ``entity_type``) is now ``shown`` (``operator``)."""

    start: int
    end: int
    entity_type: str
    operator: str
    shown: str


def anonymize(
    text: str,
    spans: list[Span],
    by_level: Mapping[str, str],
    key: bytes,
    purpose: str = masking.MASK_PURPOSE,
) -> tuple[str, list[Replaced]]:
    """``text`` with each of ``spans`` (non-overlapping, :func:`cbec.privacy.scan.resolve`)
    replaced by Presidio running ``cbec_mask`` with the operator ``by_level`` names for the
    span's level (``{"personal": "partial", "sensitive": "hash"}``); and what was replaced,
    in text order, with offsets into ``text``. ``clear`` spans are left as they are;
    ``purpose`` keys ``hash`` (:func:`cbec.privacy.masking.pseudonym`)."""
    if not spans:
        return text, []
    from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

    results = [RecognizerResult(s.entity_type, s.start, s.end, s.score) for s in spans]
    operators = {
        s.entity_type: OperatorConfig(
            OPERATOR_NAME,
            {
                "operator": by_level[level_of(s.entity_type)],
                "entity_type": s.entity_type,
                "key": key,
                "purpose": purpose,
            },
        )
        for s in spans
    }
    # One replacement per span: Presidio by default merges two spans of one type that only
    # spaces separate ("13812345678 13912345679" would become one), which would leave the
    # replacements and the spans out of step and show one mask where the reader saw two.
    done = engine().anonymize(
        text=text,
        analyzer_results=results,
        operators=operators,
        merge_entities_with_spaces=False,
    )
    replaced = [
        Replaced(s.start, s.end, s.entity_type, by_level[level_of(s.entity_type)], shown)
        for s, shown in zip(
            sorted(spans), [i.text for i in sorted(done.items, key=lambda i: i.start)], strict=True
        )
    ]
    return done.text, replaced


def anonymize_text(
    text: str,
    by_level: Mapping[str, str],
    key: bytes,
    threshold: float | None = None,
    purpose: str = masking.MASK_PURPOSE,
) -> tuple[str, list[Replaced]]:
    """:func:`anonymize` of what :func:`cbec.privacy.scan.scan` finds in ``text``."""
    from cbec.privacy.scan.engine import DEFAULT_THRESHOLD, scan

    spans = scan(text, DEFAULT_THRESHOLD if threshold is None else threshold)
    return anonymize(text, spans, by_level, key, purpose)


def uniform(operator: str) -> dict[str, str]:
    """The same ``operator`` for every level (a request naming one operator)."""
    return {"personal": operator, "sensitive": operator}
