"""Stages 2 and 3 (cl. 6(2), 6(3)): results imported from a file, previewed, approved by a second
person (four eyes), kept with the file's SHA-256 (rules.md R-6(2), A-14)."""

import uuid
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.applications.models import Application, ApplicationStatus
from portal.core.audit import Change, record
from portal.core.models import utcnow
from portal.i18n import gettext as _
from portal.selections.drafting import TransitionRefused
from portal.selections.models import Selection, SelectionStatus
from portal.selections.results_import import Candidate, Preview, ResultStage, read_results
from portal.selections.stage_models import ImportStatus, ResultsImport, StageResult

#: The selection's status while a stage's results are collected, and the candidates' status then.
STAGE_STATUS = {
    ResultStage.TESTING: SelectionStatus.TESTING,
    ResultStage.COMPETENCY: SelectionStatus.COMPETENCY,
}
IN_STAGE = {
    ResultStage.TESTING: ApplicationStatus.IN_TESTING,
    ResultStage.COMPETENCY: ApplicationStatus.IN_COMPETENCY,
}
_STAGE_OF = {status: stage for stage, status in IN_STAGE.items()}


async def candidates(session: AsyncSession, selection: Selection) -> list[Candidate]:
    """The candidates now at a results stage (the file is checked against them)."""
    rows = await session.execute(
        sa.select(Application).where(
            col(Application.selection_id) == selection.id, col(Application.status).in_(tuple(_STAGE_OF))
        )
    )
    return [Candidate(a.id, a.reference or "", a.candidate_iin, _STAGE_OF[a.status]) for a in rows.scalars()]


async def upload(
    session: AsyncSession,
    selection: Selection,
    *,
    stage: ResultStage,
    content: bytes,
    file_name: str,
    actor: uuid.UUID,
) -> tuple[Preview, ResultsImport | None]:
    """Check the file; when nothing is wrong, keep it waiting for a second person's approval."""
    if selection.status != STAGE_STATUS[stage]:
        raise TransitionRefused(_("The selection is not at this stage."))
    preview = read_results(content, file_name, stage=stage, candidates=await candidates(session, selection))
    if not preview.importable:
        return preview, None
    batch = ResultsImport(
        tenant_id=selection.tenant_id,
        selection_id=selection.id,
        stage=stage,
        file_name=file_name[:160],
        sha256=preview.sha256,
        rows=[
            {
                "application_id": str(r.application_id),
                "score": None if r.score is None else str(r.score),
                "absent": r.absent,
                "components": r.components,
            }
            for r in preview.rows
        ],
        uploaded_by=actor,
    )
    session.add(batch)
    await session.flush()
    await record(
        session,
        Change(
            "results.uploaded",
            "results_import",
            str(batch.id),
            str(actor),
            selection.tenant_id,
            clause="6",
            after={"stage": stage, "sha256": preview.sha256, "rows": len(preview.rows)},
        ),
    )
    return preview, batch


async def approve(session: AsyncSession, batch: ResultsImport, selection: Selection, actor: uuid.UUID) -> int:
    """The second person approves (four eyes): the results are stored; returns how many."""
    if batch.status != ImportStatus.PENDING:
        raise TransitionRefused(_("This import has already been decided."))
    if batch.uploaded_by == actor:
        raise TransitionRefused(_("The person who uploaded the file cannot approve it: ask a colleague."))
    if selection.status != STAGE_STATUS[batch.stage]:
        raise TransitionRefused(_("The selection is not at this stage."))
    ids = [uuid.UUID(row["application_id"]) for row in batch.rows]
    await session.execute(
        sa.delete(StageResult).where(
            col(StageResult.application_id).in_(ids), col(StageResult.stage) == batch.stage
        )
    )
    session.add_all(
        StageResult(
            tenant_id=batch.tenant_id,
            selection_id=batch.selection_id,
            application_id=uuid.UUID(row["application_id"]),
            stage=batch.stage,
            score=None if row["score"] is None else Decimal(row["score"]),
            absent=bool(row["absent"]),
            components=dict(row["components"]),
            import_id=batch.id,
        )
        for row in batch.rows
    )
    batch.status, batch.decided_by, batch.decided_at = ImportStatus.APPROVED, actor, utcnow()
    await session.flush()
    await record(
        session,
        Change(
            "results.approved",
            "results_import",
            str(batch.id),
            str(actor),
            batch.tenant_id,
            clause="6",
            after={"stage": batch.stage, "sha256": batch.sha256, "rows": len(batch.rows)},
        ),
    )
    return len(batch.rows)


async def imports_of(session: AsyncSession, selection: Selection, stage: ResultStage) -> list[ResultsImport]:
    rows = await session.execute(
        sa.select(ResultsImport)
        .where(col(ResultsImport.selection_id) == selection.id, col(ResultsImport.stage) == stage)
        .order_by(col(ResultsImport.uploaded_at).desc())
    )
    return list(rows.scalars())


async def missing_results(session: AsyncSession, selection: Selection, stage: ResultStage) -> int:
    """How many candidates at the stage have no imported result (score or absence) yet."""
    at_stage = (
        sa.select(col(Application.id))
        .where(col(Application.selection_id) == selection.id, col(Application.status) == IN_STAGE[stage])
        .scalar_subquery()
    )
    with_result = sa.select(col(StageResult.application_id)).where(
        col(StageResult.stage) == stage, col(StageResult.application_id).in_(at_stage)
    )
    total = await session.execute(
        sa.select(sa.func.count())
        .select_from(Application)
        .where(
            col(Application.selection_id) == selection.id,
            col(Application.status) == IN_STAGE[stage],
            col(Application.id).not_in(with_result),
        )
    )
    return int(total.scalar_one())


async def scores(
    session: AsyncSession, selection: Selection, stage: ResultStage
) -> dict[uuid.UUID, Decimal | None]:
    """Each candidate at the stage with their result (None = absent or no result, rules.md A-13)."""
    at_stage = await session.execute(
        sa.select(col(Application.id)).where(
            col(Application.selection_id) == selection.id, col(Application.status) == IN_STAGE[stage]
        )
    )
    results = await session.execute(
        sa.select(col(StageResult.application_id), col(StageResult.score), col(StageResult.absent)).where(
            col(StageResult.selection_id) == selection.id, col(StageResult.stage) == stage
        )
    )
    found = {application_id: (None if absent else score) for application_id, score, absent in results.all()}
    return {application_id: found.get(application_id) for application_id in at_stage.scalars()}
