"""What the meeting pages show: the members and their presence, the quorum as it stands, each item
with its subject, its live count and its decision.

A secret ballot's live view shows how many members have voted, never the choices: counts that
move after each vote would tell who voted how. The totals appear when the item closes.
"""

import uuid
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.applications.models import Application
from portal.commission import agenda, ballots, counting, decisions, meetings
from portal.commission.models import (
    AgendaItem,
    CommissionMember,
    ItemKind,
    ItemOutcome,
    ItemStatus,
    Meeting,
)
from portal.commission.settings import Rule
from portal.i18n import N_
from portal.reserve.models import ReserveMembership
from portal.rules.voting import Outcome, Vote
from portal.selections.models import Selection

KIND_LABELS: dict[ItemKind, str] = {
    ItemKind.CUT_OFF: N_("Cut-off after a stage"),
    ItemKind.ENROLMENT: N_("Enrolment in the reserve"),
    ItemKind.SELECTION_PARAMETERS: N_("Parameters of a selection"),
    ItemKind.DIRECT_ENROLMENT: N_("Enrolment without selection"),
    ItemKind.EXCLUSION: N_("Exclusion from the reserve"),
}
OUTCOME_LABELS: dict[ItemOutcome, str] = {
    ItemOutcome.ADOPTED: N_("Adopted"),
    ItemOutcome.REJECTED: N_("Not adopted"),
    ItemOutcome.NO_QUORUM: N_("No quorum: nothing decided"),
    ItemOutcome.SUBJECT_CHANGED: N_("No longer decidable: the subject changed before the decision"),
}
CHOICE_LABELS: dict[Vote, str] = {
    Vote.FOR: N_("For"),
    Vote.AGAINST: N_("Against"),
    Vote.ABSTAIN: N_("Abstain"),
}
STAGE_LABELS: dict[str, str] = {"testing": N_("Testing"), "competency": N_("Competency assessment")}


@dataclass(frozen=True, slots=True)
class ItemView:
    item: AgendaItem
    reference: str
    selection_reference: str = ""
    candidate_name: str = ""
    candidate_reference: str = ""
    #: How many members have voted so far (both ballots).
    cast: int = 0
    #: An open ballot's votes so far, by choice (None in a secret ballot until the item closes).
    counts: dict[str, int] | None = None
    #: An open ballot's votes by member: (name, choice).
    by_member: list[tuple[str, str]] = field(default_factory=list)
    recused: list[str] = field(default_factory=list)
    membership: ReserveMembership | None = None
    #: A ch. 2-1 request or a cl. 18 case: the person, the due date or the ground, the recorded reason.
    reserve: agenda.ReserveSubject | None = None
    #: Selection parameters (cl. 3): the selection's title.
    selection_title: str = ""

    @property
    def tally(self) -> dict[str, Any]:
        return self.item.tally or {}


@dataclass(frozen=True, slots=True)
class MeetingView:
    meeting: Meeting
    rule: Rule
    members: list[meetings.Member]
    quorum: Outcome
    items: list[ItemView]

    @property
    def open_item(self) -> ItemView | None:
        return next((i for i in self.items if i.item.status == ItemStatus.OPEN), None)


async def _subjects(
    session: AsyncSession, items: list[AgendaItem]
) -> tuple[dict[uuid.UUID, Selection], dict[uuid.UUID, Application]]:
    selection_ids = {i.selection_id for i in items if i.selection_id is not None}
    application_ids = {i.application_id for i in items if i.application_id is not None}
    selections = await session.execute(sa.select(Selection).where(col(Selection.id).in_(selection_ids)))
    applications = await session.execute(
        sa.select(Application).where(col(Application.id).in_(application_ids))
    )
    return (
        {s.id: s for s in selections.scalars()},
        {a.id: a for a in applications.scalars()},
    )


async def _memberships(session: AsyncSession, items: list[AgendaItem]) -> dict[uuid.UUID, ReserveMembership]:
    rows = await session.execute(
        sa.select(ReserveMembership).where(col(ReserveMembership.decision_item_id).in_([i.id for i in items]))
    )
    return {m.decision_item_id: m for m in rows.scalars() if m.decision_item_id is not None}


async def _live(
    session: AsyncSession, item: AgendaItem, rule: Rule, names: dict[uuid.UUID, str]
) -> tuple[int, dict[str, int] | None, list[tuple[str, str]]]:
    cast = len(await ballots.cast_by(session, item))
    if item.status == ItemStatus.CLOSED:
        tally = item.tally or {}
        counts = {
            Vote.FOR.value: tally.get("votes_for", 0),
            Vote.AGAINST.value: tally.get("votes_against", 0),
            Vote.ABSTAIN.value: tally.get("abstained", 0),
        }
    else:
        counts = None
    if rule.secret_ballot or item.status == ItemStatus.PENDING:
        return cast, counts, []
    votes = await ballots.open_votes(session, item)
    live = {choice.value: sum(1 for v in votes.values() if v == choice) for choice in counting.CHOICE_ORDER}
    by_member = sorted((names.get(m, ""), v.value) for m, v in votes.items())
    return cast, counts or live, by_member


async def meeting_view(
    session: AsyncSession, meeting: Meeting, zone: ZoneInfo, *, language: str = "kk"
) -> MeetingView:
    rule = await meetings.rule_of(session, meeting)
    members = await meetings.voters(session, meeting, zone)
    attendance = await meetings.attendance_of(session, meeting)
    items = await meetings.items_of(session, meeting)
    selections, applications = await _subjects(session, items)
    memberships = await _memberships(session, items)
    reserve = await agenda.reserve_subjects(session, items)
    titles = await agenda.selection_titles(
        session,
        meeting.tenant_id,
        {i.selection_id for i in items if i.kind == ItemKind.SELECTION_PARAMETERS and i.selection_id},
        language,
    )
    names = {m.id: m.full_name for m in members}
    views = []
    for item in items:
        selection = selections.get(item.selection_id) if item.selection_id else None
        application = applications.get(item.application_id) if item.application_id else None
        cast, counts, by_member = await _live(session, item, rule, names)
        recused = sorted(names.get(m, "") for m in await ballots.recused_on(session, item) if m in names)
        views.append(
            ItemView(
                item,
                decisions.protocol_reference(meeting, item),
                selection.reference if selection else "",
                application.candidate_name if application else "",
                (application.reference or "") if application else "",
                cast,
                counts,
                by_member,
                recused,
                memberships.get(item.id),
                reserve.get(item.id),
                titles.get(item.selection_id, "") if item.selection_id else "",
            )
        )
    return MeetingView(
        meeting,
        rule,
        meetings.presence_of(members, attendance),
        counting.quorum(rule, members, attendance),
        views,
    )


async def member_of(
    session: AsyncSession, meeting: Meeting, iin: str, zone: ZoneInfo
) -> CommissionMember | None:
    """The signed-in person's voting term in force on the meeting's date, if any."""
    return next((m for m in await meetings.voters(session, meeting, zone) if m.iin == iin), None)
