"""The console's languages: the gettext catalogues it shares with the API's messages
(:mod:`cbec.i18n`, ``cbec/locale/<lang>/LC_MESSAGES/*.po`` — one file per area of the
console, ``errors.po`` for the API's rule codes) and the choice of language for a request.

English is the source language: template strings are English msgids, and the zh_CN
catalogue translates each one (``tests/console/test_console_i18n.py`` fails when a template
string has none). The language follows the ``cbec_lang`` cookie, set by the switch in the
page header, else the browser's ``Accept-Language`` (RFC 9110 §12.5.4).
"""

from __future__ import annotations

from cbec.i18n import LOCALES, catalogue, negotiate, translations

__all__ = ["COOKIE", "HTML_LANG", "LANGS", "catalogue", "language", "translations"]

LANGS = LOCALES
HTML_LANG = {"en": "en", "zh": "zh-CN"}
COOKIE = "cbec_lang"


def language(cookie: str | None, accept_language: str | None) -> str:
    """``en`` or ``zh``: the cookie when it names one, else the browser's preference."""
    if cookie in LANGS:
        return cookie
    return negotiate(accept_language)
