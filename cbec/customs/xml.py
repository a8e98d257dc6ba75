"""Reading, writing and schema-validating CEB messages.

Bindings are generated from the official XSDs (:mod:`cbec.customs.bindings`, by xsdata)
rather than typed by hand: the 202205 import schema alone defines ~30 record types and
several hundred fields, each with its own length facet, and a generated model cannot drift
from the schema it came from. xsdata turns XML into typed dataclasses (amounts as
``Decimal``) and back; lxml's libxml2 validator — thousands of messages per second — checks
every message against the XSD, which stays the oracle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree
from xsdata.exceptions import ParserError
from xsdata.formats.dataclass.parsers import XmlParser
from xsdata.formats.dataclass.parsers.config import ParserConfig
from xsdata.formats.dataclass.serializers import XmlSerializer
from xsdata.formats.dataclass.serializers.config import SerializerConfig

from cbec.errors import BadRequest, DocumentInvalid, Violation

NS = "http://www.chinaport.gov.cn/ceb"
DS = "http://www.w3.org/2000/09/xmldsig#"
XSD_DIR = Path(__file__).with_name("xsd")
SCHEMAS = {"import": "ceb_import_202205.xsd", "export": "ceb_export_202205.xsd"}


class MessageError(BadRequest):
    """The bytes are not a CEB message we know, or not well-formed XML (400); ``detail``
    says which, in the words of the parser."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__("customs_message", {"detail": detail})


# What XML 1.0 §2.2 calls a Char: tab, line feed, carriage return and the Unicode scalar
# values from U+0020 but the surrogates and U+FFFE/U+FFFF. Anything else cannot be written
# into a message at all, escaped or not (a character reference to it is not well-formed).
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def illegal_char(text: str) -> str | None:
    """The first character of ``text`` that XML 1.0 cannot carry, as ``U+XXXX``; else None."""
    found = _NOT_XML_CHAR.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def _classes(module: Any) -> dict[str, type]:
    return {
        cls.Meta.name: cls
        for cls in vars(module).values()
        if isinstance(cls, type)
        and hasattr(cls, "Meta")
        and getattr(cls.Meta, "name", "").startswith("CEB")
    }


@cache
def messages() -> dict[str, tuple[str, type]]:
    """Every CEB message's class by its root element's name, with its direction
    (``CEB311Message`` → ``("import", CEB311Message)``). The generated bindings — some
    five hundred dataclasses, half a second to build — load with the first message read or
    written, not with every server and command that could handle one."""
    from cbec.customs.bindings import ceb_export, ceb_import

    return {
        **{name: ("export", cls) for name, cls in _classes(ceb_export).items()},
        **{name: ("import", cls) for name, cls in _classes(ceb_import).items()},
    }


@cache
def schema(direction: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD_DIR / SCHEMAS[direction])))


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_XS_PARSER = XmlParser(config=ParserConfig(fail_on_unknown_properties=True))
_XS_WRITER = XmlSerializer(config=SerializerConfig(indent="  ", xml_declaration=True))


def parse(xml: bytes) -> etree._Element:
    """The root element of a CEB message, parsed without entities or network access. A
    document type declaration is refused: CEB messages have none, and entities declared in
    one are how XML smuggles content past a checker."""
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise MessageError(f"not well-formed XML: {exc}") from None
    if root.getroottree().docinfo.doctype:
        raise MessageError("a document type declaration (DTD) is not allowed in a CEB message")
    return root


def root_name(xml: bytes) -> str:
    return etree.QName(parse(xml)).localname


def guid_of(xml: bytes) -> str:
    """The message's ``guid`` attribute."""
    return parse(xml).get("guid", "")


def read(xml: bytes) -> Any:
    """The typed message (a generated dataclass) for ``xml``."""
    name = root_name(xml)
    known = messages()
    if name not in known:
        raise MessageError(f"unknown message type {name}")
    try:
        return _XS_PARSER.from_bytes(xml, known[name][1])
    except (ParserError, TypeError, ValueError) as exc:  # structure the schema does not allow
        raise MessageError(f"{name} does not follow the 202205 schema: {exc}") from None


def write(message: Any) -> bytes:
    """UTF-8 XML for a typed message, with the ``ceb`` prefix the samples use.

    The builders refuse text XML 1.0 cannot carry, naming the field; this is the last guard
    for a value that reached a message another way (a party's registered name, say)."""
    try:
        return _XS_WRITER.render(message, ns_map={"ceb": NS, "ds": DS}).encode("utf-8")
    except (ValueError, UnicodeEncodeError) as exc:  # lxml: "All strings must be XML compatible"
        raise MessageError(f"cannot be written as XML 1.0: {exc}") from None


def shape(xml: bytes) -> tuple:
    """A prefix-independent form of an XML tree — (namespace-qualified name, attributes,
    trimmed text, children) — for deciding whether two serialisations say the same thing."""

    def walk(el: etree._Element) -> tuple:
        text = (el.text or "").strip()
        if etree.QName(el).localname in ("SignatureValue", "X509Certificate", "DigestValue"):
            text = "".join(text.split())  # base64 may be wrapped at any width
        kids = tuple(walk(c) for c in el if isinstance(c.tag, str))
        return (el.tag, tuple(sorted(el.attrib.items())), text, kids)

    return walk(etree.fromstring(xml, _PARSER))


@dataclass(frozen=True)
class SchemaError:
    line: int
    path: str
    message: str


def validate_xsd(xml: bytes) -> list[SchemaError]:
    """Schema violations of a CEB message (empty when valid)."""
    doc = parse(xml)
    name = etree.QName(doc).localname
    known = messages()
    if name not in known:
        return [SchemaError(1, "/", f"unknown message type {name}")]
    xsd = schema(known[name][0])
    if xsd.validate(doc):
        return []
    return [SchemaError(e.line, e.path or "/", e.message) for e in xsd.error_log]


MAX_REPORTED = 20  # schema errors named per input; the rest are counted


def read_input(xml: bytes, field: str, expected: str) -> Any:
    """The typed message a caller handed in as ``field``, once it is well-formed, of the
    ``expected`` type (``CEB311`` …) and valid against the official 202205 XSD — the schema
    is the oracle, so an amount such as ``NaN``, ``sNaN`` or ``1e999999`` (not an
    ``xs:decimal`` with totalDigits 19) never reaches arithmetic. Every refusal is a 422
    :class:`DocumentInvalid` naming ``field``, the message and the schema path."""
    try:
        name = root_name(xml).removesuffix("Message")
    except MessageError as exc:
        raise DocumentInvalid(
            [Violation(field, "customs_message", {"detail": exc.detail})]
        ) from None
    if name != expected:
        params = {"expected": expected, "found": name[:40]}
        raise DocumentInvalid([Violation(field, "customs_message_type", params)])
    errors = validate_xsd(xml)
    if errors:
        violations = [
            Violation(
                field,
                "customs_xsd",
                {"message": name, "path": e.path, "line": e.line, "detail": e.message},
            )
            for e in errors[:MAX_REPORTED]
        ]
        if len(errors) > MAX_REPORTED:
            more = {"count": len(errors) - MAX_REPORTED, "message": name}
            violations.append(Violation(field, "customs_xsd_more", more))
        raise DocumentInvalid(violations)
    return read(xml)
