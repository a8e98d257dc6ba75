"""``cbec import orders FILE --from amazon|shopify|tiktok|aliexpress|shopee|lazada|
aliexpress-api|auto --platform P``: a marketplace's order export (or, ``aliexpress-api``,
AliExpress Open Platform order details saved as JSON) filed as cbec orders, through the same bulk
filing as a native import (so a re-import of the same file counts every order unchanged).
Options left out come from the tenant's marketplace profile (``cbec marketplace profile``:
:mod:`cbec.cli.marketplace_profile_cli`)."""

from __future__ import annotations

from pathlib import Path

from cbec.cli.connector_import import import_converted


def import_marketplace(
    file: Path,
    as_tenant: str,
    *,
    source: str,
    platform: str | None,
    currency: str | None,
    origin: str | None,
    timezone: str | None,
    encoding: str | None,
    continue_on_error: bool,
    rejects: Path | None,
) -> None:
    from cbec.services import marketplace_import as mk

    def describe(conversion) -> tuple[list[str], list[str]]:
        before, after = [], []
        if conversion.from_profile:
            used = ", ".join(f"{k}={v}" for k, v in conversion.from_profile.items())
            before.append(f"from the marketplace profile: {used}")
        if conversion.skipped:
            after.append(
                f"skipped rows (cancelled orders, column descriptions): {conversion.skipped}"
            )
        return before, after

    import_converted(
        file,
        as_tenant,
        request=lambda file_format: mk.MarketplaceRequest(
            source=source,
            platform=platform,
            currency=currency,
            timezone=timezone,
            origin_country=origin,
            file_format=file_format,
            encoding=encoding,
        ),
        prepare=mk.prepare,
        import_file=mk.import_file,
        describe=describe,
        noun="orders",
        continue_on_error=continue_on_error,
        rejects=rejects,
    )
