"""``cbec screen``: screen the names in a CSV file against sanctions / denied-party lists.

A Typer command function; :mod:`cbec.cli.main` registers it (``app.command("screen")``).
Output is JSON Lines on stdout, one object per input row, so it pipes into ``jq`` or a
review queue; the list versions (sha256, entity count, source, load time) go to stderr,
one JSON object per list, for the operator's update log.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import typer

from cbec.cli.common import die
from cbec.screening.model import DEFAULT_THRESHOLD


def screen(
    list_: list[Path] = typer.Option(
        ...,
        "--list",
        exists=True,
        dir_okay=False,
        readable=True,
        help="List file (repeatable): FollowTheMoney JSON lines, OFAC sdn.xml or sdn.csv "
        "(alt.csv is read from the same folder), or UN consolidated.xml. "
        "The format is detected from the content.",
    ),
    names: Path = typer.Option(
        ...,
        "--names",
        exists=True,
        dir_okay=False,
        readable=True,
        help="CSV with a header: 'name' (required), optional 'birth_date' (YYYY[-MM[-DD]]), "
        "'country' (name or ISO code), 'id_number', 'role' "
        "(buyer/consignee/payer/seller/supplier).",
    ),
    threshold: float = typer.Option(
        DEFAULT_THRESHOLD,
        "--threshold",
        min=0.0,
        max=1.0,
        help="Score at or above which a row is a match (0..1).",
    ),
) -> None:
    """Screen each row of NAMES.csv; print one JSON object per row.

    Keys: name, match (true/false), score (best candidate, 0..1, also when below the
    threshold), entity_id and matched_name (of the best hit; null when no match), caption,
    list, features (name / dob / country / id similarities). Exit code 0 in all cases
    where the inputs could be read — a match is data, not an error."""
    from cbec.screening.index import ScreeningIndex
    from cbec.screening.lists import load_list
    from cbec.screening.match import Query, Role
    from cbec.screening.match import screen as screen_query
    from cbec.screening.model import ListFileError

    lists = []
    for path in list_:
        try:
            loaded = load_list(path)
        except (ListFileError, OSError) as exc:
            die(f"{path}: {exc}")
        lists.append(loaded)
        sys.stderr.write(json.dumps({"list": str(path), **loaded.version.as_dict()}) + "\n")
    index = ScreeningIndex(lists)

    try:
        with names.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or "name" not in reader.fieldnames:
                die(f"{names}: needs a header row with a 'name' column")
            rows = list(reader)
    except (UnicodeDecodeError, csv.Error) as exc:
        die(f"{names}: {exc}")

    out = sys.stdout
    for number, row in enumerate(rows, start=2):
        role_text = (row.get("role") or "").strip().lower()
        try:
            role = Role(role_text) if role_text else None
        except ValueError:
            die(f"{names}:{number}: unknown role {role_text!r}")
        query = Query(
            name=(row.get("name") or "").strip(),
            birth_date=(row.get("birth_date") or "").strip() or None,
            country=(row.get("country") or "").strip() or None,
            id_number=(row.get("id_number") or "").strip() or None,
            role=role,
        )
        result = screen_query(query, index, threshold)
        best = result.best
        hit = result.hits[0] if result.hits else None
        record = {
            "name": query.name,
            "match": result.matched,
            "score": round(best.score, 4) if best else 0.0,
            "entity_id": hit.entity_id if hit else None,
            "matched_name": hit.matched_name if hit else None,
            "caption": hit.caption if hit else None,
            "list": hit.source if hit else None,
            "features": best.features.as_dict() if best else None,
            "hits": len(result.hits),
        }
        if role:
            record["role"] = str(role)
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
