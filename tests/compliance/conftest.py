"""Every decision the compliance tests make is also made by the full scan and compared.

The rule index (:mod:`cbec.compliance.index`) may only skip rules that cannot change a
decision; wrapping the evaluator here turns every order these tests evaluate — API, what-if,
sandbox, list and pattern cases included — into a check of that promise. Each decision's
stored form made directly (``Decision.stored_dict``, what a filing stores) is checked
against its definition too (``stored_form`` of ``as_dict()``)."""

from __future__ import annotations

import importlib

import pytest

from cbec.store.compliance_store import stored_form

# the package re-exports the function under the module's name: fetch the module itself
evaluate_module = importlib.import_module("cbec.compliance.evaluate")


@pytest.fixture(autouse=True)
def _index_agrees_with_full_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    inner = evaluate_module._evaluate

    def both(order, ruleset, on, sandbox, usage, products, index, examined):
        got = inner(order, ruleset, on, sandbox, usage, products, index, examined)
        if index:
            full = inner(order, ruleset, on, sandbox, usage, products, False, None)
            assert got.as_dict() == full.as_dict(), "the index changed a decision"
        stored = got.stored_dict()
        assert stored == stored_form(got.as_dict()), "stored_dict is not the stored form"
        assert list(stored) == list(stored_form(got.as_dict()))  # the same keys in order
        return got

    monkeypatch.setattr(evaluate_module, "_evaluate", both)
