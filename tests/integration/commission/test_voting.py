"""Votes and decisions (issue 7 items 4-5; rules.md A-20, A-11, A-10): through HTTP, as the secretary
and the members would. The outcome is portal.rules.voting.tally's, under the meeting's frozen rule.

Astana's demo commission: 6 voting members (chair, deputy chair, four members); quorum 2/3 -> 4.
"""

import uuid
from collections.abc import Iterator
from datetime import date

import pytest
import sqlalchemy as sa
from litestar import Litestar

from portal.applications.models import Application, ApplicationStatus
from portal.commission.models import (
    ItemOutcome,
    ItemStatus,
    MemberVote,
    Recusal,
    SecretBallotCount,
    VoteCast,
)
from portal.core.audit import AuditEvent
from portal.core.settings import Settings
from portal.notifications.models import OutboxMessage
from portal.reserve.models import MembershipStatus, ReserveMembership
from portal.selections.models import Selection, SelectionStatus
from tests.integration.commission.support import (
    ALIYA,
    BERIK,
    CHAIR,
    DEPUTY,
    SAULE,
    SECRETARY,
    YERLAN,
    Meeting,
    People,
    Stage,
    flashes,
    new_meeting,
    post,
    rows,
    rule,
    stage,
)


@pytest.fixture
def people(app: Litestar) -> Iterator[People]:
    found = People(app)
    yield found
    found.close()


def _opened(
    people: People, database: Settings, present: list[str], *, count: int = 1, quota: int = 3
) -> Meeting:
    """A meeting on `count` enrolment items, with `present` attending, opened, item 1 put to the vote."""
    s = stage(database, count=count, quota=quota)
    meeting = new_meeting(people, database, [s.key(n) for n in range(count)])
    assert meeting.attend(present).status_code == 303
    assert meeting.open().status_code == 303
    assert meeting.put_to_vote().status_code == 303
    return meeting


def _application(database: Settings, application_id: uuid.UUID | None) -> Application:
    return rows(database, sa.select(Application).where(Application.id == application_id))[0]  # type: ignore[arg-type]


def test_a20_quorum_not_met_decides_nothing(people: People, database: Settings) -> None:
    meeting = _opened(people, database, [CHAIR, ALIYA, BERIK])  # 3 of 6; 4 needed
    meeting.votes({CHAIR: "for", ALIYA: "for", BERIK: "for"})
    item = meeting.decided()
    assert item.outcome == ItemOutcome.NO_QUORUM and item.status == ItemStatus.CLOSED
    assert item.tally is not None and item.tally["quorum_met"] is False and item.tally["quorum_required"] == 4
    assert _application(database, item.application_id).status == ApplicationStatus.IN_INTERVIEW
    assert (
        rows(database, sa.select(ReserveMembership).where(ReserveMembership.decision_item_id == item.id))
        == []
    )  # type: ignore[arg-type]
    assert 'data-outcome="no_quorum"' in meeting.page()
    # Nothing was decided: once the meeting closes, the candidate can go on a later agenda.
    assert post(meeting.secretary, f"{meeting.url}/close").status_code == 303
    assert f"enrolment:{item.application_id}" in meeting.secretary.get("/astana/commission/meetings").text


def test_a20_tie_broken_by_chair_casting_vote(people: People, database: Settings) -> None:
    meeting = _opened(people, database, [CHAIR, ALIYA, BERIK, SAULE])
    meeting.votes({CHAIR: "for", ALIYA: "for", BERIK: "against", SAULE: "against"})
    item = meeting.decided()
    assert item.outcome == ItemOutcome.ADOPTED
    assert item.tally is not None and item.tally["tie"] and item.tally["decided_by_casting_vote"]
    assert "Tie decided by the casting vote of the chair of the meeting." in meeting.page()


def test_a20_tie_not_broken_when_the_casting_vote_setting_is_off(people: People, database: Settings) -> None:
    with rule(database, chair_casting_vote=False):
        meeting = _opened(people, database, [CHAIR, ALIYA, BERIK, SAULE])
    meeting.votes({CHAIR: "for", ALIYA: "for", BERIK: "against", SAULE: "against"})
    item = meeting.decided()
    assert item.outcome == ItemOutcome.REJECTED
    assert item.tally is not None and item.tally["tie"] and not item.tally["decided_by_casting_vote"]
    assert _application(database, item.application_id).status == ApplicationStatus.NOT_ENROLLED


