"""The README's review example (the "Regulator's desk" section) runs as written against a
live server and prints what the README says it prints."""

from __future__ import annotations

from tests.contract.test_readme import README, run_block


def test_the_review_example_runs_as_written(rt, tmp_path):
    done = run_block("desk", rt, tmp_path)
    assert done.returncode == 0, done.stderr + done.stdout
    printed = README.split("<!-- desk:end -->", 1)[1].split("```\n", 1)[1].split("```", 1)[0]
    assert done.stdout == printed
