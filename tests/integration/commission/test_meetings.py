"""Meetings run by the secretary (issue 7 item 3; cl. 6(5); A-RC-12): the agenda built from the items
ready for decision, attendance, the quorum shown live (htmx fragment, and a plain reload)."""

import asyncio
import re
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from litestar import Litestar

from portal.commission.models import ItemOutcome, MeetingStatus
from portal.commission.models import Meeting as MeetingRow
from portal.core.audit import AuditEvent
from portal.core.db import session_scope
from portal.core.settings import Settings
from portal.selections.stage_models import InterviewSlot, SlotStatus
from tests.integration.applications.journey import HTMX_PARTIAL
from tests.integration.commission.support import (
    ALIYA,
    BERIK,
    CHAIR,
    SAULE,
    SECRETARY,
    YERLAN,
    People,
    cut_off_stage,
    flashes,
    new_meeting,
    post,
    rows,
    stage,
)


@pytest.fixture
def people(app: Litestar) -> Iterator[People]:
    found = People(app)
    yield found
    found.close()


def _no_show(settings: Settings, application_id: str) -> None:
    async def work() -> None:
        async with session_scope(settings) as session:
            await session.execute(
                sa.update(InterviewSlot)
                .where(InterviewSlot.application_id == uuid.UUID(application_id))  # type: ignore[arg-type]
                .values(status=SlotStatus.NO_SHOW)
            )

    asyncio.run(work())


def test_a_rc_12_the_agenda_is_built_from_the_candidates_who_attended_the_interview(
    people: People, database: Settings
) -> None:
    s = stage(database, count=3)
    _no_show(database, s.applications[2])  # rules.md A-13: no result, nothing to decide
    page = people(SECRETARY).get("/astana/commission/meetings")
    assert page.status_code == 200
    assert s.key(0) in page.text and s.key(1) in page.text
    assert s.key(2) not in page.text

    meeting = new_meeting(people, database, [s.key(0), s.key(1)])
    items = meeting.items()
    assert [str(i.application_id) for i in items] == s.applications[:2]
    assert {i.clause for i in items} == {"12"} and [i.position for i in items] == [1, 2]
    text = meeting.page()
    assert s.names[0] in text and s.names[1] in text and "Meeting No." in text
    # On a live agenda: not offered again.
    assert s.key(0) not in people(SECRETARY).get("/astana/commission/meetings").text
    row = rows(database, sa.select(MeetingRow).where(MeetingRow.id == uuid.UUID(meeting.id)))[0]  # type: ignore[arg-type]
    assert row.status == MeetingStatus.DRAFT and row.voting_rule is None and row.year == 2025
    actions = rows(database, sa.select(AuditEvent.action).where(AuditEvent.object_id == meeting.id))  # type: ignore[arg-type]
    assert actions == ["commission.meeting_created"]


def test_a_rc_12_an_item_no_longer_ready_is_refused_and_the_form_kept(
    people: People, database: Settings
) -> None:
    s = stage(database, count=1)
    new_meeting(people, database, [s.key(0)])
    again = post(
        people(SECRETARY),
        "/astana/commission/meetings",
        {"scheduled_at": "2025-02-21T10:00", "place": "Hall", "agenda": [s.key(0)]},
    )
    assert again.status_code == 422
    assert "no longer waiting for a decision" in again.text
    empty = post(people(SECRETARY), "/astana/commission/meetings", {"place": ""})
    assert empty.status_code == 422 and "Enter the date and time." in empty.text


def test_a20_quorum_is_shown_live_and_by_a_plain_reload(people: People, database: Settings) -> None:
    s = stage(database, count=1)
    meeting = new_meeting(people, database, [s.key(0)])
    page = meeting.page()
    assert "Quorum not met" in page and "0 present of 6 members; 4 needed." in page
    assert 'hx-trigger="every 3s"' in page  # htmx polls the fragment

    assert meeting.attend([CHAIR, ALIYA, BERIK]).status_code == 303
    fragment = people(SECRETARY).get(meeting.url, headers=HTMX_PARTIAL)
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<div id="live"')  # the fragment only
    assert "<html" not in fragment.text
    assert "Quorum not met" in fragment.text and "3 present of 6 members; 4 needed." in fragment.text

    recorded = meeting.attend([CHAIR, ALIYA, BERIK], remote=[SAULE])
    reload = meeting.secretary.get(recorded.headers["location"]).text  # without JavaScript
    assert "The attendance has been recorded." in flashes(reload)
    assert "Quorum met" in reload and "4 present of 6 members; 4 needed." in reload


def test_a20_attendance_is_recorded_with_remote_participation_and_audited(
    people: People, database: Settings
) -> None:
    s = stage(database, count=1)
    meeting = new_meeting(people, database, [s.key(0)])
    meeting.attend([CHAIR, ALIYA], remote=[YERLAN])
    page = meeting.page()
    checked = re.findall(r'name="presence-([0-9a-f-]{36})" value="(\w+)" checked', page)
    assert sorted(v for _, v in checked) == ["absent", "absent", "absent", "present", "present", "remote"]
    events = rows(
        database,
        sa.select(AuditEvent).where(  # type: ignore[arg-type]
            AuditEvent.object_id == meeting.id, AuditEvent.action == "commission.attendance"
        ),
    )
    assert len(events[0].after["remote"]) == 1 and len(events[0].after["present"]) == 2


def test_the_account_page_leads_the_secretary_and_the_members_to_their_pages(people: People) -> None:
    assert "/astana/commission/meetings" in people(SECRETARY).get("/me").text
    member = people(ALIYA).get("/me").text
    assert "/astana/commission/ballots" in member and "/astana/commission/meetings" not in member


def test_cl10_a_cut_off_waiting_for_the_commission_is_on_the_agenda_and_its_decision_quoted(
    people: People, database: Settings
) -> None:
    selection_id = cut_off_stage(database)
    key = f"cut_off:{selection_id}:testing"
    assert key in people(SECRETARY).get("/astana/commission/meetings").text
    meeting = new_meeting(people, database, [key])
    assert meeting.item().clause == "10" and meeting.item().subject == {"stage": "testing"}
    meeting.attend([CHAIR, ALIYA, BERIK, SAULE])
    meeting.open()
    meeting.put_to_vote()
    meeting.votes({CHAIR: "for", ALIYA: "for", BERIK: "for", SAULE: "for"})
    assert meeting.decided().outcome == ItemOutcome.ADOPTED
    page = meeting.page()
    number = rows(database, sa.select(MeetingRow.number).where(MeetingRow.id == uuid.UUID(meeting.id)))[0]  # type: ignore[arg-type]
    assert f"quoting the minutes № {number}/2025, § 1." in page
    assert key not in people(SECRETARY).get("/astana/commission/meetings").text  # decided
