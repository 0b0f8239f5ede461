"""Reading the reserve: the region's registry and monitoring list (filtered, sorted and paged in SQL),
one member's file, and the member's own history (issue 8 items 1 and 7; A-21, A-RC-12).

Every query filters by the region (tenant_id). The appointments and proposals of a member are
counted wherever they were filed: a cl. 17 proposal belongs to the post's region, yet the home
region keeps monitoring its member (A-21).
"""

import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.appointments.models import (
    OPEN_PROPOSAL_STATUSES,
    AppointmentProposal,
    MemberConsent,
    Position,
    ProposalStatus,
)
from portal.core.audit import AuditEvent
from portal.i18n import N_
from portal.reserve.exclusion_models import UNDER_REVIEW_STATUSES, ExclusionCase
from portal.reserve.models import MembershipStatus, ReserveMembership
from portal.selections.models import SectorDirection
from portal.selections.views import Page

RM = ReserveMembership


class Sort(StrEnum):
    NAME = "name"
    ENDS_ON = "ends_on"
    STARTS_ON = "starts_on"
    DIRECTION = "direction"


SORT_LABELS: dict[str, str] = {
    "name": N_("Name"),
    "-name": N_("Name, descending"),
    "ends_on": N_("Term end: soonest first"),
    "-ends_on": N_("Term end: latest first"),
    "starts_on": N_("Enrolment: earliest first"),
    "-starts_on": N_("Enrolment: latest first"),
    "direction": N_("Sector direction"),
    "-direction": N_("Sector direction, descending"),
}


class StatusFilter(StrEnum):
    ACTIVE = "active"
    UNDER_REVIEW = "under_review"  # active, with a filed exclusion case
    EXPIRED = "expired"
    EXCLUDED = "excluded"
    ALL = "all"


STATUS_FILTER_LABELS: dict[StatusFilter, str] = {
    StatusFilter.ACTIVE: N_("Active"),
    StatusFilter.UNDER_REVIEW: N_("Under exclusion review"),
    StatusFilter.EXPIRED: N_("Expired"),
    StatusFilter.EXCLUDED: N_("Excluded"),
    StatusFilter.ALL: N_("Any status"),
}


@dataclass(frozen=True, slots=True)
class Filters:
    """The list's filters: sector direction, status, "term ends within N days", order and page."""

    direction: str | None = None
    status: StatusFilter = StatusFilter.ACTIVE
    ending_within: int | None = None
    sort: Sort = Sort.NAME
    descending: bool = False
    page: int = 1


@dataclass(frozen=True, slots=True)
class MemberRow:
    """One member with what the registry and the monitoring show beside the name."""

    membership: ReserveMembership
    under_review: int
    open_proposals: int
    appointed: int
    consented: bool

    def days_left(self, today: date) -> int:
        return (self.membership.ends_on - today).days


def _count(model: Any, *conditions: sa.ColumnElement[bool]) -> sa.ScalarSelect[int]:
    return (
        sa.select(sa.func.count())
        .select_from(model)
        .where(col(model.membership_id) == col(RM.id), *conditions)
        .scalar_subquery()
    )


def _columns() -> tuple[Any, ...]:
    return (
        RM,
        _count(ExclusionCase, col(ExclusionCase.status).in_(tuple(UNDER_REVIEW_STATUSES))).label(
            "under_review"
        ),
        _count(AppointmentProposal, col(AppointmentProposal.status).in_(tuple(OPEN_PROPOSAL_STATUSES))).label(
            "open_proposals"
        ),
        _count(AppointmentProposal, col(AppointmentProposal.status) == ProposalStatus.APPOINTED).label(
            "appointed"
        ),
        sa.exists()
        .where(col(MemberConsent.membership_id) == col(RM.id), col(MemberConsent.withdrawn_at).is_(None))
        .label("consented"),
    )


def _under_review() -> sa.Exists:
    return sa.exists().where(
        col(ExclusionCase.membership_id) == col(RM.id),
        col(ExclusionCase.status).in_(tuple(UNDER_REVIEW_STATUSES)),
    )


