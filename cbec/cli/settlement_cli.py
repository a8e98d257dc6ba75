"""``cbec import payments FILE --from stripe|paypal|generic|auto --platform P``: a payment
settlement report filed as cbec payment vouchers, through the same bulk filing as a native
import (so a re-import of the same file counts every payment unchanged)."""

from __future__ import annotations

from pathlib import Path

from cbec.cli.connector_import import import_converted


def import_settlement(
    file: Path,
    as_tenant: str,
    *,
    source: str,
    platform: str,
    timezone: str | None,
    encoding: str | None,
    continue_on_error: bool,
    rejects: Path | None,
) -> None:
    from cbec.services import settlement_import as st

    def describe(conversion) -> tuple[list[str], list[str]]:
        if not conversion.skipped:
            return [], []
        counts = ", ".join(f"{k}: {n}" for k, n in conversion.skipped_by_category.items())
        return [], [f"skipped rows (not payments): {conversion.skipped} ({counts})"]

    import_converted(
        file,
        as_tenant,
        request=lambda file_format: st.SettlementRequest(
            source=source,
            platform=platform,
            timezone=timezone,
            file_format=file_format,
            encoding=encoding,
        ),
        prepare=lambda uow, viewer, upload, req: st.prepare(viewer, upload, req),
        import_file=st.import_file,
        describe=describe,
        noun="payments",
        continue_on_error=continue_on_error,
        rejects=rejects,
    )
