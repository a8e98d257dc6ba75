"""Personal information in free text (order notes, addresses, messages), Chinese and
English: the pure core, no web, no database.

:func:`scan` runs Microsoft Presidio's pattern and checksum recognizers (email, credit card,
IBAN, IP, URL, phone numbers of other regions) and cbec's own Chinese ones (resident ID,
Unified Social Credit Code, mainland mobile, passport, bank card, names, addresses) and
returns :class:`Span` lists. No model is loaded and nothing is downloaded
(:mod:`cbec.privacy.scan.engine`); Presidio is imported on the first scan.
"""

from cbec.privacy.scan.engine import DEFAULT_THRESHOLD, resolve, scan
from cbec.privacy.scan.model import Span

__all__ = ["DEFAULT_THRESHOLD", "Span", "resolve", "scan"]
