"""The region's corps "B" posts (cl. 14) kept by its administrator, and the Agency's confirmation of
the cl. 15 flag (rules.md A-39).

A post offered from the reserve is active, vacant and not elective (cl. 14); when it carries the
cl. 15 flag (head of an executive body financed from the regional budget) it is offered only once
an Agency officer has confirmed the flag, because the flag decides where the proposal goes
(portal.rules.routing). Changing the flag drops the confirmation. Every change is one audit event
in the caller's transaction.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.appointments.models import OPEN_PROPOSAL_STATUSES, AppointmentProposal, Position
from portal.core.audit import Change, record
from portal.i18n import gettext as _


class PositionError(Exception):
    """A change the post's state does not allow; `field` names the form field to mark."""

    def __init__(self, message: str, field: str = "") -> None:
        self.message = message
        self.field = field
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class PostFields:
    """What the administrator states about a post (already checked for form and length)."""

    executive_body: str
    title: str
    category: str
    is_elective: bool
    heads_regional_budget_body: bool
    vacant: bool


def awaiting_cl15_confirmation(position: Position) -> bool:
    """The cl. 15 flag is set but the Agency has not confirmed it yet (A-39)."""
    return position.heads_regional_budget_body and not position.cl15_confirmed


def offerable(position: Position) -> bool:
    """May be named in a new proposal: active, vacant, not elective (cl. 14), flag confirmed (A-39)."""
    return (
        position.active
        and position.vacant
        and not position.is_elective
        and not awaiting_cl15_confirmation(position)
    )


def _snapshot(position: Position) -> dict[str, object]:
    return {
        "executive_body": position.executive_body,
        "title": position.title,
        "category": position.category,
        "is_elective": position.is_elective,
        "heads_regional_budget_body": position.heads_regional_budget_body,
        "cl15_confirmed": position.cl15_confirmed,
        "vacant": position.vacant,
        "active": position.active,
    }


async def positions_of(session: AsyncSession, tenant_id: str) -> list[Position]:
    """The region's posts, active first, by executive body and title."""
    rows = await session.execute(
        sa.select(Position)
        .where(col(Position.tenant_id) == tenant_id)
        .order_by(
            col(Position.active).desc(), col(Position.executive_body), col(Position.title), col(Position.id)
        )
    )
    return list(rows.scalars())


async def position_of(session: AsyncSession, tenant_id: str, position_id: uuid.UUID) -> Position | None:
    """One post of the region; a post of another region is not found."""
    row = await session.execute(
        sa.select(Position).where(col(Position.id) == position_id, col(Position.tenant_id) == tenant_id)
    )
    return row.scalar_one_or_none()


async def _has_open_proposal(session: AsyncSession, position: Position) -> bool:
    row = await session.execute(
        sa.select(sa.func.count())
        .select_from(AppointmentProposal)
        .where(
            col(AppointmentProposal.position_id) == position.id,
            col(AppointmentProposal.tenant_id) == position.tenant_id,
            col(AppointmentProposal.status).in_(OPEN_PROPOSAL_STATUSES),
        )
    )
    return bool(row.scalar_one())


def _check(fields: PostFields) -> None:
    if fields.is_elective and fields.heads_regional_budget_body:
        raise PositionError(
            _("An elective post is never filled from the reserve: it cannot carry the clause 15 mark."),
            "heads_regional_budget_body",
        )


async def add_position(
    session: AsyncSession, tenant_id: str, fields: PostFields, *, actor: uuid.UUID, now: datetime
) -> Position:
    """A new post of the region (cl. 14); a cl. 15 flag waits for the Agency's confirmation (A-39)."""
    _check(fields)
    position = Position(
        tenant_id=tenant_id,
        executive_body=fields.executive_body,
        title=fields.title,
        category=fields.category,
        is_elective=fields.is_elective,
        heads_regional_budget_body=fields.heads_regional_budget_body,
        vacant=fields.vacant,
        created_by=actor,
        created_at=now,
    )
    session.add(position)
    await session.flush()
    await record(
        session,
        Change(
            "position.added",
            "position",
            str(position.id),
            str(actor),
            tenant_id,
            clause="15" if position.heads_regional_budget_body else "14",
            after=_snapshot(position),
        ),
    )
    return position


