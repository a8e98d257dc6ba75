"""Carrier tracking files read as cbec's short-form tracking events: cbec's generic CSV
(:mod:`.generic`), 17TRACK's webhook payload (:mod:`.track17`) and AfterShip's
(:mod:`.aftership`) — one module per format, each citing the page its fields come from and
holding its table from the carrier's statuses to cbec's milestones.

A file is one CSV, or JSON: one webhook payload, an array of them, or JSON Lines (one payload
a line, as a webhook receiver logs them). Its format is named, or told from its content
(:func:`detect`). Converting reads every row and reports every broken rule at once — the row
(``line[3].status``) or the JSON path (``[1].msg.checkpoints[0].tag``) with the rule — and
gives nothing unless the whole file is good (:func:`convert`).
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from cbec import jsonio
from cbec.connectors.carriers import aftership, generic, track17
from cbec.connectors.carriers.core import MAX_EVENTS, CarrierEvent, Collector, Converted
from cbec.errors import BadRequest, DocumentInvalid, Violation

NAMES = ("auto", generic.NAME, track17.NAME, aftership.NAME)
READERS = {track17.NAME: track17, aftership.NAME: aftership}

__all__ = ["MAX_EVENTS", "NAMES", "CarrierEvent", "Converted", "convert", "detect"]


def _payloads(body: bytes) -> tuple[list[tuple[str, Any]], str] | None:
    """The JSON payloads of ``body`` with the prefix naming each, and the file's shape; None
    when ``body`` is no JSON (a CSV file)."""
    text = body.decode("utf-8-sig", errors="replace").strip()
    if not text.startswith(("{", "[")):
        return None
    try:
        doc = jsonio.loads(text)
    except BadRequest as exc:
        lines = [line for line in text.splitlines() if line.strip()]
        if exc.rule != "invalid_json" or len(lines) < 2:
            raise
        out = []
        for n, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    out.append((f"line[{n}].", jsonio.loads(line)))
                except BadRequest as e:
                    detail = str(e.params.get("detail", e.rule))[:120]
                    raise DocumentInvalid(
                        [Violation(f"line[{n}]", "carrier_json_invalid", {"detail": detail})]
                    ) from None
        return out, "lines"
    if isinstance(doc, list):
        return [(f"[{i}].", d) for i, d in enumerate(doc)], "array"
    return [("", doc)], "object"


def detect(body: bytes, wanted: str = "auto") -> str:
    """The format of ``body``: ``wanted`` when it names one, else told from the content — a
    JSON payload by its fields, a CSV file by its header; ``carrier_format_unknown`` when
    nothing fits."""
    if wanted not in NAMES:
        raise BadRequest("carrier_format_unknown", {"wanted": wanted[:32], "formats": _known()})
    if wanted != "auto":
        return wanted
    found = _payloads(body)
    if found is not None:
        first = next((d for _, d in found[0]), None)
        for reader in (track17, aftership):
            if reader.is_payload(first):
                return reader.NAME
    else:
        for codec in ("utf-8-sig", "gb18030"):  # a header in Chinese may be GBK
            head = body[:4096].decode(codec, errors="ignore").splitlines()[:1]
            if head and generic.is_header(head[0].split(",")):
                return generic.NAME
    raise BadRequest("carrier_format_unknown", {"wanted": wanted, "formats": _known()})


def _known() -> str:
    return ", ".join(n for n in NAMES if n != "auto")


def convert(
    body: bytes, wanted: str = "auto", zone: ZoneInfo | None = None, encoding: str | None = None
) -> Converted:
    """Every event of a carrier file, or :class:`DocumentInvalid` naming each broken rule."""
    fmt = detect(body, wanted)
    bad = Collector()
    if fmt == generic.NAME:
        events = generic.read(body, zone, encoding, bad)
    else:
        found = _payloads(body)
        if found is None:
            detail = f"a {fmt} file is JSON"
            raise DocumentInvalid([Violation("body", "carrier_json_invalid", {"detail": detail})])
        reader = READERS[fmt]
        events = []
        for prefix, doc in found[0]:
            events += reader.read(doc, prefix, zone, bad)
    if bad.violations:
        raise DocumentInvalid(bad.violations)
    if not events:
        raise DocumentInvalid([Violation("body", "carrier_no_events")])
    if len(events) > MAX_EVENTS:
        raise DocumentInvalid([Violation("body", "carrier_too_many_events", {"max": MAX_EVENTS})])
    return Converted(fmt, events)
