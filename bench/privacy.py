"""Free-text personal-information scanning: precision, recall and F2 on the labelled sets,
and short texts scanned per second on one core.

This script measures :func:`cbec.privacy.scan.scan` three ways:

(a) **Quality** on the sets of :mod:`cbec.privacy.scan.corpus` — the generated Chinese set
    (names, addresses, resident IDs, mobiles, USCCs, bank cards, passports in order-note and
    message templates, with wrong-check-digit look-alikes, order and tracking numbers as
    negatives) and the English set (emails, cards, IBANs, phones, IPs, URLs; English names
    present but unlabelled, since a pattern-only scanner finds none) — per entity type and
    overall, exact span and type. Plus, on 1,000 resident IDs each, the recall of
    checksum-valid ones and the reports of ones with a wrong check digit.
(b) **The alternatives weighed** for Chinese names (jieba part-of-speech ``nr`` against the
    surname-and-context rule cbec keeps) and addresses (cpca against the region-table rule),
    each alone on its entity; shown only where jieba and cpca are installed (they are not
    cbec dependencies: ``pip install jieba cpca``).
(c) **Texts per second**: the short texts of both sets (median length printed), scanned
    one at a time, best of ``--repeats`` passes, after one warm-up scan that builds the
    analyzer (its time printed too). Pass ``--one-core`` to pin the process to one CPU.

(d) With ``--reencrypt [FIELDS]`` (100,000 unless given) it measures instead a data key
    rotation's re-encryption over that many sealed fields while a writer files orders
    (:mod:`privacy_rotation`, whose goal is the writer's p99 during it ≤ 250 ms), on SQLite
    and, with ``--database-url``, on that PostgreSQL database too (its schema is emptied).

Goals: **F2 ≥ 0.85 overall** on each set, **recall 1.0 of checksum-valid resident IDs and
no report of a wrong-check-digit one**, and **≥ 2,000 short texts/s on one core**.

Usage::

    .venv/bin/python bench/privacy.py [--one-core] [--repeats 3] [--seed 17] [--texts 600]
    .venv/bin/python bench/privacy.py --reencrypt [1000000] [--database-url URL]
        [--batch 500] [--cipher sm4-gcm|aes-256-gcm] [--writer-orders 200]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cbec.privacy.scan import (
    Span,
    chinese,
    scan,
)
from cbec.privacy.scan.corpus import (
    Score,
    chinese_set,
    english_set,
    evaluate,
    invalid_resident_ids,
    valid_resident_ids,
)
from cbec.privacy.scan.model import CN_ADDRESS, CN_PERSON

GOAL_F2 = 0.85
GOAL_RATE = 2_000


def _v(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def show(title: str, scores: dict[str, Score]) -> None:
    print(title)
    for entity, s in scores.items():
        print(
            f"  {entity:15} tp {s.tp:4}  fp {s.fp:3}  fn {s.fn:3}  precision {s.precision:.3f}"
            f"  recall {s.recall:.3f}  F2 {s.f2:.3f}"
        )


def names_jieba(text: str) -> list[Span]:
    """Tokens jieba's part-of-speech tagger marks ``nr`` (person name)."""
    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(60)
    out, pos = [], 0
    for word, flag in pseg.cut(text):
        if flag == "nr" and len(word) >= 2:
            out.append(Span(pos, pos + len(word), CN_PERSON, 0.6))
        pos += len(word)
    return out


def addresses_cpca(text: str) -> list[Span]:
    """cpca's province/city/district head, extended by cbec's street rule."""
    import cpca

    try:
        frame = cpca.transform_text_with_addrs(text, pos_sensitive=True)
    except KeyError:  # cpca's answer for a text with no address at all
        return []
    out = []
    for row in frame.to_dict("records"):
        parts = [(row[k + "_pos"], row[k]) for k in ("省", "市", "区") if row[k + "_pos"] >= 0]
        if not parts:
            continue
        start = min(p for p, _ in parts)
        end = max(p + len(name) for p, name in parts)
        m = chinese._STREET.match(text, end)
        if m and m.end() > end:
            out.append(Span(start, m.end(), CN_ADDRESS, 0.85))
    return out


def only(examples: list, entity: str) -> list:
    return [(t, [lab for lab in labels if lab[2] == entity]) for t, labels in examples]


