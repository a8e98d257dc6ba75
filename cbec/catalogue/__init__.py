"""Rule codes per capability: each module here holds ``MESSAGES`` (rule code → its English
template) and, optionally, ``KIND_NAMES`` (document kind → its English name).
:mod:`cbec.i18n` merges them at import, so a capability adds its rule codes in its own file;
their Chinese is in ``cbec/locale/zh_CN/LC_MESSAGES/errors.po`` under the code as context.
A test checks every code has its translation and that no two modules define the same code."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any


def load() -> list[tuple[str, dict[str, str], dict[str, str]]]:
    """``(module name, MESSAGES, KIND_NAMES)`` of every catalogue module, in name order."""
    out: list[tuple[str, Any, Any]] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        out.append((info.name, getattr(module, "MESSAGES", {}), getattr(module, "KIND_NAMES", {})))
    return out
