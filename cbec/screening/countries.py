"""Country names and codes → ISO 3166-1 alpha-2, so lists and queries compare like with like.

FollowTheMoney data uses lower-case alpha-2 codes (``ru``), OFAC writes English short names
(``Russia``, ``Iran``), the UN writes UN-style names (``Iran (Islamic Republic of)``,
``Democratic People's Republic of Korea``), and a marketplace's buyer records may hold any of
these or an adjective (``Russian``). Without one code per country the country qualifier would
count "Russia" and "ru" as a conflict and lower the score of a true hit.

The table is built once from ``pycountry`` (names, official names, common names, alpha-2 and
alpha-3 codes, folded to lower-case ASCII) plus the short forms and demonyms sanctions lists
use that pycountry does not know. Unknown values give ``None`` — no code is better than a
wrong one, since a wrong code would turn into a penalty.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry
from anyascii import anyascii

# Forms seen on OFAC / UN / EU lists and in customer records that pycountry lacks.
_EXTRA: dict[str, str] = {
    "russia": "ru",
    "russian": "ru",
    "iran": "ir",
    "iranian": "ir",
    "syria": "sy",
    "syrian": "sy",
    "north korea": "kp",
    "korea north": "kp",
    "dprk": "kp",
    "south korea": "kr",
    "korea south": "kr",
    "republic of korea": "kr",
    "korea": "kr",
    "burma": "mm",
    "ivory coast": "ci",
    "cote d ivoire": "ci",
    "turkey": "tr",
    "turkish": "tr",
    "vietnam": "vn",
    "viet nam": "vn",
    "laos": "la",
    "bolivia": "bo",
    "venezuela": "ve",
    "tanzania": "tz",
    "moldova": "md",
    "macedonia": "mk",
    "czech republic": "cz",
    "uk": "gb",
    "great britain": "gb",
    "england": "gb",
    "british": "gb",
    "usa": "us",
    "us": "us",
    "united states of america": "us",
    "american": "us",
    "democratic republic of the congo": "cd",
    "congo democratic republic of the": "cd",
    "congo kinshasa": "cd",
    "drc": "cd",
    "republic of the congo": "cg",
    "congo brazzaville": "cg",
    "congo": "cg",
    "palestine": "ps",
    "palestinian": "ps",
    "kosovo": "xk",
    "crimea": "ua",
    "region crimea": "ua",
    "hong kong": "hk",
    "macau": "mo",
    "macao": "mo",
    "taiwan": "tw",
    "china": "cn",
    "chinese": "cn",
    "prc": "cn",
    "cape verde": "cv",
    "swaziland": "sz",
    "east timor": "tl",
    "vatican": "va",
    "vatican city": "va",
    "holy see": "va",
    "micronesia": "fm",
    "brunei": "bn",
    "the bahamas": "bs",
    "the gambia": "gm",
    "gambia": "gm",
    "ukrainian": "ua",
    "belarusian": "by",
    "belarus": "by",
    "iraqi": "iq",
    "afghan": "af",
    "pakistani": "pk",
    "indian": "in",
    "german": "de",
    "french": "fr",
    "japanese": "jp",
    "lebanese": "lb",
    "yemeni": "ye",
    "cuban": "cu",
    "libyan": "ly",
    "sudanese": "sd",
    "somali": "so",
    "emirati": "ae",
    "uae": "ae",
    "saudi": "sa",
}


def fold(text: str) -> str:
    """Lower-case ASCII words: "Côte d'Ivoire" → "cote d ivoire"."""
    ascii_text = anyascii(text).lower().replace("'", "").replace("’", "")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text).split())


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2.lower()
        table[code] = code
        table[country.alpha_3.lower()] = code
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                table.setdefault(fold(value), code)
    for key, code in _EXTRA.items():
        table[fold(key)] = code
    return table


@lru_cache(maxsize=4096)
def to_code(value: str | None) -> str | None:
    """ISO alpha-2 (lower case) for a country name, code or common demonym; None if unknown.

    Tries the whole folded value, then without a parenthesised part ("Iran (Islamic Republic
    of)" → "Iran"), then with "the" dropped."""
    if not value:
        return None
    table = _table()
    folded = fold(value)
    if folded in table:
        return table[folded]
    bare = fold(re.sub(r"\(.*?\)", " ", value))
    if bare in table:
        return table[bare]
    no_the = " ".join(w for w in folded.split() if w != "the")
    return table.get(no_the)


def to_codes(values: list[str] | tuple[str, ...] | None) -> frozenset[str]:
    """The known codes among ``values`` (unknown names are dropped, see module docstring)."""
    out = set()
    for value in values or ():
        code = to_code(value)
        if code:
            out.add(code)
    return frozenset(out)
