"""Hypothesis strategies for EPCIS tracking events: every field cbec emits, every identifier
form it reads (Digital Link on id.gs1.org and on another host, EPC URNs, GTIN-13 padded to
14, plain URIs), and the check digits computed here independently of python-stdnum."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import strategies as st

from cbec.logistics import cbv
from cbec.logistics.epcis import TrackEvent
from cbec.logistics.gs1_uri import canonical

HOSTS = ("https://id.gs1.org", "https://dl.cbec.example")
UOMS = ("CEL", "FAH", "P1", "MTS", "KMH", "MSK", "K40", "KGM", "LTR", "A93")
TEXT = st.text("0123456789ABCXYZabcxyz._-", min_size=1, max_size=20)


def check_digit(digits: str) -> str:
    """GS1 General Specifications §7.9.1: weights 3 and 1 from the right, mod 10."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return str(-total % 10)


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.text("0123456789", min_size=n, max_size=n)


@st.composite
def sscc(draw: st.DrawFn) -> str:
    body = draw(_digits(17))
    if draw(st.booleans()):
        return f"{draw(st.sampled_from(HOSTS))}/00/{body}{check_digit(body)}"
    cut = draw(st.integers(6, 12))  # company prefix length; the extension digit leads
    return f"urn:epc:id:sscc:{body[1 : cut + 1]}.{body[0]}{body[cut + 1 :]}"


@st.composite
def sgtin(draw: st.DrawFn) -> str:
    body, serial = draw(_digits(13)), draw(TEXT)
    if draw(st.booleans()):
        gtin = body + check_digit(body)
        if gtin.startswith("0") and draw(st.booleans()):
            gtin = gtin[1:]  # a GTIN-13, padded back to 14 by the hash
        return f"{draw(st.sampled_from(HOSTS))}/01/{gtin}/21/{serial}"
    cut = draw(st.integers(6, 12))
    return f"urn:epc:id:sgtin:{body[1 : cut + 1]}.{body[0]}{body[cut + 1 :]}.{serial}"


@st.composite
def gtin_class(draw: st.DrawFn) -> str:
    body = draw(_digits(13))
    lot = draw(st.none() | TEXT)
    form = draw(st.sampled_from(("dl", "lgtin", "idpat")))
    if form == "dl":
        uri = f"{draw(st.sampled_from(HOSTS))}/01/{body}{check_digit(body)}"
        return uri + (f"/10/{lot}" if lot else "")
    cut = draw(st.integers(6, 12))
    head = f"{body[1 : cut + 1]}.{body[0]}{body[cut + 1 :]}"
    return (
        f"urn:epc:class:lgtin:{head}.{lot or 'L1'}"
        if form == "lgtin"
        else (f"urn:epc:idpat:sgtin:{head}.*")
    )


@st.composite
def place(draw: st.DrawFn) -> str:
    body, ext = draw(_digits(12)), draw(st.none() | TEXT)
    form = draw(st.sampled_from(("dl", "sgln", "cbec")))
    if form == "dl":
        uri = f"{draw(st.sampled_from(HOSTS))}/414/{body}{check_digit(body)}"
        return uri + (f"/254/{ext}" if ext else "")
    if form == "sgln":
        cut = draw(st.integers(6, 12))
        return f"urn:epc:id:sgln:{body[:cut]}.{body[cut:]}.{ext or '0'}"
    return f"urn:cbec:loc:{draw(st.sampled_from(('CNSZX', 'CNSHA', 'NLRTM', 'USLAX')))}"


OPAQUE = st.builds(
    "urn:cbec:parcel:{}".format, st.text("0123456789ABCDEF", min_size=4, max_size=12)
)
OBJECT = sscc() | sgtin() | OPAQUE
# 15 significant digits at most, no more than 6 decimals, and none below 10^-4 (where the
# reference writes exponents; test_epcis_hash shows that departure on its own)
AMOUNT = st.decimals(min_value=Decimal("-99999999"), max_value=Decimal("99999999"), places=4)
TIME = st.datetimes(datetime(2020, 1, 1), datetime(2035, 12, 31), timezones=st.just(UTC)).map(
    lambda t: t.replace(microsecond=t.microsecond // 1000 * 1000)
)
OFFSETS = st.sampled_from(("+08:00", "+00:00", "-05:00", "+05:30", "+14:00", "-09:30"))


def quantity() -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {"epc_class": gtin_class(), "quantity": AMOUNT.map(abs)},
        optional={"uom": st.sampled_from(UOMS)},
    )


def sensor() -> st.SearchStrategy[dict]:
    reading = st.fixed_dictionaries(
        {
            "type": st.sampled_from(sorted(cbv.MEASUREMENT_TYPES)).map("gs1:{}".format),
            "value": AMOUNT,
            "uom": st.sampled_from(UOMS),
        }
    )
    return st.fixed_dictionaries(
        {"readings": st.lists(reading, min_size=1, max_size=3)},
        optional={"device_id": OPAQUE.map(lambda u: u.replace("parcel", "device")), "time": TIME},
    )


@st.composite
def track_events(draw: st.DrawFn) -> TrackEvent:
    kind = draw(st.sampled_from(("ObjectEvent", "AggregationEvent")))
    action = draw(st.sampled_from(("ADD", "OBSERVE", "DELETE")))
    offset = draw(OFFSETS)
    sign = -1 if offset[0] == "-" else 1
    local = timedelta(hours=int(offset[1:3]), minutes=int(offset[4:])) * sign
    fields: dict = {
        "event_type": kind,
        "action": action,
        "event_time": draw(TIME).astimezone(timezone(local)),
        "event_time_zone_offset": offset,
        "biz_step": draw(st.none() | st.sampled_from(sorted(cbv.BIZ_STEPS))),
        "disposition": draw(st.none() | st.sampled_from(sorted(cbv.DISPOSITIONS))),
        "read_point": draw(st.none() | place()),
        "biz_location": draw(st.none() | place()),
        "biz_transaction_list": draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "type": st.sampled_from(sorted(cbv.BIZ_TRANSACTION_TYPES)),
                        "uri": OPAQUE.map(lambda u: u.replace("parcel", "doc")),
                    }
                ),
                max_size=3,
            )
        ),
        "sensor_element_list": draw(st.lists(sensor(), max_size=2)),
        "event_id": draw(st.none() | st.uuids().map("urn:uuid:{}".format)),
    }
    if kind == "ObjectEvent":
        fields["epc_list"] = draw(st.lists(OBJECT, min_size=1, max_size=4, unique_by=canonical))
        fields["quantity_list"] = draw(st.lists(quantity(), max_size=3))
    else:
        fields["parent_id"] = draw(OBJECT if action != "OBSERVE" else st.none() | OBJECT)
        fields["child_epcs"] = draw(st.lists(OBJECT, max_size=4, unique_by=canonical))
        fields["child_quantity_list"] = draw(st.lists(quantity(), max_size=3))
        if action != "DELETE" and not fields["child_epcs"] and not fields["child_quantity_list"]:
            fields["child_epcs"] = [draw(OBJECT)]  # EPCIS 2.0 §7.4.3: only DELETE may name none
    return TrackEvent(**fields)
