"""Calendar periods: cl. 12 and 13-3 (2 years), cl. 13-2 (1 year), cl. 13-3 (1 month); rules.md 5.3.4."""

from calendar import monthrange
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.rules.calendar import kz_calendar
from portal.rules.terms import (
    add_months,
    add_years,
    direct_enrolment_deadline,
    direct_enrolment_decision_due,
    direct_enrolment_request_in_time,
    membership_active_on,
    membership_end,
    proposal_review_due,
)

CAL = kz_calendar(range(2023, 2029))


# --- the examples of rules.md 5.3.4, 3.3 and 1.4 -------------------------------------------------


def test_cl12_membership_two_years_inclusive() -> None:
    assert membership_end(date(2024, 5, 20)) == date(2026, 5, 20)
    assert membership_active_on(date(2024, 5, 20), date(2026, 5, 20))
    assert not membership_active_on(date(2024, 5, 20), date(2026, 5, 21))
    assert not membership_active_on(date(2024, 5, 20), date(2024, 5, 19))


def test_cl12_membership_from_29_february_ends_28_february() -> None:
    assert membership_end(date(2024, 2, 29)) == date(2026, 2, 28)


def test_cl13_3_decision_due_31_january_to_end_of_february() -> None:
    assert direct_enrolment_decision_due(date(2024, 1, 31), CAL) == date(2024, 2, 29)
    assert direct_enrolment_decision_due(date(2025, 1, 31), CAL) == date(2025, 2, 28)


def test_cl13_3_decision_due_extended_to_next_working_day() -> None:
    received = date(2025, 2, 21)  # + 1 month = Fri 21 March 2025, Nauryz; 22-25 off too
    assert direct_enrolment_decision_due(received, CAL) == date(2025, 3, 26)
    assert direct_enrolment_decision_due(received, CAL, extend_to_next_working_day=False) == date(2025, 3, 21)


def test_cl13_2_request_one_day_after_the_year_is_rejected() -> None:
    approved = date(2024, 6, 3)
    assert direct_enrolment_deadline(approved, CAL) == date(2025, 6, 3)  # a Tuesday, working
    assert direct_enrolment_request_in_time(approved, date(2025, 6, 3), CAL)
    assert not direct_enrolment_request_in_time(approved, date(2025, 6, 4), CAL)
    assert not direct_enrolment_request_in_time(approved, date(2024, 6, 2), CAL)


def test_cl13_2_window_extended_to_next_working_day_in_candidates_favour() -> None:
    approved = date(2024, 3, 23)  # + 1 year = Sunday 23 March 2025; 24-25 March observed Nauryz
    assert direct_enrolment_deadline(approved, CAL) == date(2025, 3, 26)
    assert direct_enrolment_request_in_time(approved, date(2025, 3, 26), CAL)
    assert direct_enrolment_deadline(approved, CAL, extend_to_next_working_day=False) == date(2025, 3, 23)


def test_cl12_membership_end_not_extended_by_default_s5_3_4() -> None:
    decided = date(2023, 3, 21)  # + 2 years = Fri 21 March 2025, Nauryz
    assert membership_end(decided) == date(2025, 3, 21)
    assert membership_end(decided, CAL, extend_to_next_working_day=True) == date(2025, 3, 26)
    assert membership_active_on(decided, date(2025, 3, 26), CAL, extend_to_next_working_day=True)


def test_s5_3_4_extension_needs_a_calendar() -> None:
    with pytest.raises(ValueError, match="WorkCalendar"):
        membership_end(date(2023, 3, 21), extend_to_next_working_day=True)


def test_a19_proposal_review_reminder_after_10_working_days() -> None:
    assert proposal_review_due(date(2025, 3, 14), CAL) == date(2025, 4, 2)  # Nauryz 21-25 skipped
    assert proposal_review_due(date(2025, 3, 14), CAL, review_wd=1) == date(2025, 3, 17)
    with pytest.raises(ValueError, match="at least 1"):
        proposal_review_due(date(2025, 3, 14), CAL, review_wd=0)


# --- month and year arithmetic (rules.md 5.3.4) ----------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 3, 31), 1, date(2024, 4, 30)),
        (date(2024, 12, 15), 1, date(2025, 1, 15)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 1, 15), -13, date(2022, 12, 15)),
    ],
)
def test_s5_3_4_month_end_when_no_corresponding_date(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_s5_3_4_years_from_29_february() -> None:
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert add_years(date(2024, 2, 29), -2) == date(2022, 2, 28)


@settings(max_examples=300, deadline=None)
@given(
    start=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
    months=st.integers(min_value=-600, max_value=600),
)
def test_s5_3_4_add_months_lands_on_the_corresponding_date_or_month_end(start: date, months: int) -> None:
    end = add_months(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    assert end.day == min(start.day, monthrange(end.year, end.month)[1])
