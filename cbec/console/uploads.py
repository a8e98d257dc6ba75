"""What the console's file pages share (marketplace order files, settlement reports): the
upload's table format, and running an import use case on it with the outcome or the refusal
shown on the page — a role that may not file is 403, any other refusal 422, never a 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request, UploadFile
from fastapi.concurrency import run_in_threadpool

from cbec.errors import CbecError
from cbec.trade.tabular import format_of

Page = Callable[..., Any]  # (request, user, lang, status=200, **context) -> response


def file_format(file: UploadFile | None) -> str:
    """``xlsx`` for a workbook (by name or media type), else ``csv``."""
    return "xlsx" if file and format_of(file.filename, file.content_type) == "xlsx" else "csv"


async def run_import(
    request: Request,
    user: Any,
    lang: str,
    page: Page,
    use_case: Callable[..., dict[str, Any]],
    req: Any,
    file: UploadFile | None,
    continue_on_error: str,
    form: dict[str, Any],
) -> Any:
    """``use_case(uow, user, upload, req, continue_on_error=…, lang=…)`` on the uploaded
    file, off the event loop, and the page with its outcome or what refused it."""
    if file is None:
        return page(request, user, lang, 422, form=form, problem_file=True)
    try:
        outcome = await run_in_threadpool(
            use_case,
            request.app.state.rt.uow(),
            user,
            file.file,
            req,
            continue_on_error=bool(continue_on_error),
            lang=lang,
        )
    except CbecError as exc:
        status = 403 if exc.rule in ("role_cannot_file", "role_forbidden") else 422
        return page(
            request,
            user,
            lang,
            status,
            form=form,
            problem=exc.message(lang),
            problems=exc.details(lang),
        )
    return page(request, user, lang, form=form, outcome=outcome)
