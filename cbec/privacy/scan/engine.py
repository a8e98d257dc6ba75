"""The scanner: one Presidio ``AnalyzerEngine`` with pattern and checksum recognizers only.

Nothing is downloaded, ever. Presidio's default NLP engine loads a spaCy model that is not
on PyPI, so the analyzer runs on Presidio's ``NoOpNlpEngine`` (no model, no tokens): every
recognizer here is self-contained, and context words are handled inside cbec's recognizers
(:func:`cbec.privacy.scan.chinese.find_passports`). Presidio's ``EmailRecognizer`` checks
the domain with ``tldextract``, whose default extractor fetches the public suffix list over
the network on first use; cbec's subclass uses an extractor with no URLs and no cache
directory, i.e. the snapshot bundled in the tldextract wheel.

Presidio and its dependencies are imported on the first scan, not when cbec starts.

One pass covers Chinese and English text alike (one Presidio language key, ``"en"``): the
global recognizers (email, credit card, IBAN, IP, URL, phone numbers of other regions) and
cbec's Chinese ones run on every text. Overlapping findings are resolved to the strongest:
higher score, then the more specific type (:data:`PRIORITY`), then the longer span.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from functools import cache
from typing import Any

from cbec.privacy.scan import chinese
from cbec.privacy.scan.model import Span

LANGUAGE = "en"
DEFAULT_THRESHOLD = 0.4
# Which type wins an overlap of equal score: checksum-backed national identifiers first.
PRIORITY = (
    "CN_RESIDENT_ID",
    "CN_USCC",
    "CN_BANK_CARD",
    "CREDIT_CARD",
    "IBAN_CODE",
    "CN_MOBILE",
    "CN_PASSPORT",
    "EMAIL_ADDRESS",
    "URL",
    "IP_ADDRESS",
    "PHONE_NUMBER",
    "CN_ADDRESS",
    "CN_PERSON",
)
# Other regions' phone numbers (Presidio's phonenumbers-based recognizer; CN is cbec's own):
# numbers written internationally (+44 …, +852 …) are found whatever the region, national
# formats only for these. Each region is one more pass of phonenumbers' matcher over the
# text, the dearest recognizer by far, so the list is short.
PHONE_REGIONS = ("US", "GB")

_lock = threading.Lock()


def _offline_email_recognizer() -> Any:
    import tldextract
    from presidio_analyzer.predefined_recognizers import EmailRecognizer

    extractor = tldextract.TLDExtract(
        cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True
    )

    class OfflineEmailRecognizer(EmailRecognizer):
        """Presidio's email recognizer with the bundled public suffix snapshot only."""

        def validate_result(self, pattern_text: str) -> bool:
            return extractor(pattern_text).fqdn != ""

    return OfflineEmailRecognizer(supported_language=LANGUAGE)


def _guarded(recognizer: Any, needs: re.Pattern[str]) -> Any:
    """``recognizer`` run only on texts where ``needs`` finds something: a cheap test that
    every match of its own (dearer) patterns passes, so nothing it could find is lost."""
    analyze = recognizer.analyze

    def guarded(text: str, entities: list[str], nlp_artifacts: Any = None) -> list:
        return analyze(text, entities, nlp_artifacts) if needs.search(text) else []

    recognizer.analyze = guarded
    return recognizer


# What a match of each global recognizer cannot do without. Phone: seven digits however
# separated (no number is shorter); card: twelve; IBAN: country letters then check digits;
# IP: a dotted quad's first dot or a colon between hex digits; URL: a dot between word
# characters; email: an at sign.
_NEEDS_PHONE = re.compile(r"(?:[0-9][^0-9]{0,3}){7}")
_NEEDS_CARD = re.compile(r"(?:[0-9][ -]?){12}")
_NEEDS_IBAN = re.compile(r"[A-Za-z]{2}[0-9]{2}")
_NEEDS_IP = re.compile(r"[0-9]\.[0-9]|[0-9A-Fa-f]:[0-9A-Fa-f:]")
_NEEDS_URL = re.compile(r"\w\.\w")
_NEEDS_EMAIL = re.compile(r"@")
_WARM_UP = (
    "a@example.com 4111 1111 1111 1111 GB82 WEST 1234 5698 7654 32 10.0.0.1 "
    "https://example.com +44 20 7946 0958 收件人王小明 浙江省杭州市西湖区文三路1号"
)


