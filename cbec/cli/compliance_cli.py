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
    """The decision for the order on stdin (JSON, numbers read as decimals): outcome, and
    every rule that fired with its reason and the field it read. Exits 1 unless the outcome
    is allow; 2 when the rules or the order cannot be read (the field is named)."""
    from datetime import date

    from cbec.compliance import evaluate
    from cbec.errors import CbecError

    try:
        day = date.fromisoformat(on) if on else None
    except ValueError:
        die(f"--date {on!r}: expected YYYY-MM-DD")
    try:
        ruleset = _ruleset(rules)
        order = read_stdin_json()
        if not isinstance(order, dict):
            die("the order on stdin must be a JSON object")
        decision = evaluate(order, ruleset, day)
    except CbecError as exc:  # RuleError, RuleSetError, OrderFactsError
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
    from cbec.errors import CbecError

    try:
        ruleset = _ruleset(rules)
    except CbecError as exc:  # RuleError, RuleSetError
        die(str(exc))
    sys.stdout.write(f"version {ruleset.version.id}\n")
    for rule in ruleset.rules:
        sys.stdout.write(f"{rule.id}\t{rule.kind}\t{rule.title.en}\n")
