"""Start-up time: how long ``cbec`` takes before it does anything.

Our rule is that speed goals are checked by scripts under ``bench/`` that print ratios
against a baseline measured in the same run, so a number is read relative to the machine it
ran on. A command line that pays for the screening stack, the forecasting libraries or the
web server on every ``--help`` feels broken, so this script starts fresh processes and
measures their wall time with ``time.perf_counter``, ``--repeats`` times each (after one
untimed warm-up run that fills the page cache), and prints the median:

1. **import cbec.runtime** — the wiring every database command loads (engine, keys, vault,
   ledger, the checks filings run); heavy libraries are loaded when first used, not here;
2. **cbec --version** — the eager option: prints ``cbec <version>`` and exits;
3. **cbec --help** — builds the whole command tree (every group's options and help texts).

The baseline, measured in the same run: **B. python -c pass** — the interpreter's own
start-up (and ``site``), the floor no Python program starts below. Each row is also printed
as a ratio to it (a ratio of 10 means ten times the bare interpreter).

Every timed run is checked: exit status 0, ``--version`` prints ``cbec <version>`` and
``--help`` lists the command groups, so a run that failed fast cannot pass. The goal:
**cbec --help and cbec --version each ≤ 0.5 s** (median). Pass ``--one-core`` to pin the
processes to one CPU (the children inherit the affinity). ``--importtime`` also prints the
costliest imports of ``cbec --help`` (from ``python -X importtime``), to find what to defer.

Usage::

    .venv/bin/python bench/startup.py [--repeats 9] [--one-core] [--importtime]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

GOAL_SECONDS = 0.5
GROUPS = ("admin", "ledger", "customs", "tax", "compliance", "analytics")


def cbec_command() -> list[str]:
    """The installed ``cbec`` script beside this interpreter (what users run), else
    ``python -m cbec.cli.main``."""
    script = Path(sys.executable).parent / "cbec"
    return [str(script)] if script.exists() else [sys.executable, "-m", "cbec.cli.main"]


@dataclass
class Row:
    number: str
    label: str
    argv: list[str]
    seconds: list[float] = field(default_factory=list)
    error: str = ""  # why a run was refused; the row is then not timed further

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def run_once(row: Row) -> None:
    """Time one fresh process; a run that fails or prints the wrong thing marks the row
    refused instead (so a run that failed fast cannot pass)."""
    start = time.perf_counter()
    done = subprocess.run(row.argv, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        said = [re.sub("[\u2500-\u257f]", "", ln).strip() for ln in done.stderr.splitlines()]
        row.error = f"exit {done.returncode}: {([ln for ln in said if ln] or [''])[-1][:60]}"
    elif row.label == "cbec --version" and done.stdout.strip() != f"cbec {version('cbec')}":
        row.error = f"printed {done.stdout.strip()[:40]!r}, not 'cbec {version('cbec')}'"
    elif row.label == "cbec --help" and not all(g in done.stdout for g in GROUPS):
        row.error = f"does not list every group of {GROUPS}"
    else:
        row.seconds.append(seconds)


def importtime(argv: list[str], top: int = 12) -> list[str]:
    """The ``top`` costliest imports (cumulative µs) of one run, as printed by -X importtime."""
    if argv[0] != sys.executable:
        argv = [sys.executable, *argv]
    done = subprocess.run(
        [argv[0], "-X", "importtime", *argv[1:]], capture_output=True, text=True, check=False
    )
    rows = []
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    rows.sort(reverse=True)
    return [f"  {us / 1000:8.1f} ms  {name}" for us, name in rows[:top]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=9, help="timed runs per row; median")
    parser.add_argument("--one-core", action="store_true", help="pin to one CPU")
    parser.add_argument("--importtime", action="store_true", help="costliest imports of --help")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be ≥ 1")

    allowed = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    pinned = args.one_core and hasattr(os, "sched_setaffinity")
    if pinned:
        core = allowed[0] if allowed else 0
        os.sched_setaffinity(0, {core})
        where = f"pinned to CPU {core} (of {allowed})"
    else:
        where = f"not pinned ({len(allowed)} CPUs allowed; pass --one-core to pin)"
    cbec = cbec_command()
    print(
        f"cbec start-up benchmark — Python {platform.python_version()}, cbec {version('cbec')}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs; {where}; median of {args.repeats} runs"
    )
    print(f"cbec command: {' '.join(cbec)}")

    rows = [
        Row("B.", "python -c pass", [sys.executable, "-c", "pass"]),
        Row("1.", "import cbec.runtime", [sys.executable, "-c", "import cbec.runtime"]),
        Row("2.", "cbec --version", [*cbec, "--version"]),
        Row("3.", "cbec --help", [*cbec, "--help"]),
    ]
    for row in rows:
        run_once(row)  # warm-up: page cache, .pyc files (not counted)
        row.seconds.clear()
    for _ in range(args.repeats):  # interleaved, so a burst of load hits every row alike
        for row in rows:
            if not row.error:
                run_once(row)
    if rows[0].error:
        raise SystemExit(f"python -c pass: {rows[0].error}")

    base = rows[0].median
    print()
    print(f"{'':26} {'median':>9} {'min':>9} {'max':>9} {'× baseline':>11}")
    for row in rows:
        name = f"{row.number} {row.label}"
        if row.error:
            print(f"{name:26} refused — {row.error}")
            continue
        print(
            f"{name:26} {row.median * 1000:7.0f} ms {min(row.seconds) * 1000:6.0f} ms "
            f"{max(row.seconds) * 1000:6.0f} ms {row.median / base:10.1f}×"
        )
    if args.importtime:
        print()
        print("costliest imports of cbec --help (cumulative):")
        for line in importtime(rows[3].argv):
            print(line)
    core = "on one core" if pinned else "NOT pinned: rerun with --one-core"
    print()
    for row in rows[2:]:
        if row.error:
            print(f"FAIL  goal {row.label} ≤ {GOAL_SECONDS:g} s — refused: {row.error}")
            continue
        verdict = "PASS" if row.median <= GOAL_SECONDS else "FAIL"
        print(
            f"{verdict}  goal {row.label} ≤ {GOAL_SECONDS:g} s — "
            f"{row.median:.3f} s ({row.median / base:.1f}× python -c pass), {core}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
