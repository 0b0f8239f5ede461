"""Meetings run by the commission's secretary (cl. 6(5); A-RC-12; issue 7 item 3): create one with
its agenda, record attendance, open it (the voting rule is frozen then, rules.md A-20), close it.

Each function is one user action in one transaction, with one audit event per state change.
"""

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from litestar.exceptions import NotFoundException
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.commission import composition
from portal.commission import settings as voting_settings
from portal.commission.agenda import ReadyItem
from portal.commission.models import (
    AgendaItem,
    Attendance,
    CommissionMember,
    ItemStatus,
    Meeting,
    MeetingStatus,
)
from portal.commission.settings import Rule
from portal.core.audit import Change, record
from portal.core.models import utcnow
from portal.i18n import gettext as _
from portal.selections.drafting import TransitionRefused

CLAUSE = "6(5)"


class Presence(StrEnum):
    PRESENT = "present"
    REMOTE = "remote"
    ABSENT = "absent"


def meeting_day(meeting: Meeting, zone: ZoneInfo) -> date:
    """The meeting's date where it sits (Asia/Almaty): the composition in force on it votes."""
    return meeting.scheduled_at.astimezone(zone).date()


async def region_meetings(session: AsyncSession, tenant_id: str) -> list[Meeting]:
    rows = await session.execute(
        sa.select(Meeting)
        .where(col(Meeting.tenant_id) == tenant_id)
        .order_by(col(Meeting.scheduled_at).desc(), col(Meeting.number).desc())
    )
    return list(rows.scalars())


async def region_meeting(session: AsyncSession, tenant_id: str, meeting_id: uuid.UUID) -> Meeting | None:
    row = await session.execute(
        sa.select(Meeting).where(col(Meeting.id) == meeting_id, col(Meeting.tenant_id) == tenant_id)
    )
    return row.scalar_one_or_none()


async def region_meeting_or_404(session: AsyncSession, tenant_id: str, meeting_id: uuid.UUID) -> Meeting:
    """A meeting of this region for its pages; another region's is not found (404)."""
    meeting = await region_meeting(session, tenant_id, meeting_id)
    if meeting is None:
        raise NotFoundException()
    return meeting


async def items_of(session: AsyncSession, meeting: Meeting) -> list[AgendaItem]:
    rows = await session.execute(
        sa.select(AgendaItem)
        .where(col(AgendaItem.meeting_id) == meeting.id, col(AgendaItem.tenant_id) == meeting.tenant_id)
        .order_by(col(AgendaItem.position))
    )
    return list(rows.scalars())


async def attendance_of(session: AsyncSession, meeting: Meeting) -> list[Attendance]:
    rows = await session.execute(
        sa.select(Attendance).where(
            col(Attendance.meeting_id) == meeting.id, col(Attendance.tenant_id) == meeting.tenant_id
        )
    )
    return list(rows.scalars())


async def rule_of(session: AsyncSession, meeting: Meeting) -> Rule:
    """The frozen rule of an opened meeting; before it opens, the region's current rule."""
    if meeting.voting_rule is not None:
        return Rule.from_json(meeting.voting_rule)
    return await voting_settings.current_rule(session, meeting.tenant_id)


async def _next_number(session: AsyncSession, tenant_id: str, year: int) -> int:
    found = await session.execute(
        sa.select(sa.func.max(col(Meeting.number))).where(
            col(Meeting.tenant_id) == tenant_id, col(Meeting.year) == year
        )
    )
    return int(found.scalar_one() or 0) + 1


def _item(meeting: Meeting, position: int, ready: ReadyItem) -> AgendaItem:
    return AgendaItem(
        tenant_id=meeting.tenant_id,
        meeting_id=meeting.id,
        position=position,
        kind=ready.kind,
        selection_id=ready.selection_id,
        application_id=ready.application_id,
        subject=dict(ready.subject),
        clause=ready.clause,
    )


async def create_meeting(
    session: AsyncSession,
    tenant_id: str,
    *,
    scheduled_at: datetime,
    place: str,
    agenda: Sequence[ReadyItem],
    actor: uuid.UUID,
    zone: ZoneInfo,
) -> Meeting:
    """A new meeting, numbered per region per year, with the chosen items on its agenda."""
    year = scheduled_at.astimezone(zone).year
    meeting = Meeting(
        tenant_id=tenant_id,
        year=year,
        number=await _next_number(session, tenant_id, year),
        scheduled_at=scheduled_at,
        place=place,
        created_by=actor,
    )
    session.add(meeting)
    await session.flush()
    session.add_all(_item(meeting, n, ready) for n, ready in enumerate(agenda, start=1))
    await session.flush()
    await record(
        session,
        Change(
            "commission.meeting_created",
            "meeting",
            str(meeting.id),
            str(actor),
            tenant_id,
            clause=CLAUSE,
            after={
                "number": f"{meeting.number}/{meeting.year}",
                "scheduled_at": scheduled_at,
                "agenda": [r.key for r in agenda],
            },
        ),
    )
    return meeting