def _conditions(tenant_id: str, filters: Filters, today: date) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = [col(RM.tenant_id) == tenant_id]
    if filters.direction:
        conditions.append(col(RM.direction_code) == filters.direction)
    match filters.status:
        case StatusFilter.ACTIVE:
            conditions.append(col(RM.status) == MembershipStatus.ACTIVE)
        case StatusFilter.UNDER_REVIEW:
            conditions += [col(RM.status) == MembershipStatus.ACTIVE, _under_review()]
        case StatusFilter.EXPIRED:
            conditions.append(col(RM.status) == MembershipStatus.EXPIRED)
        case StatusFilter.EXCLUDED:
            conditions.append(col(RM.status) == MembershipStatus.EXCLUDED)
        case StatusFilter.ALL:
            pass
    if filters.ending_within is not None:
        conditions += [
            col(RM.status) == MembershipStatus.ACTIVE,
            col(RM.ends_on) >= today,
            col(RM.ends_on) <= today + timedelta(days=filters.ending_within),
        ]
    return conditions


def _order(filters: Filters) -> list[Any]:
    column: Any = {
        Sort.NAME: col(RM.candidate_name),
        Sort.ENDS_ON: col(RM.ends_on),
        Sort.STARTS_ON: col(RM.starts_on),
        Sort.DIRECTION: sa.func.coalesce(col(RM.direction_code), ""),
    }[filters.sort]
    first = column.desc() if filters.descending else column.asc()
    tie = col(RM.candidate_name).asc() if filters.sort != Sort.NAME else col(RM.starts_on).asc()
    return [first, tie, col(RM.id).asc()]


def _row(found: Any) -> MemberRow:
    return MemberRow(found[0], int(found[1]), int(found[2]), int(found[3]), bool(found[4]))


async def members(
    session: AsyncSession, tenant_id: str, filters: Filters, *, today: date, page_size: int
) -> Page[MemberRow]:
    """The region's members as the filters ask, one page of them (rules.md 3.3; A-RC-12)."""
    conditions = _conditions(tenant_id, filters, today)
    total = (
        await session.execute(sa.select(sa.func.count()).select_from(RM).where(*conditions))
    ).scalar_one()
    rows = await session.execute(
        sa.select(*_columns())
        .where(*conditions)
        .order_by(*_order(filters))
        .offset((filters.page - 1) * page_size)
        .limit(page_size)
    )
    return Page(tuple(_row(r) for r in rows.all()), filters.page, page_size, int(total))


async def stream_members(
    session: AsyncSession, tenant_id: str, filters: Filters, *, today: date, chunk: int = 200
) -> AsyncIterator[MemberRow]:
    """Every member the filters ask for (no paging), read from the database a chunk at a time."""
    result = await session.stream(
        sa.select(*_columns())
        .where(*_conditions(tenant_id, filters, today))
        .order_by(*_order(filters))
        .execution_options(yield_per=chunk)
    )
    async for found in result:
        yield _row(found)


async def directions(session: AsyncSession) -> dict[str, SectorDirection]:
    rows = await session.execute(sa.select(SectorDirection).order_by(col(SectorDirection.position)))
    return {d.code: d for d in rows.scalars()}


@dataclass(frozen=True, slots=True)
class Appointment:
    """A proposal of the member with its post (any status: the history of appointments, A-21)."""

    proposal: AppointmentProposal
    position: Position


async def appointments_of(
    session: AsyncSession, membership_ids: Sequence[uuid.UUID], *, appointed_only: bool = False
) -> dict[uuid.UUID, list[Appointment]]:
    """The proposals (or only the appointments) of each membership, the most recent first."""
    if not membership_ids:
        return {}
    statement = (
        sa.select(AppointmentProposal, Position)
        .join(Position, col(Position.id) == col(AppointmentProposal.position_id))
        .where(col(AppointmentProposal.membership_id).in_(list(membership_ids)))
        .order_by(col(AppointmentProposal.created_at).desc(), col(AppointmentProposal.id))
    )
    if appointed_only:
        statement = statement.where(col(AppointmentProposal.status) == ProposalStatus.APPOINTED)
    found: dict[uuid.UUID, list[Appointment]] = {}
    for proposal, position in (await session.execute(statement)).all():
        found.setdefault(proposal.membership_id, []).append(Appointment(proposal, position))
    return found


