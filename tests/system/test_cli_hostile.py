"""Property test: hostile values given to the command line never crash it.

Whatever a user (or a script fed someone else's file) passes — numbers like ``10**30``,
``NaN``, ``Infinity``, ``1e400``, ``1e999999`` or ``sNaN`` where amounts go, JSON nested
1,000 deep, NUL and control characters, lone surrogates, Rich markup, bytes that are not
UTF-8 — every command ends with exit status 0, or 1 (it ran; the answer is "no"), or 2 with
a message naming the problem. Never an uncaught exception: that prints a traceback and
tells the user nothing about their input.

Commands covered: ``cbec import`` (a document file), ``cbec tax cn-import`` and ``cbec tax
quote`` (the order on standard input, and their options), ``cbec tax positive-list``,
``cbec compliance evaluate`` (an order on standard input), ``cbec ledger prove`` (entry
numbers and document ids), ``cbec analytics replenish`` (its two CSV files) and ``cbec
customs validate`` (message files). Examples are few per command
(the point is the kinds of value, which are enumerated, not volume) and no deadline applies.
"""

from __future__ import annotations

import copy
import json
import random
import re
import traceback
from datetime import UTC, datetime
from typing import Any

import pytest
from click.testing import Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cbec.cli.main import app
from cbec.demo import synthetic
from tests.jsonpaths import locations, replaced

EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- hostile values ------------------------------------------------------------------------

NUMBER_TEXTS = [
    "NaN",
    "nan",
    "-NaN",
    "sNaN",
    "Infinity",
    "-Infinity",
    "inf",
    "1e400",
    "-1e400",
    "1e999999",
    "1e-999999",
    "9" * 400,
    str(10**30),
    str(-(10**30)),
    "0",
    "-0",
    "-1",
    "0.000000001",
    "1_000",
    "١٢",  # Arabic-Indic digits: int() and Decimal() accept them
    "１２",  # full-width digits
    "0x1F",
    "",
    " ",
    "1e",
    "1,5",
]
numbers = st.sampled_from(NUMBER_TEXTS) | st.integers(-(10**30), 10**30).map(str)

NASTY = [
    "\x00",
    "\x01",
    "\x07",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\ud800",  # lone surrogates: not encodable as UTF-8
    "\udfff",
    "\u202e",  # right-to-left override
    "\ufeff",
    "\r\n",
    "[/red]",  # Rich markup: closing a tag that is not open is an error
    "[bold]",
    "\\",
    '"',
    ",",
    "𝒳",
]
texts = st.lists(
    st.sampled_from(NASTY) | st.characters(codec=None, exclude_categories=()), max_size=8
).map("".join)

# 1,000 deep is what the goal names; Hypothesis raises the recursion limit while a test runs,
# so 100,000 deep as well, which no limit covers (outside a test 1,000 already exceeds it).
DEEP = 1000
deep_json = st.sampled_from([DEEP, 100 * DEEP]).flatmap(
    lambda depth: st.sampled_from(
        [
            "[" * depth + "]" * depth,
            '{"a":' * depth + "1" + "}" * depth,
            "[" * depth,  # unterminated
            '{"lines": ' + "[" * depth + "]" * depth + "}",
        ]
    )
)
raw_bytes = st.sampled_from(
    [
        b"\xff\xfe\x00\x00",
        b"\xc3\x28",  # invalid UTF-8 sequence
        b"\xed\xa0\x80",  # an encoded surrogate (CESU-8), not UTF-8
        b"\x00" * 16,
        b"NaN",
        b"1e999999",
        b"",
        b"\xef\xbb\xbf",  # a BOM and nothing else
    ]
) | st.binary(max_size=64)

# JSON values that go where a field's value goes: hostile numbers as numbers (floats
# nan/inf are written as the NaN/Infinity literals Python's json reads back) and as strings.
json_leaves = (
    st.integers(-(10**30), 10**30)
    | st.sampled_from([float("nan"), float("inf"), float("-inf"), 1e308, -0.0, 5e-324])
    | numbers
    | texts
    | st.none()
    | st.booleans()
)
json_values = st.recursive(
    json_leaves,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(texts, children, max_size=3),
    max_leaves=6,
)


