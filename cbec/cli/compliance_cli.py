"""``cbec compliance …``: the rules in force and the decision they give an order."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from cbec.cli.common import die, read_stdin_json, write_json

compliance = typer.Typer(
    help="Negative list + whitelist rules and their decisions.", no_args_is_help=True
)


def _ruleset(rules_dir: Path | None):
    from cbec.compliance import load_dir, load_starter

    return load_dir(rules_dir, label=rules_dir.name) if rules_dir else load_starter()


@compliance.command("evaluate")
def evaluate_cmd(
    rules: Annotated[
        Path | None,
        typer.Option(
            exists=True, file_okay=False, help="A folder of rule files (default: starter)."
        ),
    ] = None,
    on: Annotated[str, typer.Option("--date", help="Evaluate as of YYYY-MM-DD.")] = "",
) -> None:
    """The decision for the order on stdin (JSON): outcome, and every rule that fired with
    its reason and the field it read. Exits 1 unless the outcome is allow."""
    from datetime import date

    from cbec.compliance import OrderFactsError, RuleError, RuleSetError, evaluate

    try:
        ruleset = _ruleset(rules)
        order = read_stdin_json()
        decision = evaluate(order, ruleset, date.fromisoformat(on) if on else None)
    except (RuleError, RuleSetError, OrderFactsError, ValueError) as exc:
        die(str(exc))
    write_json(decision.as_dict(), indent=2)
    raise typer.Exit(0 if decision.outcome in ("allow", "allow_sandbox") else 1)


@compliance.command("rules")
def rules_cmd(
    rules: Annotated[
        Path | None,
        typer.Option(
            exists=True, file_okay=False, help="A folder of rule files (default: starter)."
        ),
    ] = None,
) -> None:
    """List the rules (id, kind, title, source) and the rule-set version; a folder whose
    rules contradict each other is refused with the ids named."""
    from cbec.compliance import RuleError, RuleSetError

    try:
        ruleset = _ruleset(rules)
    except (RuleError, RuleSetError) as exc:
        die(str(exc))
    sys.stdout.write(f"version {ruleset.version.id}\n")
    for rule in ruleset.rules:
        sys.stdout.write(f"{rule.id}\t{rule.kind}\t{rule.title.en}\n")
