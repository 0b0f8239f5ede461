"""Reading applications: the candidate's own (by user or, for paper ones, by IIN) and the staff's."""

import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.applications.models import Application, ApplicationEvent, FileAccess
from portal.auth.models import User
from portal.auth.policies import Principal
from portal.selections.models import AnnouncementText, Selection


def owned_by(principal: Principal) -> sa.ColumnElement[bool]:
    """The candidate's applications: theirs by account, or registered on paper under their IIN."""
    return sa.or_(
        col(Application.user_id) == principal.user_id,
        sa.and_(col(Application.user_id).is_(None), col(Application.candidate_iin) == principal.iin),
    )


async def own_application(
    session: AsyncSession, principal: Principal, application_id: uuid.UUID
) -> Application | None:
    """Another person's id answers None, the same as an unknown one (404, never 403: no probing)."""
    row = await session.execute(
        sa.select(Application).where(col(Application.id) == application_id, owned_by(principal))
    )
    return row.scalar_one_or_none()


async def selection_of(session: AsyncSession, application: Application) -> Selection:
    selection = await session.get(Selection, application.selection_id)
    if selection is None or selection.tenant_id != application.tenant_id:
        raise LookupError("the application's selection is missing")
    return selection


@dataclass(frozen=True, slots=True)
class TrackedApplication:
    application: Application
    selection: Selection
    title: str


async def my_applications(
    session: AsyncSession, principal: Principal, language: str
) -> list[TrackedApplication]:
    """Every application of the candidate with its selection and title, in three queries."""
    applications = list(
        (
            await session.execute(
                sa.select(Application).where(owned_by(principal)).order_by(col(Application.created_at).desc())
            )
        ).scalars()
    )
    if not applications:
        return []
    selection_ids = {a.selection_id for a in applications}
    selections = {
        s.id: s
        for s in (
            await session.execute(sa.select(Selection).where(col(Selection.id).in_(selection_ids)))
        ).scalars()
    }
    titles = await titles_of(session, selection_ids, language)
    return [
        TrackedApplication(
            a, selections[a.selection_id], titles.get(a.selection_id, selections[a.selection_id].reference)
        )
        for a in applications
    ]


async def titles_of(
    session: AsyncSession, selection_ids: set[uuid.UUID], language: str
) -> dict[uuid.UUID, str]:
    rows = await session.execute(
        sa.select(
            col(AnnouncementText.selection_id), col(AnnouncementText.language), col(AnnouncementText.title)
        ).where(
            col(AnnouncementText.selection_id).in_(selection_ids),
            col(AnnouncementText.language).in_({language, "kk"}),
        )
    )
    titles: dict[uuid.UUID, str] = {}
    for selection_id, lang, title in rows.all():
        if lang == language or selection_id not in titles:
            titles[selection_id] = title
    return titles


async def history(session: AsyncSession, application_id: uuid.UUID) -> list[ApplicationEvent]:
    rows = await session.execute(
        sa.select(ApplicationEvent)
        .where(col(ApplicationEvent.application_id) == application_id)
        .order_by(col(ApplicationEvent.at))
    )
    return list(rows.scalars())


@dataclass(frozen=True, slots=True)
class Access:
    at: object
    who: str
    document_id: uuid.UUID | None


async def accesses(session: AsyncSession, application_id: uuid.UUID) -> list[Access]:
    """Who (which official) looked at the file and when, newest first."""
    rows = await session.execute(
        sa.select(FileAccess, User)
        .join(User, col(User.id) == col(FileAccess.user_id))
        .where(col(FileAccess.application_id) == application_id)
        .order_by(col(FileAccess.at).desc())
        .limit(200)
    )
    return [Access(access.at, user.full_name, access.document_id) for access, user in rows.all()]
