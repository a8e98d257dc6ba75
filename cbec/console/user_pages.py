"""People pages (adapters over :mod:`cbec.services.users` and :mod:`cbec.services.sessions`):
a tenant's admin lists, invites, disables and enables its own tenant's users; everyone
changes its own password, turns on the TOTP second factor and signs out everywhere. Every
form carries the session's CSRF token; the use cases decide who may do what (a viewer or an
operator gets the 403 page, another tenant's user the 404 page, as in the API)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse
from pydantic import SecretStr, ValidationError

from cbec.accounts import UserRole
from cbec.console import auth
from cbec.console.pages import Lang, page_language, render
from cbec.errors import CbecError, DocumentInvalid
from cbec.services import sessions, users

router = APIRouter(include_in_schema=False)


def _users_page(request: Request, user, lang: str, status: int = 200, **extra):
    listed = users.list_users(request.app.state.rt.uow(), user)
    return render(
        request,
        "users.html",
        lang,
        status=status,
        user=user,
        people=listed,
        roles=list(UserRole),
        **extra,
    )


@router.get("/console/users")
def people(request: Request, user: auth.Signed, lang: Lang = None):
    return _users_page(request, user, page_language(request, lang))


@router.post("/console/users")
def invite(
    request: Request,
    user: auth.SignedForm,
    login: Annotated[str, Form(max_length=254)],
    role: Annotated[UserRole, Form()],
    display_name: Annotated[str | None, Form(max_length=100)] = None,
    password: Annotated[str | None, Form(max_length=1024)] = None,
    lang: Lang = None,
):
    language = page_language(request, lang)
    try:
        new = users.NewUser(
            login=login,
            role=role,
            display_name=display_name or None,
            password=SecretStr(password) if password else None,
        )
        invited = users.invite_user(request.app.state.rt.uow(), user, new)
    except (DocumentInvalid, ValidationError) as exc:
        problems = (
            exc.details(language)
            if isinstance(exc, DocumentInvalid)
            else [
                {"field": ".".join(map(str, e["loc"])), "message": e["msg"]} for e in exc.errors()
            ]
        )
        return _users_page(request, user, language, status=422, problems=problems, login=login)
    return _users_page(request, user, language, invited=invited)


@router.post("/console/users/{user_id}/{action}")
def change(
    request: Request,
    user: auth.SignedForm,
    user_id: Annotated[int, Path(ge=1, le=2**63 - 1)],
    action: Annotated[str, Path(pattern="^(disable|enable)$")],
):
    act = users.disable_user if action == "disable" else users.enable_user
    act(request.app.state.rt.uow(), user, user_id)
    return RedirectResponse("/console/users", status_code=303)


@router.get("/console/account")
def account(request: Request, user: auth.Signed, lang: Lang = None):
    return render(request, "account.html", page_language(request, lang), user=user)


@router.post("/console/account/password")
def password(
    request: Request,
    user: auth.SignedForm,
    current: Annotated[str, Form(max_length=1024)],
    new: Annotated[str, Form(max_length=1024)],
    lang: Lang = None,
):
    language = page_language(request, lang)
    change = sessions.PasswordChange(current=SecretStr(current), new=SecretStr(new))
    try:
        sessions.change_password(request.app.state.rt.uow(), user, change)
    except CbecError as exc:
        problems = exc.details(language) or [{"field": "current", "message": exc.message(language)}]
        return render(request, "account.html", language, status=422, user=user, problems=problems)
    return render(request, "account.html", language, user=user, changed=True)


@router.post("/console/account/totp")
def totp_enrol(request: Request, user: auth.SignedForm, lang: Lang = None):
    enrolment = sessions.enrol_totp(request.app.state.rt.uow(), user)
    return render(
        request, "account.html", page_language(request, lang), user=user, enrolment=enrolment
    )


@router.post("/console/account/totp/confirm")
def totp_confirm(
    request: Request,
    user: auth.SignedForm,
    code: Annotated[str, Form(max_length=10)],
    lang: Lang = None,
):
    language = page_language(request, lang)
    try:
        sessions.confirm_totp(request.app.state.rt.uow(), user, code)
    except CbecError as exc:
        problems = [{"field": "code", "message": exc.message(language)}]
        return render(request, "account.html", language, status=422, user=user, problems=problems)
    return render(request, "account.html", language, user=user, totp_on=True)


@router.post("/console/account/logout-everywhere")
def logout_everywhere(request: Request, user: auth.SignedForm):
    sessions.logout_everywhere(request.app.state.rt.uow(), user)
    response = RedirectResponse("/console/login", status_code=303)
    auth.clear_session(response)
    return response
