"""Finding the commission's pages (issue 7): the account page leads the members to the interview scoring
and the secretary to the calibration; the meeting pages lead to the minutes; and where the secretary
chooses and lists the enrolment items, each candidate's averaged interview score, rank and place
against the quota (rules.md A-12, cl. 6(5)) are shown as portal.commission.scoring computes them."""

import asyncio
import re
import uuid
from collections.abc import Iterator

import httpx
import pytest
from litestar import Litestar

from portal.core.db import session_scope
from portal.core.settings import Settings
from portal.selections.stage_models import InterviewRubric
from tests.integration.applications.journey import HTMX_PARTIAL
from tests.integration.commission.support import (
    ALIYA,
    ASTANA,
    BERIK,
    CHAIR,
    DEPUTY,
    SAULE,
    SECRETARY,
    People,
    Stage,
    new_meeting,
    post,
    stage,
)

COMPETENCIES = [
    {"code": "c1", "kk": "Көшбасшылық", "ru": "Лидерство", "en": "Leadership"},
    {"code": "c2", "kk": "Коммуникация", "ru": "Коммуникация", "en": "Communication"},
]


@pytest.fixture
def people(app: Litestar) -> Iterator[People]:
    found = People(app)
    yield found
    found.close()


def _scored(people: People, settings: Settings) -> Stage:
    """Two interviewed candidates, a quota of one: candidate 0 averages 4.25, candidate 1 averages 2.75."""
    s = stage(settings, count=2, quota=1)

    async def work() -> None:
        async with session_scope(settings) as session:
            session.add(
                InterviewRubric(
                    selection_id=uuid.UUID(s.selection_id), tenant_id=ASTANA, competencies=COMPETENCIES
                )
            )

    asyncio.run(work())
    for sub, n, c1, c2 in ((ALIYA, 0, 5, 4), (BERIK, 0, 4, 4), (ALIYA, 1, 3, 3), (BERIK, 1, 2, 3)):
        url = f"/astana/commission/scoring/{s.selection_id}/candidates/{s.applications[n]}"
        scored = post(people(sub), url, {"score-c1": str(c1), "score-c2": str(c2)})
        assert scored.status_code == 303
    return s


def _ready_line(page: str, key: str) -> str:
    """The label of a ready item's checkbox."""
    found = re.search(rf'value="{re.escape(key)}".*?</label>', page, re.S)
    assert found is not None, key
    return found.group(0)


def _agenda_line(page: str, item_id: uuid.UUID) -> str:
    found = re.search(rf'<li id="item-{item_id}">.*?</li>', page, re.S)
    assert found is not None
    return found.group(0)


def _recommended(line: str) -> tuple[str, str, str]:
    """(averaged score, rank, within the quota) as the page shows them."""
    found = re.search(
        r'data-rank="(\d*)" data-within-quota="(yes|no)">.*?<strong>([\d.]+)</strong>', line, re.S
    )
    assert found is not None, line
    return found.group(3), found.group(1), found.group(2)


def test_the_account_page_leads_the_members_to_the_scoring_and_the_secretary_to_the_calibration(
    people: People,
) -> None:
    for sub in (ALIYA, CHAIR, DEPUTY):
        page = people(sub).get("/me").text
        assert "/astana/commission/scoring" in page and "/astana/commission/calibration" not in page, sub
    secretary = people(SECRETARY).get("/me").text
    assert "/astana/commission/calibration" in secretary and "/astana/commission/scoring" not in secretary
    assert people(SECRETARY).get("/astana/commission/calibration").status_code == 200
    assert people(ALIYA).get("/astana/commission/scoring").status_code == 200


def test_a12_the_agenda_shows_each_candidates_averaged_score_rank_and_quota(
    people: People, database: Settings
) -> None:
    s = _scored(people, database)
    listing = people(SECRETARY).get("/astana/commission/meetings").text
    assert _recommended(_ready_line(listing, s.key(0))) == ("4.25", "1", "yes")
    assert _recommended(_ready_line(listing, s.key(1))) == ("2.75", "2", "no")
    assert "Within the quota" in _ready_line(listing, s.key(0))
    assert "Outside the quota" in _ready_line(listing, s.key(1))

    meeting = new_meeting(people, database, [s.key(0)])
    page = meeting.page()
    # On the agenda, and still waiting to be added.
    assert _recommended(_agenda_line(page, meeting.item().id)) == ("4.25", "1", "yes")
    assert _recommended(_ready_line(page, s.key(1))) == ("2.75", "2", "no")
    # The live fragment the page polls shows the same.
    fragment = meeting.secretary.get(meeting.url, headers=HTMX_PARTIAL).text
    assert "<html" not in fragment
    assert _recommended(_agenda_line(fragment, meeting.item().id)) == ("4.25", "1", "yes")


def test_a12_a_candidate_nobody_scored_yet_is_shown_so(people: People, database: Settings) -> None:
    s = stage(database, count=1)
    line = _ready_line(people(SECRETARY).get("/astana/commission/meetings").text, s.key(0))
    assert "Not scored yet" in line and 'data-rank=""' in line


def _closed_meeting(people: People, database: Settings) -> tuple[str, str]:
    s = stage(database, count=1)
    meeting = new_meeting(people, database, [s.key(0)])
    assert f"{meeting.url}/minutes" not in meeting.page()
    assert f"{meeting.ballot_url}/minutes" not in people(ALIYA).get(meeting.ballot_url).text
    assert meeting.attend([CHAIR, DEPUTY, ALIYA, BERIK, SAULE]).status_code == 303
    assert meeting.open().status_code == 303
    assert meeting.put_to_vote().status_code == 303
    meeting.votes({CHAIR: "for", DEPUTY: "for", ALIYA: "for", BERIK: "for"})
    meeting.decided()
    closed: httpx.Response = post(meeting.secretary, f"{meeting.url}/close")
    assert closed.status_code == 303
    return meeting.page(), people(ALIYA).get(meeting.ballot_url).text


def test_cl6_5_a_closed_meeting_leads_the_secretary_and_the_members_to_its_minutes(
    people: People, database: Settings
) -> None:
    secretary, member = _closed_meeting(people, database)
    minutes = re.search(r'href="(/astana/commission/meetings/[0-9a-f-]+/minutes)"', secretary)
    assert minutes is not None
    assert people(SECRETARY).get(minutes.group(1)).status_code == 200
    signed = re.search(r'href="(/astana/commission/ballots/[0-9a-f-]+/minutes)"', member)
    assert signed is not None
    assert "have not been signed off yet" in people(ALIYA).get(signed.group(1)).text
