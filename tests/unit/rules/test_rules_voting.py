"""Commission votes: quorum, majority and the chair's casting vote (rules.md A-20; cl. 6(5), 10, 12, 18)."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.rules.voting import MajorityBase, Vote, VotingRule, tally

MEMBERS = [f"m{i}" for i in range(9)]
CHAIR = "m0"
DEFAULT = VotingRule()
F, A, X = Vote.FOR, Vote.AGAINST, Vote.ABSTAIN


def votes(present: list[str], pattern: list[Vote]) -> dict[str, Vote]:
    return dict(zip(present, pattern, strict=False))


def test_a20_defaults_two_thirds_simple_majority_of_present_casting_vote_on() -> None:
    assert DEFAULT.quorum == Fraction(2, 3)
    assert DEFAULT.majority_of is MajorityBase.PRESENT
    assert DEFAULT.chair_casting_vote
    assert DEFAULT.remote_participation


def test_a20_quorum_two_thirds_of_members() -> None:
    six = MEMBERS[:6]
    met = tally(DEFAULT, MEMBERS, six, votes(six, [F] * 6), (), CHAIR)
    assert met.quorum_met
    assert met.quorum_required == 6
    assert met.adopted
    five = MEMBERS[:5]
    short = tally(DEFAULT, MEMBERS, five, votes(five, [F] * 5), (), CHAIR)
    assert not short.quorum_met
    assert not short.adopted  # unanimous, but no quorum


def test_a20_recused_members_leave_the_quorum_base() -> None:
    present = MEMBERS[:6]
    out = tally(DEFAULT, MEMBERS, present, votes(present[1:], [F] * 5), recused=["m0"], chair=CHAIR)
    assert (out.members, out.present, out.recused, out.quorum_required) == (8, 5, 1, 6)
    assert not out.quorum_met
    present = MEMBERS[3:7]
    out = tally(DEFAULT, MEMBERS, present, votes(present, [F] * 4), recused=["m0", "m1", "m2"])
    assert (out.members, out.present, out.quorum_required) == (6, 4, 4)
    assert out.quorum_met
    assert out.adopted


def test_a20_simple_majority_of_present() -> None:
    present = MEMBERS[:7]
    out = tally(DEFAULT, MEMBERS, present, votes(present, [F, F, F, F, A, A, X]), (), CHAIR)
    assert out.adopted
    assert (out.votes_for, out.votes_against, out.abstained, out.majority_required) == (4, 2, 1, 4)
    out = tally(DEFAULT, MEMBERS, present, votes(present, [F, F, F, A, A, X, X]), (), CHAIR)
    assert not out.adopted
    assert not out.tie


def test_a20_tie_decided_by_chairs_casting_vote() -> None:
    present = MEMBERS[:6]
    for_chair = tally(DEFAULT, MEMBERS, present, votes(present, [F, F, F, A, A, A]), (), CHAIR)
    assert for_chair.tie
    assert for_chair.adopted
    assert for_chair.decided_by_casting_vote
    against_chair = tally(DEFAULT, MEMBERS, present, votes(present, [A, F, F, F, A, A]), (), CHAIR)
    assert against_chair.tie
    assert not against_chair.adopted
    assert against_chair.decided_by_casting_vote


def test_a20_tie_without_casting_vote_is_not_adopted() -> None:
    present = MEMBERS[:6]
    rule = VotingRule(chair_casting_vote=False)
    out = tally(rule, MEMBERS, present, votes(present, [F, F, F, A, A, A]), (), CHAIR)
    assert out.tie
    assert not out.adopted
    assert not out.decided_by_casting_vote


@pytest.mark.parametrize("case", ["chair abstains", "chair recused", "chair absent", "no chair"])
def test_a20_casting_vote_needs_a_chair_who_voted(case: str) -> None:
    present = MEMBERS[:7]
    pattern = {
        "chair abstains": [X, F, F, F, A, A, A],
        "chair recused": [F, F, F, A, A, A],
        "chair absent": [F, F, F, A, A, A],
        "no chair": [F, F, F, A, A, A],
    }[case]
    recused: list[str] = []
    chair: str | None = CHAIR
    if case == "chair recused":
        recused = [CHAIR]
        ballot = votes(present[1:], pattern)
    elif case == "chair absent":
        present = MEMBERS[1:7]
        ballot = votes(present, pattern)
    elif case == "no chair":
        present = MEMBERS[1:7]
        ballot = votes(present, pattern)
        chair = None
    else:
        ballot = votes(present, pattern)
    out = tally(DEFAULT, MEMBERS, present, ballot, recused, chair)
    assert out.quorum_met
    assert not out.adopted
    assert not out.decided_by_casting_vote


def test_a20_tie_is_half_of_the_base_for_abstentions_count_as_not_for() -> None:
    present = MEMBERS[:6]
    out = tally(DEFAULT, MEMBERS, present, votes(present, [F, F, F, A, A, X]), (), CHAIR)
    assert out.tie  # 3 for of 6 present: for = not-for
    assert out.adopted
    assert out.decided_by_casting_vote
    minority = tally(DEFAULT, MEMBERS, present, votes(present, [F, F, A, A, X, X]), (), CHAIR)
    assert not minority.tie  # for = against, but only 2 of 6: a casting vote cannot make a minority win
    assert not minority.adopted


def test_a20_present_members_who_do_not_vote_count_as_not_for() -> None:
    present = MEMBERS[:7]
    out = tally(DEFAULT, MEMBERS, present, votes(present, [F, F, F]), (), CHAIR)
    assert out.not_voted == 4
    assert not out.adopted


def test_a20_majority_of_all_members_option() -> None:
    rule = VotingRule(majority_of=MajorityBase.MEMBERS)
    present = MEMBERS[:6]
    out = tally(rule, MEMBERS, present, votes(present, [F, F, F, F, A, A]), (), CHAIR)
    assert out.majority_base == 9
    assert not out.adopted  # 4 of 9 members
    out = tally(rule, MEMBERS, present, votes(present, [F, F, F, F, F, A]), (), CHAIR)
    assert out.adopted


def test_a20_remote_participation_can_be_switched_off() -> None:
    present = MEMBERS[:6]
    ballot = votes(present, [F] * 6)
    allowed = tally(DEFAULT, MEMBERS, present, ballot, (), CHAIR, remote=["m5"])
    assert allowed.quorum_met
    rule = VotingRule(remote_participation=False)
    out = tally(rule, MEMBERS, present, ballot, (), CHAIR, remote=["m5"])
    assert (out.present, out.ignored_remote, out.quorum_met) == (5, 1, False)


def test_a20_invalid_ballots_are_refused() -> None:
    with pytest.raises(ValueError, match="only present members can vote"):
        tally(DEFAULT, MEMBERS, MEMBERS[:6], {"m8": F}, (), CHAIR)
    with pytest.raises(ValueError, match="recused"):
        tally(DEFAULT, MEMBERS, MEMBERS[:6], {"m1": F}, ["m1"], CHAIR)
    with pytest.raises(ValueError, match="only members can be present"):
        tally(DEFAULT, MEMBERS, ["stranger"], {}, (), CHAIR)
    with pytest.raises(ValueError, match="only members can recuse"):
        tally(DEFAULT, MEMBERS, MEMBERS[:6], {}, ["stranger"], CHAIR)
    with pytest.raises(ValueError, match="chair must be a member"):
        tally(DEFAULT, MEMBERS, MEMBERS[:6], {}, (), "stranger")
    with pytest.raises(ValueError, match="remote"):
        tally(DEFAULT, MEMBERS, MEMBERS[:6], {}, (), CHAIR, remote=["m8"])
    with pytest.raises(ValueError, match="quorum"):
        VotingRule(quorum=Fraction(0))


def test_a20_nobody_left_to_vote_means_no_quorum() -> None:
    out = tally(DEFAULT, ["m0"], ["m0"], {}, ["m0"], "m0")
    assert (out.members, out.quorum_met, out.adopted) == (0, False, False)


@settings(max_examples=300, deadline=None)
@given(
    data=st.data(),
    n=st.integers(min_value=1, max_value=15),
    majority_of=st.sampled_from(MajorityBase),
    casting=st.booleans(),
)
def test_a20_adopted_only_with_quorum_and_at_least_half_for(
    data: st.DataObject, n: int, majority_of: MajorityBase, casting: bool
) -> None:
    members = list(range(n))
    present = data.draw(st.lists(st.sampled_from(members), unique=True))
    recused = data.draw(st.lists(st.sampled_from(members), unique=True, max_size=3))
    voters = [m for m in present if m not in recused]
    ballot = {m: data.draw(st.sampled_from(Vote)) for m in voters if data.draw(st.booleans())}
    rule = VotingRule(majority_of=majority_of, chair_casting_vote=casting)
    out = tally(rule, members, present, ballot, recused, 0)
    if out.adopted:
        assert out.quorum_met
        assert out.votes_for * 2 >= out.majority_base
        assert out.votes_for * 2 > out.majority_base or out.decided_by_casting_vote
    assert out.votes_for + out.votes_against + out.abstained + out.not_voted == out.present
    assert out.present * rule.quorum.denominator >= out.members * rule.quorum.numerator or not out.quorum_met
