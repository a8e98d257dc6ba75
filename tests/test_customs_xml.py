"""CEB messages against the official 202205 schemas and samples (the oracle)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cbec.customs import xml as cx

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "ceb" / "samples"
IMPORT = sorted((SAMPLES / "import").glob("CEB*.xml"))
EXPORT = sorted((SAMPLES / "export").glob("CEB*.xml"))
# Export samples the published schema itself rejects (see ../shared/ceb/README.md).
EXPORT_INVALID = {
    "CEB214",
    "CEB303",
    "CEB403",
    "CEB505",
    "CEB507",
    "CEB509",
    "CEB603",
    "CEB605",
    "CEB607",
    "CEB792",
}


def test_samples_are_there():
    assert len(IMPORT) == 16 and len(EXPORT) == 23


@pytest.mark.parametrize("path", IMPORT, ids=lambda p: p.stem)
def test_import_sample_reads_and_writes_back_equivalent_and_valid(path):
    raw = path.read_bytes()
    assert cx.validate_xsd(raw) == []
    message = cx.read(raw)
    out = cx.write(message)
    assert cx.validate_xsd(out) == []
    assert cx.shape(out) == cx.shape(raw)


@pytest.mark.parametrize("path", EXPORT, ids=lambda p: p.stem)
def test_export_samples_follow_the_schema_or_are_refused(path):
    raw = path.read_bytes()
    name = path.stem.replace("Message", "")
    if name in EXPORT_INVALID:
        assert cx.validate_xsd(raw) != []
        with pytest.raises(cx.MessageError):
            cx.read(raw)
        return
    assert cx.validate_xsd(raw) == []
    out = cx.write(cx.read(raw))
    assert cx.validate_xsd(out) == [] and cx.shape(out) == cx.shape(raw)


def test_schema_errors_name_line_and_path():
    raw = (SAMPLES / "import" / "CEB311Message.xml").read_bytes()
    broken = raw.replace(
        b"<ceb:currency>142</ceb:currency>", b"<ceb:currency>1420</ceb:currency>", 1
    )
    errors = cx.validate_xsd(broken)
    assert errors and "currency" in errors[0].path and errors[0].line > 1


def test_not_xml_and_unknown_messages():
    with pytest.raises(cx.MessageError, match="not well-formed"):
        cx.read(b"<ceb:CEB311Message")
    with pytest.raises(cx.MessageError, match="unknown message type"):
        cx.read(b'<CEB999Message xmlns="http://www.chinaport.gov.cn/ceb"/>')
    assert cx.validate_xsd(b'<CEB999Message xmlns="http://www.chinaport.gov.cn/ceb"/>')[
        0
    ].message.startswith("unknown")
