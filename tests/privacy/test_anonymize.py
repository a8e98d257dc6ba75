"""The Presidio anonymizer operator ``cbec_mask`` (cbec/privacy/scan/anonymize.py), against
Presidio's own built-in operators on the same analyzer results, and on generated texts."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

from cbec.privacy import masking
from cbec.privacy.scan import anonymize, corpus, scan

KEY = b"k" * 32
NOTE = "收件人王小明，手机 +86 138 1234 5678，身份证 11010519491231002X"
# Two values of one type that only a space separates: Presidio merges such spans by default
TWO_PHONES = "call 13812345678 13912345679 after six"


def _texts() -> list[str]:
    texts = [
        NOTE,
        TWO_PHONES,
        "Refund to GB82 WEST 1234 5698 7654 32, receipt to bob@example.co.uk",
    ]
    return texts + [t for t, labels in corpus.chinese_set(n=60, seed=5) if labels]


def _builtin(text: str, config: OperatorConfig) -> str:
    """Presidio's own engine and operator, on the spans cbec's scanner found."""
    results = [RecognizerResult(s.entity_type, s.start, s.end, s.score) for s in scan(text)]
    operators = {r.entity_type: config for r in results}
    engine = AnonymizerEngine()
    return engine.anonymize(text, results, operators, merge_entities_with_spaces=False).text


@pytest.mark.parametrize("text", _texts())
def test_full_and_redact_equal_presidios_mask_and_redact(text: str) -> None:
    spans = scan(text)
    full, _ = anonymize.anonymize(text, spans, anonymize.uniform("full"), KEY)
    mask_all = {"masking_char": "*", "chars_to_mask": 10**6, "from_end": False}
    assert full == _builtin(text, OperatorConfig("mask", mask_all))
    redacted, _ = anonymize.anonymize(text, spans, anonymize.uniform("redact"), KEY)
    assert redacted == _builtin(text, OperatorConfig("redact"))
    assert len(full) == len(text)


@pytest.mark.parametrize("text", _texts()[:12])
def test_hash_and_partial_equal_presidios_custom_operator_with_the_field_functions(text):
    """``custom`` (a lambda per span) with an HMAC computed here, and with the field masks
    cbec applies to document fields: free text masks as the fields do."""
    spans = scan(text)

    def hmac16(value: str) -> str:
        return hmac.new(KEY, b"mask\x00" + value.encode(), hashlib.sha256).hexdigest()[:16]

    hashed, _ = anonymize.anonymize(text, spans, anonymize.uniform("hash"), KEY)
    assert hashed == _builtin(text, OperatorConfig("custom", {"lambda": hmac16}))
    partial, replaced = anonymize.anonymize(text, spans, anonymize.uniform("partial"), KEY)
    for r in replaced:
        field_mask = masking.MASKERS[anonymize.mask_of(r.entity_type)]
        assert r.shown == field_mask(text[r.start : r.end])
        assert r.shown in partial


@pytest.mark.parametrize("operator", ["partial", "full", "hash", "redact"])
def test_two_values_a_space_apart_are_masked_one_by_one(operator: str) -> None:
    out, replaced = anonymize.anonymize_text(TWO_PHONES, anonymize.uniform(operator), KEY)
    assert [TWO_PHONES[r.start : r.end] for r in replaced] == ["13812345678", "13912345679"]
    assert "13812345678" not in out and "13912345679" not in out
    assert out.startswith("call ") and out.endswith(" after six")
    assert out.count(" ") == TWO_PHONES.count(" ") or operator == "redact"


def test_every_labelled_id_and_phone_of_a_generated_set_ends_up_masked() -> None:
    examples = corpus.chinese_set(n=300, seed=23)
    wanted = {"CN_RESIDENT_ID", "CN_MOBILE"}
    checked = 0
    for text, labels in examples:
        for operator in ("partial", "full", "hash", "redact"):
            out, _ = anonymize.anonymize_text(text, anonymize.uniform(operator), KEY)
            for start, end, entity in labels:
                if entity in wanted:
                    checked += 1
                    assert text[start:end] not in out, (operator, text)
    assert checked > 200  # the set is not empty of what is checked


def test_the_operator_is_presidios_and_refuses_bad_params() -> None:
    from presidio_anonymizer.entities import InvalidParamError

    engine = anonymize.engine()
    assert anonymize.OPERATOR_NAME in engine.get_anonymizers()
    result = [RecognizerResult("CN_MOBILE", 0, 11, 1.0)]
    bad = OperatorConfig(anonymize.OPERATOR_NAME, {"operator": "blur", "entity_type": "X"})
    with pytest.raises(InvalidParamError):
        engine.anonymize("13812345678", result, {"CN_MOBILE": bad})


def test_levels_pick_the_operator_per_span() -> None:
    """A reader whose policy hides sensitive values (IDs) and masks others partially."""
    out, replaced = anonymize.anonymize_text(
        NOTE, {"personal": "partial", "sensitive": "redact"}, KEY
    )
    assert out == "收件人王**，手机 +86 13*******5678，身份证 "
    assert [(r.entity_type, r.operator) for r in replaced] == [
        ("CN_PERSON", "partial"),
        ("CN_MOBILE", "partial"),
        ("CN_RESIDENT_ID", "redact"),
    ]
