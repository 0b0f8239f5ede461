"""The public list of the enrolled (rules.md A-27, cl. 12) and the members' consent to it.

A-27: the enrolled list (full name and sector direction) is published only with the member's
consent. The member gives or withdraws it on their membership page; each consent is a row, closed
when withdrawn, so the history stays. The region's public page lists the active members whose
consent stands, by name, and nothing else (no IIN, no term).
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.core.audit import Change, record
from portal.i18n import gettext as _
from portal.reserve.models import MembershipStatus, ReserveMembership
from portal.reserve.publication_models import PublicationConsent
from portal.selections.models import SectorDirection
from portal.selections.views import Page

#: rules.md A-27 settles clause 12 (the enrolled list): its audit events carry this clause.
CLAUSE = "12"


class PublicationRefused(Exception):  # noqa: N818 - a refusal explained to the user
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class PublicMember:
    """One line of the public list: the name and the sector direction in the reader's language."""

    name: str
    direction: str


async def current(session: AsyncSession, membership_id: uuid.UUID) -> PublicationConsent | None:
    row = await session.execute(
        sa.select(PublicationConsent)
        .where(
            col(PublicationConsent.membership_id) == membership_id,
            col(PublicationConsent.withdrawn_at).is_(None),
        )
        .order_by(col(PublicationConsent.given_at).desc())
        .limit(1)
    )
    return row.scalar_one_or_none()


async def history(session: AsyncSession, membership_id: uuid.UUID) -> list[PublicationConsent]:
    rows = await session.execute(
        sa.select(PublicationConsent)
        .where(col(PublicationConsent.membership_id) == membership_id)
        .order_by(col(PublicationConsent.given_at).desc())
    )
    return list(rows.scalars())


async def give(
    session: AsyncSession, membership: ReserveMembership, *, user_id: uuid.UUID, today: date, now: datetime
) -> PublicationConsent:
    """A-27: the member agrees that their name and sector direction appear on the public list."""
    if membership.status != MembershipStatus.ACTIVE or membership.ends_on < today:
        raise PublicationRefused(_("Your membership of the reserve is not active."))
    if await current(session, membership.id) is not None:
        raise PublicationRefused(_("You have already given this consent."))
    consent = PublicationConsent(
        tenant_id=membership.tenant_id, membership_id=membership.id, user_id=user_id, given_at=now
    )
    session.add(consent)
    await session.flush()
    await record(
        session,
        Change(
            "member.publication_consent_given",
            "reserve_membership",
            str(membership.id),
            str(user_id),
            membership.tenant_id,
            clause=CLAUSE,
            after={"publication_consent": consent.id, "basis": "A-27"},
        ),
    )
    return consent


async def withdraw(
    session: AsyncSession, membership: ReserveMembership, *, user_id: uuid.UUID, now: datetime
) -> None:
    """A-27: the member withdraws the consent; the public list stops showing them at once."""
    consent = await current(session, membership.id)
    if consent is None:
        raise PublicationRefused(_("There is no consent to withdraw."))
    consent.withdrawn_at = now
    await session.flush()
    await record(
        session,
        Change(
            "member.publication_consent_withdrawn",
            "reserve_membership",
            str(membership.id),
            str(user_id),
            membership.tenant_id,
            clause=CLAUSE,
            after={"publication_consent": consent.id, "basis": "A-27"},
        ),
    )


async def public_list(
    session: AsyncSession, tenant_id: str, *, language: str, today: date, page: int, page_size: int
) -> Page[PublicMember]:
    """A-27: the region's active members whose consent to publication stands, sorted by name."""
    rm, pc = ReserveMembership, PublicationConsent
    listed = sa.select(col(rm.candidate_name), col(rm.direction_code), col(rm.id)).where(
        col(rm.tenant_id) == tenant_id,
        col(rm.status) == MembershipStatus.ACTIVE,
        col(rm.ends_on) >= today,
        sa.exists().where(
            col(pc.membership_id) == col(rm.id),
            col(pc.tenant_id) == tenant_id,
            col(pc.withdrawn_at).is_(None),
        ),
    )
    total = (await session.execute(sa.select(sa.func.count()).select_from(listed.subquery()))).scalar_one()
    rows = await session.execute(
        listed.order_by(col(rm.candidate_name), col(rm.id)).offset((page - 1) * page_size).limit(page_size)
    )
    found = rows.all()
    codes = {code for _name, code, _id in found if code}
    names: dict[str, str] = {}
    if codes:
        directions = await session.execute(
            sa.select(SectorDirection).where(col(SectorDirection.code).in_(codes))
        )
        names = {d.code: d.name(language) for d in directions.scalars()}
    items = tuple(PublicMember(name, names.get(code or "", "")) for name, code, _id in found)
    return Page(items=items, number=page, size=page_size, total=int(total))


__all__ = [
    "CLAUSE",
    "PublicMember",
    "PublicationRefused",
    "current",
    "give",
    "history",
    "public_list",
    "withdraw",
]
