"""/{region}/manage/selections/{id}/results/{stage} and /cutoff/{stage}: importing stage results
(cl. 6(2)-(3), four eyes) and the cut-off simulator and decision (cl. 10)."""

import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import MediaType
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, FromQuery
from litestar.response import Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.applications import queries as application_queries
from portal.applications.models import CandidateProfile
from portal.auth.policies import Permission, Principal, can
from portal.core.access import requires
from portal.core.clock import Clock
from portal.core.errors import PageError
from portal.core.flash import flash
from portal.core.htmx import page_or_partial
from portal.core.responses import NO_STORE, go_to
from portal.i18n import get_language
from portal.i18n import gettext as _
from portal.selections import cutoffs, queries, results
from portal.selections.drafting import TransitionRefused
from portal.selections.models import Selection
from portal.selections.results_import import ResultStage
from portal.selections.stage_models import ResultsImport
from portal.selections.stage_views import IMPORT_STATUS_NAMES, PROBLEM_LABELS, STAGE_NAMES
from portal.tenancy.registry import TenantConfig

IMPORT = requires(Permission.IMPORT_RESULTS)
PREPARE = requires(Permission.DRAFT_SELECTION)
BASE = "/manage/selections/{selection_id:uuid}"
MAX_FILE = 5 * 1024 * 1024


def _principal(request: Request[Any, Any, Any]) -> Principal:
    principal: Principal = request.scope["user"]
    return principal


def _stage(value: str) -> ResultStage:
    try:
        return ResultStage(value)
    except ValueError as error:
        raise NotFoundException() from error


async def _selection(db_session: AsyncSession, tenant: TenantConfig, selection_id: uuid.UUID) -> Selection:
    selection = await queries.region_selection(db_session, tenant.code, selection_id)
    if selection is None:
        raise NotFoundException()
    return selection


def _may_import(request: Request[Any, Any, Any], tenant: TenantConfig, stage: ResultStage) -> None:
    """Competency results come from the Agency only (cl. 6(3))."""
    if stage == ResultStage.COMPETENCY and not can(
        _principal(request), Permission.IMPORT_COMPETENCY_RESULTS, tenant.code
    ):
        raise PermissionDeniedException()


async def _results_page(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    tenant: TenantConfig,
    selection: Selection,
    stage: ResultStage,
    *,
    preview: Any = None,
    status_code: int = 200,
) -> Template:
    return Template(
        "selections/manage/results.html",
        context={
            "tenant": tenant,
            "s": selection,
            "stage": stage,
            "preview": preview,
            "imports": await results.imports_of(db_session, selection, stage),
            "can_approve": can(_principal(request), Permission.APPROVE_RESULTS_IMPORT, tenant.code),
            "problem_labels": PROBLEM_LABELS,
            "import_statuses": IMPORT_STATUS_NAMES,
            "stage_names": STAGE_NAMES,
            "me": _principal(request).user_id,
        },
        status_code=status_code,
        headers=NO_STORE,
    )


@get(f"{BASE}/results/{{stage:str}}", name="manage:results", opt=IMPORT)
async def results_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    selection_id: FromPath[uuid.UUID],
    stage: FromPath[str],
) -> Template:
    selection = await _selection(db_session, tenant, selection_id)
    return await _results_page(request, db_session, tenant, selection, _stage(stage))


@post(
    f"{BASE}/results/{{stage:str}}",
    name="manage:results-upload",
    opt=IMPORT,
    status_code=303,
    media_type=MediaType.HTML,
    request_max_body_size=MAX_FILE + 64 * 1024,
)
async def upload_results(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    selection_id: FromPath[uuid.UUID],
    stage: FromPath[str],
) -> Response[Any] | Template:
    result_stage = _stage(stage)
    _may_import(request, tenant, result_stage)
    selection = await _selection(db_session, tenant, selection_id)
    upload = (await request.form()).get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        flash(request, _("Choose the results file."), "error")
        return go_to(request, f"/{tenant.slug}/manage/selections/{selection_id}/results/{stage}")
    content = await upload.read(MAX_FILE + 1)
    try:
        preview, batch = await results.upload(
            db_session,
            selection,
            stage=result_stage,
            content=content[:MAX_FILE] if len(content) <= MAX_FILE else b"",
            file_name=upload.filename,
            actor=_principal(request).user_id,
        )
    except TransitionRefused as refused:
        await db_session.rollback()
        flash(request, refused.message, "error")
        return go_to(request, f"/{tenant.slug}/manage/selections/{selection_id}/results/{stage}")
    if batch is None:
        return await _results_page(
            request,
            db_session,
            tenant,
            selection,
            result_stage,
            preview=preview,
            status_code=HTTP_422_UNPROCESSABLE_ENTITY,
        )
    await db_session.commit()
    return await _results_page(request, db_session, tenant, selection, result_stage, preview=preview)


