"""Interview scoring (issue 7 item 2; cl. 6(4), 12; rules.md A-12, A-13) through HTTP: the members score
the candidates who attended on the selection's rubric, a declared conflict of interest recuses the
member from the score and the vote, the sheets are fixed once the candidate's item is put to the
vote, and the calibration view flags outliers and ranks by averaged score."""

import asyncio
import json
import uuid
from collections.abc import Iterator

import httpx
import pytest
import sqlalchemy as sa
from litestar import Litestar

from portal.applications.models import Application
from portal.commission import scoring
from portal.commission.models import CommissionMember, InterviewScore, Recusal
from portal.core.audit import AuditEvent
from portal.core.db import session_scope
from portal.core.settings import Settings
from portal.selections.models import Selection, SelectionStatus
from portal.selections.stage_models import InterviewRubric, InterviewSlot, SlotStatus
from tests.integration.applications.journey import HTMX_PARTIAL
from tests.integration.commission.support import (
    ALIYA,
    ASTANA,
    BERIK,
    CHAIR,
    DEPUTY,
    SAULE,
    SECRETARY,
    YERLAN,
    People,
    Stage,
    flashes,
    member_ids,
    new_meeting,
    post,
    rows,
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


def _scored_stage(settings: Settings, *, count: int = 2, no_show: int | None = None) -> Stage:
    """A selection at the interview stage with a two-competency rubric (1..5)."""
    s = stage(settings, count=count)

    async def work() -> None:
        async with session_scope(settings) as session:
            session.add(
                InterviewRubric(
                    selection_id=uuid.UUID(s.selection_id), tenant_id=ASTANA, competencies=COMPETENCIES
                )
            )
            if no_show is not None:
                await session.execute(
                    sa.update(InterviewSlot)
                    .where(InterviewSlot.application_id == uuid.UUID(s.applications[no_show]))  # type: ignore[arg-type]
                    .values(status=SlotStatus.NO_SHOW)
                )

    asyncio.run(work())
    return s


def _base(s: Stage) -> str:
    return f"/astana/commission/scoring/{s.selection_id}"


def _sheet(s: Stage, n: int) -> str:
    return f"{_base(s)}/candidates/{s.applications[n]}"


def _score(people: People, sub: str, s: Stage, n: int, *scores: int | str) -> httpx.Response:
    c1, c2 = scores
    return post(people(sub), _sheet(s, n), {"score-c1": str(c1), "score-c2": str(c2)})


def _scores(settings: Settings, s: Stage, n: int) -> dict[tuple[str, str], int]:
    found = rows(
        settings,
        sa.select(InterviewScore).where(InterviewScore.application_id == uuid.UUID(s.applications[n])),  # type: ignore[arg-type]
    )
    return {(str(r.member_id), r.competency): r.score for r in found}


def _events(settings: Settings, s: Stage, n: int, action: str) -> list[AuditEvent]:
    return rows(
        settings,
        sa.select(AuditEvent)
        .where(AuditEvent.object_id == s.applications[n], AuditEvent.action == action)  # type: ignore[arg-type]
        .order_by(AuditEvent.seq),  # type: ignore[arg-type]
    )


def test_cl6_4_a_member_scores_the_candidates_who_attended_and_rescores(
    people: People, database: Settings
) -> None:
    s = _scored_stage(database, count=3, no_show=2)
    listing = people(ALIYA).get(_base(s))
    assert listing.status_code == 200
    assert s.names[0] in listing.text and s.names[1] in listing.text
    assert s.names[2] not in listing.text  # rules.md A-13: a no-show has no score
    assert people(ALIYA).get(_sheet(s, 2)).status_code == 404
    sheet = people(ALIYA).get(_sheet(s, 0))
    assert sheet.status_code == 200
    assert sheet.text.count('type="radio" name="score-c1"') == 5 and "Leadership" in sheet.text

    saved = _score(people, ALIYA, s, 0, 4, 3)
    assert saved.status_code == 303
    page = people(ALIYA).get(saved.headers["location"]).text
    assert f"Your scores of {s.names[0]} have been saved." in flashes(page)
    aliya = member_ids(database)[ALIYA]
    assert _scores(database, s, 0) == {(aliya, "c1"): 4, (aliya, "c2"): 3}
    # Re-scoring while the selection is at the interview: allowed, audited with before and after.
    assert _score(people, ALIYA, s, 0, 5, 3).status_code == 303
    assert _scores(database, s, 0)[(aliya, "c1")] == 5
    events = _events(database, s, 0, "commission.interview_scored")
    assert [e.clause for e in events] == ["6(4)", "6(4)"]
    assert events[1].before == {"member": aliya, "scores": {"c1": 4}}
    assert events[1].after is not None and events[1].after["scores"] == {"c1": 5}
    dumped = json.dumps([e.before for e in events] + [e.after for e in events])
    assert all(str(u) not in dumped for u in s.user_ids)  # the candidate's account is not logged either
    # Nothing changed: no event.
    assert _score(people, ALIYA, s, 0, 5, 3).status_code == 303
    assert len(_events(database, s, 0, "commission.interview_scored")) == 2
    assert 'class="tag tag--completed"' in people(ALIYA).get(_base(s)).text
    # htmx asks for the fragments only.
    lines = people(ALIYA).get(_base(s), headers=HTMX_PARTIAL).text
    assert lines.lstrip().startswith('<section id="scoring-lines"') and "<html" not in lines
    sheet = people(ALIYA).get(_sheet(s, 0), headers=HTMX_PARTIAL).text
    assert sheet.lstrip().startswith('<section id="sheet"') and 'value="5" checked' in sheet


def test_cl6_4_the_audit_names_ids_never_an_iin(people: People, database: Settings) -> None:
    s = _scored_stage(database, count=1)
    assert _score(people, BERIK, s, 0, 2, 2).status_code == 303
    assert post(people(BERIK), f"{_sheet(s, 0)}/recuse", {"reason": "Former colleague"}).status_code == 303
    events = rows(database, sa.select(AuditEvent).where(AuditEvent.object_id == s.applications[0]))  # type: ignore[arg-type]
    assert {e.action for e in events} == {"commission.interview_scored", "commission.recusal"}
    text = json.dumps([(e.before, e.after, e.actor) for e in events])
    candidate = rows(
        database,
        sa.select(Application.candidate_iin).where(Application.id == uuid.UUID(s.applications[0])),  # type: ignore[arg-type]
    )
    members = rows(database, sa.select(CommissionMember.iin).where(CommissionMember.tenant_id == ASTANA))  # type: ignore[arg-type]
    assert candidate and members
    assert all(iin not in text for iin in [*candidate, *members])


def test_cl6_4_a_missing_or_out_of_scale_score_is_refused_without_and_with_htmx(
    people: People, database: Settings
) -> None:
    s = _scored_stage(database, count=1)
    missing = post(people(CHAIR), _sheet(s, 0), {"score-c1": "3"})
    assert missing.status_code == 422
    assert "Give a score for this competency." in missing.text and "<html" in missing.text
    assert 'value="3" checked' in missing.text  # the form keeps what was chosen
    fragment = people(CHAIR).post(
        _sheet(s, 0),
        data={"score-c1": "9", "score-c2": "2"},
        headers={**HTMX_PARTIAL, "x-csrftoken": people(CHAIR).cookies["csrftoken"]},
    )
    assert fragment.status_code == 422
    assert fragment.text.lstrip().startswith('<section id="sheet"') and "<html" not in fragment.text
    assert "Give a score from 1 to 5." in fragment.text
    assert _scores(database, s, 0) == {}
    # A valid sheet through htmx: htmx is told where to go next.
    done = people(CHAIR).post(
        _sheet(s, 0),
        data={"score-c1": "3", "score-c2": "2"},
        headers={**HTMX_PARTIAL, "x-csrftoken": people(CHAIR).cookies["csrftoken"]},
    )
    assert done.status_code == 200 and done.headers["HX-Location"].startswith(_base(s))


def test_cl6_4_only_the_voting_members_of_the_region_score(people: People, database: Settings) -> None:
    s = _scored_stage(database, count=1)
    # The secretary records and does not score; a candidate has no commission role.
    assert _score(people, SECRETARY, s, 0, 3, 3).status_code == 403
    assert people("candidate-aigerim").get(_base(s)).status_code == 403
    # Another region's pages: the member's role does not reach it; the selection is not found there.
    assert people(ALIYA).get(f"/shymkent/commission/scoring/{s.selection_id}").status_code == 403
    assert people("tu-officer-dana").get(_base(s)).status_code == 403
    # Without the CSRF token nothing is saved.
    bare = people(ALIYA).post(_sheet(s, 0), data={"score-c1": "3", "score-c2": "3"}, follow_redirects=False)
    assert bare.status_code == 403
    assert _scores(database, s, 0) == {}


def test_a12_a_declared_conflict_recuses_from_the_score_and_the_vote(
    people: People, database: Settings
) -> None:
    s = _scored_stage(database, count=1)
    assert _score(people, SAULE, s, 0, 1, 1).status_code == 303
    empty = post(people(SAULE), f"{_sheet(s, 0)}/recuse", {"reason": " "})
    assert "Give the reason for the conflict of interest." in flashes(
        people(SAULE).get(empty.headers["location"]).text
    )
    declared = post(people(SAULE), f"{_sheet(s, 0)}/recuse", {"reason": "The candidate is my cousin"})
    assert declared.status_code == 303
    recusal = rows(database, sa.select(Recusal).where(Recusal.application_id == uuid.UUID(s.applications[0])))  # type: ignore[arg-type]
    assert (
        len(recusal) == 1 and recusal[0].reason == "The candidate is my cousin" and recusal[0].item_id is None
    )
    assert recusal[0].member_id == uuid.UUID(member_ids(database)[SAULE])
    assert _events(database, s, 0, "commission.recusal")[0].clause == "6(4)"
    refused = _score(people, SAULE, s, 0, 5, 5)
    assert "you do not score them" in " ".join(flashes(people(SAULE).get(refused.headers["location"]).text))
    # Her earlier scores do not count: the calibration leaves her out.
    cal = people(SECRETARY).get(f"/astana/commission/calibration/{s.selection_id}").text
    assert "Recused (conflict of interest):" in cal and "0 complete sheets" in cal

    # ... and the vote on the candidate: the core's ballot refuses her, the tally counts her recused.
    meeting = new_meeting(people, database, [s.key(0)])
    assert meeting.attend([CHAIR, ALIYA, BERIK, SAULE, YERLAN]).status_code == 303
    assert meeting.open().status_code == 303
    assert meeting.put_to_vote().status_code == 303
    vote = meeting.vote(SAULE, "for")
    assert "you do not vote on it" in " ".join(flashes(people(SAULE).get(vote.headers["location"]).text))
    meeting.votes({CHAIR: "for", ALIYA: "for", BERIK: "for"})
    item = meeting.decided()
    assert item.tally is not None and item.tally["recused"] == 1
    assert item.tally["recused_member_ids"] == [member_ids(database)[SAULE]]


def test_a12_scores_are_fixed_once_the_candidate_is_put_to_the_vote(
    people: People, database: Settings
) -> None:
    s = _scored_stage(database, count=2)
    assert _score(people, BERIK, s, 0, 3, 3).status_code == 303
    meeting = new_meeting(people, database, [s.key(0)])
    assert _score(people, BERIK, s, 0, 4, 4).status_code == 303  # on the agenda, not yet voted: still open
    assert meeting.attend([CHAIR, ALIYA, BERIK, SAULE]).status_code == 303
    assert meeting.open().status_code == 303
    assert meeting.put_to_vote().status_code == 303
    refused = _score(people, BERIK, s, 0, 1, 1)
    assert "The commission is voting on this candidate" in " ".join(
        flashes(people(BERIK).get(refused.headers["location"]).text)
    )
    assert set(_scores(database, s, 0).values()) == {4}
    sheet = people(BERIK).get(_sheet(s, 0)).text
    assert "disabled" in sheet and "Save the scores" not in sheet
    meeting.votes({CHAIR: "for", ALIYA: "for", BERIK: "for", SAULE: "for"})
    meeting.decided()
    decided = _score(people, BERIK, s, 0, 2, 2)
    assert "has decided on this candidate" in " ".join(
        flashes(people(BERIK).get(decided.headers["location"]).text)
    )
    # The other candidate is not on any agenda: still open.
    assert _score(people, BERIK, s, 1, 2, 2).status_code == 303
    assert set(_scores(database, s, 1).values()) == {2}


def test_a12_scoring_closes_when_the_selection_leaves_the_interview_stage(
    people: People, database: Settings
) -> None:
    s = _scored_stage(database, count=1)

    async def consideration() -> None:
        async with session_scope(database) as session:
            await session.execute(
                sa.update(Selection)
                .where(Selection.id == uuid.UUID(s.selection_id))  # type: ignore[arg-type]
                .values(status=SelectionStatus.CONSIDERATION)
            )

    asyncio.run(consideration())
    refused = _score(people, DEPUTY, s, 0, 3, 3)
    assert "interview stage" in " ".join(flashes(people(DEPUTY).get(refused.headers["location"]).text))
    assert _scores(database, s, 0) == {}


def test_a12_calibration_shows_the_spread_flags_outliers_and_ranks_by_averaged_score(
    people: People, database: Settings
) -> None:
    s = _scored_stage(database, count=2)
    for sub, c1, c2 in ((ALIYA, 5, 4), (BERIK, 5, 4), (SAULE, 1, 4)):
        assert _score(people, sub, s, 0, c1, c2).status_code == 303
    for sub in (ALIYA, BERIK, SAULE):
        assert _score(people, sub, s, 1, 3, 3).status_code == 303

    secretary = people(SECRETARY).get(f"/astana/commission/calibration/{s.selection_id}")
    assert secretary.status_code == 200
    text = secretary.text
    # c1 of candidate 0: 5, 5, 1 -> mean 3.67, std 1.89; Saule's 1 is 4 from the others' mean 5 (> 2).
    assert "3.67" in text and "1.89" in text
    assert text.count('data-outliers="1"') == 1 and ": 1</span>" in text
    # averaged: (4.5 + 4.5 + 2.5) / 3 = 3.83 ahead of 3.
    assert "3.83" in text
    assert text.index(f'data-candidate="{s.applications[0]}"') < text.index(
        f'data-candidate="{s.applications[1]}"'
    )
    assert people(SECRETARY).get("/astana/commission/calibration").status_code == 200

    # The htmx fragment.
    fragment = people(SECRETARY).get(f"/astana/commission/calibration/{s.selection_id}", headers=HTMX_PARTIAL)
    assert fragment.text.lstrip().startswith('<div id="calibration"') and "<html" not in fragment.text

    # A member who has not scored a candidate does not see the others' scores of them.
    yerlan = people(YERLAN).get(f"{_base(s)}/calibration").text
    assert yerlan.count("Score this candidate to see how the other members scored them.") == 2
    assert "3.83" not in yerlan
    assert _score(people, YERLAN, s, 1, 3, 3).status_code == 303
    yerlan = people(YERLAN).get(f"{_base(s)}/calibration").text
    assert yerlan.count("Score this candidate to see how the other members scored them.") == 1

    async def ranked() -> list[scoring.Recommended]:
        async with session_scope(database) as session:
            selection = await session.get(Selection, uuid.UUID(s.selection_id))
            assert selection is not None
            return await scoring.recommendation(session, selection)

    found = asyncio.run(ranked())
    assert [str(r.application_id) for r in found] == s.applications
    assert [r.rank for r in found] == [1, 2] and [float(r.average or 0) for r in found] == pytest.approx(
        [23 / 6, 3]
    )
    assert [r.sheets for r in found] == [3, 4]
