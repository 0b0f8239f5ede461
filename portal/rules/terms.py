"""Calendar periods of the Rules: the 2-year term, the 1-year window, the 1-month decision (rules.md 5.3.4).

Civil-law computation [rules.md 5.3.4, UNCONF]: a period begins the day after the event; a
period in months or years ends on the corresponding date of the last month or year, or on the
last day of that month when there is no such date (29 February -> 28 February, 31 January ->
end of February); if the last day is not a working day, the period ends on the next working day.

Whether that last rule applies is a flag per timer, defaults from rules.md 5.3.4:
- membership end (cl. 12, 13-3): off, an exact date reads better;
- direct-enrolment request window (cl. 13-2): on, in the candidate's favour;
- direct-enrolment decision due (cl. 13-3): on, it is the commission's duty.
All end dates are inclusive: the act is in time on the end date itself (until 23:59:59
Asia/Almaty, rules.md A-35).
"""

from calendar import monthrange
from datetime import date

from .calendar import WorkCalendar

__all__ = [
    "DEFAULT_PROPOSAL_REVIEW_WD",
    "MEMBERSHIP_YEARS",
    "add_months",
    "add_years",
    "direct_enrolment_deadline",
    "direct_enrolment_decision_due",
    "direct_enrolment_request_in_time",
    "membership_active_on",
    "membership_end",
    "proposal_review_due",
]

#: cl. 12 and cl. 13-3: "екі жыл мерзімге" (for two years).
MEMBERSHIP_YEARS = 2
#: rules.md A-19: the Rules set no review time for cl. 15-17 proposals; [REC] 10 working days.
DEFAULT_PROPOSAL_REVIEW_WD = 10


def add_months(day: date, months: int) -> date:
    """The corresponding date `months` later (or earlier); month end when it does not exist (rules.md 5.3.4).

    31 January + 1 month = 28 (29) February.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def add_years(day: date, years: int) -> date:
    """The corresponding date `years` later (or earlier); 29 Feb -> 28 Feb (rules.md 5.3.4, A-04)."""
    return add_months(day, 12 * years)


def _finish(end: date, calendar: WorkCalendar | None, extend: bool) -> date:
    if not extend:
        return end
    if calendar is None:
        raise ValueError("extending a period to the next working day needs a WorkCalendar")
    return calendar.roll_forward(end)


def membership_end(
    decision_date: date,
    calendar: WorkCalendar | None = None,
    *,
    extend_to_next_working_day: bool = False,
) -> date:
    """The last day of a reserve membership: the decision date + 2 years, inclusive (cl. 12 para 2, cl. 13-3).

    Starts on the commission decision date (rules.md A-10). 2024-05-20 -> 2026-05-20;
    2024-02-29 -> 2026-02-28. Not moved off a non-working day unless asked (rules.md 5.3.4).
    """
    return _finish(add_years(decision_date, MEMBERSHIP_YEARS), calendar, extend_to_next_working_day)


def membership_active_on(
    decision_date: date,
    on: date,
    calendar: WorkCalendar | None = None,
    *,
    extend_to_next_working_day: bool = False,
) -> bool:
    """Whether a membership decided on `decision_date` is in its 2-year term on `on` (cl. 12, 13-3, A-10)."""
    end = membership_end(decision_date, calendar, extend_to_next_working_day=extend_to_next_working_day)
    return decision_date <= on <= end


def direct_enrolment_deadline(
    list_approved_on: date,
    calendar: WorkCalendar,
    *,
    extend_to_next_working_day: bool = True,
) -> date:
    """The last day to apply for enrolment without selection: list approval + 1 year (cl. 13-2).

    Moved to the next working day when it falls on a non-working day (rules.md 5.3.4, on by
    default: in the candidate's favour).
    """
    return _finish(add_years(list_approved_on, 1), calendar, extend_to_next_working_day)


def direct_enrolment_request_in_time(
    list_approved_on: date,
    request_on: date,
    calendar: WorkCalendar,
    *,
    extend_to_next_working_day: bool = True,
) -> bool:
    """Whether a request made on `request_on` is within the cl. 13-2 window (cl. 13-2, rules.md 3.4).

    The window opens on the approval date itself and ends on `direct_enrolment_deadline`, inclusive.
    """
    deadline = direct_enrolment_deadline(
        list_approved_on, calendar, extend_to_next_working_day=extend_to_next_working_day
    )
    return list_approved_on <= request_on <= deadline


def direct_enrolment_decision_due(
    received_on: date,
    calendar: WorkCalendar,
    *,
    extend_to_next_working_day: bool = True,
) -> date:
    """The last day for the commission's decision on a cl. 13-1 request: receipt + 1 month (cl. 13-3).

    31 January -> end of February. Moved to the next working day when it falls on a non-working
    day (rules.md 5.3.4, on by default: a duty of the commission).
    """
    return _finish(add_months(received_on, 1), calendar, extend_to_next_working_day)


def proposal_review_due(
    submitted_on: date,
    calendar: WorkCalendar,
    *,
    review_wd: int = DEFAULT_PROPOSAL_REVIEW_WD,
) -> date:
    """When a cl. 15/16/17 proposal should have been reviewed: not set by the Rules (rules.md A-19).

    The portal's reminder date: `review_wd` working days after submission, default 10.
    """
    if review_wd < 1:
        raise ValueError("review_wd must be at least 1 working day")
    return calendar.add_working_days(submitted_on, review_wd)
