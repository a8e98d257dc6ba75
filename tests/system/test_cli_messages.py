"""An error message of ``cbec`` stays on one line however narrow the terminal: a path or a
value the user gave can be found whole in a log or by grep (Rich soft-wraps it)."""

from __future__ import annotations


def test_a_long_path_in_an_error_is_not_broken_over_lines(cli, parties, monkeypatch, tmp_path):
    monkeypatch.setenv("COLUMNS", "40")
    missing = tmp_path / ("a-long-folder-name-" * 4) / "absent.json"
    r = cli("algorithms", "create", missing, "--as", "platform-a")
    assert r.exit_code == 2
    assert any(str(missing) in line for line in r.stderr.splitlines()), r.stderr
