"""Reading selections for the public pages. Every query is scoped to its tenant.

Each list page costs a fixed number of queries (count, page, texts, directions), whatever its
length: texts and directions are fetched for the whole page at once.
"""

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.selections.models import (
    PUBLISHED_STATUSES,
    AnnouncementText,
    SectorDirection,
    Selection,
    SelectionDirection,
    SelectionStatus,
)
from portal.selections.phases import PublicPhase, phase_condition, public_phase
from portal.selections.views import (
    STAGE_TITLES,
    AnnouncementDetail,
    AnnouncementSummary,
    DirectionView,
    Page,
    Stage,
)

FALLBACK_LANGUAGE = "kk"  # the announcement's Kazakh text always exists (cl. 7, rules.md R-7 para 2)


async def active_directions(session: AsyncSession) -> Sequence[SectorDirection]:
    result = await session.execute(
        sa.select(SectorDirection).where(col(SectorDirection.active)).order_by(col(SectorDirection.position))
    )
    return result.scalars().all()


async def open_counts_by_tenant(session: AsyncSession, today: date) -> dict[str, int]:
    """How many selections each region has open for applications today."""
    rows = await session.execute(
        sa.select(col(Selection.tenant_id), sa.func.count())
        .where(phase_condition(PublicPhase.OPEN, today))
        .group_by(col(Selection.tenant_id))
    )
    return dict(rows.all())


def _listed(tenant_id: str) -> sa.ColumnElement[bool]:
    visible = PUBLISHED_STATUSES - {SelectionStatus.CANCELLED}
    return sa.and_(col(Selection.tenant_id) == tenant_id, col(Selection.status).in_(visible))


async def list_announcements(
    session: AsyncSession,
    *,
    tenant_id: str,
    language: str,
    today: date,
    phase: PublicPhase | None = None,
    direction: str | None = None,
    page: int = 1,
    page_size: int = 10,
) -> Page[AnnouncementSummary]:
    """One page of a region's published announcements, newest intake first."""
    conditions = [_listed(tenant_id)]
    if phase is not None:
        conditions.append(phase_condition(phase, today))
    if direction is not None:
        conditions.append(
            sa.exists().where(
                col(SelectionDirection.selection_id) == col(Selection.id),
                col(SelectionDirection.direction_code) == direction,
            )
        )
    where = sa.and_(*conditions)
    total = (
        await session.execute(sa.select(sa.func.count()).select_from(Selection).where(where))
    ).scalar_one()
    rows = (
        (
            await session.execute(
                sa.select(Selection)
                .where(where)
                .order_by(col(Selection.intake_start).desc(), col(Selection.reference))
                .offset((page - 1) * page_size)
                .limit(page_size)
            )
        )
        .scalars()
        .all()
    )
    items = await _summaries(session, rows, language, today)
    return Page(items=tuple(items), number=page, size=page_size, total=total)


async def get_announcement(
    session: AsyncSession, *, tenant_id: str, selection_id: uuid.UUID, language: str, today: date
) -> AnnouncementDetail | None:
    """A published announcement of this region, or None (drafts and other regions' ids look absent)."""
    selection = (
        await session.execute(
            sa.select(Selection).where(
                col(Selection.id) == selection_id,
                col(Selection.tenant_id) == tenant_id,
                col(Selection.status).in_(PUBLISHED_STATUSES),
            )
        )
    ).scalar_one_or_none()
    if selection is None:
        return None
    texts = await _texts(session, [selection.id], language)
    summary = (await _summaries(session, [selection], language, today, texts))[0]
    body = texts[selection.id].body if selection.id in texts else ""
    return AnnouncementDetail(
        summary=summary,
        paragraphs=tuple(p.strip() for p in body.split("\n\n") if p.strip()),
        contact_email=selection.contact_email,
        contact_phone=selection.contact_phone,
        notice_working_days=selection.notice_working_days,
        stages=_stages(selection, today),
    )


async def latest_published(
    session: AsyncSession, *, language: str, today: date, tenant_id: str | None = None, limit: int = 50
) -> list[AnnouncementSummary]:
    """The newest announcements (for the Atom feeds), of one region or of all."""
    query = sa.select(Selection).where(col(Selection.status).in_(PUBLISHED_STATUSES))
    if tenant_id is not None:
        query = query.where(col(Selection.tenant_id) == tenant_id)
    query = query.order_by(col(Selection.updated_at).desc(), col(Selection.reference)).limit(limit)
    rows = (await session.execute(query)).scalars().all()
    return await _summaries(session, rows, language, today)


