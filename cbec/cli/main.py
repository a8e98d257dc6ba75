"""``cbec`` — the command line. Every command works on the database named by
``CBEC_DATABASE_URL`` (default: a SQLite file in ``CBEC_DATA_DIR``) and creates or upgrades
its schema first.

This module only assembles the Typer app from the command modules (one per group; shared
helpers in :mod:`cbec.cli.common`). Those modules import Typer and Rich at the top and
everything else inside the commands, so ``cbec --help`` and ``cbec --version`` start without
loading the database, screening, customs, analytics or web stacks; ``tests/test_cli_startup``
keeps it so.
"""

from __future__ import annotations

from typing import Annotated

import typer

from cbec.cli import tracking_cli  # noqa: F401  (registers cbec logistics track, trace …)
from cbec.cli.admin_cli import admin, db, demo
from cbec.cli.algorithms_cli import algorithms
from cbec.cli.analytics_cli import analytics
from cbec.cli.compliance_cli import compliance
from cbec.cli.customs_cli import customs
from cbec.cli.disputes_cli import disputes
from cbec.cli.documents_cli import import_
from cbec.cli.einvoice_cli import einvoice
from cbec.cli.ledger_cli import ledger
from cbec.cli.logistics_cli import logistics
from cbec.cli.marketplace_profile_cli import marketplace
from cbec.cli.polls_cli import ad_report, polls
from cbec.cli.privacy_cli import privacy
from cbec.cli.privacy_scan_cli import anonymize as privacy_anonymize
from cbec.cli.privacy_scan_cli import scan as privacy_scan
from cbec.cli.screen_cli import screen
from cbec.cli.serve_cli import serve
from cbec.cli.talent_cli import talent
from cbec.cli.tax_cli import tax
from cbec.cli.webhooks_cli import webhooks

app = typer.Typer(
    help="cbec: open platform for cross-border e-commerce trade documents.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)


def package_version() -> str:
    """The installed distribution's version (what pip and bug reports see), else the one
    in the source tree."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cbec")
    except PackageNotFoundError:
        from cbec import __version__

        return __version__


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"cbec {package_version()}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            is_eager=True,
            callback=_print_version,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    # The options that belong to ``cbec`` itself rather than to a command: --version, eager
    # so it answers before any command (or the missing one) is looked at.
    return None


# Order matters: it is the order of the commands in ``cbec --help``.
app.command()(serve)
app.command()(demo)
app.command("import")(import_)
app.command("screen")(screen)
app.add_typer(admin, name="admin")
app.add_typer(db, name="db")
app.add_typer(ledger, name="ledger")
app.add_typer(customs, name="customs")
app.add_typer(tax, name="tax")
app.add_typer(compliance, name="compliance")
app.add_typer(analytics, name="analytics")
app.add_typer(privacy, name="privacy")
app.add_typer(logistics, name="logistics")
app.add_typer(webhooks, name="webhooks")
app.add_typer(marketplace, name="marketplace")
app.add_typer(disputes, name="disputes")
app.add_typer(talent, name="talent")
app.add_typer(einvoice, name="einvoice")
app.add_typer(algorithms, name="algorithms")
app.add_typer(polls, name="polls")
privacy.command("scan")(privacy_scan)
privacy.command("anonymize")(privacy_anonymize)
analytics.command("ad-report")(ad_report)


if __name__ == "__main__":
    app(prog_name="cbec")
