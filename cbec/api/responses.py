"""Answers whose JSON is written by ``orjson`` (:func:`cbec.jsonio.dump_bytes`): the same
bytes as Starlette's ``JSONResponse`` for the views the API returns, ~8× faster to write —
the standard library's encoder was a tenth of the event loop's time per ``POST /orders``."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from cbec.jsonio import dump_bytes


class FastJSONResponse(JSONResponse):
    """``JSONResponse`` (``application/json``) rendered with ``orjson``."""

    def render(self, content: Any) -> bytes:
        return dump_bytes(content)
