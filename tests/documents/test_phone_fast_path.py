"""The fast paths of the party checks give the libraries' answers: a mainland mobile written
as eleven digits is judged as ``phonenumbers.parse`` + ``is_valid_number`` judge it, and a
resident ID already in compact form as ``stdnum.cn.ric`` judges it after ``compact`` — on
generated numbers of every shape the fast paths take, valid and not."""

from __future__ import annotations

import random

import phonenumbers
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from cbec.demo import synthetic
from cbec.trade import parties

ELEVEN_FROM_ONE = st.from_regex(r"\A1[0-9]{10}\Z")
COMPACT_IDS = st.from_regex(r"\A[0-9]{17}[0-9X]\Z")


def _library(phone: str, region: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(phone, region))
    except phonenumbers.NumberParseException:
        return False


@settings(max_examples=400, deadline=None)
@given(ELEVEN_FROM_ONE)
def test_a_mainland_mobile_is_judged_as_the_library_judges_it(phone):
    parties._phone_valid.cache_clear()
    assert parties._phone_valid(phone, "CN") is _library(phone, "CN")


def test_generated_mobiles_valid_and_prefixes_the_plan_has_not():
    rng = random.Random(7)
    phones = [synthetic.mobile(rng) for _ in range(200)]
    phones += ["10012345678", "11012345678", "12012345678", "14012345678", "16012345678"]
    answers = {p: parties._phone_valid(p, "CN") for p in phones}
    assert answers == {p: _library(p, "CN") for p in phones}
    assert any(answers.values()) and not all(answers.values())  # both kinds are covered


def _stdnum(number: str) -> str | None:
    try:
        ric.validate(number)
    except Exception as exc:  # the rule is compared by kind: valid or not
        return type(exc).__name__
    return None


@settings(max_examples=400, deadline=None)
@given(COMPACT_IDS)
def test_a_compact_resident_id_is_judged_as_stdnum_judges_it(number):
    assert (parties.resident_id_problem(number) is None) is (_stdnum(number) is None)


def test_generated_resident_ids_and_their_broken_forms():
    rng = random.Random(11)
    ids = [synthetic.resident_id(rng) for _ in range(100)]
    broken = [n[:-1] + ("0" if n[-1] != "0" else "1") for n in ids]  # a wrong check digit
    spaced = [f"{n[:6]} {n[6:14]} {n[14:]}" for n in ids[:10]]  # not compact: the slow path
    for number in ids + broken + spaced:
        assert (parties.resident_id_problem(number) is None) is (_stdnum(number) is None)
    assert all(parties.resident_id_problem(n) is None for n in ids)
    assert all(parties.resident_id_problem(n) == "id_checksum" for n in broken)


def test_a_county_code_stdnum_cannot_place_is_a_broken_component_not_a_crash():
    """A code under a province's own (110001: Beijing, no prefecture part): stdnum's lookup
    raised KeyError, which reached the caller as a server error."""
    base = "11000119900101123"
    number = base + ric.calc_check_digit(base + "0")  # the digit itself is not read
    assert parties.resident_id_problem(number) == "id_component"
    assert _stdnum(number) is not None


def test_a_malformed_id_or_phone_is_named_not_a_crash():
    """A lenient read passes a placeholder for a value that is no string: the fast paths
    leave it to the libraries' path, which refuses it by field (the fuzz test found it)."""
    from cbec.trade.kinds import KINDS
    from cbec.trade.validation import read

    order = synthetic.order(random.Random(3), "platform-a", "seller-a", "BAD-1")
    order["buyer"] = order["buyer"] | {"id_number": [], "phone": {"n": 1}}
    found = read(KINDS["order"], order)
    assert found.doc is None
    assert {"buyer.id_number", "buyer.phone"} <= {v.field for v in found.errors}


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(["440106", "110101", "310115", "110001", "999999"]),
    st.from_regex(r"\A[0-9]{8}\Z"),
    st.from_regex(r"\A[0-9]{3}\Z"),
)
def test_a_resident_id_with_a_right_check_digit_is_judged_on_its_birth_date_as_stdnum_does(
    county, birth, serial
):
    """Past the check digit the birth date is read without stdnum's second ``compact``: any
    eight digits (a 30 February, a month 13, year 0000) get stdnum's answer."""
    base = county + birth + serial
    number = base + ric.calc_check_digit(base + "0")
    assert (parties.resident_id_problem(number) is None) is (_stdnum(number) is None)