def encode(doc: Any, ascii_only: bool) -> bytes:
    """JSON text of ``doc``; lone surrogates either escaped (valid JSON) or written raw,
    which makes the bytes invalid UTF-8 — both happen in files found in the wild."""
    return json.dumps(doc, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


@st.composite
def hostile_json(draw: st.DrawFn, base: dict[str, Any]) -> bytes:
    """``base`` with one place replaced or removed, or a hostile document of its own."""
    how = draw(st.sampled_from(["mutate", "mutate", "mutate", "deep", "bytes", "value"]))
    if how == "deep":
        return draw(deep_json).encode()
    if how == "bytes":
        return draw(raw_bytes)
    if how == "value":
        return encode(draw(json_values), draw(st.booleans()))
    paths = locations(base)
    path = paths[draw(st.integers(0, len(paths) - 1))]
    doc = replaced(base, path, draw(json_values), delete=draw(st.booleans()))
    return encode(doc, draw(st.booleans()))


# --- the property --------------------------------------------------------------------------


def rooted_in(exc: BaseException, module: str) -> bool:
    """Whether the innermost cbec frame of ``exc``'s traceback is in ``module``."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "cbec" in f.filename]
    return bool(frames) and frames[-1].filename.replace("\\", "/").endswith(module)


def assert_clean(result: Result, allowed: tuple[int, ...] = (0, 1, 2)) -> None:
    """Exit 0, or a clean failure that says what is wrong — never an uncaught exception."""
    exc = result.exception
    if exc is not None and not isinstance(exc, SystemExit):
        trace = "".join(traceback.format_exception(exc))
        raise AssertionError(f"uncaught {type(exc).__name__}: {exc}\n{trace}")
    assert result.exit_code in allowed, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert "error" in result.output or "Error" in result.output, result.output


runner = CliRunner()


def run(*args: object, input: bytes | None = None) -> Result:
    return runner.invoke(app, [str(a) for a in args], input=input)


def safe_arg(text: str) -> str:
    """Command-line arguments cannot hold NUL (exec refuses them) — a shell never passes one;
    everything else, lone surrogates included (how Python shows undecodable bytes in argv),
    can arrive."""
    return text.replace("\x00", "")


# --- tax -----------------------------------------------------------------------------------

CN_ORDER = {
    "date": "2026-03-01",
    "buyer_id_hash": "abc",
    "annual_used": "0",
    "freight": "20",
    "insurance": "0",
    "lines": [
        {
            "sku": "A",
            "qty": 2,
            "unit_price": "100",
            "vat_rate": "0.13",
            "ct_rate": "0",
            "duty_rate": "0.10",
        }
    ],
}

QUOTE_ORDER = {
    "currency": "USD",
    "freight": "8",
    "insurance": "0",
    "lines": [
        {
            "sku": "TS-1",
            "qty": 2,
            "unit_price": "40",
            "hs_code": "610910",
            "origin": "CN",
            "description": "cotton T-shirt",
        }
    ],
    "fx_rates": [
        {"base": "USD", "quote": "EUR", "rate": "0.9", "date": "2025-01-01", "source": "test"}
    ],
}


def test_the_base_inputs_are_valid():
    """The mutations start from inputs the commands accept, so they probe past the parser."""
    assert_clean(run("tax", "cn-import", input=json.dumps(CN_ORDER).encode()), (0,))
    done = run(
        "tax", "quote", "--dest", "US", "--date", "2025-05-03", input=encode(QUOTE_ORDER, True)
    )
    assert_clean(done, (0,))


@EXAMPLES
@given(stdin=hostile_json(CN_ORDER))
def test_tax_cn_import_survives_hostile_stdin(stdin):
    assert_clean(run("tax", "cn-import", input=stdin))


@EXAMPLES
@given(
    stdin=hostile_json(QUOTE_ORDER),
    dest=st.sampled_from(["US", "DE", "GB", "AU", "JP"]) | texts.map(safe_arg),
    day=st.sampled_from(["2025-05-03", "2026-07-01"]) | numbers | texts.map(safe_arg),
)
def test_tax_quote_survives_hostile_stdin_and_options(stdin, dest, day):
    assert_clean(run("tax", "quote", "--dest", dest, "--date", day, input=stdin))


@pytest.mark.parametrize("field, value", [("base", 123), ("quote", ["E", "U", "R"])])
def test_an_fx_code_that_is_not_a_string_is_refused_by_name(field, value):
    doc = copy.deepcopy(QUOTE_ORDER)
    doc["fx_rates"][0][field] = value
    result = run("tax", "quote", "--dest", "US", "--date", "2025-05-03", input=encode(doc, True))
    assert_clean(result, allowed=(2,))
    assert f"fx_rates[0].{field}" in result.output


@EXAMPLES
@given(
    codes=st.lists(numbers | texts.map(safe_arg), min_size=1, max_size=3),
    qty=numbers,
    day=st.sampled_from(["2026-03-01"]) | numbers,
)
def test_tax_positive_list_survives_hostile_codes_and_quantities(codes, qty, day):
    assert_clean(run("tax", "positive-list", *codes, "--qty", qty, "--date", day))


# --- compliance ----------------------------------------------------------------------------


@EXAMPLES
@given(stdin=st.deferred(lambda: hostile_json(base_documents()["orders"][1])))
def test_compliance_evaluate_survives_hostile_stdin(stdin):
    assert_clean(run("compliance", "evaluate", input=stdin))


# --- analytics replenish -------------------------------------------------------------------

FORECASTS = [
    ["sku", "market", "ds", "forecast", "sigma", "period_days"],
    ["SKU1", "DE", "2024-10-07", "5", "3", "7"],
    ["SKU1", "DE", "2024-10-14", "7", "3", "7"],
]
STOCK = [
    ["sku", "warehouse", "on_hand", "on_order", "lead_time_weeks", "moq", "pack_size"],
    ["SKU1", "DE", "20", "15", "3", "30", "12"],
]


@st.composite
def hostile_csv(draw: st.DrawFn, table: list[list[str]]) -> bytes:
    """``table`` as CSV with one cell replaced by a hostile number or text, or raw bytes."""
    how = draw(st.sampled_from(["cell", "cell", "cell", "bytes"]))
    if how == "bytes":
        return draw(raw_bytes)
    rows = [list(r) for r in table]
    i = draw(st.integers(0, len(rows) - 1))
    j = draw(st.integers(0, len(rows[i]) - 1))
    rows[i][j] = draw(numbers | texts)
    text = "\n".join(
        ",".join(json.dumps(c) if "," in c or '"' in c else c for c in r) for r in rows
    )
    return text.encode("utf-8", "surrogatepass")


@EXAMPLES
@given(
    forecasts=hostile_csv(FORECASTS),
    stock=hostile_csv(STOCK),
    fmt=st.sampled_from(["json", "table"]),
)
def test_analytics_replenish_survives_hostile_files(tmp_path, forecasts, stock, fmt):
    fc, st_file = tmp_path / "fc.csv", tmp_path / "stock.csv"
    fc.write_bytes(forecasts)
    st_file.write_bytes(stock)
    args = ["analytics", "replenish", "--forecasts", fc, "--stock", st_file, "--format", fmt]
    assert_clean(run(*args))


# --- customs validate ----------------------------------------------------------------------


def _ceb311() -> str:
    from cbec.customs import build
    from cbec.customs import xml as cx

    reg = build.Registry(
        parties={
            "platform-a": build.Party("3301960001", "丝路商城（杭州）有限公司"),
            "seller-a": build.Party("4403960002", "深圳小工具贸易有限公司"),
        },
        sender=build.Party("3301960001", "丝路商城（杭州）有限公司"),
        dxp_id="DXPENT0000000001",
    )
    order = synthetic.order(random.Random(5), "platform-a", "seller-a", "HOSTILE-1")
    at = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    return cx.write(build.ceb311(order, reg, at=at)).decode("utf-8")


CEB311: list[str] = []


def ceb311() -> str:
    if not CEB311:
        CEB311.append(_ceb311())
    return CEB311[0]


XML_ATTACKS = [
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
    "<r>&b;&b;&b;</r>",
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
    "<a>" * DEEP + "</a>" * DEEP,
    "<a>" * DEEP,
    "<?xml version='1.0' encoding='latin-1'?><r>\xe9</r>",
    "<?xml version='1.0' encoding='no-such-codec'?><r/>",
    "",
    "\x00<r/>",
]


@st.composite
def hostile_xml(draw: st.DrawFn) -> bytes:
    """A valid CEB311 with one element's text replaced, an XML attack, or raw bytes."""
    how = draw(st.sampled_from(["text", "text", "text", "attack", "bytes"]))
    if how == "attack":
        return draw(st.sampled_from(XML_ATTACKS)).encode("utf-8", "surrogatepass")
    if how == "bytes":
        return draw(raw_bytes)
    xml = ceb311()
    values = [m.span(1) for m in re.finditer(r">([^<\s][^<]*)<", xml)]  # element text
    start, end = values[draw(st.integers(0, len(values) - 1))]
    value = draw(numbers | texts)
    escaped = value.replace("&", "&amp;").replace("<", "&lt;")
    return (xml[:start] + escaped + xml[end:]).encode("utf-8", "surrogatepass")


def test_the_base_message_is_valid(tmp_path):
    path = tmp_path / "m.xml"
    path.write_text(ceb311(), encoding="utf-8")
    assert_clean(run("customs", "validate", path), (0, 1))


@EXAMPLES
@given(message=hostile_xml())
def test_customs_validate_survives_hostile_messages(tmp_path, message):
    path = tmp_path / "m.xml"
    path.write_bytes(message)
    assert_clean(run("customs", "validate", path))


# --- import and ledger (on the test database) ----------------------------------------------

BASES: dict[str, tuple[str, dict[str, Any]]] = {}


def base_documents() -> dict[str, tuple[str, dict[str, Any]]]:
    if not BASES:
        rng = random.Random(3)
        order = synthetic.order(rng, "platform-a", "seller-a", "HOSTILE-ORD")
        BASES["orders"] = ("seller-a", order)
        BASES["payments"] = ("pay-a", synthetic.payment(rng, order, "HOSTILE-PAY"))
        BASES["waybills"] = ("ship-a", synthetic.waybill(rng, order, "HOSTILE-WB"))
        BASES["products"] = ("seller-a", synthetic.product(synthetic.CATALOG[0]))
    return BASES


@st.composite
def hostile_import(draw: st.DrawFn) -> tuple[str, str, bytes, str]:
    """(kind, tenant, file content, file name) — a JSON Lines or CSV file with something
    hostile in it, filed by the tenant whose role files that kind."""
    kind = draw(st.sampled_from(["orders", "payments", "waybills", "products"]))
    tenant, base = base_documents()[kind]
    how = draw(st.sampled_from(["mutate", "mutate", "deep", "bytes", "csv"]))
    if how == "csv":
        header = ",".join(k for k, v in base.items() if not isinstance(v, dict | list))
        row = draw(st.lists(numbers | texts, min_size=1, max_size=6))
        content = (header + "\n" + ",".join(row) + "\n").encode("utf-8", "surrogatepass")
        return kind, tenant, content, "docs.csv"
    if how == "deep":
        return kind, tenant, draw(deep_json).encode() + b"\n", "docs.jsonl"
    if how == "bytes":
        return kind, tenant, draw(raw_bytes), "docs.jsonl"
    paths = locations(base)
    path = paths[draw(st.integers(0, len(paths) - 1))]
    doc = replaced(base, path, draw(json_values), delete=draw(st.booleans()))
    return kind, tenant, encode(doc, draw(st.booleans())) + b"\n", "docs.jsonl"


@EXAMPLES
@given(case=hostile_import(), continue_on_error=st.booleans())
def test_import_survives_hostile_files(cli, parties, tmp_path, case, continue_on_error):
    kind, tenant, content, name = case
    path = tmp_path / name
    path.write_bytes(content)
    args = ["import", kind, path, "--as", tenant]
    if continue_on_error:
        args.append("--continue-on-error")
    assert_clean(cli(*args))


@EXAMPLES
@given(tenant=texts.map(safe_arg))
def test_import_survives_hostile_tenant_names(cli, parties, tmp_path, tenant):
    path = tmp_path / "orders.jsonl"
    path.write_bytes(encode(base_documents()["orders"][1], True) + b"\n")
    assert_clean(cli("import", "orders", path, "--as", tenant))


@EXAMPLES
@given(index=numbers, document=texts.map(safe_arg))
def test_ledger_prove_survives_hostile_numbers_and_ids(cli, parties, index, document):
    assert_clean(cli("ledger", "prove", "--index", index))
    assert_clean(cli("ledger", "prove", document))


@pytest.fixture(autouse=True)
def _no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    """Plain output, so the messages are matched as text."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")


def test_properties_cover_the_listed_kinds_of_value():
    """The enumerated values are the ones this module's docstring promises."""
    for value in ("NaN", "Infinity", "1e400", "1e999999", "sNaN", str(10**30)):
        assert value in NUMBER_TEXTS
    assert {"\x00", "\ud800"} <= set(NASTY)
