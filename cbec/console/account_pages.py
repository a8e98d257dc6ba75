"""Signing in and out of the console (adapters over :mod:`cbec.services.sessions`).

``GET /console/login`` shows the form; ``POST /console/login`` signs in (the TOTP code is
asked on a second form when the user has one: ``POST /console/login/code``); ``POST
/console/logout`` ends the session. A failed sign-in shows one message whatever failed —
the login, the password, the code, a disabled or locked account (no user enumeration).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Cookie, Form, Request
from fastapi.responses import RedirectResponse
from pydantic import SecretStr

from cbec.console import auth
from cbec.console.pages import Lang, page_language, render
from cbec.errors import CbecError
from cbec.services import sessions

router = APIRouter(include_in_schema=False)
HOME = "/console/orders"


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _signed_in(request: Request, issued: sessions.SessionIssued) -> RedirectResponse:
    to = "/console/login/code" if issued.needs_second_factor else HOME
    response = RedirectResponse(to, status_code=303)
    auth.set_session(response, issued.token, _secure(request))
    return response


@router.get("/console/login")
def login_form(request: Request, lang: Lang = None):
    return render(request, "login.html", page_language(request, lang))


@router.post("/console/login")
def login(
    request: Request,
    login: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=1024)],
    lang: Lang = None,
):
    language = page_language(request, lang)
    req = sessions.LoginRequest(login=login, password=SecretStr(password))
    try:
        issued = sessions.login(request.app.state.rt.uow(), req)
    except CbecError:
        return render(request, "login.html", language, status=401, failed=True, login=login)
    return _signed_in(request, issued)


@router.get("/console/login/code")
def code_form(request: Request, lang: Lang = None):
    return render(request, "login_code.html", page_language(request, lang))


@router.post("/console/login/code")
def code(
    request: Request,
    code: Annotated[str, Form(max_length=10)],
    token: Annotated[str | None, Cookie(alias=auth.SESSION_COOKIE, max_length=128)] = None,
    lang: Lang = None,
):
    language = page_language(request, lang)
    try:
        issued = sessions.complete_second_factor(request.app.state.rt.uow(), token or "", code)
    except CbecError:
        return render(request, "login_code.html", language, status=401, failed=True)
    return _signed_in(request, issued)


@router.post("/console/logout")
def logout(
    request: Request,
    user: auth.SignedForm,
    token: Annotated[str | None, Cookie(alias=auth.SESSION_COOKIE, max_length=128)] = None,
):
    sessions.logout(request.app.state.rt.uow(), token)
    response = RedirectResponse("/console/login", status_code=303)
    auth.clear_session(response)
    return response
