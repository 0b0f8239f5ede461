"""Voting on an agenda item (issue 7 items 4-5; rules.md A-20; anchors rows 29-31).

The secretary puts an item to the vote and closes it; present members vote for, against or
abstain, once (the database refuses a second `VoteCast` of the same member on the same item, so
concurrent duplicates fail there); a member who declares a conflict of interest is recused and
leaves the quorum base; nothing can be cast after the item closes. The outcome comes from
portal.rules.voting.tally (portal.commission.counting) under the meeting's frozen rule and is
recorded with the item's clause.
"""

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.commission import counting, decisions, meetings
from portal.commission.models import (
    AgendaItem,
    CommissionMember,
    ItemKind,
    ItemOutcome,
    ItemStatus,
    Meeting,
    MeetingStatus,
    MemberVote,
    Recusal,
    SecretBallotCount,
    VoteCast,
)
from portal.commission.settings import Rule
from portal.core.audit import Change, record
from portal.core.models import utcnow
from portal.i18n import N_
from portal.i18n import gettext as _
from portal.rules.voting import Vote
from portal.selections.drafting import TransitionRefused

ALREADY_VOTED = N_("You have already voted on this item. A vote cannot be changed.")


async def meeting_item(session: AsyncSession, meeting: Meeting, item_id: uuid.UUID) -> AgendaItem | None:
    row = await session.execute(
        sa.select(AgendaItem).where(
            col(AgendaItem.id) == item_id,
            col(AgendaItem.meeting_id) == meeting.id,
            col(AgendaItem.tenant_id) == meeting.tenant_id,
        )
    )
    return row.scalar_one_or_none()


async def recused_on(session: AsyncSession, item: AgendaItem) -> set[uuid.UUID]:
    """Members recused from the item: on the item itself, or on its candidate (rules.md 2.3 item 5)."""
    condition = col(Recusal.item_id) == item.id
    if item.application_id is not None:
        condition = sa.or_(condition, col(Recusal.application_id) == item.application_id)
    rows = await session.execute(
        sa.select(col(Recusal.member_id)).where(col(Recusal.tenant_id) == item.tenant_id, condition)
    )
    return set(rows.scalars())


async def cast_by(session: AsyncSession, item: AgendaItem) -> set[uuid.UUID]:
    """Who has voted on the item (never how, in a secret ballot)."""
    rows = await session.execute(
        sa.select(col(VoteCast.member_id)).where(
            col(VoteCast.item_id) == item.id, col(VoteCast.tenant_id) == item.tenant_id
        )
    )
    return set(rows.scalars())


async def open_votes(session: AsyncSession, item: AgendaItem) -> dict[uuid.UUID, Vote]:
    """An open ballot's votes, by member."""
    rows = await session.execute(
        sa.select(col(MemberVote.member_id), col(MemberVote.choice)).where(
            col(MemberVote.item_id) == item.id, col(MemberVote.tenant_id) == item.tenant_id
        )
    )
    return {member_id: Vote(choice) for member_id, choice in rows.all()}


async def secret_counts(session: AsyncSession, item: AgendaItem) -> dict[Vote, int]:
    rows = await session.execute(
        sa.select(col(SecretBallotCount.choice), col(SecretBallotCount.votes)).where(
            col(SecretBallotCount.item_id) == item.id, col(SecretBallotCount.tenant_id) == item.tenant_id
        )
    )
    return {Vote(choice): votes for choice, votes in rows.all()}


async def open_item(session: AsyncSession, meeting: Meeting, item: AgendaItem, *, actor: uuid.UUID) -> None:
    """Put an item to the vote: the meeting is open, no other item is being voted on (A-11 for enrolments)."""
    if meeting.status != MeetingStatus.OPEN:
        raise TransitionRefused(_("Open the meeting first."))
    if item.status != ItemStatus.PENDING:
        raise TransitionRefused(_("This item has already been put to the vote."))
    if any(i.status == ItemStatus.OPEN for i in await meetings.items_of(session, meeting)):
        raise TransitionRefused(_("Close the item being voted on first."))
    await decisions.check_can_open(session, item)
    rule = Rule.from_json(meeting.voting_rule or {})
    item.status, item.opened_at = ItemStatus.OPEN, utcnow()
    if rule.secret_ballot:
        session.add_all(
            SecretBallotCount(item_id=item.id, choice=choice, tenant_id=item.tenant_id, votes=0)
            for choice in counting.CHOICE_ORDER
        )
    await session.flush()
    await record(
        session,
        Change(
            "commission.item_opened",
            "agenda_item",
            str(item.id),
            str(actor),
            item.tenant_id,
            clause=item.clause,
            after={"ballot": "secret" if rule.secret_ballot else "open"},
        ),
    )