def test_a20_deputy_chair_holds_the_casting_vote_in_the_chairs_absence(
    people: People, database: Settings
) -> None:
    meeting = _opened(people, database, [DEPUTY, ALIYA, BERIK, SAULE])
    meeting.votes({DEPUTY: "against", ALIYA: "for", BERIK: "for", SAULE: "against"})
    item = meeting.decided()
    assert item.outcome == ItemOutcome.REJECTED and item.tally is not None
    assert item.tally["decided_by_casting_vote"]


def test_a20_recusal_leaves_the_quorum_base(people: People, database: Settings) -> None:
    meeting = _opened(people, database, [CHAIR, ALIYA, BERIK, SAULE, YERLAN])
    assert meeting.recuse(SAULE, "The candidate is my nephew").status_code == 303
    refused = meeting.vote(SAULE, "for")
    assert "you do not vote on it" in " ".join(flashes(people(SAULE).get(refused.headers["location"]).text))
    meeting.votes({CHAIR: "for", ALIYA: "for", BERIK: "for", YERLAN: "against"})
    item = meeting.decided()
    assert item.tally is not None
    assert (item.tally["members"], item.tally["recused"], item.tally["present"]) == (5, 1, 4)
    assert item.tally["quorum_required"] == 4  # ceil(2/3 of 5)
    assert item.outcome == ItemOutcome.ADOPTED
    recusal = rows(database, sa.select(Recusal).where(Recusal.item_id == item.id))[0]  # type: ignore[arg-type]
    assert recusal.application_id == item.application_id and recusal.reason == "The candidate is my nephew"
    assert "Recused (conflict of interest):" in meeting.page()


def test_a20_abstentions_count_against_the_majority(people: People, database: Settings) -> None:
    meeting = _opened(people, database, [CHAIR, ALIYA, BERIK, SAULE, YERLAN])
    meeting.votes({ALIYA: "for", BERIK: "for", CHAIR: "against", SAULE: "abstain", YERLAN: "abstain"})
    item = meeting.decided()
    assert item.tally is not None
    assert (item.tally["votes_for"], item.tally["votes_against"], item.tally["abstained"]) == (2, 1, 2)
    assert item.outcome == ItemOutcome.REJECTED  # 2 for of 5 present: no majority, more for than against


def test_a20_secret_ballot_hides_who_voted_how(people: People, database: Settings) -> None:
    with rule(database, secret_ballot=True):
        meeting = _opened(people, database, [CHAIR, DEPUTY, ALIYA, BERIK, SAULE])
    meeting.votes({CHAIR: "for", ALIYA: "against", BERIK: "for", SAULE: "abstain", DEPUTY: "for"})
    item = meeting.item()
    live = meeting.page()
    assert "5 members have voted." in live and "the count is shown when the vote closes" in live
    assert "For: <strong>" not in live  # no moving counts while voting
    # The database: who voted, and the counts, but no row ties a member to a choice.
    assert rows(database, sa.select(MemberVote).where(MemberVote.item_id == item.id)) == []  # type: ignore[arg-type]
    assert len(rows(database, sa.select(VoteCast).where(VoteCast.item_id == item.id))) == 5  # type: ignore[arg-type]
    assert not hasattr(VoteCast, "choice") and not hasattr(SecretBallotCount, "member_id")
    counts = rows(database, sa.select(SecretBallotCount).where(SecretBallotCount.item_id == item.id))  # type: ignore[arg-type]
    assert {c.choice: c.votes for c in counts} == {"for": 3, "against": 1, "abstain": 1}
    events = rows(
        database,
        sa.select(AuditEvent).where(  # type: ignore[arg-type]
            AuditEvent.object_id == str(item.id), AuditEvent.action == "commission.vote_cast"
        ),
    )
    assert len(events) == 5 and all(e.after == {"ballot": "secret"} for e in events)
    # A member's own page says that they voted, not how.
    assert "You have voted." in people(ALIYA).get(meeting.ballot_url).text
    decided = meeting.decided()
    assert decided.outcome == ItemOutcome.ADOPTED and decided.tally is not None
    assert decided.tally["ballot"] == "secret" and not decided.tally["decided_by_casting_vote"]
    after = meeting.page()
    assert "For: <strong>3</strong>" in after
    assert ": Against</li>" not in after and ": For</li>" not in after  # no member next to a choice


