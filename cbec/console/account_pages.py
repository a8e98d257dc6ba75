"""Signing in and out of the console (adapters over :mod:`cbec.services.sessions`).

``GET /console/login`` shows the form; ``POST /console/login`` signs in (the TOTP code is
asked on a second form when the user has one: ``POST /console/login/code``); ``POST
/console/logout`` ends the session. A failed sign-in shows one message whatever failed —
the login, the password, the code, a disabled or locked account (no user enumeration).

An invited person opens the one-time link its admin gave it, ``/console/invite/{token}``,
chooses a password there and is signed in (``POST /console/invite``). The token travels in
the link's path, as password-reset links do, so that it works from a mail or a chat; the
access log records the route template only, console pages send no ``Referer``, and the form
posts the token in its body, not its address. An unknown, used or expired token gets one
answer, whichever it is.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Cookie, Form, Path, Request
from fastapi.responses import RedirectResponse
from pydantic import SecretStr

from cbec.console import auth
from cbec.console.pages import Lang, page_language, render
from cbec.errors import CbecError, DocumentInvalid, NotFound
from cbec.services import sessions, users

router = APIRouter(include_in_schema=False)
HOME = "/console/orders"


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _form(request: Request, template: str, language: str, status: int = 200, **context):
    """A page with a pre-session form: its token in the form, its cookie kept."""
    token, signed = auth.pre_session(request)
    page = render(request, template, language, status=status, pre_csrf=signed, **context)
    if request.cookies.get(auth.PRE_COOKIE) == token:  # the browser has it: nothing to set
        return page
    return auth.keep_pre_session(page, token, _secure(request))


def _signed_in(request: Request, issued: sessions.SessionIssued) -> RedirectResponse:
    to = "/console/login/code" if issued.needs_second_factor else HOME
    response = RedirectResponse(to, status_code=303)
    auth.set_session(response, issued.token, _secure(request))
    return response


@router.get("/console/login")
def login_form(request: Request, lang: Lang = None):
    return _form(request, "login.html", page_language(request, lang))


@router.post("/console/login")
def login(
    request: Request,
    login: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=1024)],
    _: auth.PreSessionForm,
    lang: Lang = None,
):
    language = page_language(request, lang)
    req = sessions.LoginRequest(login=login, password=SecretStr(password))
    try:
        issued = sessions.login(request.app.state.rt.uow(), req)
    except CbecError:
        return _form(request, "login.html", language, status=401, failed=True, login=login)
    return _signed_in(request, issued)


@router.get("/console/login/code")
def code_form(request: Request, lang: Lang = None):
    return _form(request, "login_code.html", page_language(request, lang))


@router.post("/console/login/code")
def code(
    request: Request,
    code: Annotated[str, Form(max_length=10)],
    _: auth.PreSessionForm,
    token: Annotated[str | None, Cookie(alias=auth.SESSION_COOKIE, max_length=128)] = None,
    lang: Lang = None,
):
    language = page_language(request, lang)
    try:
        issued = sessions.complete_second_factor(request.app.state.rt.uow(), token or "", code)
    except CbecError:
        return _form(request, "login_code.html", language, status=401, failed=True)
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


def _no_invitation(request: Request, language: str):
    return render(request, "invite.html", language, status=404, invalid=True)


@router.get("/console/invite/{token}")
def invite_form(
    request: Request,
    token: Annotated[str, Path(max_length=128)],
    lang: Lang = None,
):
    language = page_language(request, lang)
    try:
        invitation = users.invitation(request.app.state.rt.uow(), token)
    except NotFound:
        return _no_invitation(request, language)
    return _form(request, "invite.html", language, invitation=invitation, token=token)


@router.post("/console/invite")
def accept_invite(
    request: Request,
    token: Annotated[str, Form(max_length=128)],
    password: Annotated[str, Form(max_length=1024)],
    _: auth.PreSessionForm,
    lang: Lang = None,
):
    language = page_language(request, lang)
    uow = request.app.state.rt.uow()
    req = users.AcceptInvite(token=SecretStr(token), password=SecretStr(password))
    try:
        issued = sessions.accept_invite(uow, req)
    except NotFound:
        return _no_invitation(request, language)
    except DocumentInvalid as exc:
        try:
            invitation = users.invitation(uow, token)
        except NotFound:
            return _no_invitation(request, language)
        return _form(
            request,
            "invite.html",
            language,
            status=422,
            invitation=invitation,
            token=token,
            problems=exc.details(language),
        )
    except CbecError:  # the password is set, but the sign-in was refused: sign in by hand
        return RedirectResponse("/console/login", status_code=303)
    return _signed_in(request, issued)