class _NoContextEnhancer:
    """Presidio's context step, left out: with no NLP model there are no tokens or lemmas to
    find context words in (the default enhancer would only deep-copy every result); cbec's
    recognizers that need context look for it themselves."""

    def enhance_using_context(self, text: str, raw_results: list, *args: Any, **kw: Any) -> list:
        return raw_results


def _cbec_recognizer(finder: Any) -> Any:
    from presidio_analyzer import EntityRecognizer, RecognizerResult

    entity = finder.__name__

    class CbecRecognizer(EntityRecognizer):
        def load(self) -> None:
            return None

        def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list:
            return [RecognizerResult(s.entity_type, s.start, s.end, s.score) for s in finder(text)]

    entities = {
        "find_resident_ids": ["CN_RESIDENT_ID"],
        "find_uscc": ["CN_USCC"],
        "find_bank_cards": ["CN_BANK_CARD"],
        "find_mobiles": ["CN_MOBILE"],
        "find_passports": ["CN_PASSPORT"],
        "find_names": ["CN_PERSON"],
        "find_addresses": ["CN_ADDRESS"],
    }[entity]
    return CbecRecognizer(
        supported_entities=entities, name=f"cbec.{entity}", supported_language=LANGUAGE
    )


@cache
def analyzer() -> Any:
    """The analyzer, built once per process (thread-safe)."""
    with _lock:
        import logging

        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.nlp_engine import NoOpNlpEngine
        from presidio_analyzer.predefined_recognizers import (
            CreditCardRecognizer,
            IbanRecognizer,
            IpRecognizer,
            PhoneRecognizer,
            UrlRecognizer,
        )

        logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
        registry = RecognizerRegistry(supported_languages=[LANGUAGE])
        for recognizer, needs in (
            (_offline_email_recognizer(), _NEEDS_EMAIL),
            (CreditCardRecognizer(supported_language=LANGUAGE), _NEEDS_CARD),
            (IbanRecognizer(supported_language=LANGUAGE), _NEEDS_IBAN),
            (IpRecognizer(supported_language=LANGUAGE), _NEEDS_IP),
            (UrlRecognizer(supported_language=LANGUAGE), _NEEDS_URL),
            (
                PhoneRecognizer(supported_language=LANGUAGE, supported_regions=PHONE_REGIONS),
                _NEEDS_PHONE,
            ),
        ):
            registry.add_recognizer(_guarded(recognizer, needs))
        for finder in chinese.CHINESE_FINDERS:
            registry.add_recognizer(_cbec_recognizer(finder))
        nlp = NoOpNlpEngine(models=[{"lang_code": LANGUAGE, "model_name": "none"}])
        engine = AnalyzerEngine(
            registry=registry,
            nlp_engine=nlp,
            supported_languages=[LANGUAGE],
            context_aware_enhancer=_NoContextEnhancer(),
        )
        # Compile every recognizer's patterns now, not on the first text that needs them.
        engine.analyze(_WARM_UP, language=LANGUAGE)
        return engine


def _rank(span: Span) -> tuple[float, int, int]:
    order = PRIORITY.index(span.entity_type) if span.entity_type in PRIORITY else len(PRIORITY)
    return (-span.score, order, -(span.end - span.start))


def resolve(spans: Iterable[Span]) -> list[Span]:
    """Non-overlapping spans, the strongest kept, in text order."""
    kept: list[Span] = []
    for span in sorted(spans, key=_rank):
        if all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return sorted(kept)


def scan(text: str, threshold: float = DEFAULT_THRESHOLD) -> list[Span]:
    """The personal information in ``text``: spans with character offsets (end exclusive),
    entity type and score, at or above ``threshold``, not overlapping."""
    if not text:
        return []
    results = analyzer().analyze(text=text, language=LANGUAGE, score_threshold=threshold)
    return resolve(
        Span(r.start, r.end, r.entity_type, float(r.score)) for r in results if r.score >= threshold
    )
