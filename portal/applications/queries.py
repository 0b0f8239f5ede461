"""Reading applications: the candidate's own (by user or, for paper ones, by IIN) and the staff's."""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from portal.applications.models import Application, ApplicationEvent, ApplicationStatus, FileAccess
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
    """One card of the candidate's tracker: plain columns, no ORM objects."""

    id: uuid.UUID
    tenant_id: str
    status: ApplicationStatus
    reference: str | None
    intake_start: date
    intake_end: date
    title: str


def _tracker_statement() -> sa.Select[*tuple[Any, ...]]:
    own_text = aliased(AnnouncementText)
    kazakh_text = aliased(AnnouncementText)
    user_id: sa.BindParameter[Any] = sa.bindparam("user_id")  # typed by the column it meets
    iin: sa.BindParameter[Any] = sa.bindparam("iin")
    return (
        sa.select(
            col(Application.id),
            col(Application.tenant_id),
            col(Application.status),
            col(Application.reference),
            col(Selection.intake_start),
            col(Selection.intake_end),
            sa.func.coalesce(col(own_text.title), col(kazakh_text.title), col(Selection.reference)),
        )
        .join(Selection, col(Selection.id) == col(Application.selection_id))
        .outerjoin(
            own_text,
            sa.and_(
                col(own_text.selection_id) == col(Selection.id),
                col(own_text.language) == sa.bindparam("language"),
            ),
        )
        .outerjoin(
            kazakh_text,
            sa.and_(col(kazakh_text.selection_id) == col(Selection.id), col(kazakh_text.language) == "kk"),
        )
        .where(
            sa.or_(  # `owned_by`
                col(Application.user_id) == user_id,
                sa.and_(col(Application.user_id).is_(None), col(Application.candidate_iin) == iin),
            )
        )
        .order_by(col(Application.created_at).desc())
    )


#: Built once per process: building it (two aliases, three joins) cost more than running it.
_TRACKER = _tracker_statement()


async def my_applications(
    session: AsyncSession, principal: Principal, language: str
) -> list[TrackedApplication]:
    """Every application of the candidate with its selection's dates and title, in one query.

    The title is the announcement's in ``language``, else in Kazakh, else the selection's reference
    (as `titles_of`).
    """
    rows = await session.execute(
        _TRACKER, {"user_id": principal.user_id, "iin": principal.iin, "language": language}
    )
    return [TrackedApplication(*row) for row in rows.all()]


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
