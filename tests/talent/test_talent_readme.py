"""The README's talent example runs as written against a live server on the demo data."""

from __future__ import annotations

from tests.contract.test_readme import run_block


def test_talent_worked_example_runs_as_written(rt, tmp_path):
    done = run_block("talent", rt, tmp_path)
    out = done.stdout
    assert done.returncode == 0, done.stderr + out
    assert "HTTP 201" in out and "score 75.83" in out
    assert "skills         45 x 5/6   =  37.50" in out
    assert "budget         10 x 5/6   =   8.33" in out
    assert "rating 5 | steps logged: 4" in out
    assert (
        "engagement 20000.00 vs full-time 38465.75 CNY for 60 days: saving 18465.75 "
        "(ratio 0.5199)" in out
    ), out
    assert "day rate 1000.00 | name Li Hua" in out
    assert "match after closing: HTTP 409" in out
