"""The README's polls and ad-spend example runs as written against a live server on the demo
data."""

from __future__ import annotations

import re

from tests.contract.test_readme import run_block


def test_polls_worked_example_runs_as_written(rt, tmp_path):
    done = run_block("polls", rt, tmp_path)
    out = done.stdout
    assert done.returncode == 0, done.stderr + out
    assert "HTTP 201" in out and '"segment": "' in out
    assert "second vote refused" in out and "already voted" in done.stderr
    assert re.search(r"^all,,Sand,1,1\.0000$", out, re.M), out
    assert re.search(r"^google_ads spend 40\.00 ROAS \S+ CAC \S+ CLV:CAC \S+$", out, re.M), out
    assert re.search(r"^meta_ads spend 25\.00 ROAS", out, re.M), out
    assert "Move " in out or "no shift suggested" in out
