"""The selection dashboard's deadlines (working-day countdowns) and the cl. 7 publication blocker."""

from datetime import date

from portal.selections.dashboard import _publication_blockers, deadlines
from portal.selections.models import Selection, SelectionStatus


def _selection(**values: object) -> Selection:
    base: dict[str, object] = {
        "tenant_id": "KZ-35",
        "reference": "KZ-35-2026-01",
        "cycle_year": 2026,
        "status": SelectionStatus.AGREED,
        "quota": 10,
        "contact_email": "hr@example.kz",
        "intake_start": date(2026, 2, 2),
        "intake_end": date(2026, 2, 13),
    }
    return Selection(**(base | values))


def test_deadlines_count_working_days_up_to_and_including_the_date() -> None:
    # Friday 2026-01-30 -> Monday 2026-02-02: the weekend does not count, the Monday does.
    found = {d.label: d for d in deadlines(_selection(), date(2026, 1, 30))}
    assert found["Document intake opens"].working_days == 1
    # Friday 2026-01-30 -> Friday 2026-02-13: two full working weeks (no holidays in February).
    assert found["Document intake closes"].working_days == 10
    assert not found["Document intake opens"].passed


def test_cl7_deadlines_name_the_last_day_to_publish_until_published() -> None:
    unpublished = {d.label for d in deadlines(_selection(), date(2026, 1, 5))}
    published = {d.label for d in deadlines(_selection(published_on=date(2026, 1, 5)), date(2026, 1, 6))}
    assert "Last day to publish" in unpublished and "Last day to publish" not in published


def test_cl7_the_notice_period_walks_back_into_the_previous_year() -> None:
    january = _selection(intake_start=date(2026, 1, 20), intake_end=date(2026, 1, 30))
    last_day = {d.label: d for d in deadlines(january, date(2026, 1, 2))}["Last day to publish"]
    assert last_day.on.year == 2025 and last_day.passed


def test_cl7_publication_is_blocked_once_the_notice_period_cannot_be_kept() -> None:
    assert _publication_blockers(_selection(), date(2026, 1, 5)) == []
    assert _publication_blockers(_selection(), date(2026, 1, 29)) != []


def test_deadlines_past_dates_are_marked_passed_with_no_countdown() -> None:
    found = {d.label: d for d in deadlines(_selection(published_on=date(2026, 1, 5)), date(2026, 3, 1))}
    closes = found["Document intake closes"]
    assert closes.passed and closes.working_days == 0