def test_a20_secret_ballot_tie_is_not_adopted(people: People, database: Settings) -> None:
    """Nobody knows the chair's vote in a secret ballot: no casting vote."""
    with rule(database, secret_ballot=True):
        meeting = _opened(people, database, [CHAIR, ALIYA, BERIK, SAULE])
    meeting.votes({CHAIR: "for", ALIYA: "for", BERIK: "against", SAULE: "against"})
    item = meeting.decided()
    assert item.outcome == ItemOutcome.REJECTED and item.tally is not None and item.tally["tie"]


def test_open_ballot_shows_each_members_vote(people: People, database: Settings) -> None:
    meeting = _opened(people, database, [CHAIR, ALIYA, BERIK, SAULE])
    meeting.votes({CHAIR: "for", ALIYA: "against"})
    live = meeting.page()
    assert "2 members have voted." in live
    assert "For: <strong>1</strong>" in live and "Against: <strong>1</strong>" in live
    assert "Қасымова Әлия Нұрланқызы: Against" in live


def test_a20_a_vote_after_the_item_closed_is_refused(people: People, database: Settings) -> None:
    meeting = _opened(people, database, [CHAIR, ALIYA, BERIK, SAULE])
    meeting.votes({CHAIR: "for", ALIYA: "for", BERIK: "for"})
    item = meeting.decided()
    late = meeting.vote(SAULE, "against")
    assert late.status_code == 303
    shown = flashes(people(SAULE).get(late.headers["location"]).text)
    assert any("votes can no longer be cast or changed" in m for m in shown)
    assert len(rows(database, sa.select(VoteCast).where(VoteCast.item_id == item.id))) == 3  # type: ignore[arg-type]
    again = meeting.vote(CHAIR, "against")  # nor changed
    assert any(
        "can no longer be cast" in m for m in flashes(people(CHAIR).get(again.headers["location"]).text)
    )
    votes = rows(database, sa.select(MemberVote.choice).where(MemberVote.item_id == item.id))  # type: ignore[arg-type]
    assert sorted(votes) == ["for", "for", "for"]


def test_one_vote_per_member_per_item(people: People, database: Settings) -> None:
    meeting = _opened(people, database, [CHAIR, ALIYA, BERIK, SAULE])
    meeting.vote(ALIYA, "for")
    second = meeting.vote(ALIYA, "against")
    page = people(ALIYA).get(second.headers["location"]).text
    assert "You have already voted on this item. A vote cannot be changed." in flashes(page)
    assert "You voted: For." in page
    item = meeting.item()
    assert rows(database, sa.select(MemberVote.choice).where(MemberVote.item_id == item.id)) == ["for"]  # type: ignore[arg-type]


def test_a20_only_members_present_vote(people: People, database: Settings) -> None:
    meeting = _opened(people, database, [CHAIR, ALIYA, BERIK, SAULE])
    absent = meeting.vote(YERLAN, "for")
    assert "Only members recorded as present" in " ".join(
        flashes(people(YERLAN).get(absent.headers["location"]).text)
    )
    # The secretary does not vote; the ballot pages do not exist for them.
    assert people(SECRETARY).get(meeting.ballot_url).status_code == 403


