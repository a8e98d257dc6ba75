"""Tax quote pages (adapters over :mod:`cbec.services.tax`): the China CBEC retail-import tax
of an order (财关税〔2016〕18号 as amended by 〔2018〕49号: duty, VAT and consumption tax
within the single and annual limits) and the landed cost (DDP) of an order at its
destination, each with its breakdown and the rule rows behind every figure
(:mod:`cbec.services.tax_sources`).

A form's fields are gathered into the very request model the API validates
(:class:`~cbec.services.tax_models.CnImportRequest`,
:class:`~cbec.services.tax_models.QuoteRequest`) and handed to the same use case, so a quote
here is the API's quote; a refused field is named in the page's language, as the API's
problem+json names it. Forms are POSTed with the session's CSRF token: the figures of a
quote stay out of addresses and logs.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import ValidationError

from cbec.console import auth
from cbec.console.forms import problems_of
from cbec.console.pages import Lang, page_language, render
from cbec.errors import CbecError, DocumentInvalid
from cbec.services import tax, tax_sources
from cbec.services import tax_models as m

router = APIRouter(include_in_schema=False)
LINES = 3  # item rows a form offers; empty rows are left out
CN_FIELDS = ("date", "freight", "insurance", "annual_used")
CN_LINE = ("sku", "qty", "unit_price", "vat_rate", "ct_rate", "duty_rate")
LANDED_FIELDS = ("destination", "date", "currency", "freight", "insurance", "channel")
LANDED_LINE = ("sku", "qty", "unit_price", "hs_code", "origin")
MAX_FIELD = 200  # characters kept of a submitted field (the models' bounds are tighter)


def _fields(form: Any, prefix: str, head: tuple[str, ...], line: tuple[str, ...]) -> dict:
    """The form's values as the request's JSON would carry them: empty fields and empty item
    rows left out (the model's defaults apply), each value text for the model to read."""

    def value(name: str) -> str:
        raw = form.get(f"{prefix}-{name}")
        return raw.strip()[:MAX_FIELD] if isinstance(raw, str) else ""

    out: dict[str, Any] = {k: value(k) for k in head if value(k)}
    lines = []
    for i in range(LINES):
        row = {k: value(f"lines-{i}-{k}") for k in line}
        if any(row.values()):
            lines.append({k: v for k, v in row.items() if v})
    out["lines"] = lines
    return out


def _raw(form: Any, prefix: str, head: tuple[str, ...], line: tuple[str, ...]) -> dict:
    """Every field as submitted, to show the form again."""
    names = [*head, *(f"lines-{i}-{k}" for i in range(LINES) for k in line)]
    return {n: str(form.get(f"{prefix}-{n}") or "")[:MAX_FIELD] for n in names}


def _page(request: Request, user: Any, lang: str, status: int = 200, **context: Any):
    context.setdefault("cn_form", {"date": "", "lines-0-qty": "1", "lines-0-vat_rate": "0.13"})
    context.setdefault(
        "landed_form", {"channel": "courier", "lines-0-qty": "1", "destination": "", "currency": ""}
    )
    return render(
        request,
        "tax.html",
        lang,
        status=status,
        user=user,
        lines=range(LINES),
        **context,
    )


@router.get("/console/tax")
def tax_page(request: Request, user: auth.Signed, lang: Lang = None):
    return _page(request, user, page_language(request, lang))


def _refused(exc: ValidationError | CbecError, lang: str) -> list[dict[str, Any]]:
    """The problems of a refused quote: each field with its message in ``lang``."""
    if isinstance(exc, ValidationError | DocumentInvalid):
        return problems_of(exc, lang)
    field = str(exc.params.get("field") or "")
    return [{"field": field, "rule": exc.rule, "message": exc.message(lang)}]


@router.post("/console/tax/cn-import")
async def cn_import(request: Request, user: auth.SignedForm, lang: Lang = None):
    language = page_language(request, lang)
    form = await request.form()
    raw = _raw(form, "cn", CN_FIELDS, CN_LINE)
    try:
        req = m.CnImportRequest.model_validate(_fields(form, "cn", CN_FIELDS, CN_LINE))
        result = tax.assess_cn_import(req)
    except (ValidationError, CbecError) as exc:
        problems = _refused(exc, language)
        return _page(request, user, language, 422, cn_form=raw, cn_problems=problems)
    sources = tax_sources.rule_sources(result.rules)
    return _page(request, user, language, cn_form=raw, cn=result, cn_sources=sources)


@router.post("/console/tax/landed")
async def landed(request: Request, user: auth.SignedForm, lang: Lang = None):
    language = page_language(request, lang)
    form = await request.form()
    raw = _raw(form, "landed", LANDED_FIELDS, LANDED_LINE)
    try:
        req = m.QuoteRequest.model_validate(_fields(form, "landed", LANDED_FIELDS, LANDED_LINE))
        result = tax.quote_landed_cost(req)
    except (ValidationError, CbecError) as exc:
        problems = _refused(exc, language)
        return _page(request, user, language, 422, landed_form=raw, landed_problems=problems)
    names = [
        *result.rules,
        *(r for line in result.lines for r in (line.duty_rule, line.vat_rule, *line.fee_rules)),
        *(fx.rule for fx in result.fx_used),
    ]
    sources = tax_sources.rule_sources(names)
    return _page(request, user, language, landed_form=raw, landed=result, landed_sources=sources)
