"""The reserve's notices (issue 8: every transition tells the people concerned, in their language).

One template, `reserve_notice` (portal.notifications.templates): a subject (an N_() message), a
message (an N_() message, or a {"kk", "ru", "en"} object composed here with the values filled in
each language), the link and the clause. The member is written to in the language of their
application (A-32; Kazakh when there is none); the territorial unit's people get in-app notices.
"""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from babel.dates import format_date
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.applications.models import Application, CandidateProfile
from portal.appointments.proposals import Mail
from portal.auth.models import RoleAssignment, User
from portal.auth.roles import Role
from portal.core.settings import LANGUAGES
from portal.i18n import gettext_in
from portal.notifications.services import enqueue
from portal.reserve.models import ReserveMembership
from portal.rules.grounds import Titles

TEMPLATE = "reserve_notice"
#: The territorial unit's people told in-app of a member's request or comment (cl. 18).
UNIT_ROLES = (Role.TU_OFFICER, Role.TU_HEAD)


def localized(message: str, **values: object) -> dict[str, str]:
    """An N_() message in every language, its values filled per language: a `Titles` by its own text,
    a date as the language writes it ("1 наурыз 2025")."""

    def value_in(language: str, value: object) -> object:
        if isinstance(value, Titles):
            return value.get(language)
        if isinstance(value, date) and not isinstance(value, datetime):
            return format_date(value, "d MMMM y", locale=language)
        return value

    return {
        language: gettext_in(language, message, **{k: value_in(language, v) for k, v in values.items()})
        for language in LANGUAGES
    }


@dataclass(frozen=True, slots=True)
class Notice:
    """One notice: subject (N_()), message (N_() or localized), link path and clause."""

    subject: str
    message: str | Mapping[str, str]
    path: str
    clause: str = ""
    reason: str | Mapping[str, str] = ""


async def email_of(session: AsyncSession, user_id: uuid.UUID | None) -> str | None:
    if user_id is None:
        return None
    profile = await session.get(CandidateProfile, user_id)
    if profile is not None and profile.email:
        return profile.email
    user = await session.get(User, user_id)
    return user.email if user is not None and user.email else None


async def member_contact(
    session: AsyncSession, membership: ReserveMembership
) -> tuple[uuid.UUID | None, str | None]:
    """The member's account (linked, or found by the IIN for a paper candidate who signed in later)."""
    user_id = membership.user_id
    if user_id is None:
        row = await session.execute(sa.select(col(User.id)).where(col(User.iin) == membership.candidate_iin))
        user_id = row.scalar_one_or_none()
    return user_id, await email_of(session, user_id)


async def member_language(session: AsyncSession, membership: ReserveMembership) -> str:
    """The language the member applied in (A-32); Kazakh when there is no application (kk is primary)."""
    if membership.application_id is None:
        return "kk"
    application = await session.get(Application, membership.application_id)
    return application.language if application is not None and application.language in LANGUAGES else "kk"


def _context(notice: Notice, mail: Mail, tenant_id: str, now: datetime) -> dict[str, Any]:
    return {
        "subject": notice.subject,
        "message": dict(notice.message) if isinstance(notice.message, Mapping) else notice.message,
        "url": mail.url(notice.path),
        "region": dict(mail.regions.get(tenant_id, {})) or tenant_id,
        "reason": dict(notice.reason) if isinstance(notice.reason, Mapping) else notice.reason,
        "clause": notice.clause,
        "at": now.isoformat(),
    }


async def tell_member(
    session: AsyncSession,
    membership: ReserveMembership,
    notice: Notice,
    mail: Mail,
    *,
    now: datetime,
    key: str | None = None,
) -> bool:
    """Queue the notice for the member (e-mail and inbox); False when they never signed in (the unit
    tells them on paper, as for the cl. 10 letters). `key` makes it once only (the jobs)."""
    user_id, email = await member_contact(session, membership)
    if user_id is None and email is None:
        return False
    await enqueue(
        session,
        template=TEMPLATE,
        language=await member_language(session, membership),
        context=_context(notice, mail, membership.tenant_id, now),
        recipient=email,
        user_id=user_id,
        tenant_id=membership.tenant_id,
        idempotency_key=key,
        now=now,
    )
    return True


async def unit_users(session: AsyncSession, tenant_id: str, today: date) -> list[uuid.UUID]:
    """The accounts of the region's territorial-unit officers and head whose role is in force."""
    rows = await session.execute(
        sa.select(col(User.id), RoleAssignment)
        .join(RoleAssignment, col(RoleAssignment.iin) == col(User.iin))
        .where(
            col(RoleAssignment.tenant_id) == tenant_id,
            col(RoleAssignment.role).in_(UNIT_ROLES),
            col(RoleAssignment.revoked_at).is_(None),
        )
    )
    return list(dict.fromkeys(user_id for user_id, grant in rows.all() if grant.in_force_on(today)))


async def tell_users(
    session: AsyncSession,
    users: list[uuid.UUID],
    notice: Notice,
    mail: Mail,
    *,
    tenant_id: str,
    language: str,
    now: datetime,
) -> None:
    """In-app notices to officials (their inbox on /me), in the language of the action's request."""
    for user_id in dict.fromkeys(users):
        await enqueue(
            session,
            template=TEMPLATE,
            language=language if language in LANGUAGES else "kk",
            context=_context(notice, mail, tenant_id, now),
            recipient=None,
            user_id=user_id,
            tenant_id=tenant_id,
            now=now,
        )


__all__ = [
    "Notice",
    "email_of",
    "localized",
    "member_contact",
    "member_language",
    "tell_member",
    "tell_users",
    "unit_users",
]