@dataclass(frozen=True, slots=True)
class Standing:
    """Where a member stands on an item: whether they may vote and, if not, why."""

    present: bool
    remote: bool
    recused: bool
    voted: bool


async def standing(
    session: AsyncSession, meeting: Meeting, item: AgendaItem, member: CommissionMember
) -> Standing:
    attendance = {a.member_id: a for a in await meetings.attendance_of(session, meeting)}
    mark = attendance.get(member.id)
    return Standing(
        present=mark is not None and mark.present,
        remote=mark is not None and mark.present and mark.remote,
        recused=member.id in await recused_on(session, item),
        voted=member.id in await cast_by(session, item),
    )


def _refusal(meeting: Meeting, item: AgendaItem, member: CommissionMember, where: Standing) -> str | None:
    """Why the member cannot vote on the item now (the first reason), or None."""
    remote_refused = (
        where.remote and not Rule.from_json(meeting.voting_rule or {}).voting.remote_participation
    )
    checks = (
        (
            item.status == ItemStatus.CLOSED or meeting.status == MeetingStatus.CLOSED,
            N_("The vote on this item is closed: votes can no longer be cast or changed."),
        ),
        (item.status != ItemStatus.OPEN, N_("This item has not been put to the vote yet.")),
        (not member.votes, N_("Only the chair, the deputy chair and the members vote.")),
        (not where.present, N_("Only members recorded as present at the meeting vote.")),
        (remote_refused, N_("The voting rule of this meeting does not count remote participation.")),
        (where.recused, N_("You declared a conflict of interest on this item: you do not vote on it.")),
        (where.voted, ALREADY_VOTED),
    )
    return next((_(message) for failed, message in checks if failed), None)


async def cast_vote(
    session: AsyncSession,
    meeting: Meeting,
    item: AgendaItem,
    member: CommissionMember,
    choice: Vote,
    *,
    actor: uuid.UUID,
) -> None:
    """One vote of one member on one item. A duplicate, even a concurrent one, is refused by the
    database's unique constraint on (item, member) and reported as already voted."""
    refusal = _refusal(meeting, item, member, await standing(session, meeting, item, member))
    if refusal is not None:
        raise TransitionRefused(refusal)
    secret = Rule.from_json(meeting.voting_rule or {}).secret_ballot
    session.add(VoteCast(tenant_id=item.tenant_id, item_id=item.id, member_id=member.id))
    try:
        await session.flush()
    except IntegrityError as error:
        raise TransitionRefused(_(ALREADY_VOTED)) from error
    if secret:
        await session.execute(
            sa.update(SecretBallotCount)
            .where(col(SecretBallotCount.item_id) == item.id, col(SecretBallotCount.choice) == choice)
            .values(votes=col(SecretBallotCount.votes) + 1)
        )
    else:
        session.add(MemberVote(tenant_id=item.tenant_id, item_id=item.id, member_id=member.id, choice=choice))
        await session.flush()
    await record(
        session,
        Change(
            "commission.vote_cast",
            "agenda_item",
            str(item.id),
            str(actor),
            item.tenant_id,
            clause=item.clause,
            # A secret ballot's audit event says that the member voted, never how.
            after={"ballot": "secret"} if secret else {"member": member.id, "choice": choice},
        ),
    )


async def declare_recusal(
    session: AsyncSession,
    meeting: Meeting,
    item: AgendaItem,
    member: CommissionMember,
    *,
    reason: str,
    actor: uuid.UUID,
) -> Recusal:
    """A member declares a conflict of interest on an item (on a candidate: on every item and score
    about them); they leave the quorum base of the item (rules.md A-20, 2.3 item 5)."""
    if item.status == ItemStatus.CLOSED or meeting.status == MeetingStatus.CLOSED:
        raise TransitionRefused(_("The vote on this item is closed: votes can no longer be cast or changed."))
    if not reason.strip():
        raise TransitionRefused(_("Give the reason for the conflict of interest."))
    where = await standing(session, meeting, item, member)
    if where.recused:
        raise TransitionRefused(_("You have already declared a conflict of interest on this item."))
    if where.voted:
        raise TransitionRefused(_("You have already voted on this item."))
    on_candidate = item.kind == ItemKind.ENROLMENT and item.application_id is not None
    recusal = Recusal(
        tenant_id=item.tenant_id,
        member_id=member.id,
        item_id=item.id,
        selection_id=item.selection_id if on_candidate else None,
        application_id=item.application_id if on_candidate else None,
        reason=reason.strip()[:2000],
        recorded_by=actor,
    )
    session.add(recusal)
    try:
        await session.flush()
    except IntegrityError as error:
        raise TransitionRefused(
            _("You have already declared a conflict of interest on this item.")
        ) from error
    await record(
        session,
        Change(
            "commission.recusal",
            "agenda_item",
            str(item.id),
            str(actor),
            item.tenant_id,
            clause=item.clause,
            after={"member": member.id, "reason": recusal.reason},
        ),
    )
    return recusal


