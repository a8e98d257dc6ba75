"""How the console answers a failure: a page, not problem+json. Not signed in leads to the
sign-in page (303); a missing or foreign object is the same "not found" page (404) either way,
as in the API; a form without its CSRF token is refused (403)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse

from cbec.api.errors import status_of
from cbec.console.auth import BadCsrf, NotSignedIn
from cbec.console.i18n import COOKIE
from cbec.console.pages import page_language, render
from cbec.console.security import is_console
from cbec.errors import CbecError


def install(app: FastAPI) -> None:
    api_handler = app.exception_handlers[CbecError]

    async def handle(request: Request, exc: CbecError):
        if not is_console(request.url.path):
            return await api_handler(request, exc)
        if isinstance(exc, NotSignedIn):
            return RedirectResponse("/console/login", status_code=303)
        lang = page_language(request, request.cookies.get(COOKIE))
        status = 403 if isinstance(exc, BadCsrf) else status_of(exc)
        detail = exc.message(lang)
        return render(request, "error.html", lang, status=status, title=str(status), detail=detail)

    app.add_exception_handler(CbecError, handle)
