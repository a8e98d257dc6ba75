"""HTTP routes of the free-text personal-information scanner and anonymizer (use cases in
:mod:`cbec.services.privacy_scan` and :mod:`cbec.services.privacy_anonymize`)."""

from __future__ import annotations

from fastapi import APIRouter

from cbec.api.body import JsonBodyRoute
from cbec.api.contract import problems
from cbec.api.deps import Caller, Uow
from cbec.services import privacy_anonymize as anonymize_svc
from cbec.services import privacy_scan as svc

router = APIRouter(prefix="/privacy", tags=["privacy"], route_class=JsonBodyRoute)


@router.post(
    "/scan",
    summary="Find personal information in free text",
    description=(
        "Scans each text (order notes, addresses, product descriptions, messages; Chinese "
        "and English) for personal information: Chinese resident IDs, Unified Social Credit "
        "Codes and bank cards by checksum, mainland mobiles, passports (with a context "
        "word), Chinese names and addresses, emails, credit cards, IBANs, IP addresses, "
        "URLs and other phone numbers. Each span gives character offsets (end exclusive), "
        "the entity type and a score; a look-alike with a wrong check digit is not "
        f"reported. At most {svc.MAX_TEXTS} texts of {svc.MAX_CHARS} characters each "
        "(400 `scan_input` naming the text beyond). Nothing is stored or logged."
    ),
    response_model=svc.ScanResult,
    responses=problems(),
)
def scan(body: svc.ScanRequest, caller: Caller) -> svc.ScanResult:
    return svc.scan_texts(body)


@router.post(
    "/anonymize",
    summary="Mask the personal information in free text",
    description=(
        "Finds personal information in each text as `POST /privacy/scan` does and replaces "
        "each span with the operator asked for, the same operators cbec applies to "
        "document fields: `partial` (the field masks: `1101**********002X`, `138****5678`, "
        "`张**`), `full` (every character masked, length kept), `hash` (a keyed pseudonym: "
        "the same value gives the same text in every text; never the pseudonym a document "
        "shows) or `redact` "
        "(removed). Answers per text the anonymized text and each span replaced, with its "
        "offsets in the input (end exclusive) and what replaced it. Same limits as the "
        "scan (400 `scan_input` naming the text beyond). Nothing is stored or logged."
    ),
    response_model=anonymize_svc.AnonymizeResult,
    responses=problems(),
)
def anonymize(
    body: anonymize_svc.AnonymizeRequest, caller: Caller, uow: Uow
) -> anonymize_svc.AnonymizeResult:
    return anonymize_svc.anonymize_texts(uow, body)
