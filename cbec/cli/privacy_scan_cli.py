"""``cbec privacy scan``: personal information in free text, from the command line.

JSON lines in, JSON lines out: each input line ``{"text": "..."}`` gets one output line
``{"spans": [{"start", "end", "entity_type", "score"}, ...]}`` (character offsets, end
exclusive), in order, written as soon as it is scanned — the same use case and limits as
``POST /privacy/scan`` (:mod:`cbec.services.privacy_scan`). Blank lines are skipped. A line
that is not a JSON object with a string ``text`` (or whose text is over the limit) stops
the command with exit status 2, naming the line number; the lines before it were answered.
Needs no database and no keys.

``cbec privacy anonymize`` reads the same lines and answers each with the text masked
(``{"text": ..., "replaced": [...]}``), as ``POST /privacy/anonymize`` does
(:mod:`cbec.services.privacy_anonymize`); it needs the deployment's keys (``hash`` is keyed).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated

import typer

from cbec.cli.common import die, read_json, write_json


class Operator(StrEnum):
    partial = "partial"
    full = "full"
    hash = "hash"
    redact = "redact"


def _texts() -> Iterator[tuple[int, str]]:
    """The ``text`` of each JSON line ``{"text": ...}`` on stdin, with its line number;
    blank lines skipped, anything else stops the command naming the line."""
    for number, raw in enumerate(sys.stdin.buffer, start=1):
        if not raw.strip():
            continue
        doc = read_json(raw, source=f"line {number}")
        if not isinstance(doc, dict) or not isinstance(doc.get("text"), str):
            die(f'line {number}: expected a JSON object with a string "text"')
        yield number, doc["text"]


def scan(
    threshold: Annotated[
        float,
        typer.Option(min=0.0, max=1.0, help="Report findings scored at least this (0 to 1)."),
    ] = 0.4,
) -> None:
    """Find personal information in the JSON lines {"text": ...} on stdin: one JSON line
    {"spans": [...]} per input line."""
    from cbec.services import privacy_scan as svc

    for number, text in _texts():
        request = svc.ScanRequest(texts=[text], threshold=threshold)
        try:
            result = svc.scan_texts(request)
        except svc.ScanInput as exc:
            die(f"line {number}: text {exc.detail}")
        write_json(result.results[0].model_dump(mode="json"))
        sys.stdout.flush()


def anonymize(
    operator: Annotated[
        Operator,
        typer.Option(help="partial, full, hash (a keyed pseudonym) or redact."),
    ] = Operator.partial,
    threshold: Annotated[
        float,
        typer.Option(min=0.0, max=1.0, help="Mask findings scored at least this (0 to 1)."),
    ] = 0.4,
) -> None:
    """Mask the personal information in the JSON lines {"text": ...} on stdin: one JSON line
    {"text": ..., "replaced": [...]} per input line, as POST /privacy/anonymize answers."""
    from pydantic import ValidationError

    from cbec.cli.common import runtime
    from cbec.services import privacy_anonymize as svc

    rt = runtime()
    for number, text in _texts():
        try:
            request = svc.AnonymizeRequest(
                texts=[text], operator=operator.value, threshold=threshold
            )
            result = svc.anonymize_texts(rt.uow(), request)
        except ValidationError as exc:
            die(f"line {number}: text {exc.errors()[0]['msg']}")
        except svc.ScanInput as exc:
            die(f"line {number}: text {exc.detail}")
        write_json(result.results[0].model_dump(mode="json"))
        sys.stdout.flush()
