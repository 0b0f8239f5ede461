"""cl. 8 with rules.md A-35: the intake window, both ends included."""

from datetime import date

from portal.rules.intake import intake_is_open


def test_cl8_a35_intake_is_open_from_the_first_to_the_last_day_inclusive() -> None:
    start, end = date(2025, 3, 1), date(2025, 3, 31)
    assert not intake_is_open(start, end, date(2025, 2, 28))
    assert intake_is_open(start, end, start)
    assert intake_is_open(start, end, end)
    assert not intake_is_open(start, end, date(2025, 4, 1))
