"""One entry point for checking a CEB message file: schema first, then business rules."""

from __future__ import annotations

from dataclasses import dataclass

from cbec.customs import rules
from cbec.customs import xml as cx


@dataclass(frozen=True)
class Problem:
    rule: str  # "XSD" for schema errors, "XML" for unreadable input, else a business rule code
    path: str
    message: str

    def line(self, source: str) -> str:
        return f"{source}: {self.rule} {self.path}: {self.message}"


def check(xml: bytes) -> list[Problem]:
    """Everything wrong with a message; an empty list means schema-valid and rule-clean.
    Business rules run only on schema-valid messages (the rules assume the structure)."""
    try:
        name = cx.root_name(xml)
    except cx.MessageError as exc:
        return [Problem("XML", "/", exc.detail)]
    schema_errors = cx.validate_xsd(xml)
    if schema_errors:
        return [Problem("XSD", e.path, f"line {e.line}: {e.message}") for e in schema_errors]
    try:
        message = cx.read(xml)
    except cx.MessageError as exc:
        return [Problem("XSD", "/", exc.detail)]
    code = name.removesuffix("Message")
    return [Problem(f.rule, f.path, f.message) for f in rules.evaluate(code, message)]
