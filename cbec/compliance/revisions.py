"""What changed between two revisions of a rule, field by field.

A compliance officer reviewing a rule's history wants "``match[0].hs[1]``: 851830 → 851840",
not two JSON documents to compare by eye. :func:`changes` walks both rule bodies (the dict
form :meth:`cbec.compliance.model.Rule.as_dict` gives, as stored) and lists every path whose
value differs, was added or was removed. Pure: no web, database or framework imports.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

_ABSENT = object()


@dataclass(frozen=True)
class FieldChange:
    """One path of the rule whose value differs (``None`` before: added; after: removed)."""

    field: str
    before: Any
    after: Any

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "before": self.before, "after": self.after}


def _walk(path: str, old: Any, new: Any, out: list[FieldChange]) -> None:
    # a part added or removed whole is walked against an empty one: its leaves are listed
    if old is _ABSENT and isinstance(new, dict | list):
        old = type(new)()
    if new is _ABSENT and isinstance(old, dict | list):
        new = type(old)()
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new), key=str):
            where = f"{path}.{key}" if path else str(key)
            _walk(where, old.get(key, _ABSENT), new.get(key, _ABSENT), out)
    elif isinstance(old, list) and isinstance(new, list):
        for i in range(max(len(old), len(new))):
            _walk(
                f"{path}[{i}]",
                old[i] if i < len(old) else _ABSENT,
                new[i] if i < len(new) else _ABSENT,
                out,
            )
    elif old != new:
        out.append(
            FieldChange(
                path or "(rule)",
                None if old is _ABSENT else old,
                None if new is _ABSENT else new,
            )
        )


def changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[FieldChange]:
    """Every field that differs between two rule bodies (``None``: no such revision), in
    document order of the paths; an empty value (``None``, ``[]``, ``{}``) counts as absent,
    as the rule loader reads it."""
    out: list[FieldChange] = []
    _walk("", _pruned(before or {}), _pruned(after or {}), out)
    return out


def _pruned(value: Any) -> Any:
    if isinstance(value, dict):
        kept = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value
