"""Names in any script → comparable Latin token forms, and how similar two such forms are.

Why this is more than ``lower()``: a sanctioned party is listed as "Захаров Никита
Александрович", "ZAKHAROV, Nikita Aleksandrovich" and "Zakharov Mykyta Oleksandrovych"; a
buyer types "nikita zakharof"; a Chinese supplier is "深圳某某科技有限公司" on its licence
and "Shenzhen Moumou Keji Co., Ltd." on an invoice. Screening must see these as one name.

Normalisation (:func:`name_forms`) — each step is there for one of those cases:

1. Unicode NFKC (full-width Latin and digits become ASCII forms).
2. Han characters (Chinese, when no kana says it is Japanese) → Hanyu Pinyin with
   ``pypinyin``, tones removed, both with ``ü`` as ``v`` (pypinyin's plain style, as in
   passports' "LV") and as ``u`` (tone marks folded away, "LU"). A 2–4 character personal
   name without spaces is split into surname (one character, or a known two-character
   compound surname such as 欧阳) and given name, giving "zhang xiaoming" as well as the
   syllables "zhang xiao ming"; longer strings (companies) keep syllables, and adjacent
   syllable pairs ("shenzhen", "keji") are added as blocking keys. Syllable forms are
   scored strictly (below): two of a name's four syllables are not the name. Chinese legal-form
   suffixes (有限公司 …) are dropped first.
3. Every other script → ASCII with ``anyascii`` (Cyrillic, Greek, Arabic, Hebrew, Devanagari,
   Hangul, Thai, kana …), then lower case; apostrophes vanish ("Kuz'menko" = "Kuzmenko"),
   any other non-alphanumeric character separates tokens. Cyrillic "ё" gives two forms,
   "e" and "yo" ("Fedorov" / "Fyodorov"), as lists use both; a hyphenated name gives two,
   split and joined ("Chao-Lin" = "chao lin" and "chaolin", "Al-Rashid" = "alrashid").
4. Legal forms are removed from organisation names ("LLC", "OOO", "Limited Liability
   Company", "Общество с ограниченной ответственностью" …) — they carry no identity and
   would make every "… LLC" look alike. Legal words are recognised exactly, by stem
   (Slavic forms inflect) or with one typo ("Compnay"), wherever they stand in the name.
   Short ambiguous forms ("AO", "SA", "AS") and connectives ("of", "the", "s", "z") only go
   when the name is known to be an organisation or contains a legal word, so a person
   called "Ao" keeps his name.
5. English honorifics ("Mr", "Dr") are dropped from names written in Latin script (only
   there: the Arabic عمر, Omar, folds to "mr").

Similarity of two forms (:func:`form_similarity`), in 0..1:

* token similarity ``t(a, b)``: 1 if equal; ``INITIAL_SIMILARITY`` (0.9) if one is a single
  letter that starts the other ("J." vs "John"); otherwise the optimal-string-alignment
  (Damerau–Levenshtein) similarity ``1 − d / max(len)`` — with an adjacent swap counted as
  half an edit ("Nign" / "Ning" = 0.875), since both letters are there — raised to 0.97 ×
  the same on a transliteration skeleton (kh / ch → h, tsch → ch, sch → sh, ts → c,
  y / j → i, w → v, z → s, doubled letters single, …: "Vitaly" / "Vitalij" / "Vitalii",
  "Zakharova" / "Sacharowa"), and to 0.88 when the metaphone keys agree and the plain
  similarity is already ≥ 0.5 ("Mohammed" / "Muhammad");
* tokens are aligned one-to-one, best pairs first (name order does not matter); pairs below
  0.5 stay unmatched;
* ``align = Σ t·(|a|+|b|) / (Σ (|a|+|b|) + λq·Σ|unmatched query tokens| + λc·Σ|unmatched
  list tokens|)`` with token lengths as weights, where λq = 0.5, λc = 0.3 when at least two
  token pairs matched (a missing middle name or patronymic costs little) and λq = λc = 1 when
  fewer did (a shared surname alone is not a match) or when either form is made of single
  pinyin syllables (two syllables of 诸葛睿成 are not "Zhu Cheng");
* ``compact`` = normalised Levenshtein similarity of the two forms with spaces removed (so
  "Abdul Rahman" = "Abdulrahman" and "Shenzhen Moumou Keji" = "shen zhen mou mou ke ji");
  used only when both have at least 6 letters;
* form similarity = max(align, compact).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import jellyfish
from anyascii import anyascii
from rapidfuzz.distance import OSA, Levenshtein
from rapidfuzz.process import extractOne

INITIAL_SIMILARITY = 0.9
TRANSPOSITION_DISCOUNT = 0.5  # two swapped letters keep both letters: half an edit
MIN_TOKEN_SIMILARITY = 0.5
LAMBDA_QUERY = 0.5
LAMBDA_LIST = 0.3
PHONETIC_FLOOR = 0.88
SKELETON_FACTOR = 0.97
COMPACT_MIN_LEN = 6


def words(text: str, sep: str | None = None) -> list[str]:
    """Word lists written as one string (compact to read, one place to edit)."""
    return text.split(sep)


# --- scripts -------------------------------------------------------------------------------

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]")
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HAN_LEGAL = re.compile(
    r"(股份有限公司|有限责任公司|有限責任公司|集团有限公司|集團有限公司|有限公司|"
    r"集团|集團|控股|公司|株式会社|有限会社|合同会社)"
)
# Two-character Chinese surnames (复姓) — without them 欧阳娜娜 would split as 欧 + 阳娜娜.
_COMPOUND_SURNAMES = frozenset(
    words(
        "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 令狐 夏侯 长孙 宇文 司徒 端木 独孤 南宫 "
        "西门 轩辕 呼延 澹台 公冶 太史 申屠 闻人 万俟 歐陽 諸葛 東方 尉遲 長孫"
    )
)

# --- legal forms -----------------------------------------------------------------------------

# Words that only ever appear as (part of) a legal form, after folding. Matched exactly, by
# stem (Russian / Ukrainian / Belarusian forms inflect), or — for words of 6+ letters — with
# one typo ("Compnay", "Atsionerne"), so a misspelt legal form does not count as a name.
_LEGAL_WORDS = frozenset(
    words(
        "llc ltd limited inc incorporated corp corporation plc gmbh ooo oao zao pao jsc ojsc "
        "cjsc pjsc llp kft sarl srl spa bv nv tov company co ltda sas sro kg bhd sdn pte pvt "
        "tbk fze fzco fzc gongsi liability joint stock jointstock partnership societe "
        "responsabilite limitee sociedad sociedade responsabilidad responsabilidade limitada "
        "anonima anonyme gesellschaft beschrankter haftung korlatolt felelossegu tarsasag "
        "spolecnost rucenim omezenym druzba omejeno odgovornostjo etairia periorismenis "
        "eythynis cuideachta dhliteanas teoranta societatea raspundere limitata"
    )
)
_LEGAL_STEMS = (
    "obshchestv",
    "ogranichen",
    "otvetstvenn",
    "aktsioner",
    "akcioner",
    "tovaristv",
    "tovarystv",
    "tavarystv",
    "tavaristv",
    "obmezhen",
    "vidpovidaln",
    "abmezhavan",
    "adkaznas",
    "druzhestv",
    "otgovornost",
    "nekommerchesk",
    "unitarn",
    "predpriyat",
)
_LEGAL_FUZZY = (
    *(w for w in _LEGAL_WORDS if len(w) >= 6),
    "obshchestvo",
    "ogranichennoy",
    "otvetstvennostyu",
    "aktsionernoe",
    "aktsionerne",
    "tovaristvo",
    "tovarystvo",
    "obmezhenoyu",
    "vidpovidalnistyu",
)
# Only legal next to a legal word ("Open Joint Stock Company", "youxian gongsi"), a name
# word elsewhere ("Open Systems", "Public Health Institute", the given name "Youxian").
_LEGAL_QUALIFIERS = frozenset(
    words(
        "open closed public private otkrytoe zakrytoe publichnoe nepublichnoe vidkrite "
        "privatne publichne zakrite federalnoe gosudarstvennoe youxian zeren gufen"
    )
)
# Short or common words that are legal forms or connectives inside legal forms, but also
# names ("Ao" is a Chinese surname): dropped only from a name known to be an organisation.
_WEAK_FORMS = frozenset(words("ao as sa ag ab oy se pt kk lp jituan the of and s z i y et"))
_HONORIFICS = frozenset(["mr", "mrs", "ms", "miss", "dr", "prof", "sir"])
_HYPHENATED = re.compile(r"(\w)[-‐‑](\w)")
_LATIN_ONLY = re.compile(r"[\x00-\x7f\u00a0-\u024f\u1e00-\u1eff]*")


@lru_cache(maxsize=65536)
def is_legal_word(token: str) -> bool:
    """Whether ``token`` is part of a legal form: exactly, by stem, or — for 6+ letters —
    with one typo; stems and typos are compared on the transliteration skeleton too, so
    German or ISO 9 romanisations ("Obschtschestwo", "Obŝestvo") are recognised."""
    if token in _LEGAL_WORDS:
        return True
    if len(token) < 6:
        return False
    if token.startswith(_LEGAL_STEMS):
        return True
    if extractOne(token, _LEGAL_FUZZY, scorer=OSA.distance, score_cutoff=1) is not None:
        return True
    sk = skeleton(token)
    if sk.startswith(_legal_skeletons()[0]):
        return True
    if len(sk) < 8:  # skeletons of short words collide with names ("yuqian" ~ "youxian")
        return False
    return extractOne(sk, _legal_skeletons()[1], scorer=OSA.distance, score_cutoff=1) is not None


@lru_cache(maxsize=1)
def _legal_skeletons() -> tuple[tuple[str, ...], tuple[str, ...]]:
    return (
        tuple(skeleton(s) for s in _LEGAL_STEMS),
        tuple({skeleton(w) for w in _LEGAL_FUZZY}),
    )


# --- forms -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NameForm:
    """One normalised reading of a name: ASCII tokens, the same without spaces, and extra
    keys used only to find candidates (never to score)."""

    tokens: tuple[str, ...]
    compact: str
    blocking: tuple[str, ...] = ()
    syllabic: bool = False  # tokens are pinyin syllables, not words: scored strictly

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


def fold_tokens(text: str) -> list[str]:
    """ASCII lower-case tokens of any text (step 3 of the module docstring)."""
    ascii_text = anyascii(unicodedata.normalize("NFKC", text)).lower()
    ascii_text = re.sub(r"['`´’ʼ]", "", ascii_text)
    return re.sub(r"[^a-z0-9]+", " ", ascii_text).split()


def _strip_legal(tokens: list[str], organisation: bool | None) -> tuple[list[str], bool]:
    """Drop legal forms (step 4); returns the tokens left and whether one was found.

    A name counts as an organisation's when ``organisation`` says so or when it contains a
    legal word; then legal words, their qualifiers ("open", "closed" next to a legal word)
    and the weak forms go. All of it stays when nothing would be left."""
    legal = [is_legal_word(t) for t in tokens]
    found = any(legal)
    if not (found or organisation):
        return tokens, False
    changed = True
    while changed:  # qualifiers chain: "youxian zeren gongsi", "open joint stock company"
        changed = False
        for i, token in enumerate(tokens):
            if legal[i] or token not in _LEGAL_QUALIFIERS:
                continue
            if (i > 0 and legal[i - 1]) or (i + 1 < len(tokens) and legal[i + 1]):
                legal[i] = changed = True
    keep = [t for i, t in enumerate(tokens) if not legal[i] and t not in _WEAK_FORMS]
    return (keep, found) if keep else (tokens, found)


def _pinyin_variants(han: str) -> list[list[str]]:
    """Syllables of a Han string: ü as v, and ü as u (tone marks folded); one if equal."""
    # imported on the first Han name: pypinyin reads its phrase dictionary (megabytes of
    # JSON) when imported, a second of every server start and CLI command otherwise
    from pypinyin import Style, lazy_pinyin

    plain = [s.lower() for s in lazy_pinyin(han, style=Style.NORMAL, errors="ignore")]
    toned = [
        fold_tokens(s)[0] if fold_tokens(s) else ""
        for s in lazy_pinyin(han, style=Style.TONE, errors="ignore")
    ]
    out = [plain]
    if toned != plain and all(toned):
        out.append(toned)
    return out


def _han_forms(text: str, organisation: bool | None) -> list[NameForm]:
    """Step 2 of the module docstring."""
    bare = _HAN_LEGAL.sub(" ", text)
    is_org = bool(organisation) or bare != text
    if not _HAN.search(bare):  # nothing but a legal form, or Han only in the legal form
        bare = text if not bare.strip() else bare
        if not _HAN.search(bare):
            return _latin_forms(bare, organisation or is_org)
    pieces = bare.split()
    forms: list[NameForm] = []
    # One variant list per piece: Han pieces give 1–2 pinyin readings, others one folding.
    readings: list[list[list[str]]] = []
    for piece in pieces:
        if all(_HAN.match(ch) for ch in piece):
            readings.append(_pinyin_variants(piece))
        else:
            readings.append([fold_tokens(piece)])
    n_variants = max(len(r) for r in readings)
    for v in range(n_variants):
        sylls = [r[min(v, len(r) - 1)] for r in readings]
        if len(pieces) == 1 and 2 <= len(pieces[0]) <= 4 and not is_org:
            han = pieces[0]
            cut = 2 if han[:2] in _COMPOUND_SURNAMES else 1
            s = sylls[0]
            joined = ("".join(s[:cut]), "".join(s[cut:]))
            forms.append(NameForm(joined, "".join(joined)))
            forms.append(NameForm(tuple(s), "".join(s), syllabic=True))
        elif len(pieces) == 1:
            s = sylls[0]
            pairs = tuple(a + b for a, b in pairwise(s))
            tokens = tuple(s)
            if is_org:
                tokens = tuple(_strip_legal(list(tokens), True)[0])
            forms.append(NameForm(tokens, "".join(tokens), pairs, syllabic=True))
        else:
            joined = tuple("".join(s) for s in sylls if s)
            split = tuple(t for s in sylls for t in s)
            forms.append(NameForm(joined, "".join(joined)))
            if split != joined:
                forms.append(NameForm(split, "".join(split), syllabic=True))
    return forms


def _latin_forms(text: str, organisation: bool | None) -> list[NameForm]:
    if "ё" in text or "Ё" in text:  # anyascii writes "e"; BGN and OFAC also write "yo"
        yo = text.replace("ё", "йо").replace("Ё", "Йо")
        return _latin_forms(text.replace("ё", "е").replace("Ё", "Е"), organisation) + (
            _latin_forms(yo, organisation)
        )
    if _HYPHENATED.search(text):  # "Chao-Lin Wei", "Al-Rashid": also read joined
        joined = _HYPHENATED.sub(r"\1\2", text)
        return _latin_forms(_HYPHENATED.sub(r"\1 \2", text), organisation) + _latin_forms(
            joined, organisation
        )
    tokens = fold_tokens(text)
    if organisation is not True and _LATIN_ONLY.fullmatch(text):  # Arabic عمر folds to "mr"
        tokens = [t for t in tokens if t not in _HONORIFICS] or tokens
    if organisation is not False:
        tokens, _ = _strip_legal(tokens, organisation)
    if not tokens:
        return []
    return [NameForm(tuple(tokens), "".join(tokens))]


@lru_cache(maxsize=65536)
def name_forms(text: str, organisation: bool | None = None) -> tuple[NameForm, ...]:
    """All normalised forms of one name (usually one; Han names give 2–4).

    ``organisation``: True for a listed company/organisation, False for a listed person
    (legal forms are then never stripped), None for a query of unknown kind (stripped only
    when an unambiguous legal form is present)."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if not text:
        return ()
    if _HAN.search(text) and not _KANA.search(text):
        forms = _han_forms(text, organisation)
    else:
        forms = _latin_forms(text, organisation)
    seen: dict[tuple[str, ...], NameForm] = {}
    for form in forms:
        if form.tokens and form.tokens not in seen:
            seen[form.tokens] = form
    return tuple(seen.values())


