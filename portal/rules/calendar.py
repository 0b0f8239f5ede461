"""Working days on the Kazakhstan calendar, and the announcement notice of cl. 7 (rules.md 5.3).

A working day is Monday to Friday unless it is a public holiday or a government day-off transfer,
plus the weekend days that a transfer made working (rules.md 5.3.1). The calendar is data: build it
with `kz_calendar` from the pinned `holidays` package, and let the admin-maintained table of a later
issue add or override days with `WorkCalendar.with_overrides` (for example the transfers of years
the package does not know yet, such as 2026+ in `holidays` 0.109).

A calendar built for a set of years refuses to answer for any other year (`CalendarNotCoveredError`)
instead of silently treating an unknown year as "Monday to Friday, no holidays".
"""

from collections.abc import Iterable
from datetime import date, timedelta

__all__ = [
    "DEFAULT_MIN_NOTICE_WD",
    "MIN_NOTICE_WD_FLOOR",
    "CalendarNotCoveredError",
    "WorkCalendar",
    "kz_calendar",
]

#: cl. 7 "15 бес жұмыс күні": rules.md A-01 takes 15, which satisfies both readings (15 and 5).
DEFAULT_MIN_NOTICE_WD = 15
#: The lowest notice a platform admin may configure (rules.md A-01: the "бес" = five reading).
MIN_NOTICE_WD_FLOOR = 5

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5


class CalendarNotCoveredError(ValueError):
    """A date outside the years the calendar was built for (rules.md 5.3.1: no guessing)."""

    def __init__(self, day: date, years: frozenset[int]) -> None:
        self.day = day
        self.years = years
        covered = ", ".join(str(y) for y in sorted(years))
        super().__init__(f"the working-day calendar covers {covered}, not {day.isoformat()}")


