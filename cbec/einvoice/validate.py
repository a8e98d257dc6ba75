"""Validation of a UBL 2.1 Invoice or CreditNote by the official artefacts, vendored in
``data/`` (origins, versions and licences in ``data/README.md``):

1. the OASIS UBL 2.1 schema of the document's root (``UBL-Invoice-2.1.xsd`` or
   ``UBL-CreditNote-2.1.xsd``), with lxml (libxml2);
2. the CEN/TC 434 EN 16931 UBL validation rules (Schematron compiled to XSLT 2.0 by CEN);
3. the OpenPeppol BIS Billing 3.0 rules (``PEPPOL-EN16931-UBL``, XSLT 2.0 as published).

The two rule sets cover both documents and are run as published, by Saxon-HE (``saxonche``),
and their SVRL output (ISO/IEC 19757-3 Annex D) becomes :class:`Finding` s: each
``svrl:failed-assert`` or ``svrl:successful-report`` gives its rule ``id``, ``flag``
(``fatal`` or ``warning``), ``location`` (an XPath) and text. Schema errors are findings of
rule ``XSD`` (fatal). Compiling the stylesheets costs about half a second, so it is done once
per process; a lock serialises the transformations (one Saxon processor, whose thread safety
is not promised).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

DATA = Path(__file__).resolve().parent / "data"
XSD = DATA / "xsd" / "maindoc" / "UBL-Invoice-2.1.xsd"
XSD_CREDIT_NOTE = DATA / "xsd" / "maindoc" / "UBL-CreditNote-2.1.xsd"
CREDIT_NOTE = "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote"
RULESETS = (
    ("cen", DATA / "xslt" / "EN16931-UBL-validation.xslt"),
    ("peppol", DATA / "xslt" / "PEPPOL-EN16931-UBL.xslt"),
)
SVRL = "http://purl.oclc.org/dsdl/svrl"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass(frozen=True)
class Finding:
    """One rule a document breaks: the rule id (``BR-CO-15``, ``PEPPOL-EN16931-R010``,
    ``XSD``), ``fatal`` or ``warning``, where (an XPath, or ``line N`` for the schema), the
    rule's own text, and which artefact said so (``xsd``, ``cen``, ``peppol``)."""

    rule: str
    flag: str
    location: str
    text: str
    source: str

    @property
    def fatal(self) -> bool:
        return self.flag == "fatal"


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]

    @property
    def valid(self) -> bool:
        """No fatal finding: what the Peppol network accepts (warnings do not reject)."""
        return not any(f.fatal for f in self.findings)

    def rules(self, fatal_only: bool = True) -> set[str]:
        return {f.rule for f in self.findings if f.fatal or not fatal_only}


@cache
def schema(credit_note: bool = False) -> etree.XMLSchema:
    """The Invoice schema, or the CreditNote one (the same OASIS package's common modules)."""
    return etree.XMLSchema(etree.parse(str(XSD_CREDIT_NOTE if credit_note else XSD)))


class _Rules:
    """The compiled rule sets and the one Saxon processor they run on."""

    def __init__(self) -> None:
        from saxonche import PySaxonProcessor

        self.proc = PySaxonProcessor(license=False)
        xslt = self.proc.new_xslt30_processor()
        self.executables = [
            (name, xslt.compile_stylesheet(stylesheet_file=str(path))) for name, path in RULESETS
        ]
        self.lock = threading.Lock()

    def run(self, xml: bytes) -> list[tuple[str, str]]:
        with self.lock:
            node = self.proc.parse_xml(xml_text=xml.decode("utf-8"))
            return [(name, ex.transform_to_string(xdm_node=node)) for name, ex in self.executables]


@cache
def rules() -> _Rules:
    return _Rules()


def parse_svrl(svrl: str, source: str) -> list[Finding]:
    """The failed assertions and successful reports of an SVRL document, in document order."""
    root = etree.fromstring(svrl.encode("utf-8"), _PARSER)
    out = []
    for el in root.iter(f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report"):
        text = el.findtext(f"{{{SVRL}}}text") or ""
        out.append(
            Finding(
                rule=el.get("id") or "",
                flag=el.get("flag") or "fatal",
                location=el.get("location") or "",
                text=" ".join(text.split()),
                source=source,
            )
        )
    return out


def _xsd_findings(doc: Any) -> list[Finding]:
    s = schema(doc.tag == CREDIT_NOTE)
    if s.validate(doc):
        return []
    return [Finding("XSD", "fatal", f"line {e.line}", e.message, "xsd") for e in s.error_log]


def check_schema(xml: bytes) -> Report:
    """The schema findings alone (the benchmark's baseline; not a validation on its own)."""
    try:
        doc = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as e:
        return Report((Finding("XML", "fatal", f"line {e.lineno}", str(e.msg), "xml"),))
    return Report(tuple(_xsd_findings(doc)))


def validate(xml: bytes) -> Report:
    """Schema and the CEN and Peppol rules, all reported (a document the schema refuses is
    still read by the rules, so a missing line is named BR-16 as well as by the schema). A
    document that is not well-formed XML is one finding of rule ``XML``."""
    report = check_schema(xml)
    if report.rules() & {"XML"}:
        return report
    findings: list[Finding] = list(report.findings)
    for name, svrl in rules().run(xml):
        findings.extend(parse_svrl(svrl, name))
    return Report(tuple(findings))
