"""/{region}/manage/selections/{id}/results/{stage} and /cutoff/{stage}: importing stage results
(cl. 6(2)-(3), four eyes) and the cut-off simulator and decision (cl. 10)."""

import uuid
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from litestar import Request, Response, get, post
from litestar.datastructures import MultiDict, UploadFile
from litestar.di import NamedDependency
from litestar.enums import MediaType
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath
from litestar.response import Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.applications import queries as application_queries
from portal.applications.models import CandidateProfile
from portal.auth.guards import signed_in
from portal.auth.policies import Permission, can
from portal.core.access import requires
from portal.core.clock import Clock
from portal.core.flash import flash
from portal.core.forms import Form
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
#: cut_off.min_score is NUMERIC(7, 2).
MAX_MIN_SCORE = 100_000


def _stage(value: str) -> ResultStage:
    try:
        return ResultStage(value)
    except ValueError as error:
        raise NotFoundException() from error


def _may_import(request: Request[Any, Any, Any], tenant: TenantConfig, stage: ResultStage) -> None:
    """Competency results come from the Agency only (cl. 6(3))."""
    if stage == ResultStage.COMPETENCY and not can(
        signed_in(request), Permission.IMPORT_COMPETENCY_RESULTS, tenant.code
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
            "can_approve": can(signed_in(request), Permission.APPROVE_RESULTS_IMPORT, tenant.code),
            "problem_labels": PROBLEM_LABELS,
            "import_statuses": IMPORT_STATUS_NAMES,
            "stage_names": STAGE_NAMES,
            "me": signed_in(request).user_id,
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
    selection = await queries.region_selection_or_404(db_session, tenant.code, selection_id)
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
    selection = await queries.region_selection_or_404(db_session, tenant.code, selection_id)
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
            actor=signed_in(request).user_id,
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
    selection = await queries.region_selection_or_404(db_session, tenant.code, selection_id)
    batch = await db_session.get(ResultsImport, import_id)
    if batch is None or batch.selection_id != selection.id or batch.stage != _stage(stage):
        raise NotFoundException()
    back = f"/{tenant.slug}/manage/selections/{selection_id}/results/{stage}"
    try:
        count = await results.approve(db_session, batch, selection, signed_in(request).user_id)
    except TransitionRefused as refused:
        await db_session.rollback()
        flash(request, refused.message, "error")
        return go_to(request, back)
    await db_session.commit()
    flash(request, _("%(count)s results have been stored.", count=count))
    return go_to(request, back)


def _places(form: Form, name: str, default: int | None) -> int | None:
    text = form.get(name)
    if not text:
        return default
    if not (text.isascii() and text.isdigit()) or int(text) > cutoffs.MAX_PLACES:
        form.error(name, _("Enter a whole number of places, 0 or more."))
        return default
    return int(text)


def _cut_parameters(
    data: Mapping[str, Any], directions: Sequence[cutoffs.Direction], *, include_ties: bool
) -> tuple[cutoffs.Cut, Form]:
    """The simulator's numbers as typed: `advance`, or `advance_<direction code>` per direction when
    the directions have quotas (A-09, each defaulting to its quota), and `min_score`. Invalid values
    are reported on the form and replaced by the defaults."""
    by_direction = cutoffs.per_direction(directions)
    names = [f"advance_{d.code}" for d in directions] if by_direction else ["advance"]
    form = Form.of(data, [*names, "min_score"])
    limits = {d.code: _places(form, f"advance_{d.code}", d.quota) for d in directions} if by_direction else {}
    count = 0 if by_direction else (_places(form, "advance", 0) or 0)
    return cutoffs.Cut(count, _min_score(form), include_ties, limits), form


def _min_score(form: Form) -> Decimal | None:
    text = form.get("min_score").replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if value.is_finite() and abs(value) < MAX_MIN_SCORE:
        return value
    form.error("min_score", _("Enter a number for the minimum score, for example 60 or 60.5."))
    return None


async def _cutoff_view(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    tenant: TenantConfig,
    selection: Selection,
    stage: ResultStage,
    data: Mapping[str, Any],
    *,
    include_ties: bool,
) -> tuple[cutoffs.Simulation, dict[str, Any]]:
    """Parse the numbers, simulate, and build the page's context (the form carries any errors)."""
    directions = await cutoffs.directions_of(db_session, selection)
    cut, form = _cut_parameters(data, directions, include_ties=include_ties)
    simulation = await cutoffs.simulate(db_session, selection, stage, cut, directions)
    return simulation, {
        "tenant": tenant,
        "s": selection,
        "stage": stage,
        "sim": simulation,
        "form": form,
        "ties": include_ties,
        "missing": await results.missing_results(db_session, selection, stage),
        "can_fix": can(signed_in(request), Permission.RUN_MEETING, tenant.code),
        "stage_names": STAGE_NAMES,
    }


def _ties(query: MultiDict[Any]) -> bool:
    """Ties advance by default (A-08); the form sends ties=0 and, when ticked, ties=1."""
    return "ties" not in query or "1" in query.getall("ties")


@get(f"{BASE}/cutoff/{{stage:str}}", name="manage:cutoff", opt=PREPARE)
async def cutoff_page(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    selection_id: FromPath[uuid.UUID],
    stage: FromPath[str],
) -> Template:
    """The simulator: every change re-ranks at once (htmx swaps the table; without JS, the page).
    The numbers come as `advance`, or `advance_<direction code>` per direction (A-09)."""
    result_stage = _stage(stage)
    selection = await queries.region_selection_or_404(db_session, tenant.code, selection_id)
    query = request.query_params
    _, context = await _cutoff_view(
        request,
        db_session,
        tenant,
        selection,
        result_stage,
        query,
        include_ties=_ties(query),
    )
    status = HTTP_422_UNPROCESSABLE_ENTITY if context["form"].errors else 200
    return page_or_partial(
        request, "selections/manage/cutoff.html", "selections/manage/_ranking.html", context, status
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
) -> Response[Any] | Template:
    """The commission's cut-off, recorded by its secretary with the minutes' reference (cl. 10)."""
    result_stage = _stage(stage)
    selection = await queries.region_selection_or_404(db_session, tenant.code, selection_id)
    data = await request.form()
    ties = data.get("ties") == "1"
    simulation, context = await _cutoff_view(
        request, db_session, tenant, selection, result_stage, data, include_ties=ties
    )
    form: Form = context["form"]
    if form.errors:
        return Template(
            "selections/manage/cutoff.html",
            context=context,
            status_code=HTTP_422_UNPROCESSABLE_ENTITY,
            headers=NO_STORE,
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
            actor=signed_in(request).user_id,
            mail=mail,
            now=clock.now(),
        )
    except TransitionRefused as refused:
        await db_session.rollback()
        flash(request, refused.message, "error")
        query = urlencode({**{k: v for k, v in form.values.items() if v}, "ties": "1" if ties else "0"})
        return go_to(request, f"/{tenant.slug}/manage/selections/{selection_id}/cutoff/{stage}?{query}")
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
