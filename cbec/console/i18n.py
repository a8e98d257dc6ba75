"""The console's languages: gettext catalogues (``locale/<lang>/LC_MESSAGES/messages.po``,
read with Babel when first needed — no compile step at build or run time) and the choice of
language for a request.

English is the source language: template strings are English msgids, and the zh_CN
catalogue translates each one (``tests/console/test_console_i18n.py`` fails when a template
string has none). The language follows the ``cbec_lang`` cookie, set by the switch in the
page header, else the browser's ``Accept-Language`` (RFC 9110 §12.5.4).
"""

from __future__ import annotations

import io
from functools import cache
from importlib import resources

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from cbec.i18n import negotiate

LANGS = {"en": "en", "zh": "zh_CN"}  # cbec's language codes -> catalogue locale
HTML_LANG = {"en": "en", "zh": "zh-CN"}
COOKIE = "cbec_lang"


def language(cookie: str | None, accept_language: str | None) -> str:
    """``en`` or ``zh``: the cookie when it names one, else the browser's preference."""
    if cookie in LANGS:
        return cookie
    return negotiate(accept_language)


@cache
def translations(lang: str) -> Translations:
    """The catalogue of ``lang`` as gettext translations (English: the msgids themselves)."""
    if lang == "en":
        return Translations()
    path = resources.files("cbec.console") / "locale" / LANGS[lang] / "LC_MESSAGES"
    with (path / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale=LANGS[lang])
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # in memory: gettext reads the MO format
    compiled.seek(0)
    return Translations(compiled, domain="messages")