# --- similarity ------------------------------------------------------------------------------

_SKELETON_RULES = (
    ("schtsch", "sh"),  # German щ
    ("shch", "sh"),
    ("tsch", "ch"),  # German ч
    ("sch", "sh"),  # German ш
    ("dzh", "j"),
    ("zh", "j"),
    ("kh", "h"),  # х: kh (BGN), ch (German), h (ISO 9)
    ("ch", "h"),
    ("ph", "f"),
    ("ck", "k"),
    ("ts", "c"),  # ц: ts (BGN), c (ISO 9), z (German)
    ("tz", "c"),
    ("q", "k"),
    ("w", "v"),
    ("ou", "u"),
    ("y", "i"),
    ("j", "i"),
    ("z", "s"),
)
_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=131072)
def skeleton(token: str) -> str:
    """Transliteration-insensitive key: the spellings different romanisation tables give
    for one Cyrillic / Arabic / Persian letter collapse to one letter."""
    for old, new in _SKELETON_RULES:
        token = token.replace(old, new)
    return _DOUBLE.sub(r"\1", token)


@lru_cache(maxsize=131072)
def metaphone(token: str) -> str:
    return jellyfish.metaphone(token) if token.isalpha() else token


@lru_cache(maxsize=262144)
def _token_similarity(a: str, b: str) -> float:
    if len(a) == 1 or len(b) == 1:
        return INITIAL_SIMILARITY if a[0] == b[0] else 0.0
    osa = OSA.distance(a, b)
    swaps = Levenshtein.distance(a, b) - osa  # adjacent transpositions OSA counted as one
    sim = 1.0 - (osa - TRANSPOSITION_DISCOUNT * swaps) / max(len(a), len(b))
    ska, skb = skeleton(a), skeleton(b)
    if ska == skb:
        sim = max(sim, SKELETON_FACTOR)
    else:
        sim = max(sim, SKELETON_FACTOR * OSA.normalized_similarity(ska, skb))
    if (
        MIN_TOKEN_SIMILARITY <= sim < PHONETIC_FLOOR
        and min(len(a), len(b)) >= 3
        and metaphone(a) == metaphone(b)
    ):
        sim = PHONETIC_FLOOR
    return sim


