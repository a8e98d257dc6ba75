"""The domain packages stay free of web, database and CLI frameworks (adapters depend
inward, never the reverse)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "cbec"
DOMAIN = ["trade", "tenancy", "privacy", "ledger", "customs", "tax", "compliance", "screening"]
FORBIDDEN = ("fastapi", "starlette", "sqlalchemy", "alembic", "uvicorn", "typer", "rich", "httpx")
ADAPTERS = ("cbec.api", "cbec.cli", "cbec.store", "cbec.runtime", "cbec.demo")


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


@pytest.mark.parametrize(
    "path", [p for pkg in DOMAIN for p in sorted((ROOT / pkg).glob("*.py"))], ids=str
)
def test_domain_module_imports_no_framework(path):
    for name in imports_of(path):
        assert name.split(".")[0] not in FORBIDDEN, f"{path.name} imports {name}"
        assert not name.startswith(ADAPTERS), f"{path.name} imports adapter {name}"


def test_product_attributes_are_the_ones_compliance_rules_test():
    from typing import get_args

    from cbec.compliance import ATTRIBUTES
    from cbec.trade.product import Attribute

    assert set(get_args(Attribute)) == ATTRIBUTES
