"""``UTCDateTime`` on SQLite writes the text SQLAlchemy's own two steps write.

The oracle is the general path the one-step processor replaces: ``process_bind_param`` (the
instant in UTC, made naive) followed by ``sqlalchemy.dialects.sqlite.DATETIME``'s bind
processor, on generated instants of any year, microsecond and UTC offset; the text reads
back to the same instant; a naive datetime is refused by both."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.dialects import sqlite
from sqlalchemy.dialects.sqlite import DATETIME

from cbec.store.tables.base import UTCDateTime

DIALECT = sqlite.dialect()
OFFSETS = st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59).map(
    lambda m: timezone(timedelta(minutes=m))
)


def general(value: datetime) -> str:
    return DATETIME().bind_processor(DIALECT)(UTCDateTime().process_bind_param(value, DIALECT))


@settings(max_examples=600, deadline=None)
@given(
    st.datetimes(
        min_value=datetime(2, 1, 1),
        max_value=datetime(9998, 12, 31),
        timezones=OFFSETS | st.just(UTC),
    )
)
def test_the_one_step_text_is_the_two_steps_text(value):
    fast = UTCDateTime().bind_processor(DIALECT)
    assert fast(value) == general(value)
    back = UTCDateTime().process_result_value(
        DATETIME().result_processor(DIALECT, None)(fast(value)), DIALECT
    )
    assert back == value


def test_none_and_naive_values():
    fast = UTCDateTime().bind_processor(DIALECT)
    assert fast(None) is None
    with pytest.raises(ValueError, match="naive"):
        fast(datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="naive"):
        general(datetime(2026, 1, 1))


SHARED = UTCDateTime().bind_processor(DIALECT)  # one processor for every example, as Core keeps


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.datetimes(
            min_value=datetime(1900, 1, 1),
            max_value=datetime(2100, 12, 31),
            timezones=OFFSETS | st.just(UTC),
        ),
        min_size=1,
        max_size=6,
    ),
    st.lists(st.integers(min_value=0, max_value=5), max_size=12),
)
def test_one_processor_binds_a_run_of_instants_each_as_itself(values, picks):
    """The processor remembers the instant it wrote last (a chunk's rows share one): the
    same object again, an equal instant in another zone and every other value each get
    their own text."""
    run = [values[i % len(values)] for i in picks] + values
    run += [v.astimezone(timezone(timedelta(hours=5))) for v in values]
    for value in run:
        assert SHARED(value) == general(value)
        assert SHARED(value) == general(value)  # the remembered text, asked again
