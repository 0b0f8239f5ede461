"""When documents may be submitted: the intake window of the announcement (cl. 6(1), 7 para 2, 8).

Deadlines end at 23:59:59 Asia/Almaty on the last day (rules.md A-35): the window is a range of
local calendar days, both ends included. The caller converts "now" to the local date.
"""

from datetime import date

__all__ = ["intake_is_open"]


def intake_is_open(intake_start: date, intake_end: date, local_today: date) -> bool:
    """cl. 8 with A-35: open from the first day to the last day of intake, inclusive."""
    return intake_start <= local_today <= intake_end
