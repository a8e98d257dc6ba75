"""The console's routes: HTML pages over the use cases (no logic here — see cbec.services).

``/`` leads to ``/console``; ``/console/lang/{code}`` switches the language (a cookie, then
back to the console: no personal data in any address). Pages are rendered by Jinja2 with
autoescaping on, one environment per language so a request never sees another's gettext.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Cookie, Header, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, PackageLoader, select_autoescape

import cbec
from cbec.console.auth import MaybeSigned
from cbec.console.formats import figures
from cbec.console.i18n import COOKIE, HTML_LANG, language, translations
from cbec.i18n import KIND_NAMES, translate
from cbec.services import overview

router = APIRouter(include_in_schema=False)
YEAR = 365 * 24 * 3600


@cache
def environment(lang: str) -> Environment:
    env = Environment(
        loader=PackageLoader("cbec.console", "templates"),
        autoescape=select_autoescape(default=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters["outcome"] = lambda outcome: outcome_label(outcome, lang)
    env.filters["role_name"] = lambda role: translations(lang).gettext(
        ROLE_NAMES.get(str(role), str(role))
    )
    env.filters["kind_name"] = lambda kind: translate(
        f"kind:{kind}", KIND_NAMES.get(str(kind), str(kind)), lang
    )
    f = figures(lang)
    env.globals["f"] = f
    env.filters["money"] = f.money
    env.filters["when"] = f.when
    env.filters["day"] = f.day
    env.filters["num"] = f.num
    return env


def render(
    request: Request, name: str, lang: str, status: int = 200, **context: Any
) -> HTMLResponse:
    page = environment(lang).get_template(name)
    html = page.render(
        lang=lang, html_lang=HTML_LANG[lang], version=cbec.__version__, request=request, **context
    )
    return HTMLResponse(html, status_code=status)


Lang = Annotated[str | None, Cookie(alias=COOKIE, max_length=8)]
AcceptLanguage = Annotated[str | None, Header(max_length=255)]


def page_language(request: Request, cookie: str | None) -> str:
    """The page's language: the switch's cookie, else the browser's Accept-Language."""
    return language(cookie, request.headers.get("accept-language"))


@router.get("/")
def root() -> RedirectResponse:
    return RedirectResponse("/console", status_code=303)


@router.get("/console")
def home(
    request: Request,
    user: MaybeSigned,
    cbec_lang: Lang = None,
    accept_language: AcceptLanguage = None,
):
    """The dashboard of a signed-in user; the console's front page for everyone else."""
    lang = language(cbec_lang, accept_language)
    if user is None:
        return render(request, "home.html", lang)
    now = overview.overview(request.app.state.rt.uow(), user.viewer)
    return render(
        request,
        "dashboard.html",
        lang,
        user=user,
        o=now,
        charts=_charts(now, lang),
        states=DECLARATION_STATES,
        messages=DECLARED_MESSAGES,
    )


def _charts(o: overview.Overview, lang: str) -> dict[str, Any]:
    """The data of the dashboard's charts, labels in the page's language (console.js draws
    them with ECharts; the page shows the same figures as tables without JavaScript)."""
    gettext = translations(lang).gettext
    f = figures(lang)
    return {
        "orders-by-day": {
            "type": "bar",
            "title": gettext("Orders per day, last 30 days"),
            "labels": [f.short_day(d.day) for d in o.by_day],
            "values": [d.orders for d in o.by_day],
        },
        "outcomes": {
            "type": "pie",
            "title": gettext("Compliance outcomes, last 30 days"),
            "labels": [outcome_label(k, lang) for k in o.outcomes],
            "values": list(o.outcomes.values()),
        },
    }


def N_(message: str) -> str:
    """Marks a string for the catalogue (Babel extracts ``N_``); translated where shown."""
    return message


# A user's role within its tenant (cbec.accounts.UserRole), as the console names it.
ROLE_NAMES = {"admin": N_("Admin"), "operator": N_("Operator"), "viewer": N_("Viewer")}

# The decision outcomes of cbec.compliance.model.OUTCOMES, as the console names them.
OUTCOMES = {
    "deny": N_("Denied"),
    "needs_document": N_("Needs a document"),
    "review": N_("To review"),
    "allow_sandbox": N_("Allowed in a sandbox"),
    "allow": N_("Allowed"),
}


# The declaration states of cbec.customs.state, as the console names them.
DECLARATION_STATES = {
    "draft": N_("draft"),
    "declared": N_("declared"),
    "declaring": N_("declaring"),
    "sent": N_("sent"),
    "accepted": N_("accepted"),
    "rejected": N_("rejected"),
    "cancelling": N_("cancelling"),
    "cancelled": N_("cancelled"),
    "returning": N_("returning"),
    "returned": N_("returned"),
}
# The declarable messages of cbec.customs.state, as the dashboard names them.
DECLARED_MESSAGES = {
    "CEB311": N_("Order (CEB311)"),
    "CEB411": N_("Payment (CEB411)"),
    "CEB511": N_("Waybill (CEB511)"),
    "CEB621": N_("Inventory list (CEB621)"),
    "CEB623": N_("Cancellation (CEB623)"),
    "CEB625": N_("Return (CEB625)"),
}


def outcome_label(outcome: str, lang: str) -> str:
    source = OUTCOMES.get(outcome)
    return translations(lang).gettext(source) if source else outcome


@router.get("/console/lang/{code}")
def switch_language(code: Literal["en", "zh"]) -> RedirectResponse:
    response = RedirectResponse("/console", status_code=303)
    response.set_cookie(COOKIE, code, max_age=YEAR, httponly=True, samesite="lax")
    return response
