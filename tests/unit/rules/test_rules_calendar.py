"""Working days and the announcement notice (cl. 7; rules.md 5.3, A-01, A-02)."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.rules.calendar import (
    DEFAULT_MIN_NOTICE_WD,
    MIN_NOTICE_WD_FLOOR,
    CalendarNotCoveredError,
    WorkCalendar,
    kz_calendar,
)

CAL = kz_calendar(range(2020, 2031))
dates = st.dates(min_value=date(2021, 1, 1), max_value=date(2029, 12, 31))


def non_working_weekdays(cal: WorkCalendar, year: int) -> set[date]:
    day, out = date(year, 1, 1), set()
    while day.year == year:
        if day.weekday() < 5 and not cal.is_working_day(day):
            out.add(day)
        day += timedelta(days=1)
    return out


# --- rules.md 5.3.2: 2024 and 2025 from holidays 0.109 ------------------------------------------


def test_s5_3_2_non_working_weekdays_2024() -> None:
    expected = {
        date(2024, 1, 1), date(2024, 1, 2), date(2024, 3, 8), date(2024, 3, 21), date(2024, 3, 22),
        date(2024, 3, 25), date(2024, 5, 1), date(2024, 5, 7), date(2024, 5, 8), date(2024, 5, 9),
        date(2024, 7, 8), date(2024, 8, 30), date(2024, 10, 25), date(2024, 12, 16),
    }  # fmt: skip
    assert non_working_weekdays(CAL, 2024) == expected


def test_s5_3_2_non_working_weekdays_2025() -> None:
    expected = {
        date(2025, 1, 1), date(2025, 1, 2), date(2025, 1, 3), date(2025, 1, 7), date(2025, 3, 10),
        date(2025, 3, 21), date(2025, 3, 24), date(2025, 3, 25), date(2025, 5, 1), date(2025, 5, 7),
        date(2025, 5, 9), date(2025, 6, 6), date(2025, 7, 7), date(2025, 9, 1), date(2025, 10, 27),
        date(2025, 12, 16),
    }  # fmt: skip
    assert non_working_weekdays(CAL, 2025) == expected


@pytest.mark.parametrize("day", [date(2024, 5, 4), date(2025, 1, 5)])
def test_s5_3_2_transfer_weekend_days_are_working(day: date) -> None:
    assert day.weekday() >= 5
    assert CAL.is_working_day(day)


def test_s5_3_1_2013_12_28_quirk_only_in_2013() -> None:
    assert date(2013, 12, 28) not in kz_calendar([2024]).working_weekends
    assert kz_calendar([2024]).working_weekends == {date(2024, 5, 4)}
    assert kz_calendar([2013]).is_working_day(date(2013, 12, 28))


# --- rules.md 5.3.3: the notice table of cl. 7 --------------------------------------------------


@pytest.mark.parametrize(
    ("intake_start", "latest_15", "latest_5"),
    [
        (date(2024, 3, 1), date(2024, 2, 8), date(2024, 2, 22)),
        (date(2025, 3, 3), date(2025, 2, 9), date(2025, 2, 23)),  # a Sunday: any calendar day
        (date(2025, 4, 1), date(2025, 3, 4), date(2025, 3, 19)),  # Nauryz 21-25 March skipped
    ],
)
def test_cl7_notice_table_of_s5_3_3(intake_start: date, latest_15: date, latest_5: date) -> None:
    assert CAL.latest_publication_date(intake_start) == latest_15
    assert CAL.latest_publication_date(intake_start, notice_wd=15) == latest_15
    assert CAL.latest_publication_date(intake_start, 5) == latest_5


def test_cl7_default_notice_is_15_working_days_a01() -> None:
    assert DEFAULT_MIN_NOTICE_WD == 15
    assert MIN_NOTICE_WD_FLOOR == 5


def test_cl7_publication_one_day_late_fails_validation() -> None:
    start = date(2024, 3, 1)
    assert CAL.notice_is_sufficient(date(2024, 2, 8), start)
    assert not CAL.notice_is_sufficient(date(2024, 2, 9), start)
    assert CAL.working_days_between(date(2024, 2, 8), start) == 15
    assert CAL.working_days_between(date(2024, 2, 9), start) == 14


def test_cl7_notice_below_floor_of_5_is_refused_a01() -> None:
    with pytest.raises(ValueError, match="below 5"):
        CAL.latest_publication_date(date(2024, 3, 1), 4)
    with pytest.raises(ValueError, match="below 5"):
        CAL.notice_is_sufficient(date(2024, 2, 1), date(2024, 3, 1), 4)


@settings(max_examples=200, deadline=None)
@given(published=dates, start=dates, n=st.integers(min_value=5, max_value=30))
def test_cl7_sufficient_exactly_when_not_after_latest_publication(
    published: date, start: date, n: int
) -> None:
    latest = CAL.latest_publication_date(start, n)
    assert CAL.notice_is_sufficient(published, start, n) == (published <= latest)


# --- working-day arithmetic (rules.md 5.3, A-02) -------------------------------------------------


def test_a02_working_days_counted_strictly_between() -> None:
    assert CAL.working_days_between(date(2024, 2, 5), date(2024, 2, 9)) == 3  # Mon..Fri: Tue-Thu
    assert CAL.working_days_between(date(2024, 2, 9), date(2024, 2, 5)) == 0
    assert CAL.working_days_between(date(2024, 2, 5), date(2024, 2, 5)) == 0


def test_s5_3_add_working_days_skips_weekends_and_holidays() -> None:
    assert CAL.add_working_days(date(2024, 5, 6), 1) == date(2024, 5, 10)  # 7, 8, 9 May off
    assert CAL.add_working_days(date(2024, 5, 3), 1) == date(2024, 5, 4)  # working Saturday
    assert CAL.add_working_days(date(2024, 5, 10), -1) == date(2024, 5, 6)
    assert CAL.add_working_days(date(2024, 5, 11), 0) == date(2024, 5, 11)


def test_s5_3_4_roll_forward_to_next_working_day() -> None:
    assert CAL.roll_forward(date(2025, 3, 21)) == date(2025, 3, 26)
    assert CAL.roll_forward(date(2025, 3, 26)) == date(2025, 3, 26)


@settings(max_examples=300, deadline=None)
@given(start=dates, n=st.integers(min_value=1, max_value=80))
def test_s5_3_add_then_count_round_trips(start: date, n: int) -> None:
    end = CAL.add_working_days(start, n)
    assert CAL.is_working_day(end)
    assert CAL.working_days_between(start, end) == n - 1
    back = CAL.add_working_days(end, -n)
    assert CAL.is_working_day(back)
    assert CAL.working_days_between(back, end) == n - 1
    assert back <= start
    if CAL.is_working_day(start):
        assert back == start


# --- coverage and admin overrides (rules.md 5.3.1 [REC]) ------------------------------------------


def test_s5_3_1_dates_outside_the_covered_years_are_refused() -> None:
    cal = kz_calendar([2025])
    with pytest.raises(CalendarNotCoveredError) as excinfo:
        cal.is_working_day(date(2026, 1, 5))
    assert isinstance(excinfo.value, ValueError)
    assert not cal.covers(date(2024, 12, 31))
    with pytest.raises(CalendarNotCoveredError):
        cal.latest_publication_date(date(2025, 1, 10))  # walks back into 2024
    # 9, 8, 6 Jan, Sun 5 Jan (transfer), then 31 Dec back to 17 Dec: publish by 16 Dec.
    assert kz_calendar([2024, 2025]).latest_publication_date(date(2025, 1, 10)) == date(2024, 12, 16)


def test_s5_3_1_admin_overrides_add_remove_and_extend_years() -> None:
    cal = kz_calendar([2026])
    assert cal.is_working_day(date(2026, 1, 5))
    over = cal.with_overrides(
        extra_holidays={date(2026, 1, 5)},
        extra_working_days={date(2026, 1, 3)},
        removed_holidays={date(2026, 1, 7)},
        years={2027},
    )
    assert not over.is_working_day(date(2026, 1, 5))
    assert over.is_working_day(date(2026, 1, 3))  # a Saturday made working
    assert over.is_working_day(date(2026, 1, 7))
    assert over.covers(date(2027, 6, 1))
    assert cal.is_working_day(date(2026, 1, 5))  # the original is unchanged


def test_s5_3_1_kz_calendar_takes_overrides_directly() -> None:
    cal = kz_calendar([2026], extra_holidays=[date(2026, 1, 5)], extra_working_days=[date(2026, 1, 3)])
    assert not cal.is_working_day(date(2026, 1, 5))
    assert cal.is_working_day(date(2026, 1, 3))
    assert kz_calendar([2026], removed_holidays=[date(2026, 1, 7)]).is_working_day(date(2026, 1, 7))


def test_s5_3_1_override_extra_working_day_beats_holiday_and_vice_versa() -> None:
    cal = kz_calendar([2025])
    assert cal.with_overrides(extra_working_days={date(2025, 1, 3)}).is_working_day(date(2025, 1, 3))
    assert not cal.with_overrides(extra_holidays={date(2025, 1, 5)}).is_working_day(date(2025, 1, 5))
    with pytest.raises(ValueError, match="both"):
        cal.with_overrides(extra_holidays={date(2025, 2, 3)}, extra_working_days={date(2025, 2, 3)})


def test_s5_3_1_a_day_cannot_be_holiday_and_working_weekend() -> None:
    with pytest.raises(ValueError, match="both"):
        WorkCalendar({date(2025, 1, 4)}, {date(2025, 1, 4)})


def test_s5_3_plain_calendar_covers_every_year_and_compares_by_value() -> None:
    cal = WorkCalendar(holidays={date(2030, 1, 1)}, working_weekends=set())
    assert cal.years is None
    assert not cal.is_working_day(date(2030, 1, 1))
    assert cal.is_working_day(date(1999, 1, 1))
    assert cal == WorkCalendar([date(2030, 1, 1)])
    assert hash(cal) == hash(WorkCalendar([date(2030, 1, 1)]))
    assert "WorkCalendar" in repr(cal)


def test_s5_3_1_kz_calendar_needs_a_year() -> None:
    with pytest.raises(ValueError, match="at least one year"):
        kz_calendar([])