def timed(find, examples: list) -> tuple[dict[str, Score], float]:
    t0 = time.perf_counter()
    scores = evaluate(examples, find)
    return scores, (time.perf_counter() - t0) / len(examples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=600, help="Chinese set size")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--repeats", type=int, default=3, help="timing passes; best kept")
    parser.add_argument("--one-core", action="store_true", help="pin to one CPU")
    parser.add_argument(
        "--reencrypt",
        type=int,
        nargs="?",
        const=100_000,
        metavar="FIELDS",
        help="measure a key rotation's re-encryption over FIELDS sealed fields instead",
    )
    parser.add_argument(
        "--database-url", help="--reencrypt on this PostgreSQL database too (emptied first)"
    )
    parser.add_argument("--batch", type=int, default=500, help="--reencrypt: rows a transaction")
    parser.add_argument("--cipher", choices=["sm4-gcm", "aes-256-gcm"], help="--reencrypt")
    parser.add_argument("--writer-orders", type=int, default=200, help="--reencrypt: before it")
    args = parser.parse_args(argv)
    if args.reencrypt is not None:
        import privacy_rotation

        return privacy_rotation.main(
            args.reencrypt, args.database_url, args.batch, args.cipher, args.writer_orders
        )

    allowed = set(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else set()
    if args.one_core and hasattr(os, "sched_setaffinity"):
        core = min(allowed) if allowed else 0
        os.sched_setaffinity(0, {core})
        where = f"pinned to CPU {core} (of {sorted(allowed)})"
    else:
        where = f"not pinned ({len(allowed)} CPUs allowed; pass --one-core to pin)"
    print(
        f"cbec privacy scan benchmark — Python {platform.python_version()}, presidio-analyzer "
        f"{_v('presidio-analyzer')}, python-stdnum {_v('python-stdnum')}, phonenumbers "
        f"{_v('phonenumbers')}, tldextract {_v('tldextract')}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs; {where}"
    )

    t0 = time.perf_counter()
    scan("warm-up 13812345678 bob@example.com")
    print(f"analyzer built on the first scan in {time.perf_counter() - t0:.2f} s")

    # (a) quality
    zh = chinese_set(args.texts, args.seed)
    en = english_set(args.texts * 2 // 3, args.seed)
    zh_scores, en_scores = evaluate(zh, scan), evaluate(en, scan)
    show(f"(a) generated Chinese set: {len(zh)} texts", zh_scores)
    show(f"(a) English set: {len(en)} texts (names unlabelled: not detected)", en_scores)
    valid = valid_resident_ids(1000, args.seed)
    invalid = invalid_resident_ids(1000, args.seed + 1)
    found_valid = sum(
        any(s.entity_type == "CN_RESIDENT_ID" for s in scan(f"身份证号{n}，谢谢")) for n in valid
    )
    reported_invalid = sum(bool(scan(f"身份证号{n}，谢谢")) for n in invalid)
    print(
        f"(a) resident IDs: {found_valid}/{len(valid)} checksum-valid found, "
        f"{reported_invalid}/{len(invalid)} wrong-check-digit look-alikes reported as anything"
    )

    # (b) the alternatives weighed
    names, addresses = only(zh, CN_PERSON), only(zh, CN_ADDRESS)
    rule_n, rule_n_t = timed(chinese.find_names, names)
    rule_a, rule_a_t = timed(chinese.find_addresses, addresses)
    rows = [("names, surname + context rule (kept)", rule_n, rule_n_t)]
    if _v("jieba") != "not installed":
        names_jieba("预热")  # the dictionary load (about a second) is not a text's cost
        rows.append(("names, jieba posseg nr", *timed(names_jieba, names)))
    rows.append(("addresses, stdnum region table + street rule (kept)", rule_a, rule_a_t))
    if _v("cpca") != "not installed":
        addresses_cpca("浙江省杭州市西湖区文三路1号")
        rows.append(("addresses, cpca + street rule", *timed(addresses_cpca, addresses)))
    print("(b) alternatives, each alone on its entity of the Chinese set")
    for title, scores, per in rows:
        s = scores["ALL"]
        print(
            f"  {title:52} precision {s.precision:.3f}  recall {s.recall:.3f}  "
            f"F2 {s.f2:.3f}  {per * 1e6:8.1f} µs/text"
        )
    if _v("jieba") == "not installed" or _v("cpca") == "not installed":
        print("  (jieba or cpca not installed: pip install jieba cpca to compare)")

    # (c) throughput
    texts = [t for t, _ in zh] + [t for t, _ in en]
    best = 0.0
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        for text in texts:
            scan(text)
        best = max(best, len(texts) / (time.perf_counter() - t0))
    median = statistics.median(len(t) for t in texts)
    print(
        f"(c) {len(texts):,} short texts (median {median:.0f} characters): "
        f"{best:,.0f} texts/s, best of {args.repeats}"
    )

    goals = [
        (
            zh_scores["ALL"].f2 >= GOAL_F2,
            f"F2 ≥ {GOAL_F2} on the Chinese set: {zh_scores['ALL'].f2:.3f}",
        ),
        (
            en_scores["ALL"].f2 >= GOAL_F2,
            f"F2 ≥ {GOAL_F2} on the English set: {en_scores['ALL'].f2:.3f}",
        ),
        (
            found_valid == len(valid),
            f"recall of checksum-valid resident IDs 1.0: {found_valid / len(valid):.3f}",
        ),
        (reported_invalid == 0, f"wrong-check-digit resident IDs reported: {reported_invalid}"),
        (
            best >= GOAL_RATE,
            f"≥ {GOAL_RATE:,} short texts/s on one core: {best:,.0f}"
            + ("" if args.one_core else " (not pinned)"),
        ),
    ]
    for met, line in goals:
        print(f"{'PASS' if met else 'MISS'}  {line}")
    return 0 if all(met for met, _ in goals) else 1


if __name__ == "__main__":
    sys.exit(main())
