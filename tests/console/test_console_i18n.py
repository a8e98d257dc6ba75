"""Every string of the console's templates has its Chinese translation, and a page in each
language shows its language's strings (the oracle: Babel's own extraction of the templates)."""

from __future__ import annotations

import re
from importlib import resources

import pytest
from babel.messages.extract import extract_from_dir

from cbec.console.i18n import catalogue, language, translations

TEMPLATES = resources.files("cbec.console") / "templates"


def template_strings() -> set[str]:
    """The console's strings: its templates' and those its Python code marks (``gettext``,
    ``N_``), as Babel extracts them."""
    found = extract_from_dir(
        str(resources.files("cbec.console")),
        method_map=[("templates/**.html", "jinja2"), ("*.py", "python")],
        options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}},
    )
    return {msg if isinstance(msg, str) else msg[0] for _, _, msg, _, _ in found}


def test_every_template_string_has_a_chinese_translation():
    strings = template_strings()
    assert len(strings) >= 10
    catalog = catalogue("zh")
    missing = sorted(s for s in strings if not (catalog.get(s) and catalog.get(s).string))
    assert missing == [], f"untranslated: {missing}"
    # entries with a context are the API's rule codes (tests/contract/test_i18n.py)
    stale = sorted(m.id for m in catalog if m.id and m.context is None and m.id not in strings)
    assert stale == [], f"catalogue entries no template uses: {stale}"


def test_the_catalogue_keeps_every_placeholder():
    for message in catalogue("zh"):
        if message.id and message.context is None:
            wanted = sorted(re.findall(r"%\(\w+\)[sd]", message.id))
            assert sorted(re.findall(r"%\(\w+\)[sd]", message.string)) == wanted, message.id


def test_a_message_translated_twice_is_refused(tmp_path, monkeypatch):
    folder = tmp_path / "locale/zh_CN/LC_MESSAGES"
    folder.mkdir(parents=True)
    for name in ("a.po", "b.po"):
        (folder / name).write_text('msgid "Orders"\nmsgstr "订单"\n', encoding="utf-8")
    monkeypatch.setattr("cbec.i18n.resources.files", lambda _: tmp_path)
    with pytest.raises(ValueError, match="already translated"):
        catalogue("zh")


@pytest.mark.parametrize(
    ("cookie", "accept", "expected"),
    [
        (None, None, "en"),
        (None, "zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        (None, "en-GB,en;q=0.9,zh;q=0.5", "en"),
        ("zh", "en-US", "zh"),
        ("en", "zh-CN", "en"),
        ("xx", "zh-CN", "zh"),
    ],
)
def test_the_language_follows_the_cookie_then_the_browser(cookie, accept, expected):
    assert language(cookie, accept) == expected


def test_pages_are_rendered_in_the_language_asked(client):
    zh = client.get("/console", headers={"Accept-Language": "zh-CN"})
    en = client.get("/console", headers={"Accept-Language": "en"})
    assert zh.status_code == en.status_code == 200
    gettext = translations("zh").gettext
    assert '<html lang="zh-CN">' in zh.text and '<html lang="en">' in en.text
    for source in ("Cross-border e-commerce console", "Sign in", "Who it is for"):
        assert gettext(source) != source
        assert gettext(source) in zh.text and source not in zh.text
        assert source in en.text


def test_the_switch_sets_a_cookie_that_wins_over_the_browser(client):
    r = client.get("/console/lang/zh", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/console"
    cookie = r.headers["set-cookie"]
    assert "cbec_lang=zh" in cookie and "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    client.cookies.set("cbec_lang", "zh")
    page = client.get("/console", headers={"Accept-Language": "en"})
    client.cookies.clear()
    assert '<html lang="zh-CN">' in page.text
    assert client.get("/console/lang/fr", follow_redirects=False).status_code == 422
