"""``cbec logistics track FILE --from generic|17track|aftership|auto``: a carrier's tracking
file recorded as tracking events of the firm's waybills, by the same use case as
``POST /logistics/tracking/files`` (:mod:`cbec.services.carrier_import`). A refused file
exits 2 naming each row or JSON path and the rule it broke; nothing is recorded."""

from __future__ import annotations

from pathlib import Path

from cbec.cli.common import fail, tenant_caller, write_json

FORMATS = ("auto", "generic", "17track", "aftership")


def record_carrier_file(
    path: Path, as_tenant: str, source: str, timezone: str | None, encoding: str | None
) -> None:
    from pydantic import ValidationError

    from cbec.cli.tax_cli import refuse
    from cbec.errors import CbecError
    from cbec.services.carrier_import import CarrierFileRequest, record_file

    rt, caller = tenant_caller(as_tenant)
    try:
        req = CarrierFileRequest(
            body=path.read_bytes(), format=source, timezone=timezone, encoding=encoding
        )
        result = record_file(rt.uow(), caller, req)
    except ValidationError as exc:
        refuse(exc)
    except CbecError as exc:
        fail(exc)
    write_json(result.model_dump(mode="json"), 2)
