"""What the territorial unit does with applications now: list, read (logged), register paper ones.

Issue 6 adds the review decisions; every staff read already leaves a FileAccess row the candidate
sees ("who looked at my file").
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.applications import services
from portal.applications.models import Application, ApplicationStatus, Channel, DocumentSlot, FileAccess
from portal.applications.references import next_reference
from portal.applications.uploads import Received, attach
from portal.auth.models import User
from portal.core.storage import Storage
from portal.rules.intake import intake_is_open
from portal.selections.models import Selection
from portal.selections.views import Page


async def region_application(
    session: AsyncSession, tenant_id: str, application_id: uuid.UUID
) -> Application | None:
    """An application of this region; another region's id is not found (404)."""
    row = await session.execute(
        sa.select(Application).where(
            col(Application.id) == application_id, col(Application.tenant_id) == tenant_id
        )
    )
    return row.scalar_one_or_none()


async def log_access(
    session: AsyncSession, application: Application, user_id: uuid.UUID, document_id: uuid.UUID | None = None
) -> None:
    session.add(
        FileAccess(
            application_id=application.id,
            tenant_id=application.tenant_id,
            user_id=user_id,
            document_id=document_id,
        )
    )
    await session.flush()


@dataclass(frozen=True, slots=True)
class ListedApplication:
    """One row of the officer's list: only what the list shows (plain columns, no ORM object)."""

    id: uuid.UUID
    reference: str | None
    candidate_name: str
    candidate_iin: str
    status: ApplicationStatus
    submitted_at: datetime | None


async def list_applications(
    session: AsyncSession,
    tenant_id: str,
    *,
    selection_id: uuid.UUID | None,
    status: ApplicationStatus | None,
    page: int,
    page_size: int = 50,
) -> Page[ListedApplication]:
    """Submitted applications of a region (drafts are the candidates' own business), newest first."""
    conditions = [col(Application.tenant_id) == tenant_id, col(Application.status) != ApplicationStatus.DRAFT]
    if selection_id is not None:
        conditions.append(col(Application.selection_id) == selection_id)
    if status is not None:
        conditions.append(col(Application.status) == status)
    where = sa.and_(*conditions)
    total = (
        await session.execute(sa.select(sa.func.count()).select_from(Application).where(where))
    ).scalar_one()
    newest_first = (col(Application.submitted_at).desc(), col(Application.id))
    # The page's ids first, from the index alone (tenant, status, submitted_at, id), then their
    # rows: a deep page skips index entries instead of whole rows, and PostgreSQL no longer sorts
    # the region's applications to find it (issue 9, docs/performance.md).
    page_ids = (
        sa.select(col(Application.id))
        .where(where)
        .order_by(*newest_first)
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    # Plain rows of the six columns the list shows: building 50 ORM objects (identity map, instance
    # state) was a tenth of the request (issue 9, docs/performance.md "Second pass").
    rows = await session.execute(
        sa.select(
            col(Application.id),
            col(Application.reference),
            col(Application.candidate_name),
            col(Application.candidate_iin),
            col(Application.status),
            col(Application.submitted_at),
        )
        .where(col(Application.id).in_(page_ids))
        .order_by(*newest_first)
    )
    return Page(tuple(ListedApplication(*row) for row in rows.all()), page, page_size, total)


@dataclass(frozen=True, slots=True)
class PaperApplication:
    selection: Selection
    iin: str
    name: str
    channel: Channel
    received_on: date
    direction: str | None
    files: dict[DocumentSlot, Received]


class PaperRefusedError(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


async def register_paper(
    session: AsyncSession,
    storage: Storage,
    paper: PaperApplication,
    *,
    officer: uuid.UUID,
    today: date,
    now: datetime,
    max_bytes: int,
) -> Application:
    """cl. 8: documents received on paper or by e-mail, registered by the territorial unit.

    They count if received inside the intake window (rules.md A-07); the candidate finds the
    application under their IIN at their next sign-in.
    """
    selection = paper.selection
    if paper.received_on > today or not intake_is_open(
        selection.intake_start, selection.intake_end, paper.received_on
    ):
        raise PaperRefusedError("received_outside_intake")
    if len(paper.files) < len(DocumentSlot):
        raise PaperRefusedError("documents_missing")
    duplicate = await session.execute(
        sa.select(col(Application.id)).where(
            col(Application.selection_id) == selection.id, col(Application.candidate_iin) == paper.iin
        )
    )
    if duplicate.first() is not None:
        raise PaperRefusedError("duplicate")
    if paper.direction and paper.direction not in await services.selection_directions(session, selection.id):
        raise PaperRefusedError("unknown_direction")
    user = (await session.execute(sa.select(User).where(col(User.iin) == paper.iin))).scalar_one_or_none()
    application = Application(
        tenant_id=selection.tenant_id,
        selection_id=selection.id,
        candidate_iin=paper.iin,
        user_id=user.id if user else None,
        candidate_name=paper.name,
        channel=paper.channel,
        direction_code=paper.direction,
        status=ApplicationStatus.SUBMITTED,
        reference=await next_reference(session, selection.tenant_id, paper.received_on.year),
        submitted_at=now,
        reference_date=paper.received_on,
        registered_by=officer,
    )
    session.add(application)
    await session.flush()
    for slot, received in paper.files.items():
        await attach(session, storage, application, slot, received, actor=str(officer), max_bytes=max_bytes)
    await services.record_status(session, application, str(officer), clause="8")
    return application
