"""The OpenAPI document is the contract, checked by a fuzzer: Schemathesis generates requests
for every operation from the schema (valid and invalid bodies, parameters and headers) and
sends each as a seller, a platform and a regulator of the demo data. Every answer must be
documented: no 5xx, no status the operation does not declare, no body that breaks the
declared response schema.

A bounded run is part of the suite (``CBEC_FUZZ_EXAMPLES`` examples per operation, 8 by
default); a longer one: ``CBEC_FUZZ_EXAMPLES=200 pytest tests/contract/test_openapi_fuzz.py``.
"""

from __future__ import annotations

import contextlib
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup

from cbec.api.app import create_app
from cbec.demo import loader
from cbec.runtime import Runtime
from tests.conftest import DEMO_ANCHOR, emptied

EXAMPLES = int(os.environ.get("CBEC_FUZZ_EXAMPLES", "8"))
ROLES = ("seller", "platform", "regulator")
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def demo(session_rt: Runtime) -> dict[str, str]:
    """The demo tenants and documents in an emptied database: a bearer token per role."""
    tenants, _counts = loader.load(emptied(session_rt), 60, DEMO_ANCHOR)  # as few as it needs
    tokens: dict[str, str] = {}
    for t in tenants:
        tokens.setdefault(t.role, t.api_key)
    assert set(ROLES) <= set(tokens), tokens.keys()
    return tokens


@pytest.fixture(scope="module")
def api_schema(session_rt: Runtime, demo: dict[str, str]):
    app = create_app(session_rt, integrate_in_background=False, deliver_in_background=False)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def _operations(api_schema) -> list:
    return [result.ok() for result in api_schema.get_all_operations()]


def _failures(operation, mode: GenerationMode, tokens: dict[str, str]) -> list[str]:
    """Run ``operation`` for EXAMPLES generated cases in ``mode``; the failures, as text."""
    found: list[str] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    def run(case) -> None:
        for role in ROLES:
            try:
                case.call_and_validate(
                    headers={"Authorization": f"Bearer {tokens[role]}"}, checks=CHECKS
                )
            except (AssertionError, FailureGroup) as exc:  # how failed checks are reported
                found.append(f"{operation.label} as {role} [{mode.value}]: {exc}"[:2000])
                return

    with contextlib.suppress(Unsatisfiable):  # nothing to make invalid: nothing to test
        run()
    return found


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_answers_as_documented(api_schema, demo, mode):
    operations = _operations(api_schema)
    assert len(operations) > 40
    failures: list[str] = []
    for operation in operations:
        failures += _failures(operation, mode, demo)
    summary = sorted({f.split(":", 1)[0] + ": " + _kinds(f) for f in failures})
    assert not failures, "\n".join(summary) + "\n\n" + "\n\n".join(failures[:5])


def _kinds(failure: str) -> str:
    return ", ".join(sorted({line.strip() for line in failure.splitlines() if "- ST" in line}))
