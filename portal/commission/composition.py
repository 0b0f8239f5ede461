"""The commission's composition, kept by the region's administrator (A-RC-1, A-RC-COMP; issue 7 item 1).

A term is added and ended, never edited or deleted, so the history shows who was a member on any
past date. One chair and one deputy chair at a time; one place per person at a time. Adding a
term grants the matching commission role of portal.auth (unless the person already holds it),
and ending the term revokes the role the composition granted.
"""

import uuid
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.auth.models import RoleAssignment, User
from portal.auth.roles import Role
from portal.auth.services import RoleError, grant_role, revoke_role
from portal.commission.models import SINGLE_POSITIONS, CommissionMember, Position
from portal.commission.policies import clashing_terms, same_person_terms, voting_members
from portal.core.audit import Change, record
from portal.core.models import utcnow
from portal.i18n import gettext as _
from portal.rules.iin import mask_iin

CLAUSE = "A-RC-COMP"
POSITION_ROLES: dict[Position, Role] = {
    Position.CHAIR: Role.COMMISSION_CHAIR,
    Position.DEPUTY_CHAIR: Role.COMMISSION_DEPUTY_CHAIR,
    Position.SECRETARY: Role.SECRETARY,
    Position.MEMBER: Role.COMMISSION_MEMBER,
}


class CompositionError(ValueError):
    """A term that cannot be recorded; `field` names the form field the message belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class NewTerm:
    iin: str
    full_name: str
    post: str
    position: Position
    term_from: date
    term_to: date | None


async def history(session: AsyncSession, tenant_id: str) -> list[CommissionMember]:
    """Every term of the region's commission, the newest first within each position."""
    rows = await session.execute(
        sa.select(CommissionMember)
        .where(col(CommissionMember.tenant_id) == tenant_id)
        .order_by(col(CommissionMember.term_from).desc(), col(CommissionMember.added_at).desc())
    )
    return list(rows.scalars())


async def voters_on(session: AsyncSession, tenant_id: str, day: date) -> list[CommissionMember]:
    """The members who count for the quorum and vote on a day (chair, deputy chair, members)."""
    return voting_members(await history(session, tenant_id), day)


async def member_for(session: AsyncSession, tenant_id: str, iin: str, day: date) -> CommissionMember | None:
    """The person's term in force on a day, if any."""
    rows = await session.execute(
        sa.select(CommissionMember).where(
            col(CommissionMember.tenant_id) == tenant_id, col(CommissionMember.iin) == iin
        )
    )
    return next((m for m in rows.scalars() if m.in_force_on(day)), None)


async def term_of(session: AsyncSession, tenant_id: str, member_id: uuid.UUID) -> CommissionMember | None:
    """One term of the region's commission (another region's id is simply not found)."""
    member = await session.get(CommissionMember, member_id)
    return member if member is not None and member.tenant_id == tenant_id else None


def _check(term: NewTerm, existing: list[CommissionMember]) -> None:
    if term.term_to is not None and term.term_to < term.term_from:
        raise CompositionError("term_to", _("The end of the term cannot be before its start."))
    if same_person_terms(existing, iin=term.iin, start=term.term_from, end=term.term_to):
        raise CompositionError("iin", _("This person already has a place in the commission for these dates."))
    if term.position in SINGLE_POSITIONS and clashing_terms(
        existing, position=term.position, start=term.term_from, end=term.term_to
    ):
        raise CompositionError(
            "position",
            _("The commission already has a chair for these dates: end that term first.")
            if term.position == Position.CHAIR
            else _("The commission already has a deputy chair for these dates: end that term first."),
        )


async def _grant(
    session: AsyncSession, tenant_id: str, term: NewTerm, *, actor: str, today: date
) -> uuid.UUID | None:
    """The commission role for the term, unless the term is over or the person already holds the role."""
    if term.term_to is not None and term.term_to < today:
        return None
    try:
        assignment = await grant_role(
            session,
            iin=term.iin,
            role=POSITION_ROLES[term.position],
            tenant_id=tenant_id,
            actor=actor,
            valid_from=max(term.term_from, today),
            valid_to=term.term_to,
        )
    except RoleError as error:
        if error.code != "duplicate":
            raise
        return None
    return assignment.id


async def add_term(
    session: AsyncSession, tenant_id: str, term: NewTerm, *, actor: str, today: date
) -> CommissionMember:
    """Record a term in the composition (audited) and grant its role."""
    existing = await history(session, tenant_id)
    _check(term, existing)
    user_id = (await session.execute(sa.select(col(User.id)).where(col(User.iin) == term.iin))).scalar()
    member = CommissionMember(
        tenant_id=tenant_id,
        iin=term.iin,
        user_id=user_id,
        full_name=term.full_name,
        post=term.post,
        position=term.position,
        term_from=term.term_from,
        term_to=term.term_to,
        role_assignment_id=await _grant(session, tenant_id, term, actor=actor, today=today),
        added_by=actor,
    )
    session.add(member)
    await session.flush()
    await record(
        session,
        Change(
            "commission.member_added",
            "commission_member",
            str(member.id),
            actor,
            tenant_id,
            clause=CLAUSE,
            after={
                "iin": mask_iin(term.iin),
                "full_name": term.full_name,
                "position": term.position,
                "term_from": term.term_from,
                "term_to": term.term_to,
            },
        ),
    )
    return member


async def end_term(
    session: AsyncSession,
    tenant_id: str,
    member_id: uuid.UUID,
    *,
    ended_on: date,
    reason: str,
    actor: str,
    today: date,
) -> CommissionMember:
    """End a term early (kept in the history, audited) and revoke the role the composition granted."""
    member = await term_of(session, tenant_id, member_id)
    if member is None:
        raise CompositionError("member", _("There is no such term in this region's commission."))
    if member.ended_on is not None:
        raise CompositionError("ended_on", _("This term has already ended."))
    if ended_on < member.term_from:
        raise CompositionError("ended_on", _("The term cannot end before it started."))
    if ended_on > today:
        raise CompositionError("ended_on", _("The end date cannot be in the future."))
    if member.term_to is not None and ended_on > member.term_to:
        raise CompositionError("ended_on", _("The term ends on its planned date anyway."))
    member.ended_on, member.end_reason = ended_on, reason
    member.ended_by, member.ended_at = actor, utcnow()
    await session.flush()
    if member.role_assignment_id is not None:
        assignment = await session.get(RoleAssignment, member.role_assignment_id)
        if assignment is not None and assignment.revoked_at is None:
            await revoke_role(session, assignment_id=assignment.id, tenant_id=tenant_id, actor=actor)
    await record(
        session,
        Change(
            "commission.member_term_ended",
            "commission_member",
            str(member.id),
            actor,
            tenant_id,
            clause=CLAUSE,
            before={"term_to": member.term_to},
            after={"ended_on": ended_on, "reason": reason},
        ),
    )
    return member
