"""Commission votes: quorum, majority, the chair's casting vote (cl. 6(5), 10, 12, 13-3, 18; rules.md A-20).

The seed text sets none of this; it is probably in the other clauses of the Decree 520 model
regulation (rules.md A-20). Defaults, all configurable per tenant in `VotingRule`:
- quorum: at least 2/3 of the members (`quorum=Fraction(2, 3)`);
- majority: a simple majority of the members present (`majority_of=MajorityBase.PRESENT`);
- the chair's casting vote on a tie: on (`chair_casting_vote=True`);
- remote participation: allowed and counted as presence (`remote_participation=True`).

How one item is counted:
- Recused members (conflict of interest, rules.md 2.3 item 5) leave the quorum base for that
  item: they count neither as members nor as present, and may not vote.
- Quorum: present (non-recused) >= ceil(quorum x (members - recused)); no members, no quorum.
- Majority base: the present non-recused members (PRESENT) or all non-recused members (MEMBERS).
  Abstentions and present members who did not vote count as "not for".
- Adopted when the quorum is met and the votes for are more than half of the majority base.
- Tie: the votes for are exactly half of the majority base (for = not-for). Then, if the
  casting vote is on and the chair is present, not recused and voted for or against, the chair's
  side wins (`decided_by_casting_vote=True`); otherwise the motion is not adopted. So a casting
  vote only ever supplies the one missing half, and nothing is adopted with less than half of
  the base voting for. (The narrower reading "tie = for equals against" is not used: with
  abstentions it would let a minority adopt.)
"""

from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

__all__ = ["MajorityBase", "Outcome", "Vote", "VotingRule", "tally"]


class Vote(StrEnum):
    """A member's vote on one item."""

    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"


class MajorityBase(StrEnum):
    """What the majority is counted of (rules.md A-20)."""

    PRESENT = "present"
    MEMBERS = "members"


@dataclass(frozen=True, slots=True)
class VotingRule:
    """A commission's voting rule; every decision records the rule it was taken under (rules.md A-20)."""

    quorum: Fraction = Fraction(2, 3)
    majority_of: MajorityBase = MajorityBase.PRESENT
    chair_casting_vote: bool = True
    remote_participation: bool = True

    def __post_init__(self) -> None:
        if not 0 < self.quorum <= 1:
            raise ValueError("the quorum is a fraction in (0, 1]")


@dataclass(frozen=True, slots=True)
class Outcome:
    """The count of one item (rules.md A-20). Counts exclude recused members throughout.

    `members`: the quorum base (members minus recused); `present`: present and counted;
    `quorum_required`: presence needed; `majority_base` and `majority_required`: votes for needed
    without a casting vote; `ignored_remote`: remote attendees not counted because the rule does
    not allow remote participation.
    """

    quorum_met: bool
    adopted: bool
    members: int
    present: int
    recused: int
    quorum_required: int
    votes_for: int
    votes_against: int
    abstained: int
    not_voted: int
    majority_base: int
    majority_required: int
    tie: bool
    decided_by_casting_vote: bool
    ignored_remote: int
    rule: VotingRule


def tally[M: Hashable](  # noqa: PLR0917 - the positional order is the public API of issue 3
    rule: VotingRule,
    members: Collection[M],
    present: Collection[M],
    votes: Mapping[M, Vote],
    recused: Collection[M] = (),
    chair: M | None = None,
    *,
    remote: Collection[M] = (),
) -> Outcome:
    """Count one item of a commission meeting (cl. 6(5), 10, 12, 13-3, 18; rules.md A-20).

    `members`: the commission's members on the meeting date; `present`: those attending (in
    person or, in `remote`, remotely); `votes`: the votes cast, by present members only;
    `recused`: members who declared a conflict on this item; `chair`: the chair of the meeting
    (for the casting vote). See the module docstring for quorum, majority and ties.
    """
    member_set = frozenset(members)
    present_set = frozenset(present)
    recused_set = frozenset(recused)
    remote_set = frozenset(remote)
    if not present_set <= member_set:
        raise ValueError("only members can be present")
    if not recused_set <= member_set:
        raise ValueError("only members can recuse themselves")
    if not remote_set <= present_set:
        raise ValueError("remote attendees must be among the present")
    if not frozenset(votes) <= present_set:
        raise ValueError("only present members can vote")
    if recused_set & frozenset(votes):
        raise ValueError("a recused member cannot vote on the item")
    if chair is not None and chair not in member_set:
        raise ValueError("the chair must be a member")

    ignored_remote = 0
    counted = present_set - recused_set
    if not rule.remote_participation:
        ignored_remote = len(counted & remote_set)
        counted -= remote_set

    base = len(member_set - recused_set)
    quorum_required = -(-base * rule.quorum.numerator // rule.quorum.denominator)
    quorum_met = base > 0 and len(counted) >= quorum_required

    cast = [votes[m] for m in counted if m in votes]
    votes_for = cast.count(Vote.FOR)
    votes_against = cast.count(Vote.AGAINST)
    abstained = cast.count(Vote.ABSTAIN)

    majority_base = len(counted) if rule.majority_of is MajorityBase.PRESENT else base
    majority = votes_for * 2 > majority_base
    tie = majority_base > 0 and votes_for * 2 == majority_base
    chair_vote = votes.get(chair) if chair is not None and chair in counted else None
    casting = quorum_met and tie and rule.chair_casting_vote and chair_vote in (Vote.FOR, Vote.AGAINST)

    return Outcome(
        quorum_met=quorum_met,
        adopted=quorum_met and (majority or (casting and chair_vote is Vote.FOR)),
        members=base,
        present=len(counted),
        recused=len(recused_set),
        quorum_required=quorum_required,
        votes_for=votes_for,
        votes_against=votes_against,
        abstained=abstained,
        not_voted=len(counted) - len(cast),
        majority_base=majority_base,
        majority_required=majority_base // 2 + 1,
        tie=tie,
        decided_by_casting_vote=casting,
        ignored_remote=ignored_remote,
        rule=rule,
    )
