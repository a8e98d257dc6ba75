"""A real browser for the console's end-to-end tests: Playwright (the PyPI package) driving
Debian's ``chromium`` through its executable path — Playwright's own browser download is not
used. ``.ci/run`` installs the package; a machine without it skips these tests, saying why.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest

CANDIDATES = ("chromium", "chromium-browser", "google-chrome")


def chromium_path() -> str | None:
    """The browser to drive: ``CBEC_CHROMIUM`` if set, else the first on the PATH."""
    explicit = os.environ.get("CBEC_CHROMIUM")
    if explicit:
        return explicit
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


NO_BROWSER = "no chromium on this machine (.ci/run installs Debian's)"
needs_browser = pytest.mark.skipif(chromium_path() is None, reason=NO_BROWSER)
"""Marks a test that drives chromium (tests/conftest.py's CI shards tell them by it)."""


@dataclass
class Watched:
    """What a page reported while a test used it: console errors and CSP violations,
    failed requests — a main view must have none."""

    errors: list[str] = field(default_factory=list)

    def _console(self, message) -> None:
        csp = "Content Security Policy" in message.text
        if message.type == "error" or (message.type == "warning" and csp):
            self.errors.append(f"console {message.type}: {message.text}")

    def _failed(self, request) -> None:
        # A request the page itself abandons — a favicon still loading when the test moves on
        # to the next page — is not a failure of the page.
        if request.failure != "net::ERR_ABORTED":
            self.errors.append(f"request failed: {request.url} {request.failure}")

    def attach(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        page.on("requestfailed", self._failed)
        page.on(
            "response",
            lambda r: self.errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None,
        )


@contextmanager
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=chromium_path(),
            headless=True,
            args=["--no-sandbox", "--disable-dev-shm-usage"],
        )
        try:
            yield instance
        finally:
            instance.close()


def sign_in(page, url: str, login: str, password: str) -> None:
    """Signs in through the console's form (whatever the page's language) and waits for the
    orders list, where the console takes a user who signed in."""
    page.goto(f"{url}/console/login")
    page.locator("input[name='login']").fill(login)
    page.locator("input[name='password']").fill(password)
    page.locator("form[action='/console/login'] button[type='submit']").click()
    page.wait_for_url(f"{url}/console/orders")


def colours(png: bytes) -> int:
    """How many colours a screenshot has (a blank or unstyled area has one or two)."""
    import io

    from PIL import Image

    return len(Image.open(io.BytesIO(png)).convert("RGB").getcolors(1 << 20) or [])


@contextmanager
def signed_in_page(
    rt, tenant: str, login: str, locale: str
) -> Iterator[tuple[object, str, Watched]]:
    """A console viewer ``login@tenant`` made for the test, a live server over ``rt``'s
    database and a chromium page in ``locale`` signed in as that user, its console errors
    watched: ``(page, url, watched)``."""
    from pydantic import SecretStr

    from cbec.services import users
    from tests.serverproc import running_server, settings_env

    password = "a" * 16
    new = users.NewUser(login=f"{login}@{tenant}", role="viewer", password=SecretStr(password))
    users.operator_create_user(rt.uow(), tenant, new)
    with running_server(settings_env(rt.settings)) as (url, _proc), browser() as chromium:
        page = chromium.new_context(locale=locale).new_page()
        watched = Watched()
        watched.attach(page)
        sign_in(page, url, f"{login}@{tenant}", password)
        yield page, url, watched
