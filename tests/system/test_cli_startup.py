"""The command line starts without the heavy libraries: they load when a command uses them.

Start-up *time* is measured by ``bench/startup.py`` (a timing assertion here would fail on a
loaded machine); this test checks the cause instead, deterministically: which top-level
packages a fresh interpreter has in ``sys.modules`` after importing the CLI or running
``--help`` / ``--version``. An eager import of any of them anywhere on the start-up path —
a module-level import in a command module, in ``cbec.runtime`` or in a store module —
makes it fail and names the package.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cbec.cli.main import app

ROOT = Path(__file__).resolve().parents[2]

#: Each costs tens to hundreds of milliseconds to import; none is needed to parse a command.
HEAVY = {
    "polars",
    "statsforecast",
    "scipy",
    "matplotlib",
    "dask",
    "distributed",
    "fugue",
    "pypinyin",
    "rapidfuzz",
    "jellyfish",
    "tongsuopy",
    "openpyxl",
    "lxml",
    "xsdata",
    "numpy",
    "pandas",
    "fastapi",
    "starlette",
    "uvicorn",
    "presidio_analyzer",  # the free-text scanner (cbec privacy scan): a second to build
    "spacy",
    "tldextract",
}

# Runs the CLI in-process like the ``cbec`` script does, then reports the loaded packages as
# the last line of standard output (after whatever the command printed).
RUN_CLI = """
import json, sys
from cbec.cli.main import app
try:
    app(sys.argv[1:], prog_name="cbec")
except SystemExit:
    pass
print()
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


IMPORT = "import {}, json, sys; print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"


def child_env() -> dict[str, str]:
    """This tree first on the path, whether or not it is the installed one."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PYTHONPATH": path, "COLUMNS": "100"}


def loaded_packages(*args: str) -> set[str]:
    """Top-level packages in ``sys.modules`` of a fresh interpreter running ``args``."""
    done = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=child_env(), check=False
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_importing_the_cli_loads_no_heavy_library():
    loaded = loaded_packages("-c", IMPORT.format("cbec.cli.main"))
    assert "typer" in loaded  # the probe works
    assert sorted(loaded & HEAVY) == []


def test_importing_the_runtime_loads_no_heavy_library():
    """``cbec.runtime`` is what every database command opens; screening, customs and
    analytics load when a filing or a command needs them."""
    loaded = loaded_packages("-c", IMPORT.format("cbec.runtime"))
    assert "sqlalchemy" in loaded
    assert sorted(loaded & HEAVY) == []


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["--version"],
        [],
        ["analytics", "--help"],
        ["analytics", "forecast", "--help"],
        ["customs", "validate", "--help"],
        ["tax", "quote", "--help"],
        ["screen", "--help"],
        ["serve", "--help"],
        ["ledger", "--help"],
        ["admin", "--help"],
    ],
    ids=" ".join,
)
def test_help_and_version_load_no_heavy_library(argv):
    loaded = loaded_packages("-c", RUN_CLI, *argv)
    assert "typer" in loaded
    assert sorted(loaded & HEAVY) == [], f"cbec {' '.join(argv)}"


def test_version_prints_the_package_version():
    expected = f"cbec {version('cbec')}"
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == expected
    # the module runs as a program too, and --version wins over a command after it
    done = subprocess.run(
        [sys.executable, "-m", "cbec.cli.main", "--version", "ledger", "fsck"],
        capture_output=True,
        text=True,
        env=child_env(),
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == expected


def test_help_lists_every_command_group():
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0
    for name in ("serve", "demo", "import", "screen", "admin", "db", "ledger", "customs"):
        assert name in result.stdout
    for name in ("tax", "compliance", "analytics", "--version"):
        assert name in result.stdout


#: What only some requests need (a chart, a Han name's pinyin, a route search, a report in
#: bulk, a forecast): loaded by the first of them, not by every server start.
NOT_AT_SERVER_START = {
    "matplotlib",
    "pypinyin",
    "networkx",
    "numpy",
    "scipy",
    "polars",
    "statsforecast",
    "pandas",
    "holidays",  # the working-day calendar: a filing deadline's first count
}


def test_the_api_app_loads_only_what_every_server_needs():
    """``cbec serve`` imports the app: a library only some requests use waits for them (a
    server's start is also what each test starting one pays)."""
    loaded = loaded_packages("-c", IMPORT.format("cbec.api.app"))
    assert "fastapi" in loaded  # the probe works
    assert sorted(loaded & NOT_AT_SERVER_START) == []
    # nor the customs messages' generated classes (half a second): the first message loads them
    probe = "import cbec.api.app, json, sys; print(json.dumps(sorted(sys.modules)))"
    modules = loaded_packages("-c", probe)
    assert "cbec.customs.xml" in modules
    assert sorted(m for m in modules if m.startswith("cbec.customs.bindings")) == []
