"""The README's two set-up commands exist, and its tour runs as written against a live server."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.serverproc import running_server, settings_env

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_two_setup_commands_are_make_targets():
    setup = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.+?)\n```", setup, re.S)
    assert commands == ["make run", "make test"]
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(
        r"^run: install\n\t\$\(BIN\)/cbec demo\n\t\$\(BIN\)/cbec serve", makefile, re.M
    )
    assert re.search(r"^test: lint\n\t\$\(BIN\)/python -m pytest", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text()


#: Variables a README block may read to find data elsewhere; the test leaves them unset so
#: that the blocks run on their defaults, the files of ``tests/data``.
DATA_VARIABLES = ("CEB_SAMPLES", "SANCTIONS")


def run_block(name: str, rt, tmp_path) -> subprocess.CompletedProcess:
    """Run the README's bash block between ``<!-- name:start -->`` and ``<!-- name:end -->``
    against a live server, as a reader would from a clone: in a folder that holds the
    repository's ``.venv`` and ``tests`` (links) and nothing else — no ``../shared``."""
    block = README.split(f"<!-- {name}:start -->", 1)[1].split(f"<!-- {name}:end -->", 1)[0]
    script = block.split("```bash\n", 1)[1].rsplit("```", 1)[0]
    (tmp_path / ".venv").symlink_to(Path(sys.prefix))
    (tmp_path / "tests").symlink_to(ROOT / "tests")
    env = settings_env(rt.settings)
    for variable in DATA_VARIABLES:
        env.pop(variable, None)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    env["LANG"] = "C.UTF-8"
    with running_server(env) as (url, _proc):
        env["CBEC_URL"] = url
        return subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )


def test_tour_runs_as_written(rt, tmp_path):
    done = run_block("tour", rt, tmp_path)
    out = done.stdout
    assert done.returncode == 0, done.stderr + out
    assert '"status":"ok"' in out
    assert '{"name":"sz-gadgets","role":"seller"}' in out
    assert "HTTP 201" in out and "HTTP 200" in out
    assert '"id_number": "1101**********002X"' in out  # regulator: masked
    assert '"id_number": "11010519491231002X"' in out  # regulator: revealed
    assert "tour: checking the buyer of TOUR-0001" in out  # the audit trail
    assert '"field": "lines[0].qty"' in out and "必须大于 0" in out
    assert "payments: 1 created" in out
    assert '"phone": "138****8000"' in out  # the seller sees the payer masked


def test_ledger_worked_example_runs_as_written(rt, tmp_path):
    done = run_block("ledger", rt, tmp_path)
    out = done.stdout
    assert done.returncode == 0, done.stderr + out
    assert out.startswith("cbec.local/ledger+")  # the verifier key
    assert "c2sp.org/tlog-proof@v1" in out
    assert out.count("VERIFIED") == 2 and "NOT VERIFIED" not in out
    assert "the document you hold is exactly the one that was logged" in out
    assert "first checkpoint: size" in out  # the monitor's first look
    assert "ok: " in out and "every node and checkpoint re-derived" in out


def test_customs_example_runs_as_written(rt, tmp_path):
    done = run_block("customs", rt, tmp_path)
    out = done.stdout
    assert done.returncode == 0, done.stderr + out
    assert "CEB511 sample: valid" in out and "CEB311 sample: exit 1" in out
    assert "CEB-TOTAL /CEB311Message/Order[1]/OrderList[2]/totalPrice" in out
    assert "reconcile: exit 1" in out and "False MISSING_PAYMENT" in out
    assert "signed.xml: OK 0001" in out
    assert "changed.xml: CEB-SIG-DIGEST" in out and "changed: exit 1" in out


def prints_as_written(name: str, rt, tmp_path, **env: str) -> None:
    """Run the README block ``name`` and compare its output with the block printed after it
    (the ``prints`` fence): the README shows exactly what a reader will see."""
    os.environ.update(env)
    try:
        done = run_block(name, rt, tmp_path)
    finally:
        for key in env:
            del os.environ[key]
    assert done.returncode == 0, done.stderr + done.stdout
    printed = README.split(f"<!-- {name}:end -->", 1)[1].split("```\n", 2)[1]
    assert done.stdout == printed


def test_console_example_runs_as_written(rt, tmp_path):
    prints_as_written("console", rt, tmp_path)


def test_tax_example_runs_as_written(rt, tmp_path):
    prints_as_written("tax", rt, tmp_path)


def test_quote_example_runs_as_written(rt, tmp_path):
    prints_as_written("quote", rt, tmp_path)


def test_compliance_example_runs_as_written(rt, tmp_path):
    prints_as_written("compliance", rt, tmp_path)


def test_analytics_example_runs_as_written(rt, tmp_path):
    prints_as_written("analytics", rt, tmp_path)
    assert (tmp_path / "market.png").read_bytes()[:4] == b"\x89PNG"


def test_metrics_worked_example_runs_as_written(rt, tmp_path):
    done = run_block("metrics", rt, tmp_path)
    out = done.stdout
    assert done.returncode == 0, done.stderr + out
    ready = json.loads(out.splitlines()[0])
    assert ready["ok"] is True
    assert [c["name"] for c in ready["checks"]] == ["database", "migrations", "keys", "integrator"]
    assert "x-request-id: ticket-4711" in out.lower()
    assert re.search(
        r'^cbec_http_requests_total\{method="GET",route="/healthz",status="200"\} \d', out, re.M
    )
    assert re.search(r"^cbec_ledger_entries \d", out, re.M)
    assert "cbec_data_up 1.0" in out


def test_transfer_example_runs_as_written(rt, tmp_path):
    prints_as_written("transfers", rt, tmp_path)


def test_dsr_example_runs_as_written(rt, tmp_path):
    prints_as_written("dsr", rt, tmp_path)


def test_inventory_example_runs_as_written(rt, tmp_path):
    prints_as_written("inventory", rt, tmp_path)


def test_scan_example_runs_as_written(rt, tmp_path):
    prints_as_written("scan", rt, tmp_path)


def test_anonymize_example_runs_as_written(rt, tmp_path):
    prints_as_written("anonymize", rt, tmp_path)


def test_report_example_runs_as_written(rt, tmp_path):
    prints_as_written("report", rt, tmp_path)


def test_logistics_example_runs_as_written(rt, tmp_path):
    prints_as_written("logistics", rt, tmp_path)


def test_consolidation_example_runs_as_written(rt, tmp_path):
    prints_as_written("consolidation", rt, tmp_path)


def test_picking_example_runs_as_written(rt, tmp_path):
    prints_as_written("picking", rt, tmp_path)


def test_co2e_example_runs_as_written(rt, tmp_path):
    prints_as_written("co2e", rt, tmp_path)


def test_trace_example_verifies_offline_as_written(rt, tmp_path):
    prints_as_written("trace", rt, tmp_path)


def test_connectors_example_runs_as_written(rt, tmp_path):
    prints_as_written("connectors", rt, tmp_path)


def test_settlements_example_runs_as_written(rt, tmp_path):
    prints_as_written("settlements", rt, tmp_path)


def test_carriers_example_runs_as_written(rt, tmp_path):
    prints_as_written("carriers", rt, tmp_path)


def test_algorithms_example_runs_as_written(rt, tmp_path):
    prints_as_written("algorithms", rt, tmp_path)
