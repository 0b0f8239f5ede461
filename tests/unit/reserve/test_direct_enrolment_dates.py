"""The dates of a chapter 2-1 request are those of portal.rules.terms with the Kazakhstan working-day
calendar (cl. 13-2: list approval + 1 year; cl. 13-3: receipt + 1 month; rules.md 5.3.4): the end
of a month, a holiday or a weekend on the last day, and a last day rolled into the next year."""

from datetime import date

import pytest

from portal.reserve import direct_services as direct
from portal.rules.calendar import kz_calendar
from portal.rules.terms import (
    direct_enrolment_deadline,
    direct_enrolment_decision_due,
    direct_enrolment_request_in_time,
)

CAL = kz_calendar(range(2023, 2028))


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2024, 1, 31), date(2024, 2, 29)),  # end of month, leap year
        (date(2025, 1, 31), date(2025, 2, 28)),  # end of month
        (date(2025, 2, 21), date(2025, 3, 26)),  # + 1 month = 21 March, Nauryz; 22-25 off too
        (date(2025, 3, 26), date(2025, 4, 28)),  # + 1 month = Saturday 26 April
        (date(2024, 12, 1), direct_enrolment_decision_due(date(2024, 12, 1), CAL)),  # rolled into 2025
    ],
)
def test_cl13_3_decision_due_follows_the_rules_terms(received: date, due: date) -> None:
    assert direct.decision_due(received) == due == direct_enrolment_decision_due(received, CAL)


@pytest.mark.parametrize(
    ("approved", "deadline"),
    [
        (date(2024, 6, 3), date(2025, 6, 3)),  # a working Tuesday
        (date(2024, 3, 23), date(2025, 3, 26)),  # Sunday 23 March 2025, 24-25 March observed Nauryz
        (date(2024, 2, 29), direct_enrolment_deadline(date(2024, 2, 29), CAL)),  # no 29 February in 2025
        (date(2025, 12, 31), direct_enrolment_deadline(date(2025, 12, 31), CAL)),
    ],
)
def test_cl13_2_request_deadline_follows_the_rules_terms(approved: date, deadline: date) -> None:
    assert direct.request_deadline(approved) == deadline == direct_enrolment_deadline(approved, CAL)


def test_cl13_2_in_time_on_the_moved_last_day_and_not_the_day_after() -> None:
    approved = date(2024, 3, 23)
    for day in (
        date(2024, 3, 23),
        date(2025, 3, 23),
        date(2025, 3, 26),
        date(2025, 3, 27),
        date(2024, 3, 22),
    ):
        assert direct.request_in_time(approved, day) == direct_enrolment_request_in_time(approved, day, CAL)
    assert direct.request_in_time(approved, date(2025, 3, 26))
    assert not direct.request_in_time(approved, date(2025, 3, 27))
    assert not direct.request_in_time(approved, date(2024, 3, 22))  # before the list was approved
