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
"""

from cbec.screening.index import ScreeningIndex
from cbec.screening.lists import FORMATS, detect_format, load_list
from cbec.screening.match import (
    DEFAULT_THRESHOLD,
    Features,
    Hit,
    Query,
    Result,
    Role,
    screen,
    screen_naive,
)
from cbec.screening.model import (
    ListedEntity,
    ListedName,
    ListFileError,
    ListVersion,
    ScreeningList,
)

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