async def _texts(
    session: AsyncSession, ids: Sequence[uuid.UUID], language: str
) -> dict[uuid.UUID, AnnouncementText]:
    """The text of each announcement in the reader's language, or the Kazakh one when missing."""
    if not ids:
        return {}
    rows = (
        await session.execute(
            sa.select(AnnouncementText).where(
                col(AnnouncementText.selection_id).in_(ids),
                col(AnnouncementText.language).in_({language, FALLBACK_LANGUAGE}),
            )
        )
    ).scalars()
    chosen: dict[uuid.UUID, AnnouncementText] = {}
    for text in rows:
        if text.language == language or text.selection_id not in chosen:
            chosen[text.selection_id] = text
    return chosen


async def _directions(
    session: AsyncSession, ids: Sequence[uuid.UUID], language: str
) -> dict[uuid.UUID, tuple[DirectionView, ...]]:
    if not ids:
        return {}
    rows = await session.execute(
        sa.select(SelectionDirection, SectorDirection)
        .join(SectorDirection, col(SectorDirection.code) == col(SelectionDirection.direction_code))
        .where(col(SelectionDirection.selection_id).in_(ids))
        .order_by(col(SectorDirection.position))
    )
    grouped: defaultdict[uuid.UUID, list[DirectionView]] = defaultdict(list)
    for link, direction in rows.all():
        grouped[link.selection_id].append(DirectionView(direction.code, direction.name(language), link.quota))
    return {key: tuple(value) for key, value in grouped.items()}


async def _summaries(
    session: AsyncSession,
    selections: Iterable[Selection],
    language: str,
    today: date,
    texts: dict[uuid.UUID, AnnouncementText] | None = None,
) -> list[AnnouncementSummary]:
    selections = list(selections)
    ids = [s.id for s in selections]
    texts = texts if texts is not None else await _texts(session, ids, language)
    directions = await _directions(session, ids, language)
    summaries = []
    for s in selections:
        phase = public_phase(s.status, s.intake_start, s.intake_end, today)
        text = texts.get(s.id)
        summaries.append(
            AnnouncementSummary(
                id=s.id,
                tenant_id=s.tenant_id,
                reference=s.reference,
                title=text.title if text else s.reference,
                summary=text.summary if text else "",
                phase=phase or PublicPhase.CLOSED,
                quota=s.quota,
                intake_start=s.intake_start,
                intake_end=s.intake_end,
                published_on=s.published_on,
                updated_at=s.updated_at,
                directions=directions.get(s.id, ()),
            )
        )
    return summaries


_STAGE_ORDER = (
    SelectionStatus.INTAKE_OPEN,
    SelectionStatus.TESTING,
    SelectionStatus.COMPETENCY,
    SelectionStatus.INTERVIEW,
    SelectionStatus.CONSIDERATION,
)


def _stages(selection: Selection, today: date) -> tuple[Stage, ...]:
    """The five stages of cl. 6 with their dates; which is done, current or planned."""
    dates = (
        (selection.intake_start, selection.intake_end),
        (selection.testing_on, selection.testing_on),
        (selection.competency_on, selection.competency_on),
        (selection.interview_on, selection.interview_on),
        (selection.consideration_on, selection.consideration_on),
    )
    current = _current_stage(selection, today)
    stages = []
    for index, ((clause, title), (starts, ends)) in enumerate(zip(STAGE_TITLES, dates, strict=True)):
        state = "done" if index < current else "current" if index == current else "planned"
        stages.append(Stage(index + 1, clause, title, starts, ends, state))
    return tuple(stages)


def _current_stage(selection: Selection, today: date) -> int:
    """Index of the stage under way: -1 before intake, 5 when the selection is completed."""
    status = selection.status
    if status == SelectionStatus.COMPLETED:
        return len(_STAGE_ORDER)
    if status in (SelectionStatus.ANNOUNCED, SelectionStatus.INTAKE_OPEN, SelectionStatus.INTAKE_CLOSED):
        if today < selection.intake_start:
            return -1
        return 0 if today <= selection.intake_end else 1
    if status == SelectionStatus.VETTING:
        return 3  # cl. 11 checks prepare the interview
    if status in _STAGE_ORDER:
        return _STAGE_ORDER.index(status)
    return -1
