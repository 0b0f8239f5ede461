"""Reading selections for the people who run them: every status, with what the next step needs."""

import uuid
from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from litestar.exceptions import NotFoundException
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.applications.models import Application, ApplicationStatus
from portal.selections.models import AnnouncementText, Selection, SelectionDirection, SelectionStatus
from portal.selections.stage_models import AgreementRecord, InterviewRubric, PublicationEvidence


async def region_selection(
    session: AsyncSession, tenant_id: str, selection_id: uuid.UUID
) -> Selection | None:
    row = await session.execute(
        sa.select(Selection).where(col(Selection.id) == selection_id, col(Selection.tenant_id) == tenant_id)
    )
    return row.scalar_one_or_none()


async def region_selection_or_404(
    session: AsyncSession, tenant_id: str, selection_id: uuid.UUID
) -> Selection:
    """A selection of this region, for the management pages; another region's is not found (404)."""
    selection = await region_selection(session, tenant_id, selection_id)
    if selection is None:
        raise NotFoundException()
    return selection


async def region_selections(session: AsyncSession, tenant_id: str) -> list[Selection]:
    rows = await session.execute(
        sa.select(Selection)
        .where(col(Selection.tenant_id) == tenant_id)
        .order_by(col(Selection.intake_start).desc(), col(Selection.reference).desc())
    )
    return list(rows.scalars())


async def awaiting_agreement(session: AsyncSession) -> list[Selection]:
    """The Agency's queue: selections of every region waiting for agreement (cl. 3)."""
    rows = await session.execute(
        sa.select(Selection)
        .where(col(Selection.status) == SelectionStatus.AWAITING_AGREEMENT)
        .order_by(col(Selection.updated_at))
    )
    return list(rows.scalars())


@dataclass(frozen=True, slots=True)
class SelectionFile:
    """Everything about one selection its managers look at."""

    selection: Selection
    texts: dict[str, AnnouncementText]
    directions: dict[str, int | None]
    rubric: InterviewRubric | None
    agreements: list[AgreementRecord]
    evidence: list[PublicationEvidence]
    funnel: Counter[str]


async def selection_file(session: AsyncSession, selection: Selection) -> SelectionFile:
    texts = {
        t.language: t
        for t in (
            await session.execute(
                sa.select(AnnouncementText).where(col(AnnouncementText.selection_id) == selection.id)
            )
        ).scalars()
    }
    directions = {
        d.direction_code: d.quota
        for d in (
            await session.execute(
                sa.select(SelectionDirection).where(col(SelectionDirection.selection_id) == selection.id)
            )
        ).scalars()
    }
    agreements = list(
        (
            await session.execute(
                sa.select(AgreementRecord)
                .where(col(AgreementRecord.selection_id) == selection.id)
                .order_by(col(AgreementRecord.at))
            )
        ).scalars()
    )
    evidence = list(
        (
            await session.execute(
                sa.select(PublicationEvidence).where(col(PublicationEvidence.selection_id) == selection.id)
            )
        ).scalars()
    )
    counts = await session.execute(
        sa.select(col(Application.status), sa.func.count())
        .where(
            col(Application.selection_id) == selection.id, col(Application.status) != ApplicationStatus.DRAFT
        )
        .group_by(col(Application.status))
    )
    return SelectionFile(
        selection,
        texts,
        directions,
        await session.get(InterviewRubric, selection.id),
        agreements,
        evidence,
        Counter({str(status): int(n) for status, n in counts.all()}),
    )
