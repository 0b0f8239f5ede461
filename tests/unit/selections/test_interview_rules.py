"""The interview schedule's decisions (cl. 6(4), A-13) and observer access (cl. 12), without a database."""

import random
import re
import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.applications.models import Application, ApplicationStatus, Channel
from portal.rules.calendar import WorkCalendar
from portal.rules.vetting import Conclusion
from portal.selections.drafting import TransitionRefused
from portal.selections.interviews import Candidate, blockers_of, may_mark_attendance, pseudonyms, slot_times
from portal.selections.models import Selection, SelectionStatus
from portal.selections.observers import may_watch
from portal.selections.stage_models import InterviewSlot, ObserverCategory, ObserverInvitation, SlotStatus

ALMATY = ZoneInfo("Asia/Almaty")
#: A calendar of 2025 with one holiday on Monday 24 February (a made-up one, for the test).
CALENDAR = WorkCalendar(holidays={date(2025, 2, 24)}, years={2025, 2026})


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 2, day, hour, minute, tzinfo=ALMATY)


def test_cl6_4_slots_follow_each_other_and_skip_the_weekend_and_holidays() -> None:
    # Friday 21 February 09:00, an hour each, the day ends at 11:00: two per day.
    times = slot_times(CALENDAR, _at(21, 9), count=5, minutes=60, day_end=time(11, 0))
    assert times == [_at(21, 9), _at(21, 10), _at(25, 9), _at(25, 10), _at(26, 9)]
    assert all(CALENDAR.is_working_day(t.date()) for t in times)


def test_cl6_4_a_slot_that_would_end_after_the_day_moves_to_the_next_working_day() -> None:
    times = slot_times(CALENDAR, _at(20, 16), count=3, minutes=45, day_end=time(17, 30))
    assert times == [_at(20, 16), _at(20, 16, 45), _at(21, 16)]


def test_cl6_4_the_first_day_must_be_a_working_day() -> None:
    with pytest.raises(TransitionRefused, match="working day"):
        slot_times(CALENDAR, _at(22, 9), count=1, minutes=30, day_end=time(18, 0))  # a Saturday
    with pytest.raises(TransitionRefused, match="working day"):
        slot_times(CALENDAR, _at(24, 9), count=1, minutes=30, day_end=time(18, 0))  # the holiday


def test_cl6_4_the_first_interview_must_end_before_the_end_of_the_day() -> None:
    with pytest.raises(TransitionRefused, match="end of the day"):
        slot_times(CALENDAR, _at(21, 17, 45), count=1, minutes=30, day_end=time(18, 0))


def test_cl12_pseudonyms_are_unique_numbered_and_avoid_those_in_use() -> None:
    drawn = pseudonyms(["C-01", "C-03"], 5, pool=7)
    assert len(set(drawn)) == 5 and all(re.fullmatch(r"C-\d{2,}", p) for p in drawn)
    assert set(drawn) == {"C-02", "C-04", "C-05", "C-06", "C-07"}


def test_cl12_pseudonyms_grow_the_pool_when_it_is_too_small() -> None:
    assert sorted(pseudonyms(["C-01", "C-02"], 2, pool=2)) == ["C-03", "C-04"]
    assert pseudonyms([], 1, pool=150, rng=random.Random(1))[0].startswith("C-")


def test_cl12_pseudonyms_are_drawn_at_random_not_in_list_order() -> None:
    orders = {tuple(pseudonyms([], 20, pool=20, rng=random.Random(seed))) for seed in range(5)}
    assert len(orders) > 1  # the same candidates get different numbers from different draws


def _slot(starts_at: datetime) -> InterviewSlot:
    return InterviewSlot(
        tenant_id="KZ-71",
        selection_id=uuid.uuid4(),
        application_id=uuid.uuid4(),
        pseudonym="C-01",
        starts_at=starts_at,
        place="Room 1",
    )


def test_a13_attendance_is_recorded_once_the_interview_time_has_come() -> None:
    slot = _slot(datetime(2025, 2, 21, 4, 0, tzinfo=UTC))
    assert not may_mark_attendance(slot, slot.starts_at - timedelta(minutes=1))
    assert may_mark_attendance(slot, slot.starts_at)


def _selection(status: SelectionStatus, tenant: str = "KZ-71") -> Selection:
    return Selection(
        tenant_id=tenant,
        reference="KZ-71-2025-01",
        cycle_year=2025,
        status=status,
        quota=10,
        contact_email="hr@example.kz",
        intake_start=date(2025, 1, 6),
        intake_end=date(2025, 1, 17),
    )


def _invitation(selection: Selection, **changes: object) -> ObserverInvitation:
    values: dict[str, object] = {
        "tenant_id": selection.tenant_id,
        "selection_id": selection.id,
        "iin": "920101300016",
        "name": "Observer",
        "organisation": "NGO",
        "category": ObserverCategory.NGO,
        "invited_by": uuid.uuid4(),
    }
    return ObserverInvitation(**(values | changes))


def test_cl12_an_invitation_opens_the_schedule_only_during_the_interview_stage() -> None:
    at_interview = _selection(SelectionStatus.INTERVIEW)
    assert may_watch(_invitation(at_interview), at_interview, "KZ-71")
    for status in (SelectionStatus.VETTING, SelectionStatus.CONSIDERATION, SelectionStatus.COMPLETED):
        later = _selection(status)
        assert not may_watch(_invitation(later), later, "KZ-71")


def test_cl12_no_invitation_a_revoked_one_or_another_region_opens_nothing() -> None:
    selection = _selection(SelectionStatus.INTERVIEW)
    assert not may_watch(None, selection, "KZ-71")
    assert not may_watch(_invitation(selection, revoked_at=datetime.now(UTC)), selection, "KZ-71")
    assert not may_watch(_invitation(selection), selection, "KZ-35")
    assert not may_watch(_invitation(selection, selection_id=uuid.uuid4()), selection, "KZ-71")


def _waiting(slot_at: datetime | None, status: SlotStatus = SlotStatus.INVITED) -> Candidate:
    application = Application(
        tenant_id="KZ-71",
        selection_id=uuid.uuid4(),
        candidate_name="Кандидат",
        status=ApplicationStatus.IN_INTERVIEW,
        channel=Channel.PORTAL,
    )
    slot = (
        None
        if slot_at is None
        else InterviewSlot(
            tenant_id="KZ-71",
            selection_id=application.selection_id,
            application_id=application.id,
            pseudonym="C-01",
            starts_at=slot_at,
            place="Зал 3",
            status=status,
        )
    )
    return Candidate(application, Conclusion.CLEARED, slot, slot_at)


def test_cl6_4_the_interview_stage_is_blocked_by_unscheduled_unheld_and_unrecorded_interviews() -> None:
    now = _at(21, 12)
    people = [
        _waiting(None),
        _waiting(_at(21, 9)),
        _waiting(_at(21, 10), SlotStatus.NO_SHOW),
        _waiting(_at(25, 9)),
        _waiting(_at(25, 10)),
    ]
    assert blockers_of(people, now) == [
        "1 candidate has no interview time yet (clause 6(4)).",
        "2 interviews are still to be held.",
        "Attendance is not recorded for 1 interview already held.",
    ]
    done = [_waiting(_at(21, 9), SlotStatus.ATTENDED), _waiting(_at(21, 10), SlotStatus.NO_SHOW)]
    assert blockers_of(done, now) == []