class WorkCalendar:
    """The set of working days (rules.md 5.3; used by cl. 7, cl. 13-2 and cl. 13-3).

    `holidays` are non-working days (public holidays, "observed" days and government day-off
    transfers; holidays that fall on a weekend do no harm). `working_weekends` are Saturdays or
    Sundays made working by a transfer (`holidays.KZ().weekend_workdays`). A date cannot be in
    both. `years`, when given, is the set of calendar years the data is complete for; asking about
    any other year raises `CalendarNotCoveredError`. `years=None` means "trust the sets for every year".

    Instances are immutable; `with_overrides` returns a new calendar.
    """

    __slots__ = ("_holidays", "_working_weekends", "_years")

    def __init__(
        self,
        holidays: Iterable[date] = (),
        working_weekends: Iterable[date] = (),
        *,
        years: Iterable[int] | None = None,
    ) -> None:
        hol = frozenset(holidays)
        work = frozenset(working_weekends)
        clash = hol & work
        if clash:
            days = ", ".join(d.isoformat() for d in sorted(clash))
            raise ValueError(f"a day cannot be both a holiday and a working day: {days}")
        self._holidays = hol
        self._working_weekends = work
        self._years = None if years is None else frozenset(years)

    @property
    def holidays(self) -> frozenset[date]:
        """The non-working days besides ordinary weekends (rules.md 5.3.2)."""
        return self._holidays

    @property
    def working_weekends(self) -> frozenset[date]:
        """The weekend days made working by a day-off transfer (rules.md 5.3.1)."""
        return self._working_weekends

    @property
    def years(self) -> frozenset[int] | None:
        """The calendar years the data is complete for; None = every year (rules.md 5.3.1)."""
        return self._years

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WorkCalendar):
            return NotImplemented
        return (self._holidays, self._working_weekends, self._years) == (
            other._holidays,
            other._working_weekends,
            other._years,
        )

    def __hash__(self) -> int:
        return hash((self._holidays, self._working_weekends, self._years))

    def __repr__(self) -> str:
        years = "all" if self._years is None else sorted(self._years)
        return (
            f"WorkCalendar(years={years}, holidays={len(self._holidays)}, "
            f"working_weekends={len(self._working_weekends)})"
        )

    def covers(self, day: date) -> bool:
        """Whether the calendar has data for the year of `day` (rules.md 5.3.1, no guessing)."""
        return self._years is None or day.year in self._years

    def _require(self, day: date) -> None:
        if self._years is not None and day.year not in self._years:
            raise CalendarNotCoveredError(day, self._years)

    def with_overrides(
        self,
        *,
        extra_holidays: Iterable[date] = (),
        removed_holidays: Iterable[date] = (),
        extra_working_days: Iterable[date] = (),
        removed_working_days: Iterable[date] = (),
        years: Iterable[int] = (),
    ) -> "WorkCalendar":
        """A copy with admin overrides applied (rules.md 5.3.1 [REC]: the admin table wins).

        `extra_holidays` become non-working (and stop being working weekends);
        `extra_working_days` become working (and stop being holidays); `removed_*` drop entries.
        `years` extends the covered years (ignored when the calendar covers every year). The same
        date in both `extra_holidays` and `extra_working_days` is an error.
        """
        add_hol = frozenset(extra_holidays)
        add_work = frozenset(extra_working_days)
        clash = add_hol & add_work
        if clash:
            days = ", ".join(d.isoformat() for d in sorted(clash))
            raise ValueError(f"a day cannot be both an extra holiday and an extra working day: {days}")
        hol = (self._holidays - frozenset(removed_holidays) - add_work) | add_hol
        work = (self._working_weekends - frozenset(removed_working_days) - add_hol) | add_work
        new_years = None if self._years is None else self._years | frozenset(years)
        return WorkCalendar(hol, work, years=new_years)

    def is_working_day(self, day: date) -> bool:
        """Whether `day` is a working day (rules.md 5.3; "WD" of cl. 7)."""
        self._require(day)
        if day in self._working_weekends:
            return True
        return day.weekday() < _SATURDAY and day not in self._holidays

    def roll_forward(self, day: date) -> date:
        """`day` if it is a working day, else the next working day (rules.md 5.3.4, cl. 13-2, 13-3)."""
        while not self.is_working_day(day):
            day += _ONE_DAY
        return day

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day after `day` (before it when n < 0); `day` itself never counts.

        `add_working_days(d, 0) == d`. Used for the cl. 7 notice (rules.md 5.3.3) and for the
        review reminders of rules.md A-19.
        """
        step = _ONE_DAY if n > 0 else -_ONE_DAY
        remaining = abs(n)
        current = day
        while remaining:
            current += step
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """The working days strictly between `start` and `end`, neither counted (cl. 7, rules.md A-02).

        0 when `end` is not after `start`.
        """
        count = 0
        current = start + _ONE_DAY
        while current < end:
            if self.is_working_day(current):
                count += 1
            current += _ONE_DAY
        return count

    def latest_publication_date(self, intake_start: date, notice_wd: int = DEFAULT_MIN_NOTICE_WD) -> date:
        """The last day the announcement may be published for this intake start (cl. 7 para 1).

        rules.md 5.3.3: walk back from the intake start counting working days strictly before it
        until `notice_wd` are counted; publication must fall before the earliest counted day, and
        may be any calendar day (a weekend too). Default 15 WD (rules.md A-01); at least 5.
        """
        _check_notice(notice_wd)
        return self.add_working_days(intake_start, -notice_wd) - _ONE_DAY

    def notice_is_sufficient(
        self, published_on: date, intake_start: date, notice_wd: int = DEFAULT_MIN_NOTICE_WD
    ) -> bool:
        """Whether publication on `published_on` gives the notice of cl. 7 para 1 (rules.md A-01, A-02).

        True exactly when `published_on <= latest_publication_date(intake_start, notice_wd)`.
        """
        _check_notice(notice_wd)
        return self.working_days_between(published_on, intake_start) >= notice_wd


def _check_notice(notice_wd: int) -> None:
    if notice_wd < MIN_NOTICE_WD_FLOOR:
        raise ValueError(
            f"the cl. 7 notice cannot be below {MIN_NOTICE_WD_FLOOR} working days (rules.md A-01)"
        )


def kz_calendar(
    years: Iterable[int],
    *,
    extra_holidays: Iterable[date] = (),
    extra_working_days: Iterable[date] = (),
    removed_holidays: Iterable[date] = (),
    removed_working_days: Iterable[date] = (),
) -> WorkCalendar:
    """The Kazakhstan working-day calendar for `years` from the pinned `holidays` package (rules.md 5.3.1).

    Uses `holidays.KZ` (public holidays, the weekend-to-next-working-day "observed" days and the
    government transfers, i.e. its special public holidays) and its `weekend_workdays`, keeping
    only dates inside `years`: this drops the package quirk that always reports 2013-12-28.
    The keyword arguments are admin overrides, applied as in `WorkCalendar.with_overrides`.
    Serves cl. 7 (notice), cl. 13-2 and cl. 13-3 (period ends on a non-working day).
    """
    from holidays import country_holidays

    wanted = frozenset(years)
    if not wanted:
        raise ValueError("kz_calendar needs at least one year")
    kz = country_holidays("KZ", years=sorted(wanted))
    hol: set[date] = {d for d in kz if d.year in wanted}
    work: set[date] = {d for d in kz.weekend_workdays if d.year in wanted}
    return WorkCalendar(hol, work, years=wanted).with_overrides(
        extra_holidays=extra_holidays,
        extra_working_days=extra_working_days,
        removed_holidays=removed_holidays,
        removed_working_days=removed_working_days,
    )
