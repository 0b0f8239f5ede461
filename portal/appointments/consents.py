"""A member's consent to be appointed in another region (cl. 17; rules.md 1.5 R-17, 2.3 item 4).

Given and withdrawn by the member in the portal; each consent is a row, closed when withdrawn, so
the history stays. While a consent stands, the appointing officials of other regions see the member
among those they may propose (cl. 17); the member still confirms each proposal, its region and post.
"""

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.appointments.models import MemberConsent
from portal.core.audit import Change, record
from portal.i18n import gettext as _
from portal.reserve.models import MembershipStatus, ReserveMembership


class ConsentRefused(Exception):  # noqa: N818 - a refusal explained to the user
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def person_clause(user_id: uuid.UUID, iin: str) -> sa.ColumnElement[bool]:
    """The memberships of one person: linked to their account, or of their IIN (a paper candidate
    who signed in later). The IIN is compared in SQL only, never shown or logged."""
    return sa.or_(col(ReserveMembership.user_id) == user_id, col(ReserveMembership.candidate_iin) == iin)


async def memberships_of(session: AsyncSession, user_id: uuid.UUID, iin: str) -> list[ReserveMembership]:
    """The person's memberships, the most recent first."""
    rows = await session.execute(
        sa.select(ReserveMembership)
        .where(person_clause(user_id, iin))
        .order_by(col(ReserveMembership.starts_on).desc(), col(ReserveMembership.id))
    )
    return list(rows.scalars())


async def own_membership(
    session: AsyncSession, membership_id: uuid.UUID, user_id: uuid.UUID, iin: str
) -> ReserveMembership | None:
    """One of the person's memberships; anybody else's is not found."""
    row = await session.execute(
        sa.select(ReserveMembership).where(
            col(ReserveMembership.id) == membership_id, person_clause(user_id, iin)
        )
    )
    return row.scalar_one_or_none()


async def current_consent(session: AsyncSession, membership_id: uuid.UUID) -> MemberConsent | None:
    row = await session.execute(
        sa.select(MemberConsent)
        .where(col(MemberConsent.membership_id) == membership_id, col(MemberConsent.withdrawn_at).is_(None))
        .order_by(col(MemberConsent.given_at).desc())
        .limit(1)
    )
    return row.scalar_one_or_none()


async def consents_of(
    session: AsyncSession, membership_ids: list[uuid.UUID]
) -> dict[uuid.UUID, MemberConsent]:
    """The standing consent of each membership that has one."""
    if not membership_ids:
        return {}
    rows = await session.execute(
        sa.select(MemberConsent).where(
            col(MemberConsent.membership_id).in_(membership_ids), col(MemberConsent.withdrawn_at).is_(None)
        )
    )
    return {consent.membership_id: consent for consent in rows.scalars()}


async def history(session: AsyncSession, membership_id: uuid.UUID) -> list[MemberConsent]:
    rows = await session.execute(
        sa.select(MemberConsent)
        .where(col(MemberConsent.membership_id) == membership_id)
        .order_by(col(MemberConsent.given_at).desc())
    )
    return list(rows.scalars())


async def give(
    session: AsyncSession,
    membership: ReserveMembership,
    *,
    user_id: uuid.UUID,
    today: date,
    now: datetime,
) -> MemberConsent:
    """The member consents to be proposed for posts in other regions (cl. 17)."""
    if membership.status != MembershipStatus.ACTIVE or membership.ends_on < today:
        raise ConsentRefused(_("Your membership of the reserve is not active."))
    if await current_consent(session, membership.id) is not None:
        raise ConsentRefused(_("You have already given this consent."))
    consent = MemberConsent(
        tenant_id=membership.tenant_id, membership_id=membership.id, user_id=user_id, given_at=now
    )
    session.add(consent)
    await session.flush()
    await record(
        session,
        Change(
            "member.consent_given",
            "reserve_membership",
            str(membership.id),
            str(user_id),
            membership.tenant_id,
            clause="17",
            after={"consent": consent.id},
        ),
    )
    return consent


async def withdraw(
    session: AsyncSession, membership: ReserveMembership, *, user_id: uuid.UUID, now: datetime
) -> None:
    """The member withdraws the consent; proposals they have already confirmed keep their own consent."""
    consent = await current_consent(session, membership.id)
    if consent is None:
        raise ConsentRefused(_("There is no consent to withdraw."))
    consent.withdrawn_at = now
    await session.flush()
    await record(
        session,
        Change(
            "member.consent_withdrawn",
            "reserve_membership",
            str(membership.id),
            str(user_id),
            membership.tenant_id,
            clause="17",
            after={"consent": consent.id},
        ),
    )


__all__ = [
    "ConsentRefused",
    "consents_of",
    "current_consent",
    "give",
    "history",
    "memberships_of",
    "own_membership",
    "person_clause",
    "withdraw",
]