@dataclass(frozen=True, slots=True)
class Closing:
    """When and by whom an item is closed, and where the candidate's letter comes from; `reason`: the
    secretary's recorded reason of a ch. 2-1 refusal (A-18) or of a cl. 18 decision."""

    actor: uuid.UUID
    now: datetime
    today: date
    zone: ZoneInfo
    letters: decisions.Letters
    reason: str = ""


async def votes_for_tally(
    session: AsyncSession, item: AgendaItem, rule: Rule, present: Collection[uuid.UUID]
) -> dict[uuid.UUID, Vote]:
    """The votes as tally takes them: by member (open ballot) or stand-ins (secret ballot)."""
    if not rule.secret_ballot:
        return await open_votes(session, item)
    voters = (await cast_by(session, item)) & set(present)
    return counting.secret_votes(await secret_counts(session, item), voters)


async def _carry_out(
    session: AsyncSession, meeting: Meeting, item: AgendaItem, result: ItemOutcome, closing: Closing
) -> None:
    """What the decided item does to its subject (portal.commission.decisions)."""
    if item.kind == ItemKind.ENROLMENT:
        await decisions.apply_enrolment(
            session,
            meeting,
            item,
            outcome=result,
            decided_on=closing.today,
            actor=closing.actor,
            letters=closing.letters,
            now=closing.now,
        )
    elif item.kind == ItemKind.DIRECT_ENROLMENT:
        await decisions.apply_direct(
            session,
            meeting,
            item,
            outcome=result,
            decided_on=closing.today,
            actor=closing.actor,
            letters=closing.letters,
            now=closing.now,
            reason=closing.reason,
        )
    elif item.kind == ItemKind.SELECTION_PARAMETERS:
        await decisions.apply_parameters(
            session,
            meeting,
            item,
            outcome=result,
            actor=closing.actor,
            letters=closing.letters,
            now=closing.now,
            reason=closing.reason,
        )
    elif item.kind == ItemKind.EXCLUSION:
        await decisions.apply_exclusion(
            session,
            item,
            outcome=result,
            actor=closing.actor,
            letters=closing.letters,
            now=closing.now,
            reason=closing.reason,
        )


async def close_item(
    session: AsyncSession, meeting: Meeting, item: AgendaItem, closing: Closing
) -> AgendaItem:
    """Count the item under the meeting's frozen rule (portal.rules.voting.tally), record the outcome
        with the clause, and carry out the decision (portal.commission.decisions: an enrolment, a ch. 2-1
        request, a cl. 18 case, a selection's parameters). A ch. 2-1 request or a selection's parameters not
    adopted without a reason is refused (ReasonNeeded). A subject no longer decidable (decisions.SubjectGone:
    withdrawn, decided, closed or no longer waiting) closes the item as SUBJECT_CHANGED, nothing applied."""
    if item.status != ItemStatus.OPEN:
        raise TransitionRefused(_("Only an item being voted on can be closed."))
    try:
        await decisions.check_decidable(session, item)
        gone = False
    except decisions.SubjectGone:
        gone = True  # the subject changed while the item was being voted on: recorded, nothing applied
    rule = Rule.from_json(meeting.voting_rule or {})
    members = await meetings.voters(session, meeting, closing.zone)
    attendance = await meetings.attendance_of(session, meeting)
    present, _remote = counting.attending(members, attendance)
    recused = await recused_on(session, item)
    votes = await votes_for_tally(session, item, rule, present)
    outcome, chair = counting.count(rule, members, attendance, votes, recused)
    if gone:
        result = ItemOutcome.SUBJECT_CHANGED
    elif not outcome.quorum_met:
        result = ItemOutcome.NO_QUORUM
    else:
        result = ItemOutcome.ADOPTED if outcome.adopted else ItemOutcome.REJECTED
    item.status, item.outcome = ItemStatus.CLOSED, result
    item.tally = counting.as_record(
        outcome, rule, chair=chair, present=present, recused=recused & {m.id for m in members}
    )
    item.decided_at, item.decided_by = closing.now, closing.actor
    await session.flush()
    if not gone:
        await _carry_out(session, meeting, item, result, closing)
    await record(
        session,
        Change(
            "commission.item_closed",
            "agenda_item",
            str(item.id),
            str(closing.actor),
            item.tenant_id,
            clause=item.clause,
            after={
                "outcome": result,
                "reference": decisions.protocol_reference(meeting, item),
                **{k: v for k, v in item.tally.items() if not k.endswith("_ids")},
            },
        ),
    )
    return item
