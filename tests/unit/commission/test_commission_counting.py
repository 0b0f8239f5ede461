"""The commission's pure parts: overlapping terms (A-RC-COMP), who presides, the frozen rule (A-20),
and the adapter from rows to portal.rules.voting.tally (the only place an outcome is computed)."""

import uuid
from datetime import date
from fractions import Fraction

import pytest

from portal.commission import counting
from portal.commission.models import Attendance, CommissionMember, Position
from portal.commission.policies import (
    clashing_terms,
    periods_overlap,
    presiding,
    same_person_terms,
    voting_members,
)
from portal.commission.settings import Rule, defaults, rule_of
from portal.rules.voting import MajorityBase, Vote, VotingRule

DAY = date(2025, 2, 20)


def _member(
    position: Position, *, start: date = date(2024, 1, 1), end: date | None = None, iin: str = ""
) -> CommissionMember:
    return CommissionMember(
        id=uuid.uuid4(),
        tenant_id="KZ-71",
        iin=iin or uuid.uuid4().hex[:12],
        full_name=str(position),
        position=position,
        term_from=start,
        term_to=end,
        added_by="test",
    )


def _present(
    members: list[CommissionMember], *, remote: tuple[CommissionMember, ...] = ()
) -> list[Attendance]:
    return [
        Attendance(
            tenant_id="KZ-71",
            meeting_id=uuid.uuid4(),
            member_id=m.id,
            present=True,
            remote=m in remote,
            recorded_by=uuid.uuid4(),
        )
        for m in members
    ]


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        ((date(2024, 1, 1), None), (date(2030, 1, 1), None), True),
        ((date(2024, 1, 1), date(2024, 12, 31)), (date(2025, 1, 1), None), False),
        ((date(2024, 1, 1), date(2025, 1, 1)), (date(2025, 1, 1), None), True),  # inclusive ends
        ((date(2025, 6, 1), None), (date(2024, 1, 1), date(2025, 5, 31)), False),
    ],
)
def test_a_rc_comp_periods_overlap_inclusively(
    a: tuple[date, date | None], b: tuple[date, date | None], overlap: bool
) -> None:
    assert periods_overlap(*a, *b) is overlap


def test_a_rc_comp_one_chair_at_a_time_and_one_place_per_person() -> None:
    chair = _member(Position.CHAIR, end=date(2024, 12, 31), iin="1")
    assert clashing_terms([chair], position=Position.CHAIR, start=date(2025, 1, 1), end=None) == []
    assert clashing_terms([chair], position=Position.CHAIR, start=date(2024, 6, 1), end=None) == [chair]
    assert clashing_terms([chair], position=Position.DEPUTY_CHAIR, start=date(2024, 6, 1), end=None) == []
    ended = _member(Position.MEMBER, iin="2")
    ended.ended_on = date(2024, 3, 1)  # an early end frees the dates after it
    assert same_person_terms([ended], iin="2", start=date(2024, 3, 2), end=None) == []
    assert same_person_terms([ended], iin="2", start=date(2024, 3, 1), end=None) == [ended]


def test_secretary_does_not_vote_and_terms_count_on_the_meeting_day() -> None:
    chair, secretary = _member(Position.CHAIR), _member(Position.SECRETARY)
    later = _member(Position.MEMBER, start=date(2025, 3, 1))
    assert voting_members([chair, secretary, later], DAY) == [chair]


def test_deputy_chair_presides_in_the_chairs_absence() -> None:
    chair, deputy, member = _member(Position.CHAIR), _member(Position.DEPUTY_CHAIR), _member(Position.MEMBER)
    assert presiding([chair, deputy, member], {chair.id, deputy.id}) is chair
    assert presiding([chair, deputy, member], {deputy.id, member.id}) is deputy
    assert presiding([chair, deputy, member], {member.id}) is None


def test_a20_the_frozen_rule_survives_a_round_trip_through_json() -> None:
    rule = Rule(VotingRule(Fraction(3, 4), MajorityBase.MEMBERS, False, False), True)
    assert Rule.from_json(rule.as_json()) == rule
    assert rule.as_json()["quorum"] == "3/4"
    assert rule_of(defaults("KZ-71")) == Rule(VotingRule(), False)  # the A-20 defaults


def test_a20_tie_broken_by_the_presiding_chairs_casting_vote() -> None:
    chair, *others = [_member(Position.CHAIR)] + [_member(Position.MEMBER) for _ in range(5)]
    members = [chair, *others]
    present = [chair, *others[:3]]
    votes = {
        chair.id: Vote.FOR,
        others[0].id: Vote.FOR,
        others[1].id: Vote.AGAINST,
        others[2].id: Vote.AGAINST,
    }
    outcome, by = counting.count(Rule(VotingRule(), False), members, _present(present), votes, ())
    assert outcome.adopted and outcome.decided_by_casting_vote and by is chair
    off = Rule(VotingRule(chair_casting_vote=False), False)
    assert not counting.count(off, members, _present(present), votes, ())[0].adopted


def test_a20_secret_ballot_has_no_casting_vote_and_counts_numbers_only() -> None:
    chair, *others = [_member(Position.CHAIR)] + [_member(Position.MEMBER) for _ in range(3)]
    members = [chair, *others]
    stand_ins = counting.secret_votes({Vote.FOR: 2, Vote.AGAINST: 2}, {m.id for m in members})
    assert sorted(stand_ins.values()) == sorted([Vote.FOR, Vote.FOR, Vote.AGAINST, Vote.AGAINST])
    outcome, by = counting.count(Rule(VotingRule(), True), members, _present(members), stand_ins, ())
    assert by is None and outcome.tie and not outcome.adopted


def test_a20_recused_and_absent_votes_are_not_counted() -> None:
    members = [_member(Position.CHAIR)] + [_member(Position.MEMBER) for _ in range(5)]
    present = members[:5]
    recused = {members[4].id}
    votes = {m.id: Vote.FOR for m in members}  # even a stray vote of the absent member
    outcome, _ = counting.count(Rule(VotingRule(), False), members, _present(present), votes, recused)
    assert (outcome.members, outcome.recused, outcome.present, outcome.votes_for) == (5, 1, 4, 4)
    record = counting.as_record(
        outcome, Rule(VotingRule(), False), chair=None, present={m.id for m in present}, recused=recused
    )
    assert record["ballot"] == "open" and record["recused_member_ids"] == [str(members[4].id)]


def test_a20_remote_attendees_count_only_when_the_rule_allows() -> None:
    members = [_member(Position.MEMBER) for _ in range(3)]
    attendance = _present(members[:2], remote=(members[1],))
    assert counting.quorum(Rule(VotingRule(), False), members, attendance).quorum_met
    closed = counting.quorum(Rule(VotingRule(remote_participation=False), False), members, attendance)
    assert not closed.quorum_met and closed.ignored_remote == 1
