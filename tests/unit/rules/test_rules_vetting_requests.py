"""rules.md A-RC-4(1) with cl. 11: a request to a state body unanswered after N working days is overdue."""

from datetime import date

import pytest

from portal.rules.calendar import WorkCalendar
from portal.rules.vetting import DEFAULT_REPLY_WD, a_rc_4_1_reply_due, a_rc_4_1_reply_overdue

PLAIN = WorkCalendar()  # Monday to Friday, no holidays
THURSDAY = date(2025, 2, 20)


def test_a_rc_4_1_the_reply_is_due_on_the_tenth_working_day_after_the_request() -> None:
    assert DEFAULT_REPLY_WD == 10
    assert a_rc_4_1_reply_due(THURSDAY, PLAIN) == date(2025, 3, 6)  # two weekends skipped


def test_a_rc_4_1_holidays_do_not_count() -> None:
    with_holiday = WorkCalendar(holidays=[date(2025, 3, 3)])
    assert a_rc_4_1_reply_due(THURSDAY, with_holiday) == date(2025, 3, 7)


def test_a_rc_4_1_overdue_only_after_the_due_day_and_without_a_reply() -> None:
    due = a_rc_4_1_reply_due(THURSDAY, PLAIN, 3)
    assert not a_rc_4_1_reply_overdue(THURSDAY, replied=False, today=due, calendar=PLAIN, reply_wd=3)
    assert a_rc_4_1_reply_overdue(
        THURSDAY, replied=False, today=date(2025, 2, 26), calendar=PLAIN, reply_wd=3
    )
    assert not a_rc_4_1_reply_overdue(
        THURSDAY, replied=True, today=date(2025, 2, 26), calendar=PLAIN, reply_wd=3
    )
    assert not a_rc_4_1_reply_overdue(None, replied=False, today=date(2026, 1, 1), calendar=PLAIN)


def test_a_rc_4_1_a_reply_period_is_at_least_one_working_day() -> None:
    with pytest.raises(ValueError, match="at least one"):
        a_rc_4_1_reply_due(THURSDAY, PLAIN, 0)