@post(
    f"{BASE}/results/{{stage:str}}/{{import_id:uuid}}/approve",
    name="manage:results-approve",
    opt=requires(Permission.APPROVE_RESULTS_IMPORT),
    status_code=303,
    media_type=MediaType.HTML,
)
async def approve_results(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    selection_id: FromPath[uuid.UUID],
    stage: FromPath[str],
    import_id: FromPath[uuid.UUID],
) -> Response[Any]:
    selection = await _selection(db_session, tenant, selection_id)
    batch = await db_session.get(ResultsImport, import_id)
    if batch is None or batch.selection_id != selection.id or batch.stage != _stage(stage):
        raise NotFoundException()
    back = f"/{tenant.slug}/manage/selections/{selection_id}/results/{stage}"
    try:
        count = await results.approve(db_session, batch, selection, _principal(request).user_id)
    except TransitionRefused as refused:
        await db_session.rollback()
        flash(request, refused.message, "error")
        return go_to(request, back)
    await db_session.commit()
    flash(request, _("%(count)s results have been stored.", count=count))
    return go_to(request, back)


def _cut_parameters(advance: str | None, min_score: str | None) -> tuple[int, Decimal | None]:
    try:
        count = int(advance) if advance else 0
        minimum = Decimal(min_score.replace(",", ".")) if min_score else None
    except (ValueError, InvalidOperation) as error:
        raise PageError(
            status_code=400, detail=_("Enter whole numbers for the places and a number for the minimum.")
        ) from error
    if count < 0 or count > 100_000:
        raise PageError(
            status_code=400, detail=_("Enter whole numbers for the places and a number for the minimum.")
        )
    return count, minimum


@get(f"{BASE}/cutoff/{{stage:str}}", name="manage:cutoff", opt=PREPARE)
async def cutoff_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    selection_id: FromPath[uuid.UUID],
    stage: FromPath[str],
    advance: FromQuery[str | None] = None,
    min_score: FromQuery[str | None] = None,
    ties: FromQuery[str | None] = "1",
) -> Template:
    """The simulator: every change re-ranks at once (htmx swaps the table; without JS, the page)."""
    result_stage = _stage(stage)
    selection = await _selection(db_session, tenant, selection_id)
    count, minimum = _cut_parameters(advance, min_score)
    simulation = await cutoffs.simulate(
        db_session, selection, result_stage, advance_count=count, min_score=minimum, include_ties=ties == "1"
    )
    context = {
        "tenant": tenant,
        "s": selection,
        "stage": result_stage,
        "sim": simulation,
        "advance": count,
        "min_score": min_score or "",
        "ties": ties == "1",
        "missing": await results.missing_results(db_session, selection, result_stage),
        "can_fix": can(_principal(request), Permission.RUN_MEETING, tenant.code),
        "stage_names": STAGE_NAMES,
    }
    return page_or_partial(
        request, "selections/manage/cutoff.html", "selections/manage/_ranking.html", context
    )


@post(
    f"{BASE}/cutoff/{{stage:str}}",
    name="manage:cutoff-fix",
    opt=requires(Permission.RUN_MEETING),
    status_code=303,
    media_type=MediaType.HTML,
)
async def fix_cutoff(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    selection_id: FromPath[uuid.UUID],
    stage: FromPath[str],
) -> Response[Any]:
    """The commission's cut-off, recorded by its secretary with the minutes' reference (cl. 10)."""
    result_stage = _stage(stage)
    selection = await _selection(db_session, tenant, selection_id)
    data = await request.form()
    count, minimum = _cut_parameters(str(data.get("advance", "")), str(data.get("min_score", "")))
    back = f"/{tenant.slug}/manage/selections/{selection_id}/cutoff/{stage}"
    simulation = await cutoffs.simulate(
        db_session,
        selection,
        result_stage,
        advance_count=count,
        min_score=minimum,
        include_ties=data.get("ties") == "1",
    )
    emails = await _emails(db_session, list(simulation.scores))
    title = (await application_queries.titles_of(db_session, {selection.id}, get_language())).get(
        selection.id, ""
    )
    mail = cutoffs.Mail(tenant.name.get(get_language()), title, request.app.state.settings.base_url, emails)
    try:
        await cutoffs.fix(
            db_session,
            selection,
            result_stage,
            simulation,
            protocol=str(data.get("protocol", "")),
            actor=_principal(request).user_id,
            mail=mail,
            now=clock.now(),
        )
    except TransitionRefused as refused:
        await db_session.rollback()
        flash(request, refused.message, "error")
        return go_to(request, f"{back}?advance={count}")
    await db_session.commit()
    flash(request, _("The cut-off has been recorded and the candidates informed."))
    return go_to(request, f"/{tenant.slug}/manage/selections/{selection_id}")


async def _emails(db_session: AsyncSession, application_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    from portal.applications.models import Application

    rows = await db_session.execute(
        sa.select(col(Application.user_id), col(CandidateProfile.email))
        .join(CandidateProfile, col(CandidateProfile.user_id) == col(Application.user_id))
        .where(col(Application.id).in_(application_ids))
    )
    return {user_id: email for user_id, email in rows.all() if email and user_id is not None}


STAGE_ROUTES = [results_page, upload_results, approve_results, cutoff_page, fix_cutoff]
