"""Sanctions / denied-party screening of buyers, consignees, payers, sellers and suppliers.

Pure domain code (no web, database or CLI framework). The pieces, in the order data flows:

* loaders — :func:`load_list` detects and reads FollowTheMoney JSON lines (:mod:`.ftm`),
  the OFAC SDN list as XML or CSV (:mod:`.ofac`) and the UN Security Council consolidated
  list XML (:mod:`.unsc`) into a :class:`ScreeningList` with a :class:`ListVersion`
  (content sha256, entity count, source, loaded_at) for the caller's update log;
* :mod:`.names` — any script to comparable Latin tokens (pinyin for Chinese, anyascii for
  the rest) and name similarity; :mod:`.qualifiers` — birth dates, countries, ID numbers;
* :class:`ScreeningIndex` (:mod:`.index`) — blocking, so a query scores a few dozen names
  instead of the whole list;
* :func:`screen` (:mod:`.match`) — the score (formula in that module) and the hits.

Data licence: OpenSanctions exports are CC BY-NC 4.0 — nothing of them ships in this
package; commercial operators load licensed data or the public OFAC / UN lists.

Importing this package loads none of that: the names below are looked up in their modules
when first used (PEP 562), because the transliteration tables behind :mod:`.names` take a
noticeable fraction of a second to load and most programs that import a screening module
(the command line, the store) need only a constant or a type from it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cbec.screening.index import ScreeningIndex
    from cbec.screening.lists import FORMATS, detect_format, load_list
    from cbec.screening.match import (
        Features,
        Hit,
        Query,
        Result,
        Role,
        screen,
        screen_naive,
    )
    from cbec.screening.model import (
        DEFAULT_THRESHOLD,
        ListedEntity,
        ListedName,
        ListFileError,
        ListVersion,
        ScreeningList,
    )

#: Exported name → the module that defines it.
_HOMES = {
    "DEFAULT_THRESHOLD": "model",
    "FORMATS": "lists",
    "Features": "match",
    "Hit": "match",
    "ListVersion": "model",
    "ListedEntity": "model",
    "ListedName": "model",
    "ListFileError": "model",
    "Query": "match",
    "Result": "match",
    "Role": "match",
    "ScreeningIndex": "index",
    "ScreeningList": "model",
    "detect_format": "lists",
    "load_list": "lists",
    "screen": "match",
    "screen_naive": "match",
}


def __getattr__(name: str) -> Any:
    """Load an exported name from its module on first use (then it is a plain attribute)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})


__all__ = [
    "DEFAULT_THRESHOLD",
    "FORMATS",
    "Features",
    "Hit",
    "ListFileError",
    "ListVersion",
    "ListedEntity",
    "ListedName",
    "Query",
    "Result",
    "Role",
    "ScreeningIndex",
    "ScreeningList",
    "detect_format",
    "load_list",
    "screen",
    "screen_naive",
]