def test_a20_rule_change_after_the_meeting_opened_does_not_apply(people: People, database: Settings) -> None:
    meeting = _opened(people, database, [CHAIR, ALIYA, BERIK, SAULE])  # casting vote on (default)
    admin = people("admin-daniyar")
    changed = post(admin, "/astana/admin/commission/voting", {"quorum": "1/1", "majority_of": "members"})
    assert changed.status_code == 303
    try:
        assert "Quorum: 2/3 of the members" in meeting.page()
        meeting.votes({CHAIR: "for", ALIYA: "for", BERIK: "against", SAULE: "against"})
        item = meeting.decided()
        assert item.outcome == ItemOutcome.ADOPTED and item.tally is not None
        assert item.tally["rule"]["quorum"] == "2/3" and item.tally["rule"]["chair_casting_vote"] is True
        # A meeting opened now takes the new rule: all 6 must attend.
        later = _opened(people, database, [CHAIR, ALIYA, BERIK, SAULE])
        later.votes({CHAIR: "for", ALIYA: "for", BERIK: "for", SAULE: "for"})
        assert later.decided().outcome == ItemOutcome.NO_QUORUM
    finally:
        post(
            admin,
            "/astana/admin/commission/voting",
            {
                "quorum": "2/3",
                "majority_of": "present",
                "chair_casting_vote": "on",
                "remote_participation": "on",
            },
        )


def test_cl12_a10_adopted_enrolment_creates_a_two_year_membership_and_tells_the_candidate(
    people: People, database: Settings
) -> None:
    s = stage(database, count=2, languages=("ru", "kk"))
    meeting = new_meeting(people, database, [s.key(0), s.key(1)])
    meeting.attend([CHAIR, ALIYA, BERIK, SAULE])
    meeting.open()
    meeting.put_to_vote(0)
    meeting.votes({CHAIR: "for", ALIYA: "for", BERIK: "for"}, 0)
    item = meeting.decided(0)
    assert item.outcome == ItemOutcome.ADOPTED
    membership = rows(
        database, sa.select(ReserveMembership).where(ReserveMembership.decision_item_id == item.id)
    )[0]  # type: ignore[arg-type]
    assert membership.starts_on == date(2025, 2, 20) and membership.ends_on == date(2027, 2, 20)
    assert membership.status == MembershipStatus.ACTIVE and membership.counted_in_quota
    assert membership.clause == "12" and str(membership.application_id) == s.applications[0]
    assert _application(database, item.application_id).status == ApplicationStatus.ENROLLED
    letter = rows(
        database,
        sa.select(OutboxMessage).where(OutboxMessage.idempotency_key == f"enrolment:{s.applications[0]}"),  # type: ignore[arg-type]
    )[0]
    assert letter.language == "ru" and letter.recipient and "2027" in letter.body
    page = meeting.page()
    assert "Enrolled in the reserve from 20 February 2025 to 20 February 2027." in page
    # The second candidate: rejected, told in Kazakh.
    meeting.put_to_vote(1)
    meeting.votes({CHAIR: "against", ALIYA: "against", BERIK: "against"}, 1)
    assert meeting.decided(1).outcome == ItemOutcome.REJECTED
    second = _application(database, uuid.UUID(s.applications[1]))
    assert second.status == ApplicationStatus.NOT_ENROLLED
    told = rows(
        database,
        sa.select(OutboxMessage.language).where(
            OutboxMessage.idempotency_key == f"enrolment:{s.applications[1]}"
        ),  # type: ignore[arg-type]
    )
    assert told == ["kk"]
    closed = rows(database, sa.select(AuditEvent).where(AuditEvent.object_id == str(item.id)))  # type: ignore[arg-type]
    assert [e.action for e in closed][-1] == "commission.item_closed" and closed[-1].clause == "12"


def _first_enrolled(people: People, database: Settings, s: Stage) -> Meeting:
    """A meeting on the stage's first two candidates, opened, the first one enrolled (3 of 4 present)."""
    meeting = new_meeting(people, database, [s.key(0), s.key(1)])
    meeting.attend([CHAIR, ALIYA, BERIK, SAULE])
    meeting.open()
    meeting.put_to_vote(0)
    meeting.votes({CHAIR: "for", ALIYA: "for", BERIK: "for"}, 0)
    assert meeting.decided(0).outcome == ItemOutcome.ADOPTED
    return meeting