def token_similarity(a: str, b: str) -> float:
    """Similarity of two normalised tokens, 0..1 (see module docstring)."""
    if a == b:
        return 1.0
    return _token_similarity(a, b) if a < b else _token_similarity(b, a)


def align(query: tuple[str, ...], listed: tuple[str, ...], *, strict: bool = False) -> float:
    """Order-independent token alignment score (see module docstring); ``strict``: unmatched
    tokens always cost their full weight (λ = 1)."""
    if not query or not listed:
        return 0.0
    pairs = []
    for i, a in enumerate(query):
        for j, b in enumerate(listed):
            s = 1.0 if a == b else token_similarity(a, b)
            if s >= MIN_TOKEN_SIMILARITY:
                pairs.append((s, i, j))
    pairs.sort(reverse=True)
    used_q: set[int] = set()
    used_l: set[int] = set()
    num = den = 0.0
    for s, i, j in pairs:
        if i in used_q or j in used_l:
            continue
        used_q.add(i)
        used_l.add(j)
        w = len(query[i]) + len(listed[j])
        num += s * w
        den += w
    if not used_q:
        return 0.0
    rest_q = sum(len(t) for i, t in enumerate(query) if i not in used_q)
    rest_l = sum(len(t) for j, t in enumerate(listed) if j not in used_l)
    if len(used_q) >= 2 and not strict:
        den += LAMBDA_QUERY * rest_q + LAMBDA_LIST * rest_l
    else:
        den += rest_q + rest_l
    return num / den


def compact_similarity(a: str, b: str) -> float:
    """Similarity with spaces removed; 0 when either is shorter than COMPACT_MIN_LEN."""
    if len(a) < COMPACT_MIN_LEN or len(b) < COMPACT_MIN_LEN:
        return 0.0
    return Levenshtein.normalized_similarity(a, b)


def form_similarity(query: NameForm, listed: NameForm) -> float:
    """max(token alignment, compact similarity) — see module docstring."""
    if query.compact == listed.compact:
        return 1.0
    strict = query.syllabic or listed.syllabic
    return max(
        align(query.tokens, listed.tokens, strict=strict),
        compact_similarity(query.compact, listed.compact),
    )
