"""The Chinese working-day calendar against the State Council's holiday notices, the dates
written out by hand from the notices (not read from the ``holidays`` package the
implementation uses):

* 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号, 2024-11-12;
  gov.cn/gongbao/2024/issue_11726/202411/content_6989767.html, the 2025 notice the
  ``holidays`` package cites): 春节 1月28日（除夕、周二）至2月4日（周二）放假调休，共8天；
  1月26日（周日）、2月8日（周六）上班。国庆节、中秋节 10月1日（周三）至8日（周三）放假调休，
  共8天；9月28日（周日）、10月11日（周六）上班。
* 国务院办公厅关于2026年部分节假日安排的通知 (国办发明电〔2025〕7号;
  gov.cn/gongbao/2025/issue_12406/202511/content_7048922.html): 春节 2月15日（周日）至
  23日（周一）放假调休，共9天；2月14日（周六）、2月28日（周六）上班。
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cbec.governance import workdays

SPRING_2025_OFF = [date(2025, 1, 28) + timedelta(days=i) for i in range(8)]  # 1-28 … 2-4
NATIONAL_2025_OFF = [date(2025, 10, 1) + timedelta(days=i) for i in range(8)]  # 10-1 … 10-8
SPRING_2026_OFF = [date(2026, 2, 15) + timedelta(days=i) for i in range(9)]  # 2-15 … 2-23
MAKE_UP = [
    date(2025, 1, 26),  # Sunday
    date(2025, 2, 8),  # Saturday
    date(2025, 9, 28),  # Sunday
    date(2025, 10, 11),  # Saturday
    date(2026, 2, 14),  # Saturday
    date(2026, 2, 28),  # Saturday
]


@pytest.mark.parametrize("day", SPRING_2025_OFF + NATIONAL_2025_OFF + SPRING_2026_OFF, ids=str)
def test_holiday_days_off_are_not_working_days(day):
    assert not workdays.is_working_day(day)


@pytest.mark.parametrize("day", MAKE_UP, ids=str)
def test_make_up_weekend_days_are_working_days(day):
    assert day.weekday() >= 5  # the notice makes a Saturday or Sunday a working day
    assert workdays.is_working_day(day)


def test_an_ordinary_week():
    assert [workdays.is_working_day(date(2025, 3, d)) for d in range(3, 10)] == [
        True,
        True,
        True,
        True,
        True,
        False,
        False,
    ]


@pytest.mark.parametrize(
    ("changed", "deadline"),
    [
        # an ordinary fortnight: Mon 3-3 → the 10th working day is Mon 3-17
        (date(2025, 3, 3), date(2025, 3, 17)),
        # Fri 1-24: Sun 1-26 (make-up) and Mon 1-27 count, 1-28…2-4 off, then 2-5, 2-6,
        # 2-7, Sat 2-8 (make-up), 2-10 … 2-13
        (date(2025, 1, 24), date(2025, 2, 13)),
        # Fri 9-26: Sun 9-28 (make-up), 9-29, 9-30, 10-1…10-8 off, 10-9, 10-10,
        # Sat 10-11 (make-up), 10-13 … 10-16
        (date(2025, 9, 26), date(2025, 10, 16)),
        # Fri 2026-2-13: Sat 2-14 (make-up), 2-15…2-23 off, 2-24 … 2-27, Sat 2-28 (make-up),
        # 3-2 … 3-5
        (date(2026, 2, 13), date(2026, 3, 5)),
        # a change made on a holiday: 2-5, 2-6, 2-7, Sat 2-8 (make-up), 2-10 … 2-14, 2-17
        (date(2025, 1, 30), date(2025, 2, 17)),
    ],
    ids=str,
)
def test_ten_working_days_after_a_change(changed, deadline):
    assert workdays.add_working_days(changed, 10) == deadline
    assert workdays.working_days_between(changed, deadline) == 10


def test_one_working_day_after_the_eve_of_a_holiday_is_after_the_holiday():
    assert workdays.add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)
    with pytest.raises(ValueError):
        workdays.add_working_days(date(2025, 9, 30), 0)


def test_the_calendar_knows_which_years_it_has_notices_for():
    assert workdays.covered(date(2026, 12, 31))
    assert not workdays.covered(date(workdays.last_notice_year() + 1, 1, 5))
