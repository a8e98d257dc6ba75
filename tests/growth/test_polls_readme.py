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
    assert re.search(r"^all,,Sand,1,1\.0000,false$", out, re.M), out
    assert re.search(r"^market,[A-Z]{2},Sand,,,true$", out, re.M), out  # one voter: suppressed
    figures = r"ROAS \d+\.\d{4} CAC \d+\.\d\d CLV:CAC \d+\.\d{4}$"
    assert re.search(rf"^google_ads spend 140\.00 {figures}", out, re.M), out
    assert re.search(rf"^meta_ads spend 84\.00 {figures}", out, re.M), out
    shift = r"^Move \d+\.\d\d USD \(20% of its spend\) from (google|meta)_ads \(CLV:CAC"
    assert re.search(shift, out, re.M), out
