"""The README's dispute example runs as written against a live server on the demo data."""

from __future__ import annotations

import re

from tests.contract.test_readme import run_block


def test_disputes_worked_example_runs_as_written(rt, tmp_path):
    done = run_block("disputes", rt, tmp_path)
    out = done.stdout
    assert done.returncode == 0, done.stderr + out
    assert "HTTP 201" in out and re.search(r"^open answer by 20\d\d-", out, re.M)
    assert '"state": "resolved"' in out and '"outcome": "refund_partial"' in out
    assert '"refund_amount": "30.00"' in out
    assert "FAILED" not in out and "every bundle verified" in out
    kinds = dict((m[2], int(m[1])) for m in re.finditer(r'^\s*(\d+)\s+"kind": "(\w+)"', out, re.M))
    assert kinds.get("order") == 1 and kinds.get("dispute_event") == 5, out
    assert len(re.findall(r'"checkpoint_size"', out)) == 1, out
