"""Who is signed in to the console: the session cookie, read for every page through the same
use case the rest of cbec uses (:func:`cbec.services.sessions.session_user`), and the CSRF
token every form carries.

The cookie (``cbec_session``) is ``HttpOnly`` (no script reads it), ``SameSite=Lax`` (a
cross-site form cannot post with it) and ``Secure`` when the request came over HTTPS; it
holds a random token whose SHA-256 is all the server keeps (OWASP ASVS 4.0.3 V3). A new
token is issued at every sign-in, so a token planted before it is worthless (session
fixation). Forms carry the session's CSRF token, checked in constant time on every POST.

The forms posted before there is a session — signing in, the second factor, accepting an
invitation — carry a pre-session token instead, so another site cannot sign a browser into
an account of its choosing (login CSRF, OWASP CSRF Prevention Cheat Sheet): a random value
in a ``SameSite=Strict`` cookie (``cbec_pre``) and, in the form, its keyed hash under the
deployment's HMAC key (a signed double submit: a cookie planted by a sibling domain is of no
use without the key).
"""

from __future__ import annotations

import hmac
import re
import secrets
from typing import Annotated

from fastapi import Cookie, Depends, Form, Request

from cbec.api.access_log import note_tenant
from cbec.errors import CbecError
from cbec.services import sessions
from cbec.services.users import SessionUser

SESSION_COOKIE = "cbec_session"
PRE_COOKIE = "cbec_pre"
_PRE = re.compile(r"[A-Za-z0-9_-]{43}")


class NotSignedIn(CbecError):
    """No (valid) session: the page answers with the sign-in page instead (303)."""

    code = "not_signed_in"


class BadCsrf(CbecError):
    """A form without the session's CSRF token (or with another's)."""

    code = "csrf_failed"


def signed_in(
    request: Request,
    token: Annotated[str | None, Cookie(alias=SESSION_COOKIE, max_length=128)] = None,
) -> SessionUser:
    """The session's user (a FastAPI dependency of every signed-in page)."""
    user = sessions.session_user(request.app.state.rt.uow(), token)
    if user is None:
        raise NotSignedIn("not_signed_in", {})
    note_tenant(request.state, user.viewer.tenant_id)
    return user


Signed = Annotated[SessionUser, Depends(signed_in)]


def maybe_signed_in(
    request: Request,
    token: Annotated[str | None, Cookie(alias=SESSION_COOKIE, max_length=128)] = None,
) -> SessionUser | None:
    """The session's user, or None (pages that show something to everyone)."""
    user = sessions.session_user(request.app.state.rt.uow(), token)
    if user is not None:
        note_tenant(request.state, user.viewer.tenant_id)
    return user


MaybeSigned = Annotated[SessionUser | None, Depends(maybe_signed_in)]


def csrf_checked(user: Signed, csrf: Annotated[str | None, Form(max_length=128)] = None):
    """The session's user, once the form's CSRF token is checked (POST pages)."""
    if not sessions.check_csrf(user, csrf):
        raise BadCsrf("csrf_failed", {})
    return user


SignedForm = Annotated[SessionUser, Depends(csrf_checked)]


def set_session(response, token: str, secure: bool, max_age: int | None = None) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=secure,
        max_age=max_age,
        path="/",
    )


def clear_session(response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")


def pre_session(request: Request) -> tuple[str, str]:
    """The browser's pre-session token (a new one when it has none) and the value its forms
    carry: the token's keyed hash."""
    have = request.cookies.get(PRE_COOKIE) or ""
    token = have if _PRE.fullmatch(have) else secrets.token_urlsafe(32)
    return token, _signed(request, token)


def _signed(request: Request, token: str) -> str:
    return request.app.state.rt.vault.blind_index("console-pre-session", token)


def keep_pre_session(response, token: str, secure: bool):
    """Give the browser its pre-session cookie (the forms' token is signed against it)."""
    response.set_cookie(
        PRE_COOKIE, token, httponly=True, samesite="strict", secure=secure, path="/console"
    )
    return response


def pre_session_checked(
    request: Request,
    pre: Annotated[str | None, Cookie(alias=PRE_COOKIE, max_length=64)] = None,
    csrf: Annotated[str | None, Form(max_length=128)] = None,
) -> None:
    """A form posted before there is a session carries the keyed hash of the browser's
    pre-session cookie (403 otherwise)."""
    if not pre or not csrf or not _PRE.fullmatch(pre):
        raise BadCsrf("csrf_failed", {})
    if not hmac.compare_digest(_signed(request, pre), csrf):
        raise BadCsrf("csrf_failed", {})


PreSessionForm = Annotated[None, Depends(pre_session_checked)]
