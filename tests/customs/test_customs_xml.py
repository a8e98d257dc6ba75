"""CEB messages against the official 202205 schemas and samples (the oracle)."""

from __future__ import annotations

import pytest

from cbec.customs import xml as cx
from tests.conftest import DATA

SAMPLES = DATA / "ceb" / "samples"
IMPORT = sorted((SAMPLES / "import").glob("CEB*.xml"))
EXPORT = sorted((SAMPLES / "export").glob("CEB*.xml"))
# Export samples the published schema itself rejects (see tests/data/README.md).
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


TAX_BILL = """<?xml version="1.0" encoding="UTF-8"?>
<ceb:CEB816Message guid="6A2C1B1E-3F4D-4E5A-9B8C-7D6E5F4A3B2C" version="1.0"
    xmlns:ceb="http://www.chinaport.gov.cn/ceb">
  <ceb:Tax>
    <ceb:TaxHeadRd>
      <ceb:guid>6A2C1B1E-3F4D-4E5A-9B8C-7D6E5F4A3B2C</ceb:guid>
      <ceb:returnTime>20260302101500000</ceb:returnTime>
      <ceb:invtNo>29912026I00000001</ceb:invtNo>
      <ceb:taxNo>29912026I00000001T1</ceb:taxNo>
      <ceb:customsTax>0</ceb:customsTax>
      <ceb:valueAddedTax>{vat}</ceb:valueAddedTax>
      <ceb:consumptionTax>0</ceb:consumptionTax>
      <ceb:status>1</ceb:status>
      <ceb:assureCode>3301960001</ceb:assureCode>
      <ceb:ebcCode>4403960002</ceb:ebcCode>
      <ceb:logisticsCode>3301980004</ceb:logisticsCode>
      <ceb:agentCode>3301960001</ceb:agentCode>
      <ceb:customsCode>2991</ceb:customsCode>
    </ceb:TaxHeadRd>
    <ceb:TaxListRd>
      <ceb:gnum>1</ceb:gnum>
      <ceb:gcode>8518300000</ceb:gcode>
      <ceb:taxPrice>299.00</ceb:taxPrice>
      <ceb:customsTax>0</ceb:customsTax>
      <ceb:valueAddedTax>27.209</ceb:valueAddedTax>
      <ceb:consumptionTax>0</ceb:consumptionTax>
    </ceb:TaxListRd>
  </ceb:Tax>
</ceb:CEB816Message>"""


def test_tax_bill_and_status_are_read_as_typed_decimals():
    """No official CEB816/818 sample exists; these are written from the schema text and the
    schema accepts them — and refuses an amount with more decimals than it allows."""
    from decimal import Decimal

    xml = TAX_BILL.format(vat="27.209").encode()
    assert cx.validate_xsd(xml) == []
    head = cx.read(xml).tax[0].tax_head_rd
    line = cx.read(xml).tax[0].tax_list_rd[0]
    assert head.value_added_tax == Decimal("27.209") and head.tax_no.endswith("T1")
    assert line.tax_price == Decimal("299.00") and line.gnum == 1
    assert cx.validate_xsd(TAX_BILL.format(vat="27.2090001").encode())  # N19,5 at most
    status = f"""<?xml version="1.0" encoding="UTF-8"?>
<ceb:CEB818Message guid="{head.guid}" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb">
  <ceb:Tax><ceb:TaxHeadStatus>
    <ceb:guid>{head.guid}</ceb:guid><ceb:returnTime>20260310090000000</ceb:returnTime>
    <ceb:invtNo>{head.invt_no}</ceb:invtNo><ceb:taxNo>{head.tax_no}</ceb:taxNo>
    <ceb:status>2</ceb:status><ceb:assureCode>3301960001</ceb:assureCode>
  </ceb:TaxHeadStatus></ceb:Tax>
</ceb:CEB818Message>""".encode()
    assert cx.validate_xsd(status) == []
    assert cx.read(status).tax[0].tax_head_status.status == "2"  # 2 = summarised (已汇总)
