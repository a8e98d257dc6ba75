"""HTTP route of the free-text personal-information scanner (use case in
:mod:`cbec.services.privacy_scan`)."""

from __future__ import annotations

from fastapi import APIRouter

from cbec.api.body import JsonBodyRoute
from cbec.api.contract import problems
from cbec.api.deps import Caller
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
