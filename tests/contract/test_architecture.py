"""The domain packages stay free of web, database and CLI frameworks (adapters depend
inward, never the reverse)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "cbec"
FORBIDDEN = ("fastapi", "starlette", "sqlalchemy", "alembic", "uvicorn", "typer", "rich", "httpx")
# The edges: adapters (HTTP, CLI, console), the store, the use cases and the composition root.
EDGES = ("api", "cli", "console", "store", "services", "demo")
EDGE_MODULES = ("runtime.py",)
ADAPTERS = (*(f"cbec.{e}" for e in EDGES), "cbec.runtime")


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


def _domain_modules() -> list[Path]:
    """Every module of every package that is not an edge, walked recursively (analytics'
    sub-packages included), so a new package is covered the day it is added."""
    out = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in EDGES or str(rel) in EDGE_MODULES or "bindings" in rel.parts:
            continue
        out.append(path)
    return out


DOMAIN_MODULES = _domain_modules()


def test_the_walk_reaches_every_capability():
    packages = {p.relative_to(ROOT).parts[0] for p in DOMAIN_MODULES}
    assert {"trade", "ledger", "customs", "tax", "compliance", "screening", "analytics"} <= packages
    assert any("forecasting" in p.parts for p in DOMAIN_MODULES)


@pytest.mark.parametrize("path", DOMAIN_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_domain_module_imports_no_framework(path):
    for name in imports_of(path):
        assert name.split(".")[0] not in FORBIDDEN, f"{path.name} imports {name}"
        assert not name.startswith(ADAPTERS), f"{path.name} imports adapter {name}"


@pytest.mark.parametrize(
    "path", sorted((ROOT / "services").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_use_cases_know_no_web_or_cli_framework(path):
    """Use cases sit under every adapter: they may use the store, never HTTP or the CLI."""
    for name in imports_of(path):
        assert name.split(".")[0] not in ("fastapi", "starlette", "typer", "rich", "uvicorn")
        assert not name.startswith(("cbec.api", "cbec.cli", "cbec.console")), name


def test_product_attributes_are_the_ones_compliance_rules_test():
    from typing import get_args

    from cbec.compliance import ATTRIBUTES
    from cbec.trade.product import Attribute

    assert set(get_args(Attribute)) == ATTRIBUTES


ADAPTER_MODULES = sorted(p for e in ("api", "cli") for p in (ROOT / e).rglob("*.py"))


@pytest.mark.parametrize("path", ADAPTER_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_adapters_only_translate(path):
    """Commits, evidence appends and catching built-in programming errors belong to the use
    cases and cores, never to an HTTP route or a CLI command."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            assert node.attr not in ("commit", "append_evidence", "append_one"), (
                f"{path.name}:{node.lineno} calls .{node.attr}()"
            )
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            caught = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
            names = {c.id for c in caught if isinstance(c, ast.Name)}
            assert not names & {"AttributeError", "TypeError"}, f"{path.name}:{node.lineno}"


def test_every_api_area_is_a_module_level_router():
    from cbec.api import app

    for area in app.AREAS:
        assert hasattr(area, "router"), area.__name__
        assert not hasattr(area, "install"), area.__name__
