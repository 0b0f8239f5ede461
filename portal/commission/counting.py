"""From the meeting's rows to portal.rules.voting.tally, the only place an outcome is computed (A-20).

Pure: the services load the rows and pass them in. Who counts: the members in force on the
meeting's date who vote (chair, deputy chair, members); who is present: their attendance; who is
recused: the item's recusals. The chair of the meeting (the chair, or the deputy chair in the
chair's absence) holds the casting vote; in a secret ballot nobody knows the chair's vote, so
there is no casting vote and a tie is not adopted.
"""

import uuid
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from portal.commission.models import Attendance, CommissionMember
from portal.commission.policies import presiding
from portal.commission.settings import Rule
from portal.rules.voting import Outcome, Vote, tally

CHOICE_ORDER = (Vote.FOR, Vote.AGAINST, Vote.ABSTAIN)


def attending(
    members: Sequence[CommissionMember], attendance: Sequence[Attendance]
) -> tuple[frozenset[uuid.UUID], frozenset[uuid.UUID]]:
    """The members present (in person or remotely) and those of them taking part remotely."""
    ids = {m.id for m in members}
    present = frozenset(a.member_id for a in attendance if a.present and a.member_id in ids)
    remote = frozenset(a.member_id for a in attendance if a.present and a.remote and a.member_id in ids)
    return present, remote


def quorum(rule: Rule, members: Sequence[CommissionMember], attendance: Sequence[Attendance]) -> Outcome:
    """The quorum as it stands, before any vote (for the live view)."""
    present, remote = attending(members, attendance)
    return tally(rule.voting, [m.id for m in members], present, {}, remote=remote)


def secret_votes(counts: Mapping[Vote, int], cast_by: Collection[uuid.UUID]) -> dict[uuid.UUID, Vote]:
    """Stand-in votes for a secret ballot: the counted choices dealt to the members who voted, in a
    fixed order unrelated to how anyone voted (only the numbers reach the tally)."""
    choices = [choice for choice in CHOICE_ORDER for _ in range(counts.get(choice, 0))]
    return dict(zip(sorted(cast_by), choices, strict=False))


def count(
    rule: Rule,
    members: Sequence[CommissionMember],
    attendance: Sequence[Attendance],
    votes: Mapping[uuid.UUID, Vote],
    recused: Collection[uuid.UUID],
) -> tuple[Outcome, CommissionMember | None]:
    """The item's outcome by portal.rules.voting.tally, and the chair of the meeting whose vote was
    the casting one (None in a secret ballot). Votes of members not present or recused are not
    counted (the services refuse them anyway)."""
    present, remote = attending(members, attendance)
    ids = {m.id for m in members}
    recused_ids = frozenset(recused) & ids
    counted = {m: v for m, v in votes.items() if m in present and m not in recused_ids}
    chair = None if rule.secret_ballot else presiding(members, present)
    outcome = tally(
        rule.voting,
        list(ids),
        present,
        counted,
        recused_ids,
        chair.id if chair is not None else None,
        remote=remote,
    )
    return outcome, chair


def as_record(
    outcome: Outcome,
    rule: Rule,
    *,
    chair: CommissionMember | None,
    present: Collection[uuid.UUID],
    recused: Collection[uuid.UUID],
) -> dict[str, Any]:
    """What the item keeps of its count: the numbers, the rule, who presided, who was there."""
    return {
        "quorum_met": outcome.quorum_met,
        "adopted": outcome.adopted,
        "members": outcome.members,
        "present": outcome.present,
        "recused": outcome.recused,
        "quorum_required": outcome.quorum_required,
        "votes_for": outcome.votes_for,
        "votes_against": outcome.votes_against,
        "abstained": outcome.abstained,
        "not_voted": outcome.not_voted,
        "majority_base": outcome.majority_base,
        "majority_required": outcome.majority_required,
        "tie": outcome.tie,
        "decided_by_casting_vote": outcome.decided_by_casting_vote,
        "ignored_remote": outcome.ignored_remote,
        "rule": rule.as_json(),
        "ballot": "secret" if rule.secret_ballot else "open",
        "presiding_member_id": str(chair.id) if chair is not None else None,
        "present_member_ids": sorted(str(m) for m in present),
        "recused_member_ids": sorted(str(m) for m in recused),
    }
