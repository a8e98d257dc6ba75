"""The free-text PII scanner's pure core (cbec.privacy.scan): recognizers, overlaps, the
measured goals on the labelled sets, and that nothing is ever downloaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cbec.privacy.scan import Span, chinese, resolve, scan
from cbec.privacy.scan.corpus import (
    chinese_set,
    english_set,
    evaluate,
    invalid_resident_ids,
    valid_resident_ids,
)

ROOT = Path(__file__).resolve().parents[2]


def found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.entity_type) for s in scan(text)]


def test_checksum_valid_resident_ids_are_all_found_in_sentences() -> None:
    ids = valid_resident_ids(500)
    for number in ids:
        for text in (f"身份证号{number}，谢谢", f"ID: {number}", number):
            assert (number, "CN_RESIDENT_ID") in found(text), text


def test_resident_ids_with_a_wrong_check_digit_are_reported_as_nothing() -> None:
    for number in invalid_resident_ids(500):
        assert scan(f"身份证号{number}，谢谢") == [], number


def test_identifiers_with_checksums() -> None:
    text = "税号91350100M000100Y43，卡号6222021234567890128，错卡6222021234567890127"
    assert found(text) == [
        ("91350100M000100Y43", "CN_USCC"),
        ("6222021234567890128", "CN_BANK_CARD"),
    ]
    assert found("税号91350100M000100Y44") == []


@pytest.mark.parametrize(
    "number",
    ["13812345678", "+86 138 1234 5678", "+8613812345678", "138-1234-5678", "0086 13812345678"],
)
def test_mainland_mobiles_in_their_usual_forms(number: str) -> None:
    assert found(f"电话{number}，谢谢") == [(number, "CN_MOBILE")]


def test_not_mobiles() -> None:
    # No 120 mobile prefix (Presidio's other-region phone recognizer may still see a number).
    assert "CN_MOBILE" not in [t for _, t in found("电话12012345678")]
    assert found("订单号1381234567890") == []  # too long


def test_passport_needs_its_context_word() -> None:
    assert found("护照号E12345678") == [("E12345678", "CN_PASSPORT")]
    assert found("passport: EA1234567") == [("EA1234567", "CN_PASSPORT")]
    assert found("货号E12345678") == []  # the shape alone stays under the threshold
    assert [s.score for s in chinese.find_passports("货号E12345678")] == [0.3]


def test_names_and_addresses() -> None:
    text = "收件人王小明，地址浙江省杭州市西湖区文三路90号3号楼501室；欧阳娜娜女士"
    assert found(text) == [
        ("王小明", "CN_PERSON"),
        ("浙江省杭州市西湖区文三路90号3号楼501室", "CN_ADDRESS"),
        ("欧阳娜娜", "CN_PERSON"),
    ]
    assert found("我们在上海市有仓库") == []  # a city is not a precise location


def test_offsets_are_characters_end_exclusive_across_scripts() -> None:
    text = "客户 bob@example.com 买了😀，电话13812345678"
    spans = scan(text)
    assert [(s.entity_type, text[s.start : s.end]) for s in spans] == [
        ("EMAIL_ADDRESS", "bob@example.com"),
        ("CN_MOBILE", "13812345678"),
    ]
    assert spans[-1].end == len(text)


def test_presidio_global_recognizers() -> None:
    text = (
        "card 4111 1111 1111 1111, IBAN GB82 WEST 1234 5698 7654 32, "
        "call +44 20 7946 0958, from 203.0.113.9 see https://shop.example.com/o/1"
    )
    assert [t for _, t in found(text)] == [
        "CREDIT_CARD",
        "IBAN_CODE",
        "PHONE_NUMBER",
        "IP_ADDRESS",
        "URL",
    ]


def test_overlaps_keep_the_strongest() -> None:
    spans = [
        Span(0, 18, "CN_BANK_CARD", 1.0),
        Span(0, 18, "CN_RESIDENT_ID", 1.0),
        Span(5, 9, "PHONE_NUMBER", 0.4),
        Span(20, 25, "CN_PERSON", 0.7),
    ]
    assert resolve(spans) == [Span(0, 18, "CN_RESIDENT_ID", 1.0), Span(20, 25, "CN_PERSON", 0.7)]


def test_empty_and_plain_texts() -> None:
    assert scan("") == []
    assert scan("请备注颜色和尺码，默认发黑色M码") == []


@pytest.mark.parametrize("name,examples", [("zh", chinese_set()), ("en", english_set())])
def test_f2_goal_on_the_labelled_sets(name: str, examples: list) -> None:
    scores = evaluate(examples, scan)
    overall = scores["ALL"]
    assert overall.f2 >= 0.85, (name, overall)
    for entity in ("CN_RESIDENT_ID", "CN_USCC", "PAYMENT_CARD"):
        if entity in scores:
            assert scores[entity].fp == 0, (name, entity, scores[entity])


OFFLINE = r"""
import json, socket, sys

def refuse(*args, **kwargs):
    raise OSError("network access attempted")

socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse

from cbec.privacy.scan import scan

texts = [
    "write to bob@example.co.uk or 王小明 <wang@example.com.cn>",
    "https://shop.example.com/o/1 and 收件人李雷，电话13812345678",
]
print(json.dumps([[s.as_dict() for s in scan(t)] for t in texts]))
"""


def test_scanning_never_touches_the_network(tmp_path: Path) -> None:
    # A fresh interpreter with sockets refused and an empty home and cache: no state of this
    # process (a loaded suffix list, a tldextract cache on disk) can hide a download.
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "HOME": str(tmp_path),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "TLDEXTRACT_CACHE": str(tmp_path / "tld"),
    }
    out = subprocess.run(
        [sys.executable, "-c", OFFLINE], env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    first, second = json.loads(out.stdout)
    assert [s["entity_type"] for s in first] == ["EMAIL_ADDRESS", "EMAIL_ADDRESS"]
    assert [s["entity_type"] for s in second] == ["URL", "CN_PERSON", "CN_MOBILE"]
    assert not (tmp_path / "tld").exists()


def test_the_cli_does_not_import_presidio_to_start() -> None:
    code = (
        "import sys, cbec.cli.main; "
        "print('presidio_analyzer' in sys.modules, 'spacy' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.stdout.split() == ["False", "False"], out.stderr
