"""The console's languages: gettext catalogues (``locale/<lang>/LC_MESSAGES/*.po``, one file
per area of the console — ``messages.po`` for the frame and the first pages, then one per
desk — merged and read with Babel when first needed: no compile step at build or run time)
and the choice of language for a request.

English is the source language: template strings are English msgids, and the zh_CN
catalogue translates each one (``tests/console/test_console_i18n.py`` fails when a template
string has none). The language follows the ``cbec_lang`` cookie, set by the switch in the
page header, else the browser's ``Accept-Language`` (RFC 9110 §12.5.4).
"""

from __future__ import annotations

import io
from functools import cache
from importlib import resources

from babel.messages.catalog import Catalog
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


def catalogue(lang: str) -> Catalog:
    """Every ``.po`` file of ``lang`` merged into one catalogue. A message in two files is a
    mistake (which translation wins?) and refused."""
    folder = resources.files("cbec.console") / "locale" / LANGS[lang] / "LC_MESSAGES"
    merged = Catalog(locale=LANGS[lang], domain="messages")
    for part in sorted(folder.iterdir(), key=lambda p: p.name):
        if not part.name.endswith(".po"):
            continue
        with part.open("rb") as fh:
            for message in read_po(fh, locale=LANGS[lang]):
                if not message.id:
                    continue
                if message.id in merged:
                    raise ValueError(f"{part.name}: {message.id!r} is already translated")
                merged[message.id] = message
    return merged


@cache
def translations(lang: str) -> Translations:
    """The catalogue of ``lang`` as gettext translations (English: the msgids themselves)."""
    if lang == "en":
        return Translations()
    catalog = catalogue(lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # in memory: gettext reads the MO format
    compiled.seek(0)
    return Translations(compiled, domain="messages")