async def add_items(
    session: AsyncSession, meeting: Meeting, agenda: Sequence[ReadyItem], *, actor: uuid.UUID
) -> list[AgendaItem]:
    """More ready items on a meeting that has not been closed."""
    if meeting.status == MeetingStatus.CLOSED:
        raise TransitionRefused(_("The meeting is closed."))
    last = max((i.position for i in await items_of(session, meeting)), default=0)
    added = [_item(meeting, last + n, ready) for n, ready in enumerate(agenda, start=1)]
    session.add_all(added)
    await session.flush()
    await record(
        session,
        Change(
            "commission.agenda_extended",
            "meeting",
            str(meeting.id),
            str(actor),
            meeting.tenant_id,
            clause=CLAUSE,
            after={"agenda": [r.key for r in agenda]},
        ),
    )
    return added


async def voters(session: AsyncSession, meeting: Meeting, zone: ZoneInfo) -> list[CommissionMember]:
    """The members who count for the quorum and vote at this meeting (in force on its date)."""
    return await composition.voters_on(session, meeting.tenant_id, meeting_day(meeting, zone))


async def record_attendance(
    session: AsyncSession,
    meeting: Meeting,
    marks: Mapping[uuid.UUID, Presence],
    *,
    actor: uuid.UUID,
    zone: ZoneInfo,
) -> list[Attendance]:
    """Who attends (rules.md A-20: remote participation recorded); not while a vote is open."""
    if meeting.status == MeetingStatus.CLOSED:
        raise TransitionRefused(_("The meeting is closed."))
    if any(i.status == ItemStatus.OPEN for i in await items_of(session, meeting)):
        raise TransitionRefused(_("Close the item being voted on before changing the attendance."))
    members = {m.id for m in await voters(session, meeting, zone)}
    existing = {a.member_id: a for a in await attendance_of(session, meeting)}
    now = utcnow()
    for member_id, presence in marks.items():
        if member_id not in members:
            continue
        row = existing.get(member_id)
        if row is None:
            row = Attendance(
                tenant_id=meeting.tenant_id,
                meeting_id=meeting.id,
                member_id=member_id,
                present=False,
                recorded_by=actor,
            )
            session.add(row)
            existing[member_id] = row
        row.present = presence != Presence.ABSENT
        row.remote = presence == Presence.REMOTE
        row.recorded_by, row.recorded_at = actor, now
    await session.flush()
    rows = list(existing.values())
    await record(
        session,
        Change(
            "commission.attendance",
            "meeting",
            str(meeting.id),
            str(actor),
            meeting.tenant_id,
            clause="A-20",
            after={
                "present": sorted(str(a.member_id) for a in rows if a.present and not a.remote),
                "remote": sorted(str(a.member_id) for a in rows if a.present and a.remote),
            },
        ),
    )
    return rows


async def open_meeting(session: AsyncSession, meeting: Meeting, *, actor: uuid.UUID) -> Rule:
    """The meeting opens and freezes the region's voting rule (rules.md A-20): later changes of the
    settings do not reach it."""
    if meeting.status != MeetingStatus.DRAFT:
        raise TransitionRefused(_("The meeting has already been opened."))
    rule = await voting_settings.current_rule(session, meeting.tenant_id)
    meeting.status = MeetingStatus.OPEN
    meeting.voting_rule = rule.as_json()
    meeting.opened_by, meeting.opened_at = actor, utcnow()
    await session.flush()
    await record(
        session,
        Change(
            "commission.meeting_opened",
            "meeting",
            str(meeting.id),
            str(actor),
            meeting.tenant_id,
            clause="A-20",
            after={"voting_rule": rule.as_json()},
        ),
    )
    return rule


async def close_meeting(session: AsyncSession, meeting: Meeting, *, actor: uuid.UUID) -> int:
    """The meeting closes; items never put to the vote stay undecided (they may come back later).
    Returns how many items were left undecided."""
    if meeting.status != MeetingStatus.OPEN:
        raise TransitionRefused(_("Only an open meeting can be closed."))
    items = await items_of(session, meeting)
    if any(i.status == ItemStatus.OPEN for i in items):
        raise TransitionRefused(_("Close the item being voted on first."))
    meeting.status = MeetingStatus.CLOSED
    meeting.closed_by, meeting.closed_at = actor, utcnow()
    await session.flush()
    undecided = sum(1 for i in items if i.status == ItemStatus.PENDING)
    await record(
        session,
        Change(
            "commission.meeting_closed",
            "meeting",
            str(meeting.id),
            str(actor),
            meeting.tenant_id,
            clause=CLAUSE,
            after={"decided": len(items) - undecided, "undecided": undecided},
        ),
    )
    return undecided


@dataclass(frozen=True, slots=True)
class Member:
    """A voting member as the meeting page shows them."""

    member: CommissionMember
    presence: Presence


def presence_of(members: Sequence[CommissionMember], attendance: Sequence[Attendance]) -> list[Member]:
    marks = {a.member_id: a for a in attendance}
    found = []
    for m in members:
        row = marks.get(m.id)
        if row is None or not row.present:
            presence = Presence.ABSENT
        else:
            presence = Presence.REMOTE if row.remote else Presence.PRESENT
        found.append(Member(m, presence))
    return found
