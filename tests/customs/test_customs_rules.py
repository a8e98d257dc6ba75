"""Business rules over the official samples, and the `cbec customs validate` command."""

from __future__ import annotations

import re

from stdnum.cn import ric
from typer.testing import CliRunner

from cbec.cli.main import app
from cbec.customs import xml as cx
from cbec.customs.rules import RULES, evaluate
from cbec.customs.validate import check
from tests.conftest import DATA

SAMPLES = DATA / "ceb" / "samples" / "import"
runner = CliRunner()


def sample(name: str) -> bytes:
    return (SAMPLES / f"{name}Message.xml").read_bytes()


def codes(problems) -> set[tuple[str, str]]:
    return {(p.rule, p.path) for p in problems}


def test_official_ceb311_sample_is_flagged_for_its_wrong_line_total():
    problems = check(sample("CEB311"))
    assert ("CEB-TOTAL", "/CEB311Message/Order[1]/OrderList[2]/totalPrice") in codes(problems)
    line = next(p for p in problems if p.path.endswith("Order[1]/OrderList[2]/totalPrice"))
    assert "12000" in line.message and "200" in line.message and "10" in line.message
    # the other lines and the paid amounts of the sample are right
    assert not any(p.rule == "CEB-PAID" for p in problems)
    assert ("CEB-TOTAL", "/CEB311Message/Order[1]/OrderList[1]/totalPrice") not in codes(problems)


def _valid_id() -> str:
    body = "11010519491231002"
    return body + ric.calc_check_digit(body + "0")


def test_a_corrected_sample_is_clean():
    xml = sample("CEB311").decode("utf-8-sig")
    xml = xml.replace(
        "<ceb:totalPrice>12000</ceb:totalPrice>", "<ceb:totalPrice>2000</ceb:totalPrice>"
    )
    xml = re.sub(
        r"<ceb:buyerIdNumber>[^<]*</ceb:buyerIdNumber>",
        f"<ceb:buyerIdNumber>{_valid_id()}</ceb:buyerIdNumber>",
        xml,
    )
    # goodsValue stays as declared: the rule set checks acturalPaid against the head fields
    assert check(xml.encode()) == []


def test_paid_currency_idtype_and_gnum_rules():
    xml = sample("CEB311").decode("utf-8-sig")
    xml = xml.replace(
        "<ceb:acturalPaid>19050</ceb:acturalPaid>", "<ceb:acturalPaid>19051</ceb:acturalPaid>", 1
    )
    xml = xml.replace(
        "<ceb:buyerIdType>1</ceb:buyerIdType>", "<ceb:buyerIdType>2</ceb:buyerIdType>", 1
    )
    xml = xml.replace("<ceb:gnum>2</ceb:gnum>", "<ceb:gnum>3</ceb:gnum>", 1)
    found = codes(check(xml.encode()))
    assert ("CEB-PAID", "/CEB311Message/Order[1]/OrderHead/acturalPaid") in found
    assert ("CEB-IDTYPE", "/CEB311Message/Order[1]/OrderHead/buyerIdType") in found
    assert ("CEB-GNUM", "/CEB311Message/Order[1]/OrderList[2]/gnum") in found


def test_declared_inventory_needs_a_signature():
    xml = sample("CEB621").decode("utf-8-sig")
    assert not any(p.rule == "CEB-SIGN" for p in check(xml.encode()))
    unsigned = re.sub(r"<ds:Signature.*?</ds:Signature>", "", xml, flags=re.S)
    problems = check(unsigned.encode())  # the 202205 schema itself requires it on CEB621 …
    assert problems[0].rule == "XSD" and "Signature" in problems[0].message
    message = cx.read(xml.encode())  # … and the rule catches a message built without one
    message.signature = None
    assert [f.rule for f in evaluate("CEB621", message)].count("CEB-SIGN") == 1
    for inv in message.inventory:
        inv.inventory_head.app_status = "1"  # temporary save: no signature needed
    assert "CEB-SIGN" not in {f.rule for f in evaluate("CEB621", message)}


def test_schema_errors_come_first_and_say_so():
    xml = sample("CEB411").replace(
        b"<ceb:currency>142</ceb:currency>", b"<ceb:currency>14</ceb:currency>", 1
    )
    problems = check(xml)
    assert problems and all(p.rule == "XSD" for p in problems)
    assert check(b"not xml")[0].rule == "XML"


def test_every_rule_explains_itself_in_both_languages():
    for rule in RULES:
        assert rule.explain("en") and re.search(r"[\u4e00-\u9fff]", rule.explain("zh"))


def test_cli_prints_one_line_per_problem_and_sets_the_exit_status(tmp_path):
    bad = SAMPLES / "CEB311Message.xml"
    good = tmp_path / "good.xml"
    good.write_bytes(sample("CEB511"))
    r = runner.invoke(app, ["customs", "validate", str(bad), str(good)])
    assert r.exit_code == 1
    lines = r.stdout.strip().splitlines()
    assert all(line.startswith(f"{bad}: ") for line in lines)
    assert f"{bad}: CEB-TOTAL /CEB311Message/Order[1]/OrderList[2]/totalPrice: " in r.stdout
    ok = runner.invoke(app, ["customs", "validate", str(good)])
    assert ok.exit_code == 0 and ok.stdout == ""