async def region_member(
    session: AsyncSession, tenant_id: str, membership_id: uuid.UUID
) -> ReserveMembership | None:
    row = await session.execute(
        sa.select(RM).where(col(RM.id) == membership_id, col(RM.tenant_id) == tenant_id)
    )
    return row.scalar_one_or_none()


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    at: datetime
    action: str
    clause: str
    object_type: str


async def history(
    session: AsyncSession,
    membership: ReserveMembership,
    *,
    case_ids: Sequence[uuid.UUID],
    proposal_ids: Sequence[uuid.UUID],
) -> list[HistoryEntry]:
    """The audit events of the membership, its exclusion cases and its proposals, the latest first.

    Only the action, the clause and the time are shown: the events' details stay in the audit log.
    """
    objects = [
        sa.and_(
            col(AuditEvent.object_type) == "reserve_membership",
            col(AuditEvent.object_id) == str(membership.id),
        )
    ]
    if case_ids:
        objects.append(
            sa.and_(
                col(AuditEvent.object_type) == "exclusion_case",
                col(AuditEvent.object_id).in_([str(i) for i in case_ids]),
            )
        )
    if proposal_ids:
        objects.append(
            sa.and_(
                col(AuditEvent.object_type) == "appointment_proposal",
                col(AuditEvent.object_id).in_([str(i) for i in proposal_ids]),
            )
        )
    rows = await session.execute(
        sa.select(
            col(AuditEvent.at), col(AuditEvent.action), col(AuditEvent.clause), col(AuditEvent.object_type)
        )
        .where(sa.or_(*objects))
        .order_by(col(AuditEvent.seq).desc())
    )
    return [HistoryEntry(at, action, clause, kind) for at, action, clause, kind in rows.all()]


#: How the member reads their history (the audit actions of the reserve, the cases and proposals).
HISTORY_LABELS: dict[str, str] = {
    "reserve.membership_created": N_("Enrolled in the reserve by the commission's decision"),
    "reserve.membership_expired": N_("The membership ended (the two-year term is over)"),
    "reserve.membership_excluded": N_("Excluded from the reserve by the commission's decision"),
    "member.consent_given": N_("Consent to be appointed in another region given"),
    "member.consent_withdrawn": N_("Consent to be appointed in another region withdrawn"),
    "member.publication_consent_given": N_("Consent to the public list of the enrolled given"),
    "member.publication_consent_withdrawn": N_("Consent to the public list of the enrolled withdrawn"),
    "exclusion.requested": N_("Request to leave the reserve made"),
    "exclusion.drafted": N_("Exclusion proceedings opened by the territorial unit"),
    "exclusion.evidence_added": N_("Evidence attached to the exclusion proceedings"),
    "exclusion.filed": N_("Exclusion proposal filed"),
    "exclusion.member_commented": N_("Comment on the exclusion proposal sent"),
    "exclusion.comment_period_ended": N_("The time to comment on the exclusion proposal ended"),
    "exclusion.on_agenda": N_("Exclusion proposal put on the commission's agenda"),
    "exclusion.off_agenda": N_("Exclusion proposal taken off the commission's agenda"),
    "exclusion.decided": N_("The commission decided on the exclusion proposal"),
    "exclusion.dropped": N_("Exclusion proceedings closed by the territorial unit"),
    "exclusion.moot": N_("Exclusion proceedings closed as moot"),
    "proposal.created": N_("Appointment proposal prepared"),
    "proposal.member_asked": N_("Asked to confirm an application for a post"),
    "proposal.member_confirmed": N_("Application for a post confirmed"),
    "proposal.member_declined": N_("Appointment proposal declined"),
    "proposal.service_record_attached": N_("Service record attached to an appointment proposal"),
    "proposal.submitted": N_("Appointment proposal submitted"),
    "proposal.accepted": N_("Appointment proposal accepted"),
    "proposal.returned": N_("Appointment proposal returned"),
    "proposal.appointed": N_("Appointed to a post"),
    "proposal.withdrawn": N_("Appointment proposal withdrawn"),
    "proposal.voided": N_("Appointment proposal void"),
}


__all__ = [
    "HISTORY_LABELS",
    "SORT_LABELS",
    "STATUS_FILTER_LABELS",
    "Appointment",
    "Filters",
    "HistoryEntry",
    "MemberRow",
    "Sort",
    "StatusFilter",
    "appointments_of",
    "directions",
    "history",
    "members",
    "region_member",
    "stream_members",
]