def test_cl12_the_selection_is_completed_once_every_candidate_is_decided(
    people: People, database: Settings
) -> None:
    s = stage(database, count=2)
    selection_id = uuid.UUID(s.selection_id)

    def status() -> SelectionStatus:
        return rows(database, sa.select(Selection.status).where(Selection.id == selection_id))[0]  # type: ignore[arg-type]

    meeting = _first_enrolled(people, database, s)
    assert status() == SelectionStatus.INTERVIEW  # one candidate still waits for the commission
    meeting.put_to_vote(1)
    meeting.votes({CHAIR: "against", ALIYA: "against", BERIK: "against"}, 1)
    assert meeting.decided(1).outcome == ItemOutcome.REJECTED
    assert status() == SelectionStatus.COMPLETED
    events = rows(
        database,
        sa.select(AuditEvent).where(
            AuditEvent.object_id == s.selection_id, AuditEvent.action == "selection.completed"
        ),  # type: ignore[arg-type]
    )
    assert len(events) == 1 and events[0].clause == "12"
    assert events[0].before == {"status": "interview"} and events[0].after["status"] == "completed"


def test_a11_fewer_than_the_quota_enrolled_is_completed_with_a_recorded_reason(
    people: People, database: Settings
) -> None:
    s = stage(database, count=2, quota=3)
    meeting = _first_enrolled(people, database, s)
    page_url = f"/astana/manage/selections/{s.selection_id}"
    reason_url = f"{page_url}/under-quota-reason"
    early = post(meeting.secretary, reason_url, {"reason": "Too early"})
    assert early.status_code == 422 and "Only a completed selection" in early.text
    meeting.put_to_vote(1)
    meeting.votes({CHAIR: "against", ALIYA: "against", BERIK: "against"}, 1)
    assert meeting.decided(1).outcome == ItemOutcome.REJECTED
    page = meeting.secretary.get(page_url).text
    assert "1 of 3 places of the quota filled." in page and "record its reason (rules A-11)" in page
    empty = post(meeting.secretary, reason_url, {"reason": "  "})
    assert empty.status_code == 422 and "Write the commission&#39;s reason" in empty.text
    reason = "Only one candidate met the bar set by the commission at the interview."
    assert post(meeting.secretary, reason_url, {"reason": reason}).status_code == 303
    assert reason in meeting.secretary.get(page_url).text
    events = rows(
        database,
        sa.select(AuditEvent).where(
            AuditEvent.object_id == s.selection_id, AuditEvent.action == "selection.under_quota_reason"
        ),  # type: ignore[arg-type]
    )
    assert len(events) == 1 and events[0].clause == "12"
    assert events[0].after == {"reason": reason, "enrolled": 1, "quota": 3}


def test_a11_enrolment_never_beyond_the_quota(people: People, database: Settings) -> None:
    s = stage(database, count=2, quota=1)
    meeting = _first_enrolled(people, database, s)
    refused = meeting.put_to_vote(1)
    shown = flashes(meeting.secretary.get(refused.headers["location"]).text)
    assert any("quota of 1 is reached" in m and "A-11" in m for m in shown)
    assert meeting.item(1).status == ItemStatus.PENDING
    enrolled = rows(
        database,
        sa.select(ReserveMembership).where(ReserveMembership.selection_id == uuid.UUID(s.selection_id)),  # type: ignore[arg-type]
    )
    assert len(enrolled) == 1


def test_meeting_closes_only_without_an_item_being_voted_on(people: People, database: Settings) -> None:
    meeting = _opened(people, database, [CHAIR, ALIYA, BERIK, SAULE], count=2)
    refused = post(meeting.secretary, f"{meeting.url}/close")
    assert "Close the item being voted on first." in flashes(
        meeting.secretary.get(refused.headers["location"]).text
    )
    meeting.votes({CHAIR: "for", ALIYA: "for", BERIK: "for"})
    meeting.decided()
    closed = post(meeting.secretary, f"{meeting.url}/close")
    page = meeting.secretary.get(closed.headers["location"]).text
    assert "The meeting is closed." in flashes(page)
    assert "1 item was not put to the vote" in " ".join(flashes(page))
    assert 'hx-trigger="every' not in page  # a closed meeting is not polled