async def update_position(
    session: AsyncSession, position: Position, fields: PostFields, *, actor: uuid.UUID, now: datetime
) -> Position:
    """Change a post; changing the cl. 15 flag drops the Agency's confirmation (A-39)."""
    if not position.active:
        raise PositionError(_("The post has been deactivated: it cannot be changed."))
    _check(fields)
    before = _snapshot(position)
    flag_changed = position.heads_regional_budget_body != fields.heads_regional_budget_body
    position.executive_body, position.title, position.category = (
        fields.executive_body,
        fields.title,
        fields.category,
    )
    position.is_elective, position.vacant = fields.is_elective, fields.vacant
    position.heads_regional_budget_body = fields.heads_regional_budget_body
    if flag_changed:
        position.cl15_confirmed, position.cl15_confirmed_by, position.cl15_confirmed_at = False, None, None
    position.updated_by, position.updated_at = actor, now
    await session.flush()
    await record(
        session,
        Change(
            "position.updated",
            "position",
            str(position.id),
            str(actor),
            position.tenant_id,
            clause="15" if flag_changed else "14",
            before=before,
            after=_snapshot(position),
        ),
    )
    return position


async def deactivate_position(
    session: AsyncSession, position: Position, *, actor: uuid.UUID, now: datetime
) -> None:
    """Take a post out of the catalogue (kept for the proposals that name it)."""
    if not position.active:
        raise PositionError(_("The post has already been deactivated."))
    if await _has_open_proposal(session, position):
        raise PositionError(_("A proposal for this post is under way: it must be closed first."))
    before = _snapshot(position)
    position.active = False
    position.updated_by, position.updated_at = actor, now
    await session.flush()
    await record(
        session,
        Change(
            "position.deactivated",
            "position",
            str(position.id),
            str(actor),
            position.tenant_id,
            clause="14",
            before=before,
            after=_snapshot(position),
        ),
    )


async def awaiting_confirmation(session: AsyncSession) -> list[Position]:
    """The active posts of every region whose cl. 15 flag waits for the Agency (A-39)."""
    rows = await session.execute(
        sa.select(Position)
        .where(
            col(Position.active).is_(True),
            col(Position.heads_regional_budget_body).is_(True),
            col(Position.cl15_confirmed).is_(False),
        )
        .order_by(col(Position.tenant_id), col(Position.executive_body), col(Position.title))
    )
    return list(rows.scalars())


async def any_position(session: AsyncSession, position_id: uuid.UUID) -> Position | None:
    """A post of any region (the Agency acts across regions, rules.md 2.3 item 2)."""
    return await session.get(Position, position_id)


async def confirm_cl15(session: AsyncSession, position: Position, *, actor: uuid.UUID, now: datetime) -> None:
    """The Agency confirms that the post heads an executive body financed from the regional budget."""
    if not position.active or not awaiting_cl15_confirmation(position):
        raise PositionError(_("The post's clause 15 mark is not waiting for confirmation."))
    position.cl15_confirmed, position.cl15_confirmed_by, position.cl15_confirmed_at = True, actor, now
    await session.flush()
    await record(
        session,
        Change(
            "position.cl15_confirmed",
            "position",
            str(position.id),
            str(actor),
            position.tenant_id,
            clause="15",
            after={"heads_regional_budget_body": True, "cl15_confirmed": True},
        ),
    )


__all__ = [
    "PositionError",
    "PostFields",
    "add_position",
    "any_position",
    "awaiting_cl15_confirmation",
    "awaiting_confirmation",
    "confirm_cl15",
    "deactivate_position",
    "offerable",
    "position_of",
    "positions_of",
    "update_position",
]
